#include "core/caseaccess.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(CaseAccess, EachStepNeedsItsPermission)
{
    EXPECT_EQ(permissionFor(CaseAction::Report), Action::CaseIntake);
    for (const CaseAction a : {CaseAction::Register, CaseAction::Accept, CaseAction::Void, CaseAction::Merge,
                               CaseAction::Park, CaseAction::Resume})
        EXPECT_EQ(permissionFor(a), Action::CaseRegister) << caseActionName(a);
    for (const CaseAction a : {CaseAction::Assign, CaseAction::Return, CaseAction::Escalate})
        EXPECT_EQ(permissionFor(a), Action::CaseAssign) << caseActionName(a);
    for (const CaseAction a : {CaseAction::Urge, CaseAction::Supervise})
        EXPECT_EQ(permissionFor(a), Action::CaseSupervise) << caseActionName(a);
    for (const CaseAction a : {CaseAction::StartHandling, CaseAction::Arrive, CaseAction::Note, CaseAction::Feedback,
                               CaseAction::Extend})
        EXPECT_EQ(permissionFor(a), Action::CaseHandle) << caseActionName(a);
    for (const CaseAction a : {CaseAction::Close, CaseAction::Archive, CaseAction::Rework})
        EXPECT_EQ(permissionFor(a), Action::CaseClose) << caseActionName(a);
    EXPECT_EQ(permissionFor(CaseAction::Visit), Action::CaseVisit);
}

TEST(CaseAccess, ShippedMatrixGivesEachWorkingRoleItsSteps)
{
    const auto matrix = PermissionMatrix::parse(test::readConfig("permissions.conf"), "permissions.conf");
    const auto may = [&](Role role, CaseAction action) { return matrix.may({role}, permissionFor(action)); };
    EXPECT_TRUE(may(Role::DutyOperator, CaseAction::Register));
    EXPECT_TRUE(may(Role::DutyOperator, CaseAction::Visit));
    EXPECT_FALSE(may(Role::DutyOperator, CaseAction::Assign));
    EXPECT_TRUE(may(Role::Dispatcher, CaseAction::Assign));
    EXPECT_TRUE(may(Role::Dispatcher, CaseAction::Close));
    EXPECT_FALSE(may(Role::Dispatcher, CaseAction::Urge));
    EXPECT_FALSE(may(Role::Dispatcher, CaseAction::Register));
    EXPECT_TRUE(may(Role::Supervisor, CaseAction::Supervise));
    EXPECT_FALSE(may(Role::Supervisor, CaseAction::Assign));
    EXPECT_TRUE(may(Role::DepartmentHandler, CaseAction::Feedback));
    EXPECT_FALSE(may(Role::DepartmentHandler, CaseAction::Close));
    for (const CaseAction a : {CaseAction::Report, CaseAction::Register, CaseAction::Assign, CaseAction::Urge,
                               CaseAction::Feedback, CaseAction::Close, CaseAction::Visit})
    {
        EXPECT_FALSE(may(Role::Leader, a)) << caseActionName(a);
        // The administrators do no case work (三员分立).
        EXPECT_FALSE(may(Role::SystemAdmin, a)) << caseActionName(a);
        EXPECT_FALSE(may(Role::AuditAdmin, a)) << caseActionName(a);
    }
    EXPECT_TRUE(matrix.may({Role::DutyOperator}, Action::PersonalView));
    EXPECT_FALSE(matrix.may({Role::Dispatcher}, Action::PersonalView));
    EXPECT_TRUE(matrix.may({Role::Dispatcher}, Action::PersonalUnmask));
    EXPECT_FALSE(matrix.may({Role::Leader}, Action::PersonalUnmask));
    EXPECT_FALSE(matrix.may({Role::Leader}, Action::PersonalView));
    // The new working permissions are not an administrator's to have.
    EXPECT_THROW(PermissionMatrix::parse("personal.view | auditadmin\n", "p"), ConfigError);
    EXPECT_THROW(PermissionMatrix::parse("case.close | sysadmin\n", "p"), ConfigError);
}

TEST(CaseAccess, NamesAreMaskedByCharacter)
{
    EXPECT_EQ(maskName("张三丰"), "张*丰");
    EXPECT_EQ(maskName("张三"), "张*");
    EXPECT_EQ(maskName("欧阳小华"), "欧**华");
    EXPECT_EQ(maskName("王"), "*");
    EXPECT_EQ(maskName(""), "");
    EXPECT_EQ(maskName("Li Lei"), "L****i");
}

TEST(CaseAccess, PhoneNumbersKeepTheirEnds)
{
    EXPECT_EQ(maskPhone("13812345678"), "138****5678");
    EXPECT_EQ(maskPhone("0931-8123456"), "093*-***3456");
    EXPECT_EQ(maskPhone("+86 13812345678"), "+86 1******5678");
    EXPECT_EQ(maskPhone("12345"), "***45");
    EXPECT_EQ(maskPhone(""), "");
    EXPECT_EQ(maskPhone("unknown"), "***");
}
