#pragma once
// The PostgreSQL side of store::Database and store::Statement (libpq). Only store/database.cpp
// and the PostgreSQL-specific paths of the store use this header.
//
// The store's SQL is written once, in the subset SQLite 3.40 and PostgreSQL 15 share (UPSERT
// with ON CONFLICT, RETURNING, CAST …); what differs is chosen with Database::dialect(). Here:
//  - placeholders: `?` becomes $1, $2 … in order and `?N` becomes $N (outside quotes and
//    comments);
//  - statements are prepared once per connection (named gd_1, gd_2 …) with every parameter's
//    type left to the server, and described once: a blob bound to a parameter the server
//    types as PostGIS geometry is a GeoPackage blob turned into EWKB (geopackage::toEwkb);
//  - parameters travel as text, blobs as binary; results come as text, a geometry column read
//    as a blob is turned back into a GeoPackage blob, booleans read as integers are 1 and 0;
//  - errors become StoreError with the SQLSTATE and the SQLite code of the same kind.

#include "store/storelocation.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace gd::store::pg {

//! The SQL with SQLite placeholders (`?`, `?N`) written as PostgreSQL's ($N); \a count gets the highest number.
std::string translatePlaceholders(std::string_view sql, int *count = nullptr);
/**
 * Whether \a sql changes data: INSERT, UPDATE, DELETE, MERGE, TRUNCATE or COPY, first or (after
 * WITH) in a common table expression. Such a statement outside a transaction runs in a write
 * transaction of its own, with the store's write lock (PgStatement).
 */
bool writesData(std::string_view sql);
//! The SQLite extended result code of the same kind as \a sqlState (0 when none fits).
int sqliteCodeFor(std::string_view sqlState);

class PgConnection
{
  public:
    PgConnection(const StoreLocation &location, bool readOnly, int lockTimeoutMs);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    //! For libpq calls of the caller's own (COPY): what defer() holds is sent first.
    pg_conn *handle()
    {
      flushDeferred();
      return mConn;
    }
    const StoreLocation &location() const { return mLocation; }

    //! Runs one or more statements without parameters; throws StoreError.
    void exec(std::string_view sql);
    /**
     * Queues \a sql (a SAVEPOINT or RELEASE inside the open transaction: nothing whose result
     * anyone reads) to go with the next statement in the same round trip: in front of the next
     * exec()'s text, or in a pipeline (PQenterPipelineMode) with the next prepared statement.
     * Every statement is otherwise a round trip, and a savepoint's two were a third of those
     * of a terminal's report (docs/performance.md, issue 16). Its failure, if any, is the next
     * statement's. A full ROLLBACK drops what is queued instead of sending it.
     */
    void defer(std::string sql) { mDeferred.push_back(std::move(sql)); }
    //! Sends what defer() queued, now (on its own).
    void flushDeferred();
    /**
     * BEGIN, then the store's write lock (pg_advisory_xact_lock of Transaction::kPostgresWriteLock),
     * waiting up to the lock timeout. Throws StoreError (SQLITE_BUSY, saying the store stayed
     * locked by another writer and nothing was changed) with the transaction rolled back.
     *
     * \a shared takes the lock shared (pg_advisory_xact_lock_shared on the same key): for a
     * transaction whose writes conflict with no other shared holder's (a gateway's positions:
     * rows of its own devices, new track rows), so several such transactions run and commit at
     * once, while every exclusive holder (a case, a counter, a session taken) still runs alone.
     * PostgreSQL queues a shared request behind an exclusive one already waiting, so a steady
     * stream of shared holders does not starve an exclusive writer (tests/ingest/sharedlock_test).
     */
    void beginWrite(bool shared = false);
    //! True while the open transaction holds the write lock shared (beginWrite(true)).
    bool writeLockShared() const { return mWriteShared; }
    //! Sets how long a lock is waited for (lock_timeout; 0 means 1 ms: fail at once).
    void setLockTimeout(int milliseconds);
    //! A new unique statement name on this connection.
    std::string nextStatementName() { return "gd_" + std::to_string(++mStatements); }
    //! The OID of PostGIS's geometry type on this database (0 without PostGIS).
    unsigned geometryOid() const { return mGeometryOid; }
    //! Looks the geometry type up again (after CREATE EXTENSION postgis on this connection).
    void refreshGeometryType();
    //! Rows changed by the last statement.
    int changes() const { return mChanges; }
    void setChanges(int changes) { mChanges = changes; }
    bool inTransaction() const;
    /**
     * Waits up to \a timeoutMs for a notification on a channel this connection LISTENs to;
     * true when one (or more: all are consumed) came. Throws StoreError when the connection broke.
     */
    bool waitForNotification(int timeoutMs);
    //! The connection is up as far as libpq knows.
    bool connected() const;
    //! Connects again (see Database::reconnect()); prepared statements are gone afterwards.
    void reconnect();
    //! Incremented by every reconnect(): a statement prepared under an older one prepares again.
    std::uint64_t generation() const { return mGeneration; }

    //! The connection is about to close: statements need not be dropped one by one.
    void setClosing() { mClosing = true; }
    bool closing() const { return mClosing; }

    //! Throws the StoreError for a failed \a result (or the connection's error when null); frees it.
    [[noreturn]] void fail(pg_result *result, std::string_view sql) const;

  private:
    friend class PgStatement; // executes with what is deferred in one pipeline
    void connect();
    std::vector<std::string> mDeferred;

    StoreLocation mLocation;
    bool mReadOnly = false;
    int mLockTimeoutMs = 0;
    pg_conn *mConn = nullptr;
    unsigned mGeometryOid = 0;
    int mChanges = 0;
    std::uint64_t mStatements = 0;
    std::uint64_t mGeneration = 0;
    bool mClosing = false;
    bool mWriteShared = false; //!< the last beginWrite() took the lock shared
};

class PgStatement
{
  public:
    PgStatement(PgConnection &connection, std::string_view sql);
    ~PgStatement();
    PgStatement(const PgStatement &) = delete;
    PgStatement &operator=(const PgStatement &) = delete;

    void bindText(int index, std::string_view text);
    void bindBlob(int index, const std::vector<std::uint8_t> &blob);
    void bindNull(int index);

    bool step();
    void reset() noexcept;

    bool isNull(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::vector<std::uint8_t> columnBlob(int column) const;
    //! As Statement::Kind: 0 null, 1 integer, 2 real, 3 text, 4 blob (bytea and geometry).
    int columnKind(int column) const;
    int columnCount() const;
    std::string columnName(int column) const;

  private:
    struct Param
    {
      enum class Kind { Null, Text, Blob } kind = Kind::Null;
      std::string text;
      std::vector<std::uint8_t> blob;
    };
    Param &param(int index);
    void prepare();
    void execute();
    pg_result *executePipelined(const char *const *values, const int *lengths, const int *formats);
    const char *value(int column) const;

    PgConnection &mConnection;
    std::string mSql;       // as written (for messages)
    std::string mTranslated; // with $N
    int mParamCount = 0;
    std::string mName;
    std::uint64_t mPreparedGeneration = 0;
    bool mPrepared = false;
    std::vector<unsigned> mParamTypes; // as the server described them
    bool mWrites = false;              // writesData(mSql)
    std::vector<Param> mParams;
    pg_result *mResult = nullptr;
    int mRow = -1;
    int mRows = 0;
    bool mExecuted = false;
};

} // namespace gd::store::pg
