// Role enforcement in the console (issue 17; GB/T 22239-2019 §8.1.4 访问控制): on a store with
// accounts, each working role logs in as main.cpp logs it in; the case and command services do
// the steps its roles may do and refuse (and audit) the others; the window shows only what the
// role may do; reporters' names and phone numbers are masked for roles that do not need them.

#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/command/supervisionpanel.h"
#include "console/dispatch/casedetailpanel.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/dispatch/caseservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/login/logincontroller.h"
#include "console/mainwindow.h"
#include "console/session/consolesession.h"
#include "../consolefixture.h"
#include "store/accounts/accountstore.h"
#include "store/audit/auditlog.h"
#include "store/config/accountsettings.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QCoreApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>

#include <map>

#include <qgsmapcanvas.h>

using namespace gd;
using namespace gd::console;

namespace {

store::AccountSettings settings()
{
  auto s = store::AccountSettings::load(GD_SOURCE_DIR "/resources/config");
  s.accounts.argon2 = core::Argon2Cost{1024, 1, 1}; // the shipped cost is for bench/
  s.accounts.totpRoles = {};                        // the TOTP enrolment has tests of its own
  return s;
}

const char *kInstall = "Install-Pass-2026";
const QString kNewPassword = QStringLiteral("Mountain-Rain-2026");

/**
 * Logs in to the store at \a path as an account holding \a role (made by the system and
 * security administrators on the first call for that role) and returns the seat's rights as
 * main.cpp fills them after the login.
 */
OperatorRights logIn(const QString &path, core::Role role)
{
  const auto s = settings();
  const std::string id = std::string(core::roleId(role));
  std::string password = kInstall;
  {
    auto db = store::Schema::open(store::StoreLocation::parse(path.toStdString()));
    store::AccountStore accounts(*db, s.accounts, s.permissions);
    const core::TimePoint now = store::nowUtc();
    if (!accounts.find("sys"))
    {
      accounts.createAdministrator("sys", "系统管理员甲", core::Role::SystemAdmin, kInstall, now);
      accounts.createAdministrator("sec", "安全管理员乙", core::Role::SecurityAdmin, kInstall, now);
    }
    if (!core::isAdministrator(role))
    {
      password = accounts.add("sys", id, std::string(core::roleNameZh(role)) + "甲", now);
      accounts.setRoles("sec", id, {role}, now);
    }
  }
  LoginController login(store::Schema::open(store::StoreLocation::parse(path.toStdString())), s);
  const std::string account = role == core::Role::SystemAdmin ? "sys" : id;
  auto step = login.submitPassword(QString::fromStdString(account), QString::fromStdString(password));
  EXPECT_EQ(step, LoginController::Step::ChangePassword) << login.message().toStdString();
  step = login.submitNewPassword(kNewPassword, kNewPassword);
  EXPECT_EQ(step, LoginController::Step::Done) << login.message().toStdString();
  OperatorRights rights;
  rights.accountId = login.accountId();
  rights.displayName = login.displayName();
  rights.roles = login.roles();
  rights.permissions = login.settings().permissions;
  return rights;
}

class SeatRightsTest : public ::testing::Test
{
  protected:
    void SetUp() override { store = consoletest::makeConsoleStore(4); }

    //! The rights of a seat logged in as \a role (once per role: the account is made then).
    OperatorRights rightsOf(core::Role role)
    {
      auto it = logins.find(role);
      if (it == logins.end())
        it = logins.emplace(role, logIn(store.path(), role)).first;
      return it->second;
    }

    //! The case service of a seat logged in as \a role.
    std::unique_ptr<CaseService> seat(core::Role role)
    {
      const OperatorRights rights = rightsOf(role);
      return std::make_unique<CaseService>(store.path(), rights.accountId, rights);
    }

    std::unique_ptr<CommandService> commandSeat(core::Role role)
    {
      const OperatorRights rights = rightsOf(role);
      return std::make_unique<CommandService>(store.path(), rights.accountId, QString(), rights);
    }

