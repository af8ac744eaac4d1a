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
// with the published mark); 9 the hash chain over case histories (case_events.chain,
// case_histories.chain; see eventchain.h); 10 department_notices.kind 'assign' (dispatch
// notices) and orders_case; 11 emergencies.incident_type; 12 device sessions; 13 the audit
// trail (audit_log, audit_seals; see audit/auditlog.h); 16 extension_requests (延期申请,
// see cases/extensionrequests.h).
//
// A file is refused (StoreError, nothing changed) when its application_id is neither 0 nor
// 'GPKG', when user_version is not ours, or when its revision is newer than this program's.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/storelocation.h"

namespace gd::store {

class Database;

//! One feature table per grid level, same columns, with the description both backends give it.
inline constexpr std::array<std::pair<const char *, const char *>, 5> kGridTables = {{
  {"grid_district", "区县 districts"},
  {"grid_township", "乡镇/街道 townships and sub-districts"},
  {"grid_community", "村/社区 villages and communities"},
  {"grid_grid", "网格 grids"},
  {"grid_microgrid", "微网格 micro-grids"},
}};

class Schema
{
  public:
    //! The newest schema revision this program writes.
    static constexpr int kRevision = 17;
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

    /**
     * The append-only triggers (case_events, case_histories, emergency_timeline, audit_log,
     * audit_seals) that are
     * missing or no longer abort: one line each, naming the trigger. Empty when all is well.
     */
    static std::vector<std::string> appendOnlyProblems(Database &db);
    /**
     * What SQLite's integrity_check finds and the rows that violate a foreign key: one line
     * each ("integrity_check: …", "N row(s) violate a foreign key"). Empty when all is well.
     */
    static std::vector<std::string> integrityProblems(Database &db);

    /**
     * PRAGMA quick_check of \a db, once per file and process; throws StoreError naming the file
     * and what SQLite found (a page of zeros, random bytes) when it is damaged. Waits for a
     * check of the file already running in the background.
     */
    static void checkIntegrity(Database &db);

    /**
     * The check reads the whole file: 2.1 s warm and 27 s cold for a 1,000,000-case store
     * (1.5 GB; docs/performance.md, "Store open and its integrity check"). A console or a
     * gateway asks for files above this size to be checked after open, in the background.
     */
    static constexpr std::uintmax_t kBackgroundCheckOverBytes = std::uintmax_t(32) << 20;

    /**
     * From now on, open() and openOrCreate() of a file larger than \a overBytes return without
     * its quick_check, which runs on a read-only connection of its own in the background:
     * see integrity(); a Writer on the file commits nothing until it passed. Smaller files are
     * checked before open() returns, as by default (SIZE_MAX: every file, the default).
     */
    static void setBackgroundCheck(std::uintmax_t overBytes);

    enum class Integrity
    {
      Unchecked, //!< not checked by this process
      Checking,  //!< the background check is running
      Passed,    //!< quick_check said ok
      Damaged    //!< quick_check found damage: problem says what, naming the file
    };
    struct IntegrityState
    {
      Integrity state = Integrity::Unchecked;
      std::string problem;
    };
    //! Where the check of \a path stands in this process (any thread).
    static IntegrityState integrity(const std::filesystem::path &path);
    /**
     * Returns once no background check of \a path is running; throws StoreError (naming the
     * file and the damage) when the check found it damaged.
     */
    static void waitForIntegrity(const std::filesystem::path &path);

    /**
     * Opens (creating if needed, mode 0600) and migrates the store at \a path: the `init` of
     * the store. An existing file is first inspected read-only: a foreign SQLite file is
     * refused before anything (its journal mode included) is touched.
     */
    static std::unique_ptr<Database> openOrCreate(const std::filesystem::path &path);
    /**
     * Opens an existing store read-write, migrating it. Throws StoreError, having changed
     * nothing, when it does not exist, is empty (0 bytes or no tables: only `init` creates a
     * store), is foreign or newer, or fails its quick_check.
     */
    static std::unique_ptr<Database> open(const std::filesystem::path &path);

    /**
     * As above for a file; for a PostgreSQL database: connects, creates the store in an empty
     * database (PostGIS and the whole schema at once, postgres/pgschema.h) or migrates it.
     * Refuses a database holding other tables or a newer store.
     */
    static std::unique_ptr<Database> openOrCreate(const StoreLocation &location);
    //! As above, but refuses a database without a store (only `init` creates one).
    static std::unique_ptr<Database> open(const StoreLocation &location);
};

} // namespace gd::store
