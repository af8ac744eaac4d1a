// bench_store_opencases --store FILE [--rounds N]
//
// The console's first reads over a 1,000,000-case store (issue 15 moved them into the store):
// store::OpenCaseReader::read (every open case, alerts first, the newest event id in the same
// snapshot) and countsPerGrid (open / overdue / new today per 网格), beside the console's former
// code (storeaccess.cpp before the move: its own SQL through sqlite3_column_*), kept here
// verbatim as the baseline. The two alternate, N rounds, on one read-only connection each,
// like the console's loader, so a neighbour's load hurts each alike; medians, min and max. Rows,
// their order and the counts are checked equal between the two. FILE as the map benchmarks write it:
//   build/bench/map/districtview_bench --store FILE --cold 1 --runs 1   (writes FILE first)
#include "store/cases/changefeed.h"
#include "store/database.h"
#include "store/cases/opencases.h"
#include "store/timetext.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace gd;

double msSince(Clock::time_point start)
{
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// ---- the baseline: console/storeaccess.cpp as of a2c6a43, its store part only ----

std::optional<core::TimePoint> parseDbTime(const unsigned char *text, int size)
{
  if (!text || size == 0)
    return std::nullopt;
  const auto digit = [text](int at) { return static_cast<unsigned>(text[at]) - '0'; };
  const bool simple = size == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
                      text[16] == ':' && text[19] == 'Z';
  if (!simple)
    return store::fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  for (int at : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (digit(at) > 9)
      return store::fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  const int year = static_cast<int>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  const unsigned month = digit(5) * 10 + digit(6);
  const unsigned day = digit(8) * 10 + digit(9);
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok())
    return store::fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  const auto seconds = std::chrono::hours(digit(11) * 10 + digit(12)) + std::chrono::minutes(digit(14) * 10 + digit(15)) +
                       std::chrono::seconds(digit(17) * 10 + digit(18));
  return core::TimePoint(std::chrono::sys_days(date) + seconds);
}

std::string textAt(sqlite3_stmt *statement, int column)
{
  const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column))) : std::string();
}

std::optional<core::TimePoint> timeAt(sqlite3_stmt *statement, int column)
{
  const unsigned char *text = sqlite3_column_text(statement, column);
  return parseDbTime(text, text ? sqlite3_column_bytes(statement, column) : 0);
}

constexpr const char *kOpenCaseSql =
  "SELECT number, category, state, priority, source, title, address, lon, lat, grid_code, grid_level3_code, "
  "lead_dept, reported_at, warn_at, deadline FROM cases INDEXED BY cases_open_state WHERE is_open = 1";

store::CaseRecord leanRecord(sqlite3_stmt *s)
{
  store::CaseRecord r;
  r.number = textAt(s, 0);
  r.category = textAt(s, 1);
  r.state = core::parseCaseState(textAt(s, 2)).value_or(core::CaseState::Reported);
  r.priority = core::parsePriority(textAt(s, 3)).value_or(core::Priority::Normal);
  r.source = textAt(s, 4);
  r.title = textAt(s, 5);
  r.address = textAt(s, 6);
  r.point.lon = sqlite3_column_double(s, 7);
  r.point.lat = sqlite3_column_double(s, 8);
  r.gridCode = textAt(s, 9);
  r.gridLevelCode = textAt(s, 10);
  r.leadDepartment = textAt(s, 11);
  r.reportedAt = timeAt(s, 12).value_or(core::TimePoint{});
  r.warnAt = timeAt(s, 13);
  r.deadline = timeAt(s, 14);
  return r;
}

bool alerting(const store::CaseRecord &record, core::TimePoint now)
{
  return record.light(now) == core::TrafficLight::Red || record.priority == core::Priority::Emergency;
}

store::OpenCaseSnapshot formerRead(store::Database &db, core::TimePoint now)
{
  store::OpenCaseSnapshot out;
  store::Transaction snapshot(db, store::Transaction::Kind::Deferred);
  out.newestEventId = store::ChangeFeed(db).newestEventId();
  auto q = db.query(kOpenCaseSql);
  while (q.step())
  {
    store::CaseRecord record = leanRecord(q->handle());
    (alerting(record, now) ? out.alerts : out.others).push_back(std::move(record));
  }
  snapshot.commit();
  return out;
}

