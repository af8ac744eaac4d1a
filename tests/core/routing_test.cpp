#include "core/routing.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(Router, CategoryDefaultWithoutRules)
{
    Router router(test::catalog());
    router.parseRules(test::readConfig("routing.conf"), test::configPath("routing.conf"));
    const auto s = router.suggest("0301", "620902001001001001");
    EXPECT_EQ(s.department, "fire");
    EXPECT_EQ(s.reason, "category 0301 default");
    // The basis as data, so the console can word it (issue 13: "建议依据：category 0401 default").
    EXPECT_EQ(s.basis, RoutingBasis::CategoryDefault);
    EXPECT_EQ(s.category, "0301");
    EXPECT_EQ(router.suggest("9999", "620902").basis, RoutingBasis::UnknownCategory);
    EXPECT_TRUE(router.suggest("9999", "620902").department.empty());
}

TEST(Router, DeepestGridThenMostSpecificCategoryWins)
{
    Router router(test::catalog());
    router.parseRules("620902    | 01   | justice\n"
                      "620902001 | *    | township\n"
                      "620902001 | 01   | judicial_office\n"
                      "620902001 | 0101 | community\n",
                      "routing.conf");
    EXPECT_EQ(router.suggest("0101", "620902001002").department, "community");
    EXPECT_EQ(router.suggest("0102", "620902001002").department, "judicial_office");
    EXPECT_EQ(router.suggest("0301", "620902001002").department, "township");
    EXPECT_EQ(router.suggest("0102", "620902002001").department, "justice");
    EXPECT_EQ(router.suggest("0301", "620902002001").department, "fire");
    EXPECT_EQ(router.suggest("0101", "620902001").reason, "rule routing.conf:4 (grid 620902001, 0101)");
    const auto rule = router.suggest("0102", "620902001002");
    EXPECT_EQ(rule.basis, RoutingBasis::Rule);
    EXPECT_EQ(rule.ruleSource, "routing.conf");
    EXPECT_EQ(rule.ruleLine, 3);
    EXPECT_EQ(rule.ruleGrid, "620902001");
    EXPECT_EQ(rule.ruleCategory, "01");
}

TEST(Router, BadRulesNameTheLine)
{
    Router router(test::catalog());
    try {
        router.parseRules("620902 | 01 | justice\n620902 | 77 | police\n", "routing.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 2);
        EXPECT_NE(e.problem().find("77"), std::string::npos);
    }
    EXPECT_TRUE(router.rules().empty()); // nothing half-loaded
    EXPECT_THROW(router.parseRules("62090 | 01 | justice\n", "r"), ConfigError);
    EXPECT_THROW(router.parseRules("620902 | 01\n", "r"), ConfigError);
}

TEST(Router, DuplicateAndConflictingRulesAreRefusedNamingBothLines)
{
    Router router(test::catalog());
    try {
        router.parseRules("620902001 | 01 | justice\n620902002 | * | township\n620902001 | 01 | police_station\n",
                          "routing.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 3);
        EXPECT_EQ(e.problem(), "the rule for 620902001 | 01 names police_station but line 1 names justice: "
                               "conflicting rules");
    }
    try {
        router.parseRules("620902001 | 01 | justice\n620902001 | 01 | justice\n", "routing.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 2);
        EXPECT_EQ(e.problem(), "the rule for 620902001 | 01 repeats line 1");
    }
    EXPECT_TRUE(router.rules().empty());
    // The same grid with another category, or another grid with the same category, is fine.
    router.parseRules("620902001 | 01 | justice\n620902001 | 0101 | community\n620902002 | 01 | justice\n", "r");
    EXPECT_EQ(router.rules().size(), 3u);
}
