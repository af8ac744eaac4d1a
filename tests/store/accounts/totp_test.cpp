#include "store/accounts/totp.h"

#include "store/accounts/passwordhash.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;
using namespace std::chrono_literals;

namespace {
core::TimePoint at(long long seconds)
{
  return core::TimePoint(std::chrono::seconds(seconds));
}
const totp::Secret kRfcSecret = [] {
  const std::string ascii = "12345678901234567890"; // RFC 6238 appendix B, HMAC-SHA1
  return totp::Secret(ascii.begin(), ascii.end());
}();
} // namespace

TEST(Totp, Rfc6238TestVectors)
{
  EXPECT_EQ(totp::code(kRfcSecret, at(59), 8), "94287082");
  EXPECT_EQ(totp::code(kRfcSecret, at(1111111109), 8), "07081804");
  EXPECT_EQ(totp::code(kRfcSecret, at(1111111111), 8), "14050471");
  EXPECT_EQ(totp::code(kRfcSecret, at(1234567890), 8), "89005924");
  EXPECT_EQ(totp::code(kRfcSecret, at(2000000000), 8), "69279037");
  EXPECT_EQ(totp::code(kRfcSecret, at(20000000000), 8), "65353130");
  // The six-digit code is the last six of the eight.
  EXPECT_EQ(totp::code(kRfcSecret, at(1111111109)), "081804");
}

TEST(Totp, CheckAcceptsOneStepEitherSideOnAFixedClock)
{
  const core::TimePoint now = at(1111111111); // step 37037037
  const std::string code = totp::code(kRfcSecret, now);
  EXPECT_EQ(totp::check(kRfcSecret, code, now), 37037037u);
  EXPECT_EQ(totp::check(kRfcSecret, code, now + 30s), 37037037u);
  EXPECT_EQ(totp::check(kRfcSecret, code, now - 30s), 37037037u);
  EXPECT_FALSE(totp::check(kRfcSecret, code, now + 90s));
  EXPECT_FALSE(totp::check(kRfcSecret, "12345", now));
  EXPECT_FALSE(totp::check(kRfcSecret, "12a456", now));
  EXPECT_FALSE(totp::check(totp::newSecret(), code, now));
}

TEST(Totp, EnrolmentUriCarriesTheBase32Secret)
{
  EXPECT_EQ(totp::base32(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(totp::fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), kRfcSecret);
  const totp::Secret fresh = totp::newSecret();
  EXPECT_EQ(totp::fromBase32(totp::base32(fresh)), fresh);
  EXPECT_FALSE(totp::fromBase32("not base32!"));
  EXPECT_EQ(totp::otpauthUri("GridDispatch 肃州区", "zhang.san", kRfcSecret),
            "otpauth://totp/GridDispatch%20%E8%82%83%E5%B7%9E%E5%8C%BA:zhang.san?secret="
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GridDispatch%20%E8%82%83%E5%B7%9E%E5%8C%BA&algorithm=SHA1&"
            "digits=6&period=30");
}

TEST(Totp, SealedSecretOpensOnlyWithThePasswordAndUnaltered)
{
  const core::Argon2Cost cheap{1024, 1, 1};
  const auto sealed = totp::seal(kRfcSecret, "Pass-word-1234", cheap);
  EXPECT_EQ(totp::open(sealed, "Pass-word-1234"), kRfcSecret);
  EXPECT_FALSE(totp::open(sealed, "Pass-word-1235"));
  auto altered = sealed;
  altered.back() ^= 1;
  EXPECT_FALSE(totp::open(altered, "Pass-word-1234"));
  auto cheaper = sealed;
  cheaper[4] ^= 1; // the cost in the header is authenticated too
  EXPECT_FALSE(totp::open(cheaper, "Pass-word-1234"));
}

TEST(PasswordHash, Argon2idPhcVerifiesOnlyTheRightPassword)
{
  const core::Argon2Cost cost{65536, 3, 1};
  const std::string phc = passwords::hash("Correct-Horse-7", cost);
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << phc;
  EXPECT_TRUE(passwords::verify(phc, "Correct-Horse-7"));
  EXPECT_FALSE(passwords::verify(phc, "Correct-Horse-8"));
  EXPECT_FALSE(passwords::verify(phc, ""));
  EXPECT_FALSE(passwords::verify("$2b$12$notargon", "Correct-Horse-7"));
  EXPECT_NE(passwords::hash("Correct-Horse-7", cost), phc); // a fresh salt each time
  const auto parsed = passwords::costOf(phc);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->memoryKib, 65536u);
  EXPECT_EQ(parsed->iterations, 3u);
}
