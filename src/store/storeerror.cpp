#include "store/storeerror.h"

#include <sqlite3.h>

namespace gd::store {

namespace {
std::string describe(int code, const std::string &message, const std::string &sql)
{
  std::string text = message;
  if (code != 0)
    text += " (SQLite code " + std::to_string(code) + ")";
  if (!sql.empty())
    text += " in: " + sql;
  return text;
}
} // namespace

StoreError::StoreError(int extendedCode, const std::string &message, std::string sql)
  : std::runtime_error(describe(extendedCode, message, sql))
  , mCode(extendedCode)
  , mSql(std::move(sql))
{}

StoreError::StoreError(std::string sqlState, int extendedCode, const std::string &message, std::string sql)
  : std::runtime_error(message + " (PostgreSQL SQLSTATE " + sqlState + ")" + (sql.empty() ? "" : " in: " + sql))
  , mCode(extendedCode)
  , mSql(std::move(sql))
  , mSqlState(std::move(sqlState))
{}

bool StoreError::isConnectionLost() const
{
  return mSqlState.rfind("08", 0) == 0 || mSqlState == "57P01" || mSqlState == "57P02" || mSqlState == "57P03";
}

bool StoreError::isDiskFull() const
{
  return primaryCode() == SQLITE_FULL || primaryCode() == SQLITE_IOERR;
}

} // namespace gd::store