    IntakeForm form() const
    {
      IntakeForm f;
      f.caller = QStringLiteral("李四");
      f.phone = QStringLiteral("13800138000");
      f.address = QStringLiteral("幸福小区3号楼");
      f.category = QStringLiteral("0301");
      f.title = QStringLiteral("楼道堆放杂物堵塞消防通道");
      f.lon = store.terminals.front().lon;
      f.lat = store.terminals.front().lat;
      return f;
    }

    //! The refused-for-lack-of-permission rows of the audit trail, "actor:action:object" each.
    QStringList forbiddenRows()
    {
      auto db = store::Schema::open(store::StoreLocation::parse(store.path().toStdString()));
      QStringList out;
      for (const auto &row : store::audit::AuditLog(*db).list({}))
        if (row.outcome == "refused" && row.reason == "forbidden")
          out << QString::fromStdString(row.actorId + ":" + row.action + ":" + row.object);
      return out;
    }

    consoletest::ConsoleStore store;
    std::map<core::Role, OperatorRights> logins;
};

void expectForbidden(const ActionOutcome &outcome, const char *what)
{
  EXPECT_FALSE(outcome.ok) << what;
  EXPECT_TRUE(outcome.message.contains(QStringLiteral("case."))) << what << ": " << outcome.message.toStdString();
}

} // namespace

