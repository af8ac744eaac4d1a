#include "core/catalog.h"

#include "core/configerror.h"
#include "core/departments.h"
#include "testconfig.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

using namespace gd::core;

TEST(Catalog, RealCatalogLoadsAndValidatesAgainstDepartments)
{
    const CategoryCatalog &c = test::catalog();
    EXPECT_NO_THROW(validateCatalog(c, test::departments()));
    const Category *fire = c.find("0301");
    ASSERT_TRUE(fire);
    EXPECT_EQ(fire->nameZh, "楼道堆放杂物堵塞消防通道");
    EXPECT_EQ(fire->familyCode, "03");
    EXPECT_EQ(c.family("03")->nameZh, "风险隐患");
    EXPECT_EQ(fire->leadDepartment, "fire");
    EXPECT_EQ(fire->priority, Priority::Urgent);
    ASSERT_TRUE(fire->limit(Stage::Handle));
    EXPECT_EQ(fire->limit(Stage::Handle)->amount, 3);
    EXPECT_EQ(fire->limit(Stage::Handle)->unit, LimitUnit::WorkingDays);
    EXPECT_EQ(fire->limit(Stage::Accept)->unit, LimitUnit::WorkingHours);
    EXPECT_DOUBLE_EQ(fire->duplicateRadiusM, 50);
    EXPECT_EQ(fire->duplicateWindowHours, 72);
    for (const char *family : {"01", "02", "03", "04", "05", "06"})
        EXPECT_TRUE(c.family(family)) << family;
    EXPECT_EQ(c.family("01")->nameZh, "矛盾纠纷");
    EXPECT_EQ(c.find("0601")->limit(Stage::Accept)->unit, LimitUnit::NaturalHours);
    EXPECT_FALSE(c.find("9999"));
    for (const Category &cat : c.categories())
        EXPECT_EQ(cat.limits.size(), 4u) << cat.code;
}

TEST(Catalog, ErrorsNameTheLine)
{
    const std::string family = "family | 03 | 风险隐患 | Risks\n";
    const auto problem = [](const std::string &text) {
        try {
            CategoryCatalog::parse(text, "cat.conf");
        } catch (const ConfigError &e) {
            return std::to_string(e.line()) + ": " + e.problem();
        }
        return std::string("no error");
    };
    const std::string good = "category | 0301 | 消防通道 | Fire passage | fire | urgent | 2wh | 4wh | 3wd | 3wd | 50 | 72\n";
    EXPECT_EQ(problem(family + good), "no error");
    EXPECT_EQ(problem(good).substr(0, 2), "1:");
    EXPECT_NE(problem(good).find("family 03"), std::string::npos);
    EXPECT_EQ(problem(family + "\n" + good + good).substr(0, 2), "4:");
    EXPECT_NE(problem(family + "category | 0301 | 消防通道 | Fire | fire | urgent | 2wh | 4wh | 3days | 3wd | 50 | 72\n")
                  .find("handle limit '3days'"),
              std::string::npos);
    EXPECT_NE(problem(family + "category | 0301 | 消防通道 | Fire | fire | soon | 2wh | 4wh | 3wd | 3wd | 50 | 72\n").find("priority"),
              std::string::npos);
    EXPECT_NE(problem(family + "category | 0300 | 消防通道 | Fire | fire | urgent | 2wh | 4wh | 3wd | 3wd | 50 | 72\n").find("0300"),
              std::string::npos);
    EXPECT_NE(problem(family + "category | 0301 | 消防通道 | Fire | fire | urgent | 2wh | 4wh | 3wd | 3wd | -5 | 72\n").find("radius"),
              std::string::npos);
    EXPECT_NE(problem(family + "category | 0301 | 消防通道 | Fire | fire | urgent | 2wh | 4wh | 3wd\n").find("12 fields"),
              std::string::npos);
    EXPECT_NE(problem("famly | 03 | x | y\n").find("unknown entry"), std::string::npos);
    EXPECT_EQ(problem(family).substr(0, 2), "0:"); // a family without categories
}

