#include "core/radiusquery.h"

#include "testconfig.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

using namespace gd::core;

namespace {

// distanceMeters() measures on a sphere of 6,371,008.8 m: along a meridian a degree is exactly this long.
constexpr double kMetresPerDegreeLat = 6371008.8 * std::numbers::pi / 180.0;

const GeoPoint kCentre{98.5005, 39.7005};
const TimePoint kNow = beijingTime(2026, 11, 21, 9, 30);

GeoPoint north(double metres)
{
    return {kCentre.lon, kCentre.lat + metres / kMetresPerDegreeLat};
}

WorkerFix worker(const std::string &id, GeoPoint at, std::chrono::seconds age)
{
    return {id, "网格员" + id, "1390000" + id, "620902001001001", "HS-" + id, at, kNow - age};
}

// The lattice of testconfig: one township, communities 001 (98.500-98.506) and 002
// (98.506-98.512), each with grids of 0.003° and micro-grids of 0.001° (about 85.5 m east-west
// and 111.2 m north-south here), all in the strip 39.700-39.701.
const GridTree &lattice()
{
    static const GridTree tree = test::makeLatticeTree(1, 2, 2, 3, 0.001);
    return tree;
}

} // namespace

TEST(RadiusQuery, WorkersInsideByDistanceWithAgeAndOnlineState)
{
    const std::vector<WorkerFix> workers = {
        worker("D", north(400), std::chrono::seconds(10)),   // outside
        worker("B", north(-250), std::chrono::hours(1)),     // inside, stale fix: offline
        worker("A", north(100), std::chrono::seconds(60)),   // inside, online
        worker("C", north(299), std::chrono::seconds(-30)),  // inside, fix stamped in the future
        worker("E", north(301), std::chrono::seconds(1)),    // just outside
    };
    RadiusQuery q;
    q.centre = kCentre;
    q.radiusM = 300;
    q.now = kNow;
    const RadiusResult r = findWithinRadius(q, workers, {}, GridTree());
    ASSERT_EQ(r.workers.size(), 3u);
    EXPECT_EQ(r.workers[0].fix.workerId, "A");
    EXPECT_NEAR(r.workers[0].distanceM, 100.0, 1e-6);
    EXPECT_TRUE(r.workers[0].online);
    EXPECT_EQ(r.workers[0].fixAge, std::chrono::seconds(60));
    EXPECT_EQ(r.workers[0].fix.name, "网格员A");
    EXPECT_EQ(r.workers[1].fix.workerId, "B");
    EXPECT_NEAR(r.workers[1].distanceM, 250.0, 1e-6);
    EXPECT_FALSE(r.workers[1].online);
    EXPECT_EQ(r.workers[1].fixAge, std::chrono::hours(1));
    EXPECT_EQ(r.workers[2].fix.workerId, "C");
    EXPECT_NEAR(r.workers[2].distanceM, 299.0, 1e-6);
    EXPECT_EQ(r.workers[2].fixAge, std::chrono::seconds(0));
    EXPECT_TRUE(r.workers[2].online);
}

TEST(RadiusQuery, SitesByDistanceAndKindWithRiskMarked)
{
    const std::vector<SitePoint> sites = {
        {1, "police_post", "东关警务室", north(150), ""},
        {2, "camera", "东关街口视频探头", north(-50), "rtsp://10.0.0.5/live/1"},
        {3, "petrol_station", "中石化东关加油站", north(280), ""},
        {4, "hazchem_firm", "化工有限公司", north(500), ""},
        {5, "gas_company", "燃气有限公司", GeoPoint{kCentre.lon + 0.002, kCentre.lat}, ""},
    };
    RadiusQuery q;
    q.centre = kCentre;
    q.radiusM = 300;
    q.now = kNow;
    const RadiusResult r = findWithinRadius(q, {}, sites, GridTree());
    ASSERT_EQ(r.sites.size(), 4u);
    EXPECT_EQ(r.sites[0].site.id, 2);
    EXPECT_NEAR(r.sites[0].distanceM, 50.0, 1e-6);
    EXPECT_EQ(r.sites[0].site.streamUrl, "rtsp://10.0.0.5/live/1");
    EXPECT_FALSE(r.sites[0].risk);
    EXPECT_EQ(r.sites[1].site.id, 1);
    // 0.002° of longitude at 39.7°N: about 171 m; the same number distanceMeters() gives.
    EXPECT_EQ(r.sites[2].site.id, 5);
    EXPECT_NEAR(r.sites[2].distanceM, distanceMeters(kCentre, sites[4].point), 1e-9);
    EXPECT_NEAR(r.sites[2].distanceM, 171.1, 0.5);
    EXPECT_TRUE(r.sites[2].risk);
    EXPECT_EQ(r.sites[3].site.id, 3);
    EXPECT_TRUE(r.sites[3].risk);
    ASSERT_EQ(r.sitesOfKind("police_post").size(), 1u);
    EXPECT_EQ(r.sitesOfKind("police_post")[0].site.name, "东关警务室");
    EXPECT_TRUE(r.sitesOfKind("hazchem_firm").empty()); // 500 m away
    EXPECT_TRUE(isRiskSite("hazchem_firm"));
    EXPECT_FALSE(isRiskSite("alarm_pillar"));
}

