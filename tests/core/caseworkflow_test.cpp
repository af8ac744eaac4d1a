#include "core/caseworkflow.h"

#include "core/case.h"
#include "testconfig.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace gd::core;
using test::step;
using S = CaseState;
using A = CaseAction;

namespace {

const TimePoint kT0 = beijingTime(2026, 11, 23, 9, 0); // a Monday
const std::string kNumber = "620902-20261123-000001";

TimePoint at(int minutes)
{
    return kT0 + std::chrono::minutes(minutes);
}

//! A case driven into \a state through the normal path.
Case caseIn(S state)
{
    Case c = test::reportedCase(kNumber, "0301", kT0);
    const auto go = [&](std::initializer_list<S> path) {
        int m = 1;
        for (S s : path) {
            switch (s) {
            case S::Registered: step(c, A::Register, at(m)); break;
            case S::Accepted: step(c, A::Accept, at(m)); break;
            case S::Assigned: step(c, A::Assign, at(m), {.lead = "fire", .assisting = std::vector<std::string>{"community"}, .worker = "w1"}); break;
            case S::InHandling: step(c, A::StartHandling, at(m)); break;
            case S::Handled: step(c, A::Feedback, at(m), {.result = "杂物已清理"}); break;
            case S::Closed: step(c, A::Close, at(m)); break;
            case S::Visited: step(c, A::Visit, at(m), {.satisfaction = Satisfaction::Satisfied}); break;
            case S::Archived: step(c, A::Archive, at(m)); break;
            case S::Parked: step(c, A::Park, at(m), {}, "等待业主返回"); break;
            case S::Voided: step(c, A::Void, at(m), {}, "误报"); break;
            case S::Merged: step(c, A::Merge, at(m), {.into = "620902-20261123-000009"}); break;
            default: break;
            }
            ++m;
        }
    };
    switch (state) {
    case S::Reported: break;
    case S::Registered: go({S::Registered}); break;
    case S::Accepted: go({S::Registered, S::Accepted}); break;
    case S::Assigned: go({S::Registered, S::Accepted, S::Assigned}); break;
    case S::InHandling: go({S::Registered, S::Accepted, S::Assigned, S::InHandling}); break;
    case S::Handled: go({S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled}); break;
    case S::Closed: go({S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled, S::Closed}); break;
    case S::Visited:
        go({S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled, S::Closed, S::Visited});
        break;
    case S::Archived:
        go({S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled, S::Closed, S::Visited, S::Archived});
        break;
    case S::Parked: go({S::Registered, S::Accepted, S::Parked}); break;
    case S::Voided: go({S::Voided}); break;
    case S::Merged: go({S::Merged}); break;
    }
    EXPECT_EQ(c.state(), state);
    return c;
}

CaseCommand validCommand(A action)
{
    CaseCommand cmd{action, "operator", at(100), "理由", {}};
    switch (action) {
    case A::Report: cmd.details = {.category = "0301", .lon = 98.5, .lat = 39.7}; break;
    case A::Assign: cmd.details = {.lead = "fire"}; break;
    case A::Visit: cmd.details = {.satisfaction = Satisfaction::Satisfied}; break;
    case A::Extend: cmd.details = {.approver = "supervisor-li", .amount = 1, .unit = LimitUnit::WorkingDays}; break;
    case A::Merge: cmd.details = {.into = "620902-20261123-000009"}; break;
    default: break;
    }
    return cmd;
}

const std::vector<A> kAllActions{A::Report, A::Register, A::Accept, A::Assign, A::StartHandling, A::Arrive, A::Note,
                                 A::Feedback, A::Close, A::Visit, A::Archive, A::Return, A::Escalate, A::Extend,
                                 A::Park, A::Resume, A::Void, A::Merge, A::Rework, A::Supervise, A::Urge};
const std::vector<S> kAllStates{S::Reported, S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled,
                                S::Closed, S::Visited, S::Archived, S::Parked, S::Voided, S::Merged};

// The specification: what is legal in each state, and where it leads.
const std::map<S, std::map<A, S>> kAllowed{
    {S::Reported, {{A::Register, S::Registered}, {A::Note, S::Reported}, {A::Extend, S::Reported},
                   {A::Park, S::Parked}, {A::Void, S::Voided}, {A::Merge, S::Merged}, {A::Supervise, S::Reported}}},
    {S::Registered, {{A::Accept, S::Accepted}, {A::Note, S::Registered}, {A::Extend, S::Registered},
                     {A::Park, S::Parked}, {A::Void, S::Voided}, {A::Merge, S::Merged}, {A::Supervise, S::Registered}}},
    {S::Accepted, {{A::Assign, S::Assigned}, {A::Note, S::Accepted}, {A::Escalate, S::Accepted},
                   {A::Extend, S::Accepted}, {A::Park, S::Parked}, {A::Void, S::Voided}, {A::Merge, S::Merged},
                   {A::Supervise, S::Accepted}}},
    {S::Assigned, {{A::StartHandling, S::InHandling}, {A::Arrive, S::InHandling}, {A::Note, S::Assigned},
                   {A::Return, S::Accepted}, {A::Escalate, S::Accepted}, {A::Extend, S::Assigned},
                   {A::Park, S::Parked}, {A::Void, S::Voided}, {A::Supervise, S::Assigned}, {A::Urge, S::Assigned}}},
    {S::InHandling, {{A::Arrive, S::InHandling}, {A::Note, S::InHandling}, {A::Feedback, S::Handled},
                     {A::Return, S::Accepted}, {A::Escalate, S::Accepted}, {A::Extend, S::InHandling},
                     {A::Park, S::Parked}, {A::Void, S::Voided}, {A::Supervise, S::InHandling},
                     {A::Urge, S::InHandling}}},
    {S::Handled, {{A::Note, S::Handled}, {A::Close, S::Closed}, {A::Extend, S::Handled}, {A::Park, S::Parked},
                  {A::Rework, S::InHandling}, {A::Supervise, S::Handled}}},
    {S::Closed, {{A::Note, S::Closed}, {A::Visit, S::Visited}, {A::Extend, S::Closed}, {A::Park, S::Parked},
                 {A::Supervise, S::Closed}}},
    {S::Visited, {{A::Note, S::Visited}, {A::Archive, S::Archived}}}, // satisfied visit: nothing to rework
    {S::Archived, {}},
    {S::Parked, {{A::Note, S::Parked}, {A::Resume, S::Accepted}, {A::Void, S::Voided}, {A::Supervise, S::Parked}}},
    {S::Voided, {}},
    {S::Merged, {}},
};

} // namespace

