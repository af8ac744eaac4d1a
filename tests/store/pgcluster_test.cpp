// The throwaway PostgreSQL + PostGIS cluster the store's second backend is tested on (issue
// 16): started by the test itself, reached through libpq, PostGIS with CGCS2000 (EPSG:4490),
// committed rows kept across an immediate stop, and nothing left behind.

#include "pgcluster.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <filesystem>
#include <memory>
#include <string>

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
