#pragma once
// The working calendar (工作日历): weekdays, daily working periods, public holidays and
// 调休 make-up working days, in Beijing time (+08:00).
//
// Files: resources/config/calendar/calendar.conf (weekdays and working hours) and one
// resources/config/calendar/<year>.cal per year (holidays, make-up days). A year without a
// file falls back to the weekends-only rule; isCovered() tells callers so.
//
// Deadline semantics:
//  - addWorkingHours(from, h): consumes h hours of working time from `from` (outside working
//    time the count starts at the next opening). A deadline that lands exactly on the end of
//    a working period is that end (e.g. 12:00), not the next opening.
//  - addWorkingDays(from, n): close of business of the Nth working day strictly after the
//    Beijing date of `from` (the start day itself never counts, whatever the hour).
//    n == 0: close of business of `from`'s day if it is a working day, else of the next one.

#include "core/timeutil.h"

#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

class WorkCalendar
{
  public:
    //! A working period within a day, in seconds after midnight, [begin, end).
    struct Period
    {
        int begin = 0;
        int end = 0;
    };

    //! Default: Monday–Friday, 08:30–12:00 and 14:30–18:00, no holidays.
    WorkCalendar();

    //! Reads weekdays and working hours; throws ConfigError.
    void parseSettings(std::string_view text, const std::string &sourceName);
    //! Reads one year file (holidays and make-up working days); throws ConfigError.
    void addYear(std::string_view text, const std::string &sourceName);

    //! True when a year file has been loaded for \a year.
    bool isCovered(int year) const { return mCoveredYears.count(year) != 0; }
    const std::set<int> &coveredYears() const { return mCoveredYears; }

    /**
     * The years whose holiday schedule is missing although deadlines are counted in them:
     * \a today's year, and from December on the next one (a case registered in late December
     * runs into it). Empty when all is loaded.
     */
    std::vector<int> missingYears(Date today) const;
    /**
     * A sentence for the administrator naming the missing schedules and how to load them, or
     * "" when nothing is missing (English; the console translates its own).
     */
    std::string missingScheduleWarning(Date today) const;
    //! True when every year from \a from's to \a to's Beijing date has its schedule loaded.
    bool coversSpan(TimePoint from, TimePoint to) const;
    //! The first year in [from, to] without a schedule, or 0.
    int firstUncoveredYear(TimePoint from, TimePoint to) const;

    //! True on weekdays that are not public holidays, and on 调休 make-up days.
    bool isWorkingDay(Date date) const;
    //! Name of the holiday on \a date ("春节"), empty if none.
    std::string holidayName(Date date) const;

    //! The working periods of the day.
    const std::vector<Period> &periods() const { return mPeriods; }
    //! Working seconds in one working day (7 h = 25,200 s by default).
    int workingSecondsPerDay() const;

    //! True when \a t falls inside a working period of a working day.
    bool isWorkingTime(TimePoint t) const;
    //! Close of business (end of the last period) of \a date.
    TimePoint closeOfBusiness(Date date) const;
    //! The first working day after \a date.
    Date nextWorkingDay(Date date) const;

    //! Deadline of \a days working days from \a from (see the file comment).
    TimePoint addWorkingDays(TimePoint from, int days) const;
    //! Deadline of \a seconds working seconds from \a from.
    TimePoint addWorkingSeconds(TimePoint from, long long seconds) const;
    //! Deadline of \a hours working hours from \a from.
    TimePoint addWorkingHours(TimePoint from, double hours) const;
    //! Working seconds in [a, b) (0 when b <= a).
    long long workingSecondsBetween(TimePoint a, TimePoint b) const;
    //! Working time in [a, b) as a duration.
    std::chrono::seconds workingTimeBetween(TimePoint a, TimePoint b) const
    {
        return std::chrono::seconds(workingSecondsBetween(a, b));
    }

    /**
     * A year file (the <year>.cal format) for \a year from an iCalendar (.ics) text as holiday
     * calendars publish the State Council's schedule: all-day VEVENTs whose SUMMARY or
     * CATEGORIES say 放假/假期/休/Holiday (days off) or 调休/补班/上班/班/Business Day (make-up
     * working days); DTEND is exclusive. Days of other years are left out. Throws ConfigError
     * naming \a sourceName and the line for an event it cannot read or classify, a day that is
     * both a holiday and a make-up day, a make-up day on a regular working day, or a year
     * without any holiday. \a header is written as the file's first comment lines.
     */
    std::string yearFileFromIcs(std::string_view ics, int year, const std::string &sourceName,
                                const std::string &header) const;

  private:
    std::array<bool, 7> mWeekdays{}; //!< indexed by std::chrono::weekday::c_encoding() (0 = Sunday)
    std::vector<Period> mPeriods;
    std::map<std::chrono::sys_days, std::string> mHolidays;
    std::map<std::chrono::sys_days, std::string> mMakeUpDays;
    std::set<int> mCoveredYears;
};

} // namespace gd::core
