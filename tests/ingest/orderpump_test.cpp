// Orders reach terminals live, over real loopback sockets with the real gateway, StoreSink and
// simulated terminals on a real store file: an emergency alert goes to exactly the terminals
// inside the radius and their acknowledgements come back to the emergency; an urge reaches a
// connected handset without a reconnect; an offline terminal gets its alert when it connects.
#include "ingest/orderpump.h"

#include "core/conference.h"
#include "core/demodistrict.h"
#include "feed/gateway.h"
#include "feed/simterminal.h"
#include "ingest/storesink.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "store/supervision/emergencystore.h"
#include "store/feed/orderstore.h"
#include "store/feed/positionstore.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/supervision/supervisionstore.h"
#include "store/timetext.h"

#include "storebackend.h"
#include "support/testclient.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <numbers>
#include <random>
#include <thread>

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace fs = std::filesystem;
using gd::feed::test::TestClient;

namespace {

constexpr double kMetresPerDegreeLat = 6371008.8 * std::numbers::pi / 180.0;

//! The terminals' io_context on its own thread; call() runs code there and waits for it.
class SimThread
{
  public:
    SimThread()
      : mWork(asio::make_work_guard(mIo))
      , mThread([this] { mIo.run(); })
    {}
    ~SimThread()
    {
      mWork.reset();
      mIo.stop();
      mThread.join();
    }
    template<typename F> auto call(F f)
    {
      std::packaged_task<decltype(f())()> task(std::move(f));
      auto result = task.get_future();
      asio::post(mIo, [&task] { task(); });
      return result.get();
    }

    asio::io_context mIo;
    asio::ssl::context mTls{asio::ssl::context::tls_client};

  private:
    asio::executor_work_guard<asio::io_context::executor_type> mWork;
    std::thread mThread;
};

template<typename F> bool waitUntil(F predicate, std::chrono::milliseconds timeout = 10s)
{
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!predicate())
  {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

struct Terminal
{
  std::string device;
  std::string token;
  std::string worker;
  double metres = 0; //!< the worker's latest fix, north of the centre
  gd::feed::SimCounters counters;
  std::shared_ptr<gd::feed::SimTerminal> sim;
};

class OrderPumpTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mDir = fs::temp_directory_path() / ("gd-orderpump-" + std::to_string(std::random_device()()));
      fs::create_directories(mDir);
      // A GeoPackage file, or a database on the test cluster when the run is on PostgreSQL.
      mStore = std::make_unique<gd::store::test::TestStore>(mDir / "store.gpkg");
      mLocation = mStore->location();
      mConfig = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
      mWorkflow = std::make_unique<gd::core::Workflow>(&mConfig->departments);
      mClock = std::make_unique<gd::core::SlaClock>(mConfig->catalog, mConfig->calendar);
      mConference = gd::core::ConferenceConfig::parse("meeting_link https://meet.example.gov.cn/join?room={incident}\n", "c");
      gd::core::DemoDistrictOptions options;
      options.seed = 7;
      options.townships = 2;
      options.communities = 4;
      options.grids = 12;
      options.microGrids = 30;
      options.radiusMeters = 3000;
      mDistrict = gd::core::generateDemoDistrict(options);
      auto db = gd::store::Schema::openOrCreate(mLocation);
      gd::store::writeDemoDistrict(*db, mDistrict);
      mCentre = mDistrict.tree.nodesAt(gd::core::GridLevel::Grid)[0]->area.front().outer.front();

      // Six workers of six grids: four within 500 m of the centre (one of them on the circle's
      // inner side at 499 m), two outside (501 m and 1.5 km).
      const auto grids = mDistrict.tree.nodesAt(gd::core::GridLevel::Grid);
      const double metres[] = {60, 220, 499, 350, 501, 1500};
      gd::store::DeviceRegistry devices(*db);
      gd::store::PositionStore positions(*db);
      for (int i = 0; i < 6; ++i)
      {
        auto t = std::make_unique<Terminal>();
        t->device = "HS-" + std::to_string(i);
        t->worker = grids[static_cast<std::size_t>(i)]->workers.front().id;
        t->metres = metres[i];
        t->token = devices.add(t->device, t->worker, gd::store::nowUtc());
        positions.record({t->device, t->worker, gd::store::nowUtc() - 30s,
                          {mCentre.lon, mCentre.lat + metres[i] / kMetresPerDegreeLat}, 5.0});
        mTerminals.push_back(std::move(t));
      }
      db.reset();

      mSink = std::make_unique<gd::ingest::StoreSink>(mLocation, *mConfig);
      gd::feed::GatewayConfig config;
      config.host = "127.0.0.1";
      config.catalog = &mConfig->catalog;
      mGateway = std::make_unique<gd::feed::Gateway>(config, *mSink);
      // Before the gateway lets anyone in, as griddispatch-gateway does.
      mPump = std::make_unique<gd::ingest::OrderPump>(mLocation, *mGateway, 50ms);
      mGateway->start();
      mPump->start();
    }

