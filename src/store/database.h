#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/storelocation.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gd::store {

class Database;
namespace pg {
class PgConnection;
class PgStatement;
} // namespace pg

/**
 * One prepared statement: bind with `?` parameters (1-based, `?N` numbered), step, read columns.
 * Move-only; finalizes in its destructor (never throws).
 *
 * On PostgreSQL the same SQL text runs (placeholders become $N; see postgres/pgconnection.h):
 * blobs bound to a geometry column are GeoPackage geometry blobs on both backends (turned into
 * EWKB for PostGIS), and columnBlob() of a geometry column gives a GeoPackage blob back, so
 * geopackage::encode/decode serve both.
 */
class Statement
{
  public:
    Statement(sqlite3 *db, std::string_view sql);
    //! A PostgreSQL statement (made by Database::query()).
    explicit Statement(std::unique_ptr<pg::PgStatement> statement);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bind(int index, const char *text) { return bind(index, std::string_view(text)); }
    Statement &bind(int index, const std::string &text) { return bind(index, std::string_view(text)); }
    Statement &bind(int index, std::nullptr_t);
    //! Binds an optional: NULL when empty.
    template<typename T> Statement &bind(int index, const std::optional<T> &value)
    {
      return value ? bind(index, *value) : bind(index, nullptr);
    }
    Statement &bindBlob(int index, const std::vector<std::uint8_t> &blob);

    //! Binds every argument in order starting at parameter 1.
    template<typename... Args> Statement &bindAll(const Args &...args)
    {
      return bindFrom(1, args...);
    }
    //! Binds every argument in order starting at parameter \a first.
    template<typename... Args> Statement &bindFrom(int first, const Args &...args)
    {
      int index = first - 1;
      (bind(++index, args), ...);
      return *this;
    }

    //! Steps once; true when a row is available, false when done. Throws StoreError.
    bool step();
    //! Steps to completion (for statements that return no rows).
    void run();
    //! Resets the statement and clears its bindings (never throws).
    void reset() noexcept;

    bool isNull(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::optional<std::string> columnOptionalText(int column) const;
    std::optional<std::int64_t> columnOptionalInt(int column) const;
    std::vector<std::uint8_t> columnBlob(int column) const;

    //! What a column of the current row holds (SQLite: its storage class; PostgreSQL: by the column's type).
    enum class Kind { Null, Integer, Real, Text, Blob };
    Kind columnKind(int column) const;
    //! Columns in the result (after the first step() on PostgreSQL).
    int columnCount() const;
    std::string columnName(int column) const;

    const std::string &sql() const { return mSql; }
    //! The SQLite statement (nullptr on PostgreSQL): for the SQLite-only bulk paths.
    sqlite3_stmt *handle() const { return mStmt; }

  private:
    [[noreturn]] void fail(int rc) const;

    sqlite3 *mDb = nullptr;
    sqlite3_stmt *mStmt = nullptr;
    std::unique_ptr<pg::PgStatement> mPg;
    std::string mSql;
};

/**
 * A statement borrowed from the connection's cache for one use: resets it when it goes out
 * of scope, so a reader never keeps a stale WAL snapshot open by leaving a statement mid-step.
 */
class Query
{
  public:
    Query(Statement *cached, bool *inUse, std::unique_ptr<Statement> owned);
    ~Query();
    Query(Query &&other) noexcept;
    Query(const Query &) = delete;
    Query &operator=(const Query &) = delete;
    Query &operator=(Query &&) = delete;

    Statement *operator->() { return mStmt; }
    Statement &operator*() { return *mStmt; }

    template<typename... Args> Query &bindAll(const Args &...args)
    {
      mStmt->bindAll(args...);
      return *this;
    }
    bool step() { return mStmt->step(); }
    void run() { mStmt->run(); }

