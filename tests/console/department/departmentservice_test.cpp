// The department seat (issue 17) on a real store file: the inbox of a department (lead and
// assisting), 签收 with the case's start of handling, 催办 acknowledged with a reply, feedback,
// return, 延期申请 approved and refused by the center, refusal of another department's case,
// the audit rows, and what the center reads on the case (names, not ids). Then the panel,
// offscreen: it lists the cases and its buttons' steps work.
#include "console/department/departmentpanel.h"
#include "console/department/departmentservice.h"

#include "maptestdistrict.h"
#include "store/accounts/accountstore.h"
#include "store/audit/auditlog.h"
#include "store/config/accountsettings.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <QCoreApplication>
#include <QLabel>
#include <QTreeWidget>

#include <gtest/gtest.h>

using gd::console::ActionOutcome;
using gd::console::ActionRequest;
using gd::console::CaseService;
using gd::console::DepartmentService;

namespace {

struct DepartmentFixture : ::testing::Test
{
  void SetUp() override
  {
    store = gd::maptest::makeStore();
    auto db = gd::store::Schema::open(store->path.toStdString());
    terminals = gd::store::provisionDemoTerminals(*db, store->district, 10);
    gd::store::AccountSettings settings = gd::store::AccountSettings::load(GD_SOURCE_DIR "/resources/config");
    settings.accounts.argon2 = gd::core::Argon2Cost{1024, 1, 1};
    gd::store::AccountStore accounts(*db, settings.accounts, settings.permissions);
    accounts.createAdministrator("admin", "管理员", gd::core::Role::SystemAdmin, "Install-Pass-2026", gd::store::nowUtc());
    // Names, not ids: what the center reads of a department's steps. (Roles are the seat's
    // business, OperatorRights; the service is given the department.)
    accounts.add("admin", "wang5", "王五", gd::store::nowUtc());
    accounts.add("admin", "zhao6", "赵六", gd::store::nowUtc());
    center = std::make_unique<CaseService>(store->path, QStringLiteral("admin"));
    housing = std::make_unique<DepartmentService>(store->path, QStringLiteral("wang5"), QStringLiteral("housing"));
    water = std::make_unique<DepartmentService>(store->path, QStringLiteral("zhao6"), QStringLiteral("water"));
  }

  //! A case the center took and dispatched to \a lead with \a assisting.
  QString dispatched(const QString &lead, const QStringList &assisting = {})
  {
    gd::console::IntakeForm f;
    f.caller = QStringLiteral("李四");
    f.phone = QStringLiteral("13800138000");
    f.address = QStringLiteral("幸福小区3号楼");
    f.category = QStringLiteral("0301");
    f.title = QStringLiteral("楼道堆放杂物");
    f.lon = terminals.front().home.lon;
    f.lat = terminals.front().home.lat;
    const ActionOutcome taken = center->intake(f);
    EXPECT_TRUE(taken.ok) << taken.message.toStdString();
    const ActionOutcome sent = center->dispatch(taken.number, lead, assisting, QString());
    EXPECT_TRUE(sent.ok) << sent.message.toStdString();
    return taken.number;
  }

  qint64 assignNotice(const gd::console::DepartmentInboxView &view, const QString &number)
  {
    for (const auto &c : view.cases)
      if (c.number == number)
        for (const auto &n : c.notices)
          if (n.kind == QLatin1String("assign"))
            return n.id;
    return 0;
  }

  std::vector<gd::store::audit::Row> audit()
  {
    auto db = gd::store::Schema::open(store->path.toStdString());
    return gd::store::audit::AuditLog(*db).list({});
  }

  std::unique_ptr<gd::maptest::StoreFixture> store;
  std::vector<gd::store::DemoTerminal> terminals;
  std::unique_ptr<CaseService> center;
  std::unique_ptr<DepartmentService> housing;
  std::unique_ptr<DepartmentService> water;
};

} // namespace

TEST_F(DepartmentFixture, TheInboxHoldsTheCasesLedAndAssistedWithTheirSignDeadline)
{
  const QString led = dispatched(QStringLiteral("housing"), {QStringLiteral("water")});
  const QString assisted = dispatched(QStringLiteral("water"), {QStringLiteral("housing")});
  const QString other = dispatched(QStringLiteral("water"));
  const auto view = housing->inbox();
  EXPECT_EQ(view.department, QStringLiteral("housing"));
  EXPECT_FALSE(view.departmentName.isEmpty());
  ASSERT_EQ(view.cases.size(), 2u);
  EXPECT_EQ(view.cases[0].number, led);
  EXPECT_TRUE(view.cases[0].lead);
  EXPECT_EQ(view.cases[1].number, assisted);
  EXPECT_FALSE(view.cases[1].lead);
  ASSERT_EQ(view.cases[0].notices.size(), 1u);
  const auto &notice = view.cases[0].notices[0];
  EXPECT_EQ(notice.kind, QStringLiteral("assign"));
  EXPECT_TRUE(notice.signBy.isValid());
  EXPECT_GT(notice.signBy, notice.sentAt); // 签收 within sign_within working hours
  EXPECT_TRUE(view.cases[0].finishBy.isValid());
  EXPECT_EQ(view.unsignedCount, 2);
  for (const auto &c : view.cases)
    EXPECT_NE(c.number, other);
  EXPECT_EQ(water->inbox().cases.size(), 3u);
}

