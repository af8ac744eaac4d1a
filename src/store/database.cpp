#include "store/database.h"

#include "store/geopackage.h"
#include "store/postgres/pgconnection.h"
#include "store/storeerror.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace gd::store {

// ---- Statement ------------------------------------------------------------------------

Statement::Statement(sqlite3 *db, std::string_view sql)
  : mDb(db)
  , mSql(sql)
{
  const int rc = sqlite3_prepare_v3(db, mSql.data(), static_cast<int>(mSql.size()), SQLITE_PREPARE_PERSISTENT, &mStmt,
                                    nullptr);
  if (rc != SQLITE_OK)
  {
    const int code = sqlite3_extended_errcode(db);
    std::string message = std::string("cannot prepare statement: ") + sqlite3_errmsg(db);
    sqlite3_finalize(mStmt);
    mStmt = nullptr;
    throw StoreError(code, message, mSql);
  }
}

Statement::Statement(std::unique_ptr<pg::PgStatement> statement)
  : mPg(std::move(statement))
{}

Statement::~Statement()
{
  if (mStmt)
    sqlite3_finalize(mStmt);
}

Statement::Statement(Statement &&other) noexcept
  : mDb(other.mDb)
  , mStmt(other.mStmt)
  , mPg(std::move(other.mPg))
  , mSql(std::move(other.mSql))
{
  other.mStmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
  if (this != &other)
  {
    if (mStmt)
      sqlite3_finalize(mStmt);
    mDb = other.mDb;
    mStmt = other.mStmt;
    mPg = std::move(other.mPg);
    mSql = std::move(other.mSql);
    other.mStmt = nullptr;
  }
  return *this;
}

void Statement::fail(int rc) const
{
  (void)rc;
  throw StoreError(sqlite3_extended_errcode(mDb), sqlite3_errmsg(mDb), mSql);
}

