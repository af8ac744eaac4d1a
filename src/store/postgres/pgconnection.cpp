#include "store/postgres/pgconnection.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/storeerror.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <charconv>
#include <poll.h>
#include <cstdlib>
#include <cstring>

namespace gd::store::pg {

namespace {

//! The statement every write transaction begins with (Transaction::kPostgresWriteLock).
const std::string kWriteLockSql =
  "SELECT pg_advisory_xact_lock(" + std::to_string(Transaction::kPostgresWriteLock) + ")";
//! The same lock taken shared (PgConnection::beginWrite(true)).
const std::string kSharedWriteLockSql =
  "SELECT pg_advisory_xact_lock_shared(" + std::to_string(Transaction::kPostgresWriteLock) + ")";

constexpr unsigned kByteaOid = 17;
constexpr unsigned kBoolOid = 16;

std::string trimmed(std::string text)
{
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

void ignoreNotice(void *, const char *)
{
  // NOTICEs ("relation … already exists, skipping") are for people at psql, not for a log.
}

int hexValue(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::vector<std::uint8_t> fromHex(const char *text, std::size_t length)
{
  std::vector<std::uint8_t> out;
  if (length % 2 != 0)
    return out;
  out.reserve(length / 2);
  for (std::size_t i = 0; i + 1 < length; i += 2)
  {
    const int hi = hexValue(text[i]);
    const int lo = hexValue(text[i + 1]);
    if (hi < 0 || lo < 0)
      return {};
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

} // namespace

std::string translatePlaceholders(std::string_view sql, int *count)
{
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  std::size_t i = 0;
  while (i < sql.size())
  {
    const char c = sql[i];
    if (c == '\'' || c == '"')
    {
      // A quoted string or identifier; a doubled quote stays inside it.
      const std::size_t start = i++;
      while (i < sql.size())
      {
        if (sql[i] == c)
        {
          if (i + 1 < sql.size() && sql[i + 1] == c)
          {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
      out.append(sql.substr(start, i - start));
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-')
    {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*')
    {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (c == '?')
    {
      std::size_t j = i + 1;
      int number = 0;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9')
        number = number * 10 + (sql[j++] - '0');
      if (j == i + 1)
        number = highest + 1; // SQLite: a bare ? is one above the largest number so far
      highest = std::max(highest, number);
      out += '$';
      out += std::to_string(number);
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  if (count)
    *count = highest;
  return out;
}

bool writesData(std::string_view sql)
{
  // The words outside quotes and comments, upper-cased, as far as needed.
  const auto isWordChar = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  };
  const auto upper = [](std::string_view word) {
    std::string out(word);
    for (char &c : out)
      if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    return out;
  };
  const auto isWrite = [](const std::string &word) {
    return word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "MERGE" || word == "TRUNCATE" ||
           word == "COPY";
  };
  bool first = true;
  std::size_t i = 0;
  while (i < sql.size())
  {
    const char c = sql[i];
    if (c == '\'' || c == '"')
    {
      const std::size_t end = sql.find(c, i + 1);
      i = end == std::string_view::npos ? sql.size() : end + 1; // a doubled quote: two strings, same effect
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-')
    {
      const std::size_t end = sql.find('\n', i);
      i = end == std::string_view::npos ? sql.size() : end;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*')
    {
      const std::size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
      continue;
    }
    if (!isWordChar(c))
    {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < sql.size() && isWordChar(sql[end]))
      ++end;
    const std::string word = upper(sql.substr(i, end - i));
    i = end;
    if (first)
    {
      // A statement writes by its first word, or (WITH) by a data-modifying CTE in it.
      if (isWrite(word))
        return true;
      if (word != "WITH")
        return false;
      first = false;
      continue;
    }
    if (isWrite(word))
      return true;
  }
  return false;
}

int sqliteCodeFor(std::string_view state)
{
  if (state == "23505")
    return SQLITE_CONSTRAINT_UNIQUE;
  if (state == "23503")
    return SQLITE_CONSTRAINT_FOREIGNKEY;
  if (state == "23514")
    return SQLITE_CONSTRAINT_CHECK;
  if (state == "23502")
    return SQLITE_CONSTRAINT_NOTNULL;
  if (state.substr(0, 2) == "23")
    return SQLITE_CONSTRAINT;
  if (state == "P0001")
    return SQLITE_CONSTRAINT_TRIGGER; // RAISE EXCEPTION in a trigger, as SQLite's RAISE(ABORT)
  if (state == "55P03" || state == "40P01" || state == "40001")
    return SQLITE_BUSY;
  if (state == "53100")
    return SQLITE_FULL;
  if (state == "53200")
    return SQLITE_NOMEM;
  if (state == "25006")
    return SQLITE_READONLY;
  if (state.substr(0, 2) == "08" || state.substr(0, 3) == "57P")
    return SQLITE_CANTOPEN;
  return SQLITE_ERROR;
}

// ---- PgConnection ----------------------------------------------------------------------

PgConnection::PgConnection(const StoreLocation &location, bool readOnly, int lockTimeoutMs)
  : mLocation(location)
  , mReadOnly(readOnly)
  , mLockTimeoutMs(lockTimeoutMs)
{
  connect();
}

PgConnection::~PgConnection()
{
  if (mConn)
    PQfinish(mConn);
}

void PgConnection::connect()
{
  if (mConn)
  {
    PQfinish(mConn);
    mConn = nullptr;
  }
  mConn = PQconnectdb(mLocation.conninfo().c_str());
  if (!mConn || PQstatus(mConn) != CONNECTION_OK)
  {
    // libpq's message names the hosts it tried and why, never the password.
    std::string reason = mConn ? trimmed(PQerrorMessage(mConn)) : std::string("out of memory");
    // libpq says "SSL error: certificate verify failed" or "server certificate for … does not
    // match host name …": true, but not which file decides. (Said before any password is sent.)
    if (reason.find("certificate") != std::string::npos)
      reason += " (the server's TLS certificate was not accepted: sslrootcert, by default "
                "~/.postgresql/root.crt, must hold the certificate of the CA that signed it, and with "
                "sslmode=verify-full the certificate must name the host given)";
    if (mConn)
      PQfinish(mConn);
    mConn = nullptr;
    throw StoreError("08001", SQLITE_CANTOPEN, "cannot connect to the store " + mLocation.display() + ": " + reason,
                     std::string());
  }
  PQsetNoticeProcessor(mConn, ignoreNotice, nullptr);
  if (PQsetClientEncoding(mConn, "UTF8") != 0)
    fail(nullptr, "SET client_encoding");
  // synchronous_commit on whatever the server's default: an ack is given after COMMIT and must
  // mean the commit is durable (and, with a synchronous standby, on the standby too).
  std::string settings = "SET synchronous_commit = on; SET application_name = 'griddispatch'; "
                         "SET lock_timeout = " + std::to_string(mLockTimeoutMs) + ";";
  if (mReadOnly)
    settings += " SET default_transaction_read_only = on;";
  exec(settings);
  refreshGeometryType();
}

void PgConnection::setLockTimeout(int milliseconds)
{
  // The server waits for locks; lock_timeout bounds the wait (0 would mean forever there:
  // "fail at once" is 1 ms).
  mLockTimeoutMs = milliseconds > 0 ? milliseconds : 1;
  exec("SET lock_timeout = " + std::to_string(mLockTimeoutMs));
}

void PgConnection::beginWrite(bool shared)
{
  // One writer at a time, as on SQLite: the store's operations read, decide and write (a
  // case's state, a day's number counter, a device's last frame) and rely on nobody writing
  // between. A transaction-scoped advisory lock gives that across every seat and gateway on
  // the database; lock_timeout bounds the wait as the busy timeout does on a file.
  // BEGIN and the lock in one round trip (a group's BEGIN is on the path of every ack);
  // nothing is deferred outside a transaction, so exec()'s queue has nothing to send first.
  flushDeferred();
  const std::string &lockSql = shared ? kSharedWriteLockSql : kWriteLockSql;
  mWriteShared = shared;
  PGresult *result = PQexec(mConn, ("BEGIN; " + lockSql).c_str());
  if (PQresultStatus(result) == PGRES_TUPLES_OK)
  {
    PQclear(result);
    return;
  }
  mWriteShared = false;
  try
  {
    fail(result, lockSql);
  }
  catch (const StoreError &error)
  {
    mChanges = 0;
    PQclear(PQexec(mConn, "ROLLBACK"));
    if (error.primaryCode() != SQLITE_BUSY)
      throw;
    throw StoreError(error.sqlState(), error.code(),
                     mLocation.display() + ": the store stayed locked by another writer (a gateway, a console or "
                                           "griddispatch-ctl) for " + std::to_string(mLockTimeoutMs) +
                       " ms; nothing was changed, try again",
                     shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock");
  }
}

void PgConnection::refreshGeometryType()
{
  PGresult *result = PQexec(mConn, "SELECT COALESCE(to_regtype('geometry')::oid, 0)");
  if (PQresultStatus(result) != PGRES_TUPLES_OK)
    fail(result, "to_regtype('geometry')");
  mGeometryOid = static_cast<unsigned>(std::strtoul(PQgetvalue(result, 0, 0), nullptr, 10));
  PQclear(result);
}

void PgConnection::reconnect()
{
  ++mGeneration;
  mStatements = 0;
  mDeferred.clear(); // of the transaction the old connection lost
  connect();
}

void PgConnection::flushDeferred()
{
  if (!mDeferred.empty())
    exec({});
}

void PgConnection::exec(std::string_view sql)
{
  std::string text;
  if (!mDeferred.empty())
  {
    // A rollback of the whole transaction undoes whatever is queued: not sent at all (a
    // RELEASE in front of it would fail in an aborted transaction and keep it from running).
    if (sql != "ROLLBACK")
      for (const std::string &deferred : mDeferred)
        text.append(deferred).append("; ");
    mDeferred.clear();
  }
  if (sql.empty() && !text.empty())
    text.resize(text.size() - 2);
  else
    text.append(sql);
  PGresult *result = PQexec(mConn, text.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    fail(result, text);
  const char *tuples = PQcmdTuples(result);
  mChanges = tuples && *tuples ? std::atoi(tuples) : 0;
  PQclear(result);
}

bool PgConnection::inTransaction() const
{
  const PGTransactionStatusType status = PQtransactionStatus(mConn);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool PgConnection::waitForNotification(int timeoutMs)
{
  const auto drain = [this] {
    bool any = false;
    while (PGnotify *notify = PQnotifies(mConn))
    {
      any = true;
      PQfreemem(notify);
    }
    return any;
  };
  if (!mConn)
    fail(nullptr, "LISTEN");
  if (PQconsumeInput(mConn) == 0)
    fail(nullptr, "LISTEN");
  if (drain())
    return true;
  const int socket = PQsocket(mConn);
  if (socket < 0)
    fail(nullptr, "LISTEN");
  pollfd watch{socket, POLLIN, 0};
  const int ready = ::poll(&watch, 1, timeoutMs);
  if (ready <= 0)
    return false;
  if (PQconsumeInput(mConn) == 0)
    fail(nullptr, "LISTEN");
  return drain();
}

bool PgConnection::connected() const
{
  return mConn && PQstatus(mConn) == CONNECTION_OK;
}

void PgConnection::fail(pg_result *result, std::string_view sql) const
{
  std::string state;
  std::string message;
  if (result)
  {
    if (const char *s = PQresultErrorField(result, PG_DIAG_SQLSTATE))
      state = s;
    if (const char *m = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY))
      message = m;
    if (const char *d = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL))
      message += std::string(" (") + d + ")";
    PQclear(result);
  }
  if (message.empty())
    message = trimmed(PQerrorMessage(mConn));
  // An error without SQLSTATE was made by libpq, not sent by the server: the connection broke
  // ("server closed the connection unexpectedly", "no connection to the server").
  if (PQstatus(mConn) == CONNECTION_BAD || state.empty())
  {
    if (state.empty() || state.substr(0, 2) != "57")
      state = "08006";
    message = "the connection to the store " + mLocation.display() + " was lost: " + message;
  }
  if (state.empty())
    state = "XX000";
  throw StoreError(state, sqliteCodeFor(state), message, std::string(sql));
}

// ---- PgStatement -----------------------------------------------------------------------

PgStatement::PgStatement(PgConnection &connection, std::string_view sql)
  : mConnection(connection)
  , mSql(sql)
{
  mTranslated = translatePlaceholders(sql, &mParamCount);
  mWrites = writesData(sql);
  mParams.resize(static_cast<std::size_t>(mParamCount));
}

PgStatement::~PgStatement()
{
  if (mResult)
    PQclear(mResult);
  // A statement made for one use (the same SQL already borrowed) is dropped on the server too;
  // cached ones live as long as their connection.
  if (mPrepared && !mConnection.closing() && mPreparedGeneration == mConnection.generation() && PQstatus(mConnection.mConn) == CONNECTION_OK &&
      PQtransactionStatus(mConnection.mConn) != PQTRANS_INERROR)
  {
    const std::string sql = "DEALLOCATE " + mName;
    PQclear(PQexec(mConnection.mConn, sql.c_str()));
  }
}

PgStatement::Param &PgStatement::param(int index)
{
  if (index < 1 || index > mParamCount)
    throw StoreError("42P02", SQLITE_RANGE,
                     "parameter " + std::to_string(index) + " is out of range (the statement has " +
                       std::to_string(mParamCount) + ")",
                     mSql);
  return mParams[static_cast<std::size_t>(index - 1)];
}

void PgStatement::bindText(int index, std::string_view text)
{
  Param &p = param(index);
  p.kind = Param::Kind::Text;
  p.text.assign(text.data() ? text.data() : "", text.size());
}

void PgStatement::bindBlob(int index, const std::vector<std::uint8_t> &blob)
{
  Param &p = param(index);
  p.kind = Param::Kind::Blob;
  p.blob = blob;
}

void PgStatement::bindNull(int index)
{
  param(index).kind = Param::Kind::Null;
}

void PgStatement::prepare()
{
  // PostGIS may have come after the connection (a store created on it): its type is looked up
  // again, or a geometry would be sent as the GeoPackage blob it is bound as.
  if (mConnection.geometryOid() == 0)
    mConnection.refreshGeometryType();
  mName = mConnection.nextStatementName();
  PGresult *result = PQprepare(mConnection.mConn, mName.c_str(), mTranslated.c_str(), mParamCount, nullptr);
  if (PQresultStatus(result) != PGRES_COMMAND_OK)
    mConnection.fail(result, mSql);
  PQclear(result);
  result = PQdescribePrepared(mConnection.mConn, mName.c_str());
  if (PQresultStatus(result) != PGRES_COMMAND_OK)
    mConnection.fail(result, mSql);
  mParamTypes.assign(static_cast<std::size_t>(mParamCount), 0);
  for (int i = 0; i < PQnparams(result) && i < mParamCount; ++i)
    mParamTypes[static_cast<std::size_t>(i)] = PQparamtype(result, i);
  PQclear(result);
  mPrepared = true;
  mPreparedGeneration = mConnection.generation();
}

void PgStatement::execute()
{
  if (!mPrepared || mPreparedGeneration != mConnection.generation())
    prepare();
  std::vector<const char *> values(static_cast<std::size_t>(mParamCount), nullptr);
  std::vector<int> lengths(static_cast<std::size_t>(mParamCount), 0);
  std::vector<int> formats(static_cast<std::size_t>(mParamCount), 0);
  std::vector<std::vector<std::uint8_t>> converted;
  converted.reserve(static_cast<std::size_t>(mParamCount));
  for (std::size_t i = 0; i < mParams.size(); ++i)
  {
    const Param &p = mParams[i];
    switch (p.kind)
    {
      case Param::Kind::Null:
        break;
      case Param::Kind::Text:
        values[i] = p.text.c_str();
        break;
      case Param::Kind::Blob:
      {
        const std::vector<std::uint8_t> *bytes = &p.blob;
        if (mConnection.geometryOid() != 0 && mParamTypes[i] == mConnection.geometryOid())
        {
          converted.push_back(geopackage::toEwkb(p.blob));
          bytes = &converted.back();
        }
        // A zero-length binary value is '' (not NULL): any non-null pointer will do.
        values[i] = bytes->empty() ? "" : reinterpret_cast<const char *>(bytes->data());
        lengths[i] = static_cast<int>(bytes->size());
        formats[i] = 1;
        break;
      }
    }
  }
  // A write outside any transaction (autocommit) is a write transaction of its own, with the
  // store's write lock (PgConnection::beginWrite()): on SQLite every write takes the file's
  // write lock, so one writer at a time holds for a lone INSERT or UPDATE too, not only for
  // the Transactions and WriteScopes the store's operations open. (Deferred savepoints exist
  // only inside a transaction, so such a write has none to send.)
  PGconn *const conn = mConnection.mConn;
  const bool ownTransaction = mWrites && PQtransactionStatus(conn) == PQTRANS_IDLE;
  if (ownTransaction)
    mConnection.beginWrite();
  if (mConnection.mDeferred.empty())
    mResult = PQexecPrepared(conn, mName.c_str(), mParamCount, values.data(), lengths.data(), formats.data(), 0);
  else
    mResult = executePipelined(values.data(), lengths.data(), formats.data());
  const ExecStatusType status = PQresultStatus(mResult);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
  {
    PGresult *failed = mResult;
    mResult = nullptr;
    if (!ownTransaction)
      mConnection.fail(failed, mSql);
    try
    {
      mConnection.fail(failed, mSql);
    }
    catch (const StoreError &)
    {
      if (PQstatus(conn) == CONNECTION_OK)
        PQclear(PQexec(conn, "ROLLBACK"));
      throw;
    }
  }
  if (ownTransaction)
  {
    PGresult *committed = PQexec(conn, "COMMIT");
    if (PQresultStatus(committed) != PGRES_COMMAND_OK)
    {
      PQclear(mResult);
      mResult = nullptr;
      mConnection.fail(committed, "COMMIT");
    }
    PQclear(committed);
  }
  mRows = PQntuples(mResult);
  const char *tuples = PQcmdTuples(mResult);
  mConnection.setChanges(tuples && *tuples ? std::atoi(tuples) : 0);
  mRow = -1;
  mExecuted = true;
}

pg_result *PgStatement::executePipelined(const char *const *values, const int *lengths, const int *formats)
{
  // What the connection deferred (savepoints), then this statement: one round trip.
  pg_conn *const conn = mConnection.mConn;
  std::vector<std::string> deferred;
  deferred.swap(mConnection.mDeferred);
  bool sent = PQenterPipelineMode(conn) == 1;
  for (const std::string &sql : deferred)
    sent = sent && PQsendQueryParams(conn, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  sent = sent && PQsendQueryPrepared(conn, mName.c_str(), mParamCount, values, lengths, formats, 0) == 1;
  sent = sent && PQpipelineSync(conn) == 1;
  if (!sent)
  {
    // Nothing usable was sent (the connection is gone): its own error says why.
    PQexitPipelineMode(conn);
    mConnection.fail(nullptr, deferred.empty() ? mSql : deferred.front());
  }
  // One result per query (then a null), then the sync's. The first failure is the one to tell:
  // every query after it in the pipeline is only aborted.
  PGresult *failed = nullptr;
  std::string failedSql;
  PGresult *mine = nullptr;
  bool broken = false;
  for (std::size_t i = 0; i <= deferred.size() && !broken; ++i)
  {
    PGresult *r = PQgetResult(conn);
    if (!r)
    {
      broken = true;
      break;
    }
    const ExecStatusType status = PQresultStatus(r);
    if (i == deferred.size() && (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK))
      mine = r;
    else if (!failed && status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_PIPELINE_ABORTED)
    {
      failed = r;
      failedSql = i < deferred.size() ? deferred[i] : mSql;
    }
    else
      PQclear(r);
    while (PGresult *extra = PQgetResult(conn)) // the null that ends this query's results
      PQclear(extra);
  }
  if (!broken)
  {
    if (PGresult *sync = PQgetResult(conn))
      PQclear(sync); // PGRES_PIPELINE_SYNC
    else
      broken = true;
  }
  PQexitPipelineMode(conn);
  if (failed || broken || !mine)
  {
    if (mine)
      PQclear(mine);
    mConnection.fail(failed, failed ? failedSql : mSql);
  }
  return mine;
}

bool PgStatement::step()
{
  if (!mExecuted)
    execute();
  if (mRow < mRows)
    ++mRow;
  return mRow < mRows;
}

void PgStatement::reset() noexcept
{
  if (mResult)
  {
    PQclear(mResult);
    mResult = nullptr;
  }
  mExecuted = false;
  mRow = -1;
  mRows = 0;
  for (Param &p : mParams)
  {
    p.kind = Param::Kind::Null;
    p.text.clear();
    p.blob.clear();
  }
}

const char *PgStatement::value(int column) const
{
  if (!mResult || mRow < 0 || mRow >= mRows || column < 0 || column >= PQnfields(mResult) ||
      PQgetisnull(mResult, mRow, column))
    return nullptr;
  return PQgetvalue(mResult, mRow, column);
}

bool PgStatement::isNull(int column) const
{
  return value(column) == nullptr;
}

std::int64_t PgStatement::columnInt(int column) const
{
  const char *text = value(column);
  if (!text)
    return 0;
  if (PQftype(mResult, column) == kBoolOid)
    return text[0] == 't' ? 1 : 0;
  std::int64_t out = 0;
  const char *end = text + std::strlen(text);
  const auto [ptr, ec] = std::from_chars(text, end, out);
  if (ec == std::errc() && ptr == end)
    return out;
  // numeric or double text (sum(), avg()): as SQLite converts a real to an integer.
  return static_cast<std::int64_t>(std::strtod(text, nullptr));
}

double PgStatement::columnDouble(int column) const
{
  const char *text = value(column);
  if (!text)
    return 0.0;
  if (PQftype(mResult, column) == kBoolOid)
    return text[0] == 't' ? 1.0 : 0.0;
  return std::strtod(text, nullptr);
}

std::string PgStatement::columnText(int column) const
{
  const char *text = value(column);
  if (!text)
    return std::string();
  return std::string(text, static_cast<std::size_t>(PQgetlength(mResult, mRow, column)));
}

std::vector<std::uint8_t> PgStatement::columnBlob(int column) const
{
  const char *text = value(column);
  if (!text)
    return {};
  const unsigned type = PQftype(mResult, column);
  const std::size_t length = static_cast<std::size_t>(PQgetlength(mResult, mRow, column));
  if (type == kByteaOid)
  {
    std::size_t size = 0;
    unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &size);
    std::vector<std::uint8_t> out(bytes, bytes + size);
    PQfreemem(bytes);
    return out;
  }
  if (mConnection.geometryOid() != 0 && type == mConnection.geometryOid())
    return geopackage::fromEwkb(fromHex(text, length)); // geometry's text output is hex EWKB
  return std::vector<std::uint8_t>(text, text + length);
}

int PgStatement::columnKind(int column) const
{
  if (!value(column))
    return 0;
  const unsigned type = PQftype(mResult, column);
  switch (type)
  {
    case 16: // bool
    case 20: // int8
    case 21: // int2
    case 23: // int4
      return 1;
    case 700:  // float4
    case 701:  // float8
    case 1700: // numeric
      return 2;
    case kByteaOid:
      return 4;
    default:
      return mConnection.geometryOid() != 0 && type == mConnection.geometryOid() ? 4 : 3;
  }
}

int PgStatement::columnCount() const
{
  return mResult ? PQnfields(mResult) : 0;
}

std::string PgStatement::columnName(int column) const
{
  const char *name = mResult ? PQfname(mResult, column) : nullptr;
  return name ? name : "";
}

} // namespace gd::store::pg
