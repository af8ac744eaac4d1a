#include "core/caseworkflow.h"

#include "core/case.h"
#include "core/departments.h"
#include "core/gridcode.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace gd::core {

namespace {

using S = CaseState;
using A = CaseAction;

struct StateNameEntry
{
    CaseState state;
    std::string_view name;
};
constexpr std::array<StateNameEntry, 12> kStateNames{{{S::Reported, "reported"},
                                                      {S::Registered, "registered"},
                                                      {S::Accepted, "accepted"},
                                                      {S::Assigned, "assigned"},
                                                      {S::InHandling, "in_handling"},
                                                      {S::Handled, "handled"},
                                                      {S::Closed, "closed"},
                                                      {S::Visited, "visited"},
                                                      {S::Archived, "archived"},
                                                      {S::Parked, "parked"},
                                                      {S::Voided, "voided"},
                                                      {S::Merged, "merged"}}};

struct ActionNameEntry
{
    CaseAction action;
    std::string_view name;
    std::string_view verb; // "cannot <verb> a case in state ..."
};
constexpr std::array<ActionNameEntry, 21> kActionNames{{{A::Report, "report", "report"},
                                                        {A::Register, "register", "register"},
                                                        {A::Accept, "accept", "accept"},
                                                        {A::Assign, "assign", "assign"},
                                                        {A::StartHandling, "start_handling", "start handling"},
                                                        {A::Arrive, "arrive", "record arrival on"},
                                                        {A::Note, "note", "add a note to"},
                                                        {A::Feedback, "feedback", "record the handler's feedback on"},
                                                        {A::Close, "close", "close"},
                                                        {A::Visit, "visit", "record a follow-up visit on"},
                                                        {A::Archive, "archive", "archive"},
                                                        {A::Return, "return", "return"},
                                                        {A::Escalate, "escalate", "escalate"},
                                                        {A::Extend, "extend", "extend the deadline of"},
                                                        {A::Park, "park", "park"},
                                                        {A::Resume, "resume", "resume"},
                                                        {A::Void, "void", "void"},
                                                        {A::Merge, "merge", "merge"},
                                                        {A::Rework, "rework", "send back for rework"},
                                                        {A::Supervise, "supervise", "supervise"},
                                                        {A::Urge, "urge", "urge"}}};

std::string_view verbOf(CaseAction action)
{
    for (const auto &e : kActionNames)
        if (e.action == action)
            return e.verb;
    return "act on";
}

constexpr std::initializer_list<CaseState> kOpenStates{S::Reported, S::Registered, S::Accepted, S::Assigned,
                                                       S::InHandling, S::Handled, S::Closed};

//! The states \a action may start from.
std::vector<CaseState> sourceStates(CaseAction action)
{
    switch (action) {
    case A::Report: return {};
    case A::Register: return {S::Reported};
    case A::Accept: return {S::Registered};
    case A::Assign: return {S::Accepted};
    case A::StartHandling: return {S::Assigned};
    case A::Arrive: return {S::Assigned, S::InHandling};
    case A::Note: return {S::Reported, S::Registered, S::Accepted, S::Assigned, S::InHandling,
                          S::Handled, S::Closed, S::Visited, S::Parked};
    case A::Feedback: return {S::InHandling};
    case A::Close: return {S::Handled};
    case A::Visit: return {S::Closed};
    case A::Archive: return {S::Visited};
    case A::Return: return {S::Assigned, S::InHandling};
    case A::Escalate: return {S::Accepted, S::Assigned, S::InHandling};
    case A::Extend: return kOpenStates;
    case A::Park: return kOpenStates;
    case A::Resume: return {S::Parked};
    case A::Void: return {S::Reported, S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Parked};
    case A::Merge: return {S::Reported, S::Registered, S::Accepted};
    case A::Rework: return {S::Handled, S::Visited};
    case A::Supervise: return {S::Reported, S::Registered, S::Accepted, S::Assigned, S::InHandling,
                               S::Handled, S::Closed, S::Parked};
    case A::Urge: return {S::Assigned, S::InHandling};
    }
    return {};
}

std::string quotedState(CaseState s)
{
    return "'" + std::string(caseStateName(s)) + "'";
}

//! Why \a action does not fit state \a s, in the operator's terms.
std::string stateHint(CaseAction action, CaseState s)
{
    if (s == S::Parked)
        return "it is parked (挂账); resume it first";
    switch (action) {
    case A::Close:
        if (s == S::Assigned || s == S::InHandling)
            return "it needs the handler's feedback first";
        if (s == S::Reported || s == S::Registered || s == S::Accepted)
            return "it has not been assigned and handled yet";
        if (s == S::Visited)
            return "it is already closed and visited";
        break;
    case A::Feedback:
        if (s == S::Assigned)
            return "the handler has to accept (start handling) it first";
        if (s == S::Reported || s == S::Registered || s == S::Accepted)
            return "it has not been assigned yet";
        if (s == S::Handled || s == S::Closed || s == S::Visited)
            return "feedback has already been given";
        break;
    case A::Assign:
        if (s == S::Reported || s == S::Registered)
            return "it must be accepted (受理) first";
        if (s == S::Assigned || s == S::InHandling)
            return "it is already assigned; return it first to reassign";
        break;
    case A::Accept:
        if (s == S::Reported)
            return "it must be registered (登记) first";
        break;
    case A::Visit:
        if (s == S::Handled)
            return "it must be closed (结案) first";
        break;
    case A::Archive: return "only visited cases are archived";
    case A::Resume: return "it is not parked";
    case A::Merge: return "only cases not yet assigned can be merged into another";
    case A::Rework: return "only handled or visited cases can be sent back for rework";
    case A::Escalate:
    case A::Return: return "only a case accepted, assigned or in handling can be " + std::string(verbOf(action)) + "ed";
    default: break;
    }
    std::string allowed;
    for (CaseState from : sourceStates(action))
        allowed += (allowed.empty() ? "" : ", ") + quotedState(from);
    return "allowed only in state " + allowed;
}

Refusal badTransition(const Case &c, CaseAction action)
{
    return {"bad_transition", "cannot " + std::string(verbOf(action)) + " a case in state " + quotedState(c.state())
                                  + ": " + stateHint(action, c.state())};
}

bool isNonEmpty(const std::optional<std::string> &text)
{
    return text && !text->empty();
}

//! A known key that is only kept verbatim: it was given, but not with the type it needs.
bool givenVerbatim(const CaseDetails &d, const char *key)
{
    return d.verbatim.count(key) > 0;
}

//! Refusal from the case's own situation (state and grid), ignoring the command's data.
std::optional<Refusal> checkState(const Case &c, CaseAction action)
{
    if (!c.isReported()) {
        if (action == A::Report)
            return std::nullopt;
        return Refusal{"unknown_case", "cannot " + std::string(verbOf(action)) + " a case that has not been reported"};
    }
    if (action == A::Report)
        return Refusal{"bad_transition", "case " + c.number() + " has already been reported"};
    if (isTerminalState(c.state()))
        return Refusal{"bad_transition", "cannot " + std::string(verbOf(action)) + " a case in state "
                                             + quotedState(c.state()) + ": it is final; no further action is possible"};
    const auto from = sourceStates(action);
    if (std::find(from.begin(), from.end(), c.state()) == from.end())
        return badTransition(c, action);
    if (action == A::Archive && c.satisfaction() == "unsatisfied")
        return Refusal{"bad_transition",
                       "cannot archive a case in state 'visited': the follow-up visit was unsatisfied; rework it first"};
    if (action == A::Rework && c.state() == S::Visited && c.satisfaction() != "unsatisfied")
        return Refusal{"bad_transition", "cannot send back for rework a case in state 'visited': the follow-up visit was "
                                         "satisfied; nothing to rework"};
    if (action == A::Escalate) {
        const auto grid = GridCode::parse(c.responsibleGrid());
        if (!grid)
            return Refusal{"top_level", "cannot escalate: the case has no responsible grid"};
        if (grid->level() == GridLevel::District)
            return Refusal{"top_level", "cannot escalate: the case is already at district level (" + grid->str()
                                            + "); ask for supervision (督办) instead"};
    }
    return std::nullopt;
}

} // namespace

