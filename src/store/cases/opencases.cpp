#include "store/cases/opencases.h"

#include "store/cases/changefeed.h"
#include "store/database.h"
#include "store/timetext.h"

#include <sqlite3.h>

#include <chrono>
#include <optional>
#include <unordered_map>

namespace gd::store {

namespace {

//! "YYYY-MM-DDTHH:MM:SSZ", the store's own format, without the general RFC 3339 parser
//! (30,000 cases carry three instants each; anything else goes to fromDbTime).
std::optional<core::TimePoint> parseDbTime(const unsigned char *text, int size)
{
  if (!text || size == 0)
    return std::nullopt;
  const auto digit = [text](int at) { return static_cast<unsigned>(text[at]) - '0'; };
  const bool simple = size == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
                      text[16] == ':' && text[19] == 'Z';
  if (!simple)
    return fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  for (int at : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (digit(at) > 9)
      return fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  const int year = static_cast<int>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  const unsigned month = digit(5) * 10 + digit(6);
  const unsigned day = digit(8) * 10 + digit(9);
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok())
    return fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  const auto seconds = std::chrono::hours(digit(11) * 10 + digit(12)) + std::chrono::minutes(digit(14) * 10 + digit(15)) +
                       std::chrono::seconds(digit(17) * 10 + digit(18));
  return core::TimePoint(std::chrono::sys_days(date) + seconds);
}

// Straight from SQLite's column buffer: Statement::columnText and columnOptionalText would
// ask for the type and copy once more per column.
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

// Only what a pin and a queue row show: the full record (description, reporter, every stage
// instant …) would be read, parsed and freed for nothing. Open cases come through the partial
// index over open cases, unordered (see OpenCaseReader::read).
constexpr const char *kOpenCaseSql =
  "SELECT number, category, state, priority, source, title, address, lon, lat, grid_code, grid_level3_code, "
  "lead_dept, reported_at, warn_at, deadline FROM cases INDEXED BY cases_open_state WHERE is_open = 1";

CaseRecord leanRecord(sqlite3_stmt *s)
{
  CaseRecord r;
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

// PostgreSQL: no INDEXED BY and no order of its own; ordered as the SQLite index gives them
// (state, report time, then rowid), the order OpenCaseReader::read promises.
constexpr const char *kOpenCasePostgresSql =
  "SELECT number, category, state, priority, source, title, address, lon, lat, grid_code, grid_level3_code, "
  "lead_dept, reported_at, warn_at, deadline FROM cases WHERE is_open = 1 ORDER BY state, reported_at, id";

std::optional<core::TimePoint> timeOf(const std::optional<std::string> &text)
{
  if (!text)
    return std::nullopt;
  return parseDbTime(reinterpret_cast<const unsigned char *>(text->data()), static_cast<int>(text->size()));
}

//! leanRecord() through the Statement, for PostgreSQL (no sqlite3_stmt there).
CaseRecord leanRecord(const Statement &s)
{
  CaseRecord r;
  r.number = s.columnText(0);
  r.category = s.columnText(1);
  r.state = core::parseCaseState(s.columnText(2)).value_or(core::CaseState::Reported);
  r.priority = core::parsePriority(s.columnText(3)).value_or(core::Priority::Normal);
  r.source = s.columnText(4);
  r.title = s.columnText(5);
  r.address = s.columnText(6);
  r.point.lon = s.columnDouble(7);
  r.point.lat = s.columnDouble(8);
  r.gridCode = s.columnText(9);
  r.gridLevelCode = s.columnText(10);
  r.leadDepartment = s.columnText(11);
  r.reportedAt = timeOf(s.columnOptionalText(12)).value_or(core::TimePoint{});
  r.warnAt = timeOf(s.columnOptionalText(13));
  r.deadline = timeOf(s.columnOptionalText(14));
  return r;
}

bool alerting(const CaseRecord &record, core::TimePoint now)
{
  return record.light(now) == core::TrafficLight::Red || record.priority == core::Priority::Emergency;
}

} // namespace

OpenCaseReader::OpenCaseReader(Database &db, CaseScope scope)
  : mDb(db)
  , mScope(std::move(scope))
  , mScopeSql(mScope.sqlCondition())
{}

std::vector<GridOpenCounts> OpenCaseReader::countsPerGrid(core::TimePoint now, core::TimePoint newSince)
{
  std::vector<GridOpenCounts> counts;
  {
    // Answered from the partial index alone (grid_code, deadline, state over open cases): the
    // 网格 is the first 15 digits of the case's grid code. A pin is counted in the grid its
    // point lies in (grid_level3_code, not indexed); the two agree but for a case reported on
    // a boundary, and the console's live layer counts from the pins once they are in.
    // PostgreSQL: no INDEXED BY, a boolean it does not sum, and groups in no order unless asked.
    auto q = mDb.query(mDb.dialect("SELECT substr(grid_code, 1, 15), count(*), sum(deadline < ?) FROM cases INDEXED BY "
                                   "cases_open_grid WHERE is_open = 1 AND length(grid_code) >= 15 AND " + mScopeSql + " GROUP BY 1",
                                   "SELECT substr(grid_code, 1, 15), count(*), sum(CASE WHEN deadline < ? THEN 1 ELSE 0 END) "
                                   "FROM cases WHERE is_open = 1 AND length(grid_code) >= 15 AND " + mScopeSql + " GROUP BY 1 ORDER BY 1"));
    q.bindAll(toDbTime(now));
    while (q.step())
      counts.push_back({q->columnText(0), static_cast<int>(q->columnInt(1)), static_cast<int>(q->columnInt(2)), 0});
  }
  // New today: few cases, found by the report-time index.
  auto q = mDb.query(mDb.dialect("SELECT substr(grid_code, 1, 15), count(*) FROM cases INDEXED BY cases_reported_at "
                                 "WHERE reported_at >= ? AND is_open = 1 AND length(grid_code) >= 15 AND " + mScopeSql + " GROUP BY 1",
                                 "SELECT substr(grid_code, 1, 15), count(*) FROM cases "
                                 "WHERE reported_at >= ? AND is_open = 1 AND length(grid_code) >= 15 AND " + mScopeSql + " GROUP BY 1"));
  q.bindAll(toDbTime(newSince));
  std::unordered_map<std::string, int> newToday;
  while (q.step())
    newToday[q->columnText(0)] = static_cast<int>(q->columnInt(1));
  for (GridOpenCounts &count : counts)
    if (const auto it = newToday.find(count.grid); it != newToday.end())
      count.newToday = it->second;
  return counts;
}

OpenCaseSnapshot OpenCaseReader::read(core::TimePoint now)
{
  OpenCaseSnapshot snapshot;
  std::optional<Transaction> transaction;
  if (!mDb.inTransaction())
    transaction.emplace(mDb, Transaction::Kind::Deferred);
  snapshot.newestEventId = ChangeFeed(mDb, mScope).newestEventId();
  // The scope goes before the PostgreSQL ORDER BY and after SQLite's WHERE.
  std::string postgres = kOpenCasePostgresSql;
  postgres.insert(postgres.find(" ORDER BY"), " AND " + mScopeSql);
  auto q = mDb.query(mDb.dialect(std::string(kOpenCaseSql) + " AND " + mScopeSql, postgres));
  while (q.step())
  {
    CaseRecord record = mDb.isPostgres() ? leanRecord(*q) : leanRecord(q->handle());
    (alerting(record, now) ? snapshot.alerts : snapshot.others).push_back(std::move(record));
  }
  if (transaction)
    transaction->commit();
  return snapshot;
}

} // namespace gd::store
