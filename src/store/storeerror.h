#pragma once

#include <stdexcept>
#include <string>

namespace gd::store {

/**
 * A failure of the store: carries the SQLite extended result code and the statement that
 * failed, so a caller can tell "busy" from "constraint" from "corrupt" without parsing text.
 * Code 0 means a store-level problem that did not come from SQLite (a bad file, a newer schema).
 */
class StoreError : public std::runtime_error
{
  public:
    StoreError(int extendedCode, const std::string &message, std::string sql = std::string());

    //! The SQLite extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE), 0 when not from SQLite.
    int code() const { return mCode; }
    //! The primary result code (code() & 0xff), e.g. SQLITE_CONSTRAINT.
    int primaryCode() const { return mCode & 0xff; }
    //! The SQL text of the failing statement, empty when none.
    const std::string &sql() const { return mSql; }
    //! SQLITE_FULL, or an I/O error (what a write to a full disk, e.g. of the -shm file, may give).
    bool isDiskFull() const;

  private:
    int mCode = 0;
    std::string mSql;
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
