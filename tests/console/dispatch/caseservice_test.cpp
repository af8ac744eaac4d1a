// The console's case service on a real store file: intake, duplicates, dispatch with orders
// to the worker's terminal, and every step of the loop and its exceptions as the console asks
// for them.
#include "console/dispatch/caseservice.h"

#include "maptestdistrict.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/orderstore.h"
#include "store/schema.h"
#include "store/audit/auditlog.h"
#include "store/accounts/accountstore.h"
#include "store/config/accountsettings.h"
#include "store/timetext.h"

#include <gtest/gtest.h>

using gd::console::ActionOutcome;
using gd::console::ActionRequest;
using gd::console::CaseService;
using gd::console::IntakeForm;

namespace {

struct ServiceFixture : ::testing::Test
{
  void SetUp() override
  {
    store = gd::maptest::makeStore();
    auto db = gd::store::Schema::open(store->path.toStdString());
    terminals = gd::store::provisionDemoTerminals(*db, store->district, 40);
    service = std::make_unique<CaseService>(store->path, QStringLiteral("值班员张三"));
  }

  //! A point inside the first micro-grid that has a terminal-carrying worker.
  IntakeForm form(const QString &title = QStringLiteral("楼道堆放杂物堵塞消防通道"))
  {
    IntakeForm f;
    f.source = QStringLiteral("hotline");
    f.caller = QStringLiteral("李四");
    f.phone = QStringLiteral("13800138000");
    f.address = QStringLiteral("幸福小区3号楼");
    f.category = QStringLiteral("0301");
    f.title = title;
    f.description = QStringLiteral("三单元楼道里堆满纸箱和电动车");
    f.lon = terminals.front().home.lon;
    f.lat = terminals.front().home.lat;
    return f;
  }

  QString newCase()
  {
    const ActionOutcome outcome = service->intake(form());
    EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
    return outcome.number;
  }

  ActionOutcome step(const QString &number, const QString &action, const QString &note = {}, QVariantMap data = {})
  {
    return service->perform(number, ActionRequest{action, note, data});
  }

  QString state(const QString &number) { return service->detail(number)->state; }

  std::unique_ptr<gd::maptest::StoreFixture> store;
  std::vector<gd::store::DemoTerminal> terminals;
  std::unique_ptr<CaseService> service;
};

} // namespace

TEST_F(ServiceFixture, IntakeRegistersACaseInItsMicroGrid)
{
  const ActionOutcome outcome = service->intake(form());
  ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
  const auto detail = service->detail(outcome.number);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->state, QStringLiteral("registered"));
  EXPECT_EQ(detail->grid, service->gridAt(*form().lon, *form().lat));
  EXPECT_EQ(detail->grid.size(), 18);
  EXPECT_EQ(detail->source, QStringLiteral("hotline"));
  ASSERT_EQ(detail->reporters.size(), 1u);
  EXPECT_EQ(detail->reporters[0].name, QStringLiteral("李四"));
  ASSERT_EQ(detail->timeline.size(), 2u);
  EXPECT_EQ(detail->timeline[0].action, QStringLiteral("report"));
  EXPECT_EQ(detail->timeline[1].action, QStringLiteral("register"));
  EXPECT_EQ(detail->timeline[1].actor, QStringLiteral("值班员张三"));
  EXPECT_TRUE(detail->deadline.isValid());
  EXPECT_TRUE(detail->allowedActions.contains(QStringLiteral("accept")));
  EXPECT_FALSE(detail->allowedActions.contains(QStringLiteral("close")));
}

TEST_F(ServiceFixture, IntakeRefusesAnIncompleteFormAndStoresNothing)
{
  IntakeForm noPlace = form();
  noPlace.lon.reset();
  noPlace.lat.reset();
  ActionOutcome outcome = service->intake(noPlace);
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.message.contains(QStringLiteral("location"))) << outcome.message.toStdString();

  IntakeForm badCategory = form();
  badCategory.category = QStringLiteral("9999");
  outcome = service->intake(badCategory);
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.message.contains(QStringLiteral("9999")));

  IntakeForm badPhone = form();
  badPhone.phone = QStringLiteral("call me");
  outcome = service->intake(badPhone);
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.message.contains(QStringLiteral("call me")));

  // Nothing of the three reached the store: the next case is the day's first.
  const QString first = newCase();
  EXPECT_TRUE(first.endsWith(QStringLiteral("-000001"))) << first.toStdString();
}

