#include "core/caseaccess.h"

#include <algorithm>
#include <vector>

namespace gd::core {

Action permissionFor(CaseAction action)
{
    switch (action) {
    case CaseAction::Report:
        return Action::CaseIntake;
    case CaseAction::Register:
    case CaseAction::Accept:
    case CaseAction::Void:
    case CaseAction::Merge:
    case CaseAction::Park:
    case CaseAction::Resume:
        return Action::CaseRegister;
    case CaseAction::Assign:
    case CaseAction::Return:
    case CaseAction::Escalate:
        return Action::CaseAssign;
    case CaseAction::Urge:
    case CaseAction::Supervise:
        return Action::CaseSupervise;
    case CaseAction::StartHandling:
    case CaseAction::Arrive:
    case CaseAction::Note:
    case CaseAction::Feedback:
    case CaseAction::Extend:
        return Action::CaseHandle;
    case CaseAction::Close:
    case CaseAction::Archive:
    case CaseAction::Rework:
        return Action::CaseClose;
    case CaseAction::Visit:
        return Action::CaseVisit;
    }
    return Action::CaseRegister; // not reached: every action is listed above
}

namespace {

//! \a text cut into UTF-8 characters (a stray byte counts as one).
std::vector<std::string_view> characters(std::string_view text)
{
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
        length = std::min(length, text.size() - i);
        out.push_back(text.substr(i, length));
        i += length;
    }
    return out;
}

} // namespace

std::string maskName(std::string_view name)
{
    const auto chars = characters(name);
    if (chars.empty())
        return {};
    if (chars.size() == 1)
        return "*";
    std::string out(chars.front());
    // Two characters keep the family name only; longer names keep the last character too.
    const std::size_t masked = chars.size() == 2 ? 1 : chars.size() - 2;
    out.append(masked, '*');
    if (chars.size() > 2)
        out += chars.back();
    return out;
}

std::string maskPhone(std::string_view phone)
{
    std::size_t digits = 0;
    for (const char c : phone)
        digits += (c >= '0' && c <= '9') ? 1 : 0;
    if (digits == 0)
        return std::string(phone.empty() ? "" : "***");
    // Which digits show: the first three and last four of a full number, the last two of a short one.
    const std::size_t keepFront = digits >= 8 ? 3 : 0;
    const std::size_t keepBack = digits >= 8 ? 4 : std::min<std::size_t>(2, digits - 1);
    std::string out;
    std::size_t index = 0;
    for (const char c : phone) {
        if (c < '0' || c > '9') {
            out += c;
            continue;
        }
        out += (index < keepFront || index >= digits - keepBack) ? c : '*';
        ++index;
    }
    return out;
}

} // namespace gd::core
