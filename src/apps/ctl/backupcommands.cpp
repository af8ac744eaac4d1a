#include "apps/ctl/backupcommands.h"

#include "apps/ctl/ctloptions.h"
#include "store/audit/configaudit.h"
#include "store/backup/storebackup.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace gd::apps::ctl {

namespace {

using nlohmann::json;
namespace backup = store::backup;

int keepOption(const CommandLine &cli)
{
  const auto text = cli.value("keep");
  if (!text)
    return 0;
  try
  {
    std::size_t used = 0;
    const int n = std::stoi(*text, &used);
    if (used == text->size() && n >= 1)
      return n;
  }
  catch (const std::exception &)
  {
  }
  throw UsageError("--keep '" + *text + "' is not a whole number of backups (1 or more)");
}

//! A refused or failed restore into a target that is a store already leaves its row there.
void recordRefusal(const store::StoreLocation &target, const std::string &file, const std::string &why)
{
  try
  {
    if (!target.isPostgres() && !std::filesystem::exists(target.path()))
      return;
    store::Database db(target);
    if (store::Schema::revision(db) == 0)
      return;
    store::audit::Entry e;
    e.actor = store::audit::osActor();
    e.action = "store_restore";
    e.object = file;
    e.outcome = store::audit::Outcome::Refused;
    e.reason = why;
    store::audit::AuditLog(db).record(e);
  }
  catch (const std::exception &)
  {
    // Not a store of this revision: nothing to record it in.
  }
}

} // namespace

void declareBackupOptions(CommandLine &cli)
{
  cli.addOption("keep", "N", "backup: keep the newest N backups of this store in --out, remove older ones");
  cli.addFlag("force", "restore: overwrite a target that holds data");
}

const char *backupCommandsHelp()
{
  return "  backup --out DIR          an online backup of the store while it is written (GeoPackage:\n"
         "                            SQLite's backup API; PostgreSQL: pg_dump -Fc), named with the\n"
         "                            time, checked, with a manifest (SHA-256, SM3, schema revision,\n"
         "                            rows per table); --keep N removes this store's older backups\n"
         "  restore --from FILE       restore a backup into --db (a new file, or an empty database;\n"
         "                            --force overwrites); refuses a file that does not match its\n"
         "                            manifest, then verifies the restored store\n";
}

int runBackupCommand(const CommandLine &cli, std::ostream &out, std::ostream &)
{
  const auto dir = cli.value("out");
  if (!dir)
    throw UsageError("backup needs --out DIR (where the backup and its manifest are written)");
  const int keep = keepOption(cli);
  auto db = store::Schema::open(dbLocation(cli));
  const auto result = backup::backupStore(*db, *dir, store::audit::osActor(), keep);
  const auto &m = result.content;
  if (cli.has("json"))
  {
    json removed = json::array();
    for (const auto &r : result.removed)
      removed.push_back(r.string());
    out << json{{"file", result.file.string()}, {"manifest", result.manifest.string()}, {"sha256", m.sha256},
                {"sm3", m.sm3},   {"bytes", m.bytes},     {"seconds", m.seconds}, {"schema_revision", m.schemaRevision},
                {"cases", m.rowsOf("cases")}, {"audit_rows", m.rowsOf("audit_log")}, {"removed", removed}}
             .dump(2)
        << "\n";
    return 0;
  }
  out << "backed up " << m.store << " into " << result.file.string() << " (" << m.bytes << " bytes, "
      << static_cast<long long>(m.seconds * 1000) << " ms; schema revision " << m.schemaRevision << ", "
      << m.rowsOf("cases") << " case(s), " << m.rowsOf("case_events") << " event row(s), " << m.rowsOf("audit_log")
      << " audit row(s))\nSM3 " << m.sm3 << "\nmanifest " << result.manifest.string() << "\n";
  for (const auto &r : result.removed)
    out << "removed the older backup " << r.string() << "\n";
  return 0;
}

int runRestoreCommand(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const auto from = cli.value("from");
  if (!from)
    throw UsageError("restore needs --from FILE (a backup written by 'griddispatch-ctl backup')");
  const store::StoreLocation target = dbLocation(cli);
  backup::RestoreReport report;
  try
  {
    report = backup::restoreStore(*from, target, cli.has("force"), store::audit::osActor());
  }
  catch (const store::StoreRefusal &e)
  {
    recordRefusal(target, *from, e.what());
    throw;
  }
  const auto &m = report.manifest;
  if (cli.has("json"))
    out << json{{"from", *from},           {"to", report.target},        {"store", m.store},
                {"created_at", m.createdAt}, {"schema_revision", report.schemaRevision}, {"cases", report.cases},
                {"events", report.events},   {"audit_rows", report.auditRows}, {"ok", report.ok()},
                {"problems", report.problems}}
             .dump(2)
        << "\n";
  else
    out << "restored " << *from << " (" << m.store << " of " << m.createdAt << ") into " << report.target
        << ": schema revision " << report.schemaRevision << ", " << report.cases << " case(s), " << report.events
        << " event(s), " << report.auditRows << " audit row(s)\n"
        << (report.ok() ? "verified: every table's rows as in the manifest, every case equals the replay of its "
                          "events, the audit chain is intact\n"
                        : "");
  if (report.ok())
    return 0;
  err << "griddispatch-ctl: restore: the restored store has " << report.problems.size() << " problem(s):\n";
  for (const auto &p : report.problems)
    err << "  " << p << "\n";
  return 1;
}

} // namespace gd::apps::ctl
