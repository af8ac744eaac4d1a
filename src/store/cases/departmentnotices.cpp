#include "store/cases/departmentnotices.h"

#include "store/writescope.h"

#include "core/workcalendar.h"
#include "store/database.h"
#include "store/storeerror.h"
#include "store/timetext.h"

namespace gd::store {

namespace {

constexpr const char *kSelect =
  "SELECT n.id, n.department, n.kind, coalesce(c.number, ''), coalesce(e.number, ''), n.message, n.link, n.deadline, "
  "n.created_at, coalesce(n.acknowledged_by, ''), n.acknowledged_at "
  "FROM department_notices n LEFT JOIN cases c ON c.id = n.case_id LEFT JOIN emergencies e ON e.id = n.emergency_id ";

DepartmentNotice readNotice(Statement &s)
{
  DepartmentNotice n;
  n.id = s.columnInt(0);
  n.department = s.columnText(1);
  n.kind = parseNoticeKind(s.columnText(2)).value_or(NoticeKind::Urge);
  n.caseNumber = s.columnText(3);
  n.incident = s.columnText(4);
  n.message = s.columnText(5);
  n.link = s.columnText(6);
  n.deadline = fromDbTime(s.columnText(7));
  n.createdAt = fromDbTime(s.columnText(8)).value_or(core::TimePoint{});
  n.acknowledgedBy = s.columnText(9);
  n.acknowledgedAt = fromDbTime(s.columnText(10));
  return n;
}

std::optional<std::int64_t> idOf(Database &db, const char *sql, const std::string &number, const char *reason,
                                 const char *what)
{
  if (number.empty())
    return std::nullopt;
  auto q = db.query(sql);
  q.bindAll(number);
  if (!q.step())
    throw StoreRefusal(reason, std::string("no ") + what + " '" + number + "'");
  return q->columnInt(0);
}

} // namespace

std::string_view noticeKindName(NoticeKind kind)
{
  switch (kind)
  {
    case NoticeKind::Urge:
      return "urge";
    case NoticeKind::Supervise:
      return "supervise";
    case NoticeKind::Emergency:
      return "emergency";
    case NoticeKind::Assign:
      return "assign";
  }
  return "urge";
}

std::optional<NoticeKind> parseNoticeKind(std::string_view name)
{
  for (NoticeKind k : {NoticeKind::Urge, NoticeKind::Supervise, NoticeKind::Emergency, NoticeKind::Assign})
    if (noticeKindName(k) == name)
      return k;
  return std::nullopt;
}

DepartmentNotices::DepartmentNotices(Database &db)
  : mDb(db)
{}

std::int64_t DepartmentNotices::create(const DepartmentNotice &n, core::TimePoint now)
{
  if (n.department.empty())
    throw StoreRefusal("bad_value", "a department notice needs a department");
  const auto caseId = idOf(mDb, "SELECT id FROM cases WHERE number = ?", n.caseNumber, "unknown_case", "case");
  const auto emergencyId =
    idOf(mDb, "SELECT id FROM emergencies WHERE number = ?", n.incident, "unknown_incident", "emergency");
  std::optional<std::string> deadline;
  if (n.deadline)
    deadline = toDbTime(*n.deadline);
  auto q = mDb.query("INSERT INTO department_notices (department, kind, case_id, emergency_id, message, link, deadline, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"); // no last insert rowid on PostgreSQL
  q.bindAll(n.department, noticeKindName(n.kind), caseId, emergencyId, n.message, n.link, deadline, toDbTime(now));
  if (!q.step())
    throw StoreError(0, "department notice insert returned no id");
  return q->columnInt(0);
}

std::vector<DepartmentNotice> DepartmentNotices::select(std::string_view where, const std::string &value)
{
  std::vector<DepartmentNotice> out;
  auto q = mDb.query(std::string(kSelect) + std::string(where) + " ORDER BY n.id");
  q.bindAll(value);
  while (q.step())
    out.push_back(readNotice(*q));
  return out;
}

std::vector<DepartmentNotice> DepartmentNotices::pending(const std::string &department)
{
  return select("WHERE n.department = ? AND n.acknowledged_at IS NULL", department);
}

std::vector<DepartmentNotice> DepartmentNotices::forCase(const std::string &number)
{
  return select("WHERE n.case_id = (SELECT id FROM cases WHERE number = ?)", number);
}

std::vector<DepartmentNotice> DepartmentNotices::forIncident(const std::string &incident)
{
  return select("WHERE n.emergency_id = (SELECT id FROM emergencies WHERE number = ?)", incident);
}

std::optional<DepartmentNotice> DepartmentNotices::find(std::int64_t id)
{
  auto q = mDb.query(std::string(kSelect) + "WHERE n.id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  return readNotice(*q);
}

bool DepartmentNotices::acknowledge(std::int64_t id, const std::string &who, core::TimePoint at)
{
  if (who.empty())
    throw StoreRefusal("bad_value", "an acknowledgement must name who acknowledged");
  // Looked up and written in one write transaction (griddispatch-ctl calls this outside one).
  WriteScope scope(mDb);
  {
    auto q = mDb.query("SELECT 1 FROM department_notices WHERE id = ?");
    q.bindAll(id);
    if (!q.step())
      return false;
  }
  mDb.query("UPDATE department_notices SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL")
    .bindAll(who, toDbTime(at), id)
    .run();
  scope.commit();
  return true;
}

std::vector<InboxNotice> DepartmentNotices::inbox(const std::string &department)
{
  // Assisting departments are a comma-separated list in cases.assisting_depts: the code
  // between commas (LIKE would read a '_' in a code as a wildcard).
  const std::string assisting(mDb.dialect("instr(',' || coalesce(c.assisting_depts, '') || ',', ',' || ? || ',') > 0",
                "strpos(',' || coalesce(c.assisting_depts, '') || ',', ',' || ? || ',') > 0"));
  auto q = mDb.query(std::string(kSelect) +
                     "WHERE n.department = ? AND c.state IN ('assigned', 'in_handling', 'handled', 'parked') "
                     "AND (c.lead_dept = ? OR " + assisting + ") ORDER BY c.id, n.id");
  q.bindAll(department, department, department);
  std::vector<InboxNotice> out;
  while (q.step())
    out.push_back({readNotice(*q), {}, false, {}, {}, {}, std::nullopt});
  // The case's side from a second query (kSelect's columns stay one reader's).
  for (InboxNotice &entry : out)
  {
    auto c = mDb.query("SELECT state, coalesce(lead_dept, ''), title, address, category, deadline FROM cases WHERE number = ?");
    c.bindAll(entry.notice.caseNumber);
    if (!c.step())
      continue;
    entry.caseState = c->columnText(0);
    entry.lead = c->columnText(1) == department;
    entry.title = c->columnText(2);
    entry.address = c->columnText(3);
    entry.category = c->columnText(4);
    entry.caseDeadline = fromDbTime(c->columnText(5));
  }
  return out;
}

core::TimePoint DepartmentNotices::signDeadline(const core::WorkCalendar &calendar, double hours, core::TimePoint createdAt)
{
  return calendar.addWorkingHours(createdAt, hours);
}

std::map<std::string, ResponseTally> DepartmentNotices::responseRates(const core::WorkCalendar &calendar, double hours,
                                                                      core::TimePoint from, core::TimePoint to,
                                                                      core::TimePoint now, const std::string &department)
{
  std::map<std::string, ResponseTally> out;
  auto q = mDb.query(std::string("SELECT department, created_at, acknowledged_at FROM department_notices "
                                 "WHERE kind = 'assign' AND created_at >= ? AND created_at < ? ") +
                     (department.empty() ? "" : "AND department = ? ") + "ORDER BY id");
  if (department.empty())
    q.bindAll(toDbTime(from), toDbTime(to));
  else
    q.bindAll(toDbTime(from), toDbTime(to), department);
  while (q.step())
  {
    const auto created = fromDbTime(q->columnText(1));
    if (!created)
      continue;
    const core::TimePoint due = signDeadline(calendar, hours, *created);
    const auto acknowledged = fromDbTime(q->columnText(2));
    ResponseTally &tally = out[q->columnText(0)];
    if (acknowledged)
      ++(*acknowledged <= due ? tally.onTime : tally.late);
    else
      ++(now > due ? tally.overdue : tally.waiting);
  }
  return out;
}

} // namespace gd::store
