#include "core/supervisionrules.h"

#include "core/configerror.h"
#include "core/configtext.h"
#include "core/gridcode.h"
#include "core/slaclock.h"

#include <algorithm>

namespace gd::core {

using namespace configtext;

std::optional<ClockSpan> parseClockSpan(std::string_view text)
{
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
        ++digits;
    const auto amount = toInt(text.substr(0, digits));
    const auto unit = parseLimitUnit(text.substr(digits));
    // Only the short units: a span is written as the catalog writes its limits.
    if (!amount || !unit || *amount <= 0 || limitUnitName(*unit) != text.substr(digits))
        return std::nullopt;
    return ClockSpan{*amount, *unit};
}

std::string clockSpanText(const ClockSpan &span)
{
    return std::to_string(span.amount) + std::string(limitUnitName(span.unit));
}

std::string clockSpanWords(const ClockSpan &span)
{
    const std::string n = std::to_string(span.amount);
    const bool one = span.amount == 1;
    switch (span.unit) {
    case LimitUnit::WorkingHours: return n + (one ? " working hour" : " working hours");
    case LimitUnit::WorkingDays: return n + (one ? " working day" : " working days");
    case LimitUnit::NaturalHours: return n + (one ? " hour" : " hours");
    }
    return n;
}

TimePoint addClockSpan(const WorkCalendar &calendar, TimePoint from, const ClockSpan &span)
{
    switch (span.unit) {
    case LimitUnit::WorkingHours: return calendar.addWorkingSeconds(from, static_cast<long long>(span.amount) * 3600);
    case LimitUnit::WorkingDays: return calendar.addWorkingDays(from, span.amount);
    case LimitUnit::NaturalHours: return from + std::chrono::hours(span.amount);
    }
    return from;
}

bool SupervisionConfig::alarms(std::string_view category) const
{
    return std::any_of(alarmOverdue.begin(), alarmOverdue.end(), [category](const std::string &code) {
        return code == category || (code.size() == 2 && category.substr(0, 2) == code);
    });
}

SupervisionConfig SupervisionConfig::parse(std::string_view text, const std::string &sourceName)
{
    SupervisionConfig config;
    config.source = sourceName;
    bool stagesSeen = false;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto words = splitWords(line.text);
        const std::string key(words[0]);
        const auto once = [&](bool seen) {
            if (seen)
                fail("'" + key + "' is given twice; keep one");
        };
        if (key == "escalate_overdue") {
            once(config.escalateLine != 0);
            if (words.size() != 2)
                fail("'escalate_overdue' takes one span such as 4wh, 2wd or 24h (or 'off')");
            config.escalateLine = line.number;
            if (words[1] == "off")
                continue;
            const auto span = parseClockSpan(words[1]);
            if (!span)
                fail("escalate_overdue span '" + std::string(words[1])
                     + "' must be a positive whole number followed by wh (工作时), wd (工作日) or h (自然时)");
            config.escalateOverdue = span;
        } else if (key == "escalate_stages") {
            once(stagesSeen);
            stagesSeen = true;
            if (words.size() < 2)
                fail("'escalate_stages' takes one or more of: dispatch, handle");
            config.escalateStages.clear();
            for (std::size_t i = 1; i < words.size(); ++i) {
                const auto stage = parseStage(words[i]);
                if (!stage)
                    fail("unknown stage '" + std::string(words[i]) + "'; expected dispatch or handle");
                if (*stage != Stage::Dispatch && *stage != Stage::Handle)
                    fail("stage '" + std::string(words[i])
                         + "' cannot be escalated: the workflow escalates only accepted, assigned or in-handling "
                           "cases (stages dispatch and handle)");
                if (std::find(config.escalateStages.begin(), config.escalateStages.end(), *stage)
                    != config.escalateStages.end())
                    fail("stage '" + std::string(words[i]) + "' is named twice");
                config.escalateStages.push_back(*stage);
            }
        } else if (key == "supervise_rework") {
            once(config.reworkLine != 0);
            if (words.size() != 2)
                fail("'supervise_rework' takes one number of reworks (or 'off')");
            config.reworkLine = line.number;
            if (words[1] == "off")
                continue;
            const auto n = toInt(words[1]);
            if (!n || *n < 1)
                fail("supervise_rework '" + std::string(words[1]) + "' must be a whole number of reworks, 1 or more");
            config.superviseRework = *n;
        } else if (key == "alarm_overdue") {
            once(config.alarmLine != 0);
            if (words.size() < 2)
                fail("'alarm_overdue' takes one or more categories (4 digits) or families (2 digits), or 'off'");
            config.alarmLine = line.number;
            if (words.size() == 2 && words[1] == "off")
                continue;
            for (std::size_t i = 1; i < words.size(); ++i) {
                if (!isDigits(words[i], 2) && !isDigits(words[i], 4))
                    fail("alarm_overdue: '" + std::string(words[i])
                         + "' is neither a category (4 digits) nor a family (2 digits)");
                config.alarmOverdue.emplace_back(words[i]);
            }
        } else {
            fail("unknown entry '" + key + "'; expected escalate_overdue, escalate_stages, supervise_rework or alarm_overdue");
        }
    }
    return config;
}

