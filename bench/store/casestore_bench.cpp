// bench_store_cases [--cases N] [--dir DIR] [--keep] [--verify] [--skip-queries] [--no-baselines] [--jsonl FILE]
//                   [--postgres CONNINFO]
//
// Builds a store of N cases (≈97 % closed, the rest open in every state, over one year,
// 1,000 micro-grids, every category of the catalog) and measures, each beside a baseline
// measured in the same run:
//   1. bulk import (cases/s, whole history)  vs the same rows inserted the fastest raw way
//      (pre-rendered text, prepared statements, one transaction) into bare tables — the rows the
//      store writes since schema 6 (a closed case's history as one row), and for reference a row
//      per event as before; once into a store others may have open (WAL) and once as a
//      migration (rollback journal); also the projection rows alone, raw. --no-baselines skips
//      the raw inserts (to profile the import alone).
//   2. open-and-ready time         vs sqlite3_open + one query on the same file
//   3. one department's overdue list, p50/p99       idle vs while the Writer ingests
//   4. overdue counts per grid for the district, p50/p99   idle vs while the Writer ingests
// Every import ends durable: COMMIT (synchronous=FULL) and, in WAL mode, a TRUNCATE checkpoint are timed.
// --verify afterwards runs CaseStore::verifyProjections and PRAGMA integrity_check (slow).
// --jsonl FILE also writes the generated cases as griddispatch-ctl import-cases reads them, to
// time that command (JSON parsing and workflow checks included) on the same cases.
// Default N = 20,000 (seconds); the full-size run is --cases 1000000 (≈ 3 GB of memory).
// --postgres CONNINFO instead times the import into that PostgreSQL database (empty, made by its
// administrator with PostGIS available; the store's schema is created there) beside the same
// import into a GeoPackage (store open, WAL) in the same run, and stops there.

#include "casetemplate.h"
#include "core/buildinfo.h"
#include "core/casenumber.h"
#include "core/slaclock.h"
#include "store/cases/caseeventjson.h"
#include "store/grids/caseimport.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/geopackage.h"
#include "store/schema.h"
#include "store/storelocation.h"
#include "store/timetext.h"
#include "store/writer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace gd;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);

struct Generator
{
  const core::CategoryCatalog &catalog;
  std::vector<bench::CaseTemplate> templates; // index = steps - 1
  std::vector<std::string> grids;
  std::map<std::string, int> perDay;
  std::mt19937_64 rng{42};
  std::size_t total;

  Generator(const core::CategoryCatalog &c, const core::Workflow &workflow, std::size_t n)
    : catalog(c)
    , total(n)
  {
    for (int steps = 1; steps <= 9; ++steps)
      templates.push_back(bench::mainPathTemplate(workflow, steps));
    for (int t = 1; t <= 10; ++t)
      for (int m = 1; m <= 5; ++m)
        for (int g = 1; g <= 4; ++g)
          for (int u = 1; u <= 5; ++u)
          {
            char code[32];
            std::snprintf(code, sizeof code, "620902%03d%03d%03d%03d", t, m, g, u);
            grids.push_back(code);
          }
  }

