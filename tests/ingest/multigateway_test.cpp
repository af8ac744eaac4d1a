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
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "store/timetext.h"
#include "storebackend.h"
#include "support/testclient.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
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