// Each working role through one case from report to archive: the steps of its own role are
// done, every other is refused by the service, in words, and audited as refused (forbidden).
TEST_F(SeatRightsTest, EachRoleDoesItsOwnStepsAndTheServiceRefusesTheOthers)
{
  auto duty = seat(core::Role::DutyOperator);
  auto dispatcher = seat(core::Role::Dispatcher);
  auto supervisor = seat(core::Role::Supervisor);
  auto handler = seat(core::Role::DepartmentHandler);
  auto leader = seat(core::Role::Leader);
  const auto step = [](CaseService &s, const QString &number, const QString &action, QVariantMap data = {}) {
    return s.perform(number, ActionRequest{action, QStringLiteral("说明"), data});
  };

  // 值班员: takes the call and registers; may not dispatch, urge or close.
  const ActionOutcome taken = duty->intake(form());
  ASSERT_TRUE(taken.ok) << taken.message.toStdString();
  const QString number = taken.number;
  expectForbidden(dispatcher->intake(form()), "dispatcher intake");
  expectForbidden(leader->intake(form()), "leader intake");
  expectForbidden(step(*dispatcher, number, QStringLiteral("accept")), "dispatcher accept");
  // Dispatch (register, accept and assign at once) is the dispatcher's, not the duty desk's.
  EXPECT_TRUE(dispatcher->detail(number)->allowedActions.contains(QStringLiteral("dispatch")));
  EXPECT_FALSE(duty->detail(number)->allowedActions.contains(QStringLiteral("dispatch")));
  ASSERT_TRUE(step(*duty, number, QStringLiteral("accept")).ok);
  const QString lead = duty->suggestLead(QStringLiteral("0301"), duty->detail(number)->grid).department;
  ASSERT_FALSE(lead.isEmpty());
  const QVariantMap assign{{QStringLiteral("lead"), lead}};
  expectForbidden(step(*duty, number, QStringLiteral("assign"), assign), "duty assign");
  expectForbidden(duty->dispatch(number, lead, {}, {}), "duty dispatch");
  expectForbidden(step(*supervisor, number, QStringLiteral("assign"), assign), "supervisor assign");

  // 派遣员: assigns; may not urge.
  ASSERT_TRUE(step(*dispatcher, number, QStringLiteral("assign"), assign).ok);
  expectForbidden(step(*dispatcher, number, QStringLiteral("urge")), "dispatcher urge");
  expectForbidden(step(*leader, number, QStringLiteral("urge")), "leader urge");

  // 督办员: urges and supervises, from the case and from the wall.
  ASSERT_TRUE(step(*supervisor, number, QStringLiteral("urge")).ok);
  auto wallSupervisor = commandSeat(core::Role::Supervisor);
  auto wallLeader = commandSeat(core::Role::Leader);
  const auto urged = wallSupervisor->urge(UrgeRequestView{{number}, true, QStringLiteral("限期办结"), {}});
  ASSERT_EQ(urged.size(), 1u);
  EXPECT_TRUE(urged.front().done) << urged.front().reason.toStdString();
  const auto refusedUrge = wallLeader->urge(UrgeRequestView{{number}, false, QStringLiteral("催"), {}});
  ASSERT_EQ(refusedUrge.size(), 1u);
  EXPECT_FALSE(refusedUrge.front().done);
  EXPECT_TRUE(refusedUrge.front().reason.contains(QStringLiteral("case.supervise"))) << refusedUrge.front().reason.toStdString();
  // 一键直达: the supervisor may declare an emergency, the leader may not.
  EXPECT_FALSE(wallLeader->declareFromCase(number, 500).ok);
  const CommandReply declared = wallSupervisor->declareFromCase(number, 500);
  EXPECT_TRUE(declared.ok) << declared.message.toStdString();

  // 部门处置人员: handles and reports back; may not close.
  expectForbidden(step(*dispatcher, number, QStringLiteral("start_handling")), "dispatcher start_handling");
  ASSERT_TRUE(step(*handler, number, QStringLiteral("start_handling")).ok);
  ASSERT_TRUE(step(*handler, number, QStringLiteral("feedback"), {{QStringLiteral("result"), QStringLiteral("已清理")}}).ok);
  expectForbidden(step(*handler, number, QStringLiteral("close")), "handler close");
  expectForbidden(step(*leader, number, QStringLiteral("close")), "leader close");

  // 派遣员 closes (核查结案), 值班员 calls back (回访), 派遣员 archives.
  ASSERT_TRUE(step(*dispatcher, number, QStringLiteral("close")).ok);
  expectForbidden(step(*dispatcher, number, QStringLiteral("visit"), {{QStringLiteral("satisfaction"), QStringLiteral("satisfied")}}), "dispatcher visit");
  ASSERT_TRUE(step(*duty, number, QStringLiteral("visit"), {{QStringLiteral("satisfaction"), QStringLiteral("satisfied")}}).ok);
  expectForbidden(step(*leader, number, QStringLiteral("archive")), "leader archive");
  ASSERT_TRUE(step(*dispatcher, number, QStringLiteral("archive")).ok);

  // The leader reads the case; no step is offered to it.
  const auto seen = leader->detail(number);
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->allowedActions.isEmpty()) << seen->allowedActions.join(QLatin1Char(',')).toStdString();

  const QStringList rows = forbiddenRows();
  for (const char *expected : {"dispatcher:case_report:", "duty_operator:case_assign:", "leader:case_urge:",
                               "department_handler:case_close:", "leader:case_archive:", "leader:emergency_change:"})
    EXPECT_TRUE(std::any_of(rows.begin(), rows.end(), [&](const QString &row) { return row.startsWith(QLatin1String(expected)); }))
      << expected << " not in " << rows.join(QLatin1Char(' ')).toStdString();
  auto db = store::Schema::open(store::StoreLocation::parse(store.path().toStdString()));
  EXPECT_TRUE(store::audit::AuditLog(*db).verify().ok());
}

// An administrator's seat reads no case (三员分立): the service says there is none.
TEST_F(SeatRightsTest, AnAdministratorsSeatReadsNoCase)
{
  auto duty = seat(core::Role::DutyOperator);
  const ActionOutcome taken = duty->intake(form());
  ASSERT_TRUE(taken.ok);
  auto admin = seat(core::Role::SystemAdmin);
  EXPECT_FALSE(admin->detail(taken.number));
  EXPECT_FALSE(admin->intake(form()).ok);
}

