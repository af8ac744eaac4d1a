#include "console/login/logincontroller.h"

#include <openssl/crypto.h>

#include "console/session/storeaccess.h"
#include "store/accounts/accountaudit.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <QCoreApplication>
#include <QEvent>

namespace gd::console {

namespace {

std::string str(const QString &text)
{
  return text.toStdString();
}

} // namespace

LoginController::LoginController(std::unique_ptr<store::Database> db, store::AccountSettings settings, Clock clock,
                                 QObject *parent)
  : QObject(parent)
  , mDb(std::move(db))
  , mSettings(std::move(settings))
  , mAccounts(std::make_unique<store::AccountStore>(*mDb, mSettings.accounts, mSettings.permissions))
  , mClock(std::move(clock))
{
  // Every login attempt, logout, lock and account change goes into the audit trail.
  mAccounts->setAuditSink(store::auditTrailSink(*mDb));
  mIdle.setSingleShot(true);
  connect(&mIdle, &QTimer::timeout, this, [this] {
    if (mSession && !mLocked)
      emit idleLockDue();
  });
}

LoginController::~LoginController()
{
  if (qApp)
    qApp->removeEventFilter(this);
}

std::unique_ptr<LoginController> LoginController::forStore(const QString &storePath, const QString &configDir)
{
  auto db = store::Schema::open(storeLocation(storePath));
  // A store written before accounts existed (revision < 15) has none: no login, as before.
  if (store::Schema::revision(*db) < 15 ||
      !store::AccountStore(*db, core::AccountsConfig{}, core::PermissionMatrix{}).hasAccounts())
    return nullptr;
  const std::filesystem::path dir =
    configDir.isEmpty() ? store::ConfigDirectory::defaultPath() : std::filesystem::path(str(configDir));
  return std::make_unique<LoginController>(std::move(db), store::AccountSettings::load(dir));
}

core::TimePoint LoginController::now() const
{
  return mClock ? mClock() : store::nowUtc();
}

QString LoginController::seatRefusal(const core::RoleSet &roles, const QString &seatDepartment)
{
  if (roles.count(core::Role::DepartmentHandler) && seatDepartment.isEmpty())
    return tr("A department handler works at a department's seat: this seat belongs to no department. "
              "Log in at your department's seat, or ask the system administrator for one");
  return {};
}

QString LoginController::lockedMessage(std::chrono::seconds remaining) const
{
  const auto seconds = remaining.count();
  const QString left = seconds >= 60 ? tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60) : tr("%1 s").arg(seconds);
  return tr("This account is locked after too many failed logins. Try again in %1.").arg(left);
}

QString LoginController::refusalMessage(const store::StoreRefusal &refusal) const
{
  const auto &policy = mSettings.accounts.password;
  if (refusal.reason() == "password_policy")
    return tr("The new password does not meet the policy: at least %1 characters, mixing %2 of lower-case letters, "
              "upper-case letters, digits and other characters, and not containing the account id.")
      .arg(policy.minLength)
      .arg(policy.minClasses);
  if (refusal.reason() == "password_reused")
    return tr("This password was used before: choose one that is not among the last %1.").arg(policy.historySize);
  if (refusal.reason() == "wrong_totp")
    return tr("That is not the code the authenticator shows. Scan the QR code again and type the current code.");
  return QString::fromStdString(refusal.what());
}

LoginController::Step LoginController::afterSuccess()
{
  if (mSession->needsTotpEnrolment)
  {
    if (!mEnrolment)
      mEnrolment = store::totp::newSecret();
    mMessage = tr("Your role needs a second factor. Scan this QR code with an authenticator app (or type the key), "
                  "then enter the 6-digit code it shows.");
    return mStep = Step::EnrolTotp;
  }
  if (mSession->mustChangePassword)
  {
    mMessage = mSession->passwordExpired ? tr("Your password is older than %1 days: choose a new one.")
                                             .arg(mSettings.accounts.password.maxAgeDays)
                                         : tr("This is your first login with this password: choose your own.");
    return mStep = Step::ChangePassword;
  }
  mMessage.clear();
  if (mEnrolment && !mEnrolment->empty())
    OPENSSL_cleanse(mEnrolment->data(), mEnrolment->size());
  mEnrolment.reset();
  // Nothing after the login needs the password or the opened second-factor secret (the lock
  // screen checks a typed password against the hash): they do not stay in memory.
  mSession->forgetCredentials();
  if (mPending)
    mPending->forgetCredentials();
  mPending.reset();
  return mStep = Step::Done;
}

LoginController::Step LoginController::submitPassword(const QString &id, const QString &password)
{
  mPending.reset();
  mSession.reset();
  const std::string account = str(id.trimmed());
  if (account.empty() || password.isEmpty())
  {
    mMessage = tr("Enter your account and password.");
    return mStep = Step::Password;
  }
  store::LoginResult result = mAccounts->login(account, str(password), now());
  switch (result.outcome)
  {
    case store::LoginOutcome::Success:
      mSession = std::move(result);
      return afterSuccess();
    case store::LoginOutcome::NeedsTotp:
      mPending = std::move(result);
      mMessage = tr("Enter the 6-digit code of your authenticator app.");
      return mStep = Step::Totp;
    case store::LoginOutcome::Locked: mMessage = lockedMessage(result.remaining); break;
    case store::LoginOutcome::Disabled: mMessage = tr("This account is disabled. Ask the system administrator."); break;
    default: mMessage = tr("Wrong account or password."); break;
  }
  return mStep = Step::Password;
}

