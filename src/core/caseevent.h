#pragma once

#include "core/casedetails.h"
#include "core/timeutil.h"

#include <string>

namespace gd::core {

enum class CaseState;
enum class CaseAction;

/**
 * One immutable step in a case's life. The store appends these; a case's current state is
 * the projection of its events (Case::apply). `details` carries the structured details of the
 * action (see CaseCommand) as filled in by Workflow; the store keeps them as JSON
 * (store/caseeventjson.h).
 */
struct CaseEvent
{
    std::string caseNumber;
    CaseAction action{};
    std::string actor;
    TimePoint at{};
    CaseState from{};
    CaseState to{};
    std::string note;
    CaseDetails details;
};

} // namespace gd::core
