#include "store/accounts/accountstore.h"

#include "store/accounts/passwordhash.h"
#include "store/accounts/totp.h"
#include "store/config/accountsettings.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;
using namespace std::chrono_literals;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 12, 7, 9, 0);
const std::string kAdminPassword = "Install-Pass-2026";

// The shipped rules with a cheap Argon2id cost (the tests hash dozens of times; the shipped
// cost is measured in bench/), 3 attempts before a lock.
AccountSettings settings()
{
  AccountSettings s = AccountSettings::load(GD_SOURCE_DIR "/resources/config");
  s.accounts.argon2 = core::Argon2Cost{1024, 1, 1};
  s.accounts.lockout = core::LockoutPolicy{3, 60s, 2, 3600s};
  return s;
}

class AccountStoreTest : public ::testing::Test
{
  protected:
    test::TempDir dir;
    store::test::TestStore store{dir.file("a.gpkg")};
    std::unique_ptr<Database> db = Schema::openOrCreate(store.location());
    AccountSettings config = settings();
    AccountStore accounts{*db, config.accounts, config.permissions};
    std::vector<AccountEvent> events;

    void SetUp() override
    {
      accounts.setAuditSink([this](const AccountEvent &e) { events.push_back(e); });
    }

    //! Logs \a id in with \a password and, when asked, the code of \a secret; expects success.
    LoginResult in(const std::string &id, const std::string &password, core::TimePoint at = kNow)
    {
      LoginResult r = accounts.login(id, password, at);
      EXPECT_EQ(r.outcome, LoginOutcome::Success) << id;
      return r;
    }

    //! Creates the three administrators, each past its first login, and returns the sysadmin's session.
    void installAdmins()
    {
      accounts.createAdministrator("sys", "系统管理员甲", core::Role::SystemAdmin, kAdminPassword, kNow);
      accounts.createAdministrator("sec", "安全管理员乙", core::Role::SecurityAdmin, kAdminPassword, kNow);
      accounts.createAdministrator("aud", "审计管理员丙", core::Role::AuditAdmin, kAdminPassword, kNow);
    }
};
} // namespace

TEST_F(AccountStoreTest, ANewStoreHasNoAccount)
{
  EXPECT_FALSE(accounts.hasAccounts());
  EXPECT_TRUE(accounts.list().empty());
}

TEST_F(AccountStoreTest, PasswordsAreStoredAsArgon2idAndAWrongPasswordFails)
{
  installAdmins();
  std::string hash;
  {
    auto q = db->query("SELECT password_hash FROM accounts WHERE id = 'sys'");
    ASSERT_TRUE(q.step());
    hash = q->columnText(0);
  }
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << hash;
  EXPECT_EQ(hash.find(kAdminPassword), std::string::npos);
  EXPECT_TRUE(passwords::verify(hash, kAdminPassword));
  EXPECT_FALSE(passwords::verify(hash, kAdminPassword + "x"));

  EXPECT_EQ(accounts.login("sys", "Install-Pass-2025", kNow).outcome, LoginOutcome::WrongCredentials);
  EXPECT_EQ(accounts.login("nobody", kAdminPassword, kNow).outcome, LoginOutcome::WrongCredentials);
  const auto ok = accounts.login("sec", kAdminPassword, kNow);
  // secadmin needs TOTP (accounts.conf) and has none yet: in, to enrol and change the password.
  EXPECT_EQ(ok.outcome, LoginOutcome::Success);
  EXPECT_TRUE(ok.needsTotpEnrolment);
  // Every attempt reached the audit seam, failures with their reason.
  ASSERT_EQ(events.size(), 3u + 3u);
  EXPECT_EQ(events[3].action, "login");
  EXPECT_EQ(events[3].outcome, "wrong_password");
  EXPECT_EQ(events[4].outcome, "unknown_account");
  EXPECT_EQ(events[5].outcome, "ok");
}