TEST_F(ServiceFixture, SuggestsDuplicatesAndAttachesTheCallToTheCase)
{
  const QString first = newCase();
  IntakeForm again = form(QStringLiteral("消防通道被杂物堵塞"));
  again.caller = QStringLiteral("王五");
  again.phone = QStringLiteral("13900139000");
  *again.lon += 0.0003; // some 25 m away
  const auto suggestions = service->duplicates(again);
  ASSERT_FALSE(suggestions.empty());
  EXPECT_EQ(suggestions.front().number, first);
  EXPECT_LT(suggestions.front().distanceM, 60);
  EXPECT_GT(suggestions.front().textSimilarity, 0.2);

  // Another category family is not a duplicate.
  IntakeForm other = again;
  other.category = QStringLiteral("0401");
  for (const auto &s : service->duplicates(other))
    EXPECT_NE(s.number, first);

  const ActionOutcome attached = service->attach(again, first);
  ASSERT_TRUE(attached.ok) << attached.message.toStdString();
  const auto target = service->detail(first);
  ASSERT_EQ(target->reporters.size(), 2u);
  EXPECT_EQ(target->reporters[1].name, QStringLiteral("王五"));
  EXPECT_NE(target->reporters[1].caseNumber, first);
  EXPECT_EQ(state(target->reporters[1].caseNumber), QStringLiteral("merged"));
  EXPECT_EQ(target->state, QStringLiteral("registered"));
}

TEST_F(ServiceFixture, DispatchAssignsInOneStepAndOrdersTheWorkersTerminal)
{
  const QString number = newCase();
  const auto detail = service->detail(number);
  const auto suggestion = service->suggestLead(detail->category, detail->grid);
  ASSERT_FALSE(suggestion.department.isEmpty());
  const auto workers = service->workersFor(detail->grid);
  ASSERT_FALSE(workers.empty());
  // The worker whose handset is the first terminal.
  auto db = gd::store::Schema::open(store->path.toStdString());
  gd::store::DeviceRegistry devices(*db);
  const std::string workerId = devices.find(terminals.front().device)->workerId;

  const ActionOutcome outcome = service->dispatch(number, suggestion.department, {QStringLiteral("housing")}, QString::fromStdString(workerId));
  ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
  EXPECT_EQ(outcome.ordersSent, 1);
  const auto after = service->detail(number);
  EXPECT_EQ(after->state, QStringLiteral("assigned"));
  EXPECT_EQ(after->leadDepartment, suggestion.department);
  EXPECT_EQ(after->workerId, QString::fromStdString(workerId));
  QStringList steps;
  for (const auto &entry : after->timeline)
    steps << entry.action;
  EXPECT_EQ(steps, (QStringList{"report", "register", "accept", "assign"}));

  gd::store::OrderStore orders(*db);
  const auto pending = orders.pending(terminals.front().device);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].kind, gd::store::OrderKind::Assign);
  EXPECT_EQ(pending[0].caseNumber, number.toStdString());

  // An urge goes the same way.
  ASSERT_TRUE(step(number, QStringLiteral("urge"), QStringLiteral("请尽快处理")).ok);
  EXPECT_EQ(orders.pending(terminals.front().device).size(), 2u);
}

TEST_F(ServiceFixture, DispatchIsAllOrNothing)
{
  const QString number = newCase();
  const ActionOutcome outcome = service->dispatch(number, QStringLiteral("no_such_department"), {}, {});
  EXPECT_FALSE(outcome.ok);
  EXPECT_TRUE(outcome.message.contains(QStringLiteral("no_such_department"))) << outcome.message.toStdString();
  // Not even the accept of the failed dispatch stayed.
  EXPECT_EQ(state(number), QStringLiteral("registered"));
  EXPECT_EQ(service->detail(number)->timeline.size(), 2u);
}

TEST_F(ServiceFixture, TheWholeLoopWithReworkAfterAnUnsatisfiedVisit)
{
  const QString number = newCase();
  ASSERT_TRUE(service->dispatch(number, QStringLiteral("fire"), {}, {}).ok);
  ASSERT_TRUE(step(number, QStringLiteral("start_handling")).ok);
  ASSERT_TRUE(step(number, QStringLiteral("feedback"), {}, {{"result", QStringLiteral("杂物已清理")}}).ok);
  ASSERT_TRUE(step(number, QStringLiteral("close")).ok);
  ASSERT_TRUE(step(number, QStringLiteral("visit"), {}, {{"satisfaction", QStringLiteral("unsatisfied")}}).ok);
  // An unsatisfied case is not archived …
  ActionOutcome refused = step(number, QStringLiteral("archive"));
  EXPECT_FALSE(refused.ok);
  EXPECT_TRUE(refused.message.contains(QStringLiteral("rework"))) << refused.message.toStdString();
  // … it goes back for rework, and round again.
  ASSERT_TRUE(step(number, QStringLiteral("rework"), QStringLiteral("杂物又堆回来了"), {{"to", QStringLiteral("in_handling")}}).ok);
  EXPECT_EQ(state(number), QStringLiteral("in_handling"));
  ASSERT_TRUE(step(number, QStringLiteral("feedback"), {}, {{"result", QStringLiteral("已清理并张贴告示")}}).ok);
  ASSERT_TRUE(step(number, QStringLiteral("close")).ok);
  ASSERT_TRUE(step(number, QStringLiteral("visit"), {}, {{"satisfaction", QStringLiteral("satisfied")}}).ok);
  ASSERT_TRUE(step(number, QStringLiteral("archive")).ok);
  const auto detail = service->detail(number);
  EXPECT_EQ(detail->state, QStringLiteral("archived"));
  EXPECT_EQ(detail->reworkCount, 1);
  EXPECT_TRUE(detail->allowedActions.isEmpty()) << detail->allowedActions.join(",").toStdString();
}

