#include "core/roles.h"

#include "core/configerror.h"
#include "core/configtext.h"

#include <algorithm>

namespace gd::core {

using namespace configtext;

namespace {

struct RoleInfo
{
    Role role;
    std::string_view id;
    std::string_view zh;
};

constexpr std::array<RoleInfo, 8> kRoles = {{
    {Role::SystemAdmin, "sysadmin", "系统管理员"},
    {Role::SecurityAdmin, "secadmin", "安全管理员"},
    {Role::AuditAdmin, "auditadmin", "审计管理员"},
    {Role::DutyOperator, "duty_operator", "值班员"},
    {Role::Dispatcher, "dispatcher", "派遣员"},
    {Role::Supervisor, "supervisor", "督办员"},
    {Role::DepartmentHandler, "department_handler", "部门处置人员"},
    {Role::Leader, "leader", "领导"},
}};

constexpr std::array<std::pair<Action, std::string_view>, 21> kActions = {{
    {Action::AccountManage, "account.manage"},
    {Action::SeatManage, "seat.manage"},
    {Action::ConfigManage, "config.manage"},
    {Action::RoleAssign, "role.assign"},
    {Action::PolicyManage, "policy.manage"},
    {Action::AuditRead, "audit.read"},
    {Action::CaseView, "case.view"},
    {Action::CaseIntake, "case.intake"},
    {Action::CaseRegister, "case.register"},
    {Action::CaseAssign, "case.assign"},
    {Action::CaseSupervise, "case.supervise"},
    {Action::CaseHandle, "case.handle"},
    {Action::EmergencyDeclare, "emergency.declare"},
    {Action::WallView, "wall.view"},
    {Action::BigScreenView, "bigscreen.view"},
    {Action::FiguresView, "figures.view"},
    {Action::MapView, "map.view"},
    {Action::CaseClose, "case.close"},
    {Action::CaseVisit, "case.visit"},
    {Action::PersonalView, "personal.view"},
    {Action::PersonalUnmask, "personal.unmask"},
}};

// The duties only one administrator may hold: the matrix cannot hand them elsewhere.
std::optional<Role> ownerOf(Action action)
{
    switch (action) {
    case Action::AccountManage:
    case Action::SeatManage:
    case Action::ConfigManage:
        return Role::SystemAdmin;
    case Action::RoleAssign:
    case Action::PolicyManage:
        return Role::SecurityAdmin;
    case Action::AuditRead:
        return Role::AuditAdmin;
    default:
        return std::nullopt;
    }
}

} // namespace

std::string_view roleId(Role role)
{
    return kRoles[static_cast<std::size_t>(role)].id;
}

std::optional<Role> roleFromId(std::string_view id)
{
    for (const auto &info : kRoles)
        if (info.id == id)
            return info.role;
    return std::nullopt;
}

std::string_view roleNameZh(Role role)
{
    return kRoles[static_cast<std::size_t>(role)].zh;
}

bool isAdministrator(Role role)
{
    return role == Role::SystemAdmin || role == Role::SecurityAdmin || role == Role::AuditAdmin;
}

std::string roleIds(const RoleSet &roles)
{
    std::string out;
    for (const Role role : roles) {
        if (!out.empty())
            out += ' ';
        out += roleId(role);
    }
    return out;
}

std::optional<RoleSet> parseRoleIds(std::string_view text, std::string *unknown)
{
    std::string spaced(text);
    std::replace(spaced.begin(), spaced.end(), ',', ' ');
    RoleSet roles;
    for (const std::string_view word : splitWords(spaced)) {
        const auto role = roleFromId(word);
        if (!role) {
            if (unknown)
                *unknown = std::string(word);
            return std::nullopt;
        }
        roles.insert(*role);
    }
    return roles;
}

std::string separationProblem(const RoleSet &roles)
{
    std::vector<Role> admins;
    bool working = false;
    for (const Role role : roles)
        (isAdministrator(role) ? admins.push_back(role) : void(working = true));
    if (admins.size() >= 2)
        return "三员分立: one account may not be both " + std::string(roleId(admins[0])) + " (" +
               std::string(roleNameZh(admins[0])) + ") and " + std::string(roleId(admins[1])) + " (" +
               std::string(roleNameZh(admins[1])) +
               "): the system, security and audit administrators must be three different accounts";
    if (admins.size() == 1 && working)
        return "三员分立: an administrator (" + std::string(roleId(admins[0])) + ", " +
               std::string(roleNameZh(admins[0])) +
               ") may not also hold a working role: use a separate account for the daily work";
    return {};
}

std::string_view actionId(Action action)
{
    return kActions[static_cast<std::size_t>(action)].second;
}

std::optional<Action> actionFromId(std::string_view id)
{
    for (const auto &[action, name] : kActions)
        if (name == id)
            return action;
    return std::nullopt;
}

PermissionMatrix PermissionMatrix::parse(std::string_view text, const std::string &sourceName)
{
    PermissionMatrix matrix;
    for (const Line &line : lines(text)) {
        const auto fields = splitBars(line.text);
        if (fields.size() != 2)
            throw ConfigError(sourceName, line.number,
                              "expected '<action> | <role> [<role> …]', found " + std::to_string(fields.size()) +
                                  " field(s)");
        const auto action = actionFromId(fields[0]);
        if (!action)
            throw ConfigError(sourceName, line.number, "unknown action '" + std::string(fields[0]) + "'");
        if (matrix.mAllowed.count(*action))
            throw ConfigError(sourceName, line.number, "action '" + std::string(fields[0]) + "' is given twice");
        RoleSet roles;
        for (const std::string_view word : splitWords(fields[1])) {
            const auto role = roleFromId(word);
            if (!role)
                throw ConfigError(sourceName, line.number, "unknown role '" + std::string(word) + "'");
            roles.insert(*role);
        }
        if (const auto owner = ownerOf(*action)) {
            for (const Role role : roles)
                if (role != *owner)
                    throw ConfigError(sourceName, line.number,
                                      "三员分立: '" + std::string(fields[0]) + "' is a duty of " +
                                          std::string(roleId(*owner)) + " only, not of " + std::string(roleId(role)));
        } else {
            for (const Role role : roles)
                if (isAdministrator(role))
                    throw ConfigError(sourceName, line.number,
                                      "三员分立: administrator " + std::string(roleId(role)) +
                                          " may not be given the working action '" + std::string(fields[0]) + "'");
        }
        matrix.mAllowed[*action] = std::move(roles);
    }
    return matrix;
}

bool PermissionMatrix::may(const RoleSet &roles, Action action) const
{
    const auto it = mAllowed.find(action);
    if (it == mAllowed.end())
        return false;
    return std::any_of(roles.begin(), roles.end(), [&](Role role) { return it->second.count(role) > 0; });
}

RoleSet PermissionMatrix::rolesFor(Action action) const
{
    const auto it = mAllowed.find(action);
    return it == mAllowed.end() ? RoleSet{} : it->second;
}

} // namespace gd::core
