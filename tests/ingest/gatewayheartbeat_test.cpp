// Every gateway of a store says how it is (issue 16): each GatewayService writes its row in
// gateway_heartbeats every GatewayRoster::kBeatEvery, so every console's feed monitor sees the
// terminals of all the center's gateways, not only its own; a clean stop says so at once.
#include "ingest/gatewayservice.h"
#include "core/demodistrict.h"
#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/gatewayroster.h"
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "store/timetext.h"
#include "storebackend.h"
#include "support/testclient.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>
#include <thread>

using gd::feed::test::TestClient;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

class GatewayHeartbeatTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mDir = fs::temp_directory_path() / ("gd-heartbeat-" + std::to_string(std::random_device()()));
      fs::create_directories(mDir);
      mStore = std::make_unique<gd::store::test::TestStore>(mDir / "store.gpkg");
      gd::core::DemoDistrictOptions options;
      options.seed = 5;
      options.townships = 1;
      options.communities = 1;
      options.grids = 2;
      options.microGrids = 4;
      options.radiusMeters = 1000;
      const gd::core::DemoDistrict district = gd::core::generateDemoDistrict(options);
      auto db = gd::store::Schema::openOrCreate(mStore->location());
      gd::store::writeDemoDistrict(*db, district);
      const std::string worker = district.tree.nodesAt(gd::core::GridLevel::Grid).front()->workers.front().id;
      gd::store::DeviceRegistry devices(*db);
      mTokens = {devices.add("HS-1", worker, gd::store::nowUtc()), devices.add("HS-2", worker, gd::store::nowUtc()),
                 devices.add("HS-3", worker, gd::store::nowUtc())};
    }
    void TearDown() override
    {
      mStore.reset();
      fs::remove_all(mDir);
    }

    std::unique_ptr<gd::ingest::GatewayService> startGateway()
    {
      gd::feed::GatewayConfig config;
      config.host = "127.0.0.1";
      gd::ingest::GatewayServiceOptions options;
      options.rulesEvery = 0ms;
      auto service = std::make_unique<gd::ingest::GatewayService>(mStore->location(), config, options);
      service->start();
      return service;
    }

    std::vector<gd::store::GatewayBeat> roster()
    {
      gd::store::Database db(mStore->location(), gd::store::Database::Mode::ReadOnly);
      return gd::store::GatewayRoster(db).list();
    }

    //! Reads the roster until \a ready holds (a beat comes every 2 s); the last read either way.
    std::vector<gd::store::GatewayBeat> rosterWhen(const std::function<bool(const std::vector<gd::store::GatewayBeat> &)> &ready)
    {
      std::vector<gd::store::GatewayBeat> rows;
      for (int attempt = 0; attempt < 150; ++attempt)
      {
        rows = roster();
        if (ready(rows))
          break;
        std::this_thread::sleep_for(100ms);
      }
      return rows;
    }

    static const gd::store::GatewayBeat *withListen(const std::vector<gd::store::GatewayBeat> &rows, std::uint16_t port)
    {
      for (const auto &row : rows)
        if (row.listen == "127.0.0.1:" + std::to_string(port))
          return &row;
      return nullptr;
    }

    fs::path mDir;
    std::unique_ptr<gd::store::test::TestStore> mStore;
    std::vector<std::string> mTokens;
};

} // namespace

TEST_F(GatewayHeartbeatTest, EachGatewayReportsItsTerminalsAndAStopIsSaidAtOnce)
{
  auto a = startGateway();
  auto b = startGateway();
  const std::uint16_t portA = a->gateway().port(), portB = b->gateway().port();
  TestClient one(portA), two(portB), three(portB);
  ASSERT_EQ(one.login("HS-1", mTokens[0])["type"], "welcome");
  ASSERT_EQ(two.login("HS-2", mTokens[1])["type"], "welcome");
  ASSERT_EQ(three.login("HS-3", mTokens[2])["type"], "welcome");
  ASSERT_TRUE(one.sendFrame({{"type", "position"}, {"seq", 1}, {"lat", 39.7}, {"lon", 98.5}, {"crs", "CGCS2000"}}));
  ASSERT_EQ(one.readFrame()["type"], "ack");

  auto rows = rosterWhen([&](const auto &r) {
    const auto *ra = withListen(r, portA), *rb = withListen(r, portB);
    return ra && rb && ra->terminalsOnline == 1 && rb->terminalsOnline == 2 && ra->framesStored == 1;
  });
  ASSERT_EQ(rows.size(), 2u);
  const auto now = gd::store::nowUtc();
  for (const auto &row : rows)
  {
    EXPECT_TRUE(gd::store::GatewayRoster::isLive(row, now)) << row.listen;
    EXPECT_FALSE(row.host.empty());
    EXPECT_FALSE(row.instance.empty());
    EXPECT_LE(row.startedAt, row.seenAt);
    EXPECT_FALSE(row.storeDown);
  }
  ASSERT_TRUE(withListen(rows, portA));
  ASSERT_TRUE(withListen(rows, portB));
  EXPECT_EQ(withListen(rows, portA)->terminalsOnline, 1);
  EXPECT_EQ(withListen(rows, portB)->terminalsOnline, 2);
  EXPECT_EQ(withListen(rows, portA)->framesStored, 1);
  EXPECT_NE(withListen(rows, portA)->instance, withListen(rows, portB)->instance);

  // A clean stop is in the roster when stop() returns: no terminal counted there any more.
  b->stop();
  rows = roster();
  const auto *stopped = withListen(rows, portB);
  ASSERT_TRUE(stopped);
  ASSERT_TRUE(stopped->stoppedAt);
  EXPECT_EQ(stopped->terminalsOnline, 0);
  EXPECT_FALSE(gd::store::GatewayRoster::isLive(*stopped, gd::store::nowUtc()));
  EXPECT_TRUE(withListen(rows, portA) && !withListen(rows, portA)->stoppedAt);
}