TEST(Workflow, EveryActionInEveryStateIsAllowedOrRefusedAsSpecified)
{
    const Workflow workflow(&test::departments());
    for (S state : kAllStates) {
        const Case c = caseIn(state);
        const auto &allowed = kAllowed.at(state);
        std::set<A> offered;
        for (A a : workflow.allowedActions(c))
            offered.insert(a);
        for (A action : kAllActions) {
            const CaseCommand cmd = validCommand(action);
            const auto refusal = workflow.check(c, cmd);
            const auto it = allowed.find(action);
            SCOPED_TRACE(std::string(caseActionName(action)) + " in " + std::string(caseStateName(state)));
            if (it == allowed.end()) {
                ASSERT_TRUE(refusal.has_value());
                EXPECT_EQ(refusal->code, "bad_transition");
                EXPECT_EQ(refusal->reason.rfind("cannot ", 0) == 0 || refusal->reason.rfind("case ", 0) == 0, true)
                    << refusal->reason;
                EXPECT_THROW(workflow.apply(c, cmd), WorkflowRefused);
                EXPECT_EQ(offered.count(action), 0u);
            } else {
                ASSERT_FALSE(refusal.has_value()) << refusal->reason;
                const CaseEvent e = workflow.apply(c, cmd);
                EXPECT_EQ(e.from, state);
                EXPECT_EQ(e.to, it->second);
                EXPECT_EQ(e.action, action);
                EXPECT_EQ(e.caseNumber, kNumber);
                EXPECT_EQ(e.actor, "operator");
                Case copy = c;
                copy.apply(e);
                EXPECT_EQ(copy.state(), it->second);
                EXPECT_EQ(offered.count(action), 1u);
            }
        }
    }
}

