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

// The bytes a link covers, each field length-prefixed so no two different field lists give
// the same byte stream.
class Fields
{
  public:
    void raw(const void *data, std::size_t size)
    {
      const auto *bytes = static_cast<const std::uint8_t *>(data);
      mBytes.insert(mBytes.end(), bytes, bytes + size);
    }
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
    std::vector<std::uint8_t> take() { return std::move(mBytes); }

  private:
    std::vector<std::uint8_t> mBytes;
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

constexpr std::string_view kGenesisLabel = "GridDispatch case";

} // namespace

std::vector<std::uint8_t> genesisHead()
{
  Fields f;
  f.field(kGenesisLabel);
  return f.take();
}

Digest genesis(std::string_view caseNumber)
{
  Fields f;
  f.field(kGenesisLabel);
  f.field(caseNumber);
  const std::vector<std::uint8_t> bytes = f.take();
  Hasher h;
  h.raw(bytes.data(), bytes.size());
  return h.finish();
}

std::vector<std::uint8_t> linkFields(std::int64_t seq, std::string_view action, std::string_view actor,
                                     std::string_view at, const std::optional<std::string_view> &fromState,
                                     std::string_view toState, std::string_view note, std::string_view data)
{
  Fields f;
  f.number(seq);
  f.field(action);
  f.field(actor);
  f.field(at);
  f.number(fromState ? 1 : 0);
  f.field(fromState.value_or(std::string_view()));
  f.field(toState);
  f.field(note);
  f.field(data);
  return f.take();
}

Digest link(const Digest &previous, std::int64_t seq, std::string_view action, std::string_view actor,
            std::string_view at, const std::optional<std::string_view> &fromState, std::string_view toState,
            std::string_view note, std::string_view data)
{
  const std::vector<std::uint8_t> fields = linkFields(seq, action, actor, at, fromState, toState, note, data);
  Hasher h;
  h.raw(previous.data(), previous.size());
  h.raw(fields.data(), fields.size());
  return h.finish();
}

Digest historyLink(const Digest &previous, std::int64_t eventCount, std::string_view eventsJson)
{
  Fields f;
  f.field("history");
  f.number(eventCount);
  f.field(eventsJson);
  const std::vector<std::uint8_t> fields = f.take();
  Hasher h;
  h.raw(previous.data(), previous.size());
  h.raw(fields.data(), fields.size());
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
