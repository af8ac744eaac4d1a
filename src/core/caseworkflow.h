#pragma once
// The case state machine (一案一码, 全流程闭环):
//   reported → registered → accepted → assigned → in_handling → handled → closed → visited → archived
// with the exceptions return, escalate, extend, park/resume, void, merge, rework and the
// supervision flags 督办/催办. Workflow decides; Case (case.h) projects the events.

#include "core/caseevent.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

enum class CaseState
{
    Reported,
    Registered,
    Accepted,
    Assigned,
    InHandling,
    Handled,
    Closed,
    Visited,
    Archived,
    Parked,
    Voided,
    Merged
};

enum class CaseAction
{
    Report,
    Register,
    Accept,
    Assign,
    StartHandling, //!< the handler (grid worker / department) accepts the assignment
    Arrive,
    Note,
    Feedback, //!< resolved by the handler
    Close,
    Visit,
    Archive,
    Return,
    Escalate,
    Extend,
    Park,
    Resume,
    Void,
    Merge,
    Rework,
    Supervise,
    Urge
};

//! "reported", "registered", "accepted", "assigned", "in_handling", "handled", "closed",
//! "visited", "archived", "parked", "voided", "merged".
std::string_view caseStateName(CaseState state);
std::optional<CaseState> parseCaseState(std::string_view name);
//! "report", "register", "accept", "assign", "start_handling", "arrive", "note", "feedback",
//! "close", "visit", "archive", "return", "escalate", "extend", "park", "resume", "void",
//! "merge", "rework", "supervise", "urge".
std::string_view caseActionName(CaseAction action);
std::optional<CaseAction> parseCaseAction(std::string_view name);

//! True for states no action (other than none) leaves: archived, voided, merged.
bool isTerminalState(CaseState state);

//! Why a command was refused: a machine code and a sentence for a person.
struct Refusal
{
    std::string code;   //!< "bad_transition", "missing_data", "bad_value", "unknown_department", "top_level", ...
    std::string reason; //!< e.g. "cannot close a case in state 'assigned': it needs the handler's feedback first"
};

//! Thrown by Workflow::apply() when the command is refused.
class WorkflowRefused : public std::runtime_error
{
  public:
    explicit WorkflowRefused(Refusal refusal);
    const Refusal &refusal() const { return mRefusal; }

  private:
    Refusal mRefusal;
};

/**
 * What someone asks to do to a case. The details each action needs (CaseDetails fields):
 *  - Report: category (code), lon/lat (CGCS2000), grid (micro-grid code, may be empty),
 *    optional title, description, priority, source, address, reporter {name, phone}
 *  - Assign: lead (department code), optional assisting (codes), optional worker (id)
 *  - Feedback: optional result, optional mediation (disputes)
 *  - Visit: satisfaction
 *  - Return, Void, Park: a reason in `note` (required)
 *  - Extend: approver (required), amount > 0, unit
 *  - Merge: into (target case number)
 *  - Rework: optional reworkTo: assigned or in_handling (default in_handling)
 */
struct CaseCommand
{
    CaseAction action = CaseAction::Note;
    std::string actor;
    TimePoint at{};
    std::string note;
    CaseDetails details;
};

class Case;
class DepartmentDirectory;

//! The rules: which command is legal in which state, and the event it produces.
class Workflow
{
  public:
    //! A workflow without a department directory does not check department codes.
    Workflow() = default;
    //! Department codes in Assign are checked against \a departments (not owned; must outlive this).
    explicit Workflow(const DepartmentDirectory *departments);

    //! Why \a command cannot be applied to \a c, or nullopt when it can.
    std::optional<Refusal> check(const Case &c, const CaseCommand &command) const;
    /**
     * The event \a command produces on \a c (not yet applied: call Case::apply()).
     * Throws WorkflowRefused when check() refuses it.
     */
    CaseEvent apply(const Case &c, const CaseCommand &command) const;
    /**
     * Merging \a source into \a target: the Merge event for the source (state merged) and the
     * event for the target (action Merge, state unchanged, details absorbed and reporters),
     * so the target keeps the merged case's reporters. Throws WorkflowRefused.
     */
    std::pair<CaseEvent, CaseEvent> merge(const Case &source, const Case &target, const CaseCommand &command) const;
    //! The actions legal in the case's current state (for the console's buttons).
    std::vector<CaseAction> allowedActions(const Case &c) const;

  private:
    const DepartmentDirectory *mDepartments = nullptr;
};

} // namespace gd::core
