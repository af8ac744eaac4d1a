#pragma once

#include "core/geo.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace gd::store {

class Database;

/**
 * GeoPackage 1.3 building blocks: the core tables, the spatial reference systems, the
 * feature-table registration, and GeoPackageBinary geometry blobs
 * ("GP" header, version 0, flags, srs_id, envelope, then little-endian ISO WKB).
 */
namespace geopackage {

//! 'GPKG' as PRAGMA application_id.
inline constexpr std::int32_t kApplicationId = 0x47504B47;
//! GeoPackage 1.3.0 as PRAGMA user_version; the store adds its schema revision (see schema.h).
inline constexpr int kVersion = 10300;
//! CGCS2000 geographic, the store's CRS.
inline constexpr int kSrsCgcs2000 = 4490;

//! Creates gpkg_spatial_ref_sys (with 4326, -1, 0 and 4490), gpkg_contents, gpkg_geometry_columns.
void createCoreTables(Database &db);

/**
 * Registers a feature table in gpkg_contents and gpkg_geometry_columns (geometry column "geom",
 * CRS 4490, no Z/M). The table itself must already exist.
 */
void registerFeatureTable(Database &db, std::string_view table, std::string_view geometryType,
                          std::string_view identifier, std::string_view description);

//! Registers a table without geometry as GeoPackage "attributes".
void registerAttributeTable(Database &db, std::string_view table, std::string_view identifier,
                            std::string_view description);

/**
 * Adds the GeoPackage R-tree spatial index extension (gpkg_rtree_index) to the "geom" column
 * of \a table, whose integer primary key is \a idColumn: the rtree_<table>_geom virtual table,
 * the seven maintenance triggers of the specification, the gpkg_extensions row, and the index
 * filled from the rows already there. \a table and \a idColumn must be constants of the schema.
 */
void createSpatialIndex(Database &db, std::string_view table, std::string_view idColumn);

/**
 * Registers ST_MinX, ST_MaxX, ST_MinY, ST_MaxY and ST_IsEmpty on a raw connection: the
 * R-tree triggers call them, so every connection that writes features needs them (GDAL and
 * QGIS bring their own). Database does this for every connection it opens.
 */
void registerSqlFunctions(sqlite3 *db);

//! Sets the extent of a table in gpkg_contents (QGIS zooms to it).
void setExtent(Database &db, std::string_view table, double minX, double minY, double maxX, double maxY);

//! Encodes a point as GeoPackageBinary (no envelope: a point is its own envelope).
std::vector<std::uint8_t> encodePoint(core::GeoPoint point, int srsId = kSrsCgcs2000);
//! Encodes a multipolygon as GeoPackageBinary with an XY envelope.
std::vector<std::uint8_t> encodeMultiPolygon(const core::MultiPolygon &geometry, int srsId = kSrsCgcs2000);

//! Decodes a GeoPackageBinary point; nullopt when the blob is not a valid GP point.
std::optional<core::GeoPoint> decodePoint(const std::vector<std::uint8_t> &blob);
/**
 * The geometry of a GeoPackage blob as PostGIS EWKB (the SRID written into it): what the
 * PostgreSQL backend sends for a blob bound to a geometry column. Empty when \a blob is not a
 * GeoPackage geometry (PostGIS then refuses the value, naming the column).
 */
std::vector<std::uint8_t> toEwkb(const std::vector<std::uint8_t> &blob);
/**
 * A PostGIS EWKB value (as its hex text output gives it) as a GeoPackage blob without an
 * envelope: what the PostgreSQL backend returns for a geometry column. Empty when not EWKB.
 */
std::vector<std::uint8_t> fromEwkb(const std::vector<std::uint8_t> &ewkb);
//! Decodes a GeoPackageBinary polygon or multipolygon; nullopt when invalid.
std::optional<core::MultiPolygon> decodeMultiPolygon(const std::vector<std::uint8_t> &blob);

} // namespace geopackage
} // namespace gd::store
