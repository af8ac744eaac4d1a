// Urging and supervising on a real store file: the event, the orders to the worker's terminals,
// the department's notice and the supervision record, all or nothing per case.
#include "store/supervision/supervisionstore.h"

#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/orderstore.h"
#include "store/storeerror.h"
#include "store/writer.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using S = core::CaseState;

namespace {

const core::TimePoint kT0 = core::beijingTime(2026, 11, 23, 9, 0);

class SupervisionStoreTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      DeviceRegistry devices(*db);
      devices.add("HS-7A", "worker-7", kT0);
      devices.add("HS-7B", "worker-7", kT0);
      devices.add("HS-7OLD", "worker-7", kT0);
      devices.revoke("HS-7OLD");
      devices.add("HS-9", "worker-9", kT0);
    }

    std::int64_t count(const char *table) { return db->scalarInt(std::string("SELECT count(*) FROM ") + table); }
};

} // namespace

TEST_F(SupervisionStoreTest, AnUrgeIsAnEventOrdersANoticeAndARecordAndRefusalsAreReportedPerCase)
{
  const std::string assigned = caseIn(S::Assigned, kT0);
  const std::string handling = caseIn(S::InHandling, kT0, "housing", kMicroB, "0304");
  const std::string closed = caseIn(S::Closed, kT0);
  const std::string reported = caseIn(S::Reported, kT0);
  const core::TimePoint now = kT0 + std::chrono::hours(30);
  const core::TimePoint respondBy = now + std::chrono::hours(8);

  SupervisionStore supervision(*db, *workflow, clock.get());
  UrgeRequest request;
  request.numbers = {assigned, closed, "620902-20000101-000001", handling, reported};
  request.actor = "督办科 王五";
  request.opinion = "群众反映强烈，请于今日17时前反馈处置情况";
  request.deadline = respondBy;
  request.now = now;
  const auto outcomes = supervision.urge(request);
  ASSERT_EQ(outcomes.size(), 5u);

  // Done: the event, one urge order per active terminal of worker-7, the department's notice, the record.
  const UrgeOutcome &a = outcomes[0];
  EXPECT_TRUE(a.done);
  EXPECT_EQ(a.caseNumber, assigned);
  EXPECT_EQ(a.devices, (std::vector<std::string>{"HS-7A", "HS-7B"}));
  ASSERT_EQ(a.orderIds.size(), 2u);
  EXPECT_GT(a.noticeId, 0);
  EXPECT_GT(a.recordId, 0);
  const auto events = cases->events(assigned);
  EXPECT_EQ(static_cast<std::int64_t>(events.size()), a.eventSeq);
  EXPECT_EQ(events.back().action, core::CaseAction::Urge);
  EXPECT_EQ(events.back().actor, "督办科 王五");
  EXPECT_EQ(events.back().note, request.opinion);
  EXPECT_EQ(events.back().details.deadline, respondBy);
  EXPECT_EQ(cases->find(assigned)->urgeCount, 1);
  OrderStore orders(*db);
  const auto order = orders.find(a.orderIds[0]);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->deviceId, "HS-7A");
  EXPECT_EQ(order->kind, OrderKind::Urge);
  EXPECT_EQ(order->caseNumber, assigned);
  EXPECT_EQ(order->message, request.opinion);
  EXPECT_EQ(*order->deadline, respondBy);
  EXPECT_TRUE(orders.pending("HS-7OLD").empty());
  EXPECT_TRUE(orders.pending("HS-9").empty());
  const auto notice = DepartmentNotices(*db).find(a.noticeId);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->department, "fire");
  EXPECT_EQ(notice->kind, NoticeKind::Urge);
  EXPECT_EQ(notice->caseNumber, assigned);
  EXPECT_FALSE(notice->acknowledgedAt);
  const auto records = supervision.records(assigned);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].kind, SupervisionKind::Urge);
  EXPECT_EQ(records[0].actor, "督办科 王五");
  EXPECT_EQ(records[0].at, now);
  EXPECT_EQ(records[0].opinion, request.opinion);
  EXPECT_EQ(*records[0].deadline, respondBy);
  EXPECT_EQ(records[0].eventSeq, a.eventSeq);

  // Refused, each with its reason; the rest still done.
  EXPECT_FALSE(outcomes[1].done);
  EXPECT_EQ(outcomes[1].refusal, "bad_transition");
  EXPECT_NE(outcomes[1].reason.find("cannot urge a case in state 'closed'"), std::string::npos) << outcomes[1].reason;
  EXPECT_FALSE(outcomes[2].done);
  EXPECT_EQ(outcomes[2].refusal, "unknown_case");
  EXPECT_TRUE(outcomes[3].done);
  EXPECT_EQ(DepartmentNotices(*db).find(outcomes[3].noticeId)->department, "housing");
  EXPECT_FALSE(outcomes[4].done);
  EXPECT_EQ(outcomes[4].refusal, "bad_transition");

  // Nothing of the refused ones was written.
  EXPECT_EQ(count("supervisions"), 2);
  EXPECT_EQ(count("orders"), 4);
  EXPECT_EQ(count("department_notices"), 2);
  EXPECT_EQ(cases->events(closed).back().action, core::CaseAction::Close);
  EXPECT_EQ(DepartmentNotices(*db).pending("fire").size(), 1u);
  EXPECT_EQ(supervision.recent(now).size(), 2u);
  EXPECT_TRUE(supervision.recent(now + std::chrono::seconds(1)).empty());

  // The department acknowledges its notice, once.
  EXPECT_TRUE(DepartmentNotices(*db).acknowledge(a.noticeId, "消防大队 赵六", now + std::chrono::hours(1)));
  EXPECT_TRUE(DepartmentNotices(*db).acknowledge(a.noticeId, "someone else", now + std::chrono::hours(2)));
  EXPECT_EQ(DepartmentNotices(*db).find(a.noticeId)->acknowledgedBy, "消防大队 赵六");
  EXPECT_TRUE(DepartmentNotices(*db).pending("fire").empty());
  EXPECT_FALSE(DepartmentNotices(*db).acknowledge(9999, "x", now));
  EXPECT_EQ(cases->verifyProjections(), std::vector<std::string>());
}

