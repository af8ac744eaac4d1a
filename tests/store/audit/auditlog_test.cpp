// The audit trail (issue 17) on both backends: the SM3 chain names the first row edited,
// deleted or inserted behind the program's back (raw SQL as the database's administrator:
// the sqlite3 library on the file, the cluster's superuser on PostgreSQL), seals catch a tail
// cut below them and a wrong key, the database refuses UPDATE and DELETE, and an archive moves
// old rows out with the live chain going on verifiably from it.
#include "store/audit/auditlog.h"
#include "store/audit/auditsealer.h"

#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/timetext.h"
#include "../tempdir.h"
#include "audittamper.h"
#include "storebackend.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

using namespace gd;
using namespace gd::store;
namespace audit = gd::store::audit;

namespace {

class AuditLogTest : public ::testing::Test
{
  protected:
    test::TempDir dir;
    test::TestStore store{dir.file("a.gpkg")};
    std::unique_ptr<Database> db = Schema::openOrCreate(store.location());
    audit::AuditLog log{*db};
    const std::string key = std::string(32, 'k');

    audit::Entry entry(const std::string &action, const std::string &object, std::optional<core::TimePoint> at = {})
    {
      audit::Entry e;
      e.actor = {"u1", "张三", "seat-3"};
      e.action = action;
      e.object = object;
      e.at = at;
      return e;
    }

    void recordFive()
    {
      for (int i = 1; i <= 5; ++i)
        log.record(entry("device_add", "pad-" + std::to_string(i)));
    }

    void tamper(const std::string &sql) { test::tamperAudit(store, sql); }

    // The problem found, short, for assertions.
    static std::string found(const audit::VerifyReport &r)
    {
      return r.problem ? r.problem->kind + " " + std::to_string(r.problem->id) : std::string("none");
    }
};

} // namespace

TEST_F(AuditLogTest, RecordsDenseRowsWhoseChainVerifies)
{
  recordFive();
  const auto rows = log.list({});
  ASSERT_EQ(rows.size(), 5u);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(rows[i].id, static_cast<std::int64_t>(i + 1));
  EXPECT_EQ(rows[0].actorName, "张三");
  EXPECT_EQ(rows[0].host, "seat-3");
  EXPECT_EQ(rows[0].outcome, "ok");
  // Each link is SM3 over the one before and the row's fields, its id included.
  audit::Sm3 h;
  EXPECT_EQ(rows[0].link, audit::link(h, audit::genesis(), rows[0]));
  EXPECT_EQ(rows[1].link, audit::link(h, rows[0].link, rows[1]));
  audit::Row renumbered = rows[1];
  renumbered.id = 7;
  EXPECT_NE(rows[1].link, audit::link(h, rows[0].link, renumbered));

  const auto report = log.verify();
  EXPECT_TRUE(report.ok()) << found(report);
  EXPECT_EQ(report.lastId, 5);
  EXPECT_EQ(report.rows, 5);
  // Within the caller's transaction: rolled back with it.
  {
    Transaction tx(*db);
    log.record(entry("device_revoke", "pad-1"));
  }
  EXPECT_EQ(log.list({}).size(), 5u);
  EXPECT_THROW(log.record(entry("rewrite_history", "x")), std::invalid_argument);
  EXPECT_NO_THROW(log.record(entry("case_assign", "SZ-1")));
}

