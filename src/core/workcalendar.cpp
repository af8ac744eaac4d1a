#include "core/workcalendar.h"

#include "core/configerror.h"
#include "core/configtext.h"

#include <algorithm>
#include <stdexcept>

namespace gd::core {

using namespace configtext;
using std::chrono::days;
using std::chrono::sys_days;

namespace {

constexpr int kMaxSearchDays = 3660; // ten years without a working day means a broken calendar

std::optional<unsigned> parseWeekday(std::string_view s)
{
    static const char *const names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (unsigned i = 0; i < 7; ++i)
        if (s == names[i])
            return i;
    return std::nullopt;
}

} // namespace

WorkCalendar::WorkCalendar()
{
    for (unsigned i = 1; i <= 5; ++i)
        mWeekdays[i] = true;
    mPeriods = {{8 * 3600 + 30 * 60, 12 * 3600}, {14 * 3600 + 30 * 60, 18 * 3600}};
}

void WorkCalendar::parseSettings(std::string_view text, const std::string &sourceName)
{
    std::array<bool, 7> weekdays{};
    std::vector<Period> periods;
    bool sawWeekdays = false;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto words = splitWords(line.text);
        if (words[0] == "weekdays") {
            if (sawWeekdays)
                fail("'weekdays' is given twice");
            sawWeekdays = true;
            if (words.size() < 2)
                fail("'weekdays' needs at least one day (mon tue wed thu fri sat sun)");
            for (std::size_t i = 1; i < words.size(); ++i) {
                const auto wd = parseWeekday(words[i]);
                if (!wd)
                    fail("'" + std::string(words[i]) + "' is not a weekday (mon tue wed thu fri sat sun)");
                weekdays[*wd] = true;
            }
        } else if (words[0] == "hours") {
            if (!periods.empty())
                fail("'hours' is given twice");
            if (words.size() < 2)
                fail("'hours' needs at least one period HH:MM-HH:MM");
            for (std::size_t i = 1; i < words.size(); ++i) {
                const std::string_view w = words[i];
                const std::size_t dash = w.find('-');
                const auto begin = dash == std::string_view::npos ? std::nullopt : parseClock(w.substr(0, dash));
                const auto end = dash == std::string_view::npos ? std::nullopt : parseClock(w.substr(dash + 1));
                if (!begin || !end)
                    fail("working period '" + std::string(w) + "' is not HH:MM-HH:MM");
                if (*begin >= *end)
                    fail("working period '" + std::string(w) + "' ends before it begins");
                if (!periods.empty() && *begin < periods.back().end)
                    fail("working period '" + std::string(w) + "' overlaps or precedes the one before it");
                periods.push_back({*begin, *end});
            }
        } else {
            fail("unknown entry '" + std::string(words[0]) + "'; expected 'weekdays' or 'hours'");
        }
    }
    if (!sawWeekdays)
        throw ConfigError(sourceName, 0, "missing 'weekdays' entry");
    if (periods.empty())
        throw ConfigError(sourceName, 0, "missing 'hours' entry");
    mWeekdays = weekdays;
    mPeriods = std::move(periods);
}

void WorkCalendar::addYear(std::string_view text, const std::string &sourceName)
{
    std::optional<int> year;
    std::map<sys_days, std::string> holidays;
    std::map<sys_days, std::string> makeUp;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto words = splitWords(line.text);
        const auto dateIn = [&](std::string_view w) {
            const auto d = parseDate(w);
            if (!d)
                fail("'" + std::string(w) + "' is not a date YYYY-MM-DD");
            if (int(d->year()) != *year)
                fail("date " + std::string(w) + " is outside year " + std::to_string(*year) + " of this file");
            return sys_days(*d);
        };
        if (words[0] == "year") {
            if (year)
                fail("'year' is given twice");
            if (words.size() != 2 || !isDigits(words[1], 4))
                fail("'year' needs one 4-digit year");
            year = *toInt(words[1]);
            if (isCovered(*year))
                fail("year " + std::to_string(*year) + " is already loaded from another file");
            continue;
        }
        if (!year)
            fail("the first entry must be 'year <yyyy>'");
        if (words[0] == "holiday") {
            if (words.size() < 3)
                fail("'holiday' needs a date, an optional end date and a name");
            const sys_days first = dateIn(words[1]);
            sys_days last = first;
            std::size_t nameAt = 2;
            if (parseDate(words[2])) {
                last = dateIn(words[2]);
                nameAt = 3;
                if (last < first)
                    fail("holiday run " + std::string(words[1]) + " .. " + std::string(words[2]) + " ends before it begins");
            }
            if (nameAt >= words.size())
                fail("'holiday' needs a name after its date(s)");
            std::string name(words[nameAt]);
            for (std::size_t i = nameAt + 1; i < words.size(); ++i)
                name += " " + std::string(words[i]);
            for (sys_days d = first; d <= last; d += days(1)) {
                if (holidays.count(d))
                    fail("date " + formatDate(Date{d}) + " is already a holiday (" + holidays[d] + ")");
                if (makeUp.count(d))
                    fail("date " + formatDate(Date{d}) + " is both a holiday and a make-up working day");
                holidays[d] = name;
            }
        } else if (words[0] == "workday") {
            if (words.size() < 3)
                fail("'workday' needs a date and a name");
            const sys_days d = dateIn(words[1]);
            if (mWeekdays[std::chrono::weekday(d).c_encoding()])
                fail("date " + std::string(words[1]) + " is a regular working day already; a make-up day must fall on a rest day");
            if (holidays.count(d))
                fail("date " + std::string(words[1]) + " is both a holiday and a make-up working day");
            if (makeUp.count(d))
                fail("date " + std::string(words[1]) + " is given twice as a make-up working day");
            std::string name(words[2]);
            for (std::size_t i = 3; i < words.size(); ++i)
                name += " " + std::string(words[i]);
            makeUp[d] = name;
        } else {
            fail("unknown entry '" + std::string(words[0]) + "'; expected 'year', 'holiday' or 'workday'");
        }
    }
    if (!year)
        throw ConfigError(sourceName, 0, "missing 'year <yyyy>' entry");
    mHolidays.insert(holidays.begin(), holidays.end());
    mMakeUpDays.insert(makeUp.begin(), makeUp.end());
    mCoveredYears.insert(*year);
}

