// The throwaway PostgreSQL + PostGIS cluster the store's second backend is tested on (issue
// 16): started by the test itself, reached through libpq, PostGIS with CGCS2000 (EPSG:4490),
// committed rows kept across an immediate stop, and nothing left behind. And high
// availability with PostgreSQL's own means: a streaming standby made with pg_basebackup, the
// primary killed, the standby promoted, clients finding it through a multi-host URI with
// target_session_attrs=read-write; with a synchronous standby, no acknowledged row lost.

#include "pgcluster.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <csignal>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Connection connect(const std::string &conninfo)
{
  Connection connection(PQconnectdb(conninfo.c_str()), &PQfinish);
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
  return connection;
}

std::string value(PGconn *connection, const std::string &sql)
{
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection, sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) << sql << ": " << PQerrorMessage(connection);
  return status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0 ? PQgetvalue(result.get(), 0, 0) : std::string();
}

//! Runs \a sql; whether the server acknowledged it (for an INSERT outside a transaction block:
//! committed, and with a synchronous standby, on the standby too).
bool acknowledged(PGconn *connection, const std::string &sql)
{
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection, sql.c_str()), &PQclear);
  return PQresultStatus(result.get()) == PGRES_COMMAND_OK;
}

//! Waits (bounded) until \a standby has replayed all the WAL \a primary has written so far.
bool caughtUp(const gd::test::PgCluster &primary, const gd::test::PgCluster &standby)
{
  const std::string lsn = primary.psql("SELECT pg_current_wal_lsn()");
  for (int attempt = 0; attempt < 200; ++attempt)
  {
    if (standby.psql("SELECT pg_last_wal_replay_lsn() >= '" + lsn.substr(0, lsn.find('\n')) + "'") == "t\n")
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

//! A thread joined on every way out of a test (an ASSERT failing included), after being told
//! to stop, before the clusters it talks to are destroyed (declare it after them).
class JoiningThread
{
  public:
    template <typename Body> explicit JoiningThread(Body body)
      : mThread([this, body] { body(mStop); })
    {
    }
    ~JoiningThread() { join(); }
    JoiningThread(const JoiningThread &) = delete;
    JoiningThread &operator=(const JoiningThread &) = delete;
    void join()
    {
      mStop = true;
      if (mThread.joinable())
        mThread.join();
    }

  private:
    std::atomic<bool> mStop{false};
    std::thread mThread;
};

using Clock = std::chrono::steady_clock;

} // namespace

TEST(PgCluster, StartsItsOwnPostgresWithPostgisAndCgcs2000)
{
  gd::test::PgCluster cluster;
  const std::string conninfo = cluster.createPostgisDatabase("center");
  Connection db = connect(conninfo);
  EXPECT_EQ(value(db.get(), "SHOW server_version_num").substr(0, 2), "15");
  EXPECT_EQ(value(db.get(), "SELECT split_part(postgis_lib_version(), '.', 1)"), "3");
  // CGCS2000 geographic, the store's CRS, is known to PostGIS.
  EXPECT_EQ(value(db.get(), "SELECT auth_name || ':' || auth_srid FROM spatial_ref_sys WHERE srid = 4490"), "EPSG:4490");
  value(db.get(), "CREATE TABLE pins (id serial PRIMARY KEY, geom geometry(Point, 4490))");
  value(db.get(), "CREATE INDEX ON pins USING gist (geom)");
  value(db.get(), "INSERT INTO pins (geom) VALUES (ST_SetSRID(ST_MakePoint(98.48, 39.83), 4490)), "
                  "(ST_SetSRID(ST_MakePoint(98.60, 39.90), 4490))");
  // Within 1 km of the first (on the ellipsoid): only it.
  EXPECT_EQ(value(db.get(), "SELECT count(*) FROM pins WHERE ST_DWithin(geom::geography, "
                            "ST_SetSRID(ST_MakePoint(98.481, 39.831), 4490)::geography, 1000)"),
            "1");
}

TEST(PgCluster, KeepsCommittedRowsAcrossAnImmediateStopAndLeavesNothingBehind)
{
  std::string directory;
  {
    gd::test::PgCluster cluster;
    directory = cluster.directory();
    cluster.psql("CREATE TABLE frames (seq bigint PRIMARY KEY)");
    cluster.psql("INSERT INTO frames SELECT generate_series(1, 1000)");
    cluster.stopImmediately(); // as a crash: no shutdown checkpoint
    EXPECT_NE(PQping(cluster.conninfo().c_str()), PQPING_OK);
    cluster.start();
    EXPECT_EQ(cluster.psql("SELECT count(*), max(seq) FROM frames"), "1000|1000\n");
  }
  EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST(PgCluster, AsyncStandbyReceivesWhatThePrimaryCommitted)
{
  gd::test::PgCluster primary;
  const std::unique_ptr<gd::test::PgCluster> standby = gd::test::PgCluster::standbyOf(primary, false);
  EXPECT_TRUE(standby->isInRecovery());
  EXPECT_FALSE(primary.isInRecovery());
  EXPECT_EQ(primary.psql("SELECT state || ' ' || sync_state FROM pg_stat_replication WHERE application_name = '" +
                         standby->applicationName() + "'"),
            "streaming async\n");

  primary.psql("CREATE TABLE frames (seq bigint PRIMARY KEY)");
  primary.psql("INSERT INTO frames SELECT generate_series(1, 1000)");
  ASSERT_TRUE(caughtUp(primary, *standby));
  EXPECT_EQ(standby->psql("SELECT count(*), max(seq) FROM frames"), "1000|1000\n");

  // A standby is read-only: writes go to the primary.
  Connection onStandby = connect(standby->conninfo());
  EXPECT_FALSE(acknowledged(onStandby.get(), "INSERT INTO frames VALUES (1001)"));
  EXPECT_NE(std::string(PQerrorMessage(onStandby.get())).find("read-only"), std::string::npos)
    << PQerrorMessage(onStandby.get());
}

TEST(PgCluster, SynchronousStandbyPromotedAfterThePrimaryIsKilledHasEveryAcknowledgedRow)
{
  // fsync on: what is measured here is what is lost.
  gd::test::PgCluster primary(gd::test::PgCluster::Durability::Durable);
  const std::unique_ptr<gd::test::PgCluster> standby = gd::test::PgCluster::standbyOf(primary, true);
  EXPECT_EQ(primary.psql("SHOW fsync"), "on\n");
  EXPECT_EQ(primary.psql("SHOW synchronous_commit"), "on\n");
  EXPECT_EQ(primary.psql("SELECT sync_state FROM pg_stat_replication"), "sync\n");
  primary.psql("CREATE TABLE frames (seq bigint PRIMARY KEY)");
  const std::string uri = gd::test::PgCluster::multiHostConninfo({&primary, standby.get()});

  // A client writing one committed row at a time through the multi-host URI, as a gateway
  // would, counting the commits the server acknowledged; when its connection breaks, it
  // reconnects through the same URI (bounded attempts) and writes again.
  std::atomic<long> acked{0};
  std::atomic<bool> broken{false};
  std::atomic<int> reconnectAttempts{0};
  std::atomic<bool> wroteAgain{false};
  std::atomic<Clock::rep> wroteAgainAt{0};
  std::atomic<bool> stopped{false}; // the first loop ended (firstError then readable after join)
  std::string firstError, lastError;
  JoiningThread client([&](const std::atomic<bool> &stop) {
    Connection db(PQconnectdb(uri.c_str()), &PQfinish);
    if (PQstatus(db.get()) != CONNECTION_OK)
    {
      firstError = PQerrorMessage(db.get());
      stopped = true;
      return;
    }
    for (long seq = 1; !stop; ++seq)
    {
      if (!acknowledged(db.get(), "INSERT INTO frames VALUES (" + std::to_string(seq) + ")"))
      {
        firstError = PQerrorMessage(db.get());
        break;
      }
      acked = seq;
    }
    stopped = true;
    if (stop)
      return;
    broken = true;
    for (int attempt = 1; attempt <= 150 && !stop; ++attempt)
    {
      reconnectAttempts = attempt;
      Connection again(PQconnectdb(uri.c_str()), &PQfinish);
      if (PQstatus(again.get()) == CONNECTION_OK && acknowledged(again.get(), "INSERT INTO frames VALUES (-1)"))
      {
        wroteAgainAt = Clock::now().time_since_epoch().count();
        wroteAgain = true;
        return;
      }
      lastError = PQerrorMessage(again.get());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  // Mid-stream: once a couple of hundred rows are acknowledged, the primary's host "loses power".
  for (int wait = 0; wait < 400 && acked < 200 && !stopped; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  if (acked < 200)
  {
    client.join();
    FAIL() << acked << " rows acknowledged; " << firstError;
  }
  const Clock::time_point killedAt = Clock::now();
  primary.kill();
  EXPECT_EQ(PQping(primary.conninfo().c_str()), PQPING_NO_RESPONSE);
  standby->promote();
  EXPECT_FALSE(standby->isInRecovery());

  for (int wait = 0; wait < 400 && !wroteAgain && reconnectAttempts < 150; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  client.join();
  ASSERT_TRUE(broken) << "the client's writes never failed";
  std::cout << "[ message  ] the client's write at the kill: " << firstError;
  ASSERT_TRUE(wroteAgain) << reconnectAttempts << " attempts; last: " << lastError;
  const auto writable = Clock::time_point(Clock::duration(wroteAgainAt.load())) - killedAt;
  std::cout << "[ figure   ] primary killed -> first write acknowledged by the promoted standby: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(writable).count() << " ms ("
            << reconnectAttempts << " connection attempts; " << acked << " rows acknowledged before the kill)"
            << std::endl;

  // Every acknowledged row is there (0 lost). The one in flight at the kill was never
  // acknowledged: it may or may not have reached the standby.
  const long last = acked;
  Connection db = connect(uri);
  EXPECT_EQ(value(db.get(), "SELECT count(*) FROM frames WHERE seq BETWEEN 1 AND " + std::to_string(last)),
            std::to_string(last));
  const long present = std::stol(value(db.get(), "SELECT max(seq) FROM frames"));
  EXPECT_TRUE(present == last || present == last + 1) << present << " after " << last << " acknowledged";
  EXPECT_EQ(value(db.get(), "SELECT count(*) FROM frames WHERE seq = -1"), "1");
  // The promoted standby takes further writes at once (it waits for no sync standby of its own).
  EXPECT_TRUE(acknowledged(db.get(), "INSERT INTO frames VALUES (-2)")) << PQerrorMessage(db.get());
  EXPECT_EQ(PQport(db.get()), std::to_string(standby->port()));
}

TEST(PgCluster, MultiHostUriFindsNoWritableServerUntilTheStandbyIsPromoted)
{
  std::string primaryDirectory, standbyDirectory;
  {
    gd::test::PgCluster primary;
    const std::unique_ptr<gd::test::PgCluster> standby = gd::test::PgCluster::standbyOf(primary, false);
    primaryDirectory = primary.directory();
    standbyDirectory = standby->directory();
    const std::string uri = gd::test::PgCluster::multiHostConninfo({&primary, standby.get()}, "postgres");
    EXPECT_EQ(uri, "postgresql://127.0.0.1:" + std::to_string(primary.port()) + ",127.0.0.1:" +
                     std::to_string(standby->port()) + "/postgres?user=gd_test&target_session_attrs=read-write&connect_timeout=2");
    {
      Connection db = connect(uri);
      EXPECT_EQ(PQport(db.get()), std::to_string(primary.port()));
    }

    primary.kill();
    {
      // The primary refuses, the standby is read-only: no host to write to, and the error
      // names both hosts it tried.
      Connection db(PQconnectdb(uri.c_str()), &PQfinish);
      ASSERT_NE(PQstatus(db.get()), CONNECTION_OK);
      const std::string error = PQerrorMessage(db.get());
      std::cout << "[ message  ] " << error;
      EXPECT_NE(error.find("port " + std::to_string(primary.port())), std::string::npos) << error;
      EXPECT_NE(error.find("port " + std::to_string(standby->port())), std::string::npos) << error;
      EXPECT_NE(error.find("read-only"), std::string::npos) << error;
    }

    standby->promote();
    Connection db = connect(uri);
    EXPECT_EQ(PQport(db.get()), std::to_string(standby->port()));
    EXPECT_TRUE(acknowledged(db.get(), "CREATE TABLE after_failover (id int)")) << PQerrorMessage(db.get());
    EXPECT_EQ(value(db.get(), "SELECT pg_is_in_recovery()"), "f");
  }
  // The killed primary left no process and no file behind, nor did the standby.
  EXPECT_FALSE(std::filesystem::exists(primaryDirectory));
  EXPECT_FALSE(std::filesystem::exists(standbyDirectory));
}

namespace {

//! The postmaster pid in \a directory's data/postmaster.pid; 0 when there is none.
pid_t postmasterOf(const std::string &directory)
{
  std::ifstream file(directory + "/data/postmaster.pid");
  pid_t pid = 0;
  return file >> pid ? pid : 0;
}

//! Whether \a pid runs (a zombie, killed and not yet reaped, does not).
bool running(pid_t pid)
{
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (pid <= 0 || !std::getline(stat, line) || line.rfind(')') == std::string::npos)
    return false;
  const char state = line[line.rfind(')') + 2];
  return state != 'Z' && state != 'X';
}

//! Polls \a done every 50 ms for up to 30 s; whether it held.
template <typename Condition> bool eventually(Condition done)
{
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!done())
  {
    if (Clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

//! Runs gd_pgfixture \a verb \a state as ctest does (a child of this process); its exit code.
int fixture(const std::string &verb, const std::string &state)
{
  const pid_t child = ::fork();
  if (child == 0)
  {
    ::freopen("/dev/null", "w", stdout);
    ::execl(GD_PGFIXTURE_PATH, GD_PGFIXTURE_PATH, verb.c_str(), state.c_str(), static_cast<char *>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string firstLine(const std::string &path)
{
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

} // namespace

// A test killed by ctest's timeout (SIGKILL: no destructor runs) used to leave its server
// running for good; two such clusters were found running 1.5 h later. Its watchdog stops it.
TEST(PgCluster, AClusterWhoseProcessIsKilledIsStoppedAndRemovedByItsWatchdog)
{
  int channel[2];
  ASSERT_EQ(::pipe(channel), 0);
  const pid_t child = ::fork();
  if (child == 0)
  {
    ::close(channel[0]);
    std::string said = "!\n";
    try
    {
      auto *cluster = new gd::test::PgCluster(); // never destroyed: the process is killed
      said = cluster->directory() + "\n";
    }
    catch (...)
    {
    }
    (void)!::write(channel[1], said.data(), said.size());
    for (;;)
      ::pause();
  }
  ::close(channel[1]);
  std::string directory;
  char c = 0;
  while (::read(channel[0], &c, 1) == 1 && c != '\n')
    directory += c;
  ::close(channel[0]);
  const pid_t postmaster = postmasterOf(directory);
  EXPECT_TRUE(running(postmaster)) << "the child's cluster did not start: " << directory;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);

  const auto killed = Clock::now();
  EXPECT_TRUE(eventually([&] { return !running(postmaster) && !std::filesystem::exists(directory); }))
    << "the cluster of a killed process still runs 30 s later: " << directory;
  std::cout << "killed owner -> cluster stopped and removed in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed).count() << " ms\n";
}

// An interrupted ctest run never reaches pg_cluster_stop: the next run's start stops the
// cluster its state file still names, and removes it, before starting its own.
TEST(PgFixture, AStartStopsTheClusterAnInterruptedRunLeftBehind)
{
  const std::filesystem::path dir =
    std::filesystem::temp_directory_path() / ("gd-fixturetest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string state = (dir / "state").string();
  ASSERT_EQ(fixture("start", state), 0);
  const std::string first = firstLine(state);
  const pid_t firstPostmaster = postmasterOf(first);
  ASSERT_TRUE(running(firstPostmaster)) << first;

  // "Interrupted": no stop. (This process, the fixture's parent, still runs: its watchdog
  // does not act; what is seen below is the start's doing.)
  ASSERT_EQ(fixture("start", state), 0);
  const std::string second = firstLine(state);
  EXPECT_NE(second, first);
  EXPECT_FALSE(running(firstPostmaster)) << "the previous run's cluster still runs: " << first;
  EXPECT_FALSE(std::filesystem::exists(first)) << "the previous run's cluster is still on disk";
  EXPECT_TRUE(running(postmasterOf(second))) << second;

  EXPECT_EQ(fixture("stop", state), 0);
  EXPECT_FALSE(std::filesystem::exists(second));
  EXPECT_FALSE(std::filesystem::exists(state));
  std::filesystem::remove_all(dir);
}
