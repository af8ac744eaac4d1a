#include "store/audit/sm3.h"

#include "store/storeerror.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>

namespace gd::store::audit {

namespace {

// Fetched once per process: EVP_get_digestbyname and implicit fetches look the algorithm up on
// every init, which costs as much as hashing a short link.
EVP_MD *sm3Algorithm()
{
  static EVP_MD *const md = EVP_MD_fetch(nullptr, "SM3", nullptr);
  if (!md)
    throw StoreError(0, "OpenSSL has no SM3 (the audit log's hash): OpenSSL 3 with its default provider is needed");
  return md;
}

} // namespace

// The bytes are gathered here and hashed in one EVP_DigestUpdate at finish(): a chain link is
// a dozen short fields, and one call per field cost more than the hashing (the verify bench).
struct Sm3::State
{
    EVP_MD_CTX *context = nullptr;
    std::string buffer;
};

Sm3::Sm3()
  : mState(std::make_unique<State>())
{
  mState->context = EVP_MD_CTX_new();
  if (!mState->context || EVP_DigestInit_ex2(mState->context, sm3Algorithm(), nullptr) != 1)
    throw StoreError(0, "OpenSSL: cannot start an SM3 digest");
}

Sm3::~Sm3()
{
  EVP_MD_CTX_free(mState->context);
}

void Sm3::raw(const void *data, std::size_t size)
{
  mState->buffer.append(static_cast<const char *>(data), size);
}

void Sm3::number(std::int64_t value)
{
  std::uint8_t bytes[8];
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (56 - 8 * i));
  raw(bytes, sizeof bytes);
}

void Sm3::field(std::string_view text)
{
  number(static_cast<std::int64_t>(text.size()));
  raw(text.data(), text.size());
}

Digest Sm3::finish()
{
  Digest out{};
  unsigned int length = 0;
  const bool updated = mState->buffer.empty() ||
                       EVP_DigestUpdate(mState->context, mState->buffer.data(), mState->buffer.size()) == 1;
  mState->buffer.clear();
  if (!updated || EVP_DigestFinal_ex(mState->context, out.data(), &length) != 1 || length != out.size() ||
      EVP_DigestInit_ex2(mState->context, nullptr, nullptr) != 1)
    throw StoreError(0, "OpenSSL: SM3 final failed");
  return out;
}

Digest sm3(std::string_view bytes)
{
  Sm3 h;
  h.raw(bytes.data(), bytes.size());
  return h.finish();
}

Digest hmacSm3(std::string_view key, std::string_view message)
{
  EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX *context = mac ? EVP_MAC_CTX_new(mac) : nullptr;
  char digestName[] = "SM3";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0), OSSL_PARAM_construct_end()};
  Digest out{};
  std::size_t length = 0;
  const bool ok = context &&
                  EVP_MAC_init(context, reinterpret_cast<const unsigned char *>(key.data()), key.size(), params) == 1 &&
                  EVP_MAC_update(context, reinterpret_cast<const unsigned char *>(message.data()), message.size()) == 1 &&
                  EVP_MAC_final(context, out.data(), &length, out.size()) == 1 && length == out.size();
  EVP_MAC_CTX_free(context);
  EVP_MAC_free(mac);
  if (!ok)
    throw StoreError(0, "OpenSSL: HMAC-SM3 failed");
  return out;
}

std::string hex(const Digest &digest)
{
  static const char *const kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (std::uint8_t b : digest)
  {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

bool fromHex(std::string_view text, Digest &out)
{
  if (text.size() != out.size() * 2)
    return false;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i)
  {
    const int high = nibble(text[2 * i]);
    const int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0)
      return false;
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return true;
}

bool fromBytes(const std::uint8_t *data, std::size_t size, Digest &out)
{
  if (size != out.size())
    return false;
  std::memcpy(out.data(), data, size);
  return true;
}

} // namespace gd::store::audit
