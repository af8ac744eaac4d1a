#include "core/caseevent.h"

#include "core/caseworkflow.h"

#include <stdexcept>

namespace gd::core {

nlohmann::json caseEventToJson(const CaseEvent &e)
{
    return {{"case", e.caseNumber},
            {"action", std::string(caseActionName(e.action))},
            {"actor", e.actor},
            {"at", formatRfc3339(e.at)},
            {"from", std::string(caseStateName(e.from))},
            {"to", std::string(caseStateName(e.to))},
            {"note", e.note},
            {"data", e.data.is_null() ? nlohmann::json::object() : e.data}};
}

CaseEvent caseEventFromJson(const nlohmann::json &j)
{
    if (!j.is_object())
        throw std::invalid_argument("case event: expected a JSON object");
    const auto text = [&](const char *key) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_string())
            throw std::invalid_argument(std::string("case event: field \"") + key + "\" must be a string");
        return it->get<std::string>();
    };
    CaseEvent e;
    e.caseNumber = text("case");
    const auto action = parseCaseAction(text("action"));
    if (!action)
        throw std::invalid_argument("case event: unknown action \"" + text("action") + "\"");
    e.action = *action;
    e.actor = text("actor");
    const auto at = parseRfc3339(text("at"));
    if (!at)
        throw std::invalid_argument("case event: field \"at\" is not an RFC 3339 time with offset");
    e.at = *at;
    const auto from = parseCaseState(text("from"));
    const auto to = parseCaseState(text("to"));
    if (!from || !to)
        throw std::invalid_argument("case event: unknown state in \"from\" or \"to\"");
    e.from = *from;
    e.to = *to;
    e.note = j.contains("note") ? text("note") : std::string();
    if (j.contains("data")) {
        if (!j["data"].is_object())
            throw std::invalid_argument("case event: field \"data\" must be an object");
        e.data = j["data"];
    }
    return e;
}

} // namespace gd::core
