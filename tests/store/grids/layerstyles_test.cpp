// The product's map styles inside the store, where QGIS desktop looks a layer's default style up:
// layer_styles of the GeoPackage (QGIS's OGR provider) or of the database (its postgres provider).

#include "store/grids/layerstyles.h"

#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

std::string fileText(const std::filesystem::path &file)
{
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/**
 * The style QGIS loads by default for \a table: on PostgreSQL the query of QGIS 3.22's postgres
 * provider (QgsPostgresProviderMetadata::loadStyle) for a layer of the connection's database and
 * schema with geometry column geom; in a GeoPackage the same lookup by table and column.
 */
std::optional<std::string> defaultStyle(Database &db, const std::string &table, const std::string &geometryType)
{
  auto q = db.query(db.dialect(
    "SELECT styleQML FROM layer_styles WHERE f_table_name = ? AND f_geometry_column = 'geom' "
    "ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END, update_time DESC LIMIT 1",
    "SELECT styleQML FROM layer_styles WHERE f_table_catalog = current_database() AND f_table_schema = "
    "current_schema() AND f_table_name = ? AND f_geometry_column = 'geom' AND (type = ? OR type IS NULL) "
    "ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END, update_time DESC LIMIT 1"));
  q->bind(1, table);
  if (db.isPostgres())
    q->bind(2, geometryType);
  if (!q.step())
    return std::nullopt;
  return q->columnText(0);
}

} // namespace

TEST(LayerStylesTest, EveryStoreLayerGetsTheProductsStyleAsItsDefault)
{
  TempDir dir;
  TestStore store(dir.file("s.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  const std::filesystem::path maps = std::filesystem::path(GD_SOURCE_DIR) / "maps";

  EXPECT_EQ(installMapStyles(*db, maps), 6);
  // A style someone saved from QGIS desktop as the default since.
  db->query(db->dialect("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                        "styleName, styleQML, useAsDefault) VALUES ('', '', 'grid_grid', 'geom', 'mine', "
                        "'<qgis version=\"3.22\"/>', true)",
                        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                        "styleName, styleQML, useAsDefault) VALUES (current_database(), current_schema(), 'grid_grid', "
                        "'geom', 'mine', '<qgis version=\"3.22\"/>', true)"))
    .run();
  EXPECT_EQ(installMapStyles(*db, maps), 6); // again: replaced, not added, and the default again
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM layer_styles WHERE styleName = 'GridDispatch'"), 6);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM layer_styles WHERE useAsDefault = true"), 6);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM layer_styles WHERE styleName = 'mine' AND useAsDefault = false"), 1);
  for (const char *table : {"grid_district", "grid_township", "grid_community", "grid_grid", "grid_microgrid"})
  {
    const auto qml = defaultStyle(*db, table, "Polygon");
    ASSERT_TRUE(qml) << table;
    EXPECT_EQ(*qml, fileText(maps / (std::string(table) + ".qml"))) << table;
  }
  const auto pois = defaultStyle(*db, "pois", "Point");
  ASSERT_TRUE(pois);
  EXPECT_EQ(*pois, fileText(maps / "pois.qml"));
}

TEST(LayerStylesTest, OnPostgresqlTheRowsNameTheDatabaseAndSchemaAndHoldXml)
{
  if (!storesOnPostgres())
    GTEST_SKIP() << "a GeoPackage's layer_styles has no catalog, schema or xml type (the other test covers it)";
  TempDir dir;
  TestStore store(dir.file("s.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  ASSERT_EQ(installMapStyles(*db, std::filesystem::path(GD_SOURCE_DIR) / "maps"), 6);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM layer_styles WHERE f_table_catalog = current_database() AND "
                          "f_table_schema = current_schema() AND f_geometry_column = 'geom' AND useAsDefault AND "
                          "owner = current_user AND xml_is_well_formed_document(CAST(styleQML AS text))"),
            6);
}

TEST(LayerStylesTest, AFailureHalfWayLeavesEveryLayersStyleAsItWas)
{
  // init and copy install the styles outside any transaction: a table whose style cannot be
  // written (here refused by a trigger) must not leave the tables before it restyled and the
  // ones after it as they were.
  TempDir dir;
  TestStore store(dir.file("s.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  const std::filesystem::path maps = std::filesystem::path(GD_SOURCE_DIR) / "maps";
  ASSERT_EQ(installMapStyles(*db, maps), 6);

  const std::filesystem::path changed = dir.file("changed");
  std::filesystem::create_directories(changed);
  for (const char *table : {"grid_district", "grid_township", "grid_community", "grid_grid", "grid_microgrid", "pois"})
    std::ofstream(changed / (std::string(table) + ".qml")) << "<qgis version=\"3.22\"><!-- " << table << " --></qgis>";
  db->exec(db->dialect("CREATE TRIGGER refuse_township BEFORE INSERT ON layer_styles "
                       "WHEN NEW.f_table_name = 'grid_township' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                       "CREATE FUNCTION refuse_township() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                       "IF NEW.f_table_name = 'grid_township' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; "
                       "END $$; CREATE TRIGGER refuse_township BEFORE INSERT ON layer_styles FOR EACH ROW "
                       "EXECUTE FUNCTION refuse_township()"));
  EXPECT_THROW(installMapStyles(*db, changed), StoreError);
  EXPECT_FALSE(db->inTransaction());
  for (const char *table : {"grid_district", "grid_township", "grid_community", "grid_grid", "grid_microgrid"})
  {
    const auto qml = defaultStyle(*db, table, "Polygon");
    ASSERT_TRUE(qml) << table;
    EXPECT_EQ(*qml, fileText(maps / (std::string(table) + ".qml"))) << table;
  }
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM layer_styles WHERE styleName = 'GridDispatch'"), 6);
}
