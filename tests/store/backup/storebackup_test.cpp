// Online backups and their restore (issue 17, 数据备份恢复), on both backends: a backup taken
// while another connection goes on writing cases and audit rows is a consistent store of one
// moment; restored into a fresh target it holds every case, event and audit row of that moment
// and verifies; a damaged backup file, a target holding data and a backup of the other backend
// are refused; the retention keeps the newest N of a store's backups.

#include "../storefixture.h"

#include "store/audit/auditlog.h"
#include "store/backup/storebackup.h"
#include "store/storecopy.h"
#include "store/storeerror.h"

#include <atomic>
#include <fstream>
#include <thread>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

audit::Actor backupActor()
{
  return {"backup-test", "备份测试", "test-host"};
}

class StoreBackupTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      for (int i = 0; i < 5; ++i)
        caseIn(core::CaseState::Assigned, at + std::chrono::minutes(i));
      audit::Entry e;
      e.actor = {"u1", "张三", "seat-1"};
      e.action = "login_ok";
      audit::AuditLog(*db).record(e);
    }

    std::filesystem::path backupDir() { return dir.file("backups"); }

    std::int64_t count(Database &d, const std::string &sql) { return d.scalarInt(sql); }

    std::vector<audit::Row> auditRows(Database &d, const std::string &action)
    {
      audit::Filter f;
      f.action = action;
      return audit::AuditLog(d).list(f);
    }

    const core::TimePoint at = core::TimePoint(std::chrono::seconds(1'796'000'000));
};



TEST_F(StoreBackupTest, ABackupTakenWhileWritesGoOnRestoresAConsistentStoreThatVerifies)
{
  // Another connection (a gateway, a console) reports cases and records audit rows throughout.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto other = std::make_unique<Database>(store->location());
    CaseStore otherCases(*other, *workflow, clock.get());
    audit::AuditLog log(*other);
    while (!stop)
    {
      otherCases.report(reportCommand(at + std::chrono::hours(1)));
      audit::Entry e;
      e.actor = {"gw", "gateway", "gw-host"};
      e.action = "device_add";
      e.object = "t-" + std::to_string(written.load());
      log.record(e);
      ++written;
    }
  });
  while (written < 20)
    std::this_thread::yield();
  const auto backup = backup::backupStore(*db, backupDir(), backupActor());
  const int writtenDuring = written;
  stop = true;
  writer.join();
  ASSERT_TRUE(std::filesystem::exists(backup.file));
  ASSERT_TRUE(std::filesystem::exists(backup.manifest));
  EXPECT_GE(backup.content.rowsOf("cases"), 5 + 20);
  EXPECT_LE(backup.content.rowsOf("cases"), 5 + writtenDuring);
  EXPECT_EQ(backup.content.schemaRevision, Schema::kRevision);
  EXPECT_EQ(backup.content.sm3.size(), 64u);
  // The backup is recorded in the store it was taken of.
  const auto backupRows = auditRows(*db, "store_backup");
  ASSERT_EQ(backupRows.size(), 1u);
  EXPECT_EQ(backupRows[0].object, backup.file.string());
  EXPECT_EQ(backupRows[0].actorId, "backup-test");

  TestStore target(dir.file("restored.gpkg"));
  const auto report = backup::restoreStore(backup.file, target.location(), false, backupActor());
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_EQ(report.cases, backup.content.rowsOf("cases"));
  auto restored = Schema::open(target.location());
  EXPECT_EQ(count(*restored, "SELECT count(*) FROM cases"), backup.content.rowsOf("cases"));
  EXPECT_EQ(count(*restored, "SELECT count(*) FROM case_events"), backup.content.rowsOf("case_events"));
  // Every audit row of the moment, then the restore's own.
  EXPECT_EQ(count(*restored, "SELECT count(*) FROM audit_log"), backup.content.rowsOf("audit_log") + 1);
  EXPECT_FALSE(audit::AuditLog(*restored).verify().problem.has_value());
  const auto restoreRows = auditRows(*restored, "store_restore");
  ASSERT_EQ(restoreRows.size(), 1u);
  EXPECT_EQ(restoreRows[0].outcome, "ok");
}