  core::Case make(std::size_t i)
  {
    const bool open = rng() % 100 < 3;
    int steps;
    core::TimePoint reported;
    if (open)
    {
      steps = 1 + static_cast<int>(rng() % 5);                 // reported .. in_handling
      reported = kNow - std::chrono::minutes(rng() % (60 * 24 * 30)); // last 30 days
    }
    else
    {
      const auto r = rng() % 100;
      steps = r < 82 ? 9 : r < 92 ? 8 : 7; // archived, visited, closed
      reported = kNow - std::chrono::hours(24 * 365) + std::chrono::seconds(static_cast<long long>(
                                                           (24.0 * 3600 * 335) * static_cast<double>(i) / total));
    }
    const bench::CaseTemplate &tpl = templates[static_cast<std::size_t>(steps - 1)];
    const core::Category &category = catalog.categories()[rng() % catalog.categories().size()];
    const std::string &grid = grids[rng() % grids.size()];
    const std::string day = core::formatDate(core::beijingDate(reported));
    const int seq = ++perDay[day];
    const std::string number = core::CaseNumber::make("620902", reported, seq).toString();
    std::vector<core::CaseEvent> events = tpl.events;
    for (core::CaseEvent &e : events)
    {
      e.caseNumber = number;
      e.at = reported + (e.at - tpl.base);
      if (e.action == core::CaseAction::Report)
      {
        e.details.category = category.code;
        e.details.grid = grid;
        e.details.lon = 98.4 + static_cast<double>(rng() % 10000) * 1e-5;
        e.details.lat = 39.6 + static_cast<double>(rng() % 10000) * 1e-5;
      }
      if (e.action == core::CaseAction::Assign)
        e.details.lead = category.leadDepartment;
    }
    return core::Case::fromEvents(events);
  }
};

std::vector<double> percentiles(std::vector<double> samples)
{
  std::sort(samples.begin(), samples.end());
  auto at = [&](double p) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(p * samples.size()))]; };
  return {at(0.5), at(0.99), samples.back()};
}

std::optional<std::string> opt(const std::string &s)
{
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}
std::optional<std::string> opt(const std::optional<core::TimePoint> &t)
{
  return t ? std::optional<std::string>(store::toDbTime(*t)) : std::nullopt;
}

// One SQL value rendered ahead, so the baseline times SQLite and nothing else.
struct RawValue
{
  enum class Kind { Null, Int, Real, Text, Blob } kind = Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;
};

struct RawRows
{
  std::vector<std::vector<RawValue>> cases;
  std::vector<std::vector<std::vector<RawValue>>> events; // per case
  std::vector<std::optional<RawValue>> histories;         // per case (as stored: closed cases)
};

// Which rows the baseline writes for the same cases.
enum class RawShape
{
  AsStored,  // what the store writes since schema revision 6: a closed case's history as one row
  PerEvent,  // every event a row (what the store wrote before revision 6)
  CasesOnly, // the projection rows alone
};

RawValue rawText(std::string_view text)
{
  RawValue v;
  v.kind = RawValue::Kind::Text;
  v.text = text;
  return v;
}
RawValue rawText(const std::string &text)
{
  return rawText(std::string_view(text));
}
RawValue rawText(const std::optional<std::string> &text)
{
  return text ? rawText(std::string_view(*text)) : RawValue{};
}
RawValue rawInt(std::int64_t i)
{
  RawValue v;
  v.kind = RawValue::Kind::Int;
  v.integer = i;
  return v;
}
RawValue rawReal(double d)
{
  RawValue v;
  v.kind = RawValue::Kind::Real;
  v.real = d;
  return v;
}

