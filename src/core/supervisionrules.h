#pragma once
// Supervision rules (督办规则): what the center does on its own when a case runs late or keeps
// coming back. Configuration: resources/config/supervision.conf (documented at its top).
//
//  - escalate_overdue <span>: a case whose running dispatch or handle stage is past its deadline
//    by more than <span> (working hours, working days or natural hours, as catalog limits) is
//    escalated one grid level up (the workflow's Escalate). A case already at district level
//    cannot go higher: it is flagged for supervision (督办) instead. Escalation restarts the
//    dispatch stage, so a case that runs late again at the new level is escalated again: each
//    stage occurrence fires at most once.
//  - supervise_rework <N>: a case sent back for rework N times or more gets the 督办 flag
//    (Supervise), once.
//
// Core decides whether a rule fires and words the reason; the store's runner finds the
// candidates, records each firing under a unique key and applies it as an event.

#include "core/catalog.h"
#include "core/caseworkflow.h"
#include "core/workcalendar.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

//! A span of time on one of the catalog's clocks: "4wh", "2wd", "24h".
struct ClockSpan
{
    int amount = 0;
    LimitUnit unit = LimitUnit::WorkingHours;
    friend bool operator==(const ClockSpan &, const ClockSpan &) = default;
};

//! Parses "<positive whole number><wh|wd|h>", as the catalog's stage limits; nullopt when malformed.
std::optional<ClockSpan> parseClockSpan(std::string_view text);
//! "4wh", "2wd", "24h".
std::string clockSpanText(const ClockSpan &span);
//! "4 working hours", "2 working days", "24 hours".
std::string clockSpanWords(const ClockSpan &span);
/**
 * The instant \a span after \a from: working hours on the calendar's working periods, working
 * days as WorkCalendar::addWorkingDays (close of business of the Nth working day after the
 * day of \a from), natural hours on the wall clock.
 */
TimePoint addClockSpan(const WorkCalendar &calendar, TimePoint from, const ClockSpan &span);

//! The rules as configured. Default: every rule off.
struct SupervisionConfig
{
    std::optional<ClockSpan> escalateOverdue; //!< off when empty
    std::vector<Stage> escalateStages{Stage::Dispatch, Stage::Handle};
    int superviseRework = 0;                  //!< off when 0
    int escalateLine = 0;                     //!< source line of escalate_overdue (for reasons), 0 when unset
    int reworkLine = 0;                       //!< source line of supervise_rework
    //! Case categories (4 digits) or families (2 digits) whose overdue cases raise an alarm the
    //! operator must acknowledge (火灾, 群体性事件 ...), beyond the wall's red; empty: none.
    std::vector<std::string> alarmOverdue;
    int alarmLine = 0;                        //!< source line of alarm_overdue
    std::string source;                       //!< the file name the rules came from

    /**
     * Parses "escalate_overdue <span>|off", "escalate_stages <stage> ...",
     * "supervise_rework <N>|off", "alarm_overdue <category or family> ...|off"; each at most once. Throws ConfigError naming the line.
     */
    static SupervisionConfig parse(std::string_view text, const std::string &sourceName);
    //! Whether an overdue case of \a category raises an alarm (its code or its family is listed).
    bool alarms(std::string_view category) const;
};

//! A decision to fire a rule on one case.
struct RuleFiring
{
    std::string rule;       //!< "escalate_overdue" or "supervise_rework"
    std::string occurrence; //!< unique per case and rule: a rule fires once per occurrence
    CaseAction action = CaseAction::Supervise; //!< Escalate or Supervise
    std::string reason;     //!< in words, for the event's note and the supervision wall
};

inline constexpr std::string_view kRuleEscalateOverdue = "escalate_overdue";
inline constexpr std::string_view kRuleSuperviseRework = "supervise_rework";

//! The running stage of an overdue case, as the store's projection keeps it.
struct OverdueStage
{
    CaseState state = CaseState::Assigned;
    Stage stage = Stage::Handle;
    TimePoint stageStarted{};
    TimePoint deadline{};
    std::string responsibleGrid; //!< the grid level now responsible (empty: none)
};

class SupervisionRules
{
  public:
    //! \a calendar must outlive the rules.
    SupervisionRules(SupervisionConfig config, const WorkCalendar &calendar);

    const SupervisionConfig &config() const { return mConfig; }

    //! When the escalation rule fires for a stage whose deadline is \a deadline (nullopt when the rule is off).
    std::optional<TimePoint> escalationDue(TimePoint deadline) const;
    /**
     * The escalation firing for \a stage at \a now: nullopt when the rule is off, the stage is
     * not one the rule watches, the state cannot be escalated, or the span has not run out yet.
     * At district level the firing is a Supervise (督办) instead. The occurrence names the stage
     * and its start, so a stage entered again (after an escalation or a return) fires again.
     */
    std::optional<RuleFiring> escalation(const OverdueStage &stage, TimePoint now) const;
    //! The rework firing for a case reworked \a reworkCount times (nullopt below the threshold or when off).
    std::optional<RuleFiring> reworkSupervision(int reworkCount) const;
    /**
     * A lower bound of escalationDue(deadline) - deadline in natural seconds, so a store can
     * skip cases that cannot be due yet without asking the calendar (0 when the rule is off).
     */
    long long minimumOverdueSeconds() const;

  private:
    SupervisionConfig mConfig;
    const WorkCalendar &mCalendar;
};

} // namespace gd::core
