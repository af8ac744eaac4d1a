#include "core/roles.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(Roles, IdsRoundTrip)
{
    for (const Role role : kAllRoles)
        EXPECT_EQ(roleFromId(roleId(role)), role);
    for (const Action action : kAllActions)
        EXPECT_EQ(actionFromId(actionId(action)), action);
    std::string unknown;
    EXPECT_FALSE(parseRoleIds("dispatcher,root", &unknown));
    EXPECT_EQ(unknown, "root");
    EXPECT_EQ(parseRoleIds("leader dispatcher"), (RoleSet{Role::Dispatcher, Role::Leader}));
}

TEST(Roles, TwoAdministratorRolesAreRefusedWithAReason)
{
    const std::string problem = separationProblem({Role::SystemAdmin, Role::AuditAdmin});
    EXPECT_NE(problem.find("三员分立"), std::string::npos);
    EXPECT_NE(problem.find("sysadmin"), std::string::npos);
    EXPECT_NE(problem.find("auditadmin"), std::string::npos);
    EXPECT_NE(separationProblem({Role::SecurityAdmin, Role::SystemAdmin}), "");
    EXPECT_NE(separationProblem({Role::SecurityAdmin, Role::AuditAdmin, Role::SystemAdmin}), "");
    EXPECT_NE(separationProblem({Role::AuditAdmin, Role::Dispatcher}), "");
    EXPECT_EQ(separationProblem({Role::SecurityAdmin}), "");
    EXPECT_EQ(separationProblem({Role::DutyOperator, Role::Dispatcher, Role::Supervisor}), "");
}

TEST(PermissionMatrix, ShippedMatrixAllowsAndRefusesPerRole)
{
    const auto matrix = PermissionMatrix::parse(test::readConfig("permissions.conf"), "permissions.conf");
    EXPECT_TRUE(matrix.may({Role::SystemAdmin}, Action::AccountManage));
    EXPECT_FALSE(matrix.may({Role::SystemAdmin}, Action::RoleAssign));
    EXPECT_FALSE(matrix.may({Role::SystemAdmin}, Action::AuditRead));
    EXPECT_TRUE(matrix.may({Role::SecurityAdmin}, Action::RoleAssign));
    EXPECT_FALSE(matrix.may({Role::SecurityAdmin}, Action::AccountManage));
    EXPECT_TRUE(matrix.may({Role::AuditAdmin}, Action::AuditRead));
    EXPECT_FALSE(matrix.may({Role::AuditAdmin}, Action::CaseView));
    EXPECT_TRUE(matrix.may({Role::DutyOperator}, Action::CaseIntake));
    EXPECT_FALSE(matrix.may({Role::DutyOperator}, Action::CaseAssign));
    EXPECT_TRUE(matrix.may({Role::Dispatcher}, Action::CaseAssign));
    EXPECT_TRUE(matrix.may({Role::Supervisor}, Action::CaseSupervise));
    EXPECT_TRUE(matrix.may({Role::Leader}, Action::WallView));
    EXPECT_FALSE(matrix.may({Role::Leader}, Action::CaseAssign));
    EXPECT_FALSE(matrix.may({Role::Leader}, Action::CaseIntake));
    EXPECT_TRUE(matrix.may({Role::DepartmentHandler}, Action::CaseHandle));
    EXPECT_FALSE(matrix.may({}, Action::CaseView));
    // Every action of the shipped matrix is given to someone.
    for (const Action action : kAllActions)
        EXPECT_FALSE(matrix.rolesFor(action).empty()) << actionId(action);
}

TEST(PermissionMatrix, BadInputNamesTheLine)
{
    try {
        PermissionMatrix::parse("case.view | leader\n# audit\naudit.read | auditadmin sysadmin\n", "permissions.conf");
        FAIL() << "the audit given to the system administrator was accepted";
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 3);
        EXPECT_NE(e.problem().find("三员分立"), std::string::npos) << e.what();
    }
    try {
        PermissionMatrix::parse("case.view | leader\ncase.fly | leader\n", "permissions.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 2);
        EXPECT_NE(e.problem().find("case.fly"), std::string::npos);
    }
    EXPECT_THROW(PermissionMatrix::parse("case.view | emperor\n", "p"), ConfigError);
    EXPECT_THROW(PermissionMatrix::parse("case.view | leader\ncase.view | dispatcher\n", "p"), ConfigError);
    EXPECT_THROW(PermissionMatrix::parse("case.assign | dispatcher secadmin\n", "p"), ConfigError);
    EXPECT_THROW(PermissionMatrix::parse("case.assign dispatcher\n", "p"), ConfigError);
}
