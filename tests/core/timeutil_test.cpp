#include "core/timeutil.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(TimeUtil, ParsesOffsetsAndZulu)
{
    const auto a = parseRfc3339("2026-11-21T09:30:00+08:00");
    const auto b = parseRfc3339("2026-11-21T01:30:00Z");
    const auto c = parseRfc3339("2026-11-20T20:30:00.123-05:00");
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(*a, *c);
    EXPECT_EQ(*a, beijingTime(2026, 11, 21, 9, 30));
}

TEST(TimeUtil, RejectsMissingOffsetAndGarbage)
{
    EXPECT_FALSE(parseRfc3339("2026-11-21T09:30:00"));
    EXPECT_FALSE(parseRfc3339("2026-02-30T09:30:00Z"));
    EXPECT_FALSE(parseRfc3339("2026-11-21T25:30:00Z"));
    EXPECT_FALSE(parseRfc3339("2026-11-21T09:30:00+0800"));
    EXPECT_FALSE(parseRfc3339("yesterday"));
    EXPECT_FALSE(parseRfc3339(""));
}

TEST(TimeUtil, FormatsRoundTrip)
{
    const TimePoint t = beijingTime(2026, 11, 21, 9, 30);
    EXPECT_EQ(formatRfc3339(t), "2026-11-21T09:30:00+08:00");
    EXPECT_EQ(formatRfc3339(t, 0), "2026-11-21T01:30:00Z");
    EXPECT_EQ(formatRfc3339(t, -300), "2026-11-20T20:30:00-05:00");
    EXPECT_EQ(*parseRfc3339(formatRfc3339(t)), t);
}

TEST(TimeUtil, BeijingDateCrossesMidnightBeforeUtc)
{
    const TimePoint t = *parseRfc3339("2025-12-31T16:30:00Z"); // 00:30 on 1 January in Beijing
    EXPECT_EQ(formatDate(beijingDate(t)), "2026-01-01");
    EXPECT_EQ(beijingSecondOfDay(t), 30 * 60);
    EXPECT_EQ(parseDate("2026-01-01"), beijingDate(t));
    EXPECT_FALSE(parseDate("2026-13-01"));
}