    void TearDown() override
    {
      // Terminals stop on their thread and let their aborted handlers run before their
      // io_context goes; their counters (in mTerminals) outlive them.
      for (const auto &t : mTerminals)
        if (t->sim)
          mSim->call([&] { t->sim->stop(); });
      for (int i = 0; i < 3; ++i)
        mSim->call([] {});
      mSim->call([&] {
        for (const auto &t : mTerminals)
          t->sim.reset();
      });
      mSim.reset();
      mPump.reset();
      mGateway.reset();
      mSink.reset();
      mStore.reset();
      fs::remove_all(mDir);
    }

    void connect(Terminal &t)
    {
      gd::feed::SimTerminalConfig config;
      config.port = mGateway->port();
      config.device = t.device;
      config.token = t.token;
      config.framesPerSecond = 0; // the fixtures' positions stay as they are
      config.reconnectDelay = 100ms;
      config.seed = static_cast<std::uint32_t>(t.device.size());
      t.sim = mSim->call([&] {
        auto sim = gd::feed::SimTerminal::create(mSim->mIo, mSim->mTls, config, t.counters);
        sim->start();
        return sim;
      });
    }

    std::unique_ptr<gd::store::Database> writerConnection() { return gd::store::Schema::open(mLocation); }

    /**
     * Waits until the orders pending at each connection have been read. An order written while
     * a terminal is connecting can reach it twice, from pendingOrders and from the pump (at
     * least once, as the protocol says); the tests count exact deliveries, so they write their
     * orders after that moment.
     */
    void settleConnections()
    {
      std::this_thread::sleep_for(50ms);
      mSink->flush();
    }

    fs::path mDir;
    std::unique_ptr<gd::store::test::TestStore> mStore;
    gd::store::StoreLocation mLocation; //!< the store (a file or a database)
    std::unique_ptr<gd::store::ConfigDirectory> mConfig;
    std::unique_ptr<gd::core::Workflow> mWorkflow;
    std::unique_ptr<gd::core::SlaClock> mClock;
    gd::core::ConferenceConfig mConference;
    gd::core::DemoDistrict mDistrict;
    gd::core::GeoPoint mCentre;
    std::vector<std::unique_ptr<Terminal>> mTerminals;
    std::unique_ptr<gd::ingest::StoreSink> mSink;
    std::unique_ptr<gd::feed::Gateway> mGateway;
    std::unique_ptr<gd::ingest::OrderPump> mPump;
    std::unique_ptr<SimThread> mSim = std::make_unique<SimThread>();
};

} // namespace