  private:
    Statement *mStmt = nullptr;
    bool *mInUse = nullptr;
    std::unique_ptr<Statement> mOwned;
};

/**
 * One SQLite connection with the store's settings: WAL, foreign_keys=ON, a bounded busy wait,
 * synchronous=FULL. Statements are prepared once per connection and cached by their SQL text.
 * A connection is used by one thread at a time.
 *
 * Busy wait: another process (a gateway committing every millisecond, a second console,
 * griddispatch-ctl) may hold the write lock. SQLite's own busy timeout sleeps 1, 2, 5 ... 100 ms
 * between tries and so keeps missing the short gaps between a busy gateway's commits: a
 * console's BEGIN IMMEDIATE failed after 5 s in 3 of 4 runs at 3,000 frames/s. Every connection
 * here polls every kBusyPollMicros instead, up to its busy timeout (kDefaultBusyTimeoutMs), tells
 * the busy observer once a second while it waits (setBusyObserver()), and only then fails with
 * SQLITE_BUSY and a message saying who holds the store and for how long it waited.
 */
class Database
{
  public:
    enum class Mode { ReadWrite, ReadWriteCreate, ReadOnly };

    //! How long a connection waits for another's lock before it fails (SQLITE_BUSY).
    static constexpr int kDefaultBusyTimeoutMs = 30000;
    //! How often a waiting connection tries the lock again.
    static constexpr int kBusyPollMicros = 250;

    /**
     * Opens (or creates, mode 0600) the file; throws StoreError naming the file on failure.
     * ReadOnly works in a read-only place too (no -shm can be made there): the file is then
     * read as immutable, unless a -wal beside it holds changes (refused, named).
     */
    explicit Database(const std::filesystem::path &path, Mode mode = Mode::ReadWrite, int busyTimeoutMs = kDefaultBusyTimeoutMs);
    /**
     * Opens the store at \a location: the file as above, or a connection to the PostgreSQL
     * database (ReadWriteCreate and ReadWrite alike: a database is created by its administrator;
     * ReadOnly sets default_transaction_read_only). Throws StoreError naming the location
     * without its password.
     */
    explicit Database(const StoreLocation &location, Mode mode = Mode::ReadWrite, int busyTimeoutMs = kDefaultBusyTimeoutMs);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    //! Returns the cached prepared statement for sql, reset and unbound, borrowed until the Query dies.
    Query query(std::string_view sql);
    //! The SQL for this backend: \a sqlite on SQLite, \a postgres on PostgreSQL (where they must differ).
    std::string_view dialect(std::string_view sqlite, std::string_view postgres) const
    {
      return isPostgres() ? postgres : sqlite;
    }
    //! Runs one or more statements without parameters (DDL, PRAGMA). Never for data.
    void exec(std::string_view sql);
    //! Convenience: the first column of the first row as integer (or fallback when no row/NULL).
    std::int64_t scalarInt(std::string_view sql, std::int64_t fallback = 0);

    //! SQLite only (PostgreSQL throws): the store's SQL says `RETURNING id` instead.
    std::int64_t lastInsertRowId() const;
    //! Rows changed by the last INSERT, UPDATE or DELETE.
    int changes() const;
    bool inTransaction() const;
    //! True inside a write transaction that holds the store's write lock shared (Transaction::Kind::ImmediateShared on PostgreSQL).
    bool writeLockShared() const;

    Backend backend() const { return mLocation.backend(); }
    bool isPostgres() const { return mLocation.isPostgres(); }
    const StoreLocation &location() const { return mLocation; }
    /**
     * The file; on PostgreSQL the connection string without its password, for messages only
     * (so "store <path>: …" names a database the same way it names a file).
     */
    const std::filesystem::path &path() const { return mPath; }
    //! The SQLite connection (nullptr on PostgreSQL): for the SQLite-only paths.
    sqlite3 *handle() const { return mDb; }
    //! The PostgreSQL connection (nullptr on SQLite).
    pg::PgConnection *postgres() const { return mPg.get(); }
    /**
     * PostgreSQL: after a lost connection (StoreError::isConnectionLost()), connects again to
     * whichever of the location's hosts answers as asked (target_session_attrs) and forgets the
     * prepared statements. Throws StoreError when no host answers. SQLite: nothing to do.
     * Never while a Query is borrowed.
     */
    void reconnect();
    /**
     * PostgreSQL: LISTENs to \a channel on this connection (again after reconnect()). SQLite:
     * nothing (there is no one to tell: readers poll).
     */
    void listen(std::string_view channel);
    /**
     * PostgreSQL: waits up to \a timeout for a notification on a channel listened to; true
     * when one came. SQLite: false at once. Throws StoreError when the connection broke.
     */
    bool waitForNotification(std::chrono::milliseconds timeout);

