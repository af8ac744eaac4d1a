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

bool StoreError::isDiskFull() const
{
  return primaryCode() == SQLITE_FULL || primaryCode() == SQLITE_IOERR;
}

} // namespace gd::store
