#include "core/duplicatefinder.h"

#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

namespace {

// 1e-5 degree of latitude ≈ 1.11 m.
GeoPoint north(double metres)
{
    return {98.5121, 39.7432 + metres / 111195.08};
}

} // namespace

TEST(TextSimilarity, CharacterBigramDice)
{
    EXPECT_DOUBLE_EQ(textSimilarity("楼道堆放杂物", "楼道堆放杂物"), 1.0);
    // {楼道, 道堆, 堆放, 放杂, 杂物} vs {楼道, 道堆, 堆放, 放纸, 纸箱}: 3 shared → 2·3 / 10.
    EXPECT_DOUBLE_EQ(textSimilarity("楼道堆放杂物", "楼道堆放纸箱"), 0.6);
    EXPECT_DOUBLE_EQ(textSimilarity("楼道，堆放 杂物！", "楼道堆放杂物"), 1.0); // punctuation and spaces ignored
    EXPECT_DOUBLE_EQ(textSimilarity("噪音扰民", "消防通道"), 0.0);
    EXPECT_DOUBLE_EQ(textSimilarity("", "消防通道"), 0.0);
    EXPECT_DOUBLE_EQ(textSimilarity("Fire EXIT", "fire exit"), 1.0);
}

TEST(DuplicateFinder, RanksByDistanceTimeAndText)
{
    const DuplicateFinder finder(test::catalog());
    const TimePoint t0 = beijingTime(2026, 11, 23, 10);
    const CaseSummary fresh{"N", "0301", north(0), t0, "3号楼2单元楼道堆放杂物堵塞消防通道"};
    const std::vector<CaseSummary> existing{
        {"near-same-text", "0301", north(5), t0 - std::chrono::hours(2), "3号楼2单元楼道堆放杂物堵塞消防通道"},
        {"near-other-text", "0301", north(5), t0 - std::chrono::hours(2), "楼下有人乱扔垃圾"},
        {"far-same-text", "0301", north(45), t0 - std::chrono::hours(60), "3号楼2单元楼道堆放杂物堵塞消防通道"},
        {"sibling-subcategory", "0305", north(5), t0 - std::chrono::hours(2), "楼道里给电动车充电"},
        {"too-far", "0301", north(60), t0, "3号楼2单元楼道堆放杂物堵塞消防通道"},        // 0301 radius 50 m
        {"too-old", "0301", north(1), t0 - std::chrono::hours(73), "楼道堆放杂物"},      // window 72 h
        {"other-family", "0402", north(1), t0, "楼道堆放杂物堵塞消防通道"},
        {"N", "0301", north(0), t0, "itself"},
    };
    const auto c = finder.candidates(fresh, existing);
    // Scores (weights 0.4 distance, 0.2 time, 0.4 text; a sibling subcategory × 0.9):
    //  near-same-text      0.4·(1−5/50) + 0.2·(1−2/72) + 0.4·1     = 0.95444
    //  near-other-text     0.4·0.9 + 0.2·0.97222 + 0.4·0           = 0.55444
    //  sibling-subcategory 0.9·(0.55444 + 0.4·(2·1/(17+8)))       = 0.52780  (shares only 楼道)
    //  far-same-text       0.4·(1−45/50) + 0.2·(1−60/72) + 0.4·1   = 0.47333
    ASSERT_EQ(c.size(), 4u);
    EXPECT_EQ(c[0].number, "near-same-text");
    EXPECT_EQ(c[1].number, "near-other-text");
    EXPECT_EQ(c[2].number, "sibling-subcategory");
    EXPECT_EQ(c[3].number, "far-same-text");
    EXPECT_NEAR(c[0].score, 0.4 * 0.9 + 0.2 * (1 - 2.0 / 72) + 0.4, 1e-4);
    EXPECT_NEAR(c[1].score, 0.4 * 0.9 + 0.2 * (1 - 2.0 / 72), 1e-4);
    EXPECT_NEAR(c[2].textSimilarity, 2.0 / 25, 1e-9);
    EXPECT_NEAR(c[2].score, 0.9 * (0.4 * 0.9 + 0.2 * (1 - 2.0 / 72) + 0.4 * 0.08), 1e-4);
    EXPECT_NEAR(c[3].score, 0.4 * 0.1 + 0.2 * (1 - 60.0 / 72) + 0.4, 1e-4);
    EXPECT_NEAR(c[0].distanceM, 5.0, 0.01);
    EXPECT_NEAR(c[0].hoursApart, 2.0, 1e-9);
    EXPECT_DOUBLE_EQ(c[0].textSimilarity, 1.0);
    EXPECT_TRUE(finder.candidates({"X", "9999", north(0), t0, ""}, existing).empty());
}
