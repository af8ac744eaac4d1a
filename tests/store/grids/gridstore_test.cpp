#include "store/grids/gridstore.h"

#include "../gridfixtures.h"
#include "store/database.h"
#include "store/schema.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

TEST(GridStoreTest, TheTreeRoundTripsWithPeopleAndExtents)
{
  TempDir dir;
  TestStore store(dir.file("g.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  core::GridTree tree;
  for (const GridRect &r : goodGridTree())
  {
    core::GridNode node{*core::GridCode::parse(r.code), r.name, latticePolygon(r), std::nullopt, {}, 0};
    if (node.level() == core::GridLevel::Grid)
    {
      node.leader = core::GridPerson{"L-" + r.code, "王网格长", "13900000000"};
      node.workers = {{"W1-" + r.code, "李网格员", "13700000001"}, {"W2-" + r.code, "赵网格员", "13700000002"}};
      node.households = 312;
    }
    ASSERT_EQ(tree.add(std::move(node)), "");
  }
  GridStore(*db).replaceAll(tree);
  EXPECT_EQ(GridStore(*db).count(core::GridLevel::Township), 2u);
  const core::GridTree loaded = GridStore(*db).load();
  ASSERT_EQ(loaded.size(), tree.size());
  const core::GridNode *grid = loaded.find("620902001001001");
  ASSERT_TRUE(grid);
  ASSERT_TRUE(grid->leader);
  EXPECT_EQ(grid->leader->name, "王网格长");
  ASSERT_EQ(grid->workers.size(), 2u);
  EXPECT_EQ(grid->workers[1].phone, "13700000002");
  EXPECT_EQ(grid->households, 312);
  EXPECT_EQ(grid->area.at(0).outer, tree.find("620902001001001")->area.at(0).outer);
  // The layer's extent where QGIS reads it: gpkg_contents in a GeoPackage; PostGIS has no such
  // table, QGIS's postgres provider takes it from the geometries.
  auto extent = db->query(db->dialect("SELECT min_x, max_y FROM gpkg_contents WHERE table_name = 'grid_district'",
                                      "SELECT ST_XMin(ST_Extent(geom)), ST_YMax(ST_Extent(geom)) FROM grid_district"));
  ASSERT_TRUE(extent.step());
  EXPECT_DOUBLE_EQ(extent->columnDouble(0), 98.50);
  EXPECT_DOUBLE_EQ(extent->columnDouble(1), 39.72);
  // Replacing is whole: a smaller tree leaves nothing of the bigger one.
  core::GridTree small;
  small.add(core::GridNode{*core::GridCode::parse("620903"), "其他区", latticePolygon({"620903", "", 0, 0, 1, 1, ""}),
                           std::nullopt, {}, 0});
  GridStore(*db).replaceAll(small);
  EXPECT_EQ(GridStore(*db).load().size(), 1u);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_workers"), 0);
  // The spatial index holds nothing of the bigger tree either (a GiST index on PostgreSQL, the
  // database's own; the R-tree's rows in a GeoPackage, kept by its triggers).
  if (!storesOnPostgres())
  {
    EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_grid_microgrid_geom"), 0);
  }
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_microgrid"), 0);
}

// A worker listed twice under one grid is stored once, the later name and phone kept (the
// INSERT OR REPLACE of before; ON CONFLICT on both backends).
TEST(GridStoreTest, AWorkerListedTwiceInAGridIsStoredOnceWithTheLaterDetails)
{
  TempDir dir;
  TestStore store(dir.file("g.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  core::GridTree tree;
  core::GridNode district{*core::GridCode::parse("620902"), "肃州区", latticePolygon({"620902", "", 0, 0, 1, 1, ""}),
                          std::nullopt, {}, 0};
  district.workers = {{"W1", "李网格员", "13700000001"}, {"W1", "李网格员", "13700000009"}};
  ASSERT_EQ(tree.add(std::move(district)), "");
  GridStore(*db).replaceAll(tree);
  const core::GridTree loaded = GridStore(*db).load();
  ASSERT_EQ(loaded.find("620902")->workers.size(), 1u);
  EXPECT_EQ(loaded.find("620902")->workers[0].phone, "13700000009");
}
