#include "store/timetext.h"

namespace gd::store {

std::string toDbTime(core::TimePoint t)
{
  return core::formatRfc3339(t, 0);
}

void appendDbTime(std::string &out, core::TimePoint t)
{
  // "YYYY-MM-DDTHH:MM:SSZ" without snprintf; years outside 0..9999 take the general path.
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{day};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999)
  {
    out += toDbTime(t);
    return;
  }
  const auto second = static_cast<int>((t - day).count());
  const auto two = [](char *at, int v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  };
  char text[20];
  two(text, year / 100);
  two(text + 2, year % 100);
  text[4] = '-';
  two(text + 5, static_cast<int>(static_cast<unsigned>(date.month())));
  text[7] = '-';
  two(text + 8, static_cast<int>(static_cast<unsigned>(date.day())));
  text[10] = 'T';
  two(text + 11, second / 3600);
  text[13] = ':';
  two(text + 14, second / 60 % 60);
  text[16] = ':';
  two(text + 17, second % 60);
  out.append(text, 19);
  out += 'Z';
}

std::optional<core::TimePoint> fromDbTime(std::string_view text)
{
  if (text.empty())
    return std::nullopt;
  return core::parseRfc3339(text);
}

core::TimePoint nowUtc()
{
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace gd::store