TEST_F(OrderPumpTest, TheAlertReachesExactlyTheTerminalsInsideTheRadiusLiveAndTheirAcksComeBack)
{
  // Terminal 3 (inside, 350 m) is offline when the alert goes out.
  for (std::size_t i = 0; i < mTerminals.size(); ++i)
    if (i != 3)
      connect(*mTerminals[i]);
  ASSERT_TRUE(waitUntil([&] { return mGateway->stats().terminalsOnline == 5; }));
  settleConnections();

  std::string incident;
  std::vector<gd::store::AlertDelivery> deliveries;
  {
    auto db = writerConnection();
    gd::store::EmergencyStore emergencies(*db, *mWorkflow, mClock.get(), &mConfig->departments, &mConference);
    gd::store::EmergencyDeclaration declaration;
    declaration.centre = mCentre;
    declaration.radiusM = 500;
    declaration.actor = "值班长";
    declaration.at = gd::store::nowUtc();
    incident = emergencies.declare(declaration).incident;
    deliveries = emergencies.broadcastAlert(incident, "燃气泄漏，请疏散群众", "值班长", gd::store::nowUtc());
  }
  std::vector<std::string> devices;
  for (const auto &d : deliveries)
    devices.push_back(d.deviceId);
  std::sort(devices.begin(), devices.end());
  EXPECT_EQ(devices, (std::vector<std::string>{"HS-0", "HS-1", "HS-2", "HS-3"}));

  // The connected ones inside receive it without reconnecting, and acknowledge it.
  const auto acked = [&](std::size_t expected) {
    return [&, expected] {
      gd::store::Database db(mLocation, gd::store::Database::Mode::ReadOnly);
      const gd::core::Workflow readOnly;
      std::size_t n = 0;
      for (const auto &a : gd::store::EmergencyStore(db, readOnly, nullptr).alerts(incident))
        n += a.ackedAt ? 1 : 0;
      return n == expected;
    };
  };
  ASSERT_TRUE(waitUntil(acked(3))) << "the three connected terminals inside did not acknowledge";

  // The offline one inside gets it when it connects (FrameSink::pendingOrders).
  connect(*mTerminals[3]);
  ASSERT_TRUE(waitUntil(acked(4)));

  // Let the pump poll a few more times: nothing is delivered twice, nothing to the outside.
  std::this_thread::sleep_for(300ms);
  for (const auto &t : mTerminals)
  {
    const auto received = mSim->call([&] { return t->counters.ordersReceived; });
    EXPECT_EQ(received, t->metres <= 500 ? 1u : 0u) << t->device << " at " << t->metres << " m";
  }
  {
    gd::store::Database db(mLocation, gd::store::Database::Mode::ReadOnly);
    EXPECT_TRUE(gd::store::OrderStore(db).pending("HS-4").empty());
    EXPECT_TRUE(gd::store::OrderStore(db).pending("HS-5").empty());
    const gd::core::Workflow readOnly;
    const auto timeline = gd::store::EmergencyStore(db, readOnly, nullptr).timeline(incident);
    std::size_t acks = 0;
    for (const auto &entry : timeline)
      acks += entry.kind == gd::store::TimelineKind::Ack ? 1 : 0;
    EXPECT_EQ(acks, 4u);
  }
  EXPECT_EQ(mPump->delivered(), 4u); // HS-3's was handed over too, and dropped while it was offline
}