// The rows CaseStore writes for these cases, rendered with the store's own helpers.
RawRows renderRows(const store::CaseStore &projector, const core::Case *first, std::size_t count, RawShape shape)
{
  RawRows rows;
  rows.cases.reserve(count);
  rows.events.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
  {
    const core::Case &c = first[i];
    const store::CaseRecord r = projector.project(c);
    RawValue geom;
    geom.kind = RawValue::Kind::Blob;
    const auto blob = store::geopackage::encodePoint(r.point);
    geom.text.assign(blob.begin(), blob.end());
    rows.cases.push_back(
      {geom, rawText(r.number), rawText(r.category), rawText(core::caseStateName(r.state)),
       rawText(core::priorityName(r.priority)), rawText(r.source), rawText(r.title), rawText(r.description),
       rawText(r.address), rawText(opt(r.reporterName)), rawText(opt(r.reporterPhone)), rawReal(r.point.lon),
       rawReal(r.point.lat), rawText(opt(r.gridCode)), rawText(opt(r.districtCode)), rawText(opt(r.townshipCode)),
       rawText(opt(r.communityCode)), rawText(opt(r.gridLevelCode)), rawText(opt(r.microGridCode)),
       rawText(opt(r.responsibleGrid)), rawText(opt(r.leadDepartment)), rawText(opt(r.assistingDepartments)),
       rawText(opt(r.workerId)), rawText(store::toDbTime(r.reportedAt)), rawText(opt(r.acceptedAt)),
       rawText(opt(r.assignedAt)), rawText(opt(r.handledAt)), rawText(opt(r.closedAt)), rawText(opt(r.stage)),
       rawText(opt(r.stageStartedAt)), rawText(opt(r.warnAt)), rawText(opt(r.deadline)), rawInt(r.supervised ? 1 : 0),
       rawInt(r.urgeCount), rawText(opt(r.satisfaction)), rawText(opt(r.mergedInto)), rawInt(r.lastSeq),
       rawText(store::toDbTime(r.updatedAt)), rawInt(r.isOpen() ? 1 : 0)});
    auto &events = rows.events.emplace_back();
    auto &history = rows.histories.emplace_back();
    if (shape == RawShape::AsStored && !r.isOpen())
    {
      // The history row's text, rendered by nlohmann (the same bytes the importer writes).
      nlohmann::json list = nlohmann::json::array();
      for (const core::CaseEvent &e : c.events())
        list.push_back({core::caseActionName(e.action), e.actor, store::toDbTime(e.at),
                        e.action == core::CaseAction::Report ? nlohmann::json(nullptr)
                                                              : nlohmann::json(core::caseStateName(e.from)),
                        core::caseStateName(e.to), e.note, store::caseDetailsToJson(e.details)});
      history = rawText(list.dump());
      continue;
    }
    int seq = 0;
    for (const core::CaseEvent &e : c.events())
    {
      std::optional<std::string> from;
      if (e.action != core::CaseAction::Report)
        from = std::string(core::caseStateName(e.from));
      events.push_back({rawInt(++seq), rawText(core::caseActionName(e.action)), rawText(e.actor),
                        rawText(store::toDbTime(e.at)), rawText(from), rawText(core::caseStateName(e.to)),
                        rawText(e.note), rawText(store::caseDetailsToJson(e.details).dump())});
    }
  }
  return rows;
}

