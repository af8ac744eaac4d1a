#pragma once
// PostgreSQL array literals ('{"a","b"}', '{1.5,NULL}') for the field feed's bulk statements:
// each array is one text parameter, so a batch's rows travel as a few parameters of one
// statement (unnest(CAST(? AS text[]), …)), not one round trip a row. Internal to store/feed.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gd::store::pgarray {

//! Starts an array literal in \a out.
inline void open(std::string &out)
{
  out.clear();
  out.push_back('{');
}

//! Appends \a text as an element (quoted, with '"' and '\' escaped).
inline void appendText(std::string &out, std::string_view text)
{
  if (out.size() > 1) // past the opening brace
    out.push_back(',');
  out.push_back('"');
  for (char c : text)
  {
    if (c == '"' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

//! Appends a number (NULL when empty): the shortest text that reads back as the same value.
template<typename Number> void appendNumber(std::string &out, std::optional<Number> value)
{
  if (out.size() > 1)
    out.push_back(',');
  if (!value)
  {
    out += "NULL";
    return;
  }
  char digits[32];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *value);
  out.append(digits, ec == std::errc() ? end : digits);
}

//! Ends the array literal.
inline void close(std::string &out)
{
  out.push_back('}');
}

} // namespace gd::store::pgarray
