#include "store/grids/gridimport.h"

#include "../gridfixtures.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/grids/gridstore.h"
#include "store/schema.h"
#include "../tempdir.h"
#include "storebackend.h"

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
    TestStore store{dir.file("g.gpkg")}; // a GeoPackage file, or a database on the test cluster
    std::unique_ptr<Database> db = Schema::openOrCreate(store.location());
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

// ---- issue 14, defect 3: an import never orphans, never trusts a wrong CRS ---------------

namespace {

//! The good tree as stored by the console: a leader, households and two workers per grid.
core::GridTree goodTreeWithPeople()
{
  core::GridTree tree;
  for (const GridRect &r : goodGridTree())
  {
    core::GridNode node{*core::GridCode::parse(r.code), r.name, latticePolygon(r), std::nullopt, {}, 0};
    if (node.level() == core::GridLevel::Grid)
    {
      node.leader = core::GridPerson{"L" + r.code, "王伟", "13900000001"};
      node.workers = {{"W" + r.code + "1", "李娜", "13900000002"}, {"W" + r.code + "2", "张敏", "13900000003"}};
      node.households = 420;
    }
    tree.add(std::move(node));
  }
  return tree;
}

} // namespace

TEST_F(GridImportTest, ReimportingTheSameCodesKeepsWorkersLeadersAndHouseholds)
{
  // One import deleted all 2,109 grid workers: a boundary file carries no people.
  GridStore(*db).replaceAll(goodTreeWithPeople());
  ASSERT_EQ(db->scalarInt("SELECT count(*) FROM grid_workers"), 4);
  const auto report = importRects(goodGridTree());
  ASSERT_TRUE(report.ok()) << problems(report);
  EXPECT_EQ(report.workersCarried, 4u);
  EXPECT_EQ(report.leadersCarried, 2u);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_workers"), 4);
  const core::GridTree tree = GridStore(*db).load();
  const core::GridNode *grid = tree.find("620902001001001");
  ASSERT_NE(grid, nullptr);
  ASSERT_TRUE(grid->leader);
  EXPECT_EQ(grid->leader->id, "L620902001001001");
  EXPECT_EQ(grid->households, 420);
  ASSERT_EQ(grid->workers.size(), 2u);
  EXPECT_EQ(grid->workers[0].phone, "13900000002");
}

TEST_F(GridImportTest, AnImportThatWouldOrphanGridWorkersIsRefusedNamingThem)
{
  GridStore(*db).replaceAll(goodTreeWithPeople());
  // The same geometry, but township 002's subtree renumbered to 003: its workers would point nowhere.
  auto rects = goodGridTree();
  for (GridRect &r : rects)
    for (std::string *code : {&r.code, &r.parent})
      if (code->rfind("620902002", 0) == 0)
        code->replace(0, 9, "620902003");
  const std::string file = dir.file("renumbered.geojson").string();
  writeFile(file, gridGeoJson(rects, lonLat, "urn:ogc:def:crs:EPSG::4490"));
  const auto report = GridImporter().import(file, *db);
  EXPECT_FALSE(report.ok());
  EXPECT_FALSE(report.imported);
  const std::string text = problems(report);
  EXPECT_NE(text.find("0 case(s) and 2 grid worker(s)"), std::string::npos) << text;
  EXPECT_NE(text.find("grid_workers.grid_code 620902002001001: no such grid; 2 row(s), the first worker "
                      "W6209020020010011"),
            std::string::npos)
    << text;
  // Nothing changed: the old codes and all four workers are still there.
  EXPECT_NE(GridStore(*db).load().find("620902002001001"), nullptr);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_workers"), 4);
}

TEST_F(GridImportTest, DegreesLabelledAsGaussKruegerAreRefused)
{
  // Lon/lat degrees in a file that says CGCS2000 / 3-degree GK CM 114E (EPSG:4547): read as
  // metres, the district became a 1 m square at 0.0003°N.
  const std::string file = dir.file("mislabelled.geojson").string();
  writeFile(file, gridGeoJson(goodGridTree(), lonLat, "urn:ogc:def:crs:EPSG::4547"));
  const auto report = GridImporter().import(file, *db);
  expectRefused(report, "lies outside China");
  expectRefused(report, "look like degrees but the file says EPSG:4547");
}

