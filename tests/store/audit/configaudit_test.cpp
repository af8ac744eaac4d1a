// Configuration changes in the audit trail (issue 17): at each start a gateway or console
// compares the configuration files' SM3 digests with those last recorded in the audit log; a
// file changed, added or removed between two starts leaves one config_change row naming it with
// its old and new digests, as the OS user; an unchanged configuration none.

#include "../storefixture.h"

#include "store/audit/configaudit.h"

#include <fstream>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

class ConfigAuditTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      configDir = dir.file("config");
      std::filesystem::create_directories(configDir / "calendar");
      write("accounts.conf", "[password]\nmin_length = 12\n");
      write("permissions.conf", "auditadmin = audit.read\n");
      write("calendar/2026.cal", "2026-10-01 holiday\n");
    }

    void write(const std::string &name, const std::string &text) { std::ofstream(configDir / name) << text; }

    std::vector<audit::Row> changeRows()
    {
      audit::Filter f;
      f.action = "config_change";
      return audit::AuditLog(*db).list(f);
    }

    std::vector<audit::ConfigChange> start() { return audit::recordConfigChanges(*db, configDir, audit::osActor()); }

    std::filesystem::path configDir;
};

TEST_F(ConfigAuditTest, TheFirstStartRecordsEveryFileOnceAndAnUnchangedStartNothing)
{
  const auto first = start();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].file, "accounts.conf");
  EXPECT_EQ(first[0].oldDigest, "none");
  EXPECT_EQ(first[1].file, "calendar/2026.cal");
  EXPECT_EQ(changeRows().size(), 3u);

  EXPECT_TRUE(start().empty());
  EXPECT_EQ(changeRows().size(), 3u) << "an unchanged configuration records nothing";
}

TEST_F(ConfigAuditTest, AFileChangedBetweenTwoStartsLeavesOneRowNamingItWithBothDigests)
{
  start();
  const std::string before = audit::hex(audit::sm3("[password]\nmin_length = 12\n"));
  write("accounts.conf", "[password]\nmin_length = 8\n");
  const std::string after = audit::hex(audit::sm3("[password]\nmin_length = 8\n"));

  const auto changes = start();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].file, "accounts.conf");
  const auto rows = changeRows();
  ASSERT_EQ(rows.size(), 4u);
  const audit::Row &row = rows.back();
  EXPECT_EQ(row.object, "accounts.conf");
  EXPECT_NE(row.detail.find(before), std::string::npos) << row.detail;
  EXPECT_NE(row.detail.find(after), std::string::npos) << row.detail;
  EXPECT_EQ(row.actorId, audit::osActor().id);
  EXPECT_EQ(row.host, audit::osActor().host);
  EXPECT_TRUE(start().empty()) << "recorded once";
}

TEST_F(ConfigAuditTest, AnAddedAndARemovedFileAreRecorded)
{
  start();
  std::filesystem::remove(configDir / "permissions.conf");
  write("departments.conf", "[fire]\nname = 消防\n");
  const auto changes = start();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].file, "departments.conf");
  EXPECT_EQ(changes[0].oldDigest, "none");
  EXPECT_EQ(changes[1].file, "permissions.conf");
  EXPECT_EQ(changes[1].newDigest, "removed");
  EXPECT_TRUE(start().empty());
  // Back again: added anew.
  write("permissions.conf", "auditadmin = audit.read\n");
  const auto back = start();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].oldDigest, "none");
}

} // namespace
