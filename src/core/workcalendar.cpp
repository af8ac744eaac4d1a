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

std::vector<int> WorkCalendar::missingYears(Date today) const
{
    std::vector<int> out;
    const int year = int(today.year());
    if (!isCovered(year))
        out.push_back(year);
    if (unsigned(today.month()) == 12 && !isCovered(year + 1))
        out.push_back(year + 1);
    return out;
}

std::string WorkCalendar::missingScheduleWarning(Date today) const
{
    const std::vector<int> years = missingYears(today);
    if (years.empty())
        return std::string();
    std::string list;
    for (std::size_t i = 0; i < years.size(); ++i)
        list += (i == 0 ? "" : " and ") + std::to_string(years[i]);
    return "The holiday schedule of " + list + " is not loaded: deadlines in " + list +
           " count weekends only and are marked so. Import the State Council's schedule with "
           "'griddispatch-ctl calendar import FILE.ics' as soon as it is published.";
}

int WorkCalendar::firstUncoveredYear(TimePoint from, TimePoint to) const
{
    const int first = int(beijingDate(from).year());
    const int last = int(beijingDate(to).year());
    for (int y = first; y <= last; ++y)
        if (!isCovered(y))
            return y;
    return 0;
}

bool WorkCalendar::coversSpan(TimePoint from, TimePoint to) const
{
    return firstUncoveredYear(from, to) == 0;
}

namespace {

// "20270101" or "20270101T000000[Z]" -> the date.
std::optional<sys_days> icsDate(std::string_view value)
{
    if (value.size() < 8 || !isDigits(value.substr(0, 8), 8) || (value.size() > 8 && value[8] != 'T'))
        return std::nullopt;
    const int y = *toInt(value.substr(0, 4));
    const int m = *toInt(value.substr(4, 2));
    const int d = *toInt(value.substr(6, 2));
    const Date date{std::chrono::year(y), std::chrono::month(unsigned(m)), std::chrono::day(unsigned(d))};
    if (!date.ok())
        return std::nullopt;
    return sys_days(date);
}

std::string icsUnescape(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char next = text[++i];
            out += next == 'n' || next == 'N' ? ' ' : next;
        } else {
            out += text[i];
        }
    }
    return out;
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

bool endsWith(std::string_view text, std::string_view part)
{
    return text.size() >= part.size() && text.substr(text.size() - part.size()) == part;
}

} // namespace

