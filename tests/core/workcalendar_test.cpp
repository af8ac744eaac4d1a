#include "core/workcalendar.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

namespace {

Date day(int y, unsigned m, unsigned d)
{
    return Date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
}

TimePoint bj(int y, unsigned m, unsigned d, int h, int min = 0)
{
    return beijingTime(y, m, d, h, min);
}

int workingDaysIn(const WorkCalendar &cal, int year)
{
    int n = 0;
    for (std::chrono::sys_days d{day(year, 1, 1)}; d <= std::chrono::sys_days{day(year, 12, 31)}; d += std::chrono::days(1))
        n += cal.isWorkingDay(Date{d});
    return n;
}

} // namespace

TEST(WorkCalendar, Holidays2025Exactly)
{
    const WorkCalendar &cal = test::calendar();
    EXPECT_TRUE(cal.isCovered(2025));
    EXPECT_FALSE(cal.isWorkingDay(day(2025, 1, 1)));
    EXPECT_EQ(cal.holidayName(day(2025, 1, 1)), "元旦");
    for (unsigned d = 28; d <= 31; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2025, 1, d))) << d;
    for (unsigned d = 1; d <= 4; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2025, 2, d))) << d;
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 1, 26))); // Sunday, 调休
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 2, 5)));
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 2, 8))); // Saturday, 调休
    EXPECT_FALSE(cal.isWorkingDay(day(2025, 2, 9)));
    for (unsigned d = 4; d <= 6; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2025, 4, d)));
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 4, 27)));
    for (unsigned d = 1; d <= 5; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2025, 5, d)));
    EXPECT_FALSE(cal.isWorkingDay(day(2025, 5, 31)));
    EXPECT_FALSE(cal.isWorkingDay(day(2025, 6, 2)));
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 6, 3)));
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 9, 28)));
    for (unsigned d = 1; d <= 8; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2025, 10, d)));
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 10, 9)));
    EXPECT_TRUE(cal.isWorkingDay(day(2025, 10, 11)));
    // 261 weekdays − 18 weekday holidays + 5 make-up days.
    EXPECT_EQ(workingDaysIn(cal, 2025), 248);
}

TEST(WorkCalendar, Holidays2026Exactly)
{
    const WorkCalendar &cal = test::calendar();
    EXPECT_TRUE(cal.isCovered(2026));
    for (unsigned d = 1; d <= 3; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 1, d)));
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 1, 4))); // Sunday
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 2, 14))); // Saturday
    for (unsigned d = 15; d <= 23; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 2, d))) << d;
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 2, 24)));
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 2, 28))); // Saturday
    for (unsigned d = 4; d <= 6; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 4, d)));
    for (unsigned d = 1; d <= 5; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 5, d)));
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 5, 9)));
    for (unsigned d = 19; d <= 21; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 6, d)));
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 9, 20)));
    for (unsigned d = 25; d <= 27; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 9, d)));
    for (unsigned d = 1; d <= 7; ++d)
        EXPECT_FALSE(cal.isWorkingDay(day(2026, 10, d)));
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 10, 8)));
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 10, 10)));
    EXPECT_FALSE(cal.isWorkingDay(day(2026, 10, 11)));
    EXPECT_EQ(workingDaysIn(cal, 2026), 248);
}

TEST(WorkCalendar, UncoveredYearFallsBackToWeekends)
{
    const WorkCalendar &cal = test::calendar();
    EXPECT_FALSE(cal.isCovered(2027));
    EXPECT_TRUE(cal.isWorkingDay(day(2027, 1, 1))); // a Friday; no holiday file, weekends-only rule
    EXPECT_FALSE(cal.isWorkingDay(day(2027, 1, 2)));
    EXPECT_EQ(cal.coveredYears(), (std::set<int>{2025, 2026}));
}

