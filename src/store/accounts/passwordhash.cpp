#include "store/accounts/passwordhash.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>

namespace gd::store::passwords {

namespace {
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
} // namespace

std::vector<std::uint8_t> randomBytes(std::size_t n)
{
  std::vector<std::uint8_t> bytes(n);
  if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1)
    throw std::runtime_error("the system's random source failed");
  return bytes;
}

std::string hash(std::string_view password, const core::Argon2Cost &cost)
{
  const auto salt = randomBytes(kSaltBytes);
  std::string encoded(argon2_encodedlen(cost.iterations, cost.memoryKib, cost.parallelism, kSaltBytes, kHashBytes,
                                        Argon2_id),
                      '\0');
  const int rc = argon2id_hash_encoded(cost.iterations, cost.memoryKib, cost.parallelism, password.data(),
                                       password.size(), salt.data(), salt.size(), kHashBytes, encoded.data(),
                                       encoded.size());
  if (rc != ARGON2_OK)
    throw std::runtime_error(std::string("Argon2id failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify(std::string_view phc, std::string_view password)
{
  if (phc.rfind("$argon2id$", 0) != 0)
    return false;
  const std::string encoded(phc); // libargon2 wants a terminated string
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::optional<core::Argon2Cost> costOf(std::string_view phc)
{
  const std::string text(phc);
  unsigned version = 0, memory = 0, iterations = 0, parallelism = 0;
  if (std::sscanf(text.c_str(), "$argon2id$v=%u$m=%u,t=%u,p=%u$", &version, &memory, &iterations, &parallelism) != 4)
    return std::nullopt;
  return core::Argon2Cost{memory, iterations, parallelism};
}

std::array<std::uint8_t, 32> deriveKey(std::string_view password, const std::vector<std::uint8_t> &salt,
                                       const core::Argon2Cost &cost)
{
  std::array<std::uint8_t, 32> key{};
  const int rc = argon2id_hash_raw(cost.iterations, cost.memoryKib, cost.parallelism, password.data(), password.size(),
                                   salt.data(), salt.size(), key.data(), key.size());
  if (rc != ARGON2_OK)
    throw std::runtime_error(std::string("Argon2id failed: ") + argon2_error_message(rc));
  return key;
}

} // namespace gd::store::passwords