TEST_F(OrderPumpTest, AnUrgeReachesTheConnectedHandsetWithoutAReconnect)
{
  Terminal &t = *mTerminals[1];
  TestClient client(mGateway->port());
  ASSERT_EQ(client.login(t.device, t.token)["type"], "welcome");
  ASSERT_TRUE(client.sendFrame({{"type", "ping"}}));
  ASSERT_EQ(client.readFrame()["type"], "pong");
  settleConnections();

  std::string number;
  {
    auto db = writerConnection();
    gd::store::CaseStore cases(*db, *mWorkflow, mClock.get());
    const auto at = gd::store::nowUtc();
    gd::core::CaseCommand report{gd::core::CaseAction::Report, "op", at, "",
                                 {.category = "0301", .lon = mCentre.lon, .lat = mCentre.lat, .grid = "", .title = "楼道堆放杂物堵塞消防通道"}};
    number = cases.report(report);
    for (auto action : {gd::core::CaseAction::Register, gd::core::CaseAction::Accept})
      cases.apply(number, {action, "op", at, "", {}});
    cases.apply(number, {gd::core::CaseAction::Assign, "op", at, "", {.lead = "fire", .worker = t.worker}});
    gd::store::UrgeRequest urge;
    urge.numbers = {number};
    urge.actor = "督办科";
    urge.opinion = "请于今日17时前反馈";
    urge.now = at;
    ASSERT_TRUE(gd::store::SupervisionStore(*db, *mWorkflow, mClock.get()).urge(urge)[0].done);
  }
  const nlohmann::json order = client.readFrame(3s);
  ASSERT_EQ(order.value("type", ""), "order") << order.dump();
  EXPECT_EQ(order["kind"], "urge");
  EXPECT_EQ(order["message"], "请于今日17时前反馈");
  EXPECT_EQ(order["case"]["number"], number);
  EXPECT_EQ(order["case"]["category"], "0301");
  // Not sent again by the pump.
  EXPECT_TRUE(client.readFrame(400ms).is_null());
}

TEST_F(OrderPumpTest, ThePumpStartsAfterTheOrdersAlreadyThereAndHandsEachNewOneOver)
{
  {
    auto db = writerConnection();
    gd::store::OrderStore(*db).create("HS-0", gd::store::OrderKind::Alert, "", "old", std::nullopt, gd::store::nowUtc());
  }
  std::vector<std::pair<std::string, std::int64_t>> handed;
  gd::ingest::OrderPump pump(mLocation, [&](const std::string &device, gd::feed::OrderFrame frame) {
    handed.emplace_back(device, frame.order);
  });
  EXPECT_EQ(pump.pollOnce(), 0u);
  std::int64_t acked = 0, fresh = 0;
  {
    auto db = writerConnection();
    gd::store::OrderStore orders(*db);
    acked = orders.create("HS-1", gd::store::OrderKind::Alert, "", "acked before the poll", std::nullopt, gd::store::nowUtc());
    orders.acknowledge("HS-1", acked, gd::store::nowUtc());
    fresh = orders.create("HS-2", gd::store::OrderKind::Alert, "", "new", std::nullopt, gd::store::nowUtc());
  }
  EXPECT_EQ(pump.pollOnce(), 1u);
  EXPECT_EQ(pump.pollOnce(), 0u);
  ASSERT_EQ(handed.size(), 1u);
  EXPECT_EQ(handed[0], std::make_pair(std::string("HS-2"), fresh));
}

TEST_F(OrderPumpTest, AfterALostConnectionThePumpConnectsAgainAndGoesOnFromItsCursor)
{
  if (!gd::store::test::storesOnPostgres())
    GTEST_SKIP() << "a connection to lose is a server's (PostgreSQL); a store file has none";
  std::vector<std::int64_t> handed;
  gd::ingest::OrderPump pump(mLocation, [&](const std::string &, gd::feed::OrderFrame frame) { handed.push_back(frame.order); });
  auto db = writerConnection();
  gd::store::OrderStore orders(*db);
  const std::int64_t first = orders.create("HS-1", gd::store::OrderKind::Alert, "", "before", std::nullopt, gd::store::nowUtc());
  EXPECT_EQ(pump.pollOnce(), 1u);
  // The server ends every other session of the database (a restart, a failover, a network cut
  // look the same to the pump): its next poll fails.
  db->scalarInt("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  EXPECT_THROW(pump.pollOnce(), gd::store::StoreError);
  const std::int64_t second = orders.create("HS-2", gd::store::OrderKind::Alert, "", "after", std::nullopt, gd::store::nowUtc());
  // The next poll connects again and hands over what came since its cursor, once.
  EXPECT_EQ(pump.pollOnce(), 1u);
  EXPECT_EQ(pump.pollOnce(), 0u);
  EXPECT_EQ(handed, (std::vector<std::int64_t>{first, second}));
}
