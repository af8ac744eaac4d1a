#include "store/gridimport.h"

#include "gridfixtures.h"
#include "store/database.h"
#include "store/gridstore.h"
#include "store/schema.h"
#include "tempdir.h"

#include <gtest/gtest.h>

#include <ogr_spatialref.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

class GridImportTest : public ::testing::Test
{
  protected:
    //! Imports \a rects written in lon/lat (EPSG:4490) and returns the report.
    GridImportReport importRects(const std::vector<GridRect> &rects, GridImportOptions options = {})
    {
      const std::string file = dir.file("grids.geojson").string();
      writeFile(file, gridGeoJson(rects, lonLat, "urn:ogc:def:crs:EPSG::4490"));
      return GridImporter(options).import(file, *db);
    }
    std::string problems(const GridImportReport &report)
    {
      std::string all;
      for (const auto &p : report.problems)
        all += p + "\n";
      return all;
    }
    std::size_t storedGrids()
    {
      std::size_t n = 0;
      for (int level = 0; level < 5; ++level)
        n += GridStore(*db).count(static_cast<core::GridLevel>(level));
      return n;
    }
    void expectRefused(const GridImportReport &report, const std::string &needle)
    {
      EXPECT_FALSE(report.ok());
      EXPECT_FALSE(report.imported);
      EXPECT_NE(problems(report).find(needle), std::string::npos) << "looking for '" << needle << "' in:\n"
                                                                  << problems(report);
      EXPECT_EQ(storedGrids(), 0u) << "a refused import must write nothing";
    }

    TempDir dir;
    std::unique_ptr<Database> db = Schema::openOrCreate(dir.file("g.gpkg"));
};

} // namespace

TEST_F(GridImportTest, ImportsAGoodTreeInLonLat)
{
  const auto report = importRects(goodGridTree());
  ASSERT_TRUE(report.ok()) << problems(report);
  EXPECT_TRUE(report.imported);
  EXPECT_EQ(report.features, 10u);
  EXPECT_EQ(report.perLevel[0], 1u);
  EXPECT_EQ(report.perLevel[4], 3u);
  EXPECT_EQ(GridStore(*db).count(core::GridLevel::MicroGrid), 3u);
  const core::GridTree tree = GridStore(*db).load();
  EXPECT_EQ(tree.size(), 10u);
  EXPECT_EQ(tree.find("620902001")->name, "东北街街道");
}

TEST_F(GridImportTest, ImportsAGaussKruegerZoneReprojectedToCgcs2000)
{
  // CGCS2000 / 3-degree Gauss-Kruger zone 33 (EPSG:4521, easting with the zone prefix):
  // one lattice unit = 1 km from (33,500,000 m, 4,400,000 m), near 99°E 39.7°N.
  auto toGk = [](double u, double v) { return std::make_pair(33'500'000.0 + u * 1000.0, 4'400'000.0 + v * 1000.0); };
  const std::string file = dir.file("gk.geojson").string();
  writeFile(file, gridGeoJson(goodGridTree(), toGk, "urn:ogc:def:crs:EPSG::4521", "WGBM", "WGMC"));
  GridImportOptions options;
  options.codeField = "WGBM";
  options.nameField = "WGMC";
  const auto report = GridImporter(options).import(file, *db);
  ASSERT_TRUE(report.ok()) << problems(report);
  EXPECT_EQ(report.sourceCrs, "EPSG:4521");
  const core::GridTree tree = GridStore(*db).load();
  ASSERT_EQ(tree.size(), 10u);
  // Expected position of the district's first corner, computed independently with OGR.
  OGRSpatialReference gk, geo;
  gk.importFromEPSG(4521);
  geo.importFromEPSG(4490);
  gk.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  geo.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&gk, &geo));
  double x = 33'500'000.0, y = 4'400'000.0;
  ASSERT_TRUE(ct->Transform(1, &x, &y));
  const core::GeoPoint corner = tree.find("620902")->area.at(0).outer.at(0);
  EXPECT_NEAR(corner.lon, x, 1e-9);
  EXPECT_NEAR(corner.lat, y, 1e-9);
  EXPECT_NEAR(corner.lon, 99.0, 0.01);
  EXPECT_NEAR(corner.lat, 39.74, 0.05);
}

