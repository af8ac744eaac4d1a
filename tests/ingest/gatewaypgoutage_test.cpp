// The real griddispatch-gateway process on PostgreSQL through database outages, with simulated
// terminals sending at full tilt (issue 16, "Faults" and "High availability"):
//  - the server stopped (`pg_ctl stop -m immediate`) for seconds and started again, then its
//    postmaster SIGKILLed and restarted: the same gateway process, never restarted, withholds
//    acks while the server is down and acks again once it is back, and the terminals reconnect
//    by themselves;
//  - a primary with a synchronous standby, the gateway on the multi-host URI
//    (target_session_attrs=read-write): the primary SIGKILLed, the standby promoted; the gateway
//    goes on on the promoted standby by itself.
// Afterwards every frame a terminal saw acknowledged is in the database, by (device, seq), and
// no (device, seq) is stored twice. Each test has a cluster of its own with fsync on (Durable):
// it stops and kills the server, which the run's shared cluster must not suffer, and what is
// measured is what survives. Prints the figures (acked, resent, restart or kill -> acks again).
// docs/reliability.md ("Gateway") lists them.
#include "core/demodistrict.h"
#include "feed/simterminal.h"
#include "pgcluster.h"
#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "store/storelocation.h"
#include "store/timetext.h"
#include "support/restartport.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using gd::feed::test::accepting;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kTerminals = 10;

