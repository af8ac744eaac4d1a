#include "store/supervision/supervisionwall.h"

#include "core/gridcode.h"
#include "store/database.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace gd::store {

namespace {

// The predicate of the partial indexes over open cases, spelled exactly as in the schema so the
// planner can use them. The wall names its index: every case it lists is in the range
// warn_at <= now of cases_open_warn (a few thousand at most), while a plan that walks another
// index in deadline order to skip the sort reads every open case.
#define GD_WALL_OPEN_CASES "is_open = 1"

// The wall's filter: every value a parameter, empty values match everything. The grid subtree
// is a range over the code (codes are digits, so the end is the prefix with its last digit
// raised); ?1 is the grid prefix, ?2 its end, ?3 the department.
constexpr const char *kScopeFilter = " AND (?1 = '' OR (grid_code >= ?1 AND grid_code < ?2)) AND (?3 = '' OR lead_dept = ?3)";

// The open cases past their 80 % mark. SQLite is told the index (see above); PostgreSQL's
// planner picks cases_open_warn (same predicate) by its statistics and has no INDEXED BY.
std::string_view openWarnCases(const Database &db)
{
  return db.dialect("cases INDEXED BY cases_open_warn", "cases");
}

std::string subtreeEnd(const std::string &prefix)
{
  if (prefix.empty())
    return prefix;
  std::string end = prefix;
  ++end.back();
  return end;
}

} // namespace

SupervisionWall::SupervisionWall(Database &db)
  : mDb(db)
{}

std::vector<WallCase> SupervisionWall::cases(core::TimePoint now, const WallScope &scope)
{
  const std::string at = toDbTime(now);
  std::vector<std::string> numbers;
  {
    // ?8: the categories as a JSON array of codes, each a category or its major class.
    const std::string_view categories =
      mDb.dialect("(?8 = '[]' OR EXISTS (SELECT 1 FROM json_each(?8) j WHERE "
                  "j.value = category OR j.value = substr(category, 1, 2)))",
                  "(CAST(?8 AS TEXT) = '[]' OR EXISTS (SELECT 1 FROM json_array_elements_text(CAST(?8 AS json)) j(value) "
                  "WHERE j.value = category OR j.value = substr(category, 1, 2)))");
    auto q = mDb.query("SELECT number FROM " + std::string(openWarnCases(mDb)) + " WHERE " GD_WALL_OPEN_CASES
                       " AND warn_at <= ?4" + kScopeFilter + " AND (?5 = 0 OR deadline < ?4) AND " +
                       std::string(categories) + " ORDER BY deadline, id LIMIT ?6 OFFSET ?7");
    q->bindFrom(1, scope.gridPrefix, subtreeEnd(scope.gridPrefix), scope.department, at, scope.overdueOnly ? 1 : 0,
                scope.limit, scope.offset, nlohmann::json(scope.categories).dump());
    while (q.step())
      numbers.push_back(q->columnText(0));
  }
  CaseStore store(mDb, mReadOnly);
  SupervisionStore supervision(mDb, mReadOnly, nullptr);
  std::vector<WallCase> out;
  out.reserve(numbers.size());
  for (const std::string &number : numbers)
  {
    auto record = store.find(number);
    if (!record || !record->deadline)
      continue;
    WallCase c;
    c.light = record->light(now);
    c.untilDeadline = *record->deadline - now;
    {
      auto q = mDb.query("SELECT count(*) FROM supervisions WHERE case_id = ?");
      q.bindAll(record->id);
      c.supervisionCount = q.step() ? static_cast<int>(q->columnInt(0)) : 0;
    }
    if (c.supervisionCount > 0)
      c.lastSupervision = supervision.records(number).back();
    c.record = std::move(*record);
    out.push_back(std::move(c));
  }
  return out;
}

WallCounts SupervisionWall::counts(core::TimePoint now, const WallScope &scope)
{
  // A comparison is 0/1 on SQLite, a boolean PostgreSQL does not sum.
  auto q = mDb.query(std::string("SELECT count(*), coalesce(sum(") +
                     std::string(mDb.dialect("deadline < ?4", "CASE WHEN deadline < ?4 THEN 1 ELSE 0 END")) + "), 0) FROM " +
                     std::string(openWarnCases(mDb)) + " WHERE " GD_WALL_OPEN_CASES " AND warn_at <= ?4" + kScopeFilter +
                     " AND (?5 = 0 OR deadline < ?4)");
  q->bindFrom(1, scope.gridPrefix, subtreeEnd(scope.gridPrefix), scope.department, toDbTime(now),
              scope.overdueOnly ? 1 : 0);
  WallCounts counts;
  if (q.step())
  {
    counts.overdue = q->columnInt(1);
    counts.yellow = q->columnInt(0) - counts.overdue;
  }
  return counts;
}

std::vector<DepartmentCount> SupervisionWall::overdueByDepartment(core::TimePoint now, const std::string &gridPrefix)
{
  std::vector<DepartmentCount> out;
  // An overdue case is past its 80 % mark too (warn_at <= deadline < now): the wall's covering
  // index answers this without reading the table.
  auto q = mDb.query("SELECT coalesce(lead_dept, ''), count(*) FROM " + std::string(openWarnCases(mDb)) +
                     " WHERE " GD_WALL_OPEN_CASES " AND warn_at <= ?1 AND deadline < ?1 AND (?2 = '' OR "
                     "(grid_code >= ?2 AND grid_code < ?3)) GROUP BY 1 ORDER BY 2 DESC, 1");
  q->bindFrom(1, toDbTime(now), gridPrefix, subtreeEnd(gridPrefix));
  while (q.step())
    out.push_back({q->columnText(0), q->columnInt(1)});
  return out;
}

std::vector<RankingRow> SupervisionWall::ranking(const core::KpiCalculator &kpi, RankingBy by, core::TimePoint from,
                                                 core::TimePoint to, const std::string &gridPrefix,
                                                 const std::string &department)
{
  // Each case counts once, in the bucket of its department (as it stood at the period end) or
  // township; KpiCalculator then applies the same definitions as every KPI report.
  std::map<std::string, std::vector<core::Case>> buckets;
  for (core::Case &c : CaseStore(mDb, mReadOnly).casesForPeriod(from, to, gridPrefix))
  {
    std::vector<core::CaseEvent> events;
    for (const core::CaseEvent &e : c.events())
      if (e.at < to)
        events.push_back(e);
    if (events.empty())
      continue;
    const core::Case atEnd = core::Case::fromEvents(events);
    if (!department.empty() && atEnd.leadDepartment() != department)
      continue;
    std::string key;
    if (by == RankingBy::Department)
      key = atEnd.leadDepartment();
    else if (const auto grid = core::GridCode::parse(atEnd.reportedGrid()))
      if (const auto township = grid->ancestorAt(core::GridLevel::Township))
        key = township->str();
    if (!key.empty())
      buckets[key].push_back(std::move(c));
  }
  std::vector<RankingRow> rows;
  for (const auto &[key, list] : buckets)
  {
    const core::KpiReport report = kpi.compute(list, from, to);
    rows.push_back({key, report.overdue, report.onTimeRate, report.received});
  }
  std::sort(rows.begin(), rows.end(), [](const RankingRow &a, const RankingRow &b) {
    if (a.overdue != b.overdue)
      return a.overdue > b.overdue;
    const auto ra = a.onTimeRate.value(), rb = b.onTimeRate.value();
    if (ra.has_value() != rb.has_value())
      return ra.has_value();
    if (ra && *ra != *rb)
      return *ra < *rb;
    return a.key < b.key;
  });
  return rows;
}

} // namespace gd::store