TEST_F(GridImportTest, SwappedLatitudeAndLongitudeAreRefused)
{
  const std::string file = dir.file("swapped.geojson").string();
  auto latLon = [](double u, double v) {
    const auto [lon, lat] = lonLat(u, v);
    return std::make_pair(lat, lon);
  };
  writeFile(file, gridGeoJson(goodGridTree(), latLon, "urn:ogc:def:crs:EPSG::4490"));
  expectRefused(GridImporter().import(file, *db), "latitude and longitude look swapped");
}

TEST_F(GridImportTest, AnImplausiblySmallDistrictIsRefused)
{
  // The good tree a hundred times smaller: a 340 m x 220 m "district" in Jiuquan.
  auto tiny = [](double u, double v) { return std::make_pair(98.50 + u * 0.0001, 39.70 + v * 0.0001); };
  const std::string file = dir.file("tiny.geojson").string();
  writeFile(file, gridGeoJson(goodGridTree(), tiny, "urn:ogc:def:crs:EPSG::4490"));
  expectRefused(GridImporter().import(file, *db), "implausibly small for a district");
}

TEST_F(GridImportTest, AnAbsurdCoordinateIsNamedNotReportedAsAGap)
{
  // x = 1e300 was reported as "a gap of 100 %".
  auto absurd = [](double u, double v) {
    const auto [lon, lat] = lonLat(u, v);
    return std::make_pair(u == 1 && v == 1 ? 1e300 : lon, lat);
  };
  const std::string file = dir.file("absurd.geojson").string();
  writeFile(file, gridGeoJson(goodGridTree(), absurd, "urn:ogc:def:crs:EPSG::4490"));
  const auto report = GridImporter().import(file, *db);
  expectRefused(report, "1e+300");
  EXPECT_EQ(problems(report).find("gap"), std::string::npos) << problems(report);
}

TEST_F(GridImportTest, MissingAndEmptyFilesSayWhy)
{
  core::GridTree tree;
  auto report = GridImporter().read(dir.file("missing.geojson"), tree);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0], dir.file("missing.geojson").string() + ": no such file");
  writeFile(dir.file("empty.gpkg").string(), "");
  report = GridImporter().read(dir.file("empty.gpkg"), tree);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0], dir.file("empty.gpkg").string() + ": the file is empty (0 bytes)");
  writeFile(dir.file("junk.geojson").string(), "not a vector file\n");
  report = GridImporter().read(dir.file("junk.geojson"), tree);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_GT(report.problems[0].size(), (dir.file("junk.geojson").string() + ": cannot open as a vector file "
                                        "(GeoPackage, GeoJSON, Shapefile, ...): ").size())
    << "the reason must not be empty: " << report.problems[0];
}

TEST_F(GridImportTest, TheDemoDistrictExportedWithOgr2ogrRoundTrips)
{
  if (std::system("ogr2ogr --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "ogr2ogr (gdal-bin) is not installed";
  // The product's own demo grids (smaller than the default, same generator), exported with
  // ogr2ogr as an administrator would, were refused with thousands of "gap" problems.
  core::DemoDistrictOptions options;
  options.radiusMeters = 6000;
  options.townships = 3;
  options.communities = 9;
  options.grids = 60;
  options.microGrids = 200;
  const core::DemoDistrict district = core::generateDemoDistrict(options);
  writeDemoDistrict(*db, district);
  const auto workers = db->scalarInt("SELECT count(*) FROM grid_workers");
  ASSERT_GT(workers, 0);
  const std::string exported = dir.file("exported.gpkg").string();
  // OGR reads the store as QGIS does: the GeoPackage file, or the database through its PostgreSQL driver.
  const std::string source = storesOnPostgres() ? "PG:" + store.dbArgument() : store.dbArgument();
  ASSERT_EQ(std::system(("ogr2ogr -f GPKG '" + exported + "' '" + source +
                         "' grid_district grid_township grid_community grid_grid grid_microgrid > /dev/null 2>&1")
                          .c_str()),
            0);
  const auto report = GridImporter().import(exported, *db);
  ASSERT_TRUE(report.ok()) << problems(report);
  EXPECT_EQ(report.features, district.tree.size());
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_workers"), workers);
  EXPECT_EQ(GridStore(*db).load().size(), district.tree.size());
}