TEST_F(AuditLogTest, SM3IsTheStandardsDigest)
{
  // GB/T 32905-2016, example 1: SM3("abc").
  EXPECT_EQ(audit::hex(audit::sm3("abc")), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
}

TEST_F(AuditLogTest, FiltersByTimeActorAndAction)
{
  log.record(entry("login_ok", "", core::beijingTime(2026, 11, 1, 9, 0)));
  auto other = entry("device_add", "pad-1", core::beijingTime(2026, 11, 2, 9, 0));
  other.actor = {"u2", "李四", "seat-4"};
  log.record(other);
  log.record(entry("device_add", "pad-2", core::beijingTime(2026, 11, 3, 9, 0)));
  audit::Filter f;
  f.action = "device_add";
  EXPECT_EQ(log.list(f).size(), 2u);
  f.actor = "李四";
  ASSERT_EQ(log.list(f).size(), 1u);
  EXPECT_EQ(log.list(f)[0].object, "pad-1");
  audit::Filter byTime;
  byTime.from = core::beijingTime(2026, 11, 2, 0, 0);
  byTime.to = core::beijingTime(2026, 11, 3, 0, 0);
  ASSERT_EQ(log.list(byTime).size(), 1u);
  EXPECT_EQ(log.list(byTime)[0].id, 2);
}

TEST_F(AuditLogTest, TheDatabaseRefusesUpdateAndDelete)
{
  recordFive();
  log.seal(key, {"auditor", "审计员", "h"});
  for (const char *sql : {"UPDATE audit_log SET detail = 'x' WHERE id = 2", "DELETE FROM audit_log WHERE id = 2",
                          "DELETE FROM audit_log", "UPDATE audit_seals SET through_id = 1", "DELETE FROM audit_seals"})
  {
    SCOPED_TRACE(sql);
    try
    {
      db->exec(sql);
      ADD_FAILURE() << "not refused";
    }
    catch (const StoreError &e)
    {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
  }
  if (db->isPostgres())
  {
    for (const char *sql : {"TRUNCATE audit_log", "TRUNCATE audit_seals"})
      EXPECT_THROW(db->exec(sql), StoreError) << sql;
  }
  EXPECT_EQ(log.list({}).size(), 6u);
  EXPECT_TRUE(Schema::appendOnlyProblems(*db).empty());
  EXPECT_TRUE(log.verify(key).ok());
}

TEST_F(AuditLogTest, VerifyNamesAnEditedRow)
{
  recordFive();
  tamper("UPDATE audit_log SET actor_id = 'someone-else' WHERE id = 3");
  const auto report = log.verify();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(found(report), "edited 3");
  EXPECT_NE(report.problem->what.find("row 3"), std::string::npos) << report.problem->what;
  EXPECT_FALSE(report.problem->at.empty());
}

TEST_F(AuditLogTest, VerifyNamesADeletedRow)
{
  recordFive();
  tamper("DELETE FROM audit_log WHERE id = 3");
  EXPECT_EQ(found(log.verify()), "deleted 3");
}

TEST_F(AuditLogTest, VerifyNamesADeletedRowWhenTheLaterRowsWereRenumbered)
{
  recordFive();
  tamper("DELETE FROM audit_log WHERE id = 3; UPDATE audit_log SET id = id + 1000 WHERE id > 3; "
         "UPDATE audit_log SET id = id - 1001 WHERE id > 1000");
  EXPECT_EQ(found(log.verify()), "deleted 3");
}

TEST_F(AuditLogTest, VerifyNamesAnInsertedRow)
{
  recordFive();
  // Room made by renumbering the later rows, and a row slipped in with a link copied from its neighbour.
  tamper("UPDATE audit_log SET id = id + 1000 WHERE id >= 3; UPDATE audit_log SET id = id - 999 WHERE id > 1000; "
         "INSERT INTO audit_log (id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, link) "
         "SELECT 3, at, actor_id, actor_name, host, action, 'pad-forged', detail, outcome, reason, link "
         "FROM audit_log WHERE id = 2");
  EXPECT_EQ(found(log.verify()), "inserted 3");
}

TEST_F(AuditLogTest, VerifyNamesARowAddedAtTheEnd)
{
  recordFive();
  tamper("INSERT INTO audit_log (id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, link) "
         "SELECT 6, at, actor_id, actor_name, host, action, 'pad-late', detail, outcome, reason, link "
         "FROM audit_log WHERE id = 5");
  EXPECT_EQ(found(log.verify()), "inserted 6");
}

TEST_F(AuditLogTest, ASealCatchesTheTailCutBelowItAndSaysWhatItCannotSee)
{
  recordFive();
  const audit::Seal seal = log.seal(key, {"auditor", "审计员", "h"});
  EXPECT_EQ(seal.throughId, 6); // its own audit_seal row included
  log.record(entry("device_add", "pad-7"));
  log.record(entry("device_add", "pad-8"));
  auto report = log.verify(key);
  EXPECT_TRUE(report.ok()) << found(report);
  ASSERT_EQ(report.seals.size(), 1u);
  EXPECT_TRUE(report.seals[0].holds);
  // Rows after the newest seal: cutting them leaves no trace, and verify says so.
  ASSERT_FALSE(report.notes.empty());
  EXPECT_NE(report.notes.back().find("rows 7–8 after the newest seal"), std::string::npos) << report.notes.back();

  // Cut the two unsealed rows and the two sealed ones before them: the seal sees the sealed ones go.
  tamper("DELETE FROM audit_log WHERE id >= 5");
  report = log.verify(key);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(found(report), "truncated 5");
  EXPECT_NE(report.problem->what.find("rows 5–6 missing"), std::string::npos) << report.problem->what;
  EXPECT_FALSE(report.seals[0].holds);
}

TEST_F(AuditLogTest, AWrongKeyOrAForgedSealFails)
{
  recordFive();
  log.seal(key, {"auditor", "审计员", "h"});
  EXPECT_TRUE(log.verify(key).ok());
  const auto wrong = log.verify(std::string(32, 'w'));
  EXPECT_FALSE(wrong.ok());
  EXPECT_FALSE(wrong.problem); // the chain itself is intact
  ASSERT_EQ(wrong.seals.size(), 1u);
  EXPECT_NE(wrong.seals[0].note.find("MAC does not match"), std::string::npos) << wrong.seals[0].note;
  // Sealing under another key is refused: the seals would no longer verify under one.
  EXPECT_THROW(log.seal(std::string(32, 'w'), {"auditor", "", "h"}), StoreRefusal);

  // Someone who rewrites a row and recomputes every link after it, the seal's chain value too,
  // passes without the key but not with it.
  tamper("UPDATE audit_log SET object = 'pad-X' WHERE id = 2");
  {
    audit::Sm3 h;
    auto rows = log.list({});
    rows[1].object = "pad-X";
    audit::Digest previous = audit::genesis();
    std::string sql;
    for (auto &r : rows)
    {
      r.link = audit::link(h, previous, r);
      previous = r.link;
      sql += db->isPostgres() ? "UPDATE audit_log SET link = '\\x" + audit::hex(r.link) + "' WHERE id = " + std::to_string(r.id) + "; "
                              : "UPDATE audit_log SET link = X'" + audit::hex(r.link) + "' WHERE id = " + std::to_string(r.id) + "; ";
    }
    sql += db->isPostgres() ? "UPDATE audit_seals SET chain = '\\x" + audit::hex(previous) + "'"
                            : "UPDATE audit_seals SET chain = X'" + audit::hex(previous) + "'";
    tamper(sql);
  }
  EXPECT_TRUE(log.verify().ok());
  const auto withKey = log.verify(key);
  EXPECT_FALSE(withKey.ok());
  EXPECT_FALSE(withKey.seals[0].holds);
}

TEST_F(AuditLogTest, ArchiveMovesOldRowsOutAndTheLiveChainGoesOnFromIt)
{
  const core::TimePoint now = core::beijingTime(2026, 12, 1, 9, 0);
  for (int day = 1; day <= 3; ++day)
    log.record(entry("device_add", "old-" + std::to_string(day), core::beijingTime(2026, 1, day, 9, 0)));
  log.record(entry("device_add", "recent", core::beijingTime(2026, 11, 20, 9, 0)));
  log.seal(key, {"auditor", "审计员", "h"});

  // Younger than 180 days: refused, nothing moved.
  EXPECT_THROW(log.archive(core::beijingTime(2026, 7, 1, 0, 0), dir.file("young.audit"), key, {"auditor", "", "h"}, now),
               StoreRefusal);
  EXPECT_FALSE(std::filesystem::exists(dir.file("young.audit")));
  // Under a wrong key: refused.
  EXPECT_THROW(log.archive(core::beijingTime(2026, 2, 1, 0, 0), dir.file("w.audit"), std::string(32, 'w'),
                           {"auditor", "", "h"}, now),
               StoreRefusal);

  const auto result = log.archive(core::beijingTime(2026, 2, 1, 0, 0), dir.file("2026-01.audit"), key, {"auditor", "", "h"}, now);
  EXPECT_EQ(result.firstId, 1);
  EXPECT_EQ(result.throughId, 3);
  const auto live = log.list({});
  ASSERT_EQ(live.size(), 3u); // row 4, the seal's row 5 and the archive's own row 6
  EXPECT_EQ(live.front().id, 4);
  EXPECT_EQ(live.back().action, "audit_archive");

  auto report = log.verify(key);
  EXPECT_TRUE(report.ok()) << found(report) << (report.problem ? report.problem->what : "");
  EXPECT_EQ(report.startId, 4);
  const auto archived = audit::verifyArchive(dir.file("2026-01.audit"), db.get(), key);
  EXPECT_TRUE(archived.ok()) << found(archived) << (archived.problem ? archived.problem->what : "");
  EXPECT_EQ(archived.lastId, 3);

  // The rows still in the log stay append-only, and the log goes on.
  EXPECT_THROW(db->exec("DELETE FROM audit_log WHERE id = 4"), StoreError);
  log.record(entry("device_add", "later"));
  log.seal(key, {"auditor", "", "h"});
  EXPECT_TRUE(log.verify(key).ok());

  // Deleting a live row is still caught after an archive, and an edited archive file too.
  tamper("DELETE FROM audit_log WHERE id = 5");
  EXPECT_EQ(found(log.verify(key)), "deleted 5");
  {
    sqlite3 *raw = nullptr;
    ASSERT_EQ(sqlite3_open(dir.file("2026-01.audit").c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "UPDATE audit_log SET object = 'old-X' WHERE id = 2", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  EXPECT_EQ(found(audit::verifyArchive(dir.file("2026-01.audit"), db.get(), key)), "edited 2");
}

TEST_F(AuditLogTest, SealIfDueSealsOnlyWhenTheIntervalPassedAndRowsCame)
{
  EXPECT_FALSE(log.sealIfDue(key, {"gateway", "", "h"}, std::chrono::hours(1))); // nothing to seal
  recordFive();
  EXPECT_TRUE(log.sealIfDue(key, {"gateway", "", "h"}, std::chrono::hours(1)));
  log.record(entry("device_add", "pad-6"));
  EXPECT_FALSE(log.sealIfDue(key, {"gateway", "", "h"}, std::chrono::hours(1))); // sealed a moment ago
  EXPECT_TRUE(log.sealIfDue(key, {"gateway", "", "h"}, std::chrono::seconds(0)));
  EXPECT_FALSE(log.sealIfDue(key, {"gateway", "", "h"}, std::chrono::seconds(0))); // nothing new
  EXPECT_EQ(log.seals().size(), 2u);
  EXPECT_TRUE(log.verify(key).ok());
}

TEST_F(AuditLogTest, KeyFilesAreTheAdministratorsAlone)
{
  const auto path = dir.file("audit.key");
  audit::writeNewKey(path);
  struct stat st{};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(audit::readKey(path).size(), 32u);
  EXPECT_THROW(audit::writeNewKey(path), StoreError); // never overwritten
  ::chmod(path.c_str(), 0644);
  EXPECT_THROW(audit::readKey(path), StoreError);
}

TEST_F(AuditLogTest, ARunningProcessSealsOnItsSchedule)
{
  recordFive();
  {
    // What a gateway started with --audit-key does, on a connection of its own.
    audit::AuditSealer sealer(store.location(), key, {"griddispatch-gateway", "gateway", "h"}, std::chrono::seconds(1));
    // Waits for the first seal (a bound, not a measurement: it comes within a second or so).
    for (int i = 0; i < 600 && log.seals().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto seals = log.seals();
  ASSERT_FALSE(seals.empty());
  EXPECT_EQ(seals[0].sealedBy, "griddispatch-gateway");
  EXPECT_GE(seals[0].throughId, 6);
  EXPECT_TRUE(log.verify(key).ok());
}
