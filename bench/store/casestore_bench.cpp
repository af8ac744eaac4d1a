// bench_store_cases [--cases N] [--dir DIR] [--keep]
//
// Builds a store of N cases (≈97 % closed, the rest open in every state, over one year,
// 1,000 micro-grids, every category of the catalog) and measures, each beside a baseline
// measured in the same run:
//   1. bulk import (cases/s)       vs raw SQLite batched insert of the same rows into bare tables
//   2. open-and-ready time         vs sqlite3_open + one query on the same file
//   3. one department's overdue list, p50/p99       idle vs while the Writer ingests
//   4. overdue counts per grid for the district, p50/p99   idle vs while the Writer ingests
// Default N = 20,000 (seconds); the full-size run is --cases 1000000.

#include "core/buildinfo.h"
#include "core/casenumber.h"
#include "core/slaclock.h"
#include "store/casestore.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/geopackage.h"
#include "store/schema.h"
#include "store/timetext.h"
#include "store/writer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
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

struct Template
{
  std::vector<core::CaseEvent> events;
  core::TimePoint base;
};

const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);

core::CaseCommand cmd(core::CaseAction a, core::TimePoint at, nlohmann::json data = nlohmann::json::object())
{
  core::CaseCommand c;
  c.action = a;
  c.actor = "bench";
  c.at = at;
  c.data = std::move(data);
  if (a == core::CaseAction::Park || a == core::CaseAction::Void || a == core::CaseAction::Return)
    c.note = "bench";
  return c;
}

//! Events of a case walked along the main path to the \a steps-th state (1 = reported .. 9 = archived).
Template makeTemplate(const core::Workflow &workflow, int steps)
{
  using A = core::CaseAction;
  const core::TimePoint t = core::beijingTime(2026, 1, 5, 9, 0);
  const std::vector<std::pair<A, int>> path = {{A::Register, 5},  {A::Accept, 30},  {A::Assign, 60},
                                               {A::StartHandling, 90}, {A::Feedback, 60 * 24},
                                               {A::Close, 60 * 26},    {A::Visit, 60 * 48}, {A::Archive, 60 * 50}};
  core::Case c("620902-20260105-000001");
  auto apply = [&](const core::CaseCommand &command) {
    core::CaseEvent e = workflow.apply(c, command);
    e.caseNumber = c.number();
    c.apply(e);
  };
  apply(cmd(A::Report, t,
            {{"category", "0301"}, {"lon", 98.5}, {"lat", 39.7}, {"grid", "620902001001001001"}, {"title", "bench"},
             {"source", "patrol"}, {"address", "bench address"}}));
  for (int i = 0; i + 1 < steps; ++i)
  {
    nlohmann::json data = nlohmann::json::object();
    if (path[i].first == A::Assign)
      data = {{"lead", "fire"}, {"worker", "worker-1"}};
    if (path[i].first == A::Visit)
      data = {{"satisfaction", "satisfied"}};
    apply(cmd(path[i].first, t + std::chrono::minutes(path[i].second), data));
  }
  return {c.events(), t};
}

struct Generator
{
  const core::CategoryCatalog &catalog;
  std::vector<Template> templates; // index = steps - 1
  std::vector<std::string> grids;
  std::map<std::string, int> perDay;
  std::mt19937_64 rng{42};
  std::size_t total;

