// Several gateways on one store (issue 16): a terminal may connect through any of them, and
// "one connection per device" holds across them — a hello let in by one closes the device's
// connection on the other, whose frames are from then on applied only where it is now, resuming
// after what any gateway stored. Revocations reach every gateway; orders reach the terminal
// through whichever gateway holds it. Two StoreSinks with their Gateways in this process, each
// with its own connections to the store, as two griddispatch-gateway processes would have.
#include "ingest/orderpump.h"
#include "ingest/storesink.h"
#include "core/demodistrict.h"
#include "feed/gateway.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/orderstore.h"
#include "store/feed/positionstore.h"
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "store/timetext.h"
#include "storebackend.h"
#include "support/testclient.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <set>
#include <random>
#include <thread>

using gd::feed::test::TestClient;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

//! A sink and a gateway in front of it, as griddispatch-gateway starts them.
struct GatewayOnStore
{
    GatewayOnStore(const gd::store::StoreLocation &location, const gd::store::ConfigDirectory &config)
      : sink(std::make_unique<gd::ingest::StoreSink>(location, config))
    {
      gd::feed::GatewayConfig options;
      options.host = "127.0.0.1";
      options.catalog = &config.catalog;
      gateway = std::make_unique<gd::feed::Gateway>(options, *sink);
      gateway->start();
    }
    ~GatewayOnStore()
    {
      gateway.reset();
      sink.reset();
    }
    std::uint16_t port() const { return gateway->port(); }

    std::unique_ptr<gd::ingest::StoreSink> sink;
    std::unique_ptr<gd::feed::Gateway> gateway;
};

class MultiGatewayTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mDir = fs::temp_directory_path() / ("gd-multigateway-" + std::to_string(std::random_device()()));
      fs::create_directories(mDir);
      mStore = std::make_unique<gd::store::test::TestStore>(mDir / "store.gpkg");
      mConfig = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
      gd::core::DemoDistrictOptions options;
      options.seed = 7;
      options.townships = 1;
      options.communities = 2;
      options.grids = 4;
      options.microGrids = 8;
      options.radiusMeters = 2000;
      mDistrict = gd::core::generateDemoDistrict(options);
      auto db = gd::store::Schema::openOrCreate(location());
      gd::store::writeDemoDistrict(*db, mDistrict);
      const std::string worker = mDistrict.tree.nodesAt(gd::core::GridLevel::Grid).front()->workers.front().id;
      gd::store::DeviceRegistry devices(*db);
      mToken = devices.add("HS-1", worker, gd::store::nowUtc());
      mToken2 = devices.add("HS-2", worker, gd::store::nowUtc());
      db.reset();
      mA = std::make_unique<GatewayOnStore>(location(), *mConfig);
      mB = std::make_unique<GatewayOnStore>(location(), *mConfig);
    }
    void TearDown() override
    {
      mA.reset();
      mB.reset();
      mStore.reset();
      fs::remove_all(mDir);
    }

    const gd::store::StoreLocation &location() const { return mStore->location(); }

    static json position(std::int64_t seq)
    {
      return {{"type", "position"}, {"seq", seq}, {"lat", 39.7}, {"lon", 98.5}, {"crs", "CGCS2000"}};
    }

    //! Sends a fix and returns the answer.
    static json sendFix(TestClient &client, std::int64_t seq)
    {
      EXPECT_TRUE(client.sendFrame(position(seq)));
      return client.readFrame();
    }

    //! The seqs of device \a device's fixes in the store, in order of storage.
    std::vector<std::int64_t> storedSeqs(const std::string &device)
    {
      gd::store::Database db(location(), gd::store::Database::Mode::ReadOnly);
      auto q = db.query("SELECT seq FROM positions WHERE device_id = ? ORDER BY id");
      q.bindAll(device);
      std::vector<std::int64_t> out;
      while (q.step())
        out.push_back(q->columnInt(0));
      return out;
    }

    //! What \a sink answers for a batch of \a device submitted directly (as its gateway would).
    static std::vector<gd::feed::FrameOutcome> submitDirectly(gd::ingest::StoreSink &sink, const std::string &device,
                                                             std::int64_t seq)
    {
      gd::feed::FrameBatch batch;
      batch.device = device;
      batch.receivedAt = gd::store::nowUtc();
      gd::feed::PositionFrame fix;
      fix.seq = seq;
      fix.location = {98.5, 39.7};
      batch.frames.emplace_back(fix);
      std::promise<std::vector<gd::feed::FrameOutcome>> answer;
      sink.submit(std::move(batch), [&answer](std::vector<gd::feed::FrameOutcome> outcomes) { answer.set_value(std::move(outcomes)); });
      return answer.get_future().get();
    }

    //! Waits until \a count requests for the store's write lock wait on the database (PostgreSQL):
    //! false after 30 s (a failure, not a measure).
    bool waitForWriteLockWaiters(int count)
    {
      gd::store::Database db(location(), gd::store::Database::Mode::ReadOnly);
      for (int i = 0; i < 3000; ++i)
      {
        if (db.scalarInt("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                         "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") >= count)
          return true;
        std::this_thread::sleep_for(10ms);
      }
      return false;
    }

    //! The worker of the demo district's \a n-th grid (a worker of their own for each device).
    std::string workerOfGrid(std::size_t n) const
    {
      return mDistrict.tree.nodesAt(gd::core::GridLevel::Grid).at(n)->workers.front().id;
    }

    fs::path mDir;
    std::unique_ptr<gd::store::test::TestStore> mStore;
    std::unique_ptr<gd::store::ConfigDirectory> mConfig;
    gd::core::DemoDistrict mDistrict;
    std::string mToken;
    std::string mToken2;
    std::unique_ptr<GatewayOnStore> mA;
    std::unique_ptr<GatewayOnStore> mB;
};

} // namespace

