#pragma once
// Instants are UTC (sys_seconds); the working calendar and case numbers use China
// Standard Time, a fixed +08:00 (no daylight saving since 1991).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gd::core {

//! A UTC instant with second resolution.
using TimePoint = std::chrono::sys_seconds;
//! A civil date (no time zone attached).
using Date = std::chrono::year_month_day;

//! Offset of Asia/Shanghai from UTC, fixed.
inline constexpr std::chrono::minutes kBeijingOffset{480};

//! Parses an RFC 3339 date-time; an offset or "Z" is required. Fractions of a second are truncated.
std::optional<TimePoint> parseRfc3339(std::string_view text);

//! Formats \a t as "2026-11-21T09:30:00+08:00" in the given offset ("Z" when 0).
std::string formatRfc3339(TimePoint t, int offsetMinutes = 480);

//! Parses "YYYY-MM-DD".
std::optional<Date> parseDate(std::string_view text);

//! Formats "YYYY-MM-DD".
std::string formatDate(Date date);

//! The Beijing civil date of the instant \a t.
Date beijingDate(TimePoint t);

//! Seconds since Beijing midnight of the instant \a t (0 .. 86399).
int beijingSecondOfDay(TimePoint t);

//! The instant at \a secondOfDay seconds after Beijing midnight of \a date (may exceed one day).
TimePoint beijingTime(Date date, int secondOfDay = 0);

//! Convenience for tests and configuration: Beijing wall-clock time to instant.
TimePoint beijingTime(int year, unsigned month, unsigned day, int hour = 0, int minute = 0, int second = 0);

} // namespace gd::core