TEST(Workflow, FullLoop)
{
    Case c = caseIn(S::Archived);
    std::vector<S> states;
    for (const CaseEvent &e : c.events())
        states.push_back(e.to);
    EXPECT_EQ(states, (std::vector<S>{S::Reported, S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled,
                                      S::Closed, S::Visited, S::Archived}));
    EXPECT_EQ(c.leadDepartment(), "fire");
    EXPECT_EQ(c.assistingDepartments(), std::vector<std::string>{"community"});
    EXPECT_EQ(c.assignedWorker(), "w1");
    EXPECT_EQ(c.satisfaction(), "satisfied");
    EXPECT_TRUE(Workflow().allowedActions(c).empty());
}

TEST(Workflow, HumanReasons)
{
    const Workflow workflow;
    const auto reason = [&](S state, A action) {
        return workflow.check(caseIn(state), validCommand(action))->reason;
    };
    EXPECT_EQ(reason(S::Assigned, A::Close), "cannot close a case in state 'assigned': it needs the handler's feedback first");
    EXPECT_EQ(reason(S::Assigned, A::Feedback),
              "cannot record the handler's feedback on a case in state 'assigned': the handler has to accept (start handling) it first");
    EXPECT_EQ(reason(S::Parked, A::Assign), "cannot assign a case in state 'parked': it is parked (挂账); resume it first");
    EXPECT_EQ(reason(S::Reported, A::Assign), "cannot assign a case in state 'reported': it must be accepted (受理) first");
    EXPECT_NE(reason(S::Archived, A::Note).find("final"), std::string::npos);
    EXPECT_EQ(workflow.check(Case(), validCommand(A::Close))->code, "unknown_case");
}

TEST(Workflow, ReturnNeedsReasonAndClearsTheLead)
{
    const Workflow workflow;
    Case c = caseIn(S::InHandling);
    CaseCommand cmd{A::Return, "dept-fire", at(10), "", {}};
    EXPECT_EQ(workflow.check(c, cmd)->code, "missing_data");
    cmd.note = "不属于本部门职责";
    const CaseEvent e = workflow.apply(c, cmd);
    EXPECT_EQ(e.details.previousLead, "fire");
    c.apply(e);
    EXPECT_EQ(c.state(), S::Accepted);
    EXPECT_TRUE(c.leadDepartment().empty());
    EXPECT_TRUE(c.assistingDepartments().empty());
    EXPECT_TRUE(c.assignedWorker().empty());
    EXPECT_EQ(c.returnCount(), 1);
}

TEST(Workflow, EscalateClimbsTheGridUntilTheDistrict)
{
    const Workflow workflow;
    Case c = caseIn(S::Accepted);
    EXPECT_EQ(c.responsibleGrid(), "620902001001001001");
    const std::vector<std::string> expected{"620902001001001", "620902001001", "620902001", "620902"};
    for (const std::string &grid : expected) {
        const CaseEvent e = workflow.apply(c, {A::Escalate, "op", at(5), "本级无法解决", {}});
        EXPECT_EQ(e.to, S::Accepted);
        EXPECT_EQ(e.details.toGrid, grid);
        c.apply(e);
        EXPECT_EQ(c.responsibleGrid(), grid);
    }
    const auto refusal = workflow.check(c, {A::Escalate, "op", at(6), "", {}});
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->code, "top_level");
    EXPECT_NE(refusal->reason.find("district level"), std::string::npos);
    EXPECT_EQ(c.escalationCount(), 4);
    // From assigned: back to accepted at the parent level with the lead cleared.
    Case d = caseIn(S::Assigned);
    d.apply(workflow.apply(d, {A::Escalate, "worker", at(9), "", {}}));
    EXPECT_EQ(d.state(), S::Accepted);
    EXPECT_EQ(d.responsibleGrid(), "620902001001001");
    EXPECT_TRUE(d.leadDepartment().empty());
}

TEST(Workflow, ExtendNeedsAnApprover)
{
    const Workflow workflow;
    const Case c = caseIn(S::InHandling);
    CaseCommand cmd{A::Extend, "op", at(10), "", {.amount = 2, .unit = LimitUnit::WorkingDays}};
    EXPECT_EQ(workflow.check(c, cmd)->code, "missing_data");
    cmd.details.approver = "主任王";
    EXPECT_FALSE(workflow.check(c, cmd));
    cmd.details.unit.reset(); // no unit, or one the store could not read ("fortnights")
    EXPECT_TRUE(workflow.check(c, cmd));
    cmd.details.unit = LimitUnit::WorkingDays;
    cmd.details.amount = 0;
    EXPECT_TRUE(workflow.check(c, cmd));
}

