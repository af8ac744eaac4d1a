#include "store/backup/storebackup.h"

#include "core/caseworkflow.h"
#include "store/audit/sm3.h"
#include "store/cases/casestore.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storecopy.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>

namespace gd::store::backup {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char *kManifestSuffix = ".manifest.json";

//! The tables a manifest counts: every data table (audit_log and audit_seals among them).
std::vector<std::string> countedTables()
{
  return dataTables();
}

std::vector<std::pair<std::string, std::int64_t>> countRows(Database &db)
{
  std::vector<std::pair<std::string, std::int64_t>> out;
  // Table names come from the constant list, never from input.
  for (const std::string &t : countedTables())
    out.emplace_back(t, db.scalarInt("SELECT count(*) FROM " + t));
  return out;
}

//! SHA-256 and SM3 of a file, read once.
std::pair<std::string, std::string> fileDigests(const fs::path &file)
{
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + file.string());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
  audit::Sm3 sm3;
  std::vector<char> buffer(1 << 20);
  while (in)
  {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0)
      break;
    EVP_DigestUpdate(sha.get(), buffer.data(), n);
    sm3.raw(buffer.data(), n);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(sha.get(), digest, &size);
  audit::Digest shaDigest{};
  std::copy(digest, digest + std::min<unsigned>(size, 32), shaDigest.begin());
  return {audit::hex(shaDigest), audit::hex(sm3.finish())};
}