TEST_F(AccountStoreTest, TheFirstAdministratorMustChangeThePasswordAtFirstLogin)
{
  installAdmins();
  auto session = in("sys", kAdminPassword);
  EXPECT_TRUE(session.mustChangePassword);
  EXPECT_FALSE(session.passwordExpired);
  // The new password must meet the policy and differ from the current one.
  EXPECT_THROW(accounts.changePassword(session, "short", kNow), StoreRefusal);
  EXPECT_THROW(accounts.changePassword(session, kAdminPassword, kNow), StoreRefusal);
  accounts.changePassword(session, "Second-Pass-2026", kNow + 1min);
  EXPECT_FALSE(session.mustChangePassword);
  EXPECT_FALSE(in("sys", "Second-Pass-2026", kNow + 2min).mustChangePassword);
  EXPECT_EQ(accounts.login("sys", kAdminPassword, kNow + 3min).outcome, LoginOutcome::WrongCredentials);
  // Too old a password must be changed again.
  const auto later = in("sys", "Second-Pass-2026", kNow + std::chrono::days(91));
  EXPECT_TRUE(later.mustChangePassword);
  EXPECT_TRUE(later.passwordExpired);
  // Only one install administrator of each kind.
  EXPECT_THROW(accounts.createAdministrator("sys2", "又一个", core::Role::SystemAdmin, kAdminPassword, kNow),
               StoreRefusal);
}

TEST_F(AccountStoreTest, NoneOfTheLastPasswordsMayBeUsedAgain)
{
  installAdmins();
  auto session = in("sys", kAdminPassword);
  accounts.changePassword(session, "Second-Pass-2026", kNow);
  accounts.changePassword(session, "Third-Pass-2026", kNow + 1s);
  try
  {
    accounts.changePassword(session, kAdminPassword, kNow + 2s);
    FAIL() << "the first password was accepted again";
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "password_reused");
  }
  EXPECT_THROW(accounts.changePassword(session, "Second-Pass-2026", kNow + 3s), StoreRefusal);
  accounts.changePassword(session, "Fourth-Pass-2026", kNow + 4s);
}

TEST_F(AccountStoreTest, FailedLoginsLockWithAGrowingDelay)
{
  installAdmins();
  EXPECT_EQ(accounts.login("aud", "wrong-1", kNow).outcome, LoginOutcome::WrongCredentials);
  EXPECT_EQ(accounts.login("aud", "wrong-2", kNow).outcome, LoginOutcome::WrongCredentials);
  auto third = accounts.login("aud", "wrong-3", kNow);
  EXPECT_EQ(third.outcome, LoginOutcome::Locked);
  EXPECT_EQ(third.remaining, 60s);
  // Locked: even the right password is refused, with the time left.
  auto locked = accounts.login("aud", kAdminPassword, kNow + 20s);
  EXPECT_EQ(locked.outcome, LoginOutcome::Locked);
  EXPECT_EQ(locked.remaining, 40s);
  EXPECT_EQ(events.back().outcome, "locked");
  // After the delay one more failure locks for twice as long.
  auto again = accounts.login("aud", "wrong-4", kNow + 61s);
  EXPECT_EQ(again.outcome, LoginOutcome::Locked);
  EXPECT_EQ(again.remaining, 120s);
  EXPECT_EQ(accounts.find("aud")->failedLogins, 4);
  // The right password after the delay clears it all.
  in("aud", kAdminPassword, kNow + 61s + 120s);
  EXPECT_EQ(accounts.find("aud")->failedLogins, 0);
  EXPECT_EQ(accounts.login("aud", "wrong-5", kNow + 200s).outcome, LoginOutcome::WrongCredentials);
}

TEST_F(AccountStoreTest, TotpIsEnrolledThenRequiredAndItsSecretIsSealed)
{
  installAdmins();
  auto session = in("sec", kAdminPassword);
  ASSERT_TRUE(session.needsTotpEnrolment);
  const totp::Secret secret = totp::newSecret();
  EXPECT_THROW(accounts.enrolTotp(session, secret, "000000", kNow), StoreRefusal);
  accounts.enrolTotp(session, secret, totp::code(secret, kNow), kNow);
  accounts.changePassword(session, "Guard-Pass-2026", kNow + 1s);

  // The stored secret is neither the secret nor its base32, and the old password does not open it.
  std::vector<std::uint8_t> sealed;
  {
    auto q = db->query("SELECT totp_secret FROM accounts WHERE id = 'sec'");
    ASSERT_TRUE(q.step());
    sealed = q->columnBlob(0);
  }
  EXPECT_EQ(std::search(sealed.begin(), sealed.end(), secret.begin(), secret.end()), sealed.end());
  EXPECT_FALSE(totp::open(sealed, kAdminPassword));
  EXPECT_EQ(totp::open(sealed, "Guard-Pass-2026"), secret);

  const core::TimePoint later = kNow + 10min;
  auto pending = accounts.login("sec", "Guard-Pass-2026", later);
  ASSERT_EQ(pending.outcome, LoginOutcome::NeedsTotp);
  auto wrong = accounts.completeTotp(pending, "123456", later);
  EXPECT_EQ(wrong.outcome, LoginOutcome::WrongTotp);
  auto done = accounts.completeTotp(wrong, totp::code(secret, later), later);
  EXPECT_EQ(done.outcome, LoginOutcome::Success);
  EXPECT_EQ(accounts.find("sec")->failedLogins, 0);
  // The same code is good once.
  auto replay = accounts.login("sec", "Guard-Pass-2026", later + 5s);
  ASSERT_EQ(replay.outcome, LoginOutcome::NeedsTotp);
  EXPECT_EQ(accounts.completeTotp(replay, totp::code(secret, later), later + 5s).outcome, LoginOutcome::WrongTotp);
}