// Reporters' names and phone numbers: as given for the duty desk, masked for the others (in the
// service: the names never reach their seat); the dispatcher may reveal one case's reporters
// with a reason, which the audit trail records; the leader may not.
TEST_F(SeatRightsTest, ReportersAreMaskedForRolesThatDoNotNeedThem)
{
  auto duty = seat(core::Role::DutyOperator);
  const ActionOutcome taken = duty->intake(form());
  ASSERT_TRUE(taken.ok);
  const QString number = taken.number;

  const auto plain = duty->detail(number);
  ASSERT_EQ(plain->reporters.size(), 1u);
  EXPECT_EQ(plain->reporters[0].name, QStringLiteral("李四"));
  EXPECT_EQ(plain->reporters[0].phone, QStringLiteral("13800138000"));
  EXPECT_FALSE(plain->reportersMasked);

  auto dispatcher = seat(core::Role::Dispatcher);
  const auto masked = dispatcher->detail(number);
  ASSERT_EQ(masked->reporters.size(), 1u);
  EXPECT_EQ(masked->reporters[0].name, QStringLiteral("李*"));
  EXPECT_EQ(masked->reporters[0].phone, QStringLiteral("138****8000"));
  EXPECT_TRUE(masked->reportersMasked);
  EXPECT_TRUE(masked->mayUnmask);
  for (const TimelineEntry &entry : masked->timeline)
  {
    EXPECT_FALSE(entry.details.contains(QStringLiteral("13800138000"))) << entry.details.toStdString();
    EXPECT_FALSE(entry.details.contains(QStringLiteral("李四"))) << entry.details.toStdString();
  }

  auto leader = seat(core::Role::Leader);
  const auto leaderView = leader->detail(number);
  EXPECT_EQ(leaderView->reporters[0].phone, QStringLiteral("138****8000"));
  EXPECT_FALSE(leaderView->mayUnmask);
  std::vector<ReporterView> revealed;
  const ActionOutcome refused = leader->revealReporters(number, QStringLiteral("想看看"), &revealed);
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.message.contains(QStringLiteral("personal.unmask"))) << refused.message.toStdString();
  EXPECT_TRUE(revealed.empty());
  EXPECT_FALSE(dispatcher->revealReporters(number, QStringLiteral("  "), &revealed).ok); // a reason is needed
  EXPECT_TRUE(revealed.empty());

  const ActionOutcome shown = dispatcher->revealReporters(number, QStringLiteral("回电核实地址"), &revealed);
  ASSERT_TRUE(shown.ok) << shown.message.toStdString();
  ASSERT_EQ(revealed.size(), 1u);
  EXPECT_EQ(revealed[0].name, QStringLiteral("李四"));
  EXPECT_EQ(revealed[0].phone, QStringLiteral("13800138000"));

  auto db = store::Schema::open(store::StoreLocation::parse(store.path().toStdString()));
  store::audit::Filter unmasks;
  unmasks.action = "unmask";
  const auto rows = store::audit::AuditLog(*db).list(unmasks);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].actorId, "leader");
  EXPECT_EQ(rows[0].outcome, "refused");
  EXPECT_EQ(rows[0].reason, "forbidden");
  EXPECT_EQ(rows[1].actorId, "dispatcher");
  EXPECT_EQ(rows[1].outcome, "ok");
  EXPECT_EQ(rows[1].object, number.toStdString());
  EXPECT_EQ(rows[1].detail, "回电核实地址");

  // A store without accounts (no rights enforced) shows them as before.
  CaseService open(store.path(), QStringLiteral("operator"));
  EXPECT_EQ(open.detail(number)->reporters[0].phone, QStringLiteral("13800138000"));
}

namespace {

class SeatWindowTest : public SeatRightsTest
{
  protected:
    void open(core::Role role)
    {
      const OperatorRights rights = rightsOf(role);
      window = std::make_unique<MainWindow>();
      window->setOperatorName(rights.accountId);
      window->session()->setRights(rights);
      QString error;
      ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
      ASSERT_TRUE(window->session()->waitForCases());
      window->resize(1366, 768);
      window->show();
      QCoreApplication::processEvents();
    }

    void TearDown() override { window.reset(); }

    //! Whether step \a name is offered: its Case menu action shown and its button on the case panel.
    bool offers(const QString &name)
    {
      QAction *action = window->dispatch()->stepAction(name);
      const bool shown = action && action->isVisible();
      if (name != QLatin1String("intake"))
      {
        const bool button = window->dispatch()->caseDetailPanel()->findChild<QToolButton *>(QStringLiteral("step_%1").arg(name)) != nullptr;
        EXPECT_EQ(shown, button) << name.toStdString() << ": the menu and the case panel disagree";
      }
      return shown;
    }

