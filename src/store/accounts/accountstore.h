#pragma once
// Accounts, roles and the login check (issue 17; GB/T 22239-2019 §8.1.4 身份鉴别 and 访问控制).
// Tables of schema revision 15: accounts, account_roles, password_history (schema.cpp).

#include "core/accountpolicy.h"
#include "core/roles.h"
#include "core/timeutil.h"
#include "store/accounts/totp.h"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {

class Database;

//! An account as listed (never its hash or second-factor secret).
struct AccountInfo
{
  std::string id;
  std::string displayName;
  core::RoleSet roles;
  core::TimePoint passwordChangedAt{};
  bool mustChangePassword = false;
  int failedLogins = 0;
  core::TimePoint lockedUntil{};
  bool totpEnrolled = false;
  bool disabled = false;
  core::TimePoint createdAt{};
};

/**
 * What the login path and the account changes report, for the audit trail (the seam the audit
 * log is wired to: AccountStore::setAuditSink()). One call per login attempt (success or
 * failure, with the reason), per change of an account, and per logout/lock/unlock the console
 * reports through AccountStore::report().
 */
struct AccountEvent
{
  std::string actor;   //!< the account acting (the one logging in; for ctl, its --as account or "(install)")
  std::string subject; //!< the account acted on (often the actor)
  std::string action;  //!< "login", "logout", "lock", "unlock", "password_change", "totp_enrol", "account_create", "account_disable", "roles", "password_reset"
  std::string outcome; //!< "ok" or the refusal reason ("wrong_password", "locked", "disabled", "wrong_totp", "forbidden" …)
  std::string detail;  //!< human-readable: roles given, the lock's remaining delay …
  core::TimePoint at{};
};
using AccountAuditSink = std::function<void(const AccountEvent &)>;

//! How a login attempt ended.
enum class LoginOutcome {
  Success,        //!< in; see LoginResult::mustChangePassword / needsTotpEnrolment
  NeedsTotp,      //!< the password was right; finish with AccountStore::completeTotp()
  WrongCredentials, //!< unknown account or wrong password (not told apart to the person at the screen)
  WrongTotp,      //!< the code was wrong (counts as a failed login)
  Locked,         //!< locked for LoginResult::remaining more
  Disabled,
};

/**
 * The result of AccountStore::login(). On NeedsTotp or Success it carries what the next step
 * needs in memory only: the password (to seal a new TOTP secret or re-seal it at a password
 * change) and the opened secret. Keep it no longer than the login dialog.
 */
struct LoginResult
{
  LoginOutcome outcome = LoginOutcome::WrongCredentials;
  std::chrono::seconds remaining{0}; //!< Locked: how long still
  AccountInfo account;               //!< Success / NeedsTotp
  bool mustChangePassword = false;   //!< Success: first login after create/reset, or the password is too old
  bool passwordExpired = false;      //!< Success: mustChangePassword because of the maximum age
  bool needsTotpEnrolment = false;   //!< Success: a role needs TOTP and none is enrolled yet
  // In memory only, for the steps after the password.
  std::string password;
  std::optional<totp::Secret> secret;

  /**
   * Overwrites the password and the opened TOTP secret with zeros and drops them (GB/T 22239
   * 8.1.4.10 剩余信息保护: authentication data does not linger in memory once the login's steps
   * are done). The console calls it when the login is complete.
   */
  void forgetCredentials();
};

/**
 * The accounts of a store and the rules over them (accounts.conf, permissions.conf).
 *
 * The clock is injected (\a now everywhere), so lockout delays and password ageing are tested
 * on fixed times. Works on the connection it is given; every change is its own transaction.
 * Refusals throw StoreRefusal with a stable reason: "duplicate_account", "unknown_account",
 * "forbidden" (the actor's roles may not do it), "separation_of_duties" (三员分立),
 * "password_policy", "password_reused", "wrong_password", "wrong_totp", "bad_value".
 */
class AccountStore
{
  public:
    AccountStore(Database &db, core::AccountsConfig config, core::PermissionMatrix permissions);

    //! Where login attempts and account changes are reported (the audit trail); none by default.
    void setAuditSink(AccountAuditSink sink) { mSink = std::move(sink); }
    //! Reports a session event the console sees (logout, lock, unlock) through the same seam.
    void report(AccountEvent event) const;

    const core::AccountsConfig &config() const { return mConfig; }
    const core::PermissionMatrix &permissions() const { return mPermissions; }

    //! True when the store holds at least one account (then the console asks for a login).
    bool hasAccounts();
    std::vector<AccountInfo> list();
    std::optional<AccountInfo> find(const std::string &id);
    //! Account \a id's display name on \a db, if there is such an account (the audit trail's names).
    static std::optional<std::string> displayNameOf(Database &db, const std::string &id);

