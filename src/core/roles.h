#pragma once
// Roles, the separation of the three administrators (三员分立) and the permission matrix
// (issue 17; GB/T 22239-2019 §8.1.4 访问控制). Plain logic: the matrix text is read by the
// store's configuration loader (resources/config/permissions.conf), parsed and checked here.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

enum class Role : std::uint8_t {
    SystemAdmin,       //!< 系统管理员: accounts, seats, configuration
    SecurityAdmin,     //!< 安全管理员: roles, permissions, policies
    AuditAdmin,        //!< 审计管理员: reads the audit only
    DutyOperator,      //!< 值班员: intake, registration
    Dispatcher,        //!< 派遣员: assignment
    Supervisor,        //!< 督办员: 督办/催办, the wall
    DepartmentHandler, //!< 部门处置人员
    Leader,            //!< 领导: read-only (wall, big screen, figures)
};

constexpr std::array<Role, 8> kAllRoles = {Role::SystemAdmin,  Role::SecurityAdmin, Role::AuditAdmin,
                                           Role::DutyOperator, Role::Dispatcher,    Role::Supervisor,
                                           Role::DepartmentHandler, Role::Leader};

//! The role's id in configuration, the store and the command line ("sysadmin", "duty_operator" …).
std::string_view roleId(Role role);
std::optional<Role> roleFromId(std::string_view id);
//! The Chinese name (系统管理员 …), for messages and the console.
std::string_view roleNameZh(Role role);
bool isAdministrator(Role role);

using RoleSet = std::set<Role>;

//! "sysadmin duty_operator" (ids in enum order, space-separated).
std::string roleIds(const RoleSet &roles);
//! Parses space- or comma-separated ids; nullopt naming nothing when one is unknown (see \a unknown).
std::optional<RoleSet> parseRoleIds(std::string_view text, std::string *unknown = nullptr);

/**
 * 三员分立: why \a roles may not be held by one account, or an empty string when they may.
 * No account holds two of the system, security and audit administrator roles; and an
 * administrator holds no working role either (an administrator who also dispatches would
 * audit or grant his own work).
 */
std::string separationProblem(const RoleSet &roles);

//! What a role may do. The ids are what permissions.conf names.
enum class Action : std::uint8_t {
    AccountManage,   //!< account.manage: add, disable, reset a password
    SeatManage,      //!< seat.manage
    ConfigManage,    //!< config.manage
    RoleAssign,      //!< role.assign: give and take roles
    PolicyManage,    //!< policy.manage: password, lockout, permission matrix
    AuditRead,       //!< audit.read
    CaseView,        //!< case.view
    CaseIntake,      //!< case.intake: take a report (受理)
    CaseRegister,    //!< case.register: 立案
    CaseAssign,      //!< case.assign: 派遣
    CaseSupervise,   //!< case.supervise: 督办/催办
    CaseHandle,      //!< case.handle: a department's handling, feedback
    EmergencyDeclare, //!< emergency.declare: 一键直达
    WallView,        //!< wall.view: the supervision wall
    BigScreenView,   //!< bigscreen.view
    FiguresView,     //!< figures.view: KPIs, statistics
    MapView,         //!< map.view
    CaseClose,       //!< case.close: 核查结案, archive, send back for rework
    CaseVisit,       //!< case.visit: 回访 (the follow-up call to the reporter)
    PersonalView,    //!< personal.view: reporters' names and phone numbers unmasked
    PersonalUnmask,  //!< personal.unmask: masked, but may reveal one case's reporters with a reason (audited)
};

constexpr std::array<Action, 21> kAllActions = {
    Action::AccountManage, Action::SeatManage,   Action::ConfigManage, Action::RoleAssign,    Action::PolicyManage,
    Action::AuditRead,     Action::CaseView,     Action::CaseIntake,   Action::CaseRegister,  Action::CaseAssign,
    Action::CaseSupervise, Action::CaseHandle,   Action::EmergencyDeclare, Action::WallView, Action::BigScreenView,
    Action::FiguresView,   Action::MapView,      Action::CaseClose,    Action::CaseVisit,     Action::PersonalView,
    Action::PersonalUnmask};

std::string_view actionId(Action action);
std::optional<Action> actionFromId(std::string_view id);

/**
 * Which role may do what: permissions.conf, one line per action,
 *   <action> | <role> [<role> …]
 * An action missing from the file is allowed to no one. Throws ConfigError naming the line of an
 * unknown action or role, an action given twice, or an administrator's duty granted to a working
 * role or to another administrator (the matrix itself keeps 三员分立).
 */
class PermissionMatrix
{
  public:
    static PermissionMatrix parse(std::string_view text, const std::string &sourceName);

    //! True when one of \a roles may do \a action.
    bool may(const RoleSet &roles, Action action) const;
    //! The roles allowed \a action.
    RoleSet rolesFor(Action action) const;

  private:
    std::map<Action, RoleSet> mAllowed;
};

} // namespace gd::core
