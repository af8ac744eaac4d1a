#pragma once
// The store's schema on PostgreSQL 15 + PostGIS 3 (issue 16): the same tables, columns,
// indexes, triggers and view as the GeoPackage store at revision kSchemaRevision, so that the
// store's SQL runs on both unchanged. How the types map, and why, is in docs/architecture.md
// ("PostgreSQL schema").
//
// Versioning: a GeoPackage keeps its revision in PRAGMA user_version; a PostgreSQL store keeps
// it in gd_store_info ('schema_revision'). Migrations from here on are numbered as the
// GeoPackage's (revision 12 on both backends is the same change).

#include <string>

namespace gd::store::pg {

//! The GeoPackage schema revision this base DDL (schemaSql()) is equivalent to.
constexpr int kSchemaRevision = 11;
//! The newest revision with a step here (Schema::kRevision).
constexpr int kLastRevision = 17;

/**
 * The whole DDL of a new store, as one string of statements for psql or one PQexec, to be run
 * by the caller inside one transaction on an empty schema (the connection's current schema: no
 * name is qualified). Needs PostGIS: creates the extension when the database has none, which
 * only a privileged role may do. Creates QGIS's own layer_styles table unless the schema has
 * one already (saved from QGIS desktop before), which only gets QGIS 3.22's `type` column.
 * Raises no NOTICE on a fresh database.
 */
std::string schemaSql();

/**
 * The statements that take a store from revision \a revision - 1 to \a revision (above
 * kSchemaRevision, up to kLastRevision), the same change as the GeoPackage's step of that number;
 * run by Schema::migrate in the one-writer transaction. Throws std::out_of_range for another.
 */
std::string stepSql(int revision);

/**
 * Indexes the PostgreSQL store has and the GeoPackage store has not, with why: what several
 * gateways on one database need, which a single-gateway file does without.
 */
struct BackendIndex
{
  const char *name;
  const char *why;
};
extern const BackendIndex kPostgresOnlyIndexes[1];

} // namespace gd::store::pg
