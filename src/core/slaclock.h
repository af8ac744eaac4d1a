#pragma once
// SLA clocks (时限): each stage's deadline from the category's limit, counted on the working
// calendar. A stage starts at the event that enters it (a return or rework re-enters and
// restarts it); approved extensions add to it; parked (挂账) time does not count.
//
// Traffic light for a "now": green while less than 80 % of the limit is used, yellow from
// exactly 80 % up to and including the deadline instant, red after the deadline instant (even
// at night, when a working-time clock does not advance). While parked, the light is frozen at
// the used fraction (red only if the budget was already overspent).

#include "core/case.h"
#include "core/catalog.h"
#include "core/workcalendar.h"

#include <optional>
#include <vector>

namespace gd::core {

enum class TrafficLight
{
    None, //!< no running stage clock (finished, voided, merged, or no limit configured)
    Green,
    Yellow,
    Red
};

std::string_view trafficLightName(TrafficLight light); //!< "none", "green", "yellow", "red"

//! The clock of one stage of one case at a given "now".
struct StageClock
{
    Stage stage = Stage::Accept;
    TimePoint started{};
    std::optional<TimePoint> ended;     //!< the event that left the stage, if any (before now)
    long long budgetSeconds = 0;        //!< limit + extensions, in the unit's clock seconds
    long long usedSeconds = 0;          //!< clock seconds used up to now (or to the end), parked time excluded
    bool paused = false;                //!< parked right now
    std::optional<TimePoint> deadline;  //!< when the budget runs out (nullopt while paused)
    TrafficLight light = TrafficLight::None;
    //! Fraction of the budget used (1.0 == deadline).
    double usedFraction() const { return budgetSeconds > 0 ? double(usedSeconds) / double(budgetSeconds) : 0.0; }
};

//! The stage a state belongs to; nullopt for visited/archived/voided/merged.
std::optional<Stage> stageOfState(CaseState state);

class SlaClock
{
  public:
    //! \a catalog and \a calendar must outlive the clock.
    SlaClock(const CategoryCatalog &catalog, const WorkCalendar &calendar);

    //! The light from the used fraction: exactly 80 % is yellow, exactly 100 % is yellow.
    static TrafficLight lightFor(long long usedSeconds, long long budgetSeconds);

    //! The running stage clock of \a c as of \a now; nullopt when no stage runs (visited, archived, voided, merged).
    std::optional<StageClock> current(const Case &c, TimePoint now) const;
    //! Every stage the case went through up to \a now, in order (re-entries listed again).
    std::vector<StageClock> history(const Case &c, TimePoint now) const;
    //! The light of the running stage at \a now (None when no clock runs).
    TrafficLight light(const Case &c, TimePoint now) const;

    //! Clock seconds of [a, b) in \a unit's clock (working seconds, or natural seconds).
    long long clockSeconds(LimitUnit unit, TimePoint a, TimePoint b) const;
    //! The budget of \a limit for a stage starting at \a start, in clock seconds.
    long long budgetSeconds(const StageLimit &limit, TimePoint start) const;

  private:
    const CategoryCatalog &mCatalog;
    const WorkCalendar &mCalendar;
};

} // namespace gd::core
