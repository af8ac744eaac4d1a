#include "store/storelocation.h"

#include "store/storeerror.h"

#include <libpq-fe.h>

#include <memory>

namespace gd::store {

namespace {

bool startsWith(std::string_view text, std::string_view prefix)
{
  return text.substr(0, prefix.size()) == prefix;
}

//! A URI's user-info password ("user:secret@") and any password= parameter, replaced by ***.
std::string redactUri(std::string_view uri)
{
  std::string out(uri);
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos)
  {
    const std::size_t start = scheme + 3;
    const std::size_t end = out.find_first_of("/?", start);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start)
    {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at)
        out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=… among the query parameters (up to the next & or the end).
  for (std::size_t pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1))
  {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&')
      continue;
    const std::size_t value = pos + 9;
    const std::size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

//! password = 'x y' / password=secret in a keyword string, replaced by ***.
std::string redactKeywords(std::string_view text)
{
  std::string out(text);
  for (std::size_t pos = out.find("password"); pos != std::string::npos; pos = out.find("password", pos + 1))
  {
    if (pos > 0 && out[pos - 1] != ' ' && out[pos - 1] != '\t')
      continue;
    std::size_t i = pos + 8;
    while (i < out.size() && (out[i] == ' ' || out[i] == '\t'))
      ++i;
    if (i >= out.size() || out[i] != '=')
      continue;
    ++i;
    while (i < out.size() && (out[i] == ' ' || out[i] == '\t'))
      ++i;
    std::size_t end = i;
    if (end < out.size() && out[end] == '\'')
    {
      ++end;
      while (end < out.size() && out[end] != '\'')
        end += out[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, out.size());
    }
    else
      while (end < out.size() && out[end] != ' ' && out[end] != '\t')
        ++end;
    out.replace(i, end - i, "***");
  }
  return out;
}

} // namespace

StoreLocation StoreLocation::file(const std::filesystem::path &path)
{
  StoreLocation location;
  location.mBackend = Backend::SQLite;
  location.mPath = path;
  location.mDisplay = path.string();
  return location;
}

bool StoreLocation::looksLikeConnectionString(std::string_view text)
{
  if (startsWith(text, "postgresql://") || startsWith(text, "postgres://"))
    return true;
  // A keyword string: "host=… dbname=…", "service=center". A file name with '=' and no
  // known keyword stays a file.
  for (const char *keyword : {"host=", "hostaddr=", "dbname=", "service=", "port=", "user="})
  {
    const std::size_t pos = text.find(keyword);
    if (pos != std::string_view::npos && (pos == 0 || text[pos - 1] == ' '))
      return true;
  }
  return false;
}

std::string StoreLocation::redact(std::string_view conninfo)
{
  if (startsWith(conninfo, "postgresql://") || startsWith(conninfo, "postgres://"))
    return redactUri(conninfo);
  return redactKeywords(conninfo);
}

StoreLocation StoreLocation::parse(std::string_view text)
{
  if (!looksLikeConnectionString(text))
    return file(std::filesystem::path(std::string(text)));
  StoreLocation location;
  location.mBackend = Backend::PostgreSQL;
  location.mConninfo = std::string(text);
  location.mDisplay = redact(text);
  // libpq's own parser: the same rules PQconnectdb applies, so what passes here is what it reads.
  char *error = nullptr;
  PQconninfoOption *options = PQconninfoParse(location.mConninfo.c_str(), &error);
  if (!options)
  {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
      message.pop_back();
    // libpq quotes the offending text, which may be (part of) the password: when the string
    // holds one, the quoted fragments are left out.
    if (location.mDisplay != location.mConninfo)
    {
      std::string cleaned;
      bool quoted = false;
      for (const char c : message)
      {
        if (c == '"')
        {
          quoted = !quoted;
          cleaned += quoted ? "\"…\"" : "";
          continue;
        }
        if (!quoted)
          cleaned += c;
      }
      message = cleaned;
    }
    throw StoreError(0, "--db " + location.mDisplay + " is not a valid PostgreSQL connection string: " + message);
  }
  PQconninfoFree(options);
  return location;
}

std::vector<std::pair<std::string, std::string>> StoreLocation::keywords() const
{
  std::vector<std::pair<std::string, std::string>> out;
  if (!isPostgres())
    return out;
  PQconninfoOption *options = PQconninfoParse(mConninfo.c_str(), nullptr);
  if (!options)
    return out;
  for (PQconninfoOption *o = options; o->keyword; ++o)
    if (o->val && *o->val)
      out.emplace_back(o->keyword, o->val);
  PQconninfoFree(options);
  return out;
}

std::string StoreLocation::display() const
{
  return mDisplay;
}

} // namespace gd::store
