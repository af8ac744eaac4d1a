#include "core/gridcode.h"
#include "core/gridtree.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(GridCode, LevelsByLength)
{
    EXPECT_EQ(GridCode::parse("620902")->level(), GridLevel::District);
    EXPECT_EQ(GridCode::parse("620902001")->level(), GridLevel::Township);
    EXPECT_EQ(GridCode::parse("620902001002")->level(), GridLevel::Community);
    EXPECT_EQ(GridCode::parse("620902001002003")->level(), GridLevel::Grid);
    EXPECT_EQ(GridCode::parse("620902001002003004")->level(), GridLevel::MicroGrid);
}

TEST(GridCode, RefusesWithReasons)
{
    std::string why;
    EXPECT_FALSE(GridCode::parse("1101", &why));
    EXPECT_NE(why.find("4 digits"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse("62090a", &why));
    EXPECT_NE(why.find("digits only"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse("990902", &why));
    EXPECT_NE(why.find("province"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse("620900", &why));
    EXPECT_NE(why.find("prefecture"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse("620902000", &why));
    EXPECT_NE(why.find("township segment"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse("620902001002000", &why));
    EXPECT_NE(why.find("grid segment"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse("620902001002003000", &why));
    EXPECT_NE(why.find("micro-grid segment"), std::string::npos) << why;
    EXPECT_FALSE(GridCode::parse(""));
}

TEST(GridCode, ParentsAndAncestry)
{
    const auto micro = *GridCode::parse("620902001002003004");
    EXPECT_EQ(micro.parent()->str(), "620902001002003");
    EXPECT_EQ(micro.parent()->parent()->parent()->parent()->str(), "620902");
    EXPECT_FALSE(GridCode::parse("620902")->parent());
    EXPECT_EQ(micro.adminCode(), "620902");
    const auto township = *GridCode::parse("620902001");
    EXPECT_TRUE(township.isAncestorOf(micro));
    EXPECT_FALSE(micro.isAncestorOf(township));
    EXPECT_FALSE(township.isAncestorOf(township));
    EXPECT_TRUE(township.contains(township));
    EXPECT_FALSE(GridCode::parse("620902002")->isAncestorOf(micro));
    EXPECT_EQ(micro.ancestorAt(GridLevel::Community)->str(), "620902001002");
    EXPECT_FALSE(township.ancestorAt(GridLevel::Grid));
}

TEST(GridCode, LevelNames)
{
    EXPECT_EQ(gridLevelName(GridLevel::MicroGrid), "micro_grid");
    EXPECT_EQ(gridLevelNameZh(GridLevel::Township), "乡镇/街道");
    EXPECT_EQ(parseGridLevel("community"), GridLevel::Community);
}

TEST(GridCode, NullCode)
{
    const GridCode null;
    EXPECT_TRUE(null.isNull());
    EXPECT_FALSE(null.isAncestorOf(*GridCode::parse("620902")));
    EXPECT_FALSE(GridCode::parse("620902")->isNull());
    GridNode node; // default-constructible for callers that fill fields one by one
    EXPECT_TRUE(node.code.isNull());
}