LoginController::Step LoginController::submitTotp(const QString &code)
{
  if (!mPending)
    return mStep = Step::Password;
  store::LoginResult result = mAccounts->completeTotp(std::move(*mPending), str(code.trimmed()), now());
  mPending.reset();
  switch (result.outcome)
  {
    case store::LoginOutcome::Success:
      mSession = std::move(result);
      return afterSuccess();
    case store::LoginOutcome::WrongTotp:
      mPending = std::move(result);
      mPending->outcome = store::LoginOutcome::NeedsTotp;
      mMessage = tr("Wrong or already used code. Wait for the next code and try again.");
      return mStep = Step::Totp;
    case store::LoginOutcome::Locked: mMessage = lockedMessage(result.remaining); break;
    default: mMessage = tr("Wrong account or password."); break;
  }
  return mStep = Step::Password;
}

LoginController::Step LoginController::submitEnrolment(const QString &code)
{
  if (!mSession || !mEnrolment)
    return mStep;
  try
  {
    mAccounts->enrolTotp(*mSession, *mEnrolment, str(code.trimmed()), now());
  }
  catch (const store::StoreRefusal &refusal)
  {
    mMessage = refusalMessage(refusal);
    return mStep;
  }
  mEnrolment.reset();
  return afterSuccess();
}

LoginController::Step LoginController::submitNewPassword(const QString &password, const QString &again)
{
  if (!mSession)
    return mStep;
  if (password != again)
  {
    mMessage = tr("The two passwords differ.");
    return mStep;
  }
  try
  {
    mAccounts->changePassword(*mSession, str(password), now());
  }
  catch (const store::StoreRefusal &refusal)
  {
    mMessage = refusalMessage(refusal);
    return mStep;
  }
  return afterSuccess();
}

QString LoginController::enrolmentUri() const
{
  if (!mEnrolment || !mSession)
    return {};
  return QString::fromStdString(store::totp::otpauthUri("GridDispatch", mSession->account.id, *mEnrolment));
}

QString LoginController::enrolmentSecret() const
{
  return mEnrolment ? QString::fromStdString(store::totp::base32(*mEnrolment)) : QString();
}

QString LoginController::accountId() const
{
  return mSession ? QString::fromStdString(mSession->account.id) : QString();
}

QString LoginController::displayName() const
{
  return mSession ? QString::fromStdString(mSession->account.displayName) : QString();
}

bool LoginController::holdsCredentials() const
{
  const auto holds = [](const std::optional<store::LoginResult> &r) {
    return r && (!r->password.empty() || r->secret.has_value());
  };
  return holds(mSession) || holds(mPending) || mEnrolment.has_value();
}

core::RoleSet LoginController::roles() const
{
  return mSession ? mSession->account.roles : core::RoleSet{};
}

void LoginController::restart()
{
  mPending.reset();
  if (!loggedIn())
    mSession.reset();
  mEnrolment.reset();
  mMessage.clear();
  mStep = Step::Password;
}

void LoginController::logout()
{
  if (mSession)
    mAccounts->report({mSession->account.id, mSession->account.id, "logout", "ok", "", now()});
  mSession.reset();
  mPending.reset();
  mEnrolment.reset();
  mLocked = false;
  mMessage.clear();
  mStep = Step::Password;
  mIdle.stop();
}

void LoginController::lock()
{
  if (!mSession || mLocked)
    return;
  mLocked = true;
  mMessage.clear();
  mAccounts->report({mSession->account.id, mSession->account.id, "lock", "ok", "", now()});
}

bool LoginController::unlock(const QString &password)
{
  if (!mSession || !mLocked)
    return !mLocked;
  const auto result = mAccounts->recheck(mSession->account.id, str(password), now());
  switch (result.outcome)
  {
    case store::LoginOutcome::Success:
      mLocked = false;
      mMessage.clear();
      if (mIdle.interval() > 0)
        mIdle.start();
      return true;
    case store::LoginOutcome::Locked: mMessage = lockedMessage(result.remaining); break;
    case store::LoginOutcome::Disabled: mMessage = tr("This account is disabled. Ask the system administrator."); break;
    default: mMessage = tr("Wrong password."); break;
  }
  return false;
}

std::chrono::milliseconds LoginController::idleTimeout() const
{
  return mSettings.accounts.idleLock;
}

void LoginController::watchIdle(std::optional<std::chrono::milliseconds> timeoutOverride)
{
  mIdle.setInterval(timeoutOverride.value_or(idleTimeout()));
  qApp->installEventFilter(this);
  mIdle.start();
}

bool LoginController::eventFilter(QObject *watched, QEvent *event)
{
  switch (event->type())
  {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
      if (!mLocked && mIdle.interval() > 0)
        mIdle.start(); // input: the idle time starts again
      break;
    default: break;
  }
  return QObject::eventFilter(watched, event);
}

} // namespace gd::console