  Generator(const core::CategoryCatalog &c, const core::Workflow &workflow, std::size_t n)
    : catalog(c)
    , total(n)
  {
    for (int steps = 1; steps <= 9; ++steps)
      templates.push_back(makeTemplate(workflow, steps));
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
    const Template &tpl = templates[static_cast<std::size_t>(steps - 1)];
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
        e.data["category"] = category.code;
        e.data["grid"] = grid;
        e.data["lon"] = 98.4 + static_cast<double>(rng() % 10000) * 1e-5;
        e.data["lat"] = 39.6 + static_cast<double>(rng() % 10000) * 1e-5;
      }
      if (e.action == core::CaseAction::Assign)
        e.data["lead"] = category.leadDepartment;
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

void rawSchema(store::Database &db)
{
  db.exec("CREATE TABLE cases_raw (id INTEGER PRIMARY KEY, geom BLOB, number TEXT, category TEXT, state TEXT, "
          "priority TEXT, source TEXT, title TEXT, description TEXT, address TEXT, reporter_name TEXT, "
          "reporter_phone TEXT, lon REAL, lat REAL, grid_code TEXT, district_code TEXT, township_code TEXT, "
          "community_code TEXT, grid_level3_code TEXT, microgrid_code TEXT, responsible_grid TEXT, lead_dept TEXT, "
          "assisting_depts TEXT, worker_id TEXT, reported_at TEXT, accepted_at TEXT, assigned_at TEXT, "
          "handled_at TEXT, closed_at TEXT, stage TEXT, stage_started_at TEXT, warn_at TEXT, deadline TEXT, "
          "supervised INTEGER, urge_count INTEGER, satisfaction TEXT, merged_into TEXT, last_seq INTEGER, "
          "updated_at TEXT);"
          "CREATE TABLE events_raw (id INTEGER PRIMARY KEY, case_id INTEGER, seq INTEGER, action TEXT, actor TEXT, "
          "at TEXT, from_state TEXT, to_state TEXT, note TEXT, data TEXT);");
}

std::optional<std::string> opt(const std::string &s)
{
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}
std::optional<std::string> opt(const std::optional<core::TimePoint> &t)
{
  return t ? std::optional<std::string>(store::toDbTime(*t)) : std::nullopt;
}

// The same rows as the store writes, into bare tables: no indexes, no upsert, no triggers.
void rawInsert(store::Database &db, const std::vector<store::CaseRecord> &records, const std::vector<core::Case> &cases,
               std::int64_t &nextId)
{
  store::Transaction tx(db);
  auto c = db.query("INSERT INTO cases_raw VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto e = db.query("INSERT INTO events_raw (case_id, seq, action, actor, at, from_state, to_state, note, data) "
                    "VALUES (?,?,?,?,?,?,?,?,?)");
  for (std::size_t i = 0; i < records.size(); ++i)
  {
    const store::CaseRecord &r = records[i];
    const std::int64_t id = ++nextId;
    c->bind(1, id).bindBlob(2, store::geopackage::encodePoint(r.point));
    c->bindFrom(3, r.number, r.category, core::caseStateName(r.state), core::priorityName(r.priority), r.source, r.title,
                r.description, r.address, opt(r.reporterName), opt(r.reporterPhone), r.point.lon, r.point.lat,
                opt(r.gridCode), opt(r.districtCode), opt(r.townshipCode), opt(r.communityCode), opt(r.gridLevelCode),
                opt(r.microGridCode), opt(r.responsibleGrid), opt(r.leadDepartment), opt(r.assistingDepartments),
                opt(r.workerId), store::toDbTime(r.reportedAt), opt(r.acceptedAt), opt(r.assignedAt), opt(r.handledAt),
                opt(r.closedAt), opt(r.stage), opt(r.stageStartedAt), opt(r.warnAt), opt(r.deadline),
                r.supervised ? 1 : 0, r.urgeCount, opt(r.satisfaction), opt(r.mergedInto), r.lastSeq,
                store::toDbTime(r.updatedAt));
    c.run();
    c->reset();
    int seq = 0;
    for (const core::CaseEvent &ev : cases[i].events())
    {
      std::optional<std::string> from;
      if (ev.action != core::CaseAction::Report)
        from = std::string(core::caseStateName(ev.from));
      e.bindAll(id, ++seq, core::caseActionName(ev.action), ev.actor, store::toDbTime(ev.at), from,
                core::caseStateName(ev.to), ev.note, ev.data.dump());
      e.run();
      e->reset();
    }
  }
  tx.commit();
}

} // namespace