bool WorkCalendar::isWorkingDay(Date date) const
{
    const sys_days d(date);
    if (mMakeUpDays.count(d))
        return true;
    if (mHolidays.count(d))
        return false;
    return mWeekdays[std::chrono::weekday(d).c_encoding()];
}

std::string WorkCalendar::holidayName(Date date) const
{
    const auto it = mHolidays.find(sys_days(date));
    return it == mHolidays.end() ? std::string() : it->second;
}

int WorkCalendar::workingSecondsPerDay() const
{
    int total = 0;
    for (const Period &p : mPeriods)
        total += p.end - p.begin;
    return total;
}

bool WorkCalendar::isWorkingTime(TimePoint t) const
{
    if (!isWorkingDay(beijingDate(t)))
        return false;
    const int sod = beijingSecondOfDay(t);
    return std::any_of(mPeriods.begin(), mPeriods.end(), [&](const Period &p) { return sod >= p.begin && sod < p.end; });
}

TimePoint WorkCalendar::closeOfBusiness(Date date) const
{
    return beijingTime(date, mPeriods.back().end);
}

Date WorkCalendar::nextWorkingDay(Date date) const
{
    sys_days d(date);
    for (int i = 0; i < kMaxSearchDays; ++i) {
        d += days(1);
        if (isWorkingDay(Date{d}))
            return Date{d};
    }
    throw std::logic_error("working calendar has no working day within ten years");
}

TimePoint WorkCalendar::addWorkingDays(TimePoint from, int n) const
{
    Date d = beijingDate(from);
    if (n <= 0) {
        if (isWorkingDay(d) && from < closeOfBusiness(d))
            return closeOfBusiness(d);
        return closeOfBusiness(nextWorkingDay(d));
    }
    for (int i = 0; i < n; ++i)
        d = nextWorkingDay(d);
    return closeOfBusiness(d);
}

TimePoint WorkCalendar::addWorkingSeconds(TimePoint from, long long seconds) const
{
    if (seconds <= 0)
        return from;
    long long remaining = seconds;
    sys_days day(beijingDate(from));
    int sod = beijingSecondOfDay(from);
    for (int i = 0; i < kMaxSearchDays * 40; ++i) {
        if (isWorkingDay(Date{day})) {
            for (const Period &p : mPeriods) {
                if (sod >= p.end)
                    continue;
                const int start = std::max(sod, p.begin);
                const long long available = p.end - start;
                if (remaining <= available)
                    return beijingTime(Date{day}, start + int(remaining));
                remaining -= available;
            }
        }
        day += days(1);
        sod = 0;
    }
    throw std::logic_error("working calendar: deadline beyond the search horizon");
}

TimePoint WorkCalendar::addWorkingHours(TimePoint from, double hours) const
{
    return addWorkingSeconds(from, static_cast<long long>(hours * 3600.0 + 0.5));
}

long long WorkCalendar::workingSecondsBetween(TimePoint a, TimePoint b) const
{
    if (b <= a)
        return 0;
    long long total = 0;
    const sys_days last(beijingDate(b));
    for (sys_days day(beijingDate(a)); day <= last; day += days(1)) {
        if (!isWorkingDay(Date{day}))
            continue;
        for (const Period &p : mPeriods) {
            const TimePoint ps = beijingTime(Date{day}, p.begin);
            const TimePoint pe = beijingTime(Date{day}, p.end);
            const TimePoint s = std::max(ps, a);
            const TimePoint e = std::min(pe, b);
            if (e > s)
                total += (e - s).count();
        }
    }
    return total;
}

} // namespace gd::core