TEST_F(ServiceFixture, EveryExceptionAsTheConsoleAsksForIt)
{
  // Return with a reason (and not without one).
  const QString a = newCase();
  ASSERT_TRUE(service->dispatch(a, QStringLiteral("fire"), {}, {}).ok);
  EXPECT_FALSE(step(a, QStringLiteral("return")).ok);
  ASSERT_TRUE(step(a, QStringLiteral("return"), QStringLiteral("不属于本部门职责")).ok);
  EXPECT_EQ(state(a), QStringLiteral("accepted"));
  EXPECT_TRUE(service->detail(a)->timeline.back().details.contains(QStringLiteral("fire")) ||
              !service->detail(a)->timeline.back().details.isEmpty());

  // Escalate one level up the grid tree.
  const QString before = service->detail(a)->responsibleGrid;
  ASSERT_TRUE(step(a, QStringLiteral("escalate"), QStringLiteral("网格无法协调")).ok);
  const QString after = service->detail(a)->responsibleGrid;
  EXPECT_TRUE(before.startsWith(after)) << before.toStdString() << " → " << after.toStdString();
  EXPECT_LT(after.size(), before.size());

  // Extend needs the approver.
  ASSERT_TRUE(service->dispatch(a, QStringLiteral("housing"), {}, {}).ok);
  const QDateTime deadline = service->detail(a)->deadline;
  EXPECT_FALSE(step(a, QStringLiteral("extend"), QStringLiteral("需要协调物业"), {{"amount", 2}, {"unit", QStringLiteral("wd")}}).ok);
  ASSERT_TRUE(step(a, QStringLiteral("extend"), QStringLiteral("需要协调物业"),
                   {{"approver", QStringLiteral("主任王")}, {"amount", 2}, {"unit", QStringLiteral("wd")}})
                .ok);
  EXPECT_GT(service->detail(a)->deadline, deadline);

  // Park and resume.
  ASSERT_TRUE(step(a, QStringLiteral("park"), QStringLiteral("等待法院判决")).ok);
  EXPECT_EQ(state(a), QStringLiteral("parked"));
  EXPECT_FALSE(service->detail(a)->deadline.isValid());
  const ActionOutcome parked = step(a, QStringLiteral("start_handling"));
  EXPECT_FALSE(parked.ok);
  EXPECT_TRUE(parked.message.contains(QStringLiteral("parked"))) << parked.message.toStdString();
  ASSERT_TRUE(step(a, QStringLiteral("resume")).ok);
  EXPECT_EQ(state(a), QStringLiteral("assigned"));

  // Void with a reason.
  const QString b = newCase();
  EXPECT_FALSE(step(b, QStringLiteral("void")).ok);
  ASSERT_TRUE(step(b, QStringLiteral("void"), QStringLiteral("重复录入")).ok);
  EXPECT_EQ(state(b), QStringLiteral("voided"));
  const ActionOutcome final = step(b, QStringLiteral("register"));
  EXPECT_FALSE(final.ok);
  EXPECT_TRUE(final.message.contains(QStringLiteral("final"))) << final.message.toStdString();

  // Merge into another case.
  const QString c = newCase();
  const QString d = newCase();
  ASSERT_TRUE(step(c, QStringLiteral("merge"), {}, {{"into", d}}).ok);
  EXPECT_EQ(state(c), QStringLiteral("merged"));
  EXPECT_EQ(service->detail(c)->mergedInto, d);
  EXPECT_EQ(service->detail(d)->reporters.size(), 2u);
  EXPECT_FALSE(step(d, QStringLiteral("merge"), {}, {{"into", d}}).ok);

  // Supervise flag.
  ASSERT_TRUE(step(d, QStringLiteral("supervise"), QStringLiteral("区领导关注")).ok);
  EXPECT_TRUE(service->detail(d)->supervised);

  // Unknown steps and cases are refused in words.
  EXPECT_FALSE(step(d, QStringLiteral("teleport")).ok);
  const ActionOutcome unknown = step(QStringLiteral("620902-20000101-000001"), QStringLiteral("register"));
  EXPECT_FALSE(unknown.ok);
  EXPECT_TRUE(unknown.message.contains(QStringLiteral("no such case")));
}