std::string readFile(const fs::path &path)
{
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

//! Polls \a done every 20 ms until it holds or \a limit passed; whether it held.
bool eventually(const std::function<bool()> &done, std::chrono::seconds limit)
{
  const auto deadline = Clock::now() + limit;
  while (!done())
  {
    if (Clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

double secondsSince(Clock::time_point since)
{
  return std::chrono::duration<double>(Clock::now() - since).count();
}

//! What the terminals saw, read on their io thread.
struct Snapshot
{
  std::vector<std::int64_t> ackedSeq; //!< per terminal: every seq up to it was acknowledged
  std::uint64_t acked = 0;            //!< acks received (duplicates included)
  std::uint64_t resent = 0;
  std::uint64_t welcomes = 0;
  std::size_t unacknowledged = 0;

  std::int64_t ackedFrames() const
  {
    std::int64_t sum = 0;
    for (const std::int64_t seq : ackedSeq)
      sum += seq;
    return sum;
  }
};

class GatewayPgOutageTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mDir = fs::temp_directory_path() / ("gd-pgoutage-" + std::to_string(std::random_device()()));
      fs::create_directories(mDir);
    }

    void TearDown() override
    {
      stopTerminals();
      stopGateway();
      if (std::getenv("GD_DEBUG_KEEP")) std::cout << "KEPT " << mDir << "\n"; else
      fs::remove_all(mDir);
    }

    //! A small demo district with terminals HS-1..HS-kTerminals in the (empty) database at \a db.
    void createStore(const std::string &db)
    {
      gd::core::DemoDistrictOptions options;
      options.seed = 12;
      options.townships = 1;
      options.communities = 2;
      options.grids = kTerminals;
      options.microGrids = 20;
      options.radiusMeters = 2000;
      mDistrict = gd::core::generateDemoDistrict(options);
      auto store = gd::store::Schema::openOrCreate(gd::store::StoreLocation::parse(db));
      gd::store::writeDemoDistrict(*store, mDistrict);
      gd::store::DeviceRegistry devices(*store);
      const auto grids = mDistrict.tree.nodesAt(gd::core::GridLevel::Grid);
      for (int i = 0; i < kTerminals; ++i)
      {
        const std::string id = "HS-" + std::to_string(i + 1);
        mCredentials.emplace_back(
          id, devices.add(id, grids[static_cast<std::size_t>(i) % grids.size()]->workers.front().id, gd::store::nowUtc()));
      }
    }

    //! Starts griddispatch-gateway --db \a db (its stderr into gateway.log); waits until it accepts.
    void startGateway(const std::string &db)
    {
      mPort = gd::feed::test::portForRestarts();
      const std::string program = std::string(GD_BINARY_DIR) + "/src/apps/gateway/griddispatch-gateway";
      std::vector<std::string> args = {program, "--db", db, "--listen", "127.0.0.1:" + std::to_string(mPort),
                                       "--stats-every", "5"};
      const std::string log = (mDir / "gateway.log").string();
      mGateway = fork();
      if (mGateway == 0)
      {
        freopen(log.c_str(), "a", stderr);
        std::vector<char *> argv;
        for (std::string &arg : args)
          argv.push_back(arg.data());
        argv.push_back(nullptr);
        execv(program.c_str(), argv.data());
        _exit(127);
      }
      ASSERT_TRUE(eventually([&] { return accepting(mPort); }, 20s)) << readFile(mDir / "gateway.log");
    }

    //! Whether the gateway started by startGateway() still runs (it was never restarted).
    bool gatewayRunning()
    {
      int status = 0;
      return mGateway > 0 && waitpid(mGateway, &status, WNOHANG) == 0;
    }

    //! SIGTERM; true when the gateway exited with 0 within 20 s (else it is killed).
    bool stopGateway()
    {
      const bool clean = gd::feed::test::stopChild(mGateway, std::chrono::seconds(20));
      mGateway = -1;
      return clean;
    }

    //! kTerminals simulated terminals on their own io thread, 80 frames/s each, a fifth reports;
    //! they reconnect quickly (30 ms doubling up to 1 s) so that recovery is the gateway's, not their back-off.
    void startTerminals()
    {
      const gd::core::GridNode *root = mDistrict.tree.nodesAt(gd::core::GridLevel::District).front();
      for (int i = 0; i < kTerminals; ++i)
      {
        gd::feed::SimTerminalConfig config;
        config.port = mPort;
        config.device = mCredentials[static_cast<std::size_t>(i)].first;
        config.token = mCredentials[static_cast<std::size_t>(i)].second;
        config.framesPerSecond = 80;
        config.reportShare = 0.2;
        config.categories = {{"0301", "楼道堆放杂物", 1.0}, {"0401", "路灯损坏", 1.0}};
        config.home = root->area.front().outer.front();
        config.home.lon += 0.005;
        config.patrolRadiusM = 500;
        config.reconnectDelay = 30ms;
        config.reconnectDelayMax = 1000ms;
        config.seed = static_cast<std::uint32_t>(i + 1);
        mTerminals.push_back(gd::feed::SimTerminal::create(mIo, mTls, config, mCounters));
        mTerminals.back()->start();
      }
      mWork.emplace(boost::asio::make_work_guard(mIo));
      mIoThread = std::thread([this] { mIo.run(); });
    }

    template<typename F> auto onIo(F f) -> decltype(f())
    {
      std::promise<decltype(f())> result;
      boost::asio::post(mIo, [&] { result.set_value(f()); });
      return result.get_future().get();
    }

    Snapshot snapshot()
    {
      return onIo([this] {
        Snapshot s;
        for (const auto &terminal : mTerminals)
        {
          s.ackedSeq.push_back(terminal->ackedSeq());
          s.unacknowledged += terminal->unacknowledged();
        }
        s.acked = mCounters.acked;
        s.resent = mCounters.resent;
        s.welcomes = mCounters.connects;
        return s;
      });
    }

    //! Waits until every terminal has had frames acknowledged beyond \a before; the seconds it
    //! took for the first and for the last terminal (negative when it did not happen in \a limit).
    std::pair<double, double> waitForAcksBeyond(const Snapshot &before, Clock::time_point since, std::chrono::seconds limit)
    {
      double first = -1;
      double all = -1;
      eventually(
        [&] {
          const Snapshot now = snapshot();
          int beyond = 0;
          for (std::size_t i = 0; i < now.ackedSeq.size(); ++i)
            beyond += now.ackedSeq[i] > before.ackedSeq[i] ? 1 : 0;
          if (beyond > 0 && first < 0)
            first = secondsSince(since);
          if (beyond == static_cast<int>(now.ackedSeq.size()))
            all = secondsSince(since);
          return all >= 0;
        },
        limit);
      return {first, all};
    }

    //! Stops generating and waits until every frame generated is acknowledged; the last snapshot.
    Snapshot drain()
    {
      onIo([this] {
        for (auto &terminal : mTerminals)
          terminal->stopGenerating();
        return 0;
      });
      Snapshot last;
      const bool drained = eventually(
        [&] {
          last = snapshot();
          return last.unacknowledged == 0;
        },
        60s);
      EXPECT_TRUE(drained) << last.unacknowledged << " frames still unacknowledged a minute after the terminals stopped generating";
      return last;
    }

    void stopTerminals()
    {
      if (!mIoThread.joinable())
        return;
      onIo([this] {
        for (auto &terminal : mTerminals)
          terminal->stop();
        return 0;
      });
      mWork.reset();
      mIoThread.join();
    }

    //! Every frame up to \a acked.ackedSeq of each terminal is stored (a track point or an
    //! applied frame carrying its seq), and no (device, seq) is stored twice.
    void expectEveryAcknowledgedFrameStoredOnce(const std::string &db, const Snapshot &acked)
    {
      gd::store::Database check(gd::store::StoreLocation::parse(db));
      std::int64_t missing = 0;
      for (int i = 0; i < kTerminals; ++i)
      {
        const std::string &device = mCredentials[static_cast<std::size_t>(i)].first;
        const std::int64_t last = acked.ackedSeq[static_cast<std::size_t>(i)];
        EXPECT_GT(last, 100) << device << " sent too little for the test to mean anything";
        auto seqs = check.query("SELECT count(*), count(DISTINCT seq), count(DISTINCT seq) FILTER (WHERE seq BETWEEN 1 AND ?2) "
                                "FROM (SELECT seq FROM positions WHERE device_id = ?1 "
                                "UNION ALL SELECT seq FROM applied_frames WHERE device_id = ?1) AS frames");
        seqs.bindAll(device, last);
        ASSERT_TRUE(seqs.step());
        EXPECT_EQ(seqs->columnInt(0), seqs->columnInt(1)) << device << ": a (device, seq) stored twice";
        EXPECT_EQ(seqs->columnInt(2), last) << device << ": acknowledged frames missing from the database";
        missing += last - seqs->columnInt(2);
      }
      EXPECT_EQ(missing, 0) << "acknowledged frames lost";
      // Each case has one report frame behind it, once.
      EXPECT_EQ(check.scalarInt("SELECT COUNT(*) FROM cases WHERE number NOT IN (SELECT result FROM applied_frames)"), 0);
      EXPECT_EQ(check.scalarInt("SELECT COUNT(*) FROM applied_frames WHERE result LIKE '______-________-%'"),
                check.scalarInt("SELECT COUNT(*) FROM cases"));
    }

    fs::path mDir;
    gd::core::DemoDistrict mDistrict;
    std::vector<std::pair<std::string, std::string>> mCredentials;
    pid_t mGateway = -1;
    std::uint16_t mPort = 0;

    boost::asio::io_context mIo;
    boost::asio::ssl::context mTls{boost::asio::ssl::context::tls_client};
    gd::feed::SimCounters mCounters;
    std::vector<std::shared_ptr<gd::feed::SimTerminal>> mTerminals;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> mWork;
    std::thread mIoThread;
};

//! Waits until the terminals have had \a frames more acknowledged than in \a since.
bool loadFor(const std::function<Snapshot()> &snapshot, std::int64_t frames)
{
  const std::int64_t start = snapshot().ackedFrames();
  return eventually([&] { return snapshot().ackedFrames() >= start + frames; }, 30s);
}

} // namespace

// The server goes away twice under load — stopped (immediate) for 4 s, then its postmaster
// SIGKILLed (as a power loss of the database host) and down for 3 s — and comes back on the
// same files. The one gateway process rides both out.
TEST_F(GatewayPgOutageTest, TheGatewayWithholdsAcksWhileTheServerIsDownAndLosesNoAcknowledgedFrame)
{
  gd::test::PgCluster cluster(gd::test::PgCluster::Durability::Durable);
  cluster.psql("CREATE DATABASE gd");
  const std::string db = cluster.conninfo("gd");
  createStore(db);
  startGateway(db);
  ASSERT_FALSE(HasFatalFailure());
  startTerminals();
  const auto snap = [this] { return snapshot(); };
  ASSERT_TRUE(loadFor(snap, 1500)) << "the terminals' frames were not acknowledged\n" << readFile(mDir / "gateway.log");

  struct Outage
  {
    const char *how;
    std::function<void()> down;
    std::chrono::seconds downFor;
  };
  const std::vector<Outage> outages = {{"pg_ctl stop -m immediate", [&] { cluster.stopImmediately(); }, 4s},
                                       {"SIGKILL to the postmaster", [&] { cluster.kill(); }, 3s}};
  for (const Outage &outage : outages)
  {
    const Snapshot before = snapshot();
    outage.down();
    // An ack already on its way when the server went (its COMMIT returned before) may still
    // arrive: the terminals' view settles first, then nothing more may be acknowledged.
    std::this_thread::sleep_for(1s);
    const Snapshot settled = snapshot();
    std::this_thread::sleep_for(outage.downFor - 1s);
    const Snapshot whileDown = snapshot();
    EXPECT_EQ(whileDown.ackedFrames(), settled.ackedFrames())
      << outage.how << ": frames acknowledged while the database was down";
    EXPECT_TRUE(gatewayRunning()) << outage.how << ": the gateway exited\n" << readFile(mDir / "gateway.log");

    // Timed from the moment the server accepts connections again: its start (crash recovery,
    // fsync on) takes 2-3 s on a loaded machine, and is the server's doing, not the gateway's.
    const auto starting = Clock::now();
    cluster.start();
    const double startTook = secondsSince(starting);
    const auto [first, all] = waitForAcksBeyond(whileDown, Clock::now(), 60s);
    ASSERT_GE(all, 0) << outage.how << ": acks did not flow again for every terminal within a minute of the restart\n"
                      << readFile(mDir / "gateway.log");
    const Snapshot after = snapshot();
    EXPECT_GT(after.welcomes, before.welcomes) << outage.how << ": no terminal reconnected";
    std::cout << "[ outage   ] " << outage.how << ", down " << outage.downFor.count() << " s: acked before "
              << before.ackedFrames() << ", while down +" << whileDown.ackedFrames() - before.ackedFrames()
              << " (in flight at the stop); pg_ctl start took " << startTook << " s; server up -> first ack " << first
              << " s, every terminal acked again " << all << " s; resent so far " << after.resent << ", welcomes +"
              << after.welcomes - before.welcomes << "\n";
    ASSERT_TRUE(loadFor(snap, 1000)) << outage.how << ": the load did not resume";
  }
  EXPECT_TRUE(gatewayRunning()) << "the gateway exited\n" << readFile(mDir / "gateway.log");

  const Snapshot final = drain();
  stopTerminals();
  EXPECT_TRUE(stopGateway()) << "the gateway did not stop cleanly on SIGTERM\n" << readFile(mDir / "gateway.log");
  expectEveryAcknowledgedFrameStoredOnce(db, final);
  std::cout << "[ outage   ] " << final.ackedFrames() << " frames acknowledged from " << kTerminals << " terminals ("
            << final.acked << " acks, duplicates included), " << final.resent << " resent after a welcome, 0 lost\n";
}

// A center's HA pair: the primary SIGKILLed under load, its synchronous standby promoted; the
// gateway on the multi-host URI finds the new primary by itself.
TEST_F(GatewayPgOutageTest, AGatewayOnTheMultiHostUriGoesOnOnThePromotedStandbyWithEveryAcknowledgedFrame)
{
  gd::test::PgCluster primary(gd::test::PgCluster::Durability::Durable);
  primary.psql("CREATE DATABASE gd");
  createStore(primary.conninfo("gd"));
  auto standby = gd::test::PgCluster::standbyOf(primary, true);
  const std::string db = gd::test::PgCluster::multiHostConninfo({&primary, standby.get()}, "gd");
  startGateway(db);
  ASSERT_FALSE(HasFatalFailure());
  startTerminals();
  const auto snap = [this] { return snapshot(); };
  ASSERT_TRUE(loadFor(snap, 1500)) << "the terminals' frames were not acknowledged\n" << readFile(mDir / "gateway.log");

  const auto killed = Clock::now();
  primary.kill();
  // Acks of groups committed just before the kill may still be on their way: the terminals'
  // view settles a moment (counted in the figure), then the standby is promoted.
  std::this_thread::sleep_for(200ms);
  const Snapshot before = snapshot();
  standby->promote();
  const double promoted = secondsSince(killed);
  const auto [first, all] = waitForAcksBeyond(before, killed, 60s);
  ASSERT_GE(all, 0) << "acks did not flow again for every terminal within a minute of the kill\n" << readFile(mDir / "gateway.log");
  EXPECT_TRUE(gatewayRunning()) << "the gateway exited\n" << readFile(mDir / "gateway.log");
  ASSERT_TRUE(loadFor(snap, 1000)) << "the load did not resume on the promoted standby";

  const Snapshot final = drain();
  stopTerminals();
  EXPECT_TRUE(stopGateway()) << "the gateway did not stop cleanly on SIGTERM\n" << readFile(mDir / "gateway.log");
  EXPECT_FALSE(standby->isInRecovery());
  expectEveryAcknowledgedFrameStoredOnce(standby->conninfo("gd"), final);
  std::cout << "[ failover ] acked before the kill " << before.ackedFrames() << ", after " << final.ackedFrames()
            << "; kill -> promoted " << promoted << " s, -> first ack " << first << " s, every terminal acked again after "
            << all << " s; " << final.resent << " resent, 0 acknowledged lost\n";
}