TEST_F(DepartmentFixture, SigningAcknowledgesTheDispatchAndStartsHandlingForTheLead)
{
  const QString number = dispatched(QStringLiteral("housing"), {QStringLiteral("water")});
  const ActionOutcome signedUp = housing->sign(assignNotice(housing->inbox(), number));
  ASSERT_TRUE(signedUp.ok) << signedUp.message.toStdString();
  auto detail = center->detail(number);
  EXPECT_EQ(detail->state, QStringLiteral("in_handling"));
  EXPECT_EQ(detail->timeline.back().action, QStringLiteral("start_handling"));
  EXPECT_EQ(detail->timeline.back().actor, QStringLiteral("王五")); // names, not ids
  EXPECT_TRUE(detail->timeline.back().note.contains(housing->departmentName(QStringLiteral("housing"))));
  // The center's notices list: who at which department, and when.
  bool seen = false;
  for (const auto &n : detail->notices)
    if (n.department == QLatin1String("housing"))
    {
      seen = true;
      EXPECT_EQ(n.acknowledgedBy, QStringLiteral("王五"));
      EXPECT_TRUE(n.acknowledgedAt.isValid());
    }
  EXPECT_TRUE(seen);
  // The assisting department's 签收 acknowledges only: the case is not its to start.
  ASSERT_TRUE(water->sign(assignNotice(water->inbox(), number)).ok);
  EXPECT_EQ(center->detail(number)->timeline.size(), detail->timeline.size());
  // A second 签收 changes nothing.
  EXPECT_FALSE(housing->sign(assignNotice(housing->inbox(), number)).ok);
  const auto view = housing->inbox();
  EXPECT_EQ(view.unsignedCount, 0);
  // Signed within its limit (just now): 响应率 1 / 1.
  EXPECT_EQ(view.signedOnTime, 1);
  EXPECT_EQ(view.responseBase, 1);
}

TEST_F(DepartmentFixture, AnUrgeIsAcknowledgedWithAReplyOnTheCase)
{
  const QString number = dispatched(QStringLiteral("housing"));
  ASSERT_TRUE(housing->sign(assignNotice(housing->inbox(), number)).ok);
  ASSERT_TRUE(center->perform(number, ActionRequest{QStringLiteral("urge"), QStringLiteral("尽快处理"), {}}).ok);
  qint64 urge = 0;
  const auto view = housing->inbox(); // kept: a loop over a temporary's member would dangle
  for (const auto &n : view.cases.at(0).notices)
    if (n.kind == QLatin1String("urge"))
      urge = n.id;
  ASSERT_NE(urge, 0);
  ASSERT_TRUE(housing->sign(urge, QStringLiteral("已阅，正在处理")).ok);
  const auto detail = center->detail(number);
  EXPECT_EQ(detail->timeline.back().action, QStringLiteral("note"));
  EXPECT_TRUE(detail->timeline.back().note.contains(QStringLiteral("已阅，正在处理")));
  EXPECT_EQ(detail->timeline.back().actor, QStringLiteral("王五"));
  for (const auto &n : detail->notices)
  {
    if (n.id == urge)
    {
      EXPECT_EQ(n.acknowledgedBy, QStringLiteral("王五"));
    }
  }
}

