#include "core/accountpolicy.h"

#include "core/configerror.h"
#include "core/configtext.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace gd::core {

using namespace configtext;

namespace {

// Code points of UTF-8 text (continuation bytes are not counted).
int codePoints(std::string_view text)
{
    return static_cast<int>(std::count_if(text.begin(), text.end(),
                                          [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string lower(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

std::string PasswordPolicy::problem(std::string_view password, std::string_view accountId) const
{
    if (codePoints(password) < minLength)
        return "the password must have at least " + std::to_string(minLength) + " characters";
    bool hasLower = false, hasUpper = false, hasDigit = false, hasOther = false;
    for (const char ch : password) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::islower(c))
            hasLower = true;
        else if (std::isupper(c))
            hasUpper = true;
        else if (std::isdigit(c))
            hasDigit = true;
        else
            hasOther = true; // punctuation, spaces, and any non-ASCII character (汉字 too)
    }
    const int classes = int(hasLower) + int(hasUpper) + int(hasDigit) + int(hasOther);
    if (classes < minClasses)
        return "the password must mix at least " + std::to_string(minClasses) +
               " of: lower-case letters, upper-case letters, digits, other characters";
    if (accountId.size() >= 3 && lower(password).find(lower(accountId)) != std::string::npos)
        return "the password may not contain the account id";
    return {};
}

bool PasswordPolicy::isExpired(TimePoint changedAt, TimePoint now) const
{
    return maxAgeDays > 0 && now - changedAt >= std::chrono::days(maxAgeDays);
}

std::chrono::seconds LockoutPolicy::delayAfter(int failures) const
{
    if (attempts <= 0 || failures < attempts)
        return std::chrono::seconds(0);
    std::chrono::seconds delay = firstDelay;
    for (int extra = failures - attempts; extra > 0 && delay < maxDelay; --extra)
        delay *= factor;
    return std::min(delay, maxDelay);
}

LoginState afterFailure(const LoginState &state, const LockoutPolicy &policy, TimePoint now)
{
    LoginState next = state;
    next.failures = state.failures + 1;
    const auto delay = policy.delayAfter(next.failures);
    if (delay.count() > 0)
        next.lockedUntil = now + delay;
    return next;
}

std::chrono::seconds remainingLock(const LoginState &state, TimePoint now)
{
    return state.lockedUntil > now ? std::chrono::duration_cast<std::chrono::seconds>(state.lockedUntil - now)
                                   : std::chrono::seconds(0);
}

bool AccountsConfig::needsTotp(const RoleSet &roles) const
{
    return std::any_of(roles.begin(), roles.end(), [&](Role role) { return totpRoles.count(role) > 0; });
}

AccountsConfig AccountsConfig::parse(std::string_view text, const std::string &sourceName)
{
    AccountsConfig config;
    std::set<std::string, std::less<>> seen;
    for (const Line &line : lines(text)) {
        const auto words = splitWords(line.text);
        const std::string key(words.front());
        if (!seen.insert(key).second)
            throw ConfigError(sourceName, line.number, "'" + key + "' is given twice");
        // One integer in [low, high] after the key.
        auto number = [&](int low, int high) {
            if (words.size() != 2)
                throw ConfigError(sourceName, line.number, "'" + key + "' takes one number");
            const auto value = toInt(words[1]);
            if (!value || *value < low || *value > high)
                throw ConfigError(sourceName, line.number,
                                  "'" + key + "' must be a whole number from " + std::to_string(low) + " to " +
                                      std::to_string(high) + ", found '" + std::string(words[1]) + "'");
            return *value;
        };
        if (key == "password_min_length")
            config.password.minLength = number(8, 128);
        else if (key == "password_classes")
            config.password.minClasses = number(1, 4);
        else if (key == "password_max_age_days")
            config.password.maxAgeDays = number(0, 3650);
        else if (key == "password_history")
            config.password.historySize = number(0, 24);
        else if (key == "lockout_attempts")
            config.lockout.attempts = number(1, 100);
        else if (key == "lockout_first_delay_seconds")
            config.lockout.firstDelay = std::chrono::seconds(number(1, 86400));
        else if (key == "lockout_factor")
            config.lockout.factor = number(1, 10);
        else if (key == "lockout_max_delay_seconds")
            config.lockout.maxDelay = std::chrono::seconds(number(1, 7 * 86400));
        else if (key == "idle_lock_minutes")
            config.idleLock = std::chrono::minutes(number(1, 240));
        else if (key == "argon2_memory_kib")
            config.argon2.memoryKib = static_cast<std::uint32_t>(number(65536, 4 * 1024 * 1024));
        else if (key == "argon2_iterations")
            config.argon2.iterations = static_cast<std::uint32_t>(number(1, 100));
        else if (key == "argon2_parallelism")
            config.argon2.parallelism = static_cast<std::uint32_t>(number(1, 64));
        else if (key == "totp_roles") {
            RoleSet roles;
            for (std::size_t i = 1; i < words.size(); ++i) {
                const auto role = roleFromId(words[i]);
                if (!role)
                    throw ConfigError(sourceName, line.number, "unknown role '" + std::string(words[i]) + "'");
                roles.insert(*role);
            }
            config.totpRoles = std::move(roles);
        } else
            throw ConfigError(sourceName, line.number, "unknown setting '" + key + "'");
    }
    if (config.lockout.maxDelay < config.lockout.firstDelay)
        throw ConfigError(sourceName, 0, "lockout_max_delay_seconds is shorter than lockout_first_delay_seconds");
    return config;
}

} // namespace gd::core
