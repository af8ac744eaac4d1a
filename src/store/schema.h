#pragma once
// The store file's schema and its migrations.
//
// Versioning, deliberately: a GeoPackage keeps ITS version in PRAGMA user_version (10300 for
// 1.3.0) and we also want "migrations by user_version". The store therefore writes
//     user_version = 10300 + schema revision          (revision 1 .. 98)
// which GDAL reads as GeoPackage 1.3.x. GDAL 3.6 opens 10301 .. 10398 silently and warns
// ("may only be partially supported") from 10399 (1.3.99) upwards, verified with ogrinfo, so
// 98 revisions are available; should we ever need more, the revision moves into the
// gd_store_info table and user_version stays 10398. application_id is 'GPKG'.
//
// Revisions: 1 GeoPackage core, grids, cases, append-only case_events, number counters;
// 2 devices, applied frames, orders, positions, POIs; 3 R-tree spatial indexes
// (gpkg_rtree_index); 4 grid workers; 5 supervision records, department notices, rule firings,
// emergencies with their timeline and alert orders, and the open-cases-by-warn_at index;
// 6 cases.is_open (the partial indexes over open cases say `is_open = 1`) and case_histories
// (an imported closed case's whole history as one row); 7 the track's time-first index and the
// published mark track_published_id; 8 positions.seq (a device's last_seq is written lazily,
// with the published mark); 9 emergencies.incident_type.
//
// A file is refused (StoreError, nothing changed) when its application_id is neither 0 nor
// 'GPKG', when user_version is not ours, or when its revision is newer than this program's.

#include <filesystem>
#include <memory>

namespace gd::store {

class Database;

class Schema
{
  public:
    //! The newest schema revision this program writes.
    static constexpr int kRevision = 9;
    //! user_version of a file at \a revision.
    static constexpr int userVersion(int revision) { return 10300 + revision; }

    /**
     * Brings \a db up to \a targetRevision (each step in its own transaction, with the
     * user_version bump inside it). A new empty file is created from scratch.
     * Throws StoreError when the file is not a store or is newer than this program.
     */
    static void migrate(Database &db, int targetRevision = kRevision);

    //! The schema revision of \a db (0 for an empty file). Throws StoreError for a foreign file.
    static int revision(Database &db);

    //! Opens (creating if needed) and migrates the store at \a path: the `init` of the store.
    static std::unique_ptr<Database> openOrCreate(const std::filesystem::path &path);
    //! Opens an existing store read-write, migrating it; throws StoreError if it does not exist.
    static std::unique_ptr<Database> open(const std::filesystem::path &path);
};

} // namespace gd::store