TEST(RadiusQuery, AreasTheCircleTouches)
{
    RadiusQuery q;
    q.centre = kCentre;
    q.radiusM = 300;
    q.now = kNow;
    RadiusResult r = findWithinRadius(q, {}, {}, lattice());
    const auto communities = r.areasAt(GridLevel::Community);
    ASSERT_EQ(communities.size(), 1u);
    EXPECT_EQ(communities[0].code, "620902001001");
    EXPECT_TRUE(communities[0].containsCentre);
    EXPECT_EQ(communities[0].distanceM, 0);
    const auto grids = r.areasAt(GridLevel::Grid);
    ASSERT_EQ(grids.size(), 2u);
    EXPECT_EQ(grids[0].code, "620902001001001");
    EXPECT_EQ(grids[0].distanceM, 0);
    EXPECT_EQ(grids[1].code, "620902001001002");
    // Its west edge is 0.0025° of longitude east of the centre, the nearest point level with it.
    EXPECT_NEAR(grids[1].distanceM, distanceMeters(kCentre, {98.503, kCentre.lat}), 1e-3);
    EXPECT_NEAR(grids[1].distanceM, 213.9, 0.5);
    EXPECT_FALSE(grids[1].containsCentre);
    EXPECT_EQ(r.areas.front().level, GridLevel::Community); // upper level first

    // 500 m reaches community 002 (470 m away) and its first grid, not its second (727 m).
    q.radiusM = 500;
    r = findWithinRadius(q, {}, {}, lattice());
    ASSERT_EQ(r.areasAt(GridLevel::Community).size(), 2u);
    EXPECT_NEAR(r.areasAt(GridLevel::Community)[1].distanceM, distanceMeters(kCentre, {98.506, kCentre.lat}), 1e-3);
    const auto wider = r.areasAt(GridLevel::Grid);
    ASSERT_EQ(wider.size(), 3u);
    EXPECT_EQ(wider[2].code, "620902001002001");

    // Only the levels asked for.
    q.areaLevels = {GridLevel::Township};
    r = findWithinRadius(q, {}, {}, lattice());
    ASSERT_EQ(r.areas.size(), 1u);
    EXPECT_EQ(r.areas[0].code, "620902001");
}

TEST(RadiusQuery, AreaDistanceFromOutsideAboveAndInsideAHole)
{
    // A 0.01° square with a 0.004° hole in its middle.
    const auto ring = [](double x0, double y0, double w) {
        return Ring{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + w}, {x0, y0 + w}, {x0, y0}};
    };
    const MultiPolygon donut{Polygon{ring(98.50, 39.70, 0.01), {ring(98.503, 39.703, 0.004)}}};
    EXPECT_EQ(distanceToArea({98.501, 39.701}, donut), 0);
    // From the middle of the hole to its edge: 0.002° of longitude (east or west) is nearer than
    // 0.002° of latitude.
    const GeoPoint middle{98.505, 39.705};
    EXPECT_NEAR(distanceToArea(middle, donut), distanceMeters(middle, {98.507, 39.705}), 1e-3);
    // Straight below the square: the distance along the meridian.
    EXPECT_NEAR(distanceToArea({98.505, 39.69}, donut), 0.01 * kMetresPerDegreeLat, 1e-3);
}

TEST(RadiusQuery, BadQueriesAreRefused)
{
    RadiusQuery q;
    q.centre = kCentre;
    q.radiusM = 0;
    EXPECT_THROW(findWithinRadius(q, {}, {}, GridTree()), std::invalid_argument);
    q.radiusM = 100;
    q.centre = {200, 39};
    EXPECT_THROW(findWithinRadius(q, {}, {}, GridTree()), std::invalid_argument);
}
