// The real griddispatch-gateway process runs what it runs beside the feed: orders written to the
// store by another process (here: an urge) reach a connected handset live, and the supervision
// rules escalate an overdue case on their own.
#include "core/demodistrict.h"
#include "store/cases/caseeventjson.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/gatewayroster.h"
#include "store/schema.h"
#include "store/supervision/supervisionstore.h"
#include "store/timetext.h"

#include "support/restartport.h"
#include "support/testclient.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using gd::feed::test::accepting;
using namespace std::chrono_literals;
using gd::core::CaseAction;

namespace {

//! A case of worker \a worker assigned at \a at (category 0301: handle within 3 working days).
std::string assignedCase(gd::store::CaseStore &cases, const std::string &grid, const std::string &worker, gd::core::TimePoint at)
{
  const auto cmd = [&](CaseAction action, nlohmann::json data = nlohmann::json::object()) {
    return gd::core::CaseCommand{action, "op", at, "", gd::store::caseDetailsFromJson(data)};
  };
  const std::string number =
    cases.report(cmd(CaseAction::Report, {{"category", "0301"}, {"lon", 98.5}, {"lat", 39.7}, {"grid", grid}, {"title", "堵塞"}}));
  cases.apply(number, cmd(CaseAction::Register));
  cases.apply(number, cmd(CaseAction::Accept));
  cases.apply(number, cmd(CaseAction::Assign, {{"lead", "fire"}, {"worker", worker}}));
  return number;
}

} // namespace