int main(int argc, char **argv)
{
  std::size_t n = 20000;
  std::filesystem::path dir;
  bool keep = false;
  for (int i = 1; i < argc; ++i)
  {
    const std::string arg = argv[i];
    if (arg == "--cases" && i + 1 < argc)
      n = std::stoul(argv[++i]);
    else if (arg == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (arg == "--keep")
      keep = true;
    else
    {
      std::cerr << "usage: bench_store_cases [--cases N] [--dir DIR] [--keep]\n";
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
  const auto rawPath = dir / "raw.db";
  std::filesystem::remove(storePath);
  std::filesystem::remove(rawPath);

  auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  core::Workflow workflow(&config->departments);
  core::SlaClock clock(config->catalog, config->calendar);
  Generator gen(config->catalog, workflow, n);

  std::printf("store benchmark: %zu cases (%s)\n", n, storePath.c_str());

  // ---- 1. bulk import -----------------------------------------------------------------
  const std::size_t chunk = 10000;
  const std::size_t rawLimit = std::min<std::size_t>(n, 200000); // the baseline runs on the first cases only
  double storeSeconds = 0, rawSeconds = 0, genSeconds = 0;
  std::size_t rawCases = 0;
  std::int64_t rawNextId = 0;
  {
    auto db = store::Schema::openOrCreate(storePath);
    store::Database raw(rawPath, store::Database::Mode::ReadWriteCreate);
    rawSchema(raw);
    store::CaseStore cases(*db, workflow, &clock);
    for (std::size_t done = 0; done < n; done += chunk)
    {
      auto t = Clock::now();
      std::vector<core::Case> batch;
      const std::size_t count = std::min(chunk, n - done);
      batch.reserve(count);
      for (std::size_t i = 0; i < count; ++i)
        batch.push_back(gen.make(done + i));
      genSeconds += secondsSince(t);

      t = Clock::now();
      cases.importCases(batch);
      storeSeconds += secondsSince(t);

      if (done < rawLimit)
      {
        std::vector<store::CaseRecord> records;
        records.reserve(batch.size());
        for (const core::Case &c : batch)
          records.push_back(cases.project(c)); // precomputed: the baseline times the inserts only
        t = Clock::now();
        rawInsert(raw, records, batch, rawNextId);
        rawSeconds += secondsSince(t);
        rawCases += batch.size();
      }
    }
    const double storeRate = static_cast<double>(n) / storeSeconds;
    const double rawRate = static_cast<double>(rawCases) / rawSeconds;
    std::printf("bulk import            %10.0f cases/s  (%.2f s; generation %.2f s, not counted)\n", storeRate,
                storeSeconds, genSeconds);
    std::printf("  baseline raw insert  %10.0f cases/s  (same rows, bare tables, first %zu cases)  ratio %.2f\n",
                rawRate, rawCases, storeRate / rawRate);
    std::printf("  events stored        %10lld\n", static_cast<long long>(db->scalarInt("SELECT count(*) FROM case_events")));
    std::printf("  open cases           %10lld\n",
                static_cast<long long>(db->scalarInt("SELECT count(*) FROM cases WHERE state NOT IN "
                                                     "('closed','visited','archived','voided','merged')")));
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::filesystem::remove(rawPath);
  std::printf("  file size            %10.1f MB\n", static_cast<double>(std::filesystem::file_size(storePath)) / 1e6);

  // ---- 2. open and be ready -----------------------------------------------------------
  std::vector<std::string> departments;
  for (const auto &d : config->departments.departments())
    departments.push_back(d.code);
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
            core::CaseCommand c = cmd(core::CaseAction::Report, at,
                                      {{"category", "0301"}, {"lon", 98.5}, {"lat", 39.7}, {"grid", grid},
                                       {"title", "live"}, {"source", "patrol"}});
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

  if (!keep)
    std::filesystem::remove_all(dir);
  return 0;
}