TEST_F(SupervisionStoreTest, SupervisingAnUnassignedCaseFlagsItWithoutOrdersOrNotices)
{
  const std::string reported = caseIn(S::Reported, kT0);
  SupervisionStore supervision(*db, *workflow, clock.get());
  UrgeRequest request;
  request.numbers = {reported};
  request.kind = SupervisionKind::Supervise;
  request.actor = "综治中心 主任";
  request.now = kT0 + std::chrono::hours(1);
  const auto outcome = supervision.urge(request).front();
  ASSERT_TRUE(outcome.done) << outcome.reason;
  EXPECT_TRUE(outcome.orderIds.empty());
  EXPECT_EQ(outcome.noticeId, 0);
  EXPECT_TRUE(cases->find(reported)->supervised);
  EXPECT_EQ(cases->events(reported).back().action, core::CaseAction::Supervise);
  EXPECT_EQ(supervision.records(reported).front().kind, SupervisionKind::Supervise);

  request.actor.clear();
  EXPECT_THROW(supervision.urge(request), StoreRefusal);
}

TEST_F(SupervisionStoreTest, InsideAWriterJobEachCaseIsItsOwnSavepoint)
{
  const std::string assigned = caseIn(S::Assigned, kT0);
  const std::string closed = caseIn(S::Closed, kT0);
  cases.reset();
  db.reset();
  Writer writer(store->location());
  std::vector<UrgeOutcome> outcomes;
  writer.run([&](Database &wdb) {
    UrgeRequest request;
    request.numbers = {closed, assigned};
    request.actor = "rule:test";
    request.now = kT0 + std::chrono::hours(2);
    outcomes = SupervisionStore(wdb, *workflow, clock.get()).urge(request);
  });
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_FALSE(outcomes[0].done);
  EXPECT_TRUE(outcomes[1].done);
  Database reader(store->location(), Database::Mode::ReadOnly);
  EXPECT_EQ(reader.scalarInt("SELECT count(*) FROM supervisions"), 1);
  EXPECT_EQ(reader.scalarInt("SELECT count(*) FROM orders"), 2);
  // The default message when no opinion is given.
  EXPECT_EQ(OrderStore(reader).find(outcomes[1].orderIds[0])->message, "催办：请尽快处置");
}
