#pragma once
// A case event as JSON: the form the store keeps in case_events.data (the details), the one
// `griddispatch-ctl case --json` and export write and import reads (the whole event). The
// texts are hash-chained (eventchain.h) and exported, so they must not change: every key is
// the one the JSON bag of earlier versions had, nlohmann orders keys, and a detail that is
// not set writes no key.

#include "core/caseevent.h"

#include <nlohmann/json.hpp>

namespace gd::store {

//! The details as the JSON object stored in case_events.data.
nlohmann::json caseDetailsToJson(const core::CaseDetails &details);
/**
 * Reads caseDetailsToJson()'s form back (anything not an object reads as no details). A key
 * this program does not know, or one whose value has another type or form than it writes, is
 * kept in CaseDetails::verbatim, so writing the details again gives the same text.
 */
core::CaseDetails caseDetailsFromJson(const nlohmann::json &json);

/**
 * The event as a JSON object: {"case", "action", "actor", "at" (RFC 3339, +08:00), "from", "to",
 * "note", "data"} with state and action names as in caseStateName()/caseActionName().
 */
nlohmann::json caseEventToJson(const core::CaseEvent &event);
//! Reads caseEventToJson()'s form back; throws std::invalid_argument naming the bad field.
core::CaseEvent caseEventFromJson(const nlohmann::json &json);

} // namespace gd::store
