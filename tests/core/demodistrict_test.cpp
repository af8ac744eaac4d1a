#include "core/demodistrict.h"

// GCC 12 at -O2 reports false "maybe-uninitialized" positives inside Boost.Geometry 1.74's
// envelope and rescale policies once they are inlined here; they are not in our code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace bg = boost::geometry;
using namespace gd::core;

namespace {

using XY = bg::model::d2::point_xy<double>;
using Poly = bg::model::polygon<XY, false>; // counter-clockwise, like the generator's output
using MultiPoly = bg::model::multi_polygon<Poly>;

MultiPoly toBoost(const MultiPolygon &area)
{
  MultiPoly out;
  for (const Polygon &polygon : area)
  {
    Poly poly;
    for (const GeoPoint &p : polygon.outer)
      poly.outer().emplace_back(p.lon, p.lat);
    for (const Ring &hole : polygon.holes)
    {
      poly.inners().emplace_back();
      for (const GeoPoint &p : hole)
        poly.inners().back().emplace_back(p.lon, p.lat);
    }
    out.push_back(std::move(poly));
  }
  return out;
}

DemoDistrictOptions smallDistrict()
{
  DemoDistrictOptions options;
  options.seed = 7;
  options.townships = 3;
  options.communities = 8;
  options.grids = 40;
  options.microGrids = 130;
  options.radiusMeters = 6000;
  return options;
}

} // namespace

TEST(DemoDistrict, HasTheRequestedNumberOfNodesAtEveryLevel)
{
  const DemoDistrict district = generateDemoDistrict();
  EXPECT_EQ(district.tree.nodesAt(GridLevel::District).size(), 1u);
  EXPECT_EQ(district.tree.nodesAt(GridLevel::Township).size(), 10u);
  EXPECT_EQ(district.tree.nodesAt(GridLevel::Community).size(), 60u);
  EXPECT_EQ(district.tree.nodesAt(GridLevel::Grid).size(), 1400u);
  EXPECT_EQ(district.tree.nodesAt(GridLevel::MicroGrid).size(), 5000u);
  EXPECT_TRUE(district.tree.validate().empty());
}

TEST(DemoDistrict, LiesAroundSuzhouDistrictJiuquan)
{
  const DemoDistrict district = generateDemoDistrict();
  const GridNode *root = district.tree.find("620902");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->name, "肃州区");
  for (const Polygon &polygon : root->area)
    for (const GeoPoint &p : polygon.outer)
    {
      EXPECT_NEAR(p.lon, 98.51, 0.35);
      EXPECT_NEAR(p.lat, 39.74, 0.25);
    }
}

TEST(DemoDistrict, IsTheSameForTheSameSeedAndDiffersForAnother)
{
  const DemoDistrict a = generateDemoDistrict(smallDistrict());
  const DemoDistrict b = generateDemoDistrict(smallDistrict());
  DemoDistrictOptions other = smallDistrict();
  other.seed = 8;
  const DemoDistrict c = generateDemoDistrict(other);
  const auto microA = a.tree.nodesAt(GridLevel::MicroGrid);
  const auto microB = b.tree.nodesAt(GridLevel::MicroGrid);
  ASSERT_EQ(microA.size(), microB.size());
  for (std::size_t i = 0; i < microA.size(); ++i)
  {
    EXPECT_EQ(microA[i]->name, microB[i]->name);
    EXPECT_EQ(microA[i]->area.front().outer, microB[i]->area.front().outer);
  }
  EXPECT_NE(c.tree.nodesAt(GridLevel::MicroGrid).front()->area.front().outer, microA.front()->area.front().outer);
}

TEST(DemoDistrict, ChildrenTileTheirParentWithoutGapsOrOverlaps)
{
  const DemoDistrict district = generateDemoDistrict(smallDistrict());
  int parentsChecked = 0;
  for (const GridNode *parent : district.tree.nodes())
  {
    const auto children = district.tree.children(parent->code);
    if (children.empty())
      continue;
    ++parentsChecked;
    const MultiPoly parentArea = toBoost(parent->area);
    const double parentSize = bg::area(parentArea);
    double childrenSize = 0;
    for (std::size_t i = 0; i < children.size(); ++i)
    {
      const MultiPoly child = toBoost(children[i]->area);
      ASSERT_TRUE(bg::is_valid(child)) << children[i]->code.str();
      childrenSize += bg::area(child);
      // Inside the parent: vertices are rounded to 1e-7 degree (about 1 cm), so what lies
      // outside is at most a strip that wide along the child's boundary.
      MultiPoly outside;
      bg::difference(child, parentArea, outside);
      const double roundingStrip = bg::perimeter(child) * 1e-7;
      EXPECT_LT(bg::area(outside), roundingStrip) << children[i]->code.str() << " sticks out of its parent";
      for (std::size_t j = i + 1; j < children.size(); ++j)
      {
        MultiPoly overlap;
        bg::intersection(child, toBoost(children[j]->area), overlap);
        EXPECT_LT(bg::area(overlap), roundingStrip) << children[i]->code.str() << " overlaps " << children[j]->code.str();
      }
    }
    // No gaps: the children cover the parent.
    EXPECT_NEAR(childrenSize, parentSize, parentSize * 1e-5) << parent->code.str();
  }
  EXPECT_EQ(parentsChecked, 1 + 3 + 8 + 40);
}

TEST(DemoDistrict, ShapesAreIrregular)
{
  const DemoDistrict district = generateDemoDistrict(smallDistrict());
  std::set<std::size_t> vertexCounts;
  for (const GridNode *grid : district.tree.nodesAt(GridLevel::Grid))
    vertexCounts.insert(grid->area.front().outer.size());
  // Voronoi cells clipped to their parents: many different vertex counts, not a lattice.
  EXPECT_GE(vertexCounts.size(), 3u);
}

TEST(DemoDistrict, GridsHavePeopleAndHouseholds)
{
  const DemoDistrict district = generateDemoDistrict(smallDistrict());
  for (const GridNode *grid : district.tree.nodesAt(GridLevel::Grid))
  {
    ASSERT_TRUE(grid->leader.has_value()) << grid->code.str();
    EXPECT_FALSE(grid->leader->name.empty());
    ASSERT_FALSE(grid->workers.empty()) << grid->code.str();
    for (const GridPerson &worker : grid->workers)
    {
      EXPECT_EQ(worker.phone.size(), 11u);
      EXPECT_EQ(worker.phone.front(), '1');
    }
    EXPECT_GT(grid->households, 0);
    EXPECT_NE(grid->name.find("网格"), std::string::npos);
  }
}

TEST(DemoDistrict, PointsOfInterestOfEveryKindLieInTheirGrid)
{
  const DemoDistrict district = generateDemoDistrict();
  std::map<std::string, int> kinds;
  for (const DemoPoi &poi : district.pois)
  {
    ++kinds[poi.kind];
    const GridNode *node = district.tree.find(poi.gridCode);
    ASSERT_NE(node, nullptr) << poi.name;
    EXPECT_TRUE(bg::covered_by(XY(poi.point.lon, poi.point.lat), toBoost(node->area))) << poi.name;
    if (poi.kind == "camera")
    {
      EXPECT_EQ(poi.streamUrl.rfind("rtsp://", 0), 0u) << poi.name;
    }
  }
  for (const char *kind : {"camera", "alarm_pillar", "hazchem_firm", "gas_company", "petrol_station", "police_post"})
    EXPECT_GT(kinds[kind], 0) << kind;
  // One governance center per district, township and community.
  EXPECT_EQ(kinds["governance_center"], 1 + 10 + 60);
}
