#pragma once
// Copying a whole store from one backend to the other (`griddispatch-ctl copy --from center.gpkg
// --to postgresql://…` and back), and the digest that proves two stores hold the same data
// (`griddispatch-ctl verify` prints it on each end).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gd::store {

class Database;

//! One table's rows and a SHA-256 over them, in key order, as both backends give them.
struct TableDigest
{
  std::string table;
  std::int64_t rows = 0;
  std::string sha256; //!< hex
};

//! SHA-256 of \a text as lowercase hex.
std::string sha256Hex(const std::string &text);

/**
 * The store's data tables, in an order where every table comes after those it refers to
 * (what copyStore() writes, and what storeDigest() covers). Not the metadata of either backend
 * (gpkg_*, R-trees, spatial_ref_sys), nor gd_store_info (each store's own), nor layer_styles
 * (written for each backend by `init`: the same product styles, addressed differently).
 */
const std::vector<std::string> &dataTables();

/**
 * The digest of every data table: each value written canonically (integers and reals as their
 * shortest decimal text, text as is, geometries as their WKB without the GeoPackage header or
 * the SRID PostGIS adds, NULL distinct from ''), rows in primary key order. Equal digests on two
 * stores mean equal data whatever their backends. The audit trail (audit_log, audit_seals) is
 * copied but not digested: every ctl command, the copy too, appends to it; its own check is its
 * hash chain (`griddispatch-ctl audit verify`).
 */
std::vector<TableDigest> storeDigest(Database &db);

/**
 * Copies every data table of \a from (a store at this program's revision) into \a to (a store
 * at the same revision holding no data: refused otherwise with what it holds, nothing
 * written), ids and all, in one transaction on \a to. \a progress hears each table when done.
 * Returns the rows copied per table. Throws StoreError / StoreRefusal.
 */
std::vector<TableDigest> copyStore(Database &from, Database &to,
                                   const std::function<void(const std::string &table, std::int64_t rows)> &progress = {});

} // namespace gd::store
