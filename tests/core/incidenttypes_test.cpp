// The emergency types of emergency.conf (issue 13: every incident was "突发事件").
#include "core/incidenttypes.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

namespace {
std::string errorOf(const std::string &text)
{
    try {
        IncidentTypes::parse(text, "emergency.conf").validate(test::catalog());
    } catch (const ConfigError &e) {
        return e.what();
    }
    return {};
}
} // namespace

TEST(IncidentTypes, TheShippedFileNamesTheTypesAndTheCategoriesTheyCover)
{
    const IncidentTypes types = IncidentTypes::parse(test::readConfig("emergency.conf"), test::configPath("emergency.conf"));
    types.validate(test::catalog());
    for (const char *code : {"fire", "mass", "disaster", "work_safety", "health", "public_order"})
        EXPECT_NE(types.find(code), nullptr) << code;
    ASSERT_NE(types.find("fire"), nullptr);
    EXPECT_EQ(types.find("fire")->nameZh, "火灾");
    EXPECT_EQ(types.find("mass")->nameZh, "群体性事件");
    // A case's own category before its family; a category no type covers has none.
    ASSERT_NE(types.forCategory("0601"), nullptr);
    EXPECT_EQ(types.forCategory("0601")->code, "fire");
    EXPECT_EQ(types.forCategory("0603")->code, "mass");
    EXPECT_EQ(types.forCategory("0204")->code, "public_order"); // family 02
    EXPECT_EQ(types.forCategory("0401"), nullptr);
    EXPECT_EQ(types.find("nonsense"), nullptr);
}

TEST(IncidentTypes, ACategoryCodeBeatsItsFamily)
{
    const auto types = IncidentTypes::parse("type | order | 治安事件 | Public order | 02\n"
                                            "type | fight | 斗殴 | Fight | 0201\n",
                                            "e");
    EXPECT_EQ(types.forCategory("0201")->code, "fight");
    EXPECT_EQ(types.forCategory("0202")->code, "order");
    EXPECT_TRUE(IncidentTypes::parse("# none\n", "e").empty());
}

TEST(IncidentTypes, ErrorsNameFileAndLine)
{
    EXPECT_NE(errorOf("type | fire | 火灾 | Fire\ntype | fire | 火 | Fire\n").find("emergency.conf:2: type 'fire' is given twice"),
              std::string::npos);
    EXPECT_NE(errorOf("type | Fire | 火灾 | Fire\n").find("emergency.conf:1: type code 'Fire'"), std::string::npos);
    EXPECT_NE(errorOf("type | fire | 火灾\n").find("emergency.conf:1: a type has 4 or 5 fields"), std::string::npos);
    EXPECT_NE(errorOf("type | fire |  | Fire\n").find("needs its Chinese and English names"), std::string::npos);
    EXPECT_NE(errorOf("kind | fire | 火灾 | Fire\n").find("emergency.conf:1: unknown entry 'kind'"), std::string::npos);
    EXPECT_NE(errorOf("type | fire | 火灾 | Fire | 06x\n").find("'06x' is neither"), std::string::npos);
    EXPECT_NE(errorOf("type | a | 甲 | A | 0601\ntype | b | 乙 | B | 0601\n").find("emergency.conf:2: '0601' already belongs to type 'a'"),
              std::string::npos);
    // Checked against the catalog: a category it does not have names the type's line.
    EXPECT_NE(errorOf("\ntype | fire | 火灾 | Fire | 0699\n").find("emergency.conf:2: type 'fire': '0699' is not in the category catalog"),
              std::string::npos);
    EXPECT_TRUE(errorOf("type | fire | 火灾 | Fire | 0601 03 # comment\n").empty());
}
