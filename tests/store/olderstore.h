#pragma once
// Stores at an older schema revision with real cases in them, for migration tests: the cases
// are made by the current CaseStore (so they are what the workflow writes) and copied, row for
// row, into a store created at the older revision.

#include "store/database.h"
#include "store/schema.h"

#include <filesystem>
#include <string>

namespace gd::store::test {

//! The columns of \a table in \a db, in order, comma-separated (as an INSERT's column list).
inline std::string columnList(Database &db, const std::string &table)
{
  std::string list;
  auto q = db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bindAll(table);
  while (q.step())
    list += (list.empty() ? "" : ", ") + q->columnText(0);
  return list;
}

/**
 * Creates \a older at schema revision \a revision (2 .. Schema::kRevision - 1) and copies into
 * it every case, event and number counter of the store at \a current (a file at the current
 * revision whose cases have no imported history rows). Columns the older revision lacks are left out.
 */
inline void makeOlderStore(const std::filesystem::path &current, const std::filesystem::path &older, int revision)
{
  Database db(older, Database::Mode::ReadWriteCreate);
  Schema::migrate(db, revision);
  db.query("ATTACH DATABASE ? AS cur").bindAll(current.string()).run();
  // Table and column names come from the schema itself, never from input.
  db.exec("BEGIN");
  for (const std::string table : {"cases", "case_events", "case_number_counters"})
  {
    const std::string columns = columnList(db, table);
    db.exec("INSERT INTO main." + table + " (" + columns + ") SELECT " + columns + " FROM cur." + table);
  }
  db.exec("COMMIT");
  db.exec("DETACH DATABASE cur");
}

} // namespace gd::store::test
