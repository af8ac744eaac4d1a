#include "store/supervision/supervisionstore.h"

#include "store/cases/casestore.h"
#include "store/database.h"
#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/orderstore.h"
#include "store/storeerror.h"
#include "store/timetext.h"
#include "store/writescope.h"

namespace gd::store {

namespace {

constexpr const char *kSelect = "SELECT s.id, c.number, s.kind, s.actor, s.at, s.opinion, s.deadline, s.event_seq "
                                "FROM supervisions s JOIN cases c ON c.id = s.case_id ";

SupervisionRecord readRecord(Statement &s)
{
  SupervisionRecord r;
  r.id = s.columnInt(0);
  r.caseNumber = s.columnText(1);
  r.kind = parseSupervisionKind(s.columnText(2)).value_or(SupervisionKind::Urge);
  r.actor = s.columnText(3);
  r.at = fromDbTime(s.columnText(4)).value_or(core::TimePoint{});
  r.opinion = s.columnText(5);
  r.deadline = fromDbTime(s.columnText(6));
  r.eventSeq = s.columnInt(7);
  return r;
}

} // namespace

std::string_view supervisionKindName(SupervisionKind kind)
{
  return kind == SupervisionKind::Supervise ? "supervise" : "urge";
}

std::optional<SupervisionKind> parseSupervisionKind(std::string_view name)
{
  if (name == "urge")
    return SupervisionKind::Urge;
  if (name == "supervise")
    return SupervisionKind::Supervise;
  return std::nullopt;
}

SupervisionStore::SupervisionStore(Database &db, const core::Workflow &workflow, const core::SlaClock *clock)
  : mDb(db)
  , mWorkflow(workflow)
  , mClock(clock)
{}

std::vector<UrgeOutcome> SupervisionStore::urge(const UrgeRequest &request)
{
  if (request.actor.empty())
    throw StoreRefusal("bad_value", "urging or supervising must name who does it (the actor)");
  std::vector<UrgeOutcome> out;
  out.reserve(request.numbers.size());
  for (const std::string &number : request.numbers)
  {
    try
    {
      out.push_back(urgeOne(number, request));
    }
    catch (const StoreRefusal &refusal)
    {
      UrgeOutcome refused;
      refused.caseNumber = number;
      refused.refusal = refusal.reason();
      refused.reason = refusal.what();
      out.push_back(std::move(refused));
    }
  }
  return out;
}

UrgeOutcome SupervisionStore::urgeOne(const std::string &number, const UrgeRequest &request)
{
  const bool urging = request.kind == SupervisionKind::Urge;
  WriteScope scope(mDb);
  CaseStore cases(mDb, mWorkflow, mClock);
  core::CaseCommand command;
  command.action = urging ? core::CaseAction::Urge : core::CaseAction::Supervise;
  command.actor = request.actor;
  command.at = request.now;
  command.note = request.opinion;
  if (request.deadline)
    command.details.deadline = *request.deadline;
  cases.apply(number, command);
  const std::optional<CaseRecord> record = cases.find(number);
  if (!record)
    throw StoreRefusal("unknown_case", "no case '" + number + "'");

  UrgeOutcome outcome;
  outcome.caseNumber = number;
  outcome.eventSeq = record->lastSeq;
  const std::string message =
    !request.opinion.empty() ? request.opinion : urging ? std::string("催办：请尽快处置") : std::string("督办：请尽快处置");
  // The response deadline the supervisor set, else the running stage's own.
  const std::optional<core::TimePoint> deadline = request.deadline ? request.deadline : record->deadline;
  if (!record->workerId.empty())
  {
    OrderStore orders(mDb);
    for (const std::string &device : DeviceRegistry(mDb).devicesOfWorker(record->workerId))
    {
      outcome.orderIds.push_back(orders.create(device, OrderKind::Urge, number, message, deadline, request.now));
      outcome.devices.push_back(device);
    }
  }
  if (!record->leadDepartment.empty())
  {
    DepartmentNotice notice;
    notice.department = record->leadDepartment;
    notice.kind = urging ? NoticeKind::Urge : NoticeKind::Supervise;
    notice.caseNumber = number;
    notice.message = message;
    notice.deadline = deadline;
    outcome.noticeId = DepartmentNotices(mDb).create(notice, request.now);
  }
  SupervisionRecord supervision;
  supervision.caseNumber = number;
  supervision.kind = request.kind;
  supervision.actor = request.actor;
  supervision.at = request.now;
  supervision.opinion = request.opinion;
  supervision.deadline = request.deadline;
  supervision.eventSeq = outcome.eventSeq;
  outcome.recordId = addRecord(supervision);
  scope.commit();
  outcome.done = true;
  return outcome;
}

std::int64_t SupervisionStore::addRecord(const SupervisionRecord &r)
{
  std::optional<std::string> deadline;
  if (r.deadline)
    deadline = toDbTime(*r.deadline);
  // RETURNING: PostgreSQL has no last insert rowid; no row back means no such case.
  auto q = mDb.query("INSERT INTO supervisions (case_id, kind, actor, at, opinion, deadline, event_seq) "
                     "SELECT id, ?, ?, ?, ?, ?, ? FROM cases WHERE number = ? RETURNING id");
  q.bindAll(supervisionKindName(r.kind), r.actor, toDbTime(r.at), r.opinion, deadline, r.eventSeq, r.caseNumber);
  if (!q.step())
    throw StoreRefusal("unknown_case", "no case '" + r.caseNumber + "'");
  return q->columnInt(0);
}

std::vector<SupervisionRecord> SupervisionStore::records(const std::string &number)
{
  std::vector<SupervisionRecord> out;
  auto q = mDb.query(std::string(kSelect) + "WHERE c.number = ? ORDER BY s.id");
  q.bindAll(number);
  while (q.step())
    out.push_back(readRecord(*q));
  return out;
}

std::vector<SupervisionRecord> SupervisionStore::recent(core::TimePoint since, int limit)
{
  std::vector<SupervisionRecord> out;
  auto q = mDb.query(std::string(kSelect) + "WHERE s.at >= ? ORDER BY s.at DESC, s.id DESC LIMIT ?");
  q.bindAll(toDbTime(since), limit);
  while (q.step())
    out.push_back(readRecord(*q));
  return out;
}

} // namespace gd::store
