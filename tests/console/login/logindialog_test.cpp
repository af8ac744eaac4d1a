// The console's login (issue 17), offscreen: the dialog a person sees before the main window
// on a store with accounts — wrong password, lockout with the time left, TOTP enrolment by QR
// code, the forced password change at the first login — and the lock screen.

#include "console/login/logincontroller.h"
#include "console/login/logindialog.h"
#include "console/login/qrcode.h"
#include "store/accounts/accountstore.h"
#include "store/accounts/totp.h"
#include "store/config/accountsettings.h"
#include "store/database.h"
#include "store/schema.h"
#include "storebackend.h"

#include <gtest/gtest.h>

#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace gd;
using namespace gd::console;
using namespace std::chrono_literals;
using Step = LoginController::Step;

namespace {

const core::TimePoint kNow = core::beijingTime(2026, 12, 7, 9, 0);
const QString kInstall = QStringLiteral("Install-Pass-2026");

store::AccountSettings settings()
{
  auto s = store::AccountSettings::load(GD_SOURCE_DIR "/resources/config");
  s.accounts.argon2 = core::Argon2Cost{1024, 1, 1}; // the shipped cost is for bench/, not for every test
  s.accounts.lockout = core::LockoutPolicy{3, 60s, 2, 3600s};
  s.accounts.totpRoles = {core::Role::SystemAdmin};
  return s;
}

class LoginDialogTest : public ::testing::Test
{
  protected:
    QTemporaryDir dir;
    store::test::TestStore store{std::filesystem::path(dir.filePath(QStringLiteral("s.gpkg")).toStdString())};
    core::TimePoint now = kNow;
    std::unique_ptr<LoginController> controller;

    void SetUp() override
    {
      auto db = store::Schema::openOrCreate(store.location());
      {
        const auto s = settings();
        store::AccountStore accounts(*db, s.accounts, s.permissions);
        accounts.createAdministrator("sys", "系统管理员甲", core::Role::SystemAdmin, kInstall.toStdString(), kNow);
        accounts.createAdministrator("aud", "审计管理员丙", core::Role::AuditAdmin, kInstall.toStdString(), kNow);
      }
      controller = std::make_unique<LoginController>(std::move(db), settings(), [this] { return now; });
    }

    static void type(QLineEdit *field, const QString &text)
    {
      field->clear();
      QTest::keyClicks(field, text);
    }
};

} // namespace

TEST_F(LoginDialogTest, FirstLoginEnrolsTotpByQrCodeThenForcesANewPassword)
{
  LoginDialog dialog(controller.get(), LoginDialog::Mode::Login);
  dialog.show();
  EXPECT_EQ(dialog.shownStep(), Step::Password);

  type(dialog.accountField(), QStringLiteral("sys"));
  type(dialog.passwordField(), QStringLiteral("Install-Pass-2025"));
  QTest::keyClick(dialog.passwordField(), Qt::Key_Return);
  EXPECT_EQ(dialog.shownStep(), Step::Password);
  EXPECT_EQ(dialog.messageLabel()->text(), QStringLiteral("Wrong account or password."));
  EXPECT_TRUE(dialog.passwordField()->text().isEmpty()); // never left in the field

  type(dialog.passwordField(), kInstall);
  dialog.submit();
  // sysadmin needs TOTP and has none: the QR code of the otpauth URI, then the first code.
  ASSERT_EQ(dialog.shownStep(), Step::EnrolTotp);
  ASSERT_FALSE(dialog.qrImage().isNull());
  EXPECT_TRUE(dialog.qrLabel()->isVisibleTo(&dialog));
  EXPECT_TRUE(controller->enrolmentUri().startsWith(QStringLiteral("otpauth://totp/GridDispatch:sys?secret=")));
  const auto secret = store::totp::fromBase32(controller->enrolmentSecret().toStdString());
  ASSERT_TRUE(secret);
  type(dialog.enrolCodeField(), QStringLiteral("000000"));
  dialog.submit();
  EXPECT_EQ(dialog.shownStep(), Step::EnrolTotp);
  type(dialog.enrolCodeField(), QString::fromStdString(store::totp::code(*secret, now)));
  dialog.submit();

  // Must change at the first login: the new password twice, by the policy.
  ASSERT_EQ(dialog.shownStep(), Step::ChangePassword);
  type(dialog.newPasswordField(), QStringLiteral("Harbour-Light-2026"));
  type(dialog.againField(), QStringLiteral("Harbour-Light-2062"));
  dialog.submit();
  EXPECT_EQ(dialog.shownStep(), Step::ChangePassword);
  EXPECT_EQ(dialog.messageLabel()->text(), QStringLiteral("The two passwords differ."));
  type(dialog.newPasswordField(), QStringLiteral("short"));
  type(dialog.againField(), QStringLiteral("short"));
  dialog.submit();
  EXPECT_TRUE(dialog.messageLabel()->text().contains(QStringLiteral("at least 12 characters")));
  type(dialog.newPasswordField(), QStringLiteral("Harbour-Light-2026"));
  type(dialog.againField(), QStringLiteral("Harbour-Light-2026"));
  dialog.submit();
  EXPECT_EQ(dialog.result(), QDialog::Accepted);
  EXPECT_TRUE(controller->loggedIn());
  EXPECT_EQ(controller->accountId(), QStringLiteral("sys"));
  EXPECT_EQ(controller->displayName(), QStringLiteral("系统管理员甲"));
  // 剩余信息保护: the typed password and the opened TOTP secret do not stay in memory.
  EXPECT_FALSE(controller->holdsCredentials());

  // The next login asks for the TOTP code (a later one: each code is good once).
  controller->logout();
  now += 2min;
  LoginDialog again(controller.get(), LoginDialog::Mode::Login);
  type(again.accountField(), QStringLiteral("sys"));
  type(again.passwordField(), QStringLiteral("Harbour-Light-2026"));
  again.submit();
  ASSERT_EQ(again.shownStep(), Step::Totp);
  type(again.codeField(), QString::fromStdString(store::totp::code(*secret, now)));
  EXPECT_TRUE(controller->holdsCredentials()); // between the steps: the password seals nothing yet
  again.submit();
  EXPECT_EQ(again.result(), QDialog::Accepted);
  EXPECT_FALSE(controller->holdsCredentials());
}