//! The time in a file name: 20261208T021530.123Z (sorts as it happened).
std::string fileTime(std::chrono::system_clock::time_point t)
{
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char text[40];
  std::snprintf(text, sizeof text, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

std::string shortName(const StoreLocation &location)
{
  if (!location.isPostgres())
    return location.path().stem().string();
  for (const auto &[key, value] : location.keywords())
    if (key == "dbname" && !value.empty())
      return value;
  return "postgresql";
}

//! Runs \a args (no shell); returns its exit code, its standard error in \a errors.
int runTool(const std::vector<std::string> &args, std::string &errors)
{
  int pipeFds[2];
  if (::pipe(pipeFds) != 0)
    throw std::runtime_error("cannot make a pipe for " + args.front());
  const pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("cannot start " + args.front());
  if (pid == 0)
  {
    ::dup2(pipeFds[1], 2);
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::close(pipeFds[0]);
    std::vector<char *> argv;
    for (const std::string &a : args)
      argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    const std::string message = "cannot run " + args.front() + "\n";
    (void)!::write(2, message.data(), message.size());
    ::_exit(127);
  }
  ::close(pipeFds[1]);
  char buffer[4096];
  for (;;)
  {
    const ssize_t n = ::read(pipeFds[0], buffer, sizeof buffer);
    if (n <= 0)
      break;
    errors.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipeFds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string firstLines(const std::string &text)
{
  std::string out = text.substr(0, 600);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  return out;
}

json manifestJson(const Manifest &m)
{
  json rows = json::object();
  for (const auto &[table, n] : m.rows)
    rows[table] = n;
  return {{"format", "griddispatch-backup 1"},
          {"file", m.file},
          {"backend", m.backend},
          {"store", m.store},
          {"name", m.name},
          {"created_at", m.createdAt},
          {"sha256", m.sha256},
          {"sm3", m.sm3},
          {"schema_revision", m.schemaRevision},
          {"bytes", m.bytes},
          {"seconds", m.seconds},
          {"rows", rows}};
}

//! The SQLite online backup of \a from into the file \a to (made 0600); one step: one snapshot.
void sqliteCopy(sqlite3 *from, const fs::path &to, const std::string &what)
{
  const int fd = ::open(to.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create " + to.string());
  ::close(fd);
  sqlite3 *dest = nullptr;
  if (sqlite3_open_v2(to.c_str(), &dest, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
  {
    sqlite3_close(dest);
    throw std::runtime_error("cannot open " + to.string());
  }
  sqlite3_backup *b = sqlite3_backup_init(dest, "main", from, "main");
  if (!b)
  {
    const std::string message = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    throw StoreError(0, what + ": " + message);
  }
  int rc = SQLITE_OK;
  // -1: every page in one step, under one read transaction of the source (a consistent copy);
  // a busy source (a checkpoint's exclusive moment) is tried again.
  for (int tries = 0; tries < 200; ++tries)
  {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
      break;
    sqlite3_sleep(50);
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
  {
    const std::string message = sqlite3_errstr(rc);
    sqlite3_close(dest);
    throw StoreError(rc, what + ": " + message);
  }
  // One file, no -wal beside it: the backup is what is copied to tape or another machine.
  sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  sqlite3_close(dest);
}

} // namespace

std::int64_t Manifest::rowsOf(const std::string &table) const
{
  for (const auto &[t, n] : rows)
    if (t == table)
      return n;
  return 0;
}

fs::path manifestPath(const fs::path &backupFile)
{
  return fs::path(backupFile.string() + kManifestSuffix);
}

Manifest readManifest(const fs::path &backupFile)
{
  const fs::path path = manifestPath(backupFile);
  std::ifstream in(path);
  if (!in)
    throw StoreRefusal("no_manifest", "the backup " + backupFile.string() + " has no manifest (" + path.string() +
                                        "): its digests cannot be checked");
  json j;
  try
  {
    j = json::parse(in);
    Manifest m;
    if (j.value("format", std::string()) != "griddispatch-backup 1")
      throw std::runtime_error("not a GridDispatch backup manifest");
    m.file = j.at("file").get<std::string>();
    m.backend = j.at("backend").get<std::string>();
    m.store = j.value("store", std::string());
    m.name = j.value("name", std::string());
    m.createdAt = j.value("created_at", std::string());
    m.sha256 = j.at("sha256").get<std::string>();
    m.sm3 = j.at("sm3").get<std::string>();
    m.schemaRevision = j.at("schema_revision").get<int>();
    m.bytes = j.value("bytes", std::int64_t(0));
    m.seconds = j.value("seconds", 0.0);
    for (const auto &[table, n] : j.at("rows").items())
      m.rows.emplace_back(table, n.get<std::int64_t>());
    return m;
  }
  catch (const std::exception &e)
  {
    throw StoreRefusal("bad_manifest", "the manifest " + path.string() + " cannot be read: " + e.what());
  }
}

std::string pgTool(const std::string &name)
{
  if (const char *dir = std::getenv("GD_PG_BINDIR"); dir && *dir)
    return (fs::path(dir) / name).string();
  // The server's own version of the tools (what the tests' clusters run), when installed.
  const fs::path pg15 = fs::path("/usr/lib/postgresql/15/bin") / name;
  if (fs::exists(pg15))
    return pg15.string();
  return name;
}

BackupResult backupStore(Database &db, const fs::path &dir, const audit::Actor &by, int keep)
{
  const auto started = std::chrono::steady_clock::now();
  const core::TimePoint now = nowUtc();
  fs::create_directories(dir);
  Manifest m;
  m.backend = db.isPostgres() ? "postgresql" : "geopackage";
  m.store = db.location().display();
  m.name = shortName(db.location());
  m.createdAt = toDbTime(now);
  // Milliseconds in the name (the store's own times are whole seconds): two backups in one
  // second are two files.
  const std::string stamp = fileTime(std::chrono::system_clock::now());
  const std::string suffix = db.isPostgres() ? ".pgdump" : ".gpkg";
  m.file = m.name + "-" + stamp + suffix;
  for (int n = 2; fs::exists(dir / m.file); ++n)
    m.file = m.name + "-" + stamp + "-" + std::to_string(n) + suffix;
  const fs::path file = dir / m.file;
  const fs::path partial = fs::path(file.string() + ".part");
  try
  {
    if (!db.isPostgres())
    {
      sqliteCopy(db.handle(), partial, "backup of " + m.store);
      // The copy checked on its own: an integrity check, its schema revision, its rows.
      Database copy(partial, Database::Mode::ReadOnly);
      const std::string integrity = [&] {
        auto q = copy.query("PRAGMA integrity_check");
        return q.step() ? q->columnText(0) : std::string("no answer");
      }();
      if (integrity != "ok")
        throw StoreError(0, "the backup copy of " + m.store + " fails its integrity check: " + integrity);
      m.schemaRevision = Schema::revision(copy);
      m.rows = countRows(copy);
    }
    else
    {
      // pg_dump reads in the snapshot this transaction exports: the counts are the dump's.
      Transaction snapshot(db, Transaction::Kind::Deferred);
      std::string id;
      {
        auto q = db.query("SELECT pg_export_snapshot()");
        if (q.step())
          id = q->columnText(0);
      }
      m.schemaRevision = Schema::revision(db);
      m.rows = countRows(db);
      std::string errors;
      const int rc = runTool({pgTool("pg_dump"), "--format=custom", "--no-sync", "--snapshot=" + id,
                              "--file=" + partial.string(), "--dbname=" + db.location().conninfo()},
                             errors);
      snapshot.commit();
      if (rc != 0)
        throw StoreError(0, "pg_dump of " + m.store + " failed (exit " + std::to_string(rc) + "): " + firstLines(errors));
      fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    }
    const auto [sha, sm3] = fileDigests(partial);
    m.sha256 = sha;
    m.sm3 = sm3;
    m.bytes = static_cast<std::int64_t>(fs::file_size(partial));
    fs::rename(partial, file);
  }
  catch (...)
  {
    std::error_code ignored;
    fs::remove(partial, ignored);
    throw;
  }
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  BackupResult result;
  result.file = file;
  result.manifest = manifestPath(file);
  {
    std::ofstream out(result.manifest);
    out << manifestJson(m).dump(2) << "\n";
    if (!out)
      throw std::runtime_error("cannot write " + result.manifest.string());
  }
  result.content = m;

  audit::Entry e;
  e.actor = by;
  e.action = "store_backup";
  e.object = file.string();
  std::int64_t rows = 0;
  for (const auto &[t, n] : m.rows)
    rows += n;
  e.detail = std::to_string(rows) + " row(s), " + std::to_string(m.bytes) + " bytes, schema revision " +
             std::to_string(m.schemaRevision) + ", SM3 " + m.sm3;
  audit::AuditLog(db).record(e);

  if (keep > 0)
    result.removed = pruneBackups(dir, m.store, keep);
  return result;
}

std::vector<fs::path> pruneBackups(const fs::path &dir, const std::string &store, int keep)
{
  std::vector<std::pair<std::string, fs::path>> found; // (created_at + name, backup file)
  for (const auto &entry : fs::directory_iterator(dir))
  {
    const std::string name = entry.path().filename().string();
    if (name.size() <= std::string(kManifestSuffix).size() ||
        name.compare(name.size() - std::string(kManifestSuffix).size(), std::string::npos, kManifestSuffix) != 0)
      continue;
    const fs::path backupFile = dir / name.substr(0, name.size() - std::string(kManifestSuffix).size());
    try
    {
      const Manifest m = readManifest(backupFile);
      if (m.store == store)
        found.emplace_back(m.createdAt + " " + m.file, backupFile);
    }
    catch (const std::exception &)
    {
      // Not a manifest of ours: left alone.
    }
  }
  std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
  std::vector<fs::path> removed;
  for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < found.size(); ++i)
  {
    std::error_code ignored;
    fs::remove(found[i].second, ignored);
    fs::remove(manifestPath(found[i].second), ignored);
    removed.push_back(found[i].second);
  }
  return removed;
}

RestoreReport restoreStore(const fs::path &backupFile, const StoreLocation &target, bool force, const audit::Actor &by)
{
  RestoreReport report;
  report.target = target.display();
  if (!fs::exists(backupFile))
    throw StoreRefusal("no_backup", "the backup " + backupFile.string() + " does not exist");
  const Manifest m = readManifest(backupFile);
  report.manifest = m;
  const auto [sha, sm3] = fileDigests(backupFile);
  if (sha != m.sha256 || sm3 != m.sm3)
    throw StoreRefusal("backup_corrupt", "the backup " + backupFile.string() +
                                           " does not match its manifest (SHA-256 " + sha.substr(0, 16) + "…, manifest " +
                                           m.sha256.substr(0, 16) + "…; SM3 " + (sm3 == m.sm3 ? "equal" : "differs") +
                                           "): it was damaged or altered; nothing was restored");
  if ((m.backend == "postgresql") != target.isPostgres())
    throw StoreRefusal("backup_backend", "the backup " + backupFile.string() + " is of a " + m.backend +
                                           " store; restore it into a " +
                                           (m.backend == "postgresql" ? "PostgreSQL database" : "GeoPackage file") +
                                           " (or copy the restored store across with 'griddispatch-ctl copy')");

  if (!target.isPostgres())
  {
    const fs::path path = target.path();
    if (fs::exists(path) && fs::file_size(path) > 0 && !force)
      throw StoreRefusal("target_not_empty", "the target " + path.string() +
                                               " exists and is not empty: restore into a new file, or give --force to "
                                               "overwrite it");
    sqlite3 *source = nullptr;
    if (sqlite3_open_v2(backupFile.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    {
      sqlite3_close(source);
      throw StoreError(0, "cannot open the backup " + backupFile.string());
    }
    try
    {
      if (fs::exists(path) && force)
      {
        // Into the existing file through SQLite, so a stale -wal of the old store goes with it.
        sqlite3 *dest = nullptr;
        if (sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        {
          sqlite3_close(dest);
          throw StoreError(0, "cannot open " + path.string());
        }
        sqlite3_backup *b = sqlite3_backup_init(dest, "main", source, "main");
        const int rc = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
        sqlite3_backup_finish(b);
        sqlite3_close(dest);
        if (rc != SQLITE_DONE)
          throw StoreError(rc, "restore into " + path.string() + ": " + sqlite3_errstr(rc));
      }
      else
        sqliteCopy(source, path, "restore into " + path.string());
    }
    catch (...)
    {
      sqlite3_close(source);
      throw;
    }
    sqlite3_close(source);
  }
  else
  {
    {
      Database probe(target, Database::Mode::ReadOnly);
      const std::int64_t tables = probe.scalarInt(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'spatial_ref_sys'");
      if (tables > 0 && !force)
        throw StoreRefusal("target_not_empty", "the target " + report.target + " is not empty (it holds " +
                                                 std::to_string(tables) + " table(s)): restore into an empty database, or give --force to "
                                                 "replace what it holds");
    }
    std::vector<std::string> args{pgTool("pg_restore"), "--exit-on-error", "--single-transaction", "--no-owner",
                                  "--no-comments",     "--dbname=" + target.conninfo()};
    if (force)
    {
      args.push_back("--clean");
      args.push_back("--if-exists");
    }
    args.push_back(backupFile.string());
    std::string errors;
    if (const int rc = runTool(args, errors); rc != 0)
      throw StoreError(0, "pg_restore into " + report.target + " failed (exit " + std::to_string(rc) +
                            "; nothing was restored): " + firstLines(errors));
  }

  // The checks `griddispatch-ctl verify` makes, and the manifest's counts.
  auto db = std::make_unique<Database>(target);
  report.schemaRevision = Schema::revision(*db);
  if (report.schemaRevision != m.schemaRevision)
    report.problems.push_back("schema revision " + std::to_string(report.schemaRevision) + ", the manifest says " +
                              std::to_string(m.schemaRevision));
  for (const auto &[table, n] : countRows(*db))
    if (n != m.rowsOf(table))
      report.problems.push_back(table + ": " + std::to_string(n) + " row(s), the manifest says " +
                                std::to_string(m.rowsOf(table)));
  for (const std::string &p : Schema::integrityProblems(*db))
    report.problems.push_back(p);
  for (const std::string &p : Schema::appendOnlyProblems(*db))
    report.problems.push_back(p);
  core::Workflow workflow;
  CaseStore cases(*db, workflow);
  for (const std::string &p : cases.verifyProjections(100))
    report.problems.push_back(p);
  audit::AuditLog log(*db);
  const audit::VerifyReport chain = log.verify();
  if (chain.problem)
    report.problems.push_back("audit log: " + chain.problem->kind + ": " + chain.problem->what);
  std::tie(report.cases, report.events) = cases.caseAndEventCounts();
  report.auditRows = m.rowsOf("audit_log");

  audit::Entry e;
  e.actor = by;
  e.action = "store_restore";
  e.object = backupFile.string();
  e.detail = "from " + m.store + " of " + m.createdAt + ": " + std::to_string(report.cases) + " case(s), " +
             std::to_string(report.events) + " event(s), " + std::to_string(report.auditRows) + " audit row(s)";
  e.outcome = report.ok() ? audit::Outcome::Ok : audit::Outcome::Failed;
  if (!report.ok())
    e.reason = report.problems.front();
  log.record(e);
  return report;
}

} // namespace gd::store::backup
