#pragma once
// The runner of the supervision rules (core/supervisionrules.h): finds the cases a rule is due
// on and applies each firing as a case event, once and only once.

#include "core/caseworkflow.h"
#include "core/supervisionrules.h"
#include "core/timeutil.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gd::core {
class SlaClock;
}

namespace gd::store {

class Database;

//! A rule that fired on a case (a row of `rule_firings`).
struct RuleFiringRecord
{
  std::string caseNumber;
  std::string rule;       //!< "escalate_overdue", "supervise_rework"
  std::string occurrence; //!< e.g. "handle@2026-10-09T02:00:00Z" (the stage and its start), "rework"
  core::TimePoint firedAt{};
  core::CaseAction action = core::CaseAction::Supervise;
  std::int64_t eventSeq = 0; //!< the case event it produced
  std::string reason;
};

//! What one run did.
struct RuleRunResult
{
  std::vector<RuleFiringRecord> fired;
  //! Firings the workflow refused at the last moment (nothing was written for them), one sentence each.
  std::vector<std::string> refused;
  //! True when the run stopped early (its firing limit, or a slice of a long event log read)
  //! with more to do: run again at once.
  bool more = false;
};

/**
 * Applies the supervision rules to the store.
 *
 * Once and only once: a firing first claims its key (case, rule, occurrence) in `rule_firings`,
 * whose primary key refuses a second claim, and the claim, the case event and (for 督办) the
 * supervision record commit together. Runs repeated, after a restart, or on two connections at
 * once therefore never fire twice; a crash in the middle leaves neither claim nor event.
 *
 * The rework rule reads the event log from a cursor (`rule_cursors`, moved in the same
 * transaction), so each run looks only at events since the last, at most a slice of them; a
 * changed threshold restarts the cursor. The escalation rule reads the open cases past their
 * deadline by the index.
 */
class SupervisionRunner
{
  public:
    //! Every reference must outlive the runner.
    SupervisionRunner(const core::SupervisionRules &rules, const core::Workflow &workflow, const core::SlaClock &clock);

    /**
     * Fires the rules due at \a now, at most \a maxFirings of them (then `more` is set). Runs
     * in its own BEGIN IMMEDIATE transaction, or inside the caller's open one (a Writer job).
     * Events are stamped \a now with actor "rule:<rule>" and the reason in words as their note.
     */
    RuleRunResult run(Database &db, core::TimePoint now, std::size_t maxFirings = 500) const;

    //! The firings on case \a number, oldest first.
    static std::vector<RuleFiringRecord> firings(Database &db, const std::string &number);
    //! Firings at or after \a since, newest first, at most \a limit.
    static std::vector<RuleFiringRecord> recentFirings(Database &db, core::TimePoint since, int limit = 200);

  private:
    bool fire(Database &db, std::int64_t caseId, const std::string &number, const core::RuleFiring &firing,
              core::TimePoint now, RuleRunResult &result) const;
    void runEscalations(Database &db, core::TimePoint now, std::size_t maxFirings, RuleRunResult &result) const;
    void runReworkSupervision(Database &db, core::TimePoint now, std::size_t maxFirings, RuleRunResult &result) const;

    const core::SupervisionRules &mRules;
    const core::Workflow &mWorkflow;
    const core::SlaClock &mClock;
};

} // namespace gd::store