    //! Whether the dock \a name can be seen: its View/Command menu entry is shown.
    bool showsDock(const char *name)
    {
      auto *dock = window->findChild<QDockWidget *>(QLatin1String(name));
      return dock && dock->toggleViewAction()->isVisible();
    }

    bool showsAction(const char *name)
    {
      auto *action = window->findChild<QAction *>(QLatin1String(name));
      return action && action->isVisible();
    }

    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_F(SeatWindowTest, DutyOperatorSeesIntakeAndRegisterOnly)
{
  open(core::Role::DutyOperator);
  for (const char *name : {"intake", "register", "accept", "park", "resume", "void", "merge", "visit"})
    EXPECT_TRUE(offers(QLatin1String(name))) << name;
  for (const char *name : {"dispatch", "assign", "return", "escalate", "urge", "supervise", "start_handling", "feedback", "close", "archive"})
    EXPECT_FALSE(offers(QLatin1String(name))) << name;
  EXPECT_TRUE(showsDock("caseQueueDock"));
  EXPECT_FALSE(showsDock("supervisionDock"));
  EXPECT_TRUE(showsDock("emergencyDock"));
  EXPECT_FALSE(showsAction("actionBigScreen"));
}

TEST_F(SeatWindowTest, DispatcherSeesAssignmentAndClosingOnly)
{
  open(core::Role::Dispatcher);
  for (const char *name : {"dispatch", "assign", "return", "escalate", "close", "archive", "rework"})
    EXPECT_TRUE(offers(QLatin1String(name))) << name;
  for (const char *name : {"intake", "register", "accept", "urge", "supervise", "start_handling", "feedback", "visit", "note"})
    EXPECT_FALSE(offers(QLatin1String(name))) << name;
  EXPECT_FALSE(showsDock("supervisionDock"));
  EXPECT_TRUE(showsAction("actionDeclareEmergency"));

  // The case panel shows reporters masked; revealed with a reason they stay so when the case is read again.
  auto duty = seat(core::Role::DutyOperator);
  const ActionOutcome taken = duty->intake(form());
  ASSERT_TRUE(taken.ok);
  DispatchController *dispatch = window->dispatch();
  const auto shown = [&] {
    QSignalSpy spy(dispatch, &DispatchController::caseShown);
    dispatch->selectCase(taken.number);
    return spy.wait(10000);
  };
  ASSERT_TRUE(shown());
  const CaseDetail &onScreen = dispatch->caseDetailPanel()->detail();
  ASSERT_EQ(onScreen.reporters.size(), 1u);
  EXPECT_EQ(onScreen.reporters[0].name, QStringLiteral("李*"));
  QSignalSpy finished(dispatch, &DispatchController::stepFinished);
  dispatch->revealReporters(taken.number, QStringLiteral("回电核实地址"));
  ASSERT_TRUE(finished.wait(10000));
  EXPECT_EQ(dispatch->caseDetailPanel()->detail().reporters[0].name, QStringLiteral("李四"));
  ASSERT_TRUE(shown());
  EXPECT_EQ(dispatch->caseDetailPanel()->detail().reporters[0].phone, QStringLiteral("13800138000"));
}

TEST_F(SeatWindowTest, SupervisorSeesTheWallWithItsButtons)
{
  open(core::Role::Supervisor);
  for (const char *name : {"urge", "supervise", "close", "archive"})
    EXPECT_TRUE(offers(QLatin1String(name))) << name;
  for (const char *name : {"intake", "register", "dispatch", "assign", "feedback"})
    EXPECT_FALSE(offers(QLatin1String(name))) << name;
  EXPECT_TRUE(showsDock("supervisionDock"));
  auto *urge = window->command()->supervisionPanel()->findChild<QPushButton *>(QStringLiteral("urgeButton"));
  ASSERT_TRUE(urge);
  EXPECT_FALSE(urge->isHidden());
  EXPECT_TRUE(showsAction("actionBigScreen"));
  EXPECT_TRUE(showsAction("actionRunRules"));
}

TEST_F(SeatWindowTest, DepartmentHandlerSeesHandlingOnly)
{
  open(core::Role::DepartmentHandler);
  for (const char *name : {"start_handling", "arrive", "note", "feedback", "extend"})
    EXPECT_TRUE(offers(QLatin1String(name))) << name;
  for (const char *name : {"intake", "register", "dispatch", "assign", "urge", "close", "visit"})
    EXPECT_FALSE(offers(QLatin1String(name))) << name;
  EXPECT_FALSE(showsDock("supervisionDock"));
  EXPECT_FALSE(showsDock("emergencyDock"));
  EXPECT_FALSE(showsAction("actionDeclareEmergency"));
}

// 领导: the wall, the big screen and the figures, read-only: no step, no urge, no emergency.
TEST_F(SeatWindowTest, LeaderReadsTheWallWithoutActing)
{
  open(core::Role::Leader);
  for (const char *name : {"intake", "register", "accept", "dispatch", "assign", "urge", "supervise", "start_handling",
                           "feedback", "close", "visit", "archive", "note", "void"})
    EXPECT_FALSE(offers(QLatin1String(name))) << name;
  EXPECT_TRUE(showsDock("caseQueueDock"));
  EXPECT_TRUE(showsDock("supervisionDock"));
  EXPECT_FALSE(showsDock("emergencyDock"));
  EXPECT_TRUE(showsAction("actionBigScreen"));
  EXPECT_FALSE(showsAction("actionDeclareEmergency"));
  EXPECT_FALSE(showsAction("actionEmergencyTool"));
  EXPECT_FALSE(showsAction("actionRunRules"));
  SupervisionPanel *wall = window->command()->supervisionPanel();
  for (const char *name : {"urgeButton", "superviseButton", "acknowledgeAlarmButton"})
  {
    auto *button = wall->findChild<QPushButton *>(QLatin1String(name));
    ASSERT_TRUE(button) << name;
    EXPECT_TRUE(button->isHidden()) << name;
  }
  EXPECT_FALSE(wall->urgeSelected(false, QStringLiteral("催")));
}

// An administrator sees no case data: no queue, no case, no map, and says why in words.
TEST_F(SeatWindowTest, AdministratorGetsAWindowWithoutCaseData)
{
  auto duty = seat(core::Role::DutyOperator);
  ASSERT_TRUE(duty->intake(form()).ok);
  open(core::Role::SystemAdmin);
  // No case reaches the window: not in the first read, not live.
  EXPECT_EQ(window->dispatch()->caseQueueModel()->rowCount(), 0);
  QSignalSpy changed(window->session(), &ConsoleSession::changed);
  ASSERT_TRUE(duty->intake(form()).ok);
  ASSERT_TRUE(changed.wait(10000));
  QCoreApplication::processEvents();
  EXPECT_EQ(window->dispatch()->caseQueueModel()->rowCount(), 0);
  EXPECT_FALSE(showsDock("caseQueueDock"));
  EXPECT_FALSE(showsDock("caseDock"));
  EXPECT_FALSE(showsDock("supervisionDock"));
  EXPECT_FALSE(showsDock("emergencyDock"));
  EXPECT_FALSE(showsDock("feedDock"));
  EXPECT_FALSE(window->findChild<QDockWidget *>(QStringLiteral("caseQueueDock"))->isVisible());
  EXPECT_FALSE(window->mapCanvas()->isVisible());
  ASSERT_TRUE(window->administrationArea());
  EXPECT_EQ(window->centralWidget(), window->administrationArea());
  auto *notice = window->administrationArea()->findChild<QLabel *>(QStringLiteral("administrationNotice"));
  ASSERT_TRUE(notice);
  EXPECT_TRUE(notice->text().contains(QStringLiteral("系统管理员甲"))) << notice->text().toStdString();
  for (QAction *menu : window->menuBar()->actions())
  {
    if (menu->menu() && menu->menu()->objectName() == QLatin1String("menuCase"))
    {
      EXPECT_FALSE(menu->isVisible());
    }
  }
}