TEST(GatewayServices, OrdersFromAnotherProcessArriveLiveAndTheRulesRunOnTheirOwn)
{
  const fs::path dir = fs::temp_directory_path() / ("gd-services-" + std::to_string(std::random_device()()));
  fs::create_directories(dir);
  const fs::path store = dir / "store.gpkg";
  const auto config = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
  const gd::core::Workflow workflow(&config->departments);
  const gd::core::SlaClock clock(config->catalog, config->calendar);

  gd::core::DemoDistrictOptions options;
  options.seed = 3;
  options.townships = 1;
  options.communities = 2;
  options.grids = 4;
  options.microGrids = 8;
  options.radiusMeters = 2000;
  const gd::core::DemoDistrict district = gd::core::generateDemoDistrict(options);
  const gd::core::GridNode *grid = district.tree.nodesAt(gd::core::GridLevel::Grid).front();
  const std::string micro = district.tree.children(grid->code).front()->code.str();
  const std::string worker = grid->workers.front().id;
  std::string token, overdue;
  {
    auto db = gd::store::Schema::openOrCreate(store);
    gd::store::writeDemoDistrict(*db, district);
    token = gd::store::DeviceRegistry(*db).add("HS-1", worker, gd::store::nowUtc());
    gd::store::CaseStore cases(*db, workflow, &clock);
    overdue = assignedCase(cases, micro, worker, gd::store::nowUtc() - std::chrono::hours(24 * 30));
  }

  const std::uint16_t port = gd::feed::test::portForRestarts();
  const std::string program = std::string(GD_BINARY_DIR) + "/src/apps/gateway/griddispatch-gateway";
  const pid_t gateway = fork();
  if (gateway == 0)
  {
    freopen("/dev/null", "w", stderr);
    const std::string db = store.string(), listen = "127.0.0.1:" + std::to_string(port);
    execl(program.c_str(), program.c_str(), "--db", db.c_str(), "--listen", listen.c_str(), "--rules-every", "0.2",
          static_cast<char *>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500 && !accepting(port); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(accepting(port));

  // The rules: the case 30 days late is escalated one level up by the gateway, once.
  const auto escalations = [&] {
    gd::store::Database db(store, gd::store::Database::Mode::ReadOnly);
    int n = 0;
    for (const auto &e : gd::store::CaseStore(db, workflow).events(overdue))
      n += e.action == CaseAction::Escalate && e.actor == "rule:escalate_overdue" ? 1 : 0;
    return n;
  };
  for (int i = 0; i < 500 && escalations() == 0; ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(escalations(), 1);

  // The pump: an urge written by this process reaches the connected handset without a reconnect.
  gd::feed::test::TestClient client(port);
  ASSERT_EQ(client.login("HS-1", token)["type"], "welcome");
  ASSERT_TRUE(client.sendFrame({{"type", "ping"}}));
  ASSERT_EQ(client.readFrame()["type"], "pong");
  std::this_thread::sleep_for(300ms); // the connection's pending orders have been read
  std::string urged;
  {
    auto db = gd::store::Schema::open(store);
    gd::store::CaseStore cases(*db, workflow, &clock);
    urged = assignedCase(cases, micro, worker, gd::store::nowUtc());
    gd::store::UrgeRequest request;
    request.numbers = {urged};
    request.actor = "督办科";
    request.opinion = "请尽快处置";
    request.now = gd::store::nowUtc();
    ASSERT_TRUE(gd::store::SupervisionStore(*db, workflow, &clock).urge(request)[0].done);
  }
  const nlohmann::json order = client.readFrame(5s);
  EXPECT_EQ(order.value("type", ""), "order") << order.dump();
  EXPECT_EQ(order.value("kind", ""), "urge");
  EXPECT_EQ(order["case"].value("number", ""), urged);

  std::this_thread::sleep_for(500ms); // more rule runs: still one escalation
  EXPECT_EQ(escalations(), 1);

  // The heartbeat: every console of the store sees this gateway and its terminal, and that it
  // stopped once it did.
  const auto heartbeat = [&] {
    gd::store::Database db(store, gd::store::Database::Mode::ReadOnly);
    const auto rows = gd::store::GatewayRoster(db).list();
    return rows.empty() ? gd::store::GatewayBeat() : rows.front();
  };
  for (int i = 0; i < 100 && heartbeat().terminalsOnline != 1; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(heartbeat().listen, "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(heartbeat().terminalsOnline, 1);
  kill(gateway, SIGTERM);
  int status = 0;
  waitpid(gateway, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_TRUE(heartbeat().stoppedAt);
  fs::remove_all(dir);
}

// Issue 14, defect 9: a --catalog the store's configuration does not share let reports through
// that the store then refused (and the terminal dropped for good). One catalog, checked at start.
TEST(GatewayServices, ACatalogThatIsNotTheStoresIsRefusedAtStart)
{
  const fs::path dir = fs::temp_directory_path() / ("gd-catalog-" + std::to_string(std::random_device()()));
  fs::create_directories(dir);
  const fs::path store = dir / "store.gpkg";
  gd::store::Schema::openOrCreate(store).reset();
  // The shipped catalog with category 0301 renumbered 0399.
  std::ifstream in(gd::store::ConfigDirectory::defaultPath() / "catalog.conf");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // 0301 renamed 0399 wherever it stands (its category line and its keywords line).
  std::size_t renamed = 0;
  for (auto at = text.find("| 0301 |"); at != std::string::npos; at = text.find("| 0301 |", at))
  {
    text.replace(at, 8, "| 0399 |");
    ++renamed;
  }
  ASSERT_NE(renamed, 0u);
  const fs::path catalog = dir / "other.conf";
  std::ofstream(catalog) << text;

  const fs::path errFile = dir / "stderr.txt";
  const std::string program = std::string(GD_BINARY_DIR) + "/src/apps/gateway/griddispatch-gateway";
  const pid_t gateway = fork();
  if (gateway == 0)
  {
    freopen(errFile.c_str(), "w", stderr);
    execl(program.c_str(), program.c_str(), "--db", store.c_str(), "--listen", "127.0.0.1:0", "--catalog",
          catalog.c_str(), "--rules-every", "0", static_cast<char *>(nullptr));
    _exit(127);
  }
  int status = 0;
  for (int i = 0; i < 500 && waitpid(gateway, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(10ms);
  if (waitpid(gateway, &status, WNOHANG) == 0)
  {
    kill(gateway, SIGKILL);
    waitpid(gateway, &status, 0);
    FAIL() << "the gateway started with a catalog the store does not share";
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::ifstream errIn(errFile);
  const std::string err((std::istreambuf_iterator<char>(errIn)), std::istreambuf_iterator<char>());
  EXPECT_NE(err.find(catalog.string() + " is not the catalog of the store's configuration"), std::string::npos) << err;
  EXPECT_NE(err.find("category 0399 ("), std::string::npos) << err;
  EXPECT_NE(err.find("category 0301 ("), std::string::npos) << err;
  fs::remove_all(dir);
}

// Issue 17: the gateway backs its store up on a schedule (a PeriodicThread, a connection of its
// own) while a terminal goes on reporting, keeps the newest --backup-keep, records each backup,
// and at start records the configuration files it has not seen (config_change, as the OS user).
TEST(GatewayServices, ScheduledBackupsRunWhileTerminalsReportAndKeepTheNewest)
{
  const fs::path dir = fs::temp_directory_path() / ("gd-backups-" + std::to_string(std::random_device()()));
  fs::create_directories(dir);
  const fs::path store = dir / "store.gpkg";
  const fs::path backups = dir / "backups";
  gd::core::DemoDistrictOptions options;
  options.seed = 5;
  options.townships = 1;
  options.communities = 1;
  options.grids = 2;
  options.microGrids = 4;
  options.radiusMeters = 1500;
  const gd::core::DemoDistrict district = gd::core::generateDemoDistrict(options);
  const gd::core::GridNode *grid = district.tree.nodesAt(gd::core::GridLevel::Grid).front();
  const std::string worker = grid->workers.front().id;
  std::string token;
  {
    auto db = gd::store::Schema::openOrCreate(store);
    gd::store::writeDemoDistrict(*db, district);
    token = gd::store::DeviceRegistry(*db).add("HS-9", worker, gd::store::nowUtc());
  }
  const auto rowsOf = [&](const std::string &action) {
    gd::store::Database db(store, gd::store::Database::Mode::ReadOnly);
    return db.scalarInt("SELECT count(*) FROM audit_log WHERE action = '" + action + "'");
  };

  const std::uint16_t port = gd::feed::test::portForRestarts();
  const std::string program = std::string(GD_BINARY_DIR) + "/src/apps/gateway/griddispatch-gateway";
  const pid_t gateway = fork();
  if (gateway == 0)
  {
    freopen("/dev/null", "w", stderr);
    const std::string db = store.string(), listen = "127.0.0.1:" + std::to_string(port), out = backups.string();
    // 0.0002 h: a backup every 0.72 s.
    execl(program.c_str(), program.c_str(), "--db", db.c_str(), "--listen", listen.c_str(), "--rules-every", "0",
          "--backup-dir", out.c_str(), "--backup-every", "0.0002", "--backup-keep", "2", static_cast<char *>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500 && !accepting(port); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(accepting(port));
  gd::feed::test::TestClient client(port);
  ASSERT_EQ(client.login("HS-9", token)["type"], "welcome");
  // The terminal is answered throughout: the backups do not stop ingest.
  for (int i = 0; i < 600 && rowsOf("store_backup") < 4; ++i)
  {
    ASSERT_TRUE(client.sendFrame({{"type", "ping"}}));
    ASSERT_EQ(client.readFrame(5s)["type"], "pong");
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_GE(rowsOf("store_backup"), 4);
  kill(gateway, SIGTERM);
  int status = 0;
  waitpid(gateway, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  int files = 0;
  fs::path newest;
  for (const auto &e : fs::directory_iterator(backups))
    if (e.path().extension() == ".gpkg")
    {
      ++files;
      newest = std::max(newest, e.path());
    }
  EXPECT_EQ(files, 2) << "--backup-keep 2";
  // A first start on this store: every configuration file recorded once.
  std::size_t configFiles = 0;
  for (const auto &e : fs::recursive_directory_iterator(gd::store::ConfigDirectory::defaultPath()))
    configFiles += e.is_regular_file() && e.path().filename().string().front() != '.' ? 1 : 0;
  EXPECT_EQ(rowsOf("config_change"), static_cast<std::int64_t>(configFiles));
  {
    gd::store::Database backup(newest, gd::store::Database::Mode::ReadOnly);
    EXPECT_EQ(backup.scalarInt("SELECT count(*) FROM devices"), 1);
  }
  fs::remove_all(dir);
}