    /**
     * Install: creates administrator \a id holding \a role (sysadmin, secadmin or auditadmin)
     * with \a password, to be changed at the first login. Refused ("forbidden") when an enabled
     * account already holds that role: later accounts are added by the administrators.
     */
    void createAdministrator(const std::string &id, const std::string &displayName, core::Role role,
                             std::string_view password, core::TimePoint now);
    /**
     * Adds account \a id without roles (the security administrator gives them: setRoles()) with a
     * random initial password, returned once, to be changed at the first login. \a actor needs
     * account.manage.
     */
    std::string add(const std::string &actor, const std::string &id, const std::string &displayName,
                    core::TimePoint now);
    //! Disables \a id (it can no longer log in; its history keeps its name). \a actor needs account.manage, and may not disable itself.
    void disable(const std::string &actor, const std::string &id, core::TimePoint now);
    /**
     * Gives \a id exactly \a roles. \a actor needs role.assign and may not change its own roles;
     * refused "separation_of_duties" when \a roles break 三员分立.
     */
    void setRoles(const std::string &actor, const std::string &id, const core::RoleSet &roles, core::TimePoint now);
    /**
     * A new random password for \a id, returned once: to be changed at the next login; the
     * lockout is cleared and the TOTP secret dropped (it was sealed under the old password;
     * the account enrols again). \a actor needs account.manage.
     */
    std::string resetPassword(const std::string &actor, const std::string &id, core::TimePoint now);

    /**
     * The password step of a login at \a now: checks lock, disabled, the password (Argon2id),
     * then the second factor's need. A wrong password counts a failure and may lock the
     * account (LockoutPolicy); a right one clears the count unless a TOTP code must follow.
     */
    LoginResult login(const std::string &id, std::string_view password, core::TimePoint now);
    /**
     * The TOTP step after login() answered NeedsTotp (or this answered WrongTotp: try again): \a code must be the secret's code now (±1
     * step) and of a later step than the last code used (a code is good once). Success clears
     * the failures; a wrong code counts one.
     */
    LoginResult completeTotp(LoginResult pending, std::string_view code, core::TimePoint now);
    /**
     * Enrols \a secret for the account of \a session (a Success with needsTotpEnrolment) once
     * \a code proves the phone has it; the secret is sealed under the session's password.
     * Throws StoreRefusal "wrong_totp" when the code is not the secret's.
     */
    void enrolTotp(LoginResult &session, const totp::Secret &secret, std::string_view code, core::TimePoint now);
    /**
     * Changes the password of \a session's account to \a newPassword: the policy, and none of
     * the last historySize passwords; clears must-change and re-seals the TOTP secret.
     */
    void changePassword(LoginResult &session, std::string_view newPassword, core::TimePoint now);
    //! Checks \a password again for an unlocked screen (counts failures like a login; no TOTP).
    LoginResult recheck(const std::string &id, std::string_view password, core::TimePoint now);

    //! A random initial password that meets the policy (letters, digits, a sign).
    std::string temporaryPassword() const;

  private:
    //! Inserts account \a id (refused as duplicate_account when it exists) inside the caller's transaction.
    void insertAccount(const std::string &id, const std::string &displayName, const std::string &hash, core::TimePoint now);
    core::RoleSet rolesOf(const std::string &id);
    void require(const std::string &actor, core::Action action, const std::string &subject, const std::string &what,
                 core::TimePoint now);
    void notify(const std::string &actor, const std::string &subject, const std::string &action,
                const std::string &outcome, const std::string &detail, core::TimePoint now) const;
    void recordFailure(const std::string &id, core::TimePoint now, LoginResult &result);
    //! Account \a account (\a id, its stored \a hash) exists, is enabled, not locked, and \a password is right; else fills \a result and reports it under \a action.
    bool passwordAccepted(const std::string &id, const std::optional<AccountInfo> &account, const std::string &hash,
                          std::string_view password, const char *action, core::TimePoint now, LoginResult &result);
    void clearFailures(const std::string &id);

    Database &mDb;
    core::AccountsConfig mConfig;
    core::PermissionMatrix mPermissions;
    AccountAuditSink mSink;
};

/**
 * Account ids to display names, read once per id (names, not ids: timelines, the wall, exports).
 * "" for an id that is no account (a worker, a terminal, an old free-text operator name), so
 * callers fall back to their own wording. Works on the connection it is given (not owned).
 */
class AccountNames
{
  public:
    explicit AccountNames(Database &db) : mDb(db) {}
    std::string nameOf(const std::string &id);

  private:
    Database &mDb;
    std::map<std::string, std::string> mNames;
};

} // namespace gd::store
