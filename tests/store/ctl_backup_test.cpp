// griddispatch-ctl backup / restore (issue 17, 数据备份恢复), the real program on both backends:
// a backup with its manifest and retention, a restore into a fresh target that verifies, a
// damaged file and a target holding data refused with the reason (and the refusal recorded in
// that target's audit log).

#include "ctlrun.h"
#include "storefixture.h"

#include "store/audit/auditlog.h"
#include "store/backup/storebackup.h"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

class CtlBackupTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      const core::TimePoint at = core::TimePoint(std::chrono::seconds(1'796'000'000));
      caseIn(core::CaseState::Closed, at);
      caseIn(core::CaseState::Assigned, at + std::chrono::hours(1));
      db.reset(); // the program opens the store itself
    }

    CtlResult ctl(const std::string &args) { return runCtl(args, dir.file("stderr.txt")); }
    std::string quoted(const std::string &s) { return "'" + s + "'"; }
};

TEST_F(CtlBackupTest, BackupKeepRestoreAndTheRefusals)
{
  const std::string out = dir.file("backups").string();
  CtlResult r;
  for (int i = 0; i < 3; ++i)
  {
    r = ctl("backup --json --keep 2 --db " + quoted(store->dbArgument()) + " --out " + quoted(out));
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  }
  const auto j = nlohmann::json::parse(r.out);
  const std::string file = j.at("file").get<std::string>();
  EXPECT_EQ(j.at("cases").get<int>(), 2);
  EXPECT_EQ(j.at("removed").size(), 1u);
  int backups = 0;
  for (const auto &e : std::filesystem::directory_iterator(out))
    backups += e.path().extension() != ".json";
  EXPECT_EQ(backups, 2) << "--keep 2";

  TestStore target(dir.file("restored.gpkg"));
  r = ctl("restore --from " + quoted(file) + " --db " + quoted(target.dbArgument()));
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("2 case(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verified"), std::string::npos) << r.out;
  r = ctl("verify --db " + quoted(target.dbArgument()));
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;

  // Again into the same target: it holds data now.
  r = ctl("restore --from " + quoted(file) + " --db " + quoted(target.dbArgument()));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("not empty"), std::string::npos) << r.err;
  {
    auto restored = Schema::open(target.location());
    audit::Filter f;
    f.action = "store_restore";
    const auto rows = audit::AuditLog(*restored).list(f);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].outcome, "ok");
    EXPECT_EQ(rows[1].outcome, "refused");
  }

  // A damaged file.
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x01');
  }
  TestStore fresh(dir.file("fresh.gpkg"));
  r = ctl("restore --from " + quoted(file) + " --db " + quoted(fresh.dbArgument()));
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("does not match its manifest"), std::string::npos) << r.err;
}

} // namespace
