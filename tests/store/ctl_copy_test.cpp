// griddispatch-ctl copy and verify across the two backends (issue 16): the real program copies a
// GeoPackage store with cases, events, terminals, orders and positions into a PostgreSQL
// database of a cluster this test starts, and back into a new file; each end's digest agrees,
// a target with data is refused untouched, and the database goes on numbering after the copy.

#include "ctlrun.h"
#include "storefixture.h"

#include "core/case.h"
#include "pgcluster.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/orderstore.h"
#include "store/feed/positionstore.h"
#include "store/grids/gridstore.h"
#include "store/storecopy.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sys/wait.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

using Result = CtlResult;

class CtlCopyTest : public StoreFixture
{
  protected:
    static void SetUpTestSuite() { cluster = std::make_unique<gd::test::PgCluster>(); }
    static void TearDownTestSuite() { cluster.reset(); }

    void SetUp() override
    {
      if (storesOnPostgres())
        GTEST_SKIP() << "copies from a GeoPackage store into the test's own cluster: one run covers both backends";
      StoreFixture::SetUp();
      // A store with some of everything: cases along the whole path, a terminal, its orders and fixes.
      const core::TimePoint at = core::TimePoint(std::chrono::seconds(1'796'000'000));
      const std::string first = caseIn(core::CaseState::Archived, at);
      caseIn(core::CaseState::Assigned, at + std::chrono::hours(1));
      caseIn(core::CaseState::Reported, at + std::chrono::hours(2), "fire", kMicroB);
      Transaction tx(*db);
      DeviceRegistry(*db).add("t-1", "worker-7", at);
      PositionStore positions(*db);
      positions.record({"t-1", "worker-7", at, {98.5123456789, 39.7412345678}, 4.5});
      OrderStore(*db).create("t-1", OrderKind::Urge, first, "催办：楼道堆放杂物", std::nullopt, at);
      tx.commit();
    }

    Result ctl(const std::string &args) { return runCtl(args, dir.file("stderr.txt")); }

    //! A URI with a password (trust authentication ignores it): it must never be printed.
    std::string databaseUri(const std::string &name)
    {
      cluster->createPostgisDatabase(name);
      return "postgresql://gd_test:s3cret@127.0.0.1:" + std::to_string(cluster->port()) + "/" + name;
    }

    std::string digestOf(const std::string &dbArgument)
    {
      const Result r = ctl("verify --json --db '" + dbArgument + "'");
      EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
      return nlohmann::json::parse(r.out).value("data_digest", std::string());
    }

    static std::unique_ptr<gd::test::PgCluster> cluster;
};
std::unique_ptr<gd::test::PgCluster> CtlCopyTest::cluster;

TEST_F(CtlCopyTest, AGeoPackageCopiedIntoPostgresAndBackIsTheSameStoreOnEveryEnd)
{
  const std::string file = db->path().string();
  const std::string uri = databaseUri("center");
  const std::string sourceDigest = digestOf(file);
  ASSERT_FALSE(sourceDigest.empty());

  const Result copied = ctl("copy --from '" + file + "' --to '" + uri + "'");
  ASSERT_EQ(copied.exitCode, 0) << copied.out << copied.err;
  EXPECT_NE(copied.out.find("every table's digest is equal on both"), std::string::npos) << copied.out;
  EXPECT_NE(copied.out.find("cases: 3 row(s)"), std::string::npos) << copied.out;
  EXPECT_EQ((copied.out + copied.err).find("s3cret"), std::string::npos) << copied.out << copied.err;
  EXPECT_EQ(digestOf(uri), sourceDigest);

  // Back into a new file: the third end agrees too.
  const std::string back = dir.file("back.gpkg").string();
  const Result returned = ctl("copy --from '" + uri + "' --to '" + back + "'");
  ASSERT_EQ(returned.exitCode, 0) << returned.out << returned.err;
  EXPECT_EQ(digestOf(back), sourceDigest);

  // The database numbers on after the copied ids: a new case and a new order are stored.
  auto pg = Schema::open(StoreLocation::parse(uri));
  CaseStore onPg(*pg, *workflow, clock.get());
  const std::string number = onPg.report(reportCommand(core::TimePoint(std::chrono::seconds(1'796'100'000))));
  EXPECT_FALSE(number.empty());
  EXPECT_EQ(pg->scalarInt("SELECT count(*) FROM cases"), 4);
}

TEST_F(CtlCopyTest, ADatabaseWithoutPostgisYetGetsItAndTheGeometriesOnTheFirstConnection)
{
  // An empty database, PostGIS not installed: copy creates the store (and PostGIS) and writes
  // the geometries on the same connection.
  const std::string name = "bare";
  cluster->psql("CREATE DATABASE " + name);
  const std::string uri = "postgresql://gd_test@127.0.0.1:" + std::to_string(cluster->port()) + "/" + name;
  const Result copied = ctl("copy --from '" + db->path().string() + "' --to '" + uri + "'");
  ASSERT_EQ(copied.exitCode, 0) << copied.out << copied.err;
  EXPECT_EQ(cluster->psql("SELECT count(*) FROM cases WHERE ST_SRID(geom) = 4490", name), "3\n");
}

TEST_F(CtlCopyTest, ATargetHoldingDataIsRefusedAndLeftAsItWas)
{
  const std::string file = db->path().string();
  const std::string uri = databaseUri("busy");
  ASSERT_EQ(ctl("copy --from '" + file + "' --to '" + uri + "'").exitCode, 0);
  const std::string before = digestOf(uri);
  const Result again = ctl("copy --from '" + file + "' --to '" + uri + "'");
  EXPECT_NE(again.exitCode, 0);
  EXPECT_NE(again.err.find("is not empty (3 in cases"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("nothing was written"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find("s3cret"), std::string::npos) << again.err;
  EXPECT_EQ(digestOf(uri), before);
}

TEST_F(CtlCopyTest, AnErrorAboutADatabaseNamesItWithoutItsPassword)
{
  const std::string uri = databaseUri("empty");
  const Result r = ctl("verify --db '" + uri + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("holds no GridDispatch store"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("postgresql://gd_test:***@127.0.0.1"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("s3cret"), std::string::npos) << r.err;
  // A database that is not there: libpq's reason, still without the password.
  const Result missing = ctl("verify --db 'postgresql://gd_test:s3cret@127.0.0.1:" + std::to_string(cluster->port()) +
                             "/nowhere'");
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_NE(missing.err.find("database \"nowhere\" does not exist"), std::string::npos) << missing.err;
  EXPECT_EQ((missing.out + missing.err).find("s3cret"), std::string::npos) << missing.err;
}

TEST_F(CtlCopyTest, TheDigestSeesAChangedValue)
{
  const std::string file = db->path().string();
  const std::string before = digestOf(file);
  db->exec("UPDATE devices SET worker_id = 'worker-8' WHERE id = 't-1'");
  EXPECT_NE(digestOf(file), before);
}

} // namespace
