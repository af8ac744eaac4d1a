#pragma once
// Online backups of a store and their restore (issue 17, GB/T 22239-2019 §8.1.4.9 数据备份恢复).
//
// GeoPackage: the SQLite online backup API copies the file in one step, which is one read
// transaction on the source: a consistent copy of one moment, while the gateway and consoles go
// on committing (WAL: a reader never blocks a writer). PostgreSQL: `pg_dump -Fc` in a snapshot
// this connection exports, so the row counts in the manifest are those of the dump.
//
// Beside each backup file a manifest (FILE.manifest.json): the store it came from, the time, the
// file's SHA-256 and SM3 digests, the schema revision and the rows of every table. A restore
// refuses a file that does not match its manifest, or a target holding data (unless forced),
// and afterwards checks the restored store the way `griddispatch-ctl verify` does.

#include "store/audit/auditlog.h"
#include "store/storelocation.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gd::store {
class Database;
}

namespace gd::store::backup {

struct Manifest
{
    std::string file;    //!< the backup file's name (in the manifest's directory)
    std::string backend; //!< "geopackage" or "postgresql"
    std::string store;   //!< the store it came from, as shown (no password)
    std::string name;    //!< the store's short name: the backup files' prefix
    std::string createdAt;
    std::string sha256; //!< hex, of the backup file
    std::string sm3;    //!< hex, of the backup file
    int schemaRevision = 0;
    std::vector<std::pair<std::string, std::int64_t>> rows; //!< table, rows
    std::int64_t bytes = 0;
    double seconds = 0;

    std::int64_t rowsOf(const std::string &table) const;
};

struct BackupResult
{
    std::filesystem::path file;
    std::filesystem::path manifest;
    Manifest content;
    std::vector<std::filesystem::path> removed; //!< older backups removed by the retention
};

//! The manifest beside \a backupFile.
std::filesystem::path manifestPath(const std::filesystem::path &backupFile);
//! Reads it; throws StoreRefusal naming what is wrong (missing, unreadable, not a manifest).
Manifest readManifest(const std::filesystem::path &backupFile);

/**
 * Backs up \a db into a new file in \a dir named with the store's short name and the time
 * (center-20261208T021530.123Z.gpkg, or .pgdump on PostgreSQL), checks the copy (GeoPackage:
 * `PRAGMA integrity_check`), writes its manifest, records a store_backup row in \a db's audit log
 * as \a by, and, with \a keep > 0, removes this store's older backups beyond the newest \a keep.
 * Throws StoreError / std::runtime_error (nothing is left behind but a removed partial file).
 */
BackupResult backupStore(Database &db, const std::filesystem::path &dir, const audit::Actor &by, int keep = 0);

/**
 * Removes the backups of the store named \a store (Manifest::store) in \a dir but the newest
 * \a keep (with their manifests); returns the files removed.
 */
std::vector<std::filesystem::path> pruneBackups(const std::filesystem::path &dir, const std::string &store, int keep);

struct RestoreReport
{
    Manifest manifest;
    std::string target; //!< as shown
    int schemaRevision = 0;
    std::int64_t cases = 0;
    std::int64_t events = 0;
    std::int64_t auditRows = 0;
    std::vector<std::string> problems; //!< what the checks after the restore found
    bool ok() const { return problems.empty(); }
};

/**
 * Restores \a backupFile into \a target: refuses (StoreRefusal) a file whose digests differ from
 * its manifest, a file of the other backend, and a target holding data unless \a force; then
 * checks the restored store (schema revision, every table's rows against the manifest, the
 * integrity and append-only checks, every case against the replay of its events, the audit
 * chain) and records a store_restore row in it as \a by. A PostgreSQL target is a database its
 * administrator created (empty, with PostGIS available).
 */
RestoreReport restoreStore(const std::filesystem::path &backupFile, const StoreLocation &target, bool force,
                           const audit::Actor &by);

//! The PostgreSQL client program \a name (pg_dump, pg_restore): $GD_PG_BINDIR, the PostgreSQL 15 directory, or PATH.
std::string pgTool(const std::string &name);

} // namespace gd::store::backup
