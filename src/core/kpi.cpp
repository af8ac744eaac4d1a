#include "core/kpi.h"

#include "core/configerror.h"
#include "core/configtext.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace gd::core {

using namespace configtext;

namespace {

const char *const kKpiNames[] = {"closure_rate", "on_time_rate", "rework_rate", "satisfaction_rate", "mediation_rate"};

} // namespace

KpiConfig KpiConfig::parse(std::string_view text, const std::string &sourceName)
{
    KpiConfig config;
    std::map<std::string, std::size_t> seen; // entry (with its KPI for weights) -> line
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto words = splitWords(line.text);
        const auto number = [&](std::size_t i, const char *what) {
            if (words.size() != i + 1)
                fail(std::string("'") + std::string(words[0]) + "' takes " + std::to_string(i) + " argument(s)");
            const auto v = toDouble(words[i]);
            // NaN compares false with everything: "nan" passed "< 0" and the composite jumped to 100.
            if (!v || !std::isfinite(*v) || *v < 0)
                fail(std::string(what) + " '" + std::string(words[i]) + "' must be a finite number >= 0");
            return *v;
        };
        // The same entry twice: which one would count is a guess; say so, naming both lines.
        const std::string key = std::string(words[0]) + (words[0] == "weight" && words.size() > 1 ? " " + std::string(words[1]) : "");
        if (const auto [it, added] = seen.emplace(key, line.number); !added)
            fail("'" + key + "' is given twice (also on line " + std::to_string(it->second) + ")");
        if (words[0] == "weight") {
            if (words.size() != 3)
                fail("'weight' takes a KPI name and a number");
            if (std::none_of(std::begin(kKpiNames), std::end(kKpiNames), [&](const char *n) { return words[1] == n; }))
                fail("unknown KPI '" + std::string(words[1])
                     + "'; expected closure_rate, on_time_rate, rework_rate, satisfaction_rate or mediation_rate");
            config.weights[std::string(words[1])] = number(2, "weight");
        } else if (words[0] == "basically_satisfied") {
            const double v = number(1, "score");
            if (v > 1)
                fail("the score of 'basically satisfied' must be between 0 and 1");
            config.basicallySatisfiedScore = v;
        } else if (words[0] == "mediation_family") {
            if (words.size() != 2 || !isDigits(words[1], 2))
                fail("'mediation_family' takes a 2-digit family code");
            config.mediationFamily = std::string(words[1]);
        } else if (words[0] == "overdue_penalty") {
            config.overduePenalty = number(1, "penalty");
        } else if (words[0] == "sign_within") {
            // 0 would make every acknowledgement late: a limit is a positive span.
            const double v = number(1, "working hours");
            if (v <= 0)
                fail("'sign_within' takes a number of working hours > 0");
            config.signWithinWorkingHours = v;
        } else {
            fail("unknown entry '" + std::string(words[0])
                 + "'; expected weight, basically_satisfied, mediation_family, overdue_penalty or sign_within");
        }
    }
    double sum = 0;
    for (const auto &[name, w] : config.weights)
        sum += w;
    if (sum <= 0)
        throw ConfigError(sourceName, 0, "the KPI weights add up to 0");
    return config;
}

KpiCalculator::KpiCalculator(const CategoryCatalog &catalog, const WorkCalendar &calendar, KpiConfig config)
    : mCatalog(catalog)
    , mCalendar(calendar)
    , mConfig(std::move(config))
    , mClock(catalog, calendar)
{
}

std::optional<TimePoint> KpiCalculator::handlingDeadline(const Case &c, TimePoint asOf) const
{
    for (const StageClock &s : mClock.history(c, asOf))
        if (s.stage == Stage::Handle)
            return s.deadline;
    return std::nullopt;
}

