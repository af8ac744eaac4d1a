// The ctest fixture that gives a whole test run one PostgreSQL cluster (issue 16):
//   gd_pgfixture start STATE_FILE   starts a throwaway cluster (PgCluster), makes the template
//                                   database the tests copy (PostGIS in it) and writes
//                                   "DIR\nCONNINFO" to STATE_FILE; the cluster keeps running.
//   gd_pgfixture stop STATE_FILE    stops it (immediate) and removes its directory.
// ctest runs `start` before the first test labelled postgres and `stop` after the last
// (FIXTURES_SETUP / FIXTURES_CLEANUP), and the tests read the conninfo from the environment.
//
// A run that was interrupted (Ctrl-C, a killed ctest) never reaches `stop`. Its cluster does not
// outlive it for long: the cluster's watchdog (pgcluster.h) watches this process's parent, the
// ctest run, and stops it once that is gone. And `start` first stops and removes a cluster that
// an existing state file still names (a run whose watchdog could not act, or a build tree
// shared with an older version of this program).

#include "pgcluster.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>

namespace {

bool exec(const std::string &conninfo, const std::string &sql)
{
  PGconn *conn = PQconnectdb(conninfo.c_str());
  PGresult *result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  if (!ok)
    std::cerr << "gd_pgfixture: " << sql << ": " << PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  return ok;
}

//! Stops (immediate) and removes the cluster in \a dir. Only a directory a PgCluster makes
//! (gd-pg-XXXXXX): the state file is a plain file in the build tree, and its first line is not
//! trusted to name something that may be removed.
void stopCluster(const std::string &dir)
{
  if (std::filesystem::path(dir).filename().string().rfind("gd-pg-", 0) != 0)
  {
    std::cerr << "gd_pgfixture: not a test cluster's directory, left alone: " << dir << '\n';
    return;
  }
  const std::string stop = "/usr/lib/postgresql/15/bin/pg_ctl -D '" + dir + "/data' -w -m immediate stop >/dev/null 2>&1";
  const std::string command = ::geteuid() == 0 ? "runuser -u postgres -- sh -c \"" + stop + "\"" : stop;
  (void)std::system(command.c_str());
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

//! The cluster directory the state file \a state names; empty when there is none.
std::string clusterIn(const std::filesystem::path &state)
{
  std::ifstream in(state);
  std::string dir;
  std::getline(in, dir);
  return dir;
}

} // namespace

int main(int argc, char **argv)
{
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop"))
  {
    std::cerr << "usage: gd_pgfixture start|stop STATE_FILE\n";
    return 2;
  }
  const std::filesystem::path state = argv[2];
  // Stop, or start after an interrupted run: the cluster the state file names goes first.
  if (const std::string previous = clusterIn(state); !previous.empty())
  {
    if (std::string(argv[1]) == "start")
      std::cout << "stopping the test cluster an interrupted run left: " << previous << '\n';
    stopCluster(previous);
    std::error_code ignored;
    std::filesystem::remove(state, ignored);
  }
  if (std::string(argv[1]) == "stop")
    return 0;
  try
  {
    // Kept running past this process on purpose: `stop` ends it, or its watchdog once the
    // ctest run (our parent) is gone.
    auto *cluster = new gd::test::PgCluster(gd::test::PgCluster::Durability::Fast, ::getppid());
    const std::string full = cluster->conninfo("postgres");
    const std::string base = full.substr(0, full.rfind(" dbname="));
    if (!exec(full, "CREATE DATABASE gd_test_template") ||
        !exec(base + " dbname=gd_test_template", "CREATE EXTENSION postgis"))
      return 1;
    std::filesystem::create_directories(state.parent_path());
    std::ofstream out(state);
    out << cluster->directory() << '\n' << base << '\n';
    std::cout << "test cluster: " << base << '\n';
    return out ? 0 : 1;
  }
  catch (const std::exception &e)
  {
    std::cerr << "gd_pgfixture: " << e.what() << '\n';
    return 1;
  }
}
