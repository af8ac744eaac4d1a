#pragma once
// Where a store lives: a GeoPackage file (the embedded single-seat store and the demo) or a
// PostgreSQL/PostGIS database (the shared store of a center), as `--db` names it.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gd::store {

enum class Backend { SQLite, PostgreSQL };

/**
 * `--db` as the operator wrote it: a file path, or a libpq connection URI
 * (`postgresql://` or `postgres://`, several hosts allowed: `postgresql://a:5432,b:5432/gd?
 * target_session_attrs=read-write`) or a libpq keyword string that names a database
 * (`host=… dbname=…`, `service=…`).
 *
 * A connection string may hold a password: display() is what may be shown anywhere (errors,
 * logs, the window title); it never contains the password, nor does any error thrown here.
 * conninfo() is for libpq only.
 */
class StoreLocation
{
  public:
    StoreLocation() = default;
    //! A GeoPackage file.
    static StoreLocation file(const std::filesystem::path &path);
    /**
     * Reads `--db`: a connection URI or keyword string becomes a PostgreSQL location, anything
     * else a file path. Throws StoreError saying what is wrong (without the password) when a
     * connection string is malformed (libpq's own parser decides).
     */
    static StoreLocation parse(std::string_view text);
    //! True for text parse() reads as a PostgreSQL connection string.
    static bool looksLikeConnectionString(std::string_view text);

    Backend backend() const { return mBackend; }
    bool isPostgres() const { return mBackend == Backend::PostgreSQL; }
    bool empty() const { return mBackend == Backend::SQLite && mPath.empty(); }

    //! The file (SQLite only).
    const std::filesystem::path &path() const { return mPath; }
    //! What libpq is given (PostgreSQL only); may hold a password: never print it.
    const std::string &conninfo() const { return mConninfo; }
    //! The location as it may be shown: the path, or the connection string without its password.
    std::string display() const;

    /**
     * The connection string as libpq reads it, keyword by keyword (host, port, dbname, user,
     * password, sslmode, target_session_attrs …; only those given), for programs that want
     * keywords rather than a URI (QGIS's QgsDataSourceUri). PostgreSQL only.
     */
    std::vector<std::pair<std::string, std::string>> keywords() const;

    //! Removes any password from a libpq connection string (URI or keywords); other text unchanged.
    static std::string redact(std::string_view conninfo);

  private:
    Backend mBackend = Backend::SQLite;
    std::filesystem::path mPath;
    std::string mConninfo;
    std::string mDisplay;
};

} // namespace gd::store