TEST(WorkCalendar, WorkingHoursSkipLunchNightAndHolidays)
{
    const WorkCalendar &cal = test::calendar();
    EXPECT_EQ(cal.addWorkingHours(bj(2025, 1, 27, 10), 2), bj(2025, 1, 27, 12)); // lands on the period end
    EXPECT_EQ(cal.addWorkingHours(bj(2025, 1, 27, 12, 30), 1), bj(2025, 1, 27, 15, 30)); // starts after lunch
    EXPECT_EQ(cal.addWorkingHours(bj(2025, 1, 27, 11), 2), bj(2025, 1, 27, 15, 30));
    // Across midnight into the next working day.
    EXPECT_EQ(cal.addWorkingHours(bj(2026, 11, 19, 17, 30), 1), bj(2026, 11, 20, 9, 0));
    // Friday evening → Monday morning.
    EXPECT_EQ(cal.addWorkingHours(bj(2026, 11, 20, 17, 30), 1), bj(2026, 11, 23, 9, 0));
    // Friday 24 Jan 2025 → the make-up Sunday 26 Jan.
    EXPECT_EQ(cal.addWorkingHours(bj(2025, 1, 24, 17), 2), bj(2025, 1, 26, 9, 30));
    // Monday 27 Jan 2025 → across the whole Spring Festival to 5 Feb.
    EXPECT_EQ(cal.addWorkingHours(bj(2025, 1, 27, 17), 2), bj(2025, 2, 5, 9, 30));
    EXPECT_EQ(cal.addWorkingHours(bj(2025, 1, 27, 20), 7), bj(2025, 2, 5, 18));
}

TEST(WorkCalendar, WorkingDaysEndAtCloseOfBusiness)
{
    const WorkCalendar &cal = test::calendar();
    EXPECT_EQ(cal.addWorkingDays(bj(2026, 11, 23, 10), 1), bj(2026, 11, 24, 18)); // Mon → Tue
    EXPECT_EQ(cal.addWorkingDays(bj(2026, 11, 23, 23, 59), 1), bj(2026, 11, 24, 18)); // the hour does not matter
    EXPECT_EQ(cal.addWorkingDays(bj(2026, 11, 20, 9), 1), bj(2026, 11, 23, 18)); // Fri → Mon
    EXPECT_EQ(cal.addWorkingDays(bj(2025, 9, 30, 10), 1), bj(2025, 10, 9, 18)); // over National Day
    EXPECT_EQ(cal.addWorkingDays(bj(2025, 9, 30, 10), 3), bj(2025, 10, 11, 18)); // Saturday make-up counts
    EXPECT_EQ(cal.addWorkingDays(bj(2025, 9, 27, 10), 1), bj(2025, 9, 28, 18)); // Sat → make-up Sunday
    EXPECT_EQ(cal.addWorkingDays(bj(2026, 11, 23, 10), 0), bj(2026, 11, 23, 18));
    EXPECT_EQ(cal.addWorkingDays(bj(2026, 11, 21, 10), 0), bj(2026, 11, 23, 18)); // Saturday → Monday
}

TEST(WorkCalendar, WorkingTimeBetween)
{
    const WorkCalendar &cal = test::calendar();
    EXPECT_EQ(cal.workingSecondsBetween(bj(2026, 11, 23, 8), bj(2026, 11, 23, 20)), 7 * 3600);
    EXPECT_EQ(cal.workingSecondsBetween(bj(2026, 11, 23, 11), bj(2026, 11, 23, 15)), 3600 + 1800);
    EXPECT_EQ(cal.workingSecondsBetween(bj(2025, 1, 27, 17), bj(2025, 2, 5, 9, 30)), 2 * 3600);
    EXPECT_EQ(cal.workingSecondsBetween(bj(2026, 11, 23, 15), bj(2026, 11, 23, 11)), 0);
    EXPECT_EQ(cal.workingTimeBetween(bj(2026, 11, 20, 17), bj(2026, 11, 23, 9, 30)), std::chrono::hours(2));
    EXPECT_EQ(cal.workingSecondsPerDay(), 7 * 3600);
    EXPECT_TRUE(cal.isWorkingTime(bj(2026, 11, 23, 8, 30)));
    EXPECT_FALSE(cal.isWorkingTime(bj(2026, 11, 23, 12)));
    EXPECT_FALSE(cal.isWorkingTime(bj(2026, 10, 5, 10)));
}

TEST(WorkCalendar, ConfigurableHours)
{
    WorkCalendar cal;
    cal.parseSettings("weekdays mon tue wed thu fri sat\nhours 09:00-17:00\n", "six.conf");
    EXPECT_TRUE(cal.isWorkingDay(day(2026, 11, 21)));
    EXPECT_EQ(cal.workingSecondsPerDay(), 8 * 3600);
    EXPECT_EQ(cal.addWorkingHours(bj(2026, 11, 21, 16), 2), bj(2026, 11, 23, 10));
}

