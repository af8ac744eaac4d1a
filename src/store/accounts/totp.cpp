#include "store/accounts/totp.h"

#include "core/conference.h"
#include "store/accounts/passwordhash.h"

#include <liboath/oath.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace gd::store::totp {

namespace {

constexpr std::uint8_t kSealVersion = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
// version, memory (KiB), iterations, parallelism: the cost travels with the sealed secret.
constexpr std::size_t kHeaderBytes = 1 + 4 + 4 + 4;

void initOath()
{
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK)
      throw std::runtime_error("liboath could not be initialised");
  });
}

std::time_t seconds(core::TimePoint t)
{
  return static_cast<std::time_t>(t.time_since_epoch().count());
}

void put32(std::vector<std::uint8_t> &out, std::uint32_t v)
{
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t get32(const std::uint8_t *p)
{
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

} // namespace

Secret newSecret()
{
  return passwords::randomBytes(20);
}

std::string code(const Secret &secret, core::TimePoint now, int digits)
{
  initOath();
  char out[16] = {};
  const int rc = oath_totp_generate2(reinterpret_cast<const char *>(secret.data()), secret.size(), seconds(now),
                                     kStepSeconds, 0, static_cast<unsigned>(digits), 0, out);
  if (rc != OATH_OK)
    throw std::runtime_error(std::string("TOTP: ") + oath_strerror(rc));
  return out;
}

std::optional<std::uint64_t> check(const Secret &secret, std::string_view otp, core::TimePoint now)
{
  initOath();
  if (otp.size() != kDigits || otp.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const std::string text(otp);
  int position = 0;
  std::uint64_t counter = 0;
  const int rc = oath_totp_validate3(reinterpret_cast<const char *>(secret.data()), secret.size(), seconds(now),
                                     kStepSeconds, 0, 1, &position, &counter, text.c_str());
  if (rc < 0)
    return std::nullopt;
  return counter;
}

std::string base32(const Secret &secret)
{
  initOath();
  char *out = nullptr;
  std::size_t length = 0;
  if (oath_base32_encode(reinterpret_cast<const char *>(secret.data()), secret.size(), &out, &length) != OATH_OK)
    throw std::runtime_error("TOTP: base32 encoding failed");
  std::string text(out, length);
  std::free(out);
  while (!text.empty() && text.back() == '=')
    text.pop_back();
  return text;
}

std::optional<Secret> fromBase32(std::string_view text)
{
  initOath();
  std::string padded(text);
  while (padded.size() % 8 != 0)
    padded += '=';
  char *out = nullptr;
  std::size_t length = 0;
  if (oath_base32_decode(padded.data(), padded.size(), &out, &length) != OATH_OK)
    return std::nullopt;
  Secret secret(reinterpret_cast<std::uint8_t *>(out), reinterpret_cast<std::uint8_t *>(out) + length);
  std::free(out);
  return secret;
}

std::string otpauthUri(std::string_view issuer, std::string_view account, const Secret &secret)
{
  return "otpauth://totp/" + core::urlEncode(issuer) + ":" + core::urlEncode(account) + "?secret=" + base32(secret) +
         "&issuer=" + core::urlEncode(issuer) + "&algorithm=SHA1&digits=" + std::to_string(kDigits) +
         "&period=" + std::to_string(kStepSeconds);
}

std::vector<std::uint8_t> seal(const Secret &secret, std::string_view password, const core::Argon2Cost &cost)
{
  std::vector<std::uint8_t> out;
  out.push_back(kSealVersion);
  put32(out, cost.memoryKib);
  put32(out, cost.iterations);
  put32(out, cost.parallelism);
  const auto salt = passwords::randomBytes(kSaltBytes);
  const auto nonce = passwords::randomBytes(kNonceBytes);
  out.insert(out.end(), salt.begin(), salt.end());
  out.insert(out.end(), nonce.begin(), nonce.end());
  const auto key = passwords::deriveKey(password, salt, cost);

  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  const std::size_t header = out.size();
  out.resize(header + secret.size() + kTagBytes);
  int length = 0, final = 0;
  // The header is authenticated too: a changed cost or salt fails open().
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, out.data(), static_cast<int>(header)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + header, &length, secret.data(), static_cast<int>(secret.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + header + length, &final) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + header + secret.size()) != 1)
    throw std::runtime_error("TOTP: sealing the secret failed");
  return out;
}

std::optional<Secret> open(const std::vector<std::uint8_t> &sealed, std::string_view password)
{
  const std::size_t header = kHeaderBytes + kSaltBytes + kNonceBytes;
  if (sealed.size() <= header + kTagBytes || sealed[0] != kSealVersion)
    return std::nullopt;
  const core::Argon2Cost cost{get32(&sealed[1]), get32(&sealed[5]), get32(&sealed[9])};
  // A cost written into the row by hand could ask for terabytes or hours: refuse it.
  if (cost.memoryKib > 4u * 1024 * 1024 || cost.iterations > 100 || cost.parallelism > 64)
    return std::nullopt;
  const std::vector<std::uint8_t> salt(sealed.begin() + kHeaderBytes, sealed.begin() + kHeaderBytes + kSaltBytes);
  const std::uint8_t *nonce = sealed.data() + kHeaderBytes + kSaltBytes;
  const auto key = passwords::deriveKey(password, salt, cost);
  const std::size_t cipherBytes = sealed.size() - header - kTagBytes;
  Secret secret(cipherBytes);
  std::vector<std::uint8_t> tag(sealed.end() - kTagBytes, sealed.end());
  CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int length = 0, final = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, sealed.data(), static_cast<int>(header)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), secret.data(), &length, sealed.data() + header, static_cast<int>(cipherBytes)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), secret.data() + length, &final) != 1)
    return std::nullopt;
  return secret;
}

} // namespace gd::store::totp