TEST_F(AccountStoreTest, SeparationOfDutiesIsRefusedAndEachAdministratorKeepsToItsDuty)
{
  installAdmins();
  // The system administrator adds accounts but may not give roles.
  const std::string initial = accounts.add("sys", "zhang.san", "张三", kNow);
  EXPECT_EQ(config.accounts.password.problem(initial, "zhang.san"), "");
  try
  {
    accounts.setRoles("sys", "zhang.san", {core::Role::Dispatcher}, kNow);
    FAIL() << "the system administrator gave a role";
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "forbidden");
  }
  // The security administrator gives roles but may not add accounts.
  EXPECT_THROW(accounts.add("sec", "li.si", "李四", kNow), StoreRefusal);
  accounts.setRoles("sec", "zhang.san", {core::Role::DutyOperator, core::Role::Dispatcher}, kNow);
  EXPECT_EQ(accounts.find("zhang.san")->roles, (core::RoleSet{core::Role::DutyOperator, core::Role::Dispatcher}));
  // 三员分立: no account holds two administrator roles, the refusal says why.
  try
  {
    accounts.setRoles("sec", "aud", {core::Role::AuditAdmin, core::Role::SystemAdmin}, kNow);
    FAIL() << "an account was made audit and system administrator";
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "separation_of_duties");
    EXPECT_NE(std::string(e.what()).find("三员分立"), std::string::npos) << e.what();
  }
  EXPECT_EQ(accounts.find("aud")->roles, core::RoleSet{core::Role::AuditAdmin});
  EXPECT_EQ(events.back().outcome, "separation_of_duties");
  // Nor may the security administrator make itself anything.
  EXPECT_THROW(accounts.setRoles("sec", "sec", {core::Role::SecurityAdmin, core::Role::Leader}, kNow), StoreRefusal);
  // The audit administrator may do neither.
  EXPECT_THROW(accounts.add("aud", "wang.wu", "王五", kNow), StoreRefusal);
  EXPECT_THROW(accounts.setRoles("aud", "zhang.san", {core::Role::Leader}, kNow), StoreRefusal);
}

TEST_F(AccountStoreTest, ResetAndDisable)
{
  installAdmins();
  const std::string initial = accounts.add("sys", "zhang.san", "张三", kNow);
  auto first = in("zhang.san", initial);
  EXPECT_TRUE(first.mustChangePassword);
  accounts.changePassword(first, "Zhang-Own-Pass-1", kNow);
  EXPECT_FALSE(in("zhang.san", "Zhang-Own-Pass-1").mustChangePassword);

  const std::string reset = accounts.resetPassword("sys", "zhang.san", kNow + 1h);
  EXPECT_EQ(accounts.login("zhang.san", "Zhang-Own-Pass-1", kNow + 1h).outcome, LoginOutcome::WrongCredentials);
  EXPECT_TRUE(in("zhang.san", reset, kNow + 1h).mustChangePassword);
  EXPECT_THROW(accounts.resetPassword("sec", "zhang.san", kNow), StoreRefusal);

  accounts.disable("sys", "zhang.san", kNow + 2h);
  EXPECT_EQ(accounts.login("zhang.san", reset, kNow + 2h).outcome, LoginOutcome::Disabled);
  EXPECT_THROW(accounts.disable("sys", "sys", kNow), StoreRefusal);
  EXPECT_THROW(accounts.disable("sys", "nobody", kNow), StoreRefusal);
}
