#include "core/casedetails.h"

#include <array>
#include <utility>

namespace gd::core {

namespace {

constexpr std::array<std::pair<Satisfaction, std::string_view>, 3> kSatisfactions{
    {{Satisfaction::Satisfied, "satisfied"},
     {Satisfaction::BasicallySatisfied, "basically_satisfied"},
     {Satisfaction::Unsatisfied, "unsatisfied"}}};
constexpr std::array<std::pair<Mediation, std::string_view>, 2> kMediations{
    {{Mediation::Success, "success"}, {Mediation::Failed, "failed"}}};

} // namespace

std::string_view satisfactionName(Satisfaction satisfaction)
{
    for (const auto &[value, name] : kSatisfactions)
        if (value == satisfaction)
            return name;
    return "satisfied";
}

std::optional<Satisfaction> parseSatisfaction(std::string_view name)
{
    for (const auto &[value, text] : kSatisfactions)
        if (text == name)
            return value;
    return std::nullopt;
}

std::string_view mediationName(Mediation mediation)
{
    for (const auto &[value, name] : kMediations)
        if (value == mediation)
            return name;
    return "success";
}

std::optional<Mediation> parseMediation(std::string_view name)
{
    for (const auto &[value, text] : kMediations)
        if (text == name)
            return value;
    return std::nullopt;
}

} // namespace gd::core
