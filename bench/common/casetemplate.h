#pragma once

#include "core/case.h"
#include "core/caseworkflow.h"
#include "core/timeutil.h"

#include <vector>

namespace gd::bench {

//! A command by the actor "bench"; parking, voiding and returning carry the note they require.
core::CaseCommand benchCommand(core::CaseAction action, core::TimePoint at,
                               core::CaseDetails details = {});

//! The events of one case walked along the main path, to be copied with other numbers and times.
struct CaseTemplate
{
    std::vector<core::CaseEvent> events;
    core::TimePoint base; //!< when its report was made; an event's offset is its time minus this
};

/**
 * A case walked by \a workflow along the main path to its \a steps-th state (1 reported,
 * 2 registered … 7 closed, 8 visited, 9 archived), with the waits a district sees between steps.
 */
CaseTemplate mainPathTemplate(const core::Workflow &workflow, int steps);

} // namespace gd::bench
