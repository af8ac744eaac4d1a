#include "store/geopackage.h"

#include "gridfixtures.h"
#include "store/grids/gridstore.h"
#include "store/grids/poistore.h"
#include "store/feed/positionstore.h"
#include "storefixture.h"

#include <cstdio>
#include <memory>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

std::string run(const std::string &command)
{
  std::string output;
  std::unique_ptr<FILE, int (*)(FILE *)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe)
    return output;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe.get()))
    output.append(buffer, n);
  return output;
}

bool haveOgrinfo()
{
  return std::system("ogrinfo --version > /dev/null 2>&1") == 0;
}

// The block of ogrinfo -so output describing one layer.
std::string layerBlock(const std::string &all, const std::string &layer)
{
  const auto start = all.find("Layer name: " + layer + "\n");
  if (start == std::string::npos)
    return std::string();
  const auto end = all.find("Layer name: ", start + 1);
  return all.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace

TEST(GeoPackageBinaryTest, PointsAndMultiPolygonsRoundTrip)
{
  const auto blob = geopackage::encodePoint({98.51, 39.74});
  ASSERT_EQ(blob.size(), 29u);
  EXPECT_EQ(blob[0], 'G');
  EXPECT_EQ(blob[1], 'P');
  EXPECT_EQ(blob[3] & 0x01, 1); // little endian
  const auto p = geopackage::decodePoint(blob);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, (core::GeoPoint{98.51, 39.74}));

  core::MultiPolygon mp = latticePolygon({"x", "x", 0, 0, 1, 1, ""});
  mp[0].holes.push_back({{98.502, 39.702}, {98.503, 39.702}, {98.503, 39.703}, {98.502, 39.702}});
  const auto decoded = geopackage::decodeMultiPolygon(geopackage::encodeMultiPolygon(mp));
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].outer, mp[0].outer);
  ASSERT_EQ((*decoded)[0].holes.size(), 1u);
  EXPECT_FALSE(geopackage::decodePoint({'G', 'P', 0}));
  EXPECT_FALSE(geopackage::decodeMultiPolygon(geopackage::encodePoint({1, 2})));
}

class GeoPackageFileTest : public StoreFixture
{
};

TEST_F(GeoPackageFileTest, OgrinfoListsEveryLayerWithItsTypeAndCount)
{
  if (!haveOgrinfo())
    GTEST_SKIP() << "ogrinfo (gdal-bin) is not installed";
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  GridStore(*db).replaceAll(goodTree());
  caseIn(core::CaseState::Archived, t0);
  caseIn(core::CaseState::Assigned, t0, "fire", kMicroB);
  caseIn(core::CaseState::Reported, t0, "fire", "");
  PoiStore(*db).add(Poi{0, "camera", "东关街口", {98.52, 39.71}, "rtsp://10.0.0.5/1", {}});
  PositionStore(*db).record({"pad-1", "w1", t0, {98.51, 39.71}, 8.0});
  PositionStore(*db).record({"pad-1", "w1", t0 + std::chrono::minutes(1), {98.512, 39.711}, 8.0});
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_cases_geom"), 3);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_grid_microgrid_geom"), 3);
  const std::string path = db->path().string();
  cases.reset();
  db.reset(); // checkpoint and close: GDAL reads the file as any GIS would

  const std::string output = run("ogrinfo -ro -so -al '" + path + "' 2>&1");
  EXPECT_EQ(output.find("Warning"), std::string::npos) << output;
  EXPECT_EQ(output.find("ERROR"), std::string::npos) << output;
  EXPECT_NE(output.find("using driver `GPKG' successful"), std::string::npos) << output;
  const std::vector<std::tuple<std::string, std::string, int>> expected = {
    {"grid_district", "Multi Polygon", 1}, {"grid_township", "Multi Polygon", 2},
    {"grid_community", "Multi Polygon", 2}, {"grid_grid", "Multi Polygon", 2},
    {"grid_microgrid", "Multi Polygon", 3}, {"cases", "Point", 3},
    {"pois", "Point", 1},                  {"positions", "Point", 2},
    {"worker_positions", "Point", 1},      {"case_events", "None", 9 + 4 + 1},
  };
  for (const auto &[layer, geometry, count] : expected)
  {
    const std::string block = layerBlock(output, layer);
    ASSERT_FALSE(block.empty()) << layer << " missing in:\n" << output;
    EXPECT_NE(block.find("Geometry: " + geometry + "\n"), std::string::npos) << block;
    EXPECT_NE(block.find("Feature Count: " + std::to_string(count) + "\n"), std::string::npos) << block;
  }
  EXPECT_NE(layerBlock(output, "cases").find("China Geodetic Coordinate System 2000"), std::string::npos);
  EXPECT_NE(layerBlock(output, "cases").find("deadline: DateTime"), std::string::npos);
  // GDAL's GeoPackage validator (python3-gdal's validate_gpkg.py), when installed, finds nothing.
  const char *validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
  if (std::filesystem::exists(validator) && std::system("/usr/bin/python3 -c 'import osgeo' > /dev/null 2>&1") == 0)
  {
    const std::string report = run(std::string("/usr/bin/python3 ") + validator + " '" + path + "' 2>&1; echo rc=$?");
    EXPECT_EQ(report, "rc=0\n") << report;
  }
  // GDAL's own validity view: the spatial extent of the grids is where we put them.
  EXPECT_NE(layerBlock(output, "grid_district").find("Extent: (98.500000, 39.700000) - (98.540000, 39.720000)"),
            std::string::npos)
    << layerBlock(output, "grid_district");
}
