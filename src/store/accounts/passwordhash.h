#pragma once
// Password hashes: Argon2id (RFC 9106) through libargon2, kept as PHC strings
// ("$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>"), so the cost travels with each hash and a
// raised cost can re-hash at the next login.

#include "core/accountpolicy.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store::passwords {

//! A PHC string of \a password with a fresh 16-byte random salt and a 32-byte hash at \a cost.
std::string hash(std::string_view password, const core::Argon2Cost &cost);
//! True when \a password gives \a phc (constant-time comparison, inside libargon2). False for a malformed \a phc.
bool verify(std::string_view phc, std::string_view password);
//! The cost written in \a phc; nullopt when it is not an argon2id PHC string.
std::optional<core::Argon2Cost> costOf(std::string_view phc);
//! Argon2id raw output of \a password with \a salt (32 bytes): a key only the password opens.
std::array<std::uint8_t, 32> deriveKey(std::string_view password, const std::vector<std::uint8_t> &salt,
                                       const core::Argon2Cost &cost);
//! \a n bytes from the operating system's random source (OpenSSL RAND_bytes).
std::vector<std::uint8_t> randomBytes(std::size_t n);

} // namespace gd::store::passwords
