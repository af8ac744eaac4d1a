#pragma once
// The second factor: TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps, the authenticator apps'
// defaults) through liboath, and how its secret is kept in the store.
//
// The secret is never stored in the clear: it is sealed with AES-256-GCM under a key derived
// from the account's password by Argon2id with a salt of its own (not the password hash's), so
// whoever reads the database — the sqlite3 shell on the file, or a PostgreSQL role that can
// SELECT accounts — holds neither the secret nor the means to compute codes without the
// password. The login that checks the password opens the secret with the same password; a
// password change seals it again under the new one; an administrator's reset (who does not know
// the password) drops it, and the account enrols again at its next login.

#include "core/accountpolicy.h"
#include "core/timeutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store::totp {

using Secret = std::vector<std::uint8_t>;

constexpr int kDigits = 6;
constexpr int kStepSeconds = 30;

//! A new 20-byte (160-bit, RFC 4226's recommendation) random secret.
Secret newSecret();
//! The code of \a secret at \a now (\a digits digits, HMAC-SHA1).
std::string code(const Secret &secret, core::TimePoint now, int digits = kDigits);
/**
 * The time step (counter) of \a code when it is the code of \a secret at \a now or one step
 * either side (a phone's clock a little off); nullopt when it is not.
 */
std::optional<std::uint64_t> check(const Secret &secret, std::string_view code, core::TimePoint now);
//! RFC 4648 base32 without padding (what the otpauth URI and the apps' manual entry take).
std::string base32(const Secret &secret);
//! The secret of a base32 key (as base32() writes it, padding optional); nullopt when it is not base32.
std::optional<Secret> fromBase32(std::string_view text);
//! otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
std::string otpauthUri(std::string_view issuer, std::string_view account, const Secret &secret);

//! \a secret sealed under \a password (see the file comment): what accounts.totp_secret holds.
std::vector<std::uint8_t> seal(const Secret &secret, std::string_view password, const core::Argon2Cost &cost);
//! The secret \a sealed holds, or nullopt when \a password does not open it (or it was altered).
std::optional<Secret> open(const std::vector<std::uint8_t> &sealed, std::string_view password);

} // namespace gd::store::totp
