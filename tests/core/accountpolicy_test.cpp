#include "core/accountpolicy.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;
using namespace std::chrono_literals;

namespace {
const TimePoint kNow = beijingTime(2026, 12, 7, 9, 0);
}

TEST(PasswordPolicy, RefusesShortPasswordsFewClassesAndTheAccountId)
{
    PasswordPolicy policy; // 12 characters, 3 classes
    EXPECT_NE(policy.problem("Ab1!short"), "");
    EXPECT_NE(policy.problem("alllowercaseletters"), "");
    EXPECT_EQ(policy.problem("lowercase and digits 123"), "");
    EXPECT_NE(policy.problem("lowercaseanddigits123"), ""); // two classes
    EXPECT_EQ(policy.problem("Correct-Horse-7"), "");
    EXPECT_NE(policy.problem("Zhang.San-2026!", "zhang.san"), "");
    // Length counts characters, not UTF-8 bytes: four 汉字 are four characters.
    policy.minLength = 8;
    EXPECT_NE(policy.problem("口令Ab1!"), "");
    EXPECT_EQ(policy.problem("网格口令Ab1!"), "");
}

TEST(PasswordPolicy, ExpiresAfterTheMaximumAge)
{
    PasswordPolicy policy;
    policy.maxAgeDays = 90;
    EXPECT_FALSE(policy.isExpired(kNow - std::chrono::days(89), kNow));
    EXPECT_TRUE(policy.isExpired(kNow - std::chrono::days(90), kNow));
    policy.maxAgeDays = 0;
    EXPECT_FALSE(policy.isExpired(kNow - std::chrono::days(9000), kNow));
}

TEST(Lockout, LocksAfterNFailuresWithAGrowingDelay)
{
    LockoutPolicy policy{3, 60s, 2, 600s};
    LoginState state;
    state = afterFailure(state, policy, kNow);
    state = afterFailure(state, policy, kNow);
    EXPECT_EQ(remainingLock(state, kNow), 0s);
    state = afterFailure(state, policy, kNow);
    EXPECT_EQ(state.failures, 3);
    EXPECT_EQ(remainingLock(state, kNow), 60s);
    EXPECT_EQ(remainingLock(state, kNow + 45s), 15s);
    EXPECT_EQ(remainingLock(state, kNow + 60s), 0s);
    // Each failure after the lock doubles the delay, up to the maximum.
    state = afterFailure(state, policy, kNow + 60s);
    EXPECT_EQ(remainingLock(state, kNow + 60s), 120s);
    state = afterFailure(state, policy, kNow + 180s);
    EXPECT_EQ(remainingLock(state, kNow + 180s), 240s);
    state = afterFailure(state, policy, kNow + 420s);
    EXPECT_EQ(remainingLock(state, kNow + 420s), 480s);
    state = afterFailure(state, policy, kNow + 900s);
    EXPECT_EQ(remainingLock(state, kNow + 900s), 600s);
    EXPECT_EQ(policy.delayAfter(50), 600s);
}

TEST(AccountsConfig, ShippedFileParses)
{
    const auto config = AccountsConfig::parse(test::readConfig("accounts.conf"), "accounts.conf");
    EXPECT_GE(config.argon2.memoryKib, 65536u);
    EXPECT_EQ(config.lockout.attempts, 5);
    EXPECT_TRUE(config.needsTotp({Role::SystemAdmin}));
    // Level 3 asks two factors of every user: every role by default.
    for (const Role role : kAllRoles)
        EXPECT_TRUE(config.needsTotp({role})) << roleId(role);
    EXPECT_FALSE(config.needsTotp({}));
    EXPECT_EQ(config.idleLock, 10min);
}

TEST(AccountsConfig, BadLinesAreNamed)
{
    try {
        AccountsConfig::parse("password_min_length 12\n\nargon2_memory_kib 4096\n", "accounts.conf");
        FAIL() << "a 4 MiB Argon2id cost was accepted";
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 3);
        EXPECT_NE(e.problem().find("argon2_memory_kib"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("accounts.conf:3:"), std::string::npos) << e.what();
    }
    EXPECT_THROW(AccountsConfig::parse("totp_roles sysadmin root\n", "a"), ConfigError);
    EXPECT_THROW(AccountsConfig::parse("lockout_attempts 5\nlockout_attempts 6\n", "a"), ConfigError);
    EXPECT_THROW(AccountsConfig::parse("password_colour blue\n", "a"), ConfigError);
}