// ---- issue 13, defect 6: 查找 finds a street address ----------------------------------------

TEST_F(ServiceFixture, FindPlaceFindsAnAddressReportedBefore)
{
  const QString number = newCase(); // at 幸福小区3号楼, at the first terminal's home
  const gd::console::PlaceMatch place = service->findPlace(QStringLiteral("幸福小区3号楼"));
  ASSERT_TRUE(place.found);
  EXPECT_EQ(place.kind, QStringLiteral("address"));
  EXPECT_NEAR(place.lon, terminals.front().home.lon, 1e-9);
  EXPECT_NEAR(place.lat, terminals.front().home.lat, 1e-9);
}

TEST_F(ServiceFixture, FindPlaceFindsTheCommunityAnAddressNames)
{
  // A community of the district, and an address in it nobody reported before.
  const QString path = service->gridPath(service->gridAt(terminals.front().home.lon, terminals.front().home.lat));
  const QStringList parts = path.split(QStringLiteral(" · "));
  ASSERT_GE(parts.size(), 3) << path.toStdString();
  QString stem = parts[1];
  stem.remove(QStringLiteral("社区")).remove(QStringLiteral("村"));
  ASSERT_GE(stem.size(), 2) << parts[1].toStdString();
  const gd::console::PlaceMatch place = service->findPlace(stem + QStringLiteral("小区12号楼2单元"));
  ASSERT_TRUE(place.found);
  EXPECT_EQ(place.kind, QStringLiteral("grid"));
  EXPECT_EQ(place.name, parts[1]); // the community itself, not one of its grids
  EXPECT_EQ(place.matched, stem);
  // The point is in that community.
  EXPECT_TRUE(service->gridPath(service->gridAt(place.lon, place.lat)).contains(parts[1]));
  // Generic words alone find nothing.
  EXPECT_FALSE(service->findPlace(QStringLiteral("小区3号楼")).found);
  EXPECT_FALSE(service->findPlace(QStringLiteral("")).found);
}

// Issue 17 (§8.1.4 安全审计): every case action of a seat is in the audit trail with who, the
// seat and the outcome; a refused step too; the chain holds.
TEST_F(ServiceFixture, CaseActionsAndRefusalsAreAudited)
{
  const QString number = newCase();
  ASSERT_TRUE(step(number, QStringLiteral("accept")).ok);
  EXPECT_FALSE(step(number, QStringLiteral("close"), QStringLiteral("太早了")).ok);

  auto db = gd::store::Schema::open(store->path.toStdString());
  const auto rows = gd::store::audit::AuditLog(*db).list({});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].action, "case_register");
  EXPECT_EQ(rows[0].object, number.toStdString());
  EXPECT_EQ(rows[0].actorId, "值班员张三");
  EXPECT_FALSE(rows[0].host.empty());
  EXPECT_EQ(rows[1].action, "case_accept");
  EXPECT_EQ(rows[1].outcome, "ok");
  EXPECT_EQ(rows[2].action, "case_close");
  EXPECT_EQ(rows[2].outcome, "refused");
  EXPECT_FALSE(rows[2].reason.empty());
  EXPECT_TRUE(gd::store::audit::AuditLog(*db).verify().ok());
}

// Issue 17, names not ids: on a store with accounts a seat's steps carry the account id; the
// timeline and the audit trail show the person.
TEST_F(ServiceFixture, AnAccountsStepsShowItsNameInTheTimeline)
{
  {
    auto db = gd::store::Schema::open(store->path.toStdString());
    gd::store::AccountSettings settings = gd::store::AccountSettings::load(GD_SOURCE_DIR "/resources/config");
    settings.accounts.argon2 = gd::core::Argon2Cost{1024, 1, 1};
    gd::store::AccountStore(*db, settings.accounts, settings.permissions)
      .createAdministrator("zhang3", "张三", gd::core::Role::SystemAdmin, "Install-Pass-2026", gd::store::nowUtc());
  }
  CaseService seat(store->path, QStringLiteral("zhang3"));
  const ActionOutcome taken = seat.intake(form());
  ASSERT_TRUE(taken.ok) << taken.message.toStdString();
  const auto detail = seat.detail(taken.number);
  ASSERT_TRUE(detail);
  ASSERT_FALSE(detail->timeline.empty());
  for (const auto &entry : detail->timeline)
    EXPECT_EQ(entry.actor, QStringLiteral("张三")) << entry.actor.toStdString();
  auto db = gd::store::Schema::open(store->path.toStdString());
  const auto rows = gd::store::audit::AuditLog(*db).list({});
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().actorId, "zhang3");
  EXPECT_EQ(rows.back().actorName, "张三");
}
