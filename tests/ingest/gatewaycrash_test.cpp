// Crash test of the whole ingest path: the real griddispatch-gateway process on a store file is
// SIGKILLed at random moments while simulated terminals send at full tilt, and restarted, over
// and over. Afterwards every acknowledged frame is in the store exactly once, and the terminals'
// resends after each restart have filled every gap: each device's frames 1..N are all applied,
// each once (one track point per position, one case per report), and every case has exactly
// one report frame behind it.
#include "core/demodistrict.h"
#include "feed/simterminal.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "store/schema.h"
#include "store/timetext.h"
#include "support/restartport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using gd::feed::test::accepting;
using namespace std::chrono_literals;

namespace {

pid_t startGateway(const fs::path &store, std::uint16_t port)
{
  const std::string program = std::string(GD_BINARY_DIR) + "/src/apps/gateway/griddispatch-gateway";
  const std::string db = store.string();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  const pid_t pid = fork();
  if (pid == 0)
  {
    // Quiet child: its log would only interleave with the test's.
    freopen("/dev/null", "w", stderr);
    execl(program.c_str(), program.c_str(), "--db", db.c_str(), "--listen", listen.c_str(), "--stats-every", "3600",
          static_cast<char *>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500 && !accepting(port); ++i)
    std::this_thread::sleep_for(10ms);
  return pid;
}

} // namespace

TEST(GatewayCrash, EveryAcknowledgedFrameSurvivesRepeatedSigkill)
{
  const fs::path dir = fs::temp_directory_path() / ("gd-crash-" + std::to_string(std::random_device()()));
  fs::create_directories(dir);
  const fs::path store = dir / "store.gpkg";

  gd::core::DemoDistrictOptions options;
  options.seed = 11;
  options.townships = 2;
  options.communities = 4;
  options.grids = 16;
  options.microGrids = 40;
  options.radiusMeters = 3000;
  const gd::core::DemoDistrict district = gd::core::generateDemoDistrict(options);
  constexpr int kTerminals = 8;
  std::vector<std::pair<std::string, std::string>> credentials;
  {
    auto db = gd::store::Schema::openOrCreate(store);
    gd::store::writeDemoDistrict(*db, district);
    gd::store::DeviceRegistry devices(*db);
    const auto grids = district.tree.nodesAt(gd::core::GridLevel::Grid);
    for (int i = 0; i < kTerminals; ++i)
    {
      const std::string id = "HS-" + std::to_string(i + 1);
      credentials.emplace_back(id, devices.add(id, grids[static_cast<std::size_t>(i)]->workers.front().id, gd::store::nowUtc()));
    }
  }

  const std::uint16_t port = gd::feed::test::portForRestarts();
  pid_t gateway = startGateway(store, port);
  ASSERT_TRUE(accepting(port));

  boost::asio::io_context io;
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
  gd::feed::SimCounters counters;
  std::vector<std::shared_ptr<gd::feed::SimTerminal>> terminals;
  const gd::core::GridNode *root = district.tree.nodesAt(gd::core::GridLevel::District).front();
  for (int i = 0; i < kTerminals; ++i)
  {
    gd::feed::SimTerminalConfig config;
    config.port = port;
    config.device = credentials[static_cast<std::size_t>(i)].first;
    config.token = credentials[static_cast<std::size_t>(i)].second;
    config.framesPerSecond = 150;
    config.reportShare = 0.3;
    config.categories = {{"0301", "楼道堆放杂物", 1.0}, {"0401", "路灯损坏", 1.0}};
    config.home = root->area.front().outer.front();
    config.home.lon += 0.01;
    config.patrolRadiusM = 800;
    config.reconnectDelay = 30ms;
    config.seed = static_cast<std::uint32_t>(i + 1);
    terminals.push_back(gd::feed::SimTerminal::create(io, tls, config, counters));
    terminals.back()->start();
  }
  auto work = boost::asio::make_work_guard(io);
  std::thread ioThread([&io] { io.run(); });

  std::mt19937 random(20261122);
  constexpr int kKills = 20;
  for (int kill = 0; kill < kKills; ++kill)
  {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(80, 400)(random)));
    ::kill(gateway, SIGKILL);
    int status = 0;
    waitpid(gateway, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the gateway had already stopped before kill " << kill;
    gateway = startGateway(store, port);
    ASSERT_TRUE(accepting(port)) << "the gateway did not come back after kill " << kill;
  }

