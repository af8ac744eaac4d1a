#pragma once

#include <stdexcept>
#include <string>

namespace gd::store {

/**
 * A failure of the store: carries the SQLite extended result code and the statement that
 * failed, so a caller can tell "busy" from "constraint" from "corrupt" without parsing text.
 * Code 0 means a store-level problem that did not come from SQLite (a bad file, a newer schema).
 *
 * On PostgreSQL the error's SQLSTATE is kept (sqlState()) and code() is the SQLite code of the
 * same kind (23505 unique_violation → SQLITE_CONSTRAINT_UNIQUE, 55P03 lock_not_available →
 * SQLITE_BUSY, 53100 disk_full → SQLITE_FULL …), so callers test one thing on both backends.
 */
class StoreError : public std::runtime_error
{
  public:
    StoreError(int extendedCode, const std::string &message, std::string sql = std::string());
    //! A PostgreSQL error: its SQLSTATE and the SQLite code of the same kind.
    StoreError(std::string sqlState, int extendedCode, const std::string &message, std::string sql);

    //! The SQLite extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE), 0 when not from SQLite.
    int code() const { return mCode; }
    //! The primary result code (code() & 0xff), e.g. SQLITE_CONSTRAINT.
    int primaryCode() const { return mCode & 0xff; }
    //! The SQL text of the failing statement, empty when none.
    const std::string &sql() const { return mSql; }
    //! SQLITE_FULL, or an I/O error (what a write to a full disk, e.g. of the -shm file, may give).
    bool isDiskFull() const;
    //! PostgreSQL's SQLSTATE (e.g. "23505"), empty for SQLite and store-level errors.
    const std::string &sqlState() const { return mSqlState; }
    /**
     * The connection to the database server was lost or could not be made (SQLSTATE class 08,
     * 57P01..57P03 shutdown/crash, or libpq found the connection bad): nothing of the open
     * transaction was committed; Database::reconnect() and try again.
     */
    bool isConnectionLost() const;

  private:
    int mCode = 0;
    std::string mSql;
    std::string mSqlState;
};

/**
 * A request the store refuses because of its content (an unknown case, a transition the
 * workflow does not allow, a duplicate device): nothing was written.
 */
class StoreRefusal : public std::runtime_error
{
  public:
    StoreRefusal(std::string reasonCode, const std::string &message)
      : std::runtime_error(message)
      , mReason(std::move(reasonCode))
    {}
    //! A stable machine-readable reason, e.g. "unknown_case", "bad_transition", "forbidden".
    const std::string &reason() const { return mReason; }

  private:
    std::string mReason;
};

} // namespace gd::store