TEST(Workflow, ParkAndResumeReturnToTheParkedFromState)
{
    for (S from : {S::Reported, S::Accepted, S::Assigned, S::InHandling, S::Handled, S::Closed}) {
        Case c = caseIn(from);
        step(c, A::Park, at(20), {}, "当事人外出");
        EXPECT_EQ(c.state(), S::Parked);
        EXPECT_EQ(c.parkedFrom(), from);
        step(c, A::Resume, at(30));
        EXPECT_EQ(c.state(), from);
    }
    EXPECT_TRUE(Workflow().check(caseIn(S::Accepted), {A::Park, "op", at(1), "", {}}));
}

TEST(Workflow, VoidNeedsAReason)
{
    const Workflow workflow;
    Case c = caseIn(S::Registered);
    EXPECT_EQ(workflow.check(c, {A::Void, "op", at(3), "", {}})->code, "missing_data");
    step(c, A::Void, at(3), {}, "重复报送");
    EXPECT_EQ(c.state(), S::Voided);
}

TEST(Workflow, MergeKeepsTheReportersOnTheTarget)
{
    const Workflow workflow;
    Case target = test::reportedCase("620902-20261123-000001", "0301", kT0);
    Case source = test::reportedCase("620902-20261123-000002", "0301", at(30));
    step(target, A::Register, at(31));
    const auto [sourceEvent, targetEvent] = workflow.merge(source, target, {A::Merge, "op", at(40), "同一楼道", {}});
    source.apply(sourceEvent);
    target.apply(targetEvent);
    EXPECT_EQ(source.state(), S::Merged);
    EXPECT_EQ(source.mergedInto(), target.number());
    EXPECT_EQ(target.state(), S::Registered);
    ASSERT_EQ(target.reporters().size(), 2u);
    EXPECT_EQ(target.reporters()[1].caseNumber, source.number());
    EXPECT_EQ(target.reporters()[1].name, "张三");
    EXPECT_THROW(workflow.merge(target, target, {A::Merge, "op", at(41), "", {}}), WorkflowRefused);
    Case other = test::reportedCase("620902-20261123-000003", "0301", at(50));
    EXPECT_THROW(workflow.merge(other, source, {A::Merge, "op", at(51), "", {}}), WorkflowRefused); // target merged
    EXPECT_EQ(workflow.check(other, {A::Merge, "op", at(52), "", {.into = other.number()}})->code, "bad_value");
}

TEST(Workflow, ReworkAfterAnUnsatisfiedVisit)
{
    const Workflow workflow;
    Case c = caseIn(S::Closed);
    step(c, A::Visit, at(60), {.satisfaction = Satisfaction::Unsatisfied});
    EXPECT_EQ(c.state(), S::Visited);
    const auto archive = workflow.check(c, {A::Archive, "op", at(61), "", {}});
    ASSERT_TRUE(archive);
    EXPECT_NE(archive->reason.find("rework it first"), std::string::npos);
    const auto allowed = workflow.allowedActions(c);
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), A::Rework), allowed.end());
    step(c, A::Rework, at(62), {}, "群众反映杂物仍未清理");
    EXPECT_EQ(c.state(), S::InHandling);
    EXPECT_EQ(c.reworkCount(), 1);
    EXPECT_TRUE(c.satisfaction().empty());
    // …handled again, closed, visited satisfied, archived.
    step(c, A::Feedback, at(70));
    step(c, A::Close, at(71));
    step(c, A::Visit, at(72), {.satisfaction = Satisfaction::BasicallySatisfied});
    step(c, A::Archive, at(73));
    EXPECT_EQ(c.state(), S::Archived);
    // Rework to assigned when a different handler must accept it again.
    Case d = caseIn(S::Handled);
    step(d, A::Rework, at(80), {.reworkTo = S::Assigned});
    EXPECT_EQ(d.state(), S::Assigned);
}