TEST_F(StoreBackupTest, ARestoredStoreHoldsEveryCaseEventAndAuditRowOfItsSource)
{
  const auto backup = backup::backupStore(*db, backupDir(), backupActor());
  TestStore target(dir.file("restored.gpkg"));
  const auto report = backup::restoreStore(backup.file, target.location(), false, backupActor());
  ASSERT_TRUE(report.ok()) << report.problems.front();
  auto restored = Schema::open(target.location());
  // The data tables, digested row by row on both ends, are equal.
  const auto source = storeDigest(*db);
  const auto copy = storeDigest(*restored);
  ASSERT_EQ(source.size(), copy.size());
  for (std::size_t i = 0; i < source.size(); ++i)
  {
    EXPECT_EQ(source[i].table, copy[i].table);
    EXPECT_EQ(source[i].rows, copy[i].rows) << source[i].table;
    EXPECT_EQ(source[i].sha256, copy[i].sha256) << source[i].table;
  }
  // The audit rows (not digested: each end appends its own) are those of the source up to the
  // backup's row, link for link.
  const auto sourceRows = audit::AuditLog(*db).list({});
  const auto copyRows = audit::AuditLog(*restored).list({});
  ASSERT_EQ(copyRows.size(), sourceRows.size()); // the source's store_backup row ↔ the copy's store_restore row
  for (std::size_t i = 0; i + 1 < sourceRows.size(); ++i)
    EXPECT_EQ(audit::hex(sourceRows[i].link), audit::hex(copyRows[i].link)) << "row " << sourceRows[i].id;
  EXPECT_EQ(copyRows.back().action, "store_restore");
}

TEST_F(StoreBackupTest, ADamagedBackupIsRefusedNamingTheProblem)
{
  const auto backup = backup::backupStore(*db, backupDir(), backupActor());
  {
    std::fstream f(backup.file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(backup.file) / 2));
    f.put('\x5a');
  }
  TestStore target(dir.file("restored.gpkg"));
  try
  {
    backup::restoreStore(backup.file, target.location(), false, backupActor());
    FAIL() << "a damaged backup was restored";
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "backup_corrupt");
    EXPECT_NE(std::string(e.what()).find("does not match its manifest"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(backup.file.filename().string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(Schema::revision(*std::make_unique<Database>(target.location(), Database::Mode::ReadWriteCreate)), 0)
    << "nothing was restored";

  // Without its manifest, a backup is refused too.
  const auto second = backup::backupStore(*db, dir.file("other"), backupActor());
  std::filesystem::remove(second.manifest);
  EXPECT_THROW(backup::restoreStore(second.file, target.location(), false, backupActor()), StoreRefusal);
}

TEST_F(StoreBackupTest, ARestoreRefusesATargetHoldingDataUnlessForced)
{
  const auto backup = backup::backupStore(*db, backupDir(), backupActor());
  TestStore target(dir.file("busy.gpkg"));
  {
    auto busy = Schema::openOrCreate(target.location());
    CaseStore(*busy, *workflow, clock.get()).report(reportCommand(at));
  }
  try
  {
    backup::restoreStore(backup.file, target.location(), false, backupActor());
    FAIL() << "a store holding data was overwritten";
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "target_not_empty");
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  {
    auto busy = Schema::open(target.location());
    EXPECT_EQ(busy->scalarInt("SELECT count(*) FROM cases"), 1) << "the target is untouched";
  }
  const auto report = backup::restoreStore(backup.file, target.location(), true, backupActor());
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  auto restored = Schema::open(target.location());
  EXPECT_EQ(restored->scalarInt("SELECT count(*) FROM cases"), 5);
}

TEST_F(StoreBackupTest, TheRetentionKeepsTheNewestBackupsOfTheStore)
{
  std::vector<std::filesystem::path> files;
  for (int i = 0; i < 4; ++i)
    files.push_back(backup::backupStore(*db, backupDir(), backupActor(), 2).file);
  EXPECT_FALSE(std::filesystem::exists(files[0]));
  EXPECT_FALSE(std::filesystem::exists(backup::manifestPath(files[0])));
  EXPECT_FALSE(std::filesystem::exists(files[1]));
  EXPECT_TRUE(std::filesystem::exists(files[2]));
  EXPECT_TRUE(std::filesystem::exists(files[3]));
  // Another file in the directory (not a backup of this store) is left alone.
  std::ofstream(backupDir() / "notes.txt") << "keep me";
  backup::pruneBackups(backupDir(), db->location().display(), 1);
  EXPECT_TRUE(std::filesystem::exists(backupDir() / "notes.txt"));
  EXPECT_FALSE(std::filesystem::exists(files[2]));
  EXPECT_TRUE(std::filesystem::exists(files[3]));
}

TEST_F(StoreBackupTest, ABackupOfTheOtherBackendIsRefused)
{
  const auto backup = backup::backupStore(*db, backupDir(), backupActor());
  // The manifest says which backend the file is of; a target of the other kind is refused.
  const StoreLocation other = storesOnPostgres() ? StoreLocation::file(dir.file("x.gpkg"))
                                                 : StoreLocation::parse("postgresql://127.0.0.1:1/none");
  try
  {
    backup::restoreStore(backup.file, other, false, backupActor());
    FAIL() << "restored across backends";
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "backup_backend");
  }
}

} // namespace
