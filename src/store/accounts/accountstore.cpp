#include "store/accounts/accountstore.h"

#include <openssl/crypto.h>

#include "store/accounts/passwordhash.h"
#include "store/database.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <algorithm>

namespace gd::store {

namespace {

constexpr const char *kSelectAccount =
  "SELECT id, display_name, password_changed_at, must_change, failed_logins, locked_until, "
  "totp_secret IS NOT NULL, disabled, created_at FROM accounts WHERE id = ?";

AccountInfo readAccount(Statement &q)
{
  AccountInfo info;
  info.id = q.columnText(0);
  info.displayName = q.columnText(1);
  info.passwordChangedAt = fromDbTime(q.columnText(2)).value_or(core::TimePoint{});
  info.mustChangePassword = q.columnInt(3) != 0;
  info.failedLogins = static_cast<int>(q.columnInt(4));
  info.lockedUntil = q.isNull(5) ? core::TimePoint{} : fromDbTime(q.columnText(5)).value_or(core::TimePoint{});
  info.totpEnrolled = q.columnInt(6) != 0;
  info.disabled = q.columnInt(7) != 0;
  info.createdAt = fromDbTime(q.columnText(8)).value_or(core::TimePoint{});
  return info;
}

bool validId(const std::string &id)
{
  return !id.empty() && id.size() <= 64 &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
         });
}

std::string lockText(std::chrono::seconds remaining)
{
  return "locked for " + std::to_string(remaining.count()) + " s more";
}

// The hash an unknown account's password is checked against, so an unknown id costs the same
// Argon2id run as a known one and the answer's time does not tell which ids exist.
const std::string &decoyHash(const core::Argon2Cost &cost)
{
  static const std::string hash = passwords::hash("decoy password for unknown accounts", cost);
  return hash;
}

} // namespace

AccountStore::AccountStore(Database &db, core::AccountsConfig config, core::PermissionMatrix permissions)
  : mDb(db)
  , mConfig(std::move(config))
  , mPermissions(std::move(permissions))
{}

