#include "store/cases/extensionrequests.h"

#include "store/database.h"
#include "store/storeerror.h"
#include "store/timetext.h"
#include "store/writescope.h"

namespace gd::store {

namespace {

constexpr const char *kSelect =
  "SELECT r.id, c.number, r.department, r.days, r.reason, r.requested_by, r.requested_at, r.decision, "
  "coalesce(r.decided_by, ''), r.decided_at, r.decision_note FROM extension_requests r JOIN cases c ON c.id = r.case_id ";

ExtensionRequest readRequest(Statement &s)
{
  ExtensionRequest r;
  r.id = s.columnInt(0);
  r.caseNumber = s.columnText(1);
  r.department = s.columnText(2);
  r.days = static_cast<int>(s.columnInt(3));
  r.reason = s.columnText(4);
  r.requestedBy = s.columnText(5);
  r.requestedAt = fromDbTime(s.columnText(6)).value_or(core::TimePoint{});
  r.decision = s.columnText(7);
  r.decidedBy = s.columnText(8);
  r.decidedAt = fromDbTime(s.columnText(9));
  r.decisionNote = s.columnText(10);
  return r;
}

} // namespace

ExtensionRequests::ExtensionRequests(Database &db)
  : mDb(db)
{}

std::int64_t ExtensionRequests::create(const ExtensionRequest &request, core::TimePoint now)
{
  if (request.days < 1)
    throw StoreRefusal("bad_value", "an extension is asked for in whole working days, at least 1");
  if (request.reason.empty() || request.department.empty() || request.requestedBy.empty())
    throw StoreRefusal("bad_value", "an extension request needs a reason, a department and who asks");
  WriteScope scope(mDb);
  std::int64_t caseId = 0;
  {
    auto q = mDb.query("SELECT id FROM cases WHERE number = ?");
    q.bindAll(request.caseNumber);
    if (!q.step())
      throw StoreRefusal("unknown_case", "no case '" + request.caseNumber + "'");
    caseId = q->columnInt(0);
  }
  {
    // One question at a time: a second request while the first waits would be decided twice.
    auto q = mDb.query("SELECT 1 FROM extension_requests WHERE case_id = ? AND department = ? AND decision = 'pending'");
    q.bindAll(caseId, request.department);
    if (q.step())
      throw StoreRefusal("pending_request", "the department's earlier request on this case waits for the center's decision");
  }
  std::int64_t id = 0;
  {
    auto q = mDb.query("INSERT INTO extension_requests (case_id, department, days, reason, requested_by, requested_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"); // no last insert rowid on PostgreSQL
    q.bindAll(caseId, request.department, static_cast<std::int64_t>(request.days), request.reason, request.requestedBy,
              toDbTime(now));
    if (!q.step())
      throw StoreError(0, "extension request insert returned no id");
    id = q->columnInt(0);
  }
  scope.commit();
  return id;
}

std::vector<ExtensionRequest> ExtensionRequests::select(const std::string &where, const std::string &value)
{
  std::vector<ExtensionRequest> out;
  auto q = mDb.query(std::string(kSelect) + where + " ORDER BY r.id");
  if (!value.empty())
    q.bindAll(value);
  while (q.step())
    out.push_back(readRequest(*q));
  return out;
}

std::optional<ExtensionRequest> ExtensionRequests::find(std::int64_t id)
{
  auto q = mDb.query(std::string(kSelect) + "WHERE r.id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  return readRequest(*q);
}

std::vector<ExtensionRequest> ExtensionRequests::forCase(const std::string &number)
{
  return select("WHERE c.number = ?", number);
}

std::vector<ExtensionRequest> ExtensionRequests::pending()
{
  return select("WHERE r.decision = 'pending'", {});
}

bool ExtensionRequests::decide(std::int64_t id, bool approved, const std::string &who, const std::string &note,
                               core::TimePoint at)
{
  if (who.empty())
    throw StoreRefusal("bad_value", "a decision must name who decided");
  if (!approved && note.empty())
    throw StoreRefusal("bad_value", "a refusal needs a reason");
  WriteScope scope(mDb);
  mDb.query("UPDATE extension_requests SET decision = ?, decided_by = ?, decided_at = ?, decision_note = ? "
            "WHERE id = ? AND decision = 'pending'")
    .bindAll(std::string(approved ? "approved" : "refused"), who, toDbTime(at), note, id)
    .run();
  const bool changed = mDb.changes() > 0;
  scope.commit();
  return changed;
}

} // namespace gd::store
