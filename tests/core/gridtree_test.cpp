#include "core/gridtree.h"

#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

namespace {

GridNode node(const std::string &code, const std::string &name)
{
    return GridNode{*GridCode::parse(code), name, {}, std::nullopt, {}, 0};
}

} // namespace

TEST(GridTree, AddRequiresParentsAndUniqueCodes)
{
    GridTree tree;
    EXPECT_EQ(tree.add(node("620902", "肃州区")), "");
    EXPECT_NE(tree.add(node("620902001001", "社区")).find("no parent 620902001"), std::string::npos);
    EXPECT_EQ(tree.add(node("620902001", "东北街街道")), "");
    EXPECT_NE(tree.add(node("620902001", "again")).find("already"), std::string::npos);
    EXPECT_EQ(tree.add(node("620902001001", "社区")), "");
    EXPECT_EQ(tree.size(), 3u);
}

TEST(GridTree, NavigatesTheFiveLevels)
{
    const GridTree tree = test::makeLatticeTree(2, 2, 2, 3);
    EXPECT_EQ(tree.size(), 1u + 2 + 4 + 8 + 24);
    EXPECT_TRUE(tree.validate().empty());
    const auto township = *GridCode::parse("620902001");
    const auto kids = tree.children(township);
    ASSERT_EQ(kids.size(), 2u);
    EXPECT_EQ(kids[0]->code.str(), "620902001001");
    EXPECT_EQ(kids[1]->code.str(), "620902001002");
    EXPECT_EQ(tree.subtree(township).size(), 1u + 2 + 4 + 12);
    const auto up = tree.ancestors(*GridCode::parse("620902002001002003"));
    ASSERT_EQ(up.size(), 4u);
    EXPECT_EQ(up[0]->code.str(), "620902002001002");
    EXPECT_EQ(up[3]->code.str(), "620902");
    EXPECT_EQ(tree.nodesAt(GridLevel::MicroGrid).size(), 24u);
    EXPECT_EQ(tree.find("620902002001002003")->name, "微网格003");
    EXPECT_FALSE(tree.find("620902003"));
}

TEST(GridTree, ValidateReportsProblemsByCode)
{
    GridTree tree;
    GridNode d = node("620902", "");
    d.area = {Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, {}}};
    tree.add(d);
    GridNode t = node("620902001", "镇");
    t.area = {Polygon{{{0.5, 0.5}, {2, 0.5}, {2, 2}, {0.5, 2}}, {}}}; // open ring, outside the parent
    t.households = -1;
    tree.add(t);
    const auto problems = tree.validate();
    ASSERT_EQ(problems.size(), 4u);
    std::string all;
    for (const auto &p : problems)
        all += p + "\n";
    EXPECT_NE(all.find("grid 620902: name is empty"), std::string::npos) << all;
    EXPECT_NE(all.find("grid 620902001: households is negative"), std::string::npos) << all;
    EXPECT_NE(all.find("grid 620902001: an outer ring is not closed"), std::string::npos) << all;
    EXPECT_NE(all.find("grid 620902001: area extends beyond its parent 620902"), std::string::npos) << all;
}

TEST(GridTree, RefusesANullCode)
{
    GridTree tree;
    EXPECT_EQ(tree.add(GridNode{}), "a grid node needs a code");
}