TEST(WorkCalendar, BadFilesNameTheLine)
{
    const auto lineOf = [](auto &&f) {
        try {
            f();
        } catch (const ConfigError &e) {
            return e.line();
        }
        return -1;
    };
    WorkCalendar cal;
    EXPECT_EQ(lineOf([&] { cal.parseSettings("weekdays mon\nhours 12:00-08:30\n", "c"); }), 2);
    EXPECT_EQ(lineOf([&] { cal.parseSettings("weekdays mon funday\nhours 08:00-12:00\n", "c"); }), 1);
    EXPECT_EQ(lineOf([&] { cal.parseSettings("weekdays mon\nhours 08:00-12:00 11:00-13:00\n", "c"); }), 2);
    EXPECT_EQ(lineOf([&] { cal.parseSettings("weekdays mon\n", "c"); }), 0);
    EXPECT_EQ(lineOf([&] { cal.addYear("holiday 2027-01-01 元旦\n", "y"); }), 1);
    EXPECT_EQ(lineOf([&] { cal.addYear("year 2027\nholiday 2028-01-01 元旦\n", "y"); }), 2);
    EXPECT_EQ(lineOf([&] { cal.addYear("year 2027\nworkday 2027-01-04 调休\n", "y"); }), 2); // a Monday
    EXPECT_EQ(lineOf([&] { cal.addYear("year 2027\nholiday 2027-01-02 元旦\nworkday 2027-01-02 调休\n", "y"); }), 3);
    EXPECT_EQ(lineOf([&] { cal.addYear("year 2027\nholiday 2027-01-05 2027-01-03 x\n", "y"); }), 2);
    EXPECT_EQ(lineOf([&] { cal.addYear("year 2027\nholiday 2027-02-30 x\n", "y"); }), 2);
    EXPECT_FALSE(cal.isCovered(2027)); // nothing half-loaded
    cal.addYear("year 2027\nholiday 2027-01-01 元旦\n", "2027.cal");
    EXPECT_TRUE(cal.isCovered(2027));
    EXPECT_FALSE(cal.isWorkingDay(day(2027, 1, 1)));
    EXPECT_EQ(lineOf([&] { cal.addYear("year 2027\n", "again.cal"); }), 1);
}

// ---- issue 14, defect 10: the calendar must not run out silently -------------------------

namespace {

// The State Council's 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知, the same as
// resources/config/calendar/2026.cal) as holiday calendars publish it: all-day events, DTEND
// exclusive, "<name>放假" for days off and "<name>调休" for make-up days, CRLF line ends,
// folded lines, and the neighbouring years' events in the same feed.
std::string ics2026()
{
    struct E { const char *start, *end, *summary, *category; };
    const E events[] = {
        {"20251230", "20251231", "元旦调休", "调休,Business Day"},
        {"20260101", "20260104", "元旦放假", "节假日,Holiday"},
        {"20260104", "20260105", "元旦调休", "调休,Business Day"},
        {"20260214", "20260215", "春节调休", "调休,Business Day"},
        {"20260215", "20260224", "春节放假", "节假日,Holiday"},
        {"20260228", "20260301", "春节调休", "调休,Business Day"},
        {"20260404", "20260407", "清明节放假", "节假日,Holiday"},
        {"20260501", "20260506", "劳动节放假", "节假日,Holiday"},
        {"20260509", "20260510", "劳动节调休", "调休,Business Day"},
        {"20260619", "20260622", "端午节放假", "节假日,Holiday"},
        {"20260920", "20260921", "国庆节调休", "调休,Business Day"},
        {"20260925", "20260928", "中秋节放假", "节假日,Holiday"},
        {"20261001", "20261008", "国庆节放假", "节假日,Holiday"},
        {"20261010", "20261011", "国庆节调休", "调休,Business Day"},
    };
    std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//Mainland China Public Holi\r\n\tdays//EN\r\n";
    for (const E &e : events)
        out += std::string("BEGIN:VEVENT\r\nUID:") + e.start + "@test\r\nSUMMARY:" + e.summary +
               "\r\nDTSTART;VALUE=DATE:" + e.start + "\r\nDTEND;VALUE=DATE:" + e.end + "\r\nCATEGORIES:" + e.category +
               "\r\nEND:VEVENT\r\n";
    return out + "END:VCALENDAR\r\n";
}

} // namespace

TEST(WorkCalendar, AnIcsScheduleGivesTheSameYearAsTheShippedFile)
{
    WorkCalendar settings;
    settings.parseSettings(test::readConfig("calendar/calendar.conf"), "calendar.conf");
    const std::string file = settings.yearFileFromIcs(ics2026(), 2026, "cn.ics", "imported for a test");
    EXPECT_EQ(file.rfind("# imported for a test\nyear 2026\n", 0), 0u) << file;
    WorkCalendar imported = settings;
    imported.addYear(file, "2026.cal");
    WorkCalendar shipped = settings;
    shipped.addYear(test::readConfig("calendar/2026.cal"), "2026.cal");
    for (auto d = std::chrono::sys_days(day(2026, 1, 1)); d <= std::chrono::sys_days(day(2026, 12, 31));
         d += std::chrono::days(1))
        EXPECT_EQ(imported.isWorkingDay(Date{d}), shipped.isWorkingDay(Date{d})) << formatDate(Date{d});
    EXPECT_EQ(imported.holidayName(day(2026, 2, 17)), "春节");
    // The 2025 make-up day in the same feed is not 2026's.
    EXPECT_EQ(file.find("2025-12-30"), std::string::npos) << file;
}

