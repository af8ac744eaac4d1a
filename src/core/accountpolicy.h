#pragma once
// The account rules of a center (issue 17; GB/T 22239-2019 §8.1.4 身份鉴别): password
// complexity and age, lockout after failed logins with a growing delay, which roles need a
// second factor, the idle lock, and the Argon2id cost. Pure logic on times passed in (the
// caller's clock), so lockout and ageing are tested without waiting.
// Configuration: resources/config/accounts.conf (documented at its top).

#include "core/roles.h"
#include "core/timeutil.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

struct PasswordPolicy
{
    int minLength = 12;      //!< in characters (UTF-8 code points)
    int minClasses = 3;      //!< of: lower-case, upper-case, digits, other characters
    int maxAgeDays = 90;     //!< 0: passwords never expire
    int historySize = 5;     //!< a new password may not be any of the last N (0: no check)

    /**
     * Why \a password may not be used by account \a accountId, or an empty string when it may:
     * too short, too few character classes, or the account id inside it. (Reuse is checked by
     * the store, which holds the hashes of the last passwords: see isExpired()/historySize.)
     */
    std::string problem(std::string_view password, std::string_view accountId = {}) const;
    //! True when a password set at \a changedAt must be changed at \a now.
    bool isExpired(TimePoint changedAt, TimePoint now) const;
};

/**
 * Lockout: after `attempts` failed logins in a row the account is locked for `firstDelay`; each
 * further failure while the count stays at or above `attempts` locks it again for the previous
 * delay times `factor`, up to `maxDelay`. A successful login clears the count.
 */
struct LockoutPolicy
{
    int attempts = 5;
    std::chrono::seconds firstDelay{60};
    int factor = 2;
    std::chrono::seconds maxDelay{std::chrono::hours(1)};

    //! The lock that follows the \a failures-th failure in a row (0 s: no lock yet).
    std::chrono::seconds delayAfter(int failures) const;
};

//! An account's login state as the store keeps it.
struct LoginState
{
    int failures = 0;          //!< failed logins in a row
    TimePoint lockedUntil{};   //!< epoch: not locked
};

//! The state after a failed login at \a now (failures + 1, locked when the policy says so).
LoginState afterFailure(const LoginState &state, const LockoutPolicy &policy, TimePoint now);
//! How long \a state is still locked at \a now (0 when not).
std::chrono::seconds remainingLock(const LoginState &state, TimePoint now);

//! Argon2id cost (RFC 9106): memory in KiB, passes, lanes.
struct Argon2Cost
{
    std::uint32_t memoryKib = 64 * 1024;
    std::uint32_t iterations = 4;
    std::uint32_t parallelism = 1;
};

//! accounts.conf as a whole.
struct AccountsConfig
{
    PasswordPolicy password;
    LockoutPolicy lockout;
    RoleSet totpRoles;                        //!< roles whose accounts need a TOTP code at login
    std::chrono::minutes idleLock{10};        //!< the console locks after this long without input
    Argon2Cost argon2;

    bool needsTotp(const RoleSet &roles) const;

    /**
     * Parses accounts.conf ("key value…" lines; every key optional, each at most once). Throws
     * ConfigError naming the line of an unknown key, a bad or out-of-range value, or a role id
     * that does not exist. An Argon2id memory below 64 MiB (65536 KiB) is refused.
     */
    static AccountsConfig parse(std::string_view text, const std::string &sourceName);
};

} // namespace gd::core