std::string_view caseStateName(CaseState state)
{
    for (const auto &e : kStateNames)
        if (e.state == state)
            return e.name;
    return "reported";
}

std::optional<CaseState> parseCaseState(std::string_view name)
{
    for (const auto &e : kStateNames)
        if (e.name == name)
            return e.state;
    return std::nullopt;
}

std::string_view caseActionName(CaseAction action)
{
    for (const auto &e : kActionNames)
        if (e.action == action)
            return e.name;
    return "note";
}

std::optional<CaseAction> parseCaseAction(std::string_view name)
{
    for (const auto &e : kActionNames)
        if (e.name == name)
            return e.action;
    return std::nullopt;
}

bool isTerminalState(CaseState state)
{
    return state == S::Archived || state == S::Voided || state == S::Merged;
}

WorkflowRefused::WorkflowRefused(Refusal refusal)
    : std::runtime_error(refusal.code + ": " + refusal.reason)
    , mRefusal(std::move(refusal))
{
}

Workflow::Workflow(const DepartmentDirectory *departments)
    : mDepartments(departments)
{
}

std::optional<Refusal> Workflow::check(const Case &c, const CaseCommand &command) const
{
    if (auto refusal = checkState(c, command.action))
        return refusal;
    const auto missing = [](std::string what) { return Refusal{"missing_data", std::move(what)}; };
    const auto bad = [](std::string what) { return Refusal{"bad_value", std::move(what)}; };
    if (command.actor.empty())
        return missing("every action must name its actor");
    const CaseDetails &d = command.details;
    switch (command.action) {
    case A::Report: {
        const std::string category = d.category.value_or(std::string());
        if (category.size() != 4 || !std::all_of(category.begin(), category.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            return missing("a report needs a 4-digit \"category\"");
        if (!d.lon || !d.lat)
            return missing("a report needs numeric \"lon\" and \"lat\"");
        const double lon = *d.lon, lat = *d.lat;
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
            return bad("\"lon\"/\"lat\" out of range");
        if (isNonEmpty(d.grid)) {
            std::string why;
            if (!GridCode::parse(*d.grid, &why))
                return bad(why);
        }
        if (!d.priority && givenVerbatim(d, "priority"))
            return bad("\"priority\" must be normal, urgent or emergency");
        break;
    }
    case A::Assign: {
        if (!isNonEmpty(d.lead))
            return missing("assigning needs a lead department \"lead\"");
        std::vector<std::string> all{*d.lead};
        if (!d.assisting && givenVerbatim(d, "assisting"))
            return bad("\"assisting\" must be a list of department codes");
        for (const std::string &code : d.assisting.value_or(std::vector<std::string>())) {
            if (code.empty())
                return bad("\"assisting\" must be a list of department codes");
            if (std::find(all.begin(), all.end(), code) != all.end())
                return bad("department '" + code + "' is named twice (lead and assisting must differ)");
            all.push_back(code);
        }
        if (!d.worker && givenVerbatim(d, "worker"))
            return bad("\"worker\" must be a worker id");
        if (mDepartments)
            for (const std::string &code : all)
                if (!mDepartments->find(code))
                    return Refusal{"unknown_department", "department '" + code + "' is not in the directory"};
        break;
    }
    case A::Feedback:
        if (!d.mediation && givenVerbatim(d, "mediation"))
            return bad("\"mediation\" must be \"success\" or \"failed\"");
        break;
    case A::Visit:
        if (!d.satisfaction)
            return missing("a follow-up visit needs \"satisfaction\": satisfied, basically_satisfied or unsatisfied");
        break;
    case A::Return:
    case A::Void:
    case A::Park:
        if (command.note.empty())
            return missing("cannot " + std::string(verbOf(command.action)) + " a case without a reason in the note");
        break;
    case A::Extend: {
        if (!isNonEmpty(d.approver))
            return missing("an extension needs the approving supervisor in \"approver\"");
        if (!d.amount || *d.amount <= 0)
            return missing("an extension needs a positive \"amount\"");
        if (!d.unit)
            return missing("an extension needs a \"unit\": wh (工作时), wd (工作日) or h (自然时)");
        break;
    }
    case A::Merge: {
        if (!isNonEmpty(d.into))
            return missing("merging needs the target case number in \"into\"");
        if (*d.into == c.number())
            return Refusal{"bad_value", "cannot merge a case into itself"};
        break;
    }
    case A::Rework: {
        // A "to" that is no text at all was read as the default (in_handling), as before.
        const auto verbatimTo = d.verbatim.find("to");
        const bool textTo = verbatimTo != d.verbatim.end() && !verbatimTo->second.empty() && verbatimTo->second.front() == '"';
        if ((d.reworkTo && *d.reworkTo != S::InHandling && *d.reworkTo != S::Assigned) || (!d.reworkTo && textTo))
            return bad("rework goes \"to\" assigned or in_handling");
        break;
    }
    default: break;
    }
    return std::nullopt;
}

namespace {

//! Sets a detail Workflow fills in; a verbatim copy of the key (from an import) no longer holds.
template<typename T, typename V> void fill(CaseDetails &d, std::optional<T> &field, const char *key, V &&value)
{
    field = std::forward<V>(value);
    d.verbatim.erase(key);
}

} // namespace

CaseEvent Workflow::apply(const Case &c, const CaseCommand &command) const
{
    if (auto refusal = check(c, command))
        throw WorkflowRefused(std::move(*refusal));
    CaseEvent e;
    e.caseNumber = c.number();
    e.action = command.action;
    e.actor = command.actor;
    e.at = command.at;
    e.note = command.note;
    e.details = command.details;
    CaseDetails &d = e.details;
    e.from = c.isReported() ? c.state() : S::Reported;
    e.to = e.from;
    switch (command.action) {
    case A::Report: e.to = S::Reported; break;
    case A::Register: e.to = S::Registered; break;
    case A::Accept: e.to = S::Accepted; break;
    case A::Assign: e.to = S::Assigned; break;
    case A::StartHandling:
    case A::Arrive: e.to = S::InHandling; break;
    case A::Feedback: e.to = S::Handled; break;
    case A::Close: e.to = S::Closed; break;
    case A::Visit: e.to = S::Visited; break;
    case A::Archive: e.to = S::Archived; break;
    case A::Return:
        e.to = S::Accepted;
        fill(d, d.previousLead, "previous_lead", c.leadDepartment());
        fill(d, d.previousWorker, "previous_worker", c.assignedWorker());
        break;
    case A::Escalate: {
        const auto grid = GridCode::parse(c.responsibleGrid());
        e.to = S::Accepted;
        fill(d, d.fromGrid, "from_grid", grid->str());
        fill(d, d.toGrid, "to_grid", grid->parent()->str());
        break;
    }
    case A::Park:
        e.to = S::Parked;
        fill(d, d.parkedFrom, "parked_from", c.state());
        break;
    case A::Resume: e.to = c.parkedFrom(); break;
    case A::Void: e.to = S::Voided; break;
    case A::Merge: e.to = S::Merged; break;
    case A::Rework:
        e.to = command.details.reworkTo.value_or(S::InHandling);
        fill(d, d.reworkTo, "to", e.to);
        break;
    case A::Note:
    case A::Extend:
    case A::Supervise:
    case A::Urge: break;
    }
    return e;
}

std::pair<CaseEvent, CaseEvent> Workflow::merge(const Case &source, const Case &target, const CaseCommand &command) const
{
    CaseCommand cmd = command;
    cmd.action = A::Merge;
    fill(cmd.details, cmd.details.into, "into", target.number());
    if (!target.isReported())
        throw WorkflowRefused({"unknown_case", "cannot merge into a case that has not been reported"});
    if (source.number() == target.number())
        throw WorkflowRefused({"bad_value", "cannot merge a case into itself"});
    if (isTerminalState(target.state()))
        throw WorkflowRefused({"bad_transition", "cannot merge into case " + target.number() + " in state "
                                                     + quotedState(target.state()) + ": it is final"});
    CaseEvent sourceEvent = apply(source, cmd);
    CaseEvent targetEvent;
    targetEvent.caseNumber = target.number();
    targetEvent.action = A::Merge;
    targetEvent.actor = command.actor;
    targetEvent.at = command.at;
    targetEvent.note = command.note;
    targetEvent.from = target.state();
    targetEvent.to = target.state();
    targetEvent.details.absorbed = source.number();
    targetEvent.details.reporters = source.reporters();
    return {std::move(sourceEvent), std::move(targetEvent)};
}

std::vector<CaseAction> Workflow::allowedActions(const Case &c) const
{
    std::vector<CaseAction> out;
    for (const auto &e : kActionNames)
        if (!checkState(c, e.action))
            out.push_back(e.action);
    return out;
}

} // namespace gd::core
