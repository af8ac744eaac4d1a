// The ctest fixture that gives a whole test run one PostgreSQL cluster (issue 16):
//   gd_pgfixture start STATE_FILE   starts a throwaway cluster (PgCluster), makes the template
//                                   database the tests copy (PostGIS in it) and writes
//                                   "DIR\nCONNINFO" to STATE_FILE; the cluster keeps running.
//   gd_pgfixture stop STATE_FILE    stops it (immediate) and removes its directory.
// ctest runs `start` before the first test labelled postgres and `stop` after the last
// (FIXTURES_SETUP / FIXTURES_CLEANUP), and the tests read the conninfo from the environment.

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

} // namespace

int main(int argc, char **argv)
{
  if (argc != 3 || (std::string(argv[1]) != "start" && std::string(argv[1]) != "stop"))
  {
    std::cerr << "usage: gd_pgfixture start|stop STATE_FILE\n";
    return 2;
  }
  const std::filesystem::path state = argv[2];
  if (std::string(argv[1]) == "stop")
  {
    std::ifstream in(state);
    std::string dir;
    if (!std::getline(in, dir) || dir.empty())
      return 0;
    const std::string stop = "/usr/lib/postgresql/15/bin/pg_ctl -D '" + dir + "/data' -w -m immediate stop >/dev/null 2>&1";
    const std::string command = ::geteuid() == 0 ? "runuser -u postgres -- sh -c \"" + stop + "\"" : stop;
    (void)std::system(command.c_str());
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    std::filesystem::remove(state, ignored);
    return 0;
  }
  try
  {
    // Kept running past this process on purpose: `stop` ends it.
    auto *cluster = new gd::test::PgCluster();
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
