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