TEST_F(MultiGatewayTest, AHelloThroughAnotherGatewayClosesTheDevicesFirstConnection)
{
  ASSERT_NE(mA->sink->instance(), mB->sink->instance());
  TestClient first(mA->port());
  ASSERT_EQ(first.login("HS-1", mToken)["type"], "welcome");
  ASSERT_EQ(sendFix(first, 1)["type"], "ack");
  ASSERT_EQ(sendFix(first, 2)["type"], "ack");

  // The handset roams to gateway B: its welcome resumes after what A stored (on PostgreSQL;
  // a GeoPackage's single gateway may say less, and the resends are duplicates) ...
  TestClient second(mB->port());
  const json welcome = second.login("HS-1", mToken);
  ASSERT_EQ(welcome["type"], "welcome") << welcome.dump();
  if (gd::store::test::storesOnPostgres())
  {
    EXPECT_EQ(welcome["last_seq"], 2);
  }
  const json resent = sendFix(second, 2);
  EXPECT_EQ(resent["type"], "ack");
  EXPECT_EQ(resent.value("dup", false), true) << resent.dump();
  // ... and A closes the first connection, as a second connection through A would.
  EXPECT_TRUE(first.waitClosed(5s));
  EXPECT_EQ(mA->gateway->stats().movedElsewhere, 1u);
  EXPECT_EQ(mB->gateway->stats().movedElsewhere, 0u);

  ASSERT_EQ(sendFix(second, 3)["type"], "ack");
  // A frame of the device still reaching A (sent before the close) is not applied there: no
  // outcome, so nothing is acknowledged and the terminal resends it through B.
  EXPECT_TRUE(submitDirectly(*mA->sink, "HS-1", 4).empty());
  ASSERT_EQ(sendFix(second, 4)["type"], "ack");
  EXPECT_EQ(storedSeqs("HS-1"), (std::vector<std::int64_t>{1, 2, 3, 4}));

  // Back to A: resumes after B's frames (which A's memory of the device never saw), B closes.
  TestClient third(mA->port());
  const json again = third.login("HS-1", mToken);
  ASSERT_EQ(again["type"], "welcome") << again.dump();
  if (gd::store::test::storesOnPostgres())
  {
    EXPECT_EQ(again["last_seq"], 4);
  }
  EXPECT_TRUE(second.waitClosed(5s));
  EXPECT_EQ(mB->gateway->stats().movedElsewhere, 1u);
  // A resend of a frame B stored is a duplicate on A, applied once.
  const json dup = sendFix(third, 3);
  EXPECT_EQ(dup["type"], "ack");
  EXPECT_EQ(dup.value("dup", false), true) << dup.dump();
  ASSERT_EQ(sendFix(third, 5)["type"], "ack");
  EXPECT_EQ(storedSeqs("HS-1"), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

TEST_F(MultiGatewayTest, ReconnectingThroughTheSameGatewayKeepsTheOtherDevicesConnections)
{
  TestClient one(mA->port());
  ASSERT_EQ(one.login("HS-1", mToken)["type"], "welcome");
  TestClient two(mB->port());
  ASSERT_EQ(two.login("HS-2", mToken2)["type"], "welcome");
  // HS-1 says hello again through A (its own gateway): B's HS-2 is not touched, and A's first
  // connection is replaced as before.
  TestClient oneAgain(mA->port());
  ASSERT_EQ(oneAgain.login("HS-1", mToken)["type"], "welcome");
  EXPECT_TRUE(one.waitClosed(5s));
  std::this_thread::sleep_for(3 * gd::ingest::StoreSink::kRevocationPoll);
  EXPECT_EQ(sendFix(two, 1)["type"], "ack");
  EXPECT_EQ(sendFix(oneAgain, 1)["type"], "ack");
  EXPECT_EQ(mA->gateway->stats().movedElsewhere + mB->gateway->stats().movedElsewhere, 0u);
}

TEST_F(MultiGatewayTest, ARevocationReachesEveryGateway)
{
  TestClient one(mA->port());
  ASSERT_EQ(one.login("HS-1", mToken)["type"], "welcome");
  TestClient two(mB->port());
  ASSERT_EQ(two.login("HS-2", mToken2)["type"], "welcome");
  {
    auto db = gd::store::Schema::open(location());
    gd::store::Transaction tx(*db);
    gd::store::DeviceRegistry(*db).revoke("HS-1");
    gd::store::DeviceRegistry(*db).revoke("HS-2");
    tx.commit();
  }
  const json cutA = one.readFrame(5s);
  const json cutB = two.readFrame(5s);
  EXPECT_EQ(cutA.value("code", ""), "auth_failed") << cutA.dump();
  EXPECT_EQ(cutB.value("code", ""), "auth_failed") << cutB.dump();
  EXPECT_TRUE(one.waitClosed(5s));
  EXPECT_TRUE(two.waitClosed(5s));
}

TEST_F(MultiGatewayTest, AnOrderReachesTheTerminalThroughWhicheverGatewayHoldsIt)
{
  // Each gateway runs its pump, as griddispatch-gateway does.
  gd::ingest::OrderPump pumpA(location(), *mA->gateway, 50ms);
  gd::ingest::OrderPump pumpB(location(), *mB->gateway, 50ms);
  pumpA.start();
  pumpB.start();
  TestClient client(mB->port());
  ASSERT_EQ(client.login("HS-1", mToken)["type"], "welcome");
  {
    auto db = gd::store::Schema::open(location());
    gd::store::Transaction tx(*db);
    gd::store::OrderStore(*db).create("HS-1", gd::store::OrderKind::Alert, "", "集合", std::nullopt, gd::store::nowUtc());
    tx.commit();
  }
  const json order = client.readFrame(5s);
  ASSERT_EQ(order.value("type", ""), "order") << order.dump();
  EXPECT_EQ(order.value("message", ""), "集合");
  pumpA.stop();
  pumpB.stop();
}

// Issue 16, two gateways >= 1.6x one: a group of positions only holds the store's write lock
// shared on PostgreSQL (store::Writer::Lock::Shared), so one gateway's position drain commits
// while another's is still open. Anything else (here a console's order) holds it alone and
// waits for them; and a shared request made while it waits queues behind it, so a steady
// stream of position groups from several gateways cannot starve a console.
TEST_F(MultiGatewayTest, TwoGatewaysPositionGroupsCommitSideBySideAndAWaitingExclusiveWriterIsNotOvertaken)
{
  if (!gd::store::test::storesOnPostgres())
    GTEST_SKIP() << "the write lock's shared mode is PostgreSQL's: a file has one writer";
  const std::string worker = workerOfGrid(0);
  // Gateway A's position group in flight: the lock held shared, a fix written, no COMMIT yet.
  gd::store::Database a(location());
  auto held = std::make_unique<gd::store::Transaction>(a, gd::store::Transaction::Kind::ImmediateShared);
  const gd::store::TrackPoint fix{"HS-1", worker, gd::store::nowUtc(), {98.5, 39.7}, 5.0, 1};
  gd::store::PositionStore(a).recordTracks(&fix, 1);

  // Gateway B's position drain commits meanwhile (on main it waited for A's COMMIT: the busy
  // timeout, then failed with nothing acknowledged).
  const auto first = submitDirectly(*mB->sink, "HS-2", 1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].kind, gd::feed::FrameOutcome::Kind::Accepted);
  EXPECT_EQ(storedSeqs("HS-2"), (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(storedSeqs("HS-1").empty()) << "A's group is not committed";

  // A console dispatching an order holds the lock alone: it waits for A's group.
  auto console = std::async(std::launch::async, [this] {
    gd::store::Database c(location());
    gd::store::Transaction tx(c);
    gd::store::OrderStore(c).create("HS-1", gd::store::OrderKind::Alert, "", "集合", std::nullopt, gd::store::nowUtc());
    tx.commit();
  });
  ASSERT_TRUE(waitForWriteLockWaiters(1));
  // B's next position group, asked while the console waits, is not let in beside A's group
  // (which would starve the console under a steady stream): it waits behind the console.
  std::promise<std::vector<gd::feed::FrameOutcome>> secondAnswer;
  {
    gd::feed::FrameBatch batch;
    batch.device = "HS-2";
    batch.receivedAt = gd::store::nowUtc();
    gd::feed::PositionFrame frame;
    frame.seq = 2;
    frame.location = {98.5, 39.7};
    batch.frames.emplace_back(frame);
    mB->sink->submit(std::move(batch), [&secondAnswer](std::vector<gd::feed::FrameOutcome> outcomes) {
      secondAnswer.set_value(std::move(outcomes));
    });
  }
  ASSERT_TRUE(waitForWriteLockWaiters(2)) << "B's second position group was let in past the waiting console";
  EXPECT_EQ(console.wait_for(0s), std::future_status::timeout);

  held->commit();
  held.reset();
  console.get();
  const auto second = secondAnswer.get_future().get();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].kind, gd::feed::FrameOutcome::Kind::Accepted);
  // The console wrote before B's second group did: its transaction id is the older one.
  gd::store::Database db(location(), gd::store::Database::Mode::ReadOnly);
  EXPECT_LT(db.scalarInt("SELECT CAST(CAST(xmin AS text) AS bigint) FROM orders WHERE device_id = 'HS-1'"),
            db.scalarInt("SELECT CAST(CAST(xmin AS text) AS bigint) FROM positions WHERE device_id = 'HS-2' AND seq = 2"));
  EXPECT_EQ(storedSeqs("HS-1"), (std::vector<std::int64_t>{1}));
}

// Position groups of several gateways commit in any order on PostgreSQL, so a fix can commit
// after another with a higher id. What reads "every fix above a mark" would miss it: a device's
// durable last_seq (the welcome's, DeviceRegistry::list()) reads every fix of the device there.
TEST_F(MultiGatewayTest, ADevicesLastSeqCountsAFixCommittedAfterOneWithAHigherId)
{
  if (!gd::store::test::storesOnPostgres())
    GTEST_SKIP() << "on a file one writer commits the ids in order";
  const std::string worker = workerOfGrid(0);
  gd::store::Database a(location());
  gd::store::Database b(location());
  gd::store::Transaction first(a, gd::store::Transaction::Kind::ImmediateShared);
  const gd::store::TrackPoint low{"HS-1", worker, gd::store::nowUtc(), {98.5, 39.7}, 5.0, 7};
  const std::int64_t lowId = gd::store::PositionStore(a).recordTracks(&low, 1);
  {
    // Another gateway's group: a fix with a higher id, published and committed first.
    gd::store::Transaction second(b, gd::store::Transaction::Kind::ImmediateShared);
    const gd::store::TrackPoint high{"HS-2", worker, gd::store::nowUtc(), {98.5, 39.7}, 5.0, 3};
    const std::int64_t highId = gd::store::PositionStore(b).recordTracks(&high, 1);
    ASSERT_GT(highId, lowId);
    gd::store::DeviceRegistry(b).advanceLastSeq("HS-2", 3);
    gd::store::PositionStore(b).markPublishedThrough(highId);
    second.commit();
  }
  first.commit();
  gd::store::Database reader(location(), gd::store::Database::Mode::ReadOnly);
  gd::store::DeviceRegistry registry(reader);
  EXPECT_EQ(registry.durableLastSeq("HS-1"), 7);
  const auto devices = registry.list();
  ASSERT_GE(devices.size(), 2u);
  EXPECT_EQ(devices[0].id, "HS-1");
  EXPECT_EQ(devices[0].lastSeq, 7);
  EXPECT_EQ(devices[1].lastSeq, 3);
  // A gateway's start writes it back into the row.
  {
    gd::store::Transaction tx(b);
    gd::store::DeviceRegistry(b).recoverLastSeq(gd::store::PositionStore(b).publishedThrough());
    tx.commit();
  }
  EXPECT_EQ(reader.scalarInt("SELECT last_seq FROM devices WHERE id = 'HS-1'"), 7);
}

// A gateway killed between two publications leaves its terminals' newest fixes in the track
// only (acknowledged, durable), not in worker_positions: the next start catches them up. With
// several gateways on one database another gateway may have published fixes with higher ids
// meanwhile; on main its published mark then said those fixes were published, and the next
// start skipped them: the worker's latest position stayed stale until their next fix.
TEST_F(MultiGatewayTest, ACrashedGatewaysUnpublishedLatestFixIsCaughtUpAlthoughAnotherGatewayPublishedBeyondIt)
{
  if (!gd::store::test::storesOnPostgres())
    GTEST_SKIP() << "the track's published mark is kept on a file (one gateway a file): PostgreSQL goes by device";
  const std::string crashedWorker = workerOfGrid(0); // HS-1's
  const std::string otherWorker = workerOfGrid(1);
  {
    auto db = gd::store::Schema::open(location());
    gd::store::DeviceRegistry(*db).add("HS-3", otherWorker, gd::store::nowUtc());
  }
  const auto at = gd::store::nowUtc() - std::chrono::seconds(30);
  {
    // What the crashed gateway left: its group committed (the fix acknowledged), not published.
    gd::store::Database crashed(location());
    gd::store::Transaction tx(crashed, gd::store::Transaction::Kind::ImmediateShared);
    const gd::store::TrackPoint fix{"HS-1", crashedWorker, at, {98.51, 39.71}, 5.0, 1};
    gd::store::PositionStore(crashed).recordTracks(&fix, 1);
    tx.commit();
  }
  // Gateway B stores and publishes a fix above it.
  ASSERT_EQ(submitDirectly(*mB->sink, "HS-3", 1).size(), 1u);
  mB->sink->flush();
  {
    gd::store::Database db(location(), gd::store::Database::Mode::ReadOnly);
    EXPECT_EQ(db.scalarInt("SELECT count(*) FROM worker_positions WHERE worker_id = '" + otherWorker + "'"), 1);
    EXPECT_EQ(db.scalarInt("SELECT count(*) FROM worker_positions WHERE worker_id = '" + crashedWorker + "'"), 0);
  }
  // The crashed gateway starts again (a new sink, as a new process): its start catches up.
  mA.reset();
  mA = std::make_unique<GatewayOnStore>(location(), *mConfig);
  mA->sink->flush();
  gd::store::Database db(location(), gd::store::Database::Mode::ReadOnly);
  const auto latest = gd::store::PositionStore(db).latest();
  const auto it = std::find_if(latest.begin(), latest.end(), [&](const gd::store::PositionFix &f) { return f.workerId == crashedWorker; });
  ASSERT_NE(it, latest.end()) << "the crashed gateway's fix was never published";
  EXPECT_EQ(it->deviceId, "HS-1");
  EXPECT_EQ(it->at, at);
}

// Two gateways writing at once, each its own terminals, positions (shared groups on
// PostgreSQL) mixed with reports (exclusive): every frame acknowledged is stored, once.
TEST_F(MultiGatewayTest, NothingAcknowledgedIsLostWithTwoGatewaysWritingAtOnce)
{
  constexpr int kDevices = 6, kBatches = 40, kFrames = 5;
  {
    auto db = gd::store::Schema::open(location());
    gd::store::DeviceRegistry registry(*db);
    for (int g = 0; g < 2; ++g)
      for (int d = 0; d < kDevices; ++d)
        registry.add("GW" + std::to_string(g) + "-" + std::to_string(d), workerOfGrid(static_cast<std::size_t>(d % 4)),
                     gd::store::nowUtc());
  }
  const std::string category = mConfig->catalog.categories().front().code;
  std::mutex mutex;
  std::map<std::string, std::set<std::int64_t>> acknowledged;
  std::atomic<int> unanswered{0};
  const auto run = [&](gd::ingest::StoreSink &sink, int g) {
    std::vector<std::future<void>> answers;
    for (int b = 0; b < kBatches; ++b)
      for (int d = 0; d < kDevices; ++d)
      {
        gd::feed::FrameBatch batch;
        batch.device = "GW" + std::to_string(g) + "-" + std::to_string(d);
        batch.receivedAt = gd::store::nowUtc();
        for (int f = 0; f < kFrames; ++f)
        {
          const std::int64_t seq = b * kFrames + f + 1;
          if (f == 2 && b % 7 == d % 7) // now and then a report among the fixes
          {
            gd::feed::ReportFrame report;
            report.seq = seq;
            report.category = category;
            report.location = {98.5, 39.7};
            report.title = "巡查发现";
            batch.frames.emplace_back(report);
          }
          else
          {
            gd::feed::PositionFrame fix;
            fix.seq = seq;
            fix.location = {98.5 + 0.001 * d, 39.7};
            batch.frames.emplace_back(fix);
          }
        }
        auto promise = std::make_shared<std::promise<void>>();
        answers.push_back(promise->get_future());
        const std::string device = batch.device;
        std::vector<std::int64_t> seqs;
        for (const auto &frame : batch.frames)
          seqs.push_back(gd::feed::frameSeq(frame));
        sink.submit(std::move(batch), [&, device, seqs, promise](std::vector<gd::feed::FrameOutcome> outcomes) {
          {
            std::lock_guard lock(mutex);
            if (outcomes.empty())
              ++unanswered;
            for (std::size_t i = 0; i < outcomes.size(); ++i)
              if (outcomes[i].kind == gd::feed::FrameOutcome::Kind::Accepted)
                acknowledged[device].insert(seqs[i]);
          }
          promise->set_value();
        });
      }
    for (auto &answer : answers)
      answer.get();
  };
  std::thread first([&] { run(*mA->sink, 0); });
  std::thread second([&] { run(*mB->sink, 1); });
  first.join();
  second.join();
  mA->sink->flush();
  mB->sink->flush();
  EXPECT_EQ(unanswered.load(), 0);
  gd::store::Database db(location(), gd::store::Database::Mode::ReadOnly);
  std::size_t frames = 0;
  for (const auto &[device, seqs] : acknowledged)
  {
    frames += seqs.size();
    std::multiset<std::int64_t> stored;
    auto q = db.query("SELECT seq FROM positions WHERE device_id = ?1 UNION ALL SELECT seq FROM applied_frames WHERE device_id = ?1");
    q.bindAll(device);
    while (q.step())
      stored.insert(q->columnInt(0));
    for (const std::int64_t seq : seqs)
      EXPECT_EQ(stored.count(seq), 1u) << device << " seq " << seq;
    EXPECT_EQ(stored.size(), seqs.size()) << device;
  }
  EXPECT_EQ(frames, static_cast<std::size_t>(2 * kDevices * kBatches * kFrames)) << "every frame acknowledged";
}