std::optional<std::string> AccountStore::displayNameOf(Database &db, const std::string &id)
{
  auto q = db.query("SELECT display_name FROM accounts WHERE id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  return q->columnText(0);
}

void LoginResult::forgetCredentials()
{
  // OPENSSL_cleanse, not memset: a store the compiler can prove dead may be left out.
  if (!password.empty())
    OPENSSL_cleanse(password.data(), password.size());
  password.clear();
  password.shrink_to_fit();
  if (secret)
  {
    if (!secret->empty())
      OPENSSL_cleanse(secret->data(), secret->size());
    secret.reset();
  }
}

std::string AccountNames::nameOf(const std::string &id)
{
  if (const auto known = mNames.find(id); known != mNames.end())
    return known->second;
  std::string name;
  try
  {
    name = AccountStore::displayNameOf(mDb, id).value_or(std::string());
  }
  catch (const std::exception &)
  {
    return {}; // not cached: a store being migrated answers the next time
  }
  return mNames.emplace(id, name).first->second;
}

void AccountStore::report(AccountEvent event) const
{
  if (mSink)
    mSink(event);
}

void AccountStore::notify(const std::string &actor, const std::string &subject, const std::string &action,
                          const std::string &outcome, const std::string &detail, core::TimePoint now) const
{
  report(AccountEvent{actor, subject, action, outcome, detail, now});
}

bool AccountStore::hasAccounts()
{
  return mDb.scalarInt("SELECT count(*) FROM accounts") > 0;
}

core::RoleSet AccountStore::rolesOf(const std::string &id)
{
  core::RoleSet roles;
  auto q = mDb.query("SELECT role FROM account_roles WHERE account_id = ?");
  q.bindAll(id);
  while (q.step())
    if (const auto role = core::roleFromId(q->columnText(0)))
      roles.insert(*role);
  return roles;
}

std::vector<AccountInfo> AccountStore::list()
{
  std::vector<AccountInfo> accounts;
  {
    auto q = mDb.query("SELECT id, display_name, password_changed_at, must_change, failed_logins, locked_until, "
                       "totp_secret IS NOT NULL, disabled, created_at FROM accounts ORDER BY id");
    while (q.step())
      accounts.push_back(readAccount(*q));
  }
  for (AccountInfo &account : accounts)
    account.roles = rolesOf(account.id);
  return accounts;
}

std::optional<AccountInfo> AccountStore::find(const std::string &id)
{
  std::optional<AccountInfo> info;
  {
    auto q = mDb.query(kSelectAccount);
    q.bindAll(id);
    if (q.step())
      info = readAccount(*q);
  }
  if (info)
    info->roles = rolesOf(id);
  return info;
}

void AccountStore::require(const std::string &actor, core::Action action, const std::string &subject,
                           const std::string &what, core::TimePoint now)
{
  const auto account = find(actor);
  if (!account || account->disabled || !mPermissions.may(account->roles, action))
  {
    notify(actor, subject, what, "forbidden", std::string("needs ") + std::string(core::actionId(action)), now);
    throw StoreRefusal("forbidden", "account " + actor + " may not do this: it needs " +
                                      std::string(core::actionId(action)) + " (" +
                                      (account ? core::roleIds(account->roles) : std::string("unknown account")) +
                                      ")");
  }
}

std::string AccountStore::temporaryPassword() const
{
  // 16 characters from a set without look-alikes (0/O, 1/l/I), then one of each class so any
  // policy of up to 4 classes is met.
  static constexpr std::string_view kChars = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const auto bytes = passwords::randomBytes(20);
  std::string password;
  for (int i = 0; i < 16; ++i)
    password += kChars[bytes[static_cast<std::size_t>(i)] % kChars.size()];
  password += "aZ7-";
  // Shuffle the fixed tail in, so the classes are not always at the end.
  for (std::size_t i = password.size() - 1; i > 0; --i)
    std::swap(password[i], password[bytes[i % bytes.size()] % (i + 1)]);
  while (static_cast<int>(password.size()) < mConfig.password.minLength)
    password += kChars[passwords::randomBytes(1)[0] % kChars.size()];
  return password;
}

void AccountStore::createAdministrator(const std::string &id, const std::string &displayName, core::Role role,
                                       std::string_view password, core::TimePoint now)
{
  if (!core::isAdministrator(role))
    throw StoreRefusal("bad_value", "create-admin makes an administrator (sysadmin, secadmin or auditadmin), not " +
                                      std::string(core::roleId(role)));
  if (!validId(id))
    throw StoreRefusal("bad_value", "an account id is 1-64 letters, digits, '.', '_' or '-': " + id);
  if (displayName.empty())
    throw StoreRefusal("bad_value", "the account needs a display name");
  if (const std::string problem = mConfig.password.problem(password, id); !problem.empty())
    throw StoreRefusal("password_policy", problem);
  const std::string hash = passwords::hash(password, mConfig.argon2);
  Transaction tx(mDb);
  {
    auto q = mDb.query("SELECT count(*) FROM account_roles r JOIN accounts a ON a.id = r.account_id "
                       "WHERE r.role = ? AND a.disabled = 0");
    q.bindAll(std::string(core::roleId(role)));
    q.step();
    if (q->columnInt(0) > 0)
      throw StoreRefusal("forbidden", "the store already has a " + std::string(core::roleId(role)) + " (" +
                                        std::string(core::roleNameZh(role)) +
                                        "): further accounts are added by the system administrator");
  }
  insertAccount(id, displayName, hash, now);
  mDb.query("INSERT INTO account_roles (account_id, role) VALUES (?, ?)").bindAll(id, std::string(core::roleId(role))).run();
  tx.commit();
  notify("(install)", id, "account_create", "ok", std::string(core::roleId(role)), now);
}

void AccountStore::insertAccount(const std::string &id, const std::string &displayName, const std::string &hash,
                                 core::TimePoint now)
{
  {
    auto q = mDb.query("SELECT count(*) FROM accounts WHERE id = ?");
    q.bindAll(id);
    q.step();
    if (q->columnInt(0) > 0)
      throw StoreRefusal("duplicate_account", "account " + id + " exists already");
  }
  // A new account's password is an initial one: changed at the first login.
  mDb.query("INSERT INTO accounts (id, display_name, password_hash, password_changed_at, must_change, created_at) "
            "VALUES (?, ?, ?, ?, 1, ?)")
    .bindAll(id, displayName, hash, toDbTime(now), toDbTime(now))
    .run();
}

std::string AccountStore::add(const std::string &actor, const std::string &id, const std::string &displayName,
                              core::TimePoint now)
{
  require(actor, core::Action::AccountManage, id, "account_create", now);
  if (!validId(id))
    throw StoreRefusal("bad_value", "an account id is 1-64 letters, digits, '.', '_' or '-': " + id);
  if (displayName.empty())
    throw StoreRefusal("bad_value", "the account needs a display name");
  const std::string password = temporaryPassword();
  const std::string hash = passwords::hash(password, mConfig.argon2);
  Transaction tx(mDb);
  insertAccount(id, displayName, hash, now);
  tx.commit();
  notify(actor, id, "account_create", "ok", displayName, now);
  return password;
}

void AccountStore::disable(const std::string &actor, const std::string &id, core::TimePoint now)
{
  require(actor, core::Action::AccountManage, id, "account_disable", now);
  if (actor == id)
    throw StoreRefusal("forbidden", "an administrator may not disable its own account");
  Transaction tx(mDb);
  mDb.query("UPDATE accounts SET disabled = 1 WHERE id = ?").bindAll(id).run();
  if (mDb.changes() == 0)
    throw StoreRefusal("unknown_account", "no account " + id);
  tx.commit();
  notify(actor, id, "account_disable", "ok", "", now);
}

void AccountStore::setRoles(const std::string &actor, const std::string &id, const core::RoleSet &roles,
                            core::TimePoint now)
{
  require(actor, core::Action::RoleAssign, id, "roles", now);
  if (actor == id)
  {
    notify(actor, id, "roles", "forbidden", "own roles", now);
    throw StoreRefusal("forbidden", "an account may not change its own roles");
  }
  if (const std::string problem = core::separationProblem(roles); !problem.empty())
  {
    notify(actor, id, "roles", "separation_of_duties", core::roleIds(roles), now);
    throw StoreRefusal("separation_of_duties", problem);
  }
  Transaction tx(mDb);
  {
    auto q = mDb.query("SELECT count(*) FROM accounts WHERE id = ?");
    q.bindAll(id);
    q.step();
    if (q->columnInt(0) == 0)
      throw StoreRefusal("unknown_account", "no account " + id);
  }
  mDb.query("DELETE FROM account_roles WHERE account_id = ?").bindAll(id).run();
  for (const core::Role role : roles)
    mDb.query("INSERT INTO account_roles (account_id, role) VALUES (?, ?)").bindAll(id, std::string(core::roleId(role))).run();
  tx.commit();
  notify(actor, id, "roles", "ok", core::roleIds(roles), now);
}

std::string AccountStore::resetPassword(const std::string &actor, const std::string &id, core::TimePoint now)
{
  require(actor, core::Action::AccountManage, id, "password_reset", now);
  if (actor == id)
    throw StoreRefusal("forbidden", "change your own password at login, not by a reset");
  const std::string password = temporaryPassword();
  const std::string hash = passwords::hash(password, mConfig.argon2);
  Transaction tx(mDb);
  mDb.query("UPDATE accounts SET password_hash = ?, password_changed_at = ?, must_change = 1, failed_logins = 0, "
            "locked_until = NULL, totp_secret = NULL, totp_last_step = 0 WHERE id = ?")
    .bindAll(hash, toDbTime(now), id)
    .run();
  if (mDb.changes() == 0)
    throw StoreRefusal("unknown_account", "no account " + id);
  tx.commit();
  notify(actor, id, "password_reset", "ok", "", now);
  return password;
}

void AccountStore::recordFailure(const std::string &id, core::TimePoint now, LoginResult &result)
{
  Transaction tx(mDb);
  core::LoginState state;
  {
    auto q = mDb.query("SELECT failed_logins, locked_until FROM accounts WHERE id = ?");
    q.bindAll(id);
    if (!q.step())
      return;
    state.failures = static_cast<int>(q->columnInt(0));
    if (!q->isNull(1))
      state.lockedUntil = fromDbTime(q->columnText(1)).value_or(core::TimePoint{});
  }
  state = core::afterFailure(state, mConfig.lockout, now);
  auto u = mDb.query("UPDATE accounts SET failed_logins = ?, locked_until = ? WHERE id = ?");
  u->bind(1, static_cast<std::int64_t>(state.failures));
  if (state.lockedUntil > now)
    u->bind(2, toDbTime(state.lockedUntil));
  else
    u->bind(2, nullptr);
  u->bind(3, id);
  u.run();
  tx.commit();
  result.remaining = core::remainingLock(state, now);
}

void AccountStore::clearFailures(const std::string &id)
{
  Transaction tx(mDb);
  mDb.query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?").bindAll(id).run();
  tx.commit();
}

bool AccountStore::passwordAccepted(const std::string &id, const std::optional<AccountInfo> &account, const std::string &hash,
                                    std::string_view password, const char *action, core::TimePoint now, LoginResult &result)
{
  // The same checks, in the same order, for a login and for unlocking a locked screen; each
  // refusal is reported under \a action.
  if (!account)
  {
    // An unknown account costs the same Argon2id run as a known one: the time a refusal takes
    // does not tell which ids exist.
    passwords::verify(decoyHash(mConfig.argon2), password);
    result.outcome = LoginOutcome::WrongCredentials;
    notify(id, id, action, "unknown_account", "", now);
    return false;
  }
  if (account->disabled)
  {
    result.outcome = LoginOutcome::Disabled;
    notify(id, id, action, "disabled", "", now);
    return false;
  }
  if (const auto remaining = core::remainingLock({account->failedLogins, account->lockedUntil}, now); remaining.count() > 0)
  {
    // Locked: the password is not even checked, so guessing on costs nothing but time.
    result.outcome = LoginOutcome::Locked;
    result.remaining = remaining;
    notify(id, id, action, "locked", lockText(remaining), now);
    return false;
  }
  if (!passwords::verify(hash, password))
  {
    recordFailure(id, now, result);
    result.outcome = result.remaining.count() > 0 ? LoginOutcome::Locked : LoginOutcome::WrongCredentials;
    notify(id, id, action, "wrong_password", result.remaining.count() > 0 ? lockText(result.remaining) : "", now);
    return false;
  }
  return true;
}

LoginResult AccountStore::login(const std::string &id, std::string_view password, core::TimePoint now)
{
  LoginResult result;
  std::optional<AccountInfo> account;
  std::string hash;
  std::optional<std::vector<std::uint8_t>> sealed;
  {
    auto q = mDb.query("SELECT password_hash, totp_secret FROM accounts WHERE id = ?");
    q.bindAll(id);
    if (q.step())
    {
      hash = q->columnText(0);
      if (!q->isNull(1))
        sealed = q->columnBlob(1);
    }
  }
  account = hash.empty() ? std::nullopt : find(id);
  if (!passwordAccepted(id, account, hash, password, "login", now, result))
    return result;
  result.account = *account;
  result.password = std::string(password);
  const bool totpRequired = mConfig.needsTotp(account->roles);
  if (totpRequired && sealed)
  {
    result.secret = totp::open(*sealed, password);
    if (result.secret)
    {
      result.outcome = LoginOutcome::NeedsTotp;
      return result;
    }
    // A sealed secret the right password does not open was altered: enrol again rather than lock out.
  }
  // A cost raised in accounts.conf re-hashes the password now that it is known.
  if (const auto cost = passwords::costOf(hash); !cost || cost->memoryKib < mConfig.argon2.memoryKib ||
                                                 cost->iterations < mConfig.argon2.iterations)
  {
    Transaction tx(mDb);
    mDb.query("UPDATE accounts SET password_hash = ? WHERE id = ?").bindAll(passwords::hash(password, mConfig.argon2), id).run();
    tx.commit();
  }
  clearFailures(id);
  result.outcome = LoginOutcome::Success;
  result.account.failedLogins = 0;
  result.account.lockedUntil = {};
  result.passwordExpired = mConfig.password.isExpired(account->passwordChangedAt, now);
  result.mustChangePassword = account->mustChangePassword || result.passwordExpired;
  result.needsTotpEnrolment = totpRequired && !result.secret;
  notify(id, id, "login", "ok", result.needsTotpEnrolment ? "TOTP to enrol" : "", now);
  return result;
}

LoginResult AccountStore::completeTotp(LoginResult pending, std::string_view code, core::TimePoint now)
{
  if ((pending.outcome != LoginOutcome::NeedsTotp && pending.outcome != LoginOutcome::WrongTotp) || !pending.secret)
    throw std::logic_error("completeTotp() without a login waiting for its code");
  const std::string &id = pending.account.id;
  const auto step = totp::check(*pending.secret, code, now);
  std::int64_t lastStep = 0;
  {
    auto q = mDb.query("SELECT totp_last_step FROM accounts WHERE id = ?");
    q.bindAll(id);
    if (q.step())
      lastStep = q->columnInt(0);
  }
  if (!step || static_cast<std::int64_t>(*step) <= lastStep)
  {
    LoginResult failed;
    recordFailure(id, now, failed);
    failed.outcome = failed.remaining.count() > 0 ? LoginOutcome::Locked : LoginOutcome::WrongTotp;
    notify(id, id, "login", step ? "totp_reused" : "wrong_totp",
           failed.remaining.count() > 0 ? lockText(failed.remaining) : "", now);
    if (failed.outcome == LoginOutcome::WrongTotp)
    {
      // The person may try another code without typing the password again.
      pending.remaining = {};
      pending.outcome = LoginOutcome::WrongTotp;
      return pending;
    }
    return failed;
  }
  {
    Transaction tx(mDb);
    mDb.query("UPDATE accounts SET failed_logins = 0, locked_until = NULL, totp_last_step = ? WHERE id = ?")
      .bindAll(static_cast<std::int64_t>(*step), id)
      .run();
    tx.commit();
  }
  pending.outcome = LoginOutcome::Success;
  pending.passwordExpired = mConfig.password.isExpired(pending.account.passwordChangedAt, now);
  pending.mustChangePassword = pending.account.mustChangePassword || pending.passwordExpired;
  pending.needsTotpEnrolment = false;
  notify(id, id, "login", "ok", "TOTP", now);
  return pending;
}

void AccountStore::enrolTotp(LoginResult &session, const totp::Secret &secret, std::string_view code, core::TimePoint now)
{
  if (session.outcome != LoginOutcome::Success)
    throw std::logic_error("enrolTotp() outside a logged-in session");
  const auto step = totp::check(secret, code, now);
  if (!step)
  {
    notify(session.account.id, session.account.id, "totp_enrol", "wrong_totp", "", now);
    throw StoreRefusal("wrong_totp", "the code is not the one the authenticator shows for this secret");
  }
  const auto sealed = totp::seal(secret, session.password, mConfig.argon2);
  Transaction tx(mDb);
  auto q = mDb.query("UPDATE accounts SET totp_secret = ?, totp_last_step = ? WHERE id = ?");
  q->bindBlob(1, sealed);
  q->bind(2, static_cast<std::int64_t>(*step));
  q->bind(3, session.account.id);
  q.run();
  tx.commit();
  session.secret = secret;
  session.needsTotpEnrolment = false;
  session.account.totpEnrolled = true;
  notify(session.account.id, session.account.id, "totp_enrol", "ok", "", now);
}

void AccountStore::changePassword(LoginResult &session, std::string_view newPassword, core::TimePoint now)
{
  if (session.outcome != LoginOutcome::Success)
    throw std::logic_error("changePassword() outside a logged-in session");
  const std::string &id = session.account.id;
  if (const std::string problem = mConfig.password.problem(newPassword, id); !problem.empty())
  {
    notify(id, id, "password_change", "password_policy", problem, now);
    throw StoreRefusal("password_policy", problem);
  }
  if (newPassword == session.password)
    throw StoreRefusal("password_reused", "the new password must differ from the current one");
  // The current hash and the last historySize-1 before it: none may be used again.
  std::vector<std::string> previous;
  if (mConfig.password.historySize > 0)
  {
    auto q = mDb.query("SELECT password_hash FROM password_history WHERE account_id = ? ORDER BY changed_at DESC, "
                       "id DESC LIMIT ?");
    q.bindAll(id, static_cast<std::int64_t>(mConfig.password.historySize));
    while (q.step())
      previous.push_back(q->columnText(0));
  }
  for (const std::string &old : previous)
    if (passwords::verify(old, newPassword))
    {
      notify(id, id, "password_change", "password_reused", "", now);
      throw StoreRefusal("password_reused", "the password was used before: none of the last " +
                                              std::to_string(mConfig.password.historySize) + " may be used again");
    }
  const std::string hash = passwords::hash(newPassword, mConfig.argon2);
  std::optional<std::vector<std::uint8_t>> sealed;
  if (session.secret)
    sealed = totp::seal(*session.secret, newPassword, mConfig.argon2);
  Transaction tx(mDb);
  std::string oldHash;
  {
    auto q = mDb.query("SELECT password_hash FROM accounts WHERE id = ?");
    q.bindAll(id);
    if (q.step())
      oldHash = q->columnText(0);
  }
  mDb.query("INSERT INTO password_history (account_id, changed_at, password_hash) VALUES (?, ?, ?)")
    .bindAll(id, toDbTime(now), oldHash)
    .run();
  {
    auto u = mDb.query("UPDATE accounts SET password_hash = ?, password_changed_at = ?, must_change = 0, "
                       "totp_secret = ? WHERE id = ?");
    u->bind(1, hash);
    u->bind(2, toDbTime(now));
    if (sealed)
      u->bindBlob(3, *sealed);
    else
      u->bind(3, nullptr);
    u->bind(4, id);
    u.run();
  }
  // Keep only what the policy looks at.
  mDb.query("DELETE FROM password_history WHERE account_id = ?1 AND id NOT IN "
            "(SELECT id FROM password_history WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2)")
    .bindAll(id, static_cast<std::int64_t>(std::max(mConfig.password.historySize, 1)))
    .run();
  tx.commit();
  session.password = std::string(newPassword);
  session.mustChangePassword = false;
  session.passwordExpired = false;
  session.account.mustChangePassword = false;
  session.account.passwordChangedAt = now;
  notify(id, id, "password_change", "ok", "", now);
}

LoginResult AccountStore::recheck(const std::string &id, std::string_view password, core::TimePoint now)
{
  LoginResult result;
  std::string hash;
  {
    auto q = mDb.query("SELECT password_hash FROM accounts WHERE id = ?");
    q.bindAll(id);
    if (q.step())
      hash = q->columnText(0);
  }
  const auto account = hash.empty() ? std::nullopt : find(id);
  if (!passwordAccepted(id, account, hash, password, "unlock", now, result))
    return result;
  clearFailures(id);
  result.outcome = LoginOutcome::Success;
  result.account = *account;
  notify(id, id, "unlock", "ok", "", now);
  return result;
}

} // namespace gd::store
