#include "core/gridindex.h"

#include "testconfig.h"

#include <gtest/gtest.h>

#include <random>

using namespace gd::core;

TEST(GridIndex, FindsTheMicroGridAndItsAncestors)
{
    const GridTree tree = test::makeLatticeTree(2, 2, 2, 3); // micro-grids are 0.001° squares from (98.5, 39.7)
    const GridIndex index(tree);
    EXPECT_EQ(index.size(), 24u);
    const GridNode *n = index.lookup({98.5005, 39.7005});
    ASSERT_TRUE(n);
    EXPECT_EQ(n->code.str(), "620902001001001001");
    const auto chain = index.lookupWithAncestors({98.5005 + 0.013, 39.7005}); // the 14th micro-grid
    ASSERT_EQ(chain.size(), 5u);
    EXPECT_EQ(chain[0]->code.str(), "620902002001001002");
    EXPECT_EQ(chain[1]->code.str(), "620902002001001");
    EXPECT_EQ(chain[4]->code.str(), "620902");
    EXPECT_FALSE(index.lookup({98.4999, 39.7005}));
    EXPECT_FALSE(index.lookup({98.5005, 39.7011}));
    EXPECT_TRUE(index.lookupWithAncestors({0, 0}).empty());
}

TEST(GridIndex, AgreesWithBruteForce)
{
    const GridTree tree = test::makeLatticeTree(3, 3, 3, 4);
    const GridIndex index(tree);
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> lon(98.499, 98.5 + 0.001 * 108 + 0.001), lat(39.6995, 39.7015);
    int inside = 0;
    for (int i = 0; i < 5000; ++i) {
        const GeoPoint p{lon(rng), lat(rng)};
        const GridNode *a = index.lookup(p);
        EXPECT_EQ(a, index.lookupBruteForce(p));
        inside += a != nullptr;
    }
    EXPECT_GT(inside, 1000);
}

TEST(GridIndex, HolesAndMultiPolygons)
{
    GridTree tree;
    tree.add({*GridCode::parse("620902"), "区", {}, std::nullopt, {}, 0});
    tree.add({*GridCode::parse("620902001"), "镇", {}, std::nullopt, {}, 0});
    tree.add({*GridCode::parse("620902001001"), "社区", {}, std::nullopt, {}, 0});
    tree.add({*GridCode::parse("620902001001001"), "网格", {}, std::nullopt, {}, 0});
    const Ring outer{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    const Ring hole{{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}};
    const Ring island{{20, 0}, {22, 0}, {22, 2}, {20, 2}, {20, 0}};
    tree.add({*GridCode::parse("620902001001001001"), "环", {Polygon{outer, {hole}}, Polygon{island, {}}}, std::nullopt, {}, 0});
    tree.add({*GridCode::parse("620902001001001002"), "芯", {Polygon{hole, {}}}, std::nullopt, {}, 0});
    const GridIndex index(tree);
    EXPECT_EQ(index.lookup({1, 1})->code.str(), "620902001001001001");
    EXPECT_EQ(index.lookup({5, 5})->code.str(), "620902001001001002");
    EXPECT_EQ(index.lookup({21, 1})->code.str(), "620902001001001001");
    EXPECT_FALSE(index.lookup({15, 1}));
    // Indexing another level works the same way.
    const GridIndex grids(tree, GridLevel::Grid);
    EXPECT_EQ(grids.size(), 0u); // the grid node has no area
}
