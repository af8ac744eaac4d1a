#pragma once
// A case event as JSON: the form the store keeps in case_events.data (the details), the one
// `griddispatch-ctl case --json` and export write and import reads (the whole event). The
// texts are hash-chained (eventchain.h) and exported, so they must not change: every key is
// the one the JSON bag of earlier versions had, nlohmann orders keys, and a detail that is
// not set writes no key.

#include "core/caseevent.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

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

/**
 * The enum a JSON string names, when \a parse knows it and \a name spells it back the same
 * way (so a stored text reads back to itself); otherwise nullopt. Used by every reader of
 * the store's JSON (events, emergency timelines).
 */
template<typename E, typename Parse, typename Name>
std::optional<E> readCanonicalName(const nlohmann::json &j, Parse parse, Name name)
{
  if (!j.is_string())
    return std::nullopt;
  const std::string &text = j.get_ref<const std::string &>();
  const std::optional<E> value = parse(text);
  if (!value || name(*value) != text)
    return std::nullopt;
  return value;
}

} // namespace gd::store
