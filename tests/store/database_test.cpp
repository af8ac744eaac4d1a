#include "store/database.h"
#include "store/storeerror.h"
#include "tempdir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

using namespace gd::store;

namespace {

class StoreDatabaseTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
      db = std::make_unique<Database>(dir.file("t.db"), Database::Mode::ReadWriteCreate);
      db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, value REAL, data BLOB)");
    }
    std::int64_t rows() { return db->scalarInt("SELECT count(*) FROM t"); }

    test::TempDir dir;
    std::unique_ptr<Database> db;
};

} // namespace

TEST_F(StoreDatabaseTest, AppliesTheStoreSettings)
{
  EXPECT_EQ(db->scalarInt("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db->scalarInt("PRAGMA synchronous"), 2); // FULL
  auto q = db->query("PRAGMA journal_mode");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q->columnText(0), "wal");
}

TEST_F(StoreDatabaseTest, BindsAndReadsEveryType)
{
  db->query("INSERT INTO t (name, value, data) VALUES (?, ?, ?)").bindAll("a", 1.5, nullptr).run();
  {
    auto q = db->query("INSERT INTO t (name, value, data) VALUES (?, ?, ?)");
    q->bind(1, std::string("b")).bind(2, 2.0).bindBlob(3, {1, 2, 3});
    q.run();
  }
  auto q = db->query("SELECT name, value, data FROM t ORDER BY id");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q->columnText(0), "a");
  EXPECT_DOUBLE_EQ(q->columnDouble(1), 1.5);
  EXPECT_TRUE(q->isNull(2));
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q->columnBlob(2), (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_FALSE(q.step());
  std::optional<std::string> none;
  db->query("INSERT INTO t (name) VALUES (?)").bindAll(none).run();
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM t WHERE name IS NULL"), 1);
}

TEST_F(StoreDatabaseTest, CachesStatementsAndSurvivesNestedUseOfTheSameSql)
{
  for (int i = 0; i < 3; ++i)
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("n" + std::to_string(i)).run();
  int outer = 0, inner = 0;
  auto a = db->query("SELECT name FROM t ORDER BY id");
  while (a.step())
  {
    ++outer;
    auto b = db->query("SELECT name FROM t ORDER BY id"); // same SQL while the first is mid-iteration
    while (b.step())
      ++inner;
  }
  EXPECT_EQ(outer, 3);
  EXPECT_EQ(inner, 9);
}

TEST_F(StoreDatabaseTest, ErrorsCarryTheExtendedCodeAndTheStatement)
{
  db->query("INSERT INTO t (name) VALUES (?)").bindAll("x").run();
  try
  {
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("x").run();
    FAIL() << "expected a unique constraint error";
  }
  catch (const StoreError &e)
  {
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_UNIQUE);
    EXPECT_EQ(e.primaryCode(), SQLITE_CONSTRAINT);
    EXPECT_EQ(e.sql(), "INSERT INTO t (name) VALUES (?)");
    EXPECT_NE(std::string(e.what()).find("UNIQUE"), std::string::npos);
  }
  EXPECT_THROW(db->query("SELECT * FROM no_such_table"), StoreError);
  // The statement is usable again after the failure.
  db->query("INSERT INTO t (name) VALUES (?)").bindAll("y").run();
  EXPECT_EQ(rows(), 2);
}

TEST_F(StoreDatabaseTest, OpeningAMissingFileReadWriteFailsNamingIt)
{
  try
  {
    Database missing(dir.file("nope.db"), Database::Mode::ReadWrite);
    FAIL();
  }
  catch (const StoreError &e)
  {
    EXPECT_NE(std::string(e.what()).find("nope.db"), std::string::npos);
  }
}

TEST_F(StoreDatabaseTest, TransactionRollsBackUnlessCommitted)
{
  {
    Transaction tx(*db);
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("gone").run();
  }
  EXPECT_EQ(rows(), 0);
  EXPECT_FALSE(db->inTransaction());
  {
    Transaction tx(*db);
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("kept").run();
    tx.commit();
  }
  EXPECT_EQ(rows(), 1);
  // An exception thrown inside the transaction leaves nothing behind.
  try
  {
    Transaction tx(*db);
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("a").run();
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("kept").run(); // duplicate
    tx.commit();
  }
  catch (const StoreError &)
  {
  }
  EXPECT_EQ(rows(), 1);
}

TEST_F(StoreDatabaseTest, SavepointRollsBackOnlyItsOwnWork)
{
  Transaction tx(*db);
  db->query("INSERT INTO t (name) VALUES (?)").bindAll("outer").run();
  {
    Savepoint sp(*db);
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("inner").run();
  }
  {
    Savepoint sp(*db);
    db->query("INSERT INTO t (name) VALUES (?)").bindAll("released").run();
    sp.release();
  }
  EXPECT_TRUE(db->inTransaction());
  tx.commit();
  EXPECT_EQ(rows(), 2);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM t WHERE name = 'inner'"), 0);
}

TEST_F(StoreDatabaseTest, ReadersOnTheirOwnConnectionSeeOnlyCommittedData)
{
  Database reader(dir.file("t.db"), Database::Mode::ReadOnly);
  Transaction tx(*db);
  db->query("INSERT INTO t (name) VALUES (?)").bindAll("pending").run();
  EXPECT_EQ(reader.scalarInt("SELECT count(*) FROM t"), 0);
  tx.commit();
  EXPECT_EQ(reader.scalarInt("SELECT count(*) FROM t"), 1);
}
