#pragma once
// The console's login (issue 17): who is at the console, checked against the store's accounts
// before the main window opens, the forced password change, the TOTP step and its enrolment,
// lockout messages with the time left, logout, and the lock after inactivity.
// LoginController holds the logic (testable without the dialog); LoginDialog shows its steps.

#include "core/timeutil.h"
#include "store/accounts/accountstore.h"
#include "store/config/accountsettings.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QWidget;

namespace gd::store {
class Database;
class StoreRefusal;
} // namespace gd::store

namespace gd::console {

class LoginController : public QObject
{
    Q_OBJECT

  public:
    using Clock = std::function<core::TimePoint()>;

    //! The steps of a login, in order; the dialog shows one at a time.
    enum class Step { Password, Totp, EnrolTotp, ChangePassword, Done };

    /**
     * A login against the accounts of \a db (owned) under \a settings; \a clock gives "now"
     * (the wall clock when empty: tests pass a fixed one).
     */
    LoginController(std::unique_ptr<store::Database> db, store::AccountSettings settings, Clock clock = {},
                    QObject *parent = nullptr);
    ~LoginController() override;

    /**
     * The controller for the store at \a store (a file or a database) with the rules of the
     * configuration directory \a configDir, or nullptr when the store has no account (then the
     * console runs without a login, as the demo does). Throws std::exception naming the problem
     * (a bad accounts.conf or permissions.conf, a store that cannot be opened).
     */
    static std::unique_ptr<LoginController> forStore(const QString &store, const QString &configDir);

    store::AccountStore &accounts() { return *mAccounts; }

    /**
     * Why an account holding \a roles may not work at a seat of department \a seatDepartment
     * (issue 17): a department handler (部门处置人员) handles its department's cases, so it
     * needs a department seat. Empty when it may.
     */
    static QString seatRefusal(const core::RoleSet &roles, const QString &seatDepartment);

    //! The step to show now and the message that goes with it (an error, a hint; empty for none).
    Step step() const { return mStep; }
    QString message() const { return mMessage; }

    //! The password step: account id and password.
    Step submitPassword(const QString &id, const QString &password);
    //! The TOTP step: the 6-digit code.
    Step submitTotp(const QString &code);
    //! The enrolment step: the code the phone shows after scanning enrolmentUri().
    Step submitEnrolment(const QString &code);
    //! The password change: the new password twice.
    Step submitNewPassword(const QString &password, const QString &again);

    //! EnrolTotp: the otpauth:// URI for the QR code, and the secret in base32 for typing in.
    QString enrolmentUri() const;
    QString enrolmentSecret() const;

    //! Done: the account logged in.
    bool loggedIn() const { return mStep == Step::Done && mSession.has_value(); }
    QString accountId() const;
    QString displayName() const;
    core::RoleSet roles() const;
    //! True while the login holds the typed password or an opened TOTP secret in memory (only
    //! between its steps: once Done, they are wiped; 剩余信息保护).
    bool holdsCredentials() const;
    //! The center's account rules and permission matrix this login checks against.
    const store::AccountSettings &settings() const { return mSettings; }

    //! Ends the session (reported as a logout); the next login starts at the password step.
    void logout();
    /**
     * Locks the console: the session stays, but only its account's password (unlock()) or a
     * logout followed by a new login opens it again. Reported as a lock.
     */
    void lock();
    bool isLocked() const { return mLocked; }
    //! The password of the locked session's account: true when it opens the lock (message() says why not).
    bool unlock(const QString &password);

    //! How long without input before the console locks (accounts.conf idle_lock_minutes).
    std::chrono::milliseconds idleTimeout() const;

    //! Restarts the login from the password step (e.g. "back" from the TOTP step).
    void restart();

  signals:
    //! The console locked itself after idleTimeout() without input (see watchIdle()).
    void idleLockDue();

  public:
    /**
     * Starts watching keyboard and mouse input of the whole application: idleLockDue() after
     * idleTimeout() without any. \a timeoutOverride replaces the configured time (tests).
     */
    void watchIdle(std::optional<std::chrono::milliseconds> timeoutOverride = std::nullopt);

  protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

  private:
    core::TimePoint now() const;
    Step afterSuccess();
    QString lockedMessage(std::chrono::seconds remaining) const;
    QString refusalMessage(const store::StoreRefusal &refusal) const;

    std::unique_ptr<store::Database> mDb;
    store::AccountSettings mSettings;
    std::unique_ptr<store::AccountStore> mAccounts;
    Clock mClock;
    Step mStep = Step::Password;
    QString mMessage;
    std::optional<store::LoginResult> mPending; //!< NeedsTotp / WrongTotp: waiting for the code
    std::optional<store::LoginResult> mSession; //!< the logged-in account (password, opened secret: memory only)
    std::optional<store::totp::Secret> mEnrolment;
    bool mLocked = false;
    QTimer mIdle;
};

} // namespace gd::console
