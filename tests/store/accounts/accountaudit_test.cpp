// Logins and account changes reach the audit trail (issue 17, §8.1.4 安全审计 a: every user's
// logins, successful and failed, and account changes), with the account's name and the seat.
#include "store/accounts/accountaudit.h"

#include "store/audit/auditlog.h"
#include "store/config/accountsettings.h"
#include "store/database.h"
#include "store/schema.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;
using namespace std::chrono_literals;

TEST(AccountAuditTest, LoginsAndAccountChangesAreAuditedWithNamesAndTheChainHolds)
{
  test::TempDir dir;
  store::test::TestStore store{dir.file("a.gpkg")};
  auto db = Schema::openOrCreate(store.location());
  AccountSettings settings = AccountSettings::load(GD_SOURCE_DIR "/resources/config");
  settings.accounts.argon2 = core::Argon2Cost{1024, 1, 1};
  AccountStore accounts(*db, settings.accounts, settings.permissions);
  accounts.setAuditSink(auditTrailSink(*db, "seat-07"));
  const core::TimePoint now = core::beijingTime(2026, 12, 8, 9, 0);

  accounts.createAdministrator("sys", "系统管理员甲", core::Role::SystemAdmin, "Install-Pass-2026", now);
  EXPECT_NE(accounts.login("sys", "wrong-Pass-1", now + 1s).outcome, LoginOutcome::Success);
  EXPECT_NE(accounts.login("nobody", "whatever-1A", now + 2s).outcome, LoginOutcome::Success);
  accounts.login("sys", "Install-Pass-2026", now + 3s);

  const auto rows = audit::AuditLog(*db).list({});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].action, "account_create");
  EXPECT_EQ(rows[0].object, "sys");
  EXPECT_EQ(rows[1].action, "login_failed");
  EXPECT_EQ(rows[1].actorId, "sys");
  EXPECT_EQ(rows[1].actorName, "系统管理员甲");
  EXPECT_EQ(rows[1].host, "seat-07");
  EXPECT_EQ(rows[1].outcome, "refused");
  EXPECT_EQ(rows[1].reason, "wrong_password");
  EXPECT_EQ(rows[2].action, "login_failed");
  EXPECT_EQ(rows[2].actorId, "nobody");
  EXPECT_EQ(rows[2].actorName, "");
  EXPECT_EQ(rows[2].reason, "unknown_account");
  EXPECT_EQ(rows[3].action, "login_ok");
  EXPECT_EQ(rows[3].outcome, "ok");
  EXPECT_TRUE(audit::AuditLog(*db).verify().ok());
}