KpiReport KpiCalculator::compute(const std::vector<Case> &cases, TimePoint from, TimePoint to, const KpiScope &scope) const
{
    KpiReport report;
    const auto inPeriod = [&](TimePoint t) { return t >= from && t < to; };
    for (const Case &full : cases) {
        // The case as it stood at the end of the period.
        std::vector<CaseEvent> events;
        for (const CaseEvent &e : full.events())
            if (e.at < to)
                events.push_back(e);
        if (events.empty())
            continue;
        const Case c = Case::fromEvents(events);
        if (c.state() == CaseState::Voided || c.state() == CaseState::Merged)
            continue;
        if (scope.grid) {
            const auto grid = GridCode::parse(c.reportedGrid());
            if (!grid || !scope.grid->contains(*grid))
                continue;
        }
        if (!scope.department.empty() && c.leadDepartment() != scope.department)
            continue;

        const auto firstOf = [&](CaseAction action) -> const CaseEvent * {
            for (const CaseEvent &e : events)
                if (e.action == action)
                    return &e;
            return nullptr;
        };
        const CaseEvent *closed = firstOf(CaseAction::Close);

        if (inPeriod(c.reportedAt())) {
            ++report.received;
            report.closureRate.denominator += 1;
            if (closed)
                report.closureRate.numerator += 1;
        }
        if (const auto due = handlingDeadline(c, to)) {
            // A case counts in the period where it was decided: on time at its first feedback
            // when that came by the deadline, late when the deadline passed first. Counting it
            // by its deadline alone left a case finished early out of the day it was finished
            // (and a day's 按期办结率 showed "—" after cases closed on time that day).
            const CaseEvent *feedback = firstOf(CaseAction::Feedback);
            const bool onTime = feedback && feedback->at <= *due;
            if (inPeriod(onTime ? feedback->at : *due)) {
                report.onTimeRate.denominator += 1;
                if (onTime)
                    report.onTimeRate.numerator += 1;
            }
        }
        bool closedInPeriod = false;
        for (const CaseEvent &e : events)
            if (e.action == CaseAction::Close && inPeriod(e.at))
                closedInPeriod = true;
        if (closedInPeriod) {
            report.reworkRate.denominator += 1;
            if (c.reworkCount() > 0)
                report.reworkRate.numerator += 1;
        }
        const Category *category = mCatalog.find(c.categoryCode());
        const bool mediationCase = category && category->familyCode == mConfig.mediationFamily;
        for (const CaseEvent &e : events) {
            if (!inPeriod(e.at))
                continue;
            if (e.action == CaseAction::Visit) {
                const std::optional<Satisfaction> s = e.details.satisfaction;
                report.satisfactionRate.denominator += 1;
                if (s == Satisfaction::Satisfied)
                    report.satisfactionRate.numerator += 1;
                else if (s == Satisfaction::BasicallySatisfied)
                    report.satisfactionRate.numerator += mConfig.basicallySatisfiedScore;
            } else if (e.action == CaseAction::Feedback && mediationCase) {
                if (const std::optional<Mediation> m = e.details.mediation) {
                    report.mediationRate.denominator += 1;
                    if (*m == Mediation::Success)
                        report.mediationRate.numerator += 1;
                }
            }
        }
        if (!isTerminalState(c.state()) && mClock.light(c, to) == TrafficLight::Red)
            ++report.overdue;
    }

    double weighted = 0, weights = 0;
    const auto addRate = [&](const char *name, const KpiRatio &ratio, bool lowerIsBetter) {
        const auto value = ratio.value();
        const auto it = mConfig.weights.find(name);
        if (!value || it == mConfig.weights.end() || it->second <= 0)
            return;
        weighted += it->second * (lowerIsBetter ? 1.0 - *value : *value);
        weights += it->second;
    };
    addRate("closure_rate", report.closureRate, false);
    addRate("on_time_rate", report.onTimeRate, false);
    addRate("rework_rate", report.reworkRate, true);
    addRate("satisfaction_rate", report.satisfactionRate, false);
    addRate("mediation_rate", report.mediationRate, false);
    const double base = weights > 0 ? 100.0 * weighted / weights : 100.0;
    report.composite = std::max(0.0, base - mConfig.overduePenalty * report.overdue);
    return report;
}

} // namespace gd::core
