#include "core/timeutil.h"

#include <cstdio>

namespace gd::core {

namespace {

bool digitsAt(std::string_view s, std::size_t pos, std::size_t count, int &out)
{
    if (pos + count > s.size())
        return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        value = value * 10 + (s[i] - '0');
    }
    out = value;
    return true;
}

} // namespace

std::optional<Date> parseDate(std::string_view text)
{
    int y = 0, m = 0, d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digitsAt(text, 0, 4, y) || !digitsAt(text, 5, 2, m)
        || !digitsAt(text, 8, 2, d))
        return std::nullopt;
    const Date date{std::chrono::year(y), std::chrono::month(unsigned(m)), std::chrono::day(unsigned(d))};
    if (!date.ok())
        return std::nullopt;
    return date;
}

std::string formatDate(Date date)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
    return buf;
}

std::optional<TimePoint> parseRfc3339(std::string_view text)
{
    // 2026-11-21T09:30:00[.fff](Z|+08:00)
    if (text.size() < 20)
        return std::nullopt;
    const auto date = parseDate(text.substr(0, 10));
    if (!date || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        return std::nullopt;
    int hh = 0, mm = 0, ss = 0;
    if (!digitsAt(text, 11, 2, hh) || text[13] != ':' || !digitsAt(text, 14, 2, mm) || text[16] != ':'
        || !digitsAt(text, 17, 2, ss))
        return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 60)
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
            ++pos;
        if (pos == start)
            return std::nullopt;
    }
    if (pos >= text.size())
        return std::nullopt; // an offset is mandatory
    int offsetMinutes = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        if (pos + 1 != text.size())
            return std::nullopt;
    } else if (text[pos] == '+' || text[pos] == '-') {
        int oh = 0, om = 0;
        if (pos + 6 != text.size() || !digitsAt(text, pos + 1, 2, oh) || text[pos + 3] != ':'
            || !digitsAt(text, pos + 4, 2, om) || oh > 23 || om > 59)
            return std::nullopt;
        offsetMinutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    if (ss == 60)
        ss = 59; // leap second: clamp, sys_seconds cannot represent it
    const auto local = std::chrono::sys_days(*date) + std::chrono::hours(hh) + std::chrono::minutes(mm)
                       + std::chrono::seconds(ss);
    return TimePoint(local - std::chrono::minutes(offsetMinutes));
}

std::string formatRfc3339(TimePoint t, int offsetMinutes)
{
    const auto local = t + std::chrono::minutes(offsetMinutes);
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const Date date{day};
    const long secs = long((local - day).count());
    char buf[40];
    if (offsetMinutes == 0) {
        std::snprintf(buf, sizeof buf, "%sT%02ld:%02ld:%02ldZ", formatDate(date).c_str(), secs / 3600, secs / 60 % 60,
                      secs % 60);
    } else {
        const int a = offsetMinutes < 0 ? -offsetMinutes : offsetMinutes;
        std::snprintf(buf, sizeof buf, "%sT%02ld:%02ld:%02ld%c%02d:%02d", formatDate(date).c_str(), secs / 3600,
                      secs / 60 % 60, secs % 60, offsetMinutes < 0 ? '-' : '+', a / 60, a % 60);
    }
    return buf;
}

Date beijingDate(TimePoint t)
{
    return Date{std::chrono::floor<std::chrono::days>(t + kBeijingOffset)};
}

int beijingSecondOfDay(TimePoint t)
{
    const auto local = t + kBeijingOffset;
    return int((local - std::chrono::floor<std::chrono::days>(local)).count());
}

TimePoint beijingTime(Date date, int secondOfDay)
{
    return TimePoint(std::chrono::sys_days(date)) + std::chrono::seconds(secondOfDay) - kBeijingOffset;
}

TimePoint beijingTime(int year, unsigned month, unsigned day, int hour, int minute, int second)
{
    return beijingTime(Date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)},
                       hour * 3600 + minute * 60 + second);
}

} // namespace gd::core