TEST_F(GridImportTest, ImportsShapefilesAndGeoPackages)
{
  if (std::system("ogr2ogr --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "ogr2ogr (gdal-bin) is not installed";
  auto toGk = [](double u, double v) { return std::make_pair(500'000.0 + u * 1000.0, 4'400'000.0 + v * 1000.0); };
  const std::string source = dir.file("gk.geojson").string();
  writeFile(source, gridGeoJson(goodGridTree(), toGk, "urn:ogc:def:crs:EPSG::4542")); // GK CM 99E, no zone prefix
  // The shapefile in GBK (CP936) as Chinese surveying offices deliver them; GDAL decodes via its .cpg.
  for (const std::string name : {"grids.shp", "grids.gpkg"})
  {
    const std::string target = dir.file(name).string();
    const std::string options = name == "grids.shp" ? " -lco ENCODING=CP936" : "";
    ASSERT_EQ(std::system(("ogr2ogr" + options + " '" + target + "' '" + source + "' > /dev/null 2>&1").c_str()), 0)
      << name;
    const auto report = GridImporter().import(target, *db);
    ASSERT_TRUE(report.ok()) << name << ":\n" << problems(report);
    EXPECT_EQ(report.sourceCrs, "EPSG:4542") << name;
    EXPECT_EQ(GridStore(*db).load().find("620902001001001002")->name, "东关一网格二组") << name;
  }
}

TEST_F(GridImportTest, OverlappingSiblingsImportNothing)
{
  auto rects = goodGridTree();
  rects[8].x0 = 0.5; // micro-grid 002 now overlaps 001
  expectRefused(importRects(rects), "overlaps its sibling");
}

TEST_F(GridImportTest, GapsBetweenSiblingsImportNothing)
{
  auto rects = goodGridTree();
  rects[8].x0 = 1.5; // leaves [1, 1.5] of the grid uncovered
  expectRefused(importRects(rects), "gap");
}

TEST_F(GridImportTest, ChildrenOutsideTheirParentImportNothing)
{
  auto rects = goodGridTree();
  rects[9].x1 = 4.5;
  expectRefused(importRects(rects), "outside its parent");
}

TEST_F(GridImportTest, BadCodesImportNothing)
{
  auto rects = goodGridTree();
  rects[9].code = "62090200100100100X";
  expectRefused(importRects(rects), "bad code");
  rects = goodGridTree();
  rects[9].code = "620902002001009001"; // its grid 620902002001009 is not in the file
  expectRefused(importRects(rects), "is not in the file");
  rects = goodGridTree();
  rects[8].code = rects[7].code;
  expectRefused(importRects(rects), "duplicate code");
}

TEST_F(GridImportTest, CodesNotMatchingTheParentFieldImportNothing)
{
  auto rects = goodGridTree();
  rects[9].parent = "620902001001001";
  GridImportOptions options;
  options.parentField = "parent";
  expectRefused(importRects(rects, options), "does not match its parent");
}

TEST_F(GridImportTest, MissingFieldsAndFilesAreNamed)
{
  GridImportOptions options;
  options.codeField = "GRIDCODE";
  expectRefused(importRects(goodGridTree(), options), "no code field 'GRIDCODE'");
  core::GridTree tree;
  const auto report = GridImporter().read(dir.file("missing.geojson"), tree);
  EXPECT_FALSE(report.ok());
  EXPECT_NE(problems(report).find("missing.geojson"), std::string::npos);
}

TEST_F(GridImportTest, AFailedImportKeepsThePreviousGrids)
{
  ASSERT_TRUE(importRects(goodGridTree()).ok());
  auto rects = goodGridTree();
  rects[8].x0 = 0.5;
  EXPECT_FALSE(importRects(rects).ok());
  EXPECT_EQ(storedGrids(), 10u);
}