TEST_F(LoginDialogTest, LockoutSaysHowLongIsLeft)
{
  LoginDialog dialog(controller.get(), LoginDialog::Mode::Login);
  type(dialog.accountField(), QStringLiteral("aud"));
  for (int i = 0; i < 3; ++i)
  {
    type(dialog.passwordField(), QStringLiteral("guess-%1").arg(i));
    dialog.submit();
  }
  EXPECT_EQ(dialog.messageLabel()->text(),
            QStringLiteral("This account is locked after too many failed logins. Try again in 1 min 0 s."));
  now += 35s;
  type(dialog.passwordField(), kInstall); // the right one, but still locked
  dialog.submit();
  EXPECT_EQ(dialog.messageLabel()->text(),
            QStringLiteral("This account is locked after too many failed logins. Try again in 25 s."));
  EXPECT_NE(dialog.result(), QDialog::Accepted);
}

TEST_F(LoginDialogTest, TheLockScreenNeedsThePasswordAgain)
{
  // aud: no TOTP for its role here; past its first login.
  ASSERT_EQ(controller->submitPassword(QStringLiteral("aud"), kInstall), Step::ChangePassword);
  ASSERT_EQ(controller->submitNewPassword(QStringLiteral("Mountain-Rain-2026"), QStringLiteral("Mountain-Rain-2026")), Step::Done);

  // Inactivity locks the console (the configured minutes, shortened here).
  QSignalSpy due(controller.get(), &LoginController::idleLockDue);
  controller->watchIdle(20ms);
  ASSERT_TRUE(due.wait(5000));
  controller->lock();
  EXPECT_TRUE(controller->isLocked());

  LoginDialog lock(controller.get(), LoginDialog::Mode::Lock);
  EXPECT_EQ(lock.accountField()->text(), QStringLiteral("aud"));
  EXPECT_FALSE(lock.accountField()->isEnabled());
  type(lock.passwordField(), kInstall);
  lock.submit();
  EXPECT_EQ(lock.messageLabel()->text(), QStringLiteral("Wrong password."));
  EXPECT_TRUE(controller->isLocked());
  type(lock.passwordField(), QStringLiteral("Mountain-Rain-2026"));
  lock.submit();
  EXPECT_EQ(lock.result(), QDialog::Accepted);
  EXPECT_FALSE(controller->isLocked());
  EXPECT_TRUE(controller->loggedIn());
}

TEST(QrCode, EncodesTheUriWithAQuietZone)
{
  const QImage image = qrCodeImage("otpauth://totp/GridDispatch:sys?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 3);
  ASSERT_FALSE(image.isNull());
  EXPECT_EQ(image.width(), image.height());
  EXPECT_EQ(image.pixel(0, 0), qRgb(255, 255, 255));    // the quiet zone
  EXPECT_EQ(image.pixel(4 * 3, 4 * 3), qRgb(0, 0, 0)); // the finder pattern's corner
}
