#include "core/slaclock.h"

#include <algorithm>

namespace gd::core {

namespace {

struct Pause
{
    TimePoint begin;
    TimePoint end;
};

struct Segment
{
    Stage stage = Stage::Accept;
    TimePoint start{};
    std::optional<TimePoint> ended;
    std::optional<StageLimit> limit;
    long long extension = 0; // clock seconds
    std::vector<Pause> pauses;
    std::optional<TimePoint> pausedSince;
};

bool isWorkingClock(LimitUnit unit)
{
    return unit != LimitUnit::NaturalHours;
}

} // namespace

std::string_view trafficLightName(TrafficLight light)
{
    switch (light) {
    case TrafficLight::None: return "none";
    case TrafficLight::Green: return "green";
    case TrafficLight::Yellow: return "yellow";
    case TrafficLight::Red: return "red";
    }
    return "none";
}

std::optional<Stage> stageOfState(CaseState state)
{
    switch (state) {
    case CaseState::Reported:
    case CaseState::Registered: return Stage::Accept;
    case CaseState::Accepted: return Stage::Dispatch;
    case CaseState::Assigned:
    case CaseState::InHandling: return Stage::Handle;
    case CaseState::Handled:
    case CaseState::Closed: return Stage::Visit;
    default: return std::nullopt;
    }
}

SlaClock::SlaClock(const CategoryCatalog &catalog, const WorkCalendar &calendar)
    : mCatalog(catalog)
    , mCalendar(calendar)
{
}

TrafficLight SlaClock::lightFor(long long usedSeconds, long long budgetSeconds)
{
    if (budgetSeconds <= 0)
        return TrafficLight::None;
    // Integer comparison so "exactly 80 %" is exact: used/budget < 4/5 <=> 5·used < 4·budget.
    if (usedSeconds * 5 < budgetSeconds * 4)
        return TrafficLight::Green;
    if (usedSeconds <= budgetSeconds)
        return TrafficLight::Yellow;
    return TrafficLight::Red;
}

long long SlaClock::clockSeconds(LimitUnit unit, TimePoint a, TimePoint b) const
{
    if (b <= a)
        return 0;
    return isWorkingClock(unit) ? mCalendar.workingSecondsBetween(a, b) : (b - a).count();
}

long long SlaClock::budgetSeconds(const StageLimit &limit, TimePoint start) const
{
    switch (limit.unit) {
    case LimitUnit::WorkingHours:
    case LimitUnit::NaturalHours: return static_cast<long long>(limit.amount) * 3600;
    case LimitUnit::WorkingDays: return mCalendar.workingSecondsBetween(start, mCalendar.addWorkingDays(start, limit.amount));
    }
    return 0;
}

std::vector<StageClock> SlaClock::history(const Case &c, TimePoint now) const
{
    const Category *category = mCatalog.find(c.categoryCode());
    std::vector<Segment> segments;
    const auto closeCurrent = [&](TimePoint at) {
        if (!segments.empty() && !segments.back().ended) {
            Segment &s = segments.back();
            s.ended = at;
            if (s.pausedSince) {
                s.pauses.push_back({*s.pausedSince, at});
                s.pausedSince.reset();
            }
        }
    };
    for (const CaseEvent &e : c.events()) {
        if (e.at > now)
            break;
        const bool running = !segments.empty() && !segments.back().ended;
        if (e.action == CaseAction::Park) {
            if (running && !segments.back().pausedSince)
                segments.back().pausedSince = e.at;
            continue;
        }
        if (e.action == CaseAction::Resume) {
            if (running && segments.back().pausedSince) {
                segments.back().pauses.push_back({*segments.back().pausedSince, e.at});
                segments.back().pausedSince.reset();
            }
            continue;
        }
        if (e.action == CaseAction::Extend) {
            if (running && segments.back().limit) {
                const LimitUnit clockUnit = segments.back().limit->unit;
                const double amount = e.details.amount.value_or(0.0);
                const std::optional<LimitUnit> unit = e.details.unit;
                long long seconds = 0;
                if (unit == LimitUnit::WorkingDays)
                    seconds = static_cast<long long>(amount * (isWorkingClock(clockUnit) ? mCalendar.workingSecondsPerDay() : 86400));
                else
                    seconds = static_cast<long long>(amount * 3600);
                segments.back().extension += seconds;
            }
            continue;
        }
        const std::optional<Stage> stage = stageOfState(e.to);
        const bool reenters = e.action == CaseAction::Report || e.action == CaseAction::Return
                              || e.action == CaseAction::Escalate || e.action == CaseAction::Rework;
        const bool same = running && stage && segments.back().stage == *stage;
        if (same && !reenters)
            continue;
        closeCurrent(e.at);
        if (stage) {
            Segment s;
            s.stage = *stage;
            s.start = e.at;
            if (category)
                if (const StageLimit *l = category->limit(*stage))
                    s.limit = *l;
            segments.push_back(std::move(s));
        }
    }

    std::vector<StageClock> out;
    for (const Segment &s : segments) {
        StageClock clock;
        clock.stage = s.stage;
        clock.started = s.start;
        clock.ended = s.ended;
        clock.paused = s.pausedSince.has_value();
        if (!s.limit) {
            out.push_back(clock);
            continue;
        }
        const LimitUnit unit = s.limit->unit;
        clock.budgetSeconds = budgetSeconds(*s.limit, s.start) + s.extension;
        std::vector<Pause> pauses = s.pauses;
        const TimePoint end = s.ended.value_or(now);
        if (s.pausedSince)
            pauses.push_back({*s.pausedSince, end});
        long long used = clockSeconds(unit, s.start, end);
        for (const Pause &p : pauses)
            used -= clockSeconds(unit, std::max(p.begin, s.start), std::min(p.end, end));
        clock.usedSeconds = std::max(0LL, used);
        // Walk the budget forward from the start, skipping the pauses.
        if (!s.pausedSince) {
            TimePoint pos = s.start;
            long long remaining = clock.budgetSeconds;
            std::optional<TimePoint> deadline;
            for (const Pause &p : s.pauses) {
                const long long available = clockSeconds(unit, pos, p.begin);
                if (remaining <= available) {
                    deadline = isWorkingClock(unit) ? mCalendar.addWorkingSeconds(pos, remaining)
                                                    : pos + std::chrono::seconds(remaining);
                    break;
                }
                remaining -= available;
                pos = std::max(pos, p.end);
            }
            if (!deadline)
                deadline = isWorkingClock(unit) ? mCalendar.addWorkingSeconds(pos, remaining)
                                                : pos + std::chrono::seconds(remaining);
            clock.deadline = deadline;
        }
        // On a working clock the used time stops growing after close of business, so "past the
        // deadline instant" decides red; the fraction decides green/yellow before it.
        if (clock.deadline && end > *clock.deadline)
            clock.light = TrafficLight::Red;
        else
            clock.light = lightFor(clock.usedSeconds, clock.budgetSeconds);
        out.push_back(clock);
    }
    return out;
}

std::optional<StageClock> SlaClock::current(const Case &c, TimePoint now) const
{
    auto all = history(c, now);
    if (all.empty() || all.back().ended)
        return std::nullopt;
    return all.back();
}

TrafficLight SlaClock::light(const Case &c, TimePoint now) const
{
    const auto clock = current(c, now);
    return clock ? clock->light : TrafficLight::None;
}

} // namespace gd::core
