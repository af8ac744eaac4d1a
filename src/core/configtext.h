#pragma once
// Shared reading of the line-oriented configuration files: '#' starts a comment, blank lines
// are skipped, fields are separated by '|' or by whitespace. Internal to core.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core::configtext {

struct Line
{
    int number = 0;        //!< 1-based
    std::string_view text; //!< comment stripped, trimmed, never empty
};

//! Non-empty logical lines of \a text (a UTF-8 BOM and CR line ends are tolerated).
std::vector<Line> lines(std::string_view text);
std::string_view trim(std::string_view s);
//! Splits on '|' and trims each field.
std::vector<std::string_view> splitBars(std::string_view s);
//! Splits on runs of ASCII whitespace.
std::vector<std::string_view> splitWords(std::string_view s);
std::optional<int> toInt(std::string_view s);
std::optional<double> toDouble(std::string_view s);
bool isDigits(std::string_view s, std::size_t length);
//! "HH:MM" -> seconds after midnight (24:00 allowed).
std::optional<int> parseClock(std::string_view s);

} // namespace gd::core::configtext