void bindRaw(sqlite3_stmt *s, int first, const std::vector<RawValue> &values)
{
  int i = first;
  for (const RawValue &v : values)
  {
    switch (v.kind)
    {
      case RawValue::Kind::Null:
        sqlite3_bind_null(s, i);
        break;
      case RawValue::Kind::Int:
        sqlite3_bind_int64(s, i, v.integer);
        break;
      case RawValue::Kind::Real:
        sqlite3_bind_double(s, i, v.real);
        break;
      case RawValue::Kind::Text:
        sqlite3_bind_text(s, i, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
        break;
      case RawValue::Kind::Blob:
        sqlite3_bind_blob(s, i, v.text.data(), static_cast<int>(v.text.size()), SQLITE_STATIC);
        break;
    }
    ++i;
  }
}

void stepRaw(sqlite3 *db, sqlite3_stmt *s)
{
  if (sqlite3_step(s) != SQLITE_DONE)
  {
    std::fprintf(stderr, "raw insert failed: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  sqlite3_reset(s);
}

// The baseline: the same rows into bare tables (no constraints, indexes or triggers), the
// fastest raw way — statements prepared once, text bound without copying, one transaction,
// the store's connection settings (WAL, synchronous=FULL, same cache), ended durable with
// COMMIT and a TRUNCATE checkpoint like the import (or through a rollback journal, like a
// migration). Rendering the rows is not timed. \a withEvents false writes the projection rows alone.
double rawImport(const std::filesystem::path &path, const store::CaseStore &projector,
                 const std::vector<core::Case> &all, RawShape shape, bool rollbackJournal)
{
  std::filesystem::remove(path);
  store::Database db(path, store::Database::Mode::ReadWriteCreate);
  if (rollbackJournal)
    db.exec("PRAGMA journal_mode = TRUNCATE"); // as the import's migration mode
  db.exec("CREATE TABLE cases_raw (id INTEGER PRIMARY KEY, geom BLOB, number TEXT, category TEXT, state TEXT, "
          "priority TEXT, source TEXT, title TEXT, description TEXT, address TEXT, reporter_name TEXT, "
          "reporter_phone TEXT, lon REAL, lat REAL, grid_code TEXT, district_code TEXT, township_code TEXT, "
          "community_code TEXT, grid_level3_code TEXT, microgrid_code TEXT, responsible_grid TEXT, lead_dept TEXT, "
          "assisting_depts TEXT, worker_id TEXT, reported_at TEXT, accepted_at TEXT, assigned_at TEXT, "
          "handled_at TEXT, closed_at TEXT, stage TEXT, stage_started_at TEXT, warn_at TEXT, deadline TEXT, "
          "supervised INTEGER, urge_count INTEGER, satisfaction TEXT, merged_into TEXT, last_seq INTEGER, "
          "updated_at TEXT, is_open INTEGER);"
          "CREATE TABLE histories_raw (case_id INTEGER PRIMARY KEY, event_count INTEGER, events TEXT);"
          "CREATE TABLE events_raw (id INTEGER PRIMARY KEY, case_id INTEGER, seq INTEGER, action TEXT, actor TEXT, "
          "at TEXT, from_state TEXT, to_state TEXT, note TEXT, data TEXT);");
  sqlite3 *h = db.handle();
  store::Statement cases(h, "INSERT INTO cases_raw (geom, number, category, state, priority, source, title, "
                            "description, address, reporter_name, reporter_phone, lon, lat, grid_code, district_code, "
                            "township_code, community_code, grid_level3_code, microgrid_code, responsible_grid, "
                            "lead_dept, assisting_depts, worker_id, reported_at, accepted_at, assigned_at, handled_at, "
                            "closed_at, stage, stage_started_at, warn_at, deadline, supervised, urge_count, "
                            "satisfaction, merged_into, last_seq, updated_at, is_open) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  store::Statement histories(h, "INSERT INTO histories_raw (case_id, event_count, events) VALUES (?,?,?)");
  store::Statement events(h, "INSERT INTO events_raw (case_id, seq, action, actor, at, from_state, to_state, note, "
                             "data) VALUES (?,?,?,?,?,?,?,?,?)");
  double seconds = 0;
  auto t = Clock::now();
  db.exec("BEGIN IMMEDIATE");
  seconds += secondsSince(t);
  const std::size_t chunk = 10000;
  for (std::size_t done = 0; done < all.size(); done += chunk)
  {
    const std::size_t count = std::min(chunk, all.size() - done);
    const RawRows rows = renderRows(projector, all.data() + done, count, shape);
    t = Clock::now();
    for (std::size_t i = 0; i < count; ++i)
    {
      bindRaw(cases.handle(), 1, rows.cases[i]);
      stepRaw(h, cases.handle());
      if (shape == RawShape::CasesOnly)
        continue;
      const sqlite3_int64 id = sqlite3_last_insert_rowid(h);
      if (const auto &history = rows.histories[i])
      {
        sqlite3_bind_int64(histories.handle(), 1, id);
        sqlite3_bind_int64(histories.handle(), 2, static_cast<sqlite3_int64>(all[done + i].events().size()));
        bindRaw(histories.handle(), 3, {*history});
        stepRaw(h, histories.handle());
      }
      for (const auto &event : rows.events[i])
      {
        sqlite3_bind_int64(events.handle(), 1, id);
        bindRaw(events.handle(), 2, event);
        stepRaw(h, events.handle());
      }
    }
    seconds += secondsSince(t);
    sqlite3_clear_bindings(cases.handle());
    sqlite3_clear_bindings(histories.handle());
    sqlite3_clear_bindings(events.handle());
  }
  t = Clock::now();
  db.exec("COMMIT");
  if (!rollbackJournal)
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  seconds += secondsSince(t);
  return seconds;
}

double residentGb()
{
  long pages = 0, resident = 0;
  if (FILE *f = std::fopen("/proc/self/statm", "r"))
  {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
  std::size_t n = 20000;
  std::filesystem::path dir;
  bool keep = false;
  bool verify = false;
  bool skipQueries = false;
  bool noBaselines = false;
  std::filesystem::path jsonl;
  std::string postgres;
  for (int i = 1; i < argc; ++i)
  {
    const std::string arg = argv[i];
    if (arg == "--cases" && i + 1 < argc)
      n = std::stoul(argv[++i]);
    else if (arg == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (arg == "--keep")
      keep = true;
    else if (arg == "--verify")
      verify = true;
    else if (arg == "--skip-queries")
      skipQueries = true;
    else if (arg == "--no-baselines")
      noBaselines = true; // for profiling the import alone: no ratios printed
    else if (arg == "--jsonl" && i + 1 < argc)
      jsonl = argv[++i];
    else if (arg == "--postgres" && i + 1 < argc)
      postgres = argv[++i];
    else
    {
      std::cerr << "usage: bench_store_cases [--cases N] [--dir DIR] [--keep] [--verify] [--skip-queries] [--no-baselines] [--jsonl FILE] [--postgres CONNINFO]\n";
      return 2;
    }
  }
  if (dir.empty())
  {
    std::string pattern = (std::filesystem::temp_directory_path() / "gdbench-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      return 1;
    dir = pattern;
  }
  std::filesystem::create_directories(dir);
  const auto storePath = dir / "bench.gpkg";
  // Scratch files (the baselines' and the migration's) are deleted at the end, outside every
  // timed section: deleting gigabytes is itself disk work.
  std::vector<std::filesystem::path> scratch;
  const auto scratchFile = [&](const std::string &name) { return scratch.emplace_back(dir / name); };
  const auto removeScratch = [&] {
    for (const auto &file : scratch)
      std::filesystem::remove(file);
  };
  std::filesystem::remove(storePath);

  auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  core::Workflow workflow(&config->departments);
  core::SlaClock clock(config->catalog, config->calendar);
  Generator gen(config->catalog, workflow, n);

  std::printf("store benchmark: %zu cases (%s)\n", n, storePath.c_str());

  // ---- 1. bulk import -----------------------------------------------------------------
  // A migration: every case generated first (not timed), then imported as one transaction.
  auto started = Clock::now();
  std::vector<core::Case> all;
  all.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    all.push_back(gen.make(i));
  std::size_t eventCount = 0;
  for (const core::Case &c : all)
    eventCount += c.events().size();
  std::printf("generated              %10zu cases, %zu events (%.2f events/case) in %.2f s, not timed; RSS %.1f GB\n",
              n, eventCount, static_cast<double>(eventCount) / static_cast<double>(n), secondsSince(started), residentGb());
  if (!jsonl.empty())
  {
    std::ofstream out(jsonl, std::ios::binary);
    for (const core::Case &c : all)
    {
      nlohmann::json events = nlohmann::json::array();
      for (const core::CaseEvent &e : c.events())
        events.push_back(store::caseEventToJson(e));
      out << events.dump() << '\n';
    }
    std::printf("wrote                  %s (%.1f MB)\n", jsonl.c_str(),
                static_cast<double>(std::filesystem::file_size(jsonl)) / 1e6);
  }
  if (!postgres.empty())
  {
    // The same cases into the database, then into a GeoPackage as a store others may have open
    // (the WAL, CaseStore::importCases's way): each import once, in this order.
    const auto importOnce = [&](const store::StoreLocation &location, const char *label) {
      auto db = store::Schema::openOrCreate(location);
      store::CaseStore cases(*db, workflow, &clock);
      store::CaseImportOptions options;
      options.expectedCases = all.size();
      std::size_t next = 0;
      const store::CaseImportReport report = store::CaseImporter(*db, cases, options).run([&]() -> const core::Case * {
        return next < all.size() ? &all[next++] : nullptr;
      });
      std::printf("bulk import, %-10s %10.0f cases/s  %10.0f events/s  (%.2f s: rows %.2f, %s %.2f, commit %.2f)\n", label,
                  static_cast<double>(n) / report.totalSeconds, static_cast<double>(report.events) / report.totalSeconds,
                  report.totalSeconds, report.insertSeconds, report.bulk ? "index rebuild" : "no rebuild",
                  report.rebuildSeconds, report.commitSeconds);
      std::printf("  CPU time             inserting thread %.2f s (%.1f us/case), preparing thread %.2f s (%.1f us/case)\n",
                  report.insertCpuSeconds, report.insertCpuSeconds * 1e6 / static_cast<double>(n),
                  report.prepareCpuSeconds, report.prepareCpuSeconds * 1e6 / static_cast<double>(n));
      return static_cast<double>(n) / report.totalSeconds;
    };
    const double pgRate = importOnce(store::StoreLocation::parse(postgres), "postgresql");
    const double fileRate = importOnce(store::StoreLocation::file(storePath), "gpkg, WAL");
    std::printf("  ratio postgresql / gpkg %.2f\n", pgRate / fileRate);
    if (!keep)
      std::filesystem::remove_all(dir);
    return 0;
  }
  // Twice, each beside its baseline: into a store other connections may have open (the WAL,
  // as CaseStore::importCases writes), and as a migration with the store to itself (a rollback
  // journal, as griddispatch-ctl import-cases writes).
  const auto importInto = [&](const std::filesystem::path &path, bool exclusive) {
    std::filesystem::remove(path);
    auto db = store::Schema::openOrCreate(path);
    store::CaseStore cases(*db, workflow, &clock);
    store::CaseImportOptions options;
    options.expectedCases = all.size();
    options.exclusive = exclusive;
    std::size_t next = 0;
    const store::CaseImportReport report = store::CaseImporter(*db, cases, options).run([&]() -> const core::Case * {
      return next < all.size() ? &all[next++] : nullptr;
    });
    const double storeRate = static_cast<double>(n) / report.totalSeconds;
    std::printf("bulk import, %-10s %10.0f cases/s  %10.0f events/s  (%.2f s: rows %.2f, %s %.2f, commit%s %.2f)\n",
                report.rollbackJournal ? "migration" : "store open", storeRate,
                static_cast<double>(report.events) / report.totalSeconds, report.totalSeconds, report.insertSeconds,
                report.bulk ? "index rebuild" : "no rebuild", report.rebuildSeconds,
                report.rollbackJournal ? "" : "+checkpoint", report.commitSeconds);
    std::printf("  CPU time             inserting thread %.2f s (%.1f us/case), preparing thread %.2f s (%.1f us/case)\n",
                report.insertCpuSeconds, report.insertCpuSeconds * 1e6 / static_cast<double>(n),
                report.prepareCpuSeconds, report.prepareCpuSeconds * 1e6 / static_cast<double>(n));
    if (noBaselines)
      return db;
    const double rawSeconds =
      rawImport(scratchFile(exclusive ? "raw-journal.db" : "raw-wal.db"), cases, all, RawShape::AsStored, report.rollbackJournal);
    const double rawRate = static_cast<double>(n) / rawSeconds;
    std::printf("  baseline raw insert  %10.0f cases/s  %10.0f events/s  (same rows, bare tables, %s, %.2f s)  "
                "ratio %.2f\n",
                rawRate, static_cast<double>(eventCount) / rawSeconds,
                report.rollbackJournal ? "rollback journal" : "WAL", rawSeconds, storeRate / rawRate);
    // For reference: the same cases with every event a row, as the store wrote them before revision 6.
    const double perEventSeconds =
      rawImport(scratchFile(exclusive ? "raw-journal-events.db" : "raw-wal-events.db"), cases, all, RawShape::PerEvent,
                report.rollbackJournal);
    const double perEventRate = static_cast<double>(n) / perEventSeconds;
    std::printf("  raw, a row per event %10.0f cases/s  %10.0f events/s  (the pre-revision-6 rows, bare tables, %.2f s)  "
                "ratio %.2f\n",
                perEventRate, static_cast<double>(eventCount) / perEventSeconds, perEventSeconds, storeRate / perEventRate);
    return db;
  };
  // The migration first: its file is gone before the store the later sections use is written.
  importInto(scratchFile("migration.gpkg"), true).reset();
  {
    auto db = importInto(storePath, false);
    store::CaseStore cases(*db, workflow, &clock);
    std::printf("  events stored        %10lld  (%lld as rows of case_events, the rest in %lld history rows)\n",
                static_cast<long long>(db->scalarInt("SELECT count(*) FROM case_event_log")),
                static_cast<long long>(db->scalarInt("SELECT count(*) FROM case_events")),
                static_cast<long long>(db->scalarInt("SELECT count(*) FROM case_histories")));
    std::printf("  open cases           %10lld\n",
                static_cast<long long>(db->scalarInt("SELECT count(*) FROM cases WHERE is_open = 1")));
    if (verify)
    {
      started = Clock::now();
      const auto problems = cases.verifyProjections(10);
      std::string integrity;
      {
        auto q = db->query("PRAGMA integrity_check");
        while (q.step())
          integrity += q->columnText(0) + " ";
      }
      auto rtree = db->query("SELECT rtreecheck('rtree_cases_geom')");
      std::printf("  verify               %zu problem(s) in the projections; integrity_check: %s; rtreecheck: %s (%.1f s)\n",
                  problems.size(), integrity.c_str(), rtree.step() ? rtree->columnText(0).c_str() : "?",
                  secondsSince(started));
      for (const std::string &p : problems)
        std::printf("    %s\n", p.c_str());
    }
    if (noBaselines)
    {
      removeScratch();
      if (!keep)
        std::filesystem::remove_all(dir);
      return 0;
    }
    const double projectionSeconds = rawImport(scratchFile("raw-projection.db"), cases, all, RawShape::CasesOnly, false);
    std::printf("  projection rows alone, raw %6.0f cases/s  (no events, bare table, WAL, %.2f s)\n",
                static_cast<double>(n) / projectionSeconds, projectionSeconds);
  }
  all = {};
  std::printf("  file size            %10.1f MB\n", static_cast<double>(std::filesystem::file_size(storePath)) / 1e6);
  if (skipQueries)
  {
    removeScratch();
    if (!keep)
      std::filesystem::remove_all(dir);
    return 0;
  }

  // ---- 2. open and be ready -----------------------------------------------------------
  std::vector<std::string> departments;
  for (const auto &d : config->departments.departments())
    departments.push_back(d.code);
  {
    // Untimed: whichever open came first after the import paid 50 ms to 3 s here (it creates
    // the -wal and -shm files again, presumably behind the file system's writeback of the
    // import); the comparison below is between two opens of a file at rest.
    sqlite3 *warm = nullptr;
    sqlite3_open_v2(storePath.c_str(), &warm, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_exec(warm, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    sqlite3_close(warm);
  }
  {
    auto t = Clock::now();
    sqlite3 *raw = nullptr;
    sqlite3_open_v2(storePath.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    const double rawOpen = secondsSince(t);

    t = Clock::now();
    auto db = store::Schema::open(storePath);
    store::CaseStore cases(*db, workflow, &clock);
    store::CaseFilter f;
    f.overdueAt = kNow;
    f.department = "fire";
    f.limit = 50;
    const auto first = cases.query(f);
    const double ready = secondsSince(t);
    std::printf("open and ready         %10.2f ms  (open, check schema, first overdue list of %zu rows)\n", ready * 1e3,
                first.size());
    std::printf("  baseline raw open    %10.2f ms  (sqlite3_open + one query)  ratio %.1f\n", rawOpen * 1e3,
                ready / rawOpen);
  }

  // ---- 3 + 4. queries, idle and while the writer ingests -------------------------------
  auto runQueries = [&](store::Database &reader, int deptIterations, int gridIterations) {
    store::CaseStore cases(reader, workflow, &clock);
    std::vector<double> dept, grid;
    std::mt19937 rng(7);
    for (int i = 0; i < deptIterations; ++i)
    {
      store::CaseFilter f;
      f.overdueAt = kNow;
      f.department = departments[rng() % departments.size()];
      f.limit = 100;
      const auto t = Clock::now();
      const auto rows = cases.query(f);
      dept.push_back(secondsSince(t) * 1e3);
    }
    for (int i = 0; i < gridIterations; ++i)
    {
      const auto t = Clock::now();
      const auto counts = cases.overdueByGrid(kNow, "620902", core::GridLevel::MicroGrid);
      grid.push_back(secondsSince(t) * 1e3);
    }
    return std::make_pair(percentiles(dept), percentiles(grid));
  };

  store::Database reader(storePath, store::Database::Mode::ReadOnly);
  const auto idle = runQueries(reader, 500, 50);

  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> ingested{0};
  std::pair<std::vector<double>, std::vector<double>> loaded;
  double ingestSeconds = 0;
  {
    store::Writer writer(storePath);
    std::atomic<int> inFlight{0};
    std::thread ingest([&] {
      std::mt19937 rng(3);
      int i = 0;
      while (!stop.load())
      {
        while (inFlight.load() > 512 && !stop.load())
          std::this_thread::sleep_for(std::chrono::milliseconds(1)); // not a spin: 2 cores are shared
        ++inFlight;
        const core::TimePoint at = kNow + std::chrono::seconds(i++);
        const std::string grid = gen.grids[rng() % gen.grids.size()];
        writer.submit(
          [&, at, grid](store::Database &db) {
            core::CaseCommand c = bench::benchCommand(core::CaseAction::Report, at,
                                      {.category = "0301", .lon = 98.5, .lat = 39.7, .grid = grid, .title = "live",
                                       .source = "patrol"});
            store::CaseStore(db, workflow, &clock).report(c);
          },
          [&](std::exception_ptr e) {
            if (!e)
              ++ingested;
            --inFlight;
          });
      }
    });
    const auto t = Clock::now();
    loaded = runQueries(reader, 2000, 200);
    ingestSeconds = secondsSince(t);
    stop = true;
    ingest.join();
    writer.flush();
  }
  const double ingestRate = static_cast<double>(ingested.load()) / ingestSeconds;
  std::printf("department overdue list (limit 100)   p50 %.3f ms  p99 %.3f ms  max %.3f ms  while ingesting\n",
              loaded.first[0], loaded.first[1], loaded.first[2]);
  std::printf("  baseline idle                       p50 %.3f ms  p99 %.3f ms  ratio p99 %.2f\n", idle.first[0],
              idle.first[1], loaded.first[1] / idle.first[1]);
  std::printf("district overdue counts per micro-grid p50 %.3f ms  p99 %.3f ms  max %.3f ms  while ingesting\n",
              loaded.second[0], loaded.second[1], loaded.second[2]);
  std::printf("  baseline idle                       p50 %.3f ms  p99 %.3f ms  ratio p99 %.2f\n", idle.second[0],
              idle.second[1], loaded.second[1] / idle.second[1]);
  std::printf("writer ingest meanwhile  %.0f reports/s (group commit, synchronous=FULL)\n", ingestRate);

  removeScratch();
  if (!keep)
    std::filesystem::remove_all(dir);
  return 0;
}
