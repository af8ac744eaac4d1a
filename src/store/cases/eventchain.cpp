#include "store/cases/eventchain.h"

#include "store/storeerror.h"

#include <openssl/evp.h>

#include <memory>

namespace gd::store::eventchain {

namespace {

struct ContextFree
{
  void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};

class Hasher
{
  public:
    Hasher()
      : mContext(EVP_MD_CTX_new())
    {
      if (!mContext || EVP_DigestInit_ex(mContext.get(), EVP_sha256(), nullptr) != 1)
        throw StoreError(0, "OpenSSL: cannot start a SHA-256 digest");
    }
    void raw(const void *data, std::size_t size)
    {
      if (size && EVP_DigestUpdate(mContext.get(), data, size) != 1)
        throw StoreError(0, "OpenSSL: SHA-256 update failed");
    }
    // Length-prefixed, so no two different field lists give the same byte stream.
    void field(std::string_view text)
    {
      number(static_cast<std::int64_t>(text.size()));
      raw(text.data(), text.size());
    }
    void number(std::int64_t value)
    {
      std::uint8_t bytes[8];
      for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(value) >> (56 - 8 * i));
      raw(bytes, sizeof bytes);
    }
    Digest finish()
    {
      Digest out(EVP_MAX_MD_SIZE);
      unsigned int length = 0;
      if (EVP_DigestFinal_ex(mContext.get(), out.data(), &length) != 1)
        throw StoreError(0, "OpenSSL: SHA-256 final failed");
      out.resize(length);
      return out;
    }

  private:
    std::unique_ptr<EVP_MD_CTX, ContextFree> mContext;
};

} // namespace

Digest genesis(std::string_view caseNumber)
{
  Hasher h;
  h.field("GridDispatch case");
  h.field(caseNumber);
  return h.finish();
}

Digest link(const Digest &previous, std::int64_t seq, std::string_view action, std::string_view actor,
            std::string_view at, const std::optional<std::string_view> &fromState, std::string_view toState,
            std::string_view note, std::string_view data)
{
  Hasher h;
  h.raw(previous.data(), previous.size());
  h.number(seq);
  h.field(action);
  h.field(actor);
  h.field(at);
  h.number(fromState ? 1 : 0);
  h.field(fromState.value_or(std::string_view()));
  h.field(toState);
  h.field(note);
  h.field(data);
  return h.finish();
}

Digest historyLink(const Digest &previous, std::int64_t eventCount, std::string_view eventsJson)
{
  Hasher h;
  h.raw(previous.data(), previous.size());
  h.field("history");
  h.number(eventCount);
  h.field(eventsJson);
  return h.finish();
}

std::string hex(const Digest &digest)
{
  static const char *const kDigits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : digest)
  {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

} // namespace gd::store::eventchain
