#pragma once
// Changing a store's audit tables behind the program's back, as someone with the database's
// own administrator rights can: on the file through the sqlite3 library with the append-only
// triggers dropped first (the sqlite3 shell can); on PostgreSQL as the cluster's superuser
// with the triggers switched off for the session.

#include "storebackend.h"

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace gd::store::test {

inline void tamperAudit(const TestStore &store, const std::string &sql)
{
  if (storesOnPostgres())
  {
    adminSqlIn(store.databaseName(), "SET session_replication_role = replica; " + sql);
    return;
  }
  sqlite3 *raw = nullptr;
  if (sqlite3_open(store.location().path().c_str(), &raw) != SQLITE_OK)
    throw std::runtime_error("cannot open " + store.location().path().string());
  char *error = nullptr;
  const std::string all = "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; "
                          "DROP TRIGGER IF EXISTS audit_seals_no_update; DROP TRIGGER IF EXISTS audit_seals_no_delete; " +
                          sql;
  const int rc = sqlite3_exec(raw, all.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(raw);
  if (rc != SQLITE_OK)
    throw std::runtime_error("tamper: " + message);
}

} // namespace gd::store::test
