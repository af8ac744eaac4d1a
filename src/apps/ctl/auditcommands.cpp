#include "apps/ctl/auditcommands.h"

#include "apps/ctl/ctloptions.h"
#include "core/csvtext.h"
#include "store/audit/auditlog.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <vector>

namespace gd::apps::ctl {

namespace {

using nlohmann::json;
namespace audit = store::audit;

using audit::osActor; // the OS user and host: who runs griddispatch-ctl is who administers

std::unique_ptr<store::Database> openStore(const CommandLine &cli)
{
  return store::Schema::open(dbLocation(cli));
}

std::string keyOption(const CommandLine &cli, bool required)
{
  const auto path = cli.value("key");
  if (!path)
  {
    if (required)
      throw UsageError("--key FILE is required (the audit administrator's key, from 'griddispatch-ctl audit keygen')");
    return {};
  }
  return audit::readKey(*path);
}

audit::Filter filterOf(const CommandLine &cli)
{
  audit::Filter f;
  if (cli.has("from"))
    f.from = timeOption(cli, "from", {});
  if (cli.has("to"))
    f.to = timeOption(cli, "to", {});
  f.actor = cli.value("actor", "");
  f.action = cli.value("action", "");
  if (!f.action.empty() && !audit::isKnownAction(f.action))
    throw UsageError("--action '" + f.action + "' is not an audit action");
  if (const auto limit = cli.value("limit"))
    f.limit = std::stoll(*limit);
  return f;
}

json rowJson(const audit::Row &r)
{
  return {{"id", r.id},         {"at", r.at},         {"actor_id", r.actorId}, {"actor_name", r.actorName},
          {"host", r.host},     {"action", r.action}, {"object", r.object},    {"detail", r.detail},
          {"outcome", r.outcome}, {"reason", r.reason}};
}

int printReport(const audit::VerifyReport &report, bool asJson, std::ostream &out, std::ostream &err)
{
  if (asJson)
  {
    json seals = json::array();
    for (const auto &c : report.seals)
      seals.push_back({{"id", c.seal.id},
                       {"kind", c.seal.kind},
                       {"through", c.seal.throughId},
                       {"at", c.seal.at},
                       {"by", c.seal.sealedBy},
                       {"holds", c.holds},
                       {"note", c.note}});
    json j{{"ok", report.ok()},     {"first", report.startId}, {"last", report.lastId},
           {"rows", report.rows},   {"key_checked", report.keyChecked}, {"seals", seals},
           {"notes", report.notes}};
    if (report.problem)
      j["problem"] = {{"id", report.problem->id}, {"at", report.problem->at}, {"kind", report.problem->kind},
                      {"what", report.problem->what}};
    out << j.dump(2) << "\n";
  }
  else
  {
    out << "audit log: rows " << report.startId << "–" << report.lastId << " read";
    if (report.startId > 1)
      out << " (rows before " << report.startId << " archived)";
    out << "\n";
    for (const auto &c : report.seals)
      out << "  " << c.seal.kind << " " << c.seal.id << " through row " << c.seal.throughId << " of " << c.seal.at
          << " by " << c.seal.sealedBy << (c.seal.archive.empty() ? "" : " (" + c.seal.archive + ")") << ": "
          << (c.holds ? (report.keyChecked ? "holds" : "holds (MAC not checked)") : "DOES NOT HOLD: " + c.note) << "\n";
    for (const auto &n : report.notes)
      out << "  note: " << n << "\n";
    if (report.ok())
      out << "ok: the chain is intact" << (report.keyChecked ? " and every seal holds under the key" : "") << "\n";
  }
  if (report.ok())
    return 0;
  if (report.problem)
    err << "griddispatch-ctl: audit verify: " << report.problem->kind << ": row " << report.problem->id
        << (report.problem->at.empty() ? "" : " (" + report.problem->at + ")") << ": " << report.problem->what << "\n";
  else
    err << "griddispatch-ctl: audit verify: a seal does not hold\n";
  return 1;
}

void writeCsv(std::ostream &sink, const audit::Row &r)
{
  sink << r.id << ',' << r.at << ',' << core::csvField(r.actorId) << ',' << core::csvField(r.actorName) << ','
       << core::csvField(r.host) << ',' << r.action << ',' << core::csvField(r.object) << ','
       << core::csvField(r.detail) << ',' << r.outcome << ',' << core::csvField(r.reason) << ',' << audit::hex(r.link)
       << '\n';
}

} // namespace

void declareAuditOptions(CommandLine &cli)
{
  cli.addOption("key", "FILE", "audit: the audit administrator's key file (seal, archive; verify checks the seals)");
  cli.addOption("before", "DATE", "audit archive: move rows older than this (at least 180 days ago)");
  cli.addOption("action", "ACTION", "audit list/export: only this action (login_failed, device_add …)");
  cli.addOption("archive", "FILE", "audit verify: verify this archive file and its anchor in the store");
}

const char *auditCommandsHelp()
{
  return "  audit keygen --out FILE   make the audit administrator's key (mode 0600, kept outside\n"
         "                            the store; never overwrites)\n"
         "  audit seal --key FILE     seal the audit log: HMAC-SM3 over its chain so far\n"
         "  audit verify [--key FILE] check the audit log's SM3 chain and seals; names the first\n"
         "                            row edited, deleted or inserted (exit 1); --archive FILE\n"
         "                            checks an archive file instead\n"
         "  audit list                audit rows (--from, --to, --actor, --action, --limit)\n"
         "  audit export --out F.csv  audit rows as CSV for inspectors (same filters)\n"
         "  audit archive --before DATE --out FILE --key FILE   move rows older than DATE (at\n"
         "                            least 180 days ago) into FILE; the live chain goes on from it\n";
}

int runAuditCommand(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const auto &args = cli.positional();
  const std::string verb = args.size() > 1 ? args[1] : std::string();
  if (args.size() > 2)
    throw UsageError("audit " + verb + " takes no further words");
  if (verb == "keygen")
  {
    const auto path = cli.value("out");
    if (!path)
      throw UsageError("audit keygen needs --out FILE");
    audit::writeNewKey(*path);
    out << "audit key written to " << *path << " (mode 0600): keep it with the audit administrator, away from the store\n";
    return 0;
  }
  if (verb == "seal")
  {
    const std::string key = keyOption(cli, true);
    auto db = openStore(cli);
    const audit::Seal s = audit::AuditLog(*db).seal(key, osActor());
    if (cli.has("json"))
      out << json{{"seal", s.id}, {"through", s.throughId}, {"chain", audit::hex(s.chain)}, {"at", s.at}}.dump(2) << "\n";
    else
      out << "seal " << s.id << " through row " << s.throughId << " at " << s.at << "\nchain " << audit::hex(s.chain)
          << "\n(keep this line: it shows later whether rows after it were cut away)\n";
    return 0;
  }
  if (verb == "verify")
  {
    std::optional<std::string> key;
    if (cli.has("key"))
      key = keyOption(cli, true);
    if (const auto archive = cli.value("archive"))
    {
      std::unique_ptr<store::Database> db;
      if (cli.has("db"))
        db = openStore(cli);
      return printReport(audit::verifyArchive(*archive, db.get(), key), cli.has("json"), out, err);
    }
    auto db = openStore(cli);
    return printReport(audit::AuditLog(*db).verify(key), cli.has("json"), out, err);
  }
  if (verb == "list")
  {
    auto db = openStore(cli);
    audit::Filter f = filterOf(cli);
    if (f.limit == 0 && !cli.has("limit"))
      f.limit = 1000;
    const auto rows = audit::AuditLog(*db).list(f);
    if (cli.has("json"))
    {
      json list = json::array();
      for (const auto &r : rows)
        list.push_back(rowJson(r));
      out << list.dump(2) << "\n";
      return 0;
    }
    for (const auto &r : rows)
      out << r.id << "  " << r.at << "  " << r.actorId << (r.actorName.empty() || r.actorName == r.actorId ? "" : " (" + r.actorName + ")")
          << "@" << r.host << "  " << r.action << "  " << r.object << "  " << r.outcome
          << (r.reason.empty() ? "" : " (" + r.reason + ")") << (r.detail.empty() ? "" : "  " + r.detail) << "\n";
    out << rows.size() << " row(s)\n";
    return 0;
  }
  if (verb == "export")
  {
    const auto path = cli.value("out");
    if (!path)
      throw UsageError("audit export needs --out FILE.csv");
    auto db = openStore(cli);
    std::ofstream file(*path, std::ios::binary);
    if (!file)
      throw std::runtime_error("cannot write " + *path);
    file << "id,at,actor_id,actor_name,host,action,object,detail,outcome,reason,link\n";
    std::int64_t rows = 0;
    audit::AuditLog log(*db);
    log.forEach(filterOf(cli), [&](const audit::Row &r) {
      writeCsv(file, r);
      ++rows;
    });
    file.close();
    if (!file)
      throw std::runtime_error("cannot write " + *path);
    audit::Entry e;
    e.actor = osActor();
    e.action = "audit_export";
    e.object = *path;
    e.detail = std::to_string(rows) + " row(s)";
    log.record(e);
    out << "exported " << rows << " audit row(s) to " << *path << "\n";
    return 0;
  }
  if (verb == "archive")
  {
    const auto path = cli.value("out");
    const auto before = cli.value("before");
    if (!path || !before)
      throw UsageError("audit archive needs --before DATE and --out FILE");
    const std::string key = keyOption(cli, true);
    auto db = openStore(cli);
    const auto result =
      audit::AuditLog(*db).archive(timeOption(cli, "before", {}), *path, key, osActor(), store::nowUtc());
    if (result.throughId == 0)
    {
      out << "no audit rows older than " << *before << ": nothing was archived\n";
      return 0;
    }
    out << "archived rows " << result.firstId << "–" << result.throughId << " into " << *path
        << "; the live log goes on from row " << result.throughId + 1 << "\n";
    return 0;
  }
  throw UsageError(verb.empty() ? "audit needs keygen, seal, verify, list, export or archive"
                                : "audit: unknown action '" + verb + "' (keygen, seal, verify, list, export or archive)");
}

std::optional<AuditedCommand> auditedCommand(const CommandLine &cli)
{
  const auto &args = cli.positional();
  if (args.empty())
    return std::nullopt;
  const std::string &command = args[0];
  const std::string verb = args.size() > 1 ? args[1] : std::string();
  const std::string third = args.size() > 2 ? args[2] : std::string();
  std::string words;
  for (const auto &a : args)
    words += (words.empty() ? "" : " ") + a;
  AuditedCommand c;
  c.store = cli.value("db", "");
  c.detail = "griddispatch-ctl " + words;
  if (command == "import-grids")
    c = {"grid_import", verb, c.detail, c.store};
  else if (command == "import-cases")
    c = {"case_import", verb, c.detail, c.store};
  else if (command == "demo-district")
    c = {"grid_import", "demo district", c.detail, c.store};
  else if (command == "export")
    c = {"export", cli.value("out", "standard output"), c.detail, c.store};
  else if (command == "device" && (verb == "add" || verb == "revoke"))
  {
    c = {"device_" + verb, third, c.detail, c.store};
    if (verb == "add")
      c.detail += " --worker " + cli.value("worker", "");
  }
  else if (command == "calendar" && verb == "import")
  {
    if (c.store.empty())
      return std::nullopt; // the configuration only; no store to record it in
    c = {"calendar_import", third, c.detail + (cli.has("year") ? " --year " + cli.value("year", "") : ""), c.store};
  }
  else if (command == "seat" && (verb == "add" || verb == "disable"))
  {
    c = {"seat_" + verb, third, c.detail, c.store};
    for (const char *option : {"name", "grid", "department"})
      if (cli.has(option))
        c.detail += std::string(" --") + option + " " + cli.value(option, "");
  }
  else if (command == "copy")
    c = {"store_copy", cli.value("to", ""), "griddispatch-ctl copy from " + [&] {
           const std::string from = cli.value("from", "");
           return store::StoreLocation::looksLikeConnectionString(from) ? store::StoreLocation::redact(from) : from;
         }(), cli.value("to", "")};
  else if (command == "supervise" && (verb == "run" || verb == "urge" || verb == "ack"))
    c = {"supervision_change", third, c.detail, c.store};
  else if (command == "emergency" && (verb == "declare" || verb == "dispatch" || verb == "alert" || verb == "note" ||
                                      verb == "conference" || verb == "close"))
    c = {"emergency_change", third, c.detail, c.store};
  else
    return std::nullopt;
  if (c.action == "store_copy" && store::StoreLocation::looksLikeConnectionString(c.object))
    c.object = store::StoreLocation::redact(c.object);
  if (cli.has("actor"))
    c.detail += " --actor " + cli.value("actor", "");
  return c;
}

bool recordCommand(const AuditedCommand &command, int exitCode, const std::string &error, std::ostream &err)
{
  if (command.store.empty())
    return true; // the command failed before it had a store (--db missing): nothing changed
  try
  {
    const store::StoreLocation location = store::StoreLocation::parse(command.store);
    if (!location.isPostgres() && !std::filesystem::exists(location.path()))
      return true; // no store was made: nothing changed
    auto db = store::Schema::open(location);
    audit::Entry e;
    e.actor = osActor();
    e.action = command.action;
    e.object = command.object;
    e.detail = command.detail;
    // 2 is a command line refused before anything was tried; 1 a command that ran into a
    // problem (bad data, a refused import, an error).
    e.outcome = exitCode == 0 ? audit::Outcome::Ok : exitCode == 2 ? audit::Outcome::Refused : audit::Outcome::Failed;
    e.reason = error;
    audit::AuditLog(*db).record(e);
    return true;
  }
  catch (const std::exception &e)
  {
    err << "griddispatch-ctl: the audit log could not record this command: " << e.what() << "\n";
    return false;
  }
}

} // namespace gd::apps::ctl