SupervisionRules::SupervisionRules(SupervisionConfig config, const WorkCalendar &calendar)
    : mConfig(std::move(config))
    , mCalendar(calendar)
{
}

std::optional<TimePoint> SupervisionRules::escalationDue(TimePoint deadline) const
{
    if (!mConfig.escalateOverdue)
        return std::nullopt;
    return addClockSpan(mCalendar, deadline, *mConfig.escalateOverdue);
}

long long SupervisionRules::minimumOverdueSeconds() const
{
    if (!mConfig.escalateOverdue)
        return 0;
    const ClockSpan &span = *mConfig.escalateOverdue;
    switch (span.unit) {
    // A working hour takes at least a natural hour.
    case LimitUnit::WorkingHours:
    case LimitUnit::NaturalHours: return static_cast<long long>(span.amount) * 3600;
    // Close of business of the Nth working day after the deadline's day: at least N-1 whole days later.
    case LimitUnit::WorkingDays: return static_cast<long long>(span.amount - 1) * 86400;
    }
    return 0;
}

namespace {

std::string where(const std::string &source, int line)
{
    if (source.empty() || line == 0)
        return std::string();
    return " (" + source + ":" + std::to_string(line) + ")";
}

} // namespace

std::optional<RuleFiring> SupervisionRules::escalation(const OverdueStage &s, TimePoint now) const
{
    const auto due = escalationDue(s.deadline);
    if (!due || now < *due)
        return std::nullopt;
    if (std::find(mConfig.escalateStages.begin(), mConfig.escalateStages.end(), s.stage) == mConfig.escalateStages.end())
        return std::nullopt;
    // The states the workflow escalates from, and the stage each belongs to.
    if (s.state != CaseState::Accepted && s.state != CaseState::Assigned && s.state != CaseState::InHandling)
        return std::nullopt;
    if (stageOfState(s.state) != s.stage)
        return std::nullopt;
    const auto grid = GridCode::parse(s.responsibleGrid);
    if (!grid)
        return std::nullopt; // no grid to escalate from: triage, not a rule's business

    RuleFiring firing;
    firing.rule = std::string(kRuleEscalateOverdue);
    firing.occurrence = std::string(stageName(s.stage)) + "@" + formatRfc3339(s.stageStarted, 0);
    const std::string late = "the " + std::string(stageName(s.stage)) + " stage is overdue by more than "
                             + clockSpanWords(*mConfig.escalateOverdue) + " (deadline " + formatRfc3339(s.deadline) + ")";
    const auto parent = grid->parent();
    if (!parent) {
        firing.action = CaseAction::Supervise;
        firing.reason = late + " and the case is already at district level (" + grid->str()
                        + "): flagged for supervision (督办) instead of escalated" + where(mConfig.source, mConfig.escalateLine);
    } else {
        firing.action = CaseAction::Escalate;
        firing.reason = late + ": escalated from " + std::string(gridLevelNameZh(grid->level())) + " " + grid->str()
                        + " to " + std::string(gridLevelNameZh(parent->level())) + " " + parent->str()
                        + where(mConfig.source, mConfig.escalateLine);
    }
    return firing;
}

std::optional<RuleFiring> SupervisionRules::reworkSupervision(int reworkCount) const
{
    if (mConfig.superviseRework <= 0 || reworkCount < mConfig.superviseRework)
        return std::nullopt;
    RuleFiring firing;
    firing.rule = std::string(kRuleSuperviseRework);
    // One firing per case whatever the threshold: lowering it later must not flag again a case
    // the rule already flagged.
    firing.occurrence = "rework";
    firing.action = CaseAction::Supervise;
    firing.reason = "sent back for rework " + std::to_string(reworkCount) + (reworkCount == 1 ? " time" : " times")
                    + " (the rule flags a case for supervision (督办) from " + std::to_string(mConfig.superviseRework)
                    + (mConfig.superviseRework == 1 ? " rework)" : " reworks)") + where(mConfig.source, mConfig.reworkLine);
    return firing;
}

} // namespace gd::core
