#include "core/casenumber.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(CaseNumber, FormatsAndParses)
{
    const CaseNumber n = CaseNumber::make("620902", beijingTime(2026, 11, 21, 9, 30), 17);
    EXPECT_EQ(n.toString(), "620902-20261121-000017");
    const auto parsed = CaseNumber::parse("620902-20261121-000017");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, n);
    EXPECT_EQ(parsed->sequence(), 17);
    EXPECT_EQ(parsed->adminCode(), "620902");
}

TEST(CaseNumber, DateIsBeijingDate)
{
    // 23:30 UTC on the 20th is 07:30 on the 21st in Beijing.
    const CaseNumber n = CaseNumber::make("620902", *parseRfc3339("2026-11-20T23:30:00Z"), 1);
    EXPECT_EQ(n.toString(), "620902-20261121-000001");
}

TEST(CaseNumber, RefusesMalformed)
{
    std::string why;
    EXPECT_FALSE(CaseNumber::parse("620902-20261121-17", &why));
    EXPECT_FALSE(why.empty());
    EXPECT_FALSE(CaseNumber::parse("620902-20260230-000017"));
    EXPECT_FALSE(CaseNumber::parse("620902-20261121-000000"));
    EXPECT_FALSE(CaseNumber::parse("62090a-20261121-000017"));
    EXPECT_THROW(CaseNumber("6209", beijingDate(beijingTime(2026, 1, 1)), 1), std::invalid_argument);
    EXPECT_THROW(CaseNumber("620902", beijingDate(beijingTime(2026, 1, 1)), 1000000), std::invalid_argument);
}