    //! How long this connection waits for a lock (0: it fails at once). \see setBusyTimeout()
    int busyTimeoutMs() const { return mBusy.timeoutMs; }
    //! Sets the busy wait (see the class comment); 0 makes a busy lock fail at once.
    void setBusyTimeout(int milliseconds);

    //! Told, on the waiting thread, once a second while a connection waits for a lock held elsewhere.
    using BusyObserver = std::function<void(const std::filesystem::path &store, std::chrono::milliseconds waited, std::chrono::milliseconds limit)>;
    /**
     * Sets the process-wide observer of long lock waits (a console shows it in its status bar).
     * Without one, each wait of a second or more is written to stderr. Thread-safe.
     */
    static void setBusyObserver(BusyObserver observer);

  private:
    std::unique_ptr<Statement> makeStatement(std::string_view sql);
    //! sqlite3_open_v2 of mPath with \a flags (as a read-only immutable URI when asked); throws naming the file.
    void openConnection(int flags, bool immutable = false);
    //! The busy handler's state (see the class comment).
    struct BusyWait
    {
      Database *db = nullptr;
      int timeoutMs = 0;
      std::chrono::steady_clock::time_point startedAt{};
      long long reportedSeconds = 0;
    };
    static int onBusy(void *wait, int tries);

    struct CacheEntry
    {
      std::unique_ptr<Statement> statement;
      bool inUse = false;
    };

    // Looked up by string_view (transparent hash): a cached statement costs no allocation.
    struct SqlHash
    {
      using is_transparent = void;
      std::size_t operator()(std::string_view sql) const noexcept { return std::hash<std::string_view>()(sql); }
    };

    sqlite3 *mDb = nullptr;
    std::unique_ptr<pg::PgConnection> mPg;
    StoreLocation mLocation;
    std::filesystem::path mPath;
    BusyWait mBusy;
    std::unordered_map<std::string, CacheEntry, SqlHash, std::equal_to<>> mCache;
    std::vector<std::string> mChannels; //!< listened to (PostgreSQL): again after a reconnect
};

/**
 * A transaction: BEGIN (IMMEDIATE for writers, so the write lock is taken up front and busy
 * errors come at BEGIN rather than mid-way), COMMIT by commit(), ROLLBACK in the destructor
 * when not committed. The destructor never throws.
 *
 * BEGIN IMMEDIATE waits for another process's write lock as the connection's busy wait says
 * (Database), and is tried again should SQLite answer busy without waiting, until the
 * connection's busy timeout has passed; then it throws StoreError (SQLITE_BUSY) saying the
 * store stayed locked by another writer for that long and that nothing was changed.
 */
class Transaction
{
  public:
    /**
     * Deferred: a reader's snapshot. Immediate: a write, holding the store's write lock (the
     * file's, or on PostgreSQL the advisory lock kPostgresWriteLock) exclusively from BEGIN.
     * ImmediateShared: a write that conflicts with no other ImmediateShared writer's (a gateway's
     * positions of its own devices): on PostgreSQL it holds the write lock shared, so such
     * transactions run side by side and only exclusive writers wait for them (and they for an
     * exclusive one); on a file it is Immediate (SQLite has one writer anyway).
     */
    enum class Kind { Deferred, Immediate, ImmediateShared };
    //! The advisory lock key a PostgreSQL write transaction takes (one writer at a time; see the constructor).
    static constexpr std::int64_t kPostgresWriteLock = 0x4744'5354'4f52'4531; // "GDSTORE1"
    explicit Transaction(Database &db, Kind kind = Kind::Immediate);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    //! Commits; throws StoreError when COMMIT fails (then the destructor rolls back).
    void commit();

  private:
    Database &mDb;
    bool mDone = false;
};

/**
 * A SAVEPOINT inside an open transaction: release() keeps its work, the destructor rolls it
 * back (ROLLBACK TO + RELEASE) when not released. Never throws from the destructor.
 */
class Savepoint
{
  public:
    explicit Savepoint(Database &db);
    ~Savepoint();
    Savepoint(const Savepoint &) = delete;
    Savepoint &operator=(const Savepoint &) = delete;

    void release();
    //! Rolls back to the savepoint now and ends it (never throws).
    void rollback() noexcept;

  private:
    Database &mDb;
    bool mDone = false;
    //! PostgreSQL outside a transaction: the write transaction this savepoint is (see the constructor).
    std::unique_ptr<Transaction> mOwn;
};

} // namespace gd::store