std::string WorkCalendar::yearFileFromIcs(std::string_view ics, int year, const std::string &sourceName,
                                         const std::string &header) const
{
    // Unfold (RFC 5545 3.1: a line starting with a space or tab continues the one before),
    // keeping the number of each logical line's first physical line for messages.
    std::vector<std::pair<int, std::string>> logical;
    int number = 0;
    std::size_t pos = 0;
    while (pos <= ics.size()) {
        const std::size_t end = std::min(ics.find('\n', pos), ics.size());
        std::string_view line = ics.substr(pos, end - pos);
        pos = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !logical.empty())
            logical.back().second += std::string(line.substr(1));
        else if (!line.empty())
            logical.push_back({number, std::string(line)});
        if (end == ics.size())
            break;
    }
    if (logical.empty() || logical.front().second != "BEGIN:VCALENDAR")
        throw ConfigError(sourceName, 1, "not an iCalendar file (it must begin with BEGIN:VCALENDAR)");

    struct Event
    {
        int line = 0;
        std::optional<sys_days> start, end;
        std::string summary, categories;
    };
    std::map<sys_days, std::pair<std::string, int>> holidays; // day -> name, line
    std::map<sys_days, std::pair<std::string, int>> makeUp;
    std::optional<Event> event;
    for (const auto &[line, text] : logical) {
        const auto fail = [&, line = line](const std::string &problem) { throw ConfigError(sourceName, line, problem); };
        const std::size_t colon = text.find(':');
        const std::string name = text.substr(0, std::min(text.find(';'), colon));
        const std::string value = colon == std::string::npos ? std::string() : text.substr(colon + 1);
        if (text == "BEGIN:VEVENT") {
            event = Event{line, {}, {}, {}, {}};
            continue;
        }
        if (!event)
            continue;
        if (name == "DTSTART" || name == "DTEND") {
            const auto d = icsDate(value);
            if (!d)
                fail(name + " '" + value + "' is not a date (YYYYMMDD)");
            (name == "DTSTART" ? event->start : event->end) = d;
        } else if (name == "SUMMARY") {
            event->summary = icsUnescape(value);
        } else if (name == "CATEGORIES") {
            event->categories = icsUnescape(value);
        } else if (text == "END:VEVENT") {
            const Event e = *event;
            event.reset();
            const auto failEvent = [&](const std::string &problem) { throw ConfigError(sourceName, e.line, problem); };
            if (!e.start)
                failEvent("the event '" + e.summary + "' has no DTSTART");
            const sys_days last = e.end ? *e.end - days(1) : *e.start; // DTEND is exclusive
            if (last < *e.start)
                failEvent("the event '" + e.summary + "' ends before it begins");
            if (int(Date{last}.year()) < year || int(Date{*e.start}.year()) > year)
                continue; // another year's event
            // Make-up days first: "春节调休" is a working day, "春节放假调休" (the run of days off) is not.
            const std::string_view s = e.summary;
            const bool off = contains(s, "放假") || contains(s, "假期") || (endsWith(s, "休") && !endsWith(s, "调休"))
                             || contains(e.categories, "Holiday") || contains(e.categories, "节假日");
            const bool work = !contains(s, "放假") && (contains(s, "调休") || contains(s, "补班") || contains(s, "上班")
                                                      || endsWith(s, "班") || contains(e.categories, "Business Day"));
            if (off == work)
                failEvent("cannot tell whether '" + e.summary
                          + "' is a public holiday or a make-up working day (expected 放假/休/Holiday or 调休/补班/班/Business Day)");
            // The holiday's own name: 元旦, 春节, ... without the suffix the calendar adds.
            std::string base = e.summary;
            for (const char *suffix : {"放假", "假期", "补班", "上班", "调休", "休", "班"}) {
                if (endsWith(base, suffix)) {
                    base.erase(base.size() - std::string_view(suffix).size());
                    break;
                }
            }
            while (!base.empty() && (base.back() == ' ' || base.back() == '\t'))
                base.pop_back();
            if (base.empty())
                base = work ? "调休" : "节假日";
            for (sys_days d = *e.start; d <= last; d += days(1)) {
                if (int(Date{d}.year()) != year)
                    continue;
                const std::string day = formatDate(Date{d});
                auto &own = work ? makeUp : holidays;
                auto &other = work ? holidays : makeUp;
                if (const auto it = other.find(d); it != other.end())
                    failEvent("date " + day + " is both a holiday and a make-up working day (also line "
                              + std::to_string(it->second.second) + ")");
                if (work && mWeekdays[std::chrono::weekday(d).c_encoding()])
                    failEvent("date " + day + " ('" + e.summary
                              + "') is a regular working day already; a make-up day falls on a rest day");
                own.emplace(d, std::make_pair(work ? base + "调休" : base, e.line));
            }
        }
    }
    if (event)
        throw ConfigError(sourceName, event->line, "the event is not closed (no END:VEVENT)");
    if (holidays.empty())
        throw ConfigError(sourceName, 0, "no public holiday of " + std::to_string(year) + " in the file");

    std::string out;
    for (std::size_t start = 0; start < header.size();) {
        const std::size_t end = std::min(header.find('\n', start), header.size());
        out += "# " + header.substr(start, end - start) + "\n";
        start = end + 1;
    }
    out += "year " + std::to_string(year) + "\n";
    for (auto it = holidays.begin(); it != holidays.end();) {
        auto runEnd = it;
        while (std::next(runEnd) != holidays.end() && std::next(runEnd)->first == runEnd->first + days(1)
               && std::next(runEnd)->second.first == it->second.first)
            ++runEnd;
        out += "holiday " + formatDate(Date{it->first});
        out += runEnd != it ? " " + formatDate(Date{runEnd->first}) : std::string(11, ' ');
        out += " " + it->second.first + "\n";
        it = std::next(runEnd);
    }
    for (const auto &[d, named] : makeUp)
        out += "workday " + formatDate(Date{d}) + "            " + named.first + "\n";
    return out;
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