TEST_F(DepartmentFixture, FeedbackAndReturnAreTheLeadsAndAnotherDepartmentsCaseIsRefused)
{
  const QString number = dispatched(QStringLiteral("housing"), {QStringLiteral("water")});
  const QString others = dispatched(QStringLiteral("water"));
  ASSERT_TRUE(housing->sign(assignNotice(housing->inbox(), number)).ok);
  // Not its case at all: refused, with a message, audited.
  ActionOutcome refused = housing->feedback(others, QStringLiteral("已处理"));
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.message.contains(others)) << refused.message.toStdString();
  EXPECT_FALSE(housing->note(others, QStringLiteral("看看")).ok);
  EXPECT_FALSE(housing->returnCase(others, QStringLiteral("不归我管")).ok);
  // The assisting department notes, but does not report the case handled.
  EXPECT_TRUE(water->note(number, QStringLiteral("已派人配合")).ok);
  EXPECT_FALSE(water->feedback(number, QStringLiteral("已处理")).ok);
  EXPECT_EQ(center->detail(others)->state, QStringLiteral("assigned"));

  const ActionOutcome done = housing->feedback(number, QStringLiteral("杂物已清理，通道畅通"));
  ASSERT_TRUE(done.ok) << done.message.toStdString();
  auto detail = center->detail(number);
  EXPECT_EQ(detail->state, QStringLiteral("handled"));
  EXPECT_EQ(detail->timeline.back().action, QStringLiteral("feedback"));
  EXPECT_TRUE(detail->timeline.back().details.contains(QStringLiteral("杂物已清理")));
  EXPECT_EQ(detail->timeline.back().actor, QStringLiteral("王五"));

  // Return: back to the center's queue with the reason, named by the department.
  const ActionOutcome back = water->returnCase(others, QStringLiteral("不属本部门职责"));
  ASSERT_TRUE(back.ok) << back.message.toStdString();
  detail = center->detail(others);
  EXPECT_EQ(detail->state, QStringLiteral("accepted"));
  EXPECT_EQ(detail->timeline.back().note, QStringLiteral("不属本部门职责"));
  EXPECT_TRUE(detail->timeline.back().details.contains(water->departmentName(QStringLiteral("water"))));
  EXPECT_TRUE(water->inbox().cases.size() == 1u); // the returned case left its inbox

  const auto rows = audit();
  std::map<std::string, int> refusedSteps;
  std::map<std::string, int> doneSteps;
  for (const auto &row : rows)
    ++(row.outcome == "ok" ? doneSteps : refusedSteps)[row.action];
  EXPECT_EQ(doneSteps["case_dept_sign"], 1);
  EXPECT_EQ(doneSteps["case_dept_feedback"], 1);
  EXPECT_EQ(doneSteps["case_dept_return"], 1);
  EXPECT_EQ(doneSteps["case_dept_note"], 1);
  EXPECT_EQ(refusedSteps["case_dept_feedback"], 2);
  EXPECT_EQ(refusedSteps["case_dept_note"], 1);
  EXPECT_EQ(refusedSteps["case_dept_return"], 1);
  for (const auto &row : rows)
    if (row.action == "case_dept_feedback" && row.outcome == "ok")
    {
      EXPECT_EQ(row.actorId, "wang5");
      EXPECT_EQ(row.actorName, "王五");
      EXPECT_EQ(row.object, number.toStdString());
    }
}

TEST_F(DepartmentFixture, AnExtensionRequestIsApprovedOrRefusedByTheCenter)
{
  const QString number = dispatched(QStringLiteral("housing"));
  ASSERT_TRUE(housing->sign(assignNotice(housing->inbox(), number)).ok);
  const QDateTime before = center->detail(number)->deadline;
  ASSERT_TRUE(housing->requestExtension(number, 3, QStringLiteral("需协调产权单位")).ok);
  EXPECT_FALSE(housing->requestExtension(number, 2, QStringLiteral("再要")).ok); // one at a time
  EXPECT_FALSE(housing->inbox().cases.at(0).pendingExtension.isEmpty());
  // The center sees it, on its list and on the case's timeline, with the department's name.
  DepartmentService desk(store->path, QStringLiteral("admin"), QString());
  auto pending = desk.pendingExtensions();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].number, number);
  EXPECT_EQ(pending[0].days, 3);
  EXPECT_EQ(pending[0].requestedBy, QStringLiteral("王五"));
  EXPECT_EQ(pending[0].departmentName, housing->departmentName(QStringLiteral("housing")));
  EXPECT_TRUE(center->detail(number)->timeline.back().note.contains(QStringLiteral("需协调产权单位")));

  ASSERT_TRUE(desk.decideExtension(pending[0].id, true, QString()).ok);
  auto detail = center->detail(number);
  EXPECT_EQ(detail->timeline.back().action, QStringLiteral("extend"));
  EXPECT_TRUE(detail->timeline.back().details.contains(QStringLiteral("管理员"))) << detail->timeline.back().details.toStdString();
  EXPECT_GT(detail->deadline, before);
  EXPECT_FALSE(desk.decideExtension(pending[0].id, false, QStringLiteral("迟了")).ok); // decided already
  EXPECT_TRUE(desk.pendingExtensions().empty());

  // A second request, refused with a reason: a note on the case, the deadline unchanged.
  ASSERT_TRUE(housing->requestExtension(number, 2, QStringLiteral("天气原因")).ok);
  const QDateTime extended = center->detail(number)->deadline;
  const qint64 second = desk.pendingExtensions().at(0).id;
  EXPECT_FALSE(desk.decideExtension(second, false, QString()).ok); // a refusal says why
  ASSERT_TRUE(desk.decideExtension(second, false, QStringLiteral("时限充足")).ok);
  detail = center->detail(number);
  EXPECT_EQ(detail->timeline.back().action, QStringLiteral("note"));
  EXPECT_TRUE(detail->timeline.back().note.contains(QStringLiteral("时限充足")));
  EXPECT_EQ(detail->deadline, extended);
  ASSERT_EQ(desk.extensionsOf(number).size(), 2u);
  EXPECT_EQ(desk.extensionsOf(number)[1].decision, QStringLiteral("refused"));
  int approvals = 0, refusals = 0;
  for (const auto &row : audit())
  {
    approvals += row.action == "case_extension_approve" && row.outcome == "ok";
    refusals += row.action == "case_extension_refuse" && row.outcome == "ok";
  }
  EXPECT_EQ(approvals, 1);
  EXPECT_EQ(refusals, 1);
}