TEST(Catalog, UnknownLeadDepartmentIsReportedWithItsLine)
{
    const auto c = CategoryCatalog::parse(
        "family | 03 | 风险隐患 | Risks\n"
        "category | 0301 | 消防通道 | Fire passage | fire | urgent | 2wh | 4wh | 3wd | 3wd | 50 | 72\n"
        "category | 0302 | 燃气 | Gas | gasworks | urgent | 2wh | 4wh | 3wd | 3wd | 50 | 72\n",
        "cat.conf");
    try {
        validateCatalog(c, test::departments());
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.source(), "cat.conf");
        EXPECT_EQ(e.line(), 3);
        EXPECT_NE(e.problem().find("gasworks"), std::string::npos);
    }
}

TEST(Catalog, NamesRoundTrip)
{
    for (Priority p : {Priority::Normal, Priority::Urgent, Priority::Emergency})
        EXPECT_EQ(parsePriority(priorityName(p)), p);
    for (Stage s : {Stage::Accept, Stage::Dispatch, Stage::Handle, Stage::Visit})
        EXPECT_EQ(parseStage(stageName(s)), s);
    for (LimitUnit u : {LimitUnit::WorkingHours, LimitUnit::WorkingDays, LimitUnit::NaturalHours})
        EXPECT_EQ(parseLimitUnit(limitUnitName(u)), u);
}

TEST(Catalog, DifferencesBetweenAGatewaysCatalogAndTheStoresAreNamed)
{
    // A gateway started with its own --catalog acked reports of a category the store refused.
    const std::string text = test::readConfig("catalog.conf");
    const CategoryCatalog same = CategoryCatalog::parse(text, "copy.conf");
    EXPECT_TRUE(catalogDifferences(same, test::catalog()).empty());
    // One category line less, one more (a copy of 0301's line as 0399).
    std::string edited;
    std::istringstream in(text);
    std::string line, extra;
    while (std::getline(in, line)) {
        if (line.find("| 0302 |") != std::string::npos)
            continue;
        if (line.rfind("category", 0) == 0 && line.find("| 0301 |") != std::string::npos) {
            extra = line;
            extra.replace(extra.find("| 0301 |"), 8, "| 0399 |");
        }
        edited += line + "\n";
    }
    ASSERT_FALSE(extra.empty());
    edited += extra + "\n";
    const CategoryCatalog other = CategoryCatalog::parse(edited, "other.conf");
    const auto differences = catalogDifferences(other, test::catalog());
    ASSERT_EQ(differences.size(), 2u);
    EXPECT_EQ(differences[0].rfind("category 0399 (", 0), 0u) << differences[0];
    EXPECT_NE(differences[0].find("is not in the store's catalog"), std::string::npos);
    EXPECT_EQ(differences[1].rfind("category 0302 (", 0), 0u) << differences[1];
    EXPECT_NE(differences[1].find("of the store's catalog is missing"), std::string::npos);
}

TEST(Catalog, KeywordsSayWhatCallersCallACategory)
{
    // The real catalog: a caller says 井盖 (manhole cover), the category is 市政设施损坏.
    const Category *facility = test::catalog().find("0401");
    ASSERT_TRUE(facility);
    EXPECT_NE(std::find(facility->keywords.begin(), facility->keywords.end(), "井盖"), facility->keywords.end());

    const std::string head = "family | 03 | 风险隐患 | Risks\n"
                             "category | 0301 | 消防通道 | Fire passage | fire | urgent | 2wh | 4wh | 3wd | 3wd | 50 | 72\n";
    const auto parsed = CategoryCatalog::parse(head + "keywords | 0301 | 杂物、 堵塞 ,楼道\nkeywords | 0301 | 堵塞\n", "cat.conf");
    EXPECT_EQ(parsed.find("0301")->keywords, (std::vector<std::string>{"杂物", "堵塞", "楼道"}));
    const auto problem = [](const std::string &text) {
        try {
            CategoryCatalog::parse(text, "cat.conf");
        } catch (const ConfigError &e) {
            return std::to_string(e.line()) + ": " + e.problem();
        }
        return std::string("no error");
    };
    EXPECT_EQ(problem(head + "keywords | 0302 | 燃气\n"), "3: keywords for category '0302', which is not defined above them");
    EXPECT_EQ(problem(head + "keywords | 0301 | 杂物、、堵塞\n").substr(0, 2), "3:");
    EXPECT_NE(problem(head + "keywords | 0301\n").find("3 fields"), std::string::npos);
}