TEST(Workflow, SuperviseAndUrgeAreFlagsWithoutStateChange)
{
    Case c = caseIn(S::InHandling);
    step(c, A::Supervise, at(10), {}, "区领导督办");
    step(c, A::Urge, at(11));
    step(c, A::Urge, at(12));
    EXPECT_EQ(c.state(), S::InHandling);
    EXPECT_TRUE(c.isSupervised());
    EXPECT_EQ(c.superviseCount(), 1);
    EXPECT_EQ(c.urgeCount(), 2);
}

TEST(Workflow, AssignChecksDepartments)
{
    const Workflow workflow(&test::departments());
    const Case c = caseIn(S::Accepted);
    EXPECT_EQ(workflow.check(c, {A::Assign, "op", at(5), "", {}})->code, "missing_data");
    EXPECT_EQ(workflow.check(c, {A::Assign, "op", at(5), "", {.lead = "dragons"}})->code, "unknown_department");
    EXPECT_EQ(workflow.check(c, {A::Assign, "op", at(5), "", {.lead = "fire", .assisting = std::vector<std::string>{"fire"}}})->code, "bad_value");
    EXPECT_FALSE(workflow.check(c, {A::Assign, "op", at(5), "", {.lead = "fire", .assisting = std::vector<std::string>{"police", "community"}}}));
    EXPECT_EQ(workflow.check(c, {A::Note, "", at(5), "x", {}})->code, "missing_data"); // no actor
}

TEST(Workflow, ReportValidation)
{
    const Workflow workflow;
    const Case fresh;
    EXPECT_EQ(workflow.allowedActions(fresh), std::vector<A>{A::Report});
    EXPECT_TRUE(workflow.check(fresh, {A::Report, "gw", kT0, "", {.category = "03", .lon = 98.5, .lat = 39.7}}));
    EXPECT_TRUE(workflow.check(fresh, {A::Report, "gw", kT0, "", {.category = "0301", .lon = 198.5, .lat = 39.7}}));
    EXPECT_TRUE(workflow.check(fresh, {A::Report, "gw", kT0, "", {.category = "0301", .lon = 98.5, .lat = 39.7, .grid = "12"}}));
    EXPECT_FALSE(workflow.check(fresh, {A::Report, "gw", kT0, "", {.category = "0301", .lon = 98.5, .lat = 39.7}}));
}

TEST(Workflow, Names)
{
    for (S s : kAllStates)
        EXPECT_EQ(parseCaseState(caseStateName(s)), s);
    for (A a : kAllActions)
        EXPECT_EQ(parseCaseAction(caseActionName(a)), a);
    EXPECT_EQ(caseStateName(S::InHandling), "in_handling");
}

// A detail read from a file or an old store with the wrong type is kept verbatim, not typed:
// the workflow refuses it as it refused the JSON value, instead of taking it as absent.
TEST(Workflow, ADetailKeptOnlyVerbatimIsRefused)
{
    const Workflow workflow(&test::departments());
    const Case accepted = caseIn(S::Accepted);
    CaseCommand assign{A::Assign, "op", at(5), "", {.lead = "fire"}};
    EXPECT_FALSE(workflow.check(accepted, assign));
    assign.details.verbatim["worker"] = "7";
    EXPECT_EQ(workflow.check(accepted, assign)->code, "bad_value");
    assign.details.verbatim = {{"assisting", "\"police\""}};
    EXPECT_EQ(workflow.check(accepted, assign)->code, "bad_value");
    CaseCommand report{A::Report, "gw", kT0, "", {.category = "0301", .lon = 98.5, .lat = 39.7}};
    report.details.verbatim["priority"] = "\"urgentissimo\"";
    EXPECT_EQ(workflow.check(Case(), report)->code, "bad_value");
    // A rework "to" that is not text was read as the default, as before; text that is no state is refused.
    CaseCommand rework{A::Rework, "op", at(6), "", {}};
    rework.details.verbatim["to"] = "3";
    EXPECT_FALSE(workflow.check(caseIn(S::Handled), rework));
    rework.details.verbatim["to"] = "\"later\"";
    EXPECT_EQ(workflow.check(caseIn(S::Handled), rework)->code, "bad_value");
}
