#include "store/cases/caseeventjson.h"

#include "core/caseworkflow.h"

#include <cmath>
#include <stdexcept>

namespace gd::store {

namespace {

using json = nlohmann::json;

// Amounts are whole numbers from every producer (the console's spin box, the tests), written
// as integers; a fraction stays a fraction.
json amountJson(double amount)
{
    if (std::trunc(amount) == amount && std::fabs(amount) < 9007199254740992.0)
        return amount >= 0 ? json(static_cast<std::uint64_t>(amount)) : json(static_cast<std::int64_t>(amount));
    return json(amount);
}

json reporterJson(const core::Reporter &r, bool withCase)
{
    json j = {{"name", r.name}, {"phone", r.phone}};
    if (withCase)
        j["case"] = r.caseNumber;
    return j;
}

//! A reporter object holding exactly the keys it is written with, all text.
std::optional<core::Reporter> readReporter(const json &j, bool withCase)
{
    if (!j.is_object() || j.size() != (withCase ? 3u : 2u))
        return std::nullopt;
    core::Reporter r;
    for (const auto &[key, member] : {std::pair{"name", &r.name}, std::pair{"phone", &r.phone}, std::pair{"case", &r.caseNumber}}) {
        if (!withCase && std::string_view(key) == "case")
            continue;
        const auto it = j.find(key);
        if (it == j.end() || !it->is_string())
            return std::nullopt;
        *member = it->get<std::string>();
    }
    return r;
}

std::optional<std::vector<std::string>> readTexts(const json &j)
{
    if (!j.is_array())
        return std::nullopt;
    std::vector<std::string> out;
    out.reserve(j.size());
    for (const json &item : j) {
        if (!item.is_string())
            return std::nullopt;
        out.push_back(item.get<std::string>());
    }
    return out;
}

//! A name one of the enums writes: only the exact name it writes reads back as the enum.
using core::CaseDetails;

//! The text members, by key.
constexpr std::pair<const char *, std::optional<std::string> CaseDetails::*> kTexts[] = {
    {"category", &CaseDetails::category},
    {"grid", &CaseDetails::grid},
    {"title", &CaseDetails::title},
    {"description", &CaseDetails::description},
    {"source", &CaseDetails::source},
    {"address", &CaseDetails::address},
    {"reported_by_worker", &CaseDetails::reportedByWorker},
    {"lead", &CaseDetails::lead},
    {"worker", &CaseDetails::worker},
    {"result", &CaseDetails::result},
    {"approver", &CaseDetails::approver},
    {"into", &CaseDetails::into},
    {"absorbed", &CaseDetails::absorbed},
    {"previous_lead", &CaseDetails::previousLead},
    {"previous_worker", &CaseDetails::previousWorker},
    {"from_grid", &CaseDetails::fromGrid},
    {"to_grid", &CaseDetails::toGrid},
    {"rule", &CaseDetails::rule},
    {"occurrence", &CaseDetails::occurrence},
    {"emergency", &CaseDetails::emergency},
};

//! Reads one key into \a d; false when the key is unknown or its value is not in the form written.
bool readKey(CaseDetails &d, const std::string &key, const json &v)
{
    for (const auto &[name, member] : kTexts)
        if (key == name) {
            if (!v.is_string())
                return false;
            d.*member = v.get<std::string>();
            return true;
        }
    if (key == "lon" || key == "lat") {
        if (!v.is_number())
            return false;
        (key == "lon" ? d.lon : d.lat) = v.get<double>();
        return v.is_number_float(); // an integer reads, but is not how it is written
    }
    if (key == "amount") {
        if (!v.is_number())
            return false;
        d.amount = v.get<double>();
        const json written = amountJson(*d.amount);
        return written.type() == v.type() && written == v;
    }
    if (key == "priority")
        return (d.priority = readCanonicalName<core::Priority>(v, core::parsePriority, core::priorityName)).has_value();
    if (key == "mediation")
        return (d.mediation = readCanonicalName<core::Mediation>(v, core::parseMediation, core::mediationName)).has_value();
    if (key == "satisfaction")
        return (d.satisfaction = readCanonicalName<core::Satisfaction>(v, core::parseSatisfaction, core::satisfactionName)).has_value();
    if (key == "unit")
        return (d.unit = readCanonicalName<core::LimitUnit>(v, core::parseLimitUnit, core::limitUnitName)).has_value();
    if (key == "to")
        return (d.reworkTo = readCanonicalName<core::CaseState>(v, core::parseCaseState, core::caseStateName)).has_value();
    if (key == "parked_from")
        return (d.parkedFrom = readCanonicalName<core::CaseState>(v, core::parseCaseState, core::caseStateName)).has_value();
    if (key == "deadline") {
        if (!v.is_string())
            return false;
        const auto at = core::parseRfc3339(v.get_ref<const std::string &>());
        if (!at || core::formatRfc3339(*at) != v.get_ref<const std::string &>())
            return false;
        d.deadline = at;
        return true;
    }
    if (key == "assisting")
        return (d.assisting = readTexts(v)).has_value();
    if (key == "departments")
        return (d.departments = readTexts(v)).has_value();
    if (key == "reporter")
        return (d.reporter = readReporter(v, false)).has_value();
    if (key == "reporters") {
        if (!v.is_array())
            return false;
        std::vector<core::Reporter> reporters;
        for (const json &item : v) {
            auto r = readReporter(item, true);
            if (!r)
                return false;
            reporters.push_back(std::move(*r));
        }
        d.reporters = std::move(reporters);
        return true;
    }
    return false;
}

} // namespace

json caseDetailsToJson(const CaseDetails &d)
{
    json j = json::object();
    for (const auto &[name, member] : kTexts)
        if (const auto &text = d.*member)
            j[name] = *text;
    if (d.lon)
        j["lon"] = *d.lon;
    if (d.lat)
        j["lat"] = *d.lat;
    if (d.amount)
        j["amount"] = amountJson(*d.amount);
    if (d.priority)
        j["priority"] = std::string(core::priorityName(*d.priority));
    if (d.mediation)
        j["mediation"] = std::string(core::mediationName(*d.mediation));
    if (d.satisfaction)
        j["satisfaction"] = std::string(core::satisfactionName(*d.satisfaction));
    if (d.unit)
        j["unit"] = std::string(core::limitUnitName(*d.unit));
    if (d.reworkTo)
        j["to"] = std::string(core::caseStateName(*d.reworkTo));
    if (d.parkedFrom)
        j["parked_from"] = std::string(core::caseStateName(*d.parkedFrom));
    if (d.deadline)
        j["deadline"] = core::formatRfc3339(*d.deadline);
    if (d.assisting)
        j["assisting"] = *d.assisting;
    if (d.departments)
        j["departments"] = *d.departments;
    if (d.reporter)
        j["reporter"] = reporterJson(*d.reporter, false);
    if (d.reporters) {
        json list = json::array();
        for (const core::Reporter &r : *d.reporters)
            list.push_back(reporterJson(r, true));
        j["reporters"] = std::move(list);
    }
    for (const auto &[key, text] : d.verbatim)
        j[key] = json::parse(text, nullptr, false);
    return j;
}

CaseDetails caseDetailsFromJson(const json &j)
{
    CaseDetails d;
    if (!j.is_object())
        return d;
    for (auto it = j.begin(); it != j.end(); ++it)
        if (!readKey(d, it.key(), it.value()))
            d.verbatim.emplace(it.key(), it.value().dump());
    return d;
}

json caseEventToJson(const core::CaseEvent &e)
{
    return {{"case", e.caseNumber},
            {"action", std::string(core::caseActionName(e.action))},
            {"actor", e.actor},
            {"at", core::formatRfc3339(e.at)},
            {"from", std::string(core::caseStateName(e.from))},
            {"to", std::string(core::caseStateName(e.to))},
            {"note", e.note},
            {"data", caseDetailsToJson(e.details)}};
}

core::CaseEvent caseEventFromJson(const json &j)
{
    if (!j.is_object())
        throw std::invalid_argument("case event: expected a JSON object");
    const auto text = [&](const char *key) {
        const auto it = j.find(key);
        if (it == j.end() || !it->is_string())
            throw std::invalid_argument(std::string("case event: field \"") + key + "\" must be a string");
        return it->get<std::string>();
    };
    core::CaseEvent e;
    e.caseNumber = text("case");
    const auto action = core::parseCaseAction(text("action"));
    if (!action)
        throw std::invalid_argument("case event: unknown action \"" + text("action") + "\"");
    e.action = *action;
    e.actor = text("actor");
    const auto at = core::parseRfc3339(text("at"));
    if (!at)
        throw std::invalid_argument("case event: field \"at\" is not an RFC 3339 time with offset");
    e.at = *at;
    const auto from = core::parseCaseState(text("from"));
    const auto to = core::parseCaseState(text("to"));
    if (!from || !to)
        throw std::invalid_argument("case event: unknown state in \"from\" or \"to\"");
    e.from = *from;
    e.to = *to;
    e.note = j.contains("note") ? text("note") : std::string();
    if (j.contains("data")) {
        if (!j["data"].is_object())
            throw std::invalid_argument("case event: field \"data\" must be an object");
        e.details = caseDetailsFromJson(j["data"]);
    }
    return e;
}

} // namespace gd::store