  // Let the terminals finish: everything they generated must end up acknowledged.
  boost::asio::post(io, [&] {
    for (auto &terminal : terminals)
      terminal->stopGenerating();
  });
  std::atomic<bool> drained = false;
  for (int i = 0; i < 600 && !drained; ++i)
  {
    std::this_thread::sleep_for(50ms);
    boost::asio::post(io, [&] {
      bool all = true;
      for (auto &terminal : terminals)
        all = all && terminal->unacknowledged() == 0 && terminal->ackedSeq() == terminal->lastSeq();
      drained = all;
    });
  }
  std::vector<std::int64_t> lastSeqs;
  std::uint64_t acked = 0;
  boost::asio::post(io, [&] {
    for (auto &terminal : terminals)
    {
      lastSeqs.push_back(terminal->lastSeq());
      terminal->stop();
    }
    acked = counters.acked;
  });
  work.reset();
  ioThread.join();
  ::kill(gateway, SIGTERM);
  int status = 0;
  waitpid(gateway, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the gateway did not stop cleanly on SIGTERM";
  ASSERT_TRUE(drained) << "terminals still had unacknowledged frames";
  ASSERT_EQ(lastSeqs.size(), static_cast<std::size_t>(kTerminals));

  gd::store::Database db(store, gd::store::Database::Mode::ReadOnly);
  EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
  std::int64_t frames = 0;
  for (int i = 0; i < kTerminals; ++i)
  {
    const std::string &device = credentials[static_cast<std::size_t>(i)].first;
    const std::int64_t last = lastSeqs[static_cast<std::size_t>(i)];
    EXPECT_GT(last, 50) << device << " sent too little for the test to mean anything";
    auto q = db.query("SELECT last_seq FROM devices WHERE id = ?");
    q.bindAll(device);
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q->columnInt(0), last) << device;
    // Frames 1..last, each applied once: what they did adds up to exactly last frames — one
    // track point per position, one case per report (a resend is a duplicate by last_seq and
    // adds nothing; a lost frame would leave the sum short).
    auto effects = db.query("SELECT (SELECT COUNT(*) FROM positions WHERE device_id = ?1) + "
                            "(SELECT COUNT(*) FROM case_events WHERE action = 'report' AND actor = 'device:' || ?1)");
    effects.bindAll(device);
    ASSERT_TRUE(effects.step());
    EXPECT_EQ(effects->columnInt(0), last) << device;
    // And by seq (schema revision 8: each fix carries its frame's seq, every other frame is in
    // applied_frames): the seqs stored are exactly 1..last, each once, so the last_seq the
    // gateway recovered after each SIGKILL (from the fixes above the published mark) neither
    // skipped a frame nor let one be applied twice.
    auto seqs = db.query("SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM "
                         "(SELECT seq FROM positions WHERE device_id = ?1 UNION ALL SELECT seq FROM applied_frames WHERE device_id = ?1)");
    seqs.bindAll(device);
    ASSERT_TRUE(seqs.step());
    EXPECT_EQ(seqs->columnInt(0), last) << device;
    EXPECT_EQ(seqs->columnInt(1), last) << device;
    EXPECT_EQ(seqs->columnInt(2), 1) << device;
    EXPECT_EQ(seqs->columnInt(3), last) << device;
    frames += last;
  }
  // Every case has exactly one report frame behind it, and every applied report made one case.
  const std::int64_t cases = db.scalarInt("SELECT COUNT(*) FROM cases");
  EXPECT_GT(cases, 100);
  EXPECT_EQ(db.scalarInt("SELECT COUNT(DISTINCT result) FROM applied_frames WHERE result LIKE '______-________-%'"), cases);
  EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM applied_frames WHERE result LIKE '______-________-%'"), cases);
  EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM cases WHERE number NOT IN (SELECT result FROM applied_frames)"), 0);
  RecordProperty("frames", static_cast<int>(frames));
  RecordProperty("acks", static_cast<int>(acked));
  std::cout << "[ crash    ] " << kKills << " SIGKILLs, " << frames << " frames from " << kTerminals << " terminals, "
            << cases << " cases, " << acked << " acks received (duplicates included)\n";
  fs::remove_all(dir);
}