namespace {

//! Runs the panel's queued service jobs and hands their results over, twice (a step, then the refresh it asks for).
void settle(gd::console::DepartmentServiceThread &thread)
{
  for (int round = 0; round < 3; ++round)
  {
    thread.drain();
    QCoreApplication::processEvents();
  }
}

} // namespace

TEST_F(DepartmentFixture, ThePanelListsTheInboxAndItsStepsWork)
{
  const QString led = dispatched(QStringLiteral("housing"), {QStringLiteral("water")});
  const QString assisted = dispatched(QStringLiteral("water"), {QStringLiteral("housing")});
  gd::console::DepartmentServiceThread thread(store->path, QStringLiteral("wang5"), QStringLiteral("housing"));
  ASSERT_TRUE(thread.isOpen()) << thread.error().toStdString();
  gd::console::DepartmentPanel panel;
  panel.setService(&thread, gd::console::DepartmentPanel::Mode::Inbox);
  panel.refresh();
  settle(thread);
  ASSERT_EQ(panel.tree()->topLevelItemCount(), 2);
  EXPECT_TRUE(panel.tree()->topLevelItem(0)->text(0).startsWith(led));
  EXPECT_TRUE(panel.tree()->topLevelItem(1)->text(0).startsWith(assisted));
  EXPECT_EQ(panel.tree()->topLevelItem(0)->childCount(), 1); // its dispatch notice
  EXPECT_FALSE(panel.tree()->topLevelItem(0)->child(0)->text(2).isEmpty()); // sign by
  EXPECT_TRUE(panel.header()->text().contains(QStringLiteral("2")));

  ASSERT_TRUE(panel.select(led));
  EXPECT_NE(panel.selectedNotice(), 0);
  panel.doSign();
  settle(thread);
  EXPECT_EQ(center->detail(led)->state, QStringLiteral("in_handling"));
  ASSERT_TRUE(panel.select(led));
  EXPECT_EQ(panel.selectedNotice(), 0); // nothing left to sign on it
  EXPECT_TRUE(panel.tree()->topLevelItem(0)->child(0)->text(5).contains(QStringLiteral("王五")));
  panel.doFeedback(QStringLiteral("已清理"));
  settle(thread);
  EXPECT_EQ(center->detail(led)->state, QStringLiteral("handled"));
  EXPECT_FALSE(panel.status()->text().isEmpty());
  // A step the department may not do says why on the panel.
  ASSERT_TRUE(panel.select(assisted));
  panel.doReturn(QStringLiteral("不归我管"));
  settle(thread);
  EXPECT_EQ(center->detail(assisted)->state, QStringLiteral("assigned"));
  EXPECT_TRUE(panel.status()->text().contains(assisted)) << panel.status()->text().toStdString();
  panel.setService(nullptr, gd::console::DepartmentPanel::Mode::Inbox);
}

// Found in the walk: the audit administrator's window offered 延期审批. Deciding an extension is
// the center's dispatcher's (case.assign): a seat that may not is refused by the service, the
// refusal audited, and the request stays waiting.
TEST_F(DepartmentFixture, ASeatThatMayNotAssignCannotDecideAnExtension)
{
  const QString number = dispatched(QStringLiteral("housing"));
  ASSERT_TRUE(housing->sign(assignNotice(housing->inbox(), number)).ok);
  ASSERT_TRUE(housing->requestExtension(number, 3, QStringLiteral("需协调产权单位")).ok);
  DepartmentService auditor(store->path, QStringLiteral("aud"), QString());
  auditor.setMayDecide(false);
  const auto pending = auditor.pendingExtensions();
  ASSERT_EQ(pending.size(), 1u);
  const ActionOutcome refused = auditor.decideExtension(pending[0].id, true, QString());
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.message.contains(QStringLiteral("case.assign"))) << refused.message.toStdString();
  EXPECT_EQ(auditor.pendingExtensions().size(), 1u);
  bool audited = false;
  for (const auto &row : audit())
    audited = audited || (row.action == "case_extension_approve" && row.outcome == "refused" && row.reason == "forbidden");
  EXPECT_TRUE(audited);
}
