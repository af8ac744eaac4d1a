#include "store/cases/changefeed.h"

#include "store/database.h"
#include "store/timetext.h"

#include <algorithm>

namespace gd::store {

ChangeFeed::ChangeFeed(Database &db, CaseScope scope)
  : mDb(db)
  , mScopeSql(scope.sqlCondition("c"))
{}

void ChangeFeed::listen()
{
  mDb.listen("gd_changes");
}

bool ChangeFeed::waitForChange(std::chrono::milliseconds timeout)
{
  return mDb.waitForNotification(timeout);
}

std::int64_t ChangeFeed::newestEventId()
{
  // A scoped watcher starts from the newest event overall all the same (on PostgreSQL a seat's
  // role sees only its own cases' events, which is a cursor as good: later events are newer).
  return mDb.scalarInt("SELECT COALESCE(MAX(id), 0) FROM case_events");
}

std::vector<std::string> ChangeFeed::casesChangedSince(std::int64_t &cursor)
{
  std::vector<std::string> numbers;
  // In number order: SQLite's GROUP BY gives it; PostgreSQL's hash aggregate does not unless asked.
  auto q = mDb.query(mDb.dialect("SELECT c.number, MAX(e.id) FROM case_events e JOIN cases c ON c.id = e.case_id "
                                 "WHERE e.id > ? AND " + mScopeSql + " GROUP BY c.number",
                                 "SELECT c.number, MAX(e.id) FROM case_events e JOIN cases c ON c.id = e.case_id "
                                 "WHERE e.id > ? AND " + mScopeSql + " GROUP BY c.number ORDER BY c.number"));
  q.bindAll(cursor);
  std::int64_t newest = cursor;
  while (q.step())
  {
    numbers.push_back(q->columnText(0));
    newest = std::max(newest, q->columnInt(1));
  }
  cursor = newest;
  return numbers;
}

std::vector<std::string> ChangeFeed::lightsChangedBetween(core::TimePoint from, core::TimePoint to)
{
  std::vector<std::string> numbers;
  const std::string after = toDbTime(from);
  const std::string until = toDbTime(to);
  auto q = mDb.query("SELECT c.number FROM cases c WHERE c.is_open = 1 "
                     "AND ((c.deadline > ? AND c.deadline <= ?) OR (c.warn_at > ? AND c.warn_at <= ?)) AND " + mScopeSql);
  q.bindAll(after, until, after, until);
  while (q.step())
    numbers.push_back(q->columnText(0));
  return numbers;
}

std::vector<ChangeFeed::Fix> ChangeFeed::positionsSince(std::string &cursor)
{
  std::vector<Fix> fixes;
  auto q = mDb.query("SELECT worker_id, at, lon, lat FROM worker_positions WHERE at > ? ORDER BY at");
  q.bindAll(cursor);
  while (q.step())
  {
    const std::string at = q->columnText(1);
    Fix fix;
    fix.workerId = q->columnText(0);
    fix.at = fromDbTime(at).value_or(nowUtc()); // an unreadable time: as if just now
    fix.point = {q->columnDouble(2), q->columnDouble(3)};
    fixes.push_back(std::move(fix));
    cursor = std::max(cursor, at);
  }
  return fixes;
}

} // namespace gd::store
