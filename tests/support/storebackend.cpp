#include "storebackend.h"

#include "pgcluster.h"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unistd.h>

namespace gd::store::test {

namespace {

constexpr const char *kTemplate = "gd_test_template";

//! The cluster of this process when no ctest fixture gave one (started at first use).
struct OwnCluster
{
    std::mutex mutex;
    std::unique_ptr<gd::test::PgCluster> cluster;
};
OwnCluster &ownCluster()
{
  static OwnCluster own;
  return own;
}

std::string execOn(const std::string &conninfo, const std::string &sql)
{
  PGconn *conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK)
  {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test cluster: cannot connect (" + conninfo + "): " + message);
  }
  PGresult *result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  std::string out;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0)
    out = PQgetvalue(result, 0, 0);
  const std::string message = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("test cluster: " + sql + ": " + message);
  return out;
}

//! "host=… port=… user=…" of the cluster, without dbname; makes the template on first use.
std::string baseConninfo()
{
  static std::once_flag once;
  static std::string base;
  std::call_once(once, [] {
    // The run's cluster, when ctest's fixture started one (it made the template too).
    {
      std::ifstream state(GD_PG_STATE_FILE);
      std::string dir;
      std::string conninfo;
      if (std::getline(state, dir) && std::getline(state, conninfo) && !conninfo.empty() &&
          PQping((conninfo + " dbname=postgres").c_str()) == PQPING_OK)
      {
        base = conninfo;
        return;
      }
    }
    OwnCluster &own = ownCluster();
    std::lock_guard lock(own.mutex);
    own.cluster = std::make_unique<gd::test::PgCluster>();
    const std::string full = own.cluster->conninfo("postgres");
    base = full.substr(0, full.rfind(" dbname="));
    execOn(base + " dbname=postgres", std::string("CREATE DATABASE ") + kTemplate);
    execOn(base + " dbname=" + kTemplate, "CREATE EXTENSION postgis");
  });
  return base;
}

} // namespace

bool storesOnPostgres()
{
  const char *backend = std::getenv("GD_TEST_STORE");
  return backend && std::string(backend) == "postgresql";
}

void adminSql(const std::string &sql)
{
  execOn(baseConninfo() + " dbname=postgres", sql);
}

std::string adminSqlIn(const std::string &database, const std::string &sql)
{
  return execOn(baseConninfo() + " dbname=" + database, sql);
}

TestStore::TestStore(const std::filesystem::path &file)
{
  if (!storesOnPostgres())
  {
    mLocation = store::StoreLocation::file(file);
    return;
  }
  static std::atomic<int> counter{0};
  mDatabase = "gdt_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  // A copy of the template (PostGIS already in it): a few tens of milliseconds.
  adminSql("CREATE DATABASE " + mDatabase + " TEMPLATE " + kTemplate);
  mLocation = store::StoreLocation::parse(baseConninfo() + " dbname=" + mDatabase);
}

TestStore::~TestStore()
{
  if (mDatabase.empty())
    return;
  try
  {
    adminSql("DROP DATABASE IF EXISTS " + mDatabase + " WITH (FORCE)");
  }
  catch (...)
  {
    // The cluster may be down on purpose (an outage test); it is thrown away after the run.
  }
}

std::string TestStore::dbArgument() const
{
  return mLocation.isPostgres() ? mLocation.conninfo() : mLocation.path().string();
}

} // namespace gd::store::test
