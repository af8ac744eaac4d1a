#pragma once

#include "core/timeutil.h"

#include <nlohmann/json.hpp>

#include <string>

namespace gd::core {

enum class CaseState;
enum class CaseAction;

/**
 * One immutable step in a case's life. The store appends these; a case's current state is
 * the projection of its events (Case::apply). `data` carries the structured details of the
 * action (see CaseCommand) as filled in by Workflow.
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
    nlohmann::json data = nlohmann::json::object();
};

/**
 * The event as a JSON object: {"case", "action", "actor", "at" (RFC 3339, +08:00), "from", "to",
 * "note", "data"} with state and action names as in caseStateName()/caseActionName().
 */
nlohmann::json caseEventToJson(const CaseEvent &event);
//! Reads caseEventToJson()'s form back; throws std::invalid_argument naming the bad field.
CaseEvent caseEventFromJson(const nlohmann::json &json);

} // namespace gd::core
