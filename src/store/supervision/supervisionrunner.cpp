#include "store/supervision/supervisionrunner.h"

#include "core/slaclock.h"
#include "store/cases/casestore.h"
#include "store/database.h"
#include "store/storeerror.h"
#include "store/supervision/supervisionstore.h"
#include "store/timetext.h"
#include "store/writescope.h"

#include <algorithm>
#include <set>

namespace gd::store {

namespace {

// Events the rework rule reads per run (a rowid range: about 30 ms on the bench machine).
constexpr std::int64_t kReworkScanSlice = 250000;

constexpr const char *kSelectFirings = "SELECT c.number, f.rule, f.occurrence, f.fired_at, f.action, f.event_seq, f.reason "
                                       "FROM rule_firings f JOIN cases c ON c.id = f.case_id ";

RuleFiringRecord readFiring(Statement &s)
{
  RuleFiringRecord r;
  r.caseNumber = s.columnText(0);
  r.rule = s.columnText(1);
  r.occurrence = s.columnText(2);
  r.firedAt = fromDbTime(s.columnText(3)).value_or(core::TimePoint{});
  r.action = core::parseCaseAction(s.columnText(4)).value_or(core::CaseAction::Supervise);
  r.eventSeq = s.columnInt(5);
  r.reason = s.columnText(6);
  return r;
}

} // namespace

SupervisionRunner::SupervisionRunner(const core::SupervisionRules &rules, const core::Workflow &workflow,
                                     const core::SlaClock &clock)
  : mRules(rules)
  , mWorkflow(workflow)
  , mClock(clock)
{}

RuleRunResult SupervisionRunner::run(Database &db, core::TimePoint now, std::size_t maxFirings) const
{
  RuleRunResult result;
  // One transaction for the whole run: the candidates a run reads are the ones it fires on,
  // and a concurrent runner (BEGIN IMMEDIATE waits for this one) sees its claims.
  WriteScope scope(db);
  runEscalations(db, now, maxFirings, result);
  runReworkSupervision(db, now, maxFirings, result);
  scope.commit();
  return result;
}

bool SupervisionRunner::fire(Database &db, std::int64_t caseId, const std::string &number, const core::RuleFiring &firing,
                             core::TimePoint now, RuleRunResult &result) const
{
  Savepoint savepoint(db);
  auto claim = db.query("INSERT INTO rule_firings (case_id, rule, occurrence, fired_at, action, event_seq, reason) "
                        "VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING");
  claim.bindAll(caseId, firing.rule, firing.occurrence, toDbTime(now), core::caseActionName(firing.action), firing.reason);
  claim.run();
  if (db.changes() == 0)
    return false; // fired before (another run, another connection)

  core::CaseCommand command;
  command.action = firing.action;
  command.actor = "rule:" + firing.rule;
  command.at = now;
  command.note = firing.reason;
  command.details.rule = firing.rule;
  command.details.occurrence = firing.occurrence;
  CaseStore cases(db, mWorkflow, &mClock);
  try
  {
    cases.apply(number, command);
  }
  catch (const StoreRefusal &refusal)
  {
    // The candidate query and core agreed it was due; the workflow has the last word.
    result.refused.push_back(number + ": " + firing.rule + " not applied: " + refusal.what());
    return false; // the savepoint's destructor takes the claim back
  }
  const auto record = cases.find(number);
  const std::int64_t seq = record ? record->lastSeq : 0;
  db.query("UPDATE rule_firings SET event_seq = ? WHERE case_id = ? AND rule = ? AND occurrence = ?")
    .bindAll(seq, caseId, firing.rule, firing.occurrence)
    .run();
  if (firing.action == core::CaseAction::Supervise)
  {
    SupervisionRecord supervision;
    supervision.caseNumber = number;
    supervision.kind = SupervisionKind::Supervise;
    supervision.actor = command.actor;
    supervision.at = now;
    supervision.opinion = firing.reason;
    supervision.eventSeq = seq;
    SupervisionStore(db, mWorkflow, &mClock).addRecord(supervision);
  }
  savepoint.release();
  result.fired.push_back({number, firing.rule, firing.occurrence, now, firing.action, seq, firing.reason});
  return true;
}

void SupervisionRunner::runEscalations(Database &db, core::TimePoint now, std::size_t maxFirings,
                                       RuleRunResult &result) const
{
  if (!mRules.config().escalateOverdue)
    return;
  struct Candidate
  {
    std::int64_t id;
    std::string number;
    core::OverdueStage stage;
  };
  std::vector<Candidate> candidates;
  {
    // Only the states the workflow escalates, past their deadline by at least the span's
    // shortest natural length; core decides on the exact instant. Stages that fired already
    // are skipped here for speed; the claim in fire() is what guarantees it. The run holds
    // the write lock, so the index is named: the overdue range of the open cases' deadline
    // index (state inside it), where the planner would otherwise read every open case in the
    // three states from the table.
    const core::TimePoint latest = now - std::chrono::seconds(mRules.minimumOverdueSeconds());
    // PostgreSQL has no INDEXED BY: its planner picks the partial index by its statistics.
    auto q = db.query("SELECT c.id, c.number, c.state, c.stage, c.stage_started_at, c.deadline, "
                      "coalesce(c.responsible_grid, '') FROM cases c " +
                      std::string(db.dialect("INDEXED BY cases_open_deadline ", "")) +
                      "WHERE c.is_open = 1 "
                      "AND c.state IN ('accepted','assigned','in_handling') AND c.deadline <= ? "
                      "AND NOT EXISTS (SELECT 1 FROM rule_firings f WHERE f.case_id = c.id AND f.rule = ? "
                      "AND f.occurrence = c.stage || '@' || c.stage_started_at) "
                      "ORDER BY c.deadline, c.id");
    q.bindAll(toDbTime(latest), core::kRuleEscalateOverdue);
    while (q.step())
    {
      const auto state = core::parseCaseState(q->columnText(2));
      const auto stage = core::parseStage(q->columnText(3));
      const auto started = fromDbTime(q->columnText(4));
      const auto deadline = fromDbTime(q->columnText(5));
      if (!state || !stage || !started || !deadline)
        continue;
      candidates.push_back({q->columnInt(0), q->columnText(1), {*state, *stage, *started, *deadline, q->columnText(6)}});
    }
  }
  for (const Candidate &c : candidates)
  {
    if (result.fired.size() >= maxFirings)
    {
      result.more = true;
      return;
    }
    if (const auto firing = mRules.escalation(c.stage, now))
      fire(db, c.id, c.number, *firing, now, result);
  }
}

void SupervisionRunner::runReworkSupervision(Database &db, core::TimePoint now, std::size_t maxFirings,
                                             RuleRunResult &result) const
{
  const int threshold = mRules.config().superviseRework;
  if (threshold <= 0)
    return;
  const std::string rule(core::kRuleSuperviseRework);
  const std::string parameters = "supervise_rework " + std::to_string(threshold);
  std::int64_t cursor = 0;
  {
    auto q = db.query("SELECT parameters, last_event_id FROM rule_cursors WHERE rule = ?");
    q.bindAll(rule);
    // A changed threshold reads the whole log again: cases below the old one may be due now.
    if (q.step() && q->columnText(0) == parameters)
      cursor = q->columnInt(1);
  }
  struct Rework
  {
    std::int64_t eventId;
    std::int64_t caseId;
    std::string number;
  };
  // A slice of the log per run: the first run on a large store (millions of events, cursor 0)
  // must not hold the write lock for seconds while the feed waits.
  const std::int64_t newest = db.scalarInt("SELECT coalesce(max(id), 0) FROM case_events");
  std::int64_t readUpTo = std::min(newest, cursor + kReworkScanSlice);
  if (readUpTo < newest)
    result.more = true;
  std::vector<Rework> reworks;
  {
    auto q = db.query("SELECT e.id, e.case_id, c.number FROM case_events e JOIN cases c ON c.id = e.case_id "
                      "WHERE e.id > ? AND e.id <= ? AND e.action = 'rework' ORDER BY e.id");
    q.bindAll(cursor, readUpTo);
    while (q.step())
      reworks.push_back({q->columnInt(0), q->columnInt(1), q->columnText(2)});
  }
  std::set<std::int64_t> seen;
  for (const Rework &r : reworks)
  {
    if (result.fired.size() >= maxFirings)
    {
      // Stop before this event; the next run starts from it.
      readUpTo = r.eventId - 1;
      result.more = true;
      break;
    }
    if (!seen.insert(r.caseId).second)
      continue;
    std::int64_t count = 0;
    {
      // An imported case's earlier reworks are in its history row (case_histories): a JSON
      // array of events, each an array whose first element is the action.
      auto q = db.query(db.dialect("SELECT (SELECT count(*) FROM case_events WHERE case_id = ?1 AND action = 'rework') + "
                                   "(SELECT count(*) FROM case_histories h, json_each(h.events) j "
                                   "WHERE h.case_id = ?1 AND j.value ->> 0 = 'rework')",
                                   "SELECT (SELECT count(*) FROM case_events WHERE case_id = ?1 AND action = 'rework') + "
                                   "(SELECT count(*) FROM case_histories h, json_array_elements(CAST(h.events AS json)) j(value) "
                                   "WHERE h.case_id = ?1 AND j.value ->> 0 = 'rework')"));
      q.bindAll(r.caseId);
      count = q.step() ? q->columnInt(0) : 0;
    }
    if (const auto firing = mRules.reworkSupervision(static_cast<int>(count)))
      fire(db, r.caseId, r.number, *firing, now, result);
  }
  db.query("INSERT INTO rule_cursors (rule, parameters, last_event_id) VALUES (?, ?, ?) "
           "ON CONFLICT (rule) DO UPDATE SET parameters = excluded.parameters, last_event_id = excluded.last_event_id")
    .bindAll(rule, parameters, readUpTo)
    .run();
}

std::vector<RuleFiringRecord> SupervisionRunner::firings(Database &db, const std::string &number)
{
  std::vector<RuleFiringRecord> out;
  auto q = db.query(std::string(kSelectFirings) + "WHERE c.number = ? ORDER BY f.fired_at, f.rule, f.occurrence");
  q.bindAll(number);
  while (q.step())
    out.push_back(readFiring(*q));
  return out;
}

std::vector<RuleFiringRecord> SupervisionRunner::recentFirings(Database &db, core::TimePoint since, int limit)
{
  std::vector<RuleFiringRecord> out;
  auto q = db.query(std::string(kSelectFirings) + "WHERE f.fired_at >= ? ORDER BY f.fired_at DESC LIMIT ?");
  q.bindAll(toDbTime(since), limit);
  while (q.step())
    out.push_back(readFiring(*q));
  return out;
}

} // namespace gd::store
