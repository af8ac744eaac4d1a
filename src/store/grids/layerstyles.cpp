#include "store/grids/layerstyles.h"

#include "core/buildinfo.h"
#include "store/database.h"
#include "store/geopackage.h"
#include "store/writescope.h"

#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gd::store {

namespace {

// The store layers that have a style of their own in maps/ (the file is <table>.qml).
constexpr std::array<const char *, 6> kStyledTables{"grid_district", "grid_township", "grid_community",
                                                    "grid_grid",     "grid_microgrid", "pois"};

} // namespace

std::filesystem::path defaultMapsDir()
{
  const std::filesystem::path source = std::filesystem::path(core::kSourceDir) / "maps";
  if (std::filesystem::is_directory(source))
    return source;
  return std::filesystem::path(core::kInstallDataDir) / "maps";
}

int installMapStyles(Database &db, const std::filesystem::path &mapsDir)
{
  // All the styles or none: each table's old style is deleted before its new one is written,
  // and `init` and `copy` call this outside any transaction (a failure half-way would leave
  // layers without a default style, and on PostgreSQL each statement would take the store's
  // write lock on its own).
  WriteScope scope(db);
  // PostgreSQL: the schema has QGIS's own table already (postgres/pgschema.cpp, as QGIS's
  // postgres provider creates it: styleQML is xml, useAsDefault boolean), and there is no
  // gpkg_contents to register it in.
  if (!db.isPostgres())
  {
    // The table as QGIS creates it, so QGIS reads it back as its own.
    db.exec(R"sql(CREATE TABLE IF NOT EXISTS layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
  styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT,
  owner TEXT(30), ui TEXT(30),
  update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))))sql");
    if (db.scalarInt("SELECT COUNT(*) FROM gpkg_contents WHERE table_name = 'layer_styles'") == 0)
      geopackage::registerAttributeTable(db, "layer_styles", "layer_styles", "map styles (QGIS)");
  }

  // Which rows are this store's. QGIS's postgres provider looks a layer's default style up by
  // f_table_catalog = the database, f_table_schema = the layer's schema, f_table_name,
  // f_geometry_column and (type = the geometry type or type IS NULL), the default first: the
  // rows are written so (the store's tables live in the connection's current schema). A
  // GeoPackage has neither catalog nor schema (both written empty): the table name says it.
  const std::string_view layer = db.dialect("f_table_name = ?",
                                            "f_table_catalog = current_database() AND f_table_schema = current_schema() "
                                            "AND f_table_name = ?");
  const std::string deleteOurs =
    "DELETE FROM layer_styles WHERE " + std::string(layer) + " AND styleName = 'GridDispatch'";
  const std::string noDefault = "UPDATE layer_styles SET useAsDefault = false WHERE " + std::string(layer);
  // TRUE and FALSE are 1 and 0 in SQLite (the GeoPackage's BOOLEAN column keeps integers), the
  // boolean PostgreSQL's column is; the QML text goes into PostgreSQL's xml column as it is.
  const std::string_view insert = db.dialect(
    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
    "styleQML, styleSLD, useAsDefault, description, owner, ui) "
    "VALUES ('', '', ?, 'geom', 'GridDispatch', ?, '', true, ?, '', '')",
    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
    "styleQML, styleSLD, useAsDefault, description, owner, ui) "
    "VALUES (current_database(), current_schema(), ?, 'geom', 'GridDispatch', ?, NULL, true, ?, current_user, NULL)");

  int written = 0;
  for (const char *table : kStyledTables)
  {
    const std::filesystem::path file = mapsDir / (std::string(table) + ".qml");
    if (!std::filesystem::exists(file))
      continue;
    std::ifstream in(file);
    std::ostringstream qml;
    qml << in.rdbuf();
    if (!in && !in.eof())
      throw std::runtime_error(file.string() + ": cannot read the style");
    db.query(deleteOurs).bindAll(std::string(table)).run();
    db.query(noDefault).bindAll(std::string(table)).run();
    db.query(insert)
      .bindAll(std::string(table), qml.str(), "GridDispatch console style, from " + file.filename().string())
      .run();
    ++written;
  }
  scope.commit();
  return written;
}

} // namespace gd::store