std::vector<store::GridOpenCounts> formerCounts(store::Database &db, core::TimePoint now, core::TimePoint todayStart)
{
  std::vector<store::GridOpenCounts> counts;
  {
    auto q = db.query("SELECT substr(grid_code, 1, 15), count(*), sum(deadline < ?) FROM cases INDEXED BY "
                      "cases_open_grid WHERE is_open = 1 AND length(grid_code) >= 15 GROUP BY 1");
    q.bindAll(store::toDbTime(now));
    while (q.step())
      counts.push_back({q->columnText(0), static_cast<int>(q->columnInt(1)), static_cast<int>(q->columnInt(2)), 0});
  }
  auto q = db.query("SELECT substr(grid_code, 1, 15), count(*) FROM cases INDEXED BY cases_reported_at "
                    "WHERE reported_at >= ? AND is_open = 1 AND length(grid_code) >= 15 GROUP BY 1");
  q.bindAll(store::toDbTime(todayStart));
  std::map<std::string, int> newToday;
  while (q.step())
    newToday[q->columnText(0)] = static_cast<int>(q->columnInt(1));
  for (store::GridOpenCounts &count : counts)
    if (const auto it = newToday.find(count.grid); it != newToday.end())
      count.newToday = it->second;
  return counts;
}

// ---- the run ----

std::vector<std::string> numbers(const store::OpenCaseSnapshot &s)
{
  std::vector<std::string> out;
  for (const auto *list : {&s.alerts, &s.others})
    for (const store::CaseRecord &r : *list)
      out.push_back(r.number);
  return out;
}

struct Figures
{
  std::vector<double> ms;
  void print(const char *label) const
  {
    std::vector<double> v = ms;
    std::sort(v.begin(), v.end());
    std::printf("  %-44s median %7.1f ms  (min %6.1f, max %6.1f, %zu runs)\n", label, v[v.size() / 2], v.front(), v.back(),
                v.size());
  }
  double median() const
  {
    std::vector<double> v = ms;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }
};

} // namespace

int main(int argc, char **argv)
{
  std::string path;
  int rounds = 10;
  for (int i = 1; i + 1 < argc; i += 2)
  {
    if (!std::strcmp(argv[i], "--store"))
      path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--rounds"))
      rounds = std::max(1, std::atoi(argv[i + 1]));
  }
  if (path.empty())
  {
    std::fprintf(stderr, "usage: bench_store_opencases --store FILE [--rounds N]\n");
    return 2;
  }
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::int64_t nowSecs = now.time_since_epoch().count();
  const core::TimePoint todayStart(std::chrono::seconds(nowSecs - (nowSecs + 8 * 3600) % 86400));
  store::Database formerDb(path, store::Database::Mode::ReadOnly);
  store::Database storeDb(path, store::Database::Mode::ReadOnly);
  Figures formerRead_, storeRead, formerCounts_, storeCounts;
  std::size_t open = 0;
  std::size_t alerts = 0;
  bool same = true;
  // Once each unmeasured: the page cache and the statement caches warm for both alike.
  same = numbers(formerRead(formerDb, now)) == numbers(store::OpenCaseReader(storeDb).read(now));
  const auto formerCounted = formerCounts(formerDb, now, todayStart);
  const auto storeCounted = store::OpenCaseReader(storeDb).countsPerGrid(now, todayStart);
  same = same && formerCounted.size() == storeCounted.size();
  for (std::size_t i = 0; same && i < formerCounted.size(); ++i)
    same = formerCounted[i].grid == storeCounted[i].grid && formerCounted[i].open == storeCounted[i].open &&
           formerCounted[i].overdue == storeCounted[i].overdue && formerCounted[i].newToday == storeCounted[i].newToday;
  for (int round = 0; round < rounds; ++round)
  {
    // Alternate which goes first, so neither always finds the other's pages freshly touched.
    for (int turn = 0; turn < 2; ++turn)
    {
      const bool former = (round + turn) % 2 == 0;
      auto start = Clock::now();
      const store::OpenCaseSnapshot read = former ? formerRead(formerDb, now) : store::OpenCaseReader(storeDb).read(now);
      (former ? formerRead_ : storeRead).ms.push_back(msSince(start));
      open = read.alerts.size() + read.others.size();
      alerts = read.alerts.size();
      start = Clock::now();
      const auto counts = former ? formerCounts(formerDb, now, todayStart) : store::OpenCaseReader(storeDb).countsPerGrid(now, todayStart);
      (former ? formerCounts_ : storeCounts).ms.push_back(msSince(start));
      same = same && counts.size() == storeCounted.size();
    }
  }
  std::printf("the console's first reads over %s: %zu open cases (%zu alerts), %d rounds alternating\n", path.c_str(), open,
              alerts, rounds);
  formerRead_.print("every open case, former console code");
  storeRead.print("every open case, store::OpenCaseReader::read");
  std::printf("    ratio store / former %.2f\n", storeRead.median() / formerRead_.median());
  formerCounts_.print("counts per grid, former console code");
  storeCounts.print("counts per grid, OpenCaseReader::countsPerGrid");
  std::printf("    ratio store / former %.2f\n", storeCounts.median() / formerCounts_.median());
  std::printf("  same cases in the same order, same counts: %s\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