TEST(WorkCalendar, AnIcsScheduleIsValidatedNamingTheLine)
{
    WorkCalendar settings;
    settings.parseSettings(test::readConfig("calendar/calendar.conf"), "calendar.conf");
    const auto expectProblem = [&](const std::string &ics, int line, const std::string &problem) {
        try {
            settings.yearFileFromIcs(ics, 2026, "cn.ics", "");
            FAIL() << problem;
        } catch (const ConfigError &e) {
            EXPECT_EQ(e.line(), line) << e.what();
            EXPECT_NE(e.problem().find(problem), std::string::npos) << e.what();
        }
    };
    const std::string head = "BEGIN:VCALENDAR\nVERSION:2.0\n";
    const auto event = [](const char *start, const char *end, const char *summary) {
        return std::string("BEGIN:VEVENT\nSUMMARY:") + summary + "\nDTSTART;VALUE=DATE:" + start +
               "\nDTEND;VALUE=DATE:" + end + "\nEND:VEVENT\n";
    };
    // A day both off and a make-up day (lines: the second event begins on line 8).
    expectProblem(head + event("20260101", "20260104", "元旦放假") + event("20260103", "20260104", "元旦补班") +
                      "END:VCALENDAR\n",
                  8, "date 2026-01-03 is both a holiday and a make-up working day (also line 3)");
    // A make-up "working day" on a Wednesday.
    expectProblem(head + event("20260101", "20260102", "元旦放假") + event("20260107", "20260108", "元旦调休") +
                      "END:VCALENDAR\n",
                  8, "date 2026-01-07 ('元旦调休') is a regular working day already");
    expectProblem(head + event("20260101", "20260102", "元旦快乐") + "END:VCALENDAR\n", 3,
                  "cannot tell whether '元旦快乐' is a public holiday or a make-up working day");
    expectProblem(head + "BEGIN:VEVENT\nSUMMARY:元旦放假\nDTSTART;VALUE=DATE:2026-01-01\nEND:VEVENT\n", 5,
                  "DTSTART '2026-01-01' is not a date (YYYYMMDD)");
    expectProblem(head + event("20250101", "20250102", "元旦放假") + "END:VCALENDAR\n", 0,
                  "no public holiday of 2026 in the file");
    expectProblem("not a calendar\n", 1, "not an iCalendar file");
}

TEST(WorkCalendar, AMissingScheduleIsNamedFromDecemberAndSpansAreMarked)
{
    const WorkCalendar &c = test::calendar(); // 2025 and 2026
    EXPECT_TRUE(c.missingYears(day(2026, 11, 30)).empty());
    EXPECT_EQ(c.missingYears(day(2026, 12, 1)), std::vector<int>{2027});
    EXPECT_EQ(c.missingYears(day(2027, 1, 2)), std::vector<int>{2027});
    EXPECT_EQ(c.missingYears(day(2027, 12, 7)), (std::vector<int>{2027, 2028}));
    EXPECT_TRUE(c.missingScheduleWarning(day(2026, 11, 30)).empty());
    const std::string warning = c.missingScheduleWarning(day(2026, 12, 7));
    EXPECT_NE(warning.find("The holiday schedule of 2027 is not loaded"), std::string::npos) << warning;
    EXPECT_NE(warning.find("griddispatch-ctl calendar import"), std::string::npos) << warning;
    // A 15-working-day case registered on 2026-12-21 runs into 2027: counted on weekends alone.
    const TimePoint registered = bj(2026, 12, 21, 10);
    const TimePoint deadline = c.addWorkingDays(registered, 15);
    EXPECT_EQ(beijingDate(deadline), day(2027, 1, 11)); // 元旦 2027 not known: 1 January counted as a working day
    EXPECT_FALSE(c.coversSpan(registered, deadline));
    EXPECT_EQ(c.firstUncoveredYear(registered, deadline), 2027);
    EXPECT_TRUE(c.coversSpan(bj(2026, 12, 1, 9), bj(2026, 12, 18, 18)));
}
