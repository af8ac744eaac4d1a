#pragma once
// Performance indicators (考核指标) computed from the event log, for any period and any
// grid subtree or lead department. Definitions (see resources/config/kpi.conf):
//  - 办结率 closure rate: of cases reported in the period (voided/merged excluded), the share
//    closed (reached `closed`) before the period ends.
//  - 按期办结率 on-time rate: of cases decided in the period, the share decided on time. A case
//    is decided on time at its first feedback when that came at or before its first handling
//    deadline, and decided late when that deadline passed first (open overdue cases count in
//    the denominator and not in the numerator). Each case counts in exactly one period.
//  - 返工率 rework rate: of cases closed in the period, the share reworked at least once.
//  - 满意率 satisfaction rate: over follow-up visits in the period, the mean of the configured
//    score of each answer (satisfied 1, basically satisfied configurable, unsatisfied 0).
//  - 调解成功率 mediation success: over feedbacks in the period on the mediation family's
//    cases that report a mediation outcome, the share "success".
//  - overdue: open cases whose running stage is red at the period end.
//  - composite score: 100 × Σ weight·rate / Σ weight (rates with no denominator are left out)
//    minus overdue_penalty × overdue, floored at 0.

#include "core/case.h"
#include "core/gridcode.h"
#include "core/slaclock.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

struct KpiConfig
{
    std::map<std::string, double, std::less<>> weights{
        {"closure_rate", 0.2}, {"on_time_rate", 0.3}, {"rework_rate", 0.1},
        {"satisfaction_rate", 0.3}, {"mediation_rate", 0.1}};
    double basicallySatisfiedScore = 0.8;
    std::string mediationFamily = "01";
    double overduePenalty = 1.0;
    //! 签收时限: a department acknowledges (签收) a case dispatched to it within this many working
    //! hours of the dispatch; 响应率 counts the share that did (store/cases/departmentnotices.h).
    double signWithinWorkingHours = 2.0;

    //! Parses "weight <kpi> <value>", "basically_satisfied <score>", "mediation_family <code>",
    //! "overdue_penalty <points>", "sign_within <working hours>"; throws ConfigError.
    static KpiConfig parse(std::string_view text, const std::string &sourceName);
};

//! Which cases count.
struct KpiScope
{
    std::optional<GridCode> grid; //!< cases reported in this grid's subtree
    std::string department;       //!< cases whose lead department (at the period end) is this
};

//! A ratio with its parts, so reports can show "17 / 20".
struct KpiRatio
{
    double numerator = 0;
    double denominator = 0;
    std::optional<double> value() const
    {
        return denominator > 0 ? std::optional<double>(numerator / denominator) : std::nullopt;
    }
};

struct KpiReport
{
    KpiRatio closureRate;
    KpiRatio onTimeRate;
    KpiRatio reworkRate;
    KpiRatio satisfactionRate;
    KpiRatio mediationRate;
    int overdue = 0;
    int received = 0; //!< cases reported in the period within scope (voided/merged excluded)
    double composite = 0;
};

class KpiCalculator
{
  public:
    //! All references must outlive the calculator.
    KpiCalculator(const CategoryCatalog &catalog, const WorkCalendar &calendar, KpiConfig config = {});

    /**
     * Indicators over [from, to) for \a cases in \a scope. Each case's events after `to`
     * are ignored, so a past period reads the same tomorrow.
     */
    KpiReport compute(const std::vector<Case> &cases, TimePoint from, TimePoint to, const KpiScope &scope = {}) const;

    //! The first handling deadline of \a c (Handle stage, extensions and parking included), if it reached that stage.
    std::optional<TimePoint> handlingDeadline(const Case &c, TimePoint asOf) const;

  private:
    const CategoryCatalog &mCatalog;
    const WorkCalendar &mCalendar;
    KpiConfig mConfig;
    SlaClock mClock;
};

} // namespace gd::core