Statement &Statement::bind(int index, std::int64_t value)
{
  if (mPg)
  {
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    mPg->bindText(index, std::string_view(text, static_cast<std::size_t>(end - text)));
    return *this;
  }
  if (const int rc = sqlite3_bind_int64(mStmt, index, value); rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Statement &Statement::bind(int index, double value)
{
  if (mPg)
  {
    // The shortest text that reads back as the same double.
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    mPg->bindText(index, std::string_view(text, static_cast<std::size_t>(end - text)));
    return *this;
  }
  if (const int rc = sqlite3_bind_double(mStmt, index, value); rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
  if (mPg)
  {
    mPg->bindText(index, text);
    return *this;
  }
  // An empty string_view may have a null data(): SQLite would bind NULL, not ''.
  const char *data = text.data() ? text.data() : "";
  const int rc = sqlite3_bind_text64(mStmt, index, data, text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Statement &Statement::bind(int index, std::nullptr_t)
{
  if (mPg)
  {
    mPg->bindNull(index);
    return *this;
  }
  if (const int rc = sqlite3_bind_null(mStmt, index); rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Statement &Statement::bindBlob(int index, const std::vector<std::uint8_t> &blob)
{
  if (mPg)
  {
    mPg->bindBlob(index, blob);
    return *this;
  }
  const int rc = sqlite3_bind_blob64(mStmt, index, blob.data(), blob.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK)
    fail(rc);
  return *this;
}

bool Statement::step()
{
  if (mPg)
    return mPg->step();
  const int rc = sqlite3_step(mStmt);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  // sqlite3_step's own code is the extended one with prepare_v3; read it before reset clears it.
  const int code = sqlite3_extended_errcode(mDb);
  std::string message = sqlite3_errmsg(mDb);
  sqlite3_reset(mStmt);
  throw StoreError(code, message, mSql);
}

void Statement::run()
{
  while (step())
  {
  }
}

void Statement::reset() noexcept
{
  if (mPg)
  {
    mPg->reset();
    return;
  }
  sqlite3_reset(mStmt);
  sqlite3_clear_bindings(mStmt);
}

bool Statement::isNull(int column) const
{
  if (mPg)
    return mPg->isNull(column);
  return sqlite3_column_type(mStmt, column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt(int column) const
{
  if (mPg)
    return mPg->columnInt(column);
  return sqlite3_column_int64(mStmt, column);
}

double Statement::columnDouble(int column) const
{
  if (mPg)
    return mPg->columnDouble(column);
  return sqlite3_column_double(mStmt, column);
}

std::string Statement::columnText(int column) const
{
  if (mPg)
    return mPg->columnText(column);
  const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(mStmt, column));
  if (!text)
    return std::string();
  return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(mStmt, column)));
}

std::optional<std::string> Statement::columnOptionalText(int column) const
{
  if (isNull(column))
    return std::nullopt;
  return columnText(column);
}

std::optional<std::int64_t> Statement::columnOptionalInt(int column) const
{
  if (isNull(column))
    return std::nullopt;
  return columnInt(column);
}

std::vector<std::uint8_t> Statement::columnBlob(int column) const
{
  if (mPg)
    return mPg->columnBlob(column);
  const auto *data = static_cast<const std::uint8_t *>(sqlite3_column_blob(mStmt, column));
  const int size = sqlite3_column_bytes(mStmt, column);
  if (!data || size <= 0)
    return {};
  return std::vector<std::uint8_t>(data, data + size);
}

Statement::Kind Statement::columnKind(int column) const
{
  if (mPg)
    return static_cast<Kind>(mPg->columnKind(column));
  switch (sqlite3_column_type(mStmt, column))
  {
    case SQLITE_INTEGER:
      return Kind::Integer;
    case SQLITE_FLOAT:
      return Kind::Real;
    case SQLITE_TEXT:
      return Kind::Text;
    case SQLITE_BLOB:
      return Kind::Blob;
    default:
      return Kind::Null;
  }
}

int Statement::columnCount() const
{
  if (mPg)
    return mPg->columnCount();
  return sqlite3_column_count(mStmt);
}

std::string Statement::columnName(int column) const
{
  if (mPg)
    return mPg->columnName(column);
  const char *name = sqlite3_column_name(mStmt, column);
  return name ? name : "";
}

// ---- Query ----------------------------------------------------------------------------

Query::Query(Statement *cached, bool *inUse, std::unique_ptr<Statement> owned)
  : mStmt(owned ? owned.get() : cached)
  , mInUse(owned ? nullptr : inUse)
  , mOwned(std::move(owned))
{
  if (mInUse)
    *mInUse = true;
}

Query::~Query()
{
  if (mStmt)
    mStmt->reset();
  if (mInUse)
    *mInUse = false;
}

Query::Query(Query &&other) noexcept
  : mStmt(other.mStmt)
  , mInUse(other.mInUse)
  , mOwned(std::move(other.mOwned))
{
  other.mStmt = nullptr;
  other.mInUse = nullptr;
}

// ---- Database -------------------------------------------------------------------------

namespace {
std::mutex &busyObserverMutex()
{
  static std::mutex mutex;
  return mutex;
}
Database::BusyObserver &busyObserver()
{
  static Database::BusyObserver observer;
  return observer;
}

void reportBusyWait(const std::filesystem::path &store, std::chrono::milliseconds waited, std::chrono::milliseconds limit)
{
  Database::BusyObserver observer;
  {
    std::lock_guard lock(busyObserverMutex());
    observer = busyObserver();
  }
  if (observer)
    observer(store, waited, limit);
  else
    std::cerr << "griddispatch: waiting for the store " << store.string() << ": another process is writing to it ("
              << waited.count() / 1000 << " s so far, at most " << limit.count() / 1000 << " s)\n";
}
} // namespace

void Database::setBusyObserver(BusyObserver observer)
{
  std::lock_guard lock(busyObserverMutex());
  busyObserver() = std::move(observer);
}

int Database::onBusy(void *data, int tries)
{
  auto *wait = static_cast<BusyWait *>(data);
  const auto now = std::chrono::steady_clock::now();
  if (tries == 0)
  {
    wait->startedAt = now;
    wait->reportedSeconds = 0;
  }
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - wait->startedAt);
  if (waited.count() >= wait->timeoutMs)
    return 0; // SQLITE_BUSY: the caller says for how long (Transaction)
  if (const long long seconds = waited.count() / 1000; seconds > wait->reportedSeconds)
  {
    wait->reportedSeconds = seconds;
    reportBusyWait(wait->db->path(), waited, std::chrono::milliseconds(wait->timeoutMs));
  }
  std::this_thread::sleep_for(std::chrono::microseconds(kBusyPollMicros));
  return 1;
}

void Database::setBusyTimeout(int milliseconds)
{
  mBusy.db = this;
  mBusy.timeoutMs = milliseconds > 0 ? milliseconds : 0;
  if (mPg)
  {
    mPg->setLockTimeout(mBusy.timeoutMs);
    return;
  }
  if (mBusy.timeoutMs == 0)
    sqlite3_busy_handler(mDb, nullptr, nullptr);
  else
    sqlite3_busy_handler(mDb, &Database::onBusy, &mBusy);
}

Database::Database(const std::filesystem::path &path, Mode mode, int busyTimeoutMs)
  : Database(StoreLocation::file(path), mode, busyTimeoutMs)
{}

Database::Database(const StoreLocation &location, Mode mode, int busyTimeoutMs)
  : mLocation(location)
  , mPath(location.isPostgres() ? std::filesystem::path(location.display()) : location.path())
{
  if (location.isPostgres())
  {
    mPg = std::make_unique<pg::PgConnection>(location, mode == Mode::ReadOnly, busyTimeoutMs > 0 ? busyTimeoutMs : 1);
    mBusy.db = this;
    mBusy.timeoutMs = busyTimeoutMs > 0 ? busyTimeoutMs : 0;
    return;
  }
  const std::filesystem::path &path = location.path();
  // No memory statistics: with them every sqlite3_malloc/free takes a global mutex and
  // updates counters (a few per cent of a write path made of small rows). Only possible
  // before SQLite initialises; when another library started it first this is a no-op.
  static const bool configured = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
  (void)configured;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  switch (mode)
  {
    case Mode::ReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case Mode::ReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::ReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
  }
  // A new store is created readable by its owner only (issue 14): it holds device token hashes
  // and phone numbers. SQLite gives the -wal and -shm files the mode of the database file, so
  // an administrator who makes the store 0640 for a console group gets 0640 for those too.
  if (mode == Mode::ReadWriteCreate && !std::filesystem::exists(path))
  {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      throw StoreError(0, "cannot create store " + path.string() + ": " + std::strerror(errno));
    if (fd >= 0)
      ::close(fd);
  }
  openConnection(flags);
  sqlite3_extended_result_codes(mDb, 1);
  setBusyTimeout(busyTimeoutMs);
  geopackage::registerSqlFunctions(mDb); // the R-tree triggers of the feature tables call them
  try
  {
    if (mode == Mode::ReadOnly)
    {
      // In a read-only place (a mounted backup, a directory the user may not write) a WAL
      // store cannot create its -shm file and every statement fails with SQLITE_CANTOPEN.
      // With no -wal beside it, the file alone is the whole store and nobody can be writing
      // it: read it as immutable.
      try
      {
        exec("PRAGMA cache_size = -16384");
      }
      catch (const StoreError &e)
      {
        if (e.primaryCode() != SQLITE_CANTOPEN)
          throw;
        std::error_code ec;
        const auto walSize = std::filesystem::file_size(path.string() + "-wal", ec);
        if (!ec && walSize > 0)
          throw StoreError(e.code(), "cannot read store " + path.string() +
                                       " here: its -wal file holds changes not yet in the store, and this "
                                       "place is read-only (" + e.what() + ")");
        sqlite3_close_v2(mDb);
        mDb = nullptr;
        openConnection(flags, true);
        sqlite3_extended_result_codes(mDb, 1);
        setBusyTimeout(busyTimeoutMs);
        geopackage::registerSqlFunctions(mDb);
        exec("PRAGMA cache_size = -16384");
      }
    }
    exec("PRAGMA foreign_keys = ON");
    if (mode != Mode::ReadOnly)
    {
      // WAL: readers never block the writer and the writer never blocks readers.
      // synchronous=FULL: a commit returns only after the WAL is fsynced (acks are promises).
      exec("PRAGMA journal_mode = WAL");
      exec("PRAGMA synchronous = FULL");
      // A 1,000,000-case store has ~300 MB of indexes and the writer touches index pages all
      // over (grid, reported_at): 256 MB of page cache, allocated only as pages are used.
      exec("PRAGMA cache_size = -262144");
    }
  }
  catch (const StoreError &e)
  {
    sqlite3_close_v2(mDb);
    mDb = nullptr;
    // Every store error names the file.
    const std::string what = e.what();
    if (what.find(path.string()) != std::string::npos)
      throw;
    throw StoreError(e.code(), "store " + path.string() + ": " + what, e.sql());
  }
  catch (...)
  {
    sqlite3_close_v2(mDb);
    mDb = nullptr;
    throw;
  }
}

void Database::openConnection(int flags, bool immutable)
{
  std::string name = mPath.string();
  if (immutable)
  {
    // A URI: every byte that is not plainly safe is %-escaped (a path may hold '?' or '#').
    std::string uri = "file:";
    static const char *const kHex = "0123456789ABCDEF";
    for (const unsigned char c : name)
    {
      if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c >= 0x80)
        uri += static_cast<char>(c);
      else
      {
        uri += '%';
        uri += kHex[c >> 4];
        uri += kHex[c & 15];
      }
    }
    name = uri + "?mode=ro&immutable=1";
    flags |= SQLITE_OPEN_URI;
  }
  const int rc = sqlite3_open_v2(name.c_str(), &mDb, flags, nullptr);
  if (rc != SQLITE_OK)
  {
    const int code = mDb ? sqlite3_extended_errcode(mDb) : rc;
    std::string message =
      "cannot open store " + mPath.string() + ": " + (mDb ? sqlite3_errmsg(mDb) : sqlite3_errstr(rc));
    sqlite3_close_v2(mDb);
    mDb = nullptr;
    throw StoreError(code, message);
  }
}

Database::~Database()
{
  if (mPg)
    mPg->setClosing();
  mCache.clear(); // finalize statements before closing
  if (mDb)
    sqlite3_close_v2(mDb);
}

Query Database::query(std::string_view sql)
{
  auto it = mCache.find(sql);
  if (it == mCache.end())
  {
    CacheEntry entry;
    entry.statement = makeStatement(sql);
    it = mCache.emplace(std::string(sql), std::move(entry)).first;
  }
  if (it->second.inUse)
  {
    // The same SQL is already borrowed further up the stack (e.g. a nested lookup): use a
    // private copy rather than clobbering the outer iteration.
    return Query(nullptr, nullptr, makeStatement(sql));
  }
  it->second.statement->reset();
  return Query(it->second.statement.get(), &it->second.inUse, nullptr);
}

std::unique_ptr<Statement> Database::makeStatement(std::string_view sql)
{
  if (mPg)
    return std::make_unique<Statement>(std::make_unique<pg::PgStatement>(*mPg, sql));
  return std::make_unique<Statement>(mDb, sql);
}

void Database::reconnect()
{
  if (!mPg)
    return;
  mCache.clear();
  mPg->reconnect();
  setBusyTimeout(mBusy.timeoutMs);
  for (const std::string &channel : mChannels)
    mPg->exec("LISTEN " + channel);
}

void Database::listen(std::string_view channel)
{
  if (!mPg)
    return;
  // Channel names are the store's own constants (an identifier, never input).
  mPg->exec("LISTEN " + std::string(channel));
  if (std::find(mChannels.begin(), mChannels.end(), channel) == mChannels.end())
    mChannels.emplace_back(channel);
}

bool Database::waitForNotification(std::chrono::milliseconds timeout)
{
  if (!mPg)
    return false;
  return mPg->waitForNotification(static_cast<int>(timeout.count()));
}

void Database::exec(std::string_view sql)
{
  if (mPg)
  {
    mPg->exec(sql);
    return;
  }
  const std::string text(sql);
  char *error = nullptr;
  const int rc = sqlite3_exec(mDb, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK)
  {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError(sqlite3_extended_errcode(mDb), message, text);
  }
}

std::int64_t Database::scalarInt(std::string_view sql, std::int64_t fallback)
{
  Query q = query(sql);
  if (!q.step() || q->isNull(0))
    return fallback;
  return q->columnInt(0);
}

std::int64_t Database::lastInsertRowId() const
{
  if (mPg)
    throw StoreError(0, "lastInsertRowId() is SQLite's: the statement should say RETURNING id");
  return sqlite3_last_insert_rowid(mDb);
}

int Database::changes() const
{
  if (mPg)
    return mPg->changes();
  return sqlite3_changes(mDb);
}

bool Database::inTransaction() const
{
  if (mPg)
    return mPg->inTransaction();
  return sqlite3_get_autocommit(mDb) == 0;
}

bool Database::writeLockShared() const
{
  return mPg && mPg->inTransaction() && mPg->writeLockShared();
}

// ---- Transaction ----------------------------------------------------------------------

Transaction::Transaction(Database &db, Kind kind)
  : mDb(db)
{
  if (mDb.isPostgres())
  {
    if (kind == Kind::Deferred)
    {
      // A reader's snapshot, as SQLite's deferred transaction gives it.
      mDb.exec("BEGIN ISOLATION LEVEL REPEATABLE READ");
      return;
    }
    // One writer at a time, as on SQLite (PgConnection::beginWrite() says why), or several
    // whose writes cannot conflict (ImmediateShared).
    mDb.postgres()->beginWrite(kind == Kind::ImmediateShared);
    return;
  }
  if (kind == Kind::Deferred)
  {
    mDb.exec("BEGIN DEFERRED");
    return;
  }
  // The busy handler waits inside BEGIN; SQLite skips it in a few cases (a lock met while the
  // WAL index is being rebuilt), so busy answers are tried again until the same bound.
  const auto start = std::chrono::steady_clock::now();
  const auto limit = std::chrono::milliseconds(mDb.busyTimeoutMs());
  for (;;)
  {
    try
    {
      mDb.exec("BEGIN IMMEDIATE");
      return;
    }
    catch (const StoreError &error)
    {
      if (error.primaryCode() != SQLITE_BUSY)
        throw;
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      if (waited >= limit)
        throw StoreError(error.code(),
                         mDb.path().string() + ": the store stayed locked by another writer (a gateway, a console or "
                         "griddispatch-ctl) for " + std::to_string(waited.count()) + " ms; nothing was changed, try again",
                         "BEGIN IMMEDIATE");
      std::this_thread::sleep_for(std::chrono::microseconds(Database::kBusyPollMicros));
    }
  }
}

namespace {
//! Runs \a sql ignoring any failure (a rollback on a connection that may be gone).
void quietly(Database &db, const char *sql) noexcept
{
  try
  {
    if (db.isPostgres())
      db.exec(sql);
    else
      sqlite3_exec(db.handle(), sql, nullptr, nullptr, nullptr);
  }
  catch (...)
  {
  }
}
} // namespace

Transaction::~Transaction()
{
  if (!mDone && mDb.inTransaction())
    quietly(mDb, "ROLLBACK");
}

void Transaction::commit()
{
  mDb.exec("COMMIT");
  mDone = true;
}

// ---- Savepoint ------------------------------------------------------------------------

Savepoint::Savepoint(Database &db)
  : mDb(db)
{
  // Prepared once per connection (the writer opens one per job and per frame); PostgreSQL
  // takes transaction control only as plain statements.
  if (mDb.isPostgres() && !mDb.inTransaction())
  {
    // SQLite's SAVEPOINT outside a transaction begins one; PostgreSQL refuses it. The same
    // meaning there: a write transaction (with the store's write lock) that release() commits.
    mOwn = std::make_unique<Transaction>(mDb);
    return;
  }
  if (mDb.isPostgres())
    mDb.postgres()->defer("SAVEPOINT gd_savepoint"); // sent with the next statement, in its round trip
  else
    mDb.query("SAVEPOINT gd_savepoint").run();
}

Savepoint::~Savepoint()
{
  rollback();
}

void Savepoint::release()
{
  if (mOwn)
  {
    mOwn->commit();
    mOwn.reset();
    mDone = true;
    return;
  }
  if (mDb.isPostgres())
    mDb.postgres()->defer("RELEASE SAVEPOINT gd_savepoint"); // likewise (a COMMIT after it: the same text)
  else
    mDb.query("RELEASE gd_savepoint").run();
  mDone = true;
}

void Savepoint::rollback() noexcept
{
  if (mDone)
    return;
  mDone = true;
  if (mOwn)
  {
    mOwn.reset(); // rolls back
    return;
  }
  if (mDb.inTransaction())
  {
    quietly(mDb, "ROLLBACK TO SAVEPOINT gd_savepoint");
    quietly(mDb, "RELEASE SAVEPOINT gd_savepoint");
  }
}

} // namespace gd::store
