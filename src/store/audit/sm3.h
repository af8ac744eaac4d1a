#pragma once
// SM3 (GB/T 32905-2016) and HMAC-SM3 for the audit log's hash chain and seals (issue 17), from
// OpenSSL 3's default provider. OpenSSL stays out of this header: the digest context is opaque.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace gd::store::audit {

using Digest = std::array<std::uint8_t, 32>;

/**
 * An SM3 digest in progress. One object can be reused: finish() starts it afresh, so hashing a
 * million chain links costs one context, not a million (what `audit verify` does).
 */
class Sm3
{
  public:
    Sm3();
    ~Sm3();
    Sm3(const Sm3 &) = delete;
    Sm3 &operator=(const Sm3 &) = delete;

    void raw(const void *data, std::size_t size);
    void raw(const Digest &digest) { raw(digest.data(), digest.size()); }
    //! Eight bytes, big-endian.
    void number(std::int64_t value);
    //! Length-prefixed (number() of its size, then its bytes), so no two field lists give the same bytes.
    void field(std::string_view text);
    //! The digest of everything added since the last finish(); the context is then fresh again.
    Digest finish();

  private:
    struct State;
    std::unique_ptr<State> mState;
};

//! SM3 of \a bytes in one call.
Digest sm3(std::string_view bytes);

//! HMAC-SM3 of \a message under \a key.
Digest hmacSm3(std::string_view key, std::string_view message);

//! Lower-case hex of \a digest.
std::string hex(const Digest &digest);
//! A digest from its hex; nullopt-like false when \a text is not 64 hex digits.
bool fromHex(std::string_view text, Digest &out);
//! A digest from a stored blob (32 bytes); false otherwise.
bool fromBytes(const std::uint8_t *data, std::size_t size, Digest &out);

} // namespace gd::store::audit
