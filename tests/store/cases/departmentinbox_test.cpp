// A department's side of the loop (issue 17), on both backends: its inbox of notices about
// the cases it leads or assists on, 响应率 from the 签收 of its dispatches, and 延期申请.
#include "store/cases/departmentnotices.h"
#include "store/cases/extensionrequests.h"

#include "store/storeerror.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {

// Monday 2026-11-23, 09:00 Beijing time: 2 working hours later is 11:00 the same morning.
const core::TimePoint kT0 = core::beijingTime(2026, 11, 23, 9, 0);

class DepartmentInboxTest : public test::StoreFixture
{
  protected:
    //! A case assigned to \a lead with \a assisting, and the assign notices a dispatch writes.
    std::string dispatched(const std::string &lead, std::vector<std::string> assisting, core::TimePoint at)
    {
      const std::string number = caseIn(core::CaseState::Accepted, at);
      cases->apply(number, command(core::CaseAction::Assign, at, {{"lead", lead}, {"assisting", assisting}}));
      DepartmentNotices notices(*db);
      assisting.insert(assisting.begin(), lead);
      for (const std::string &department : assisting)
      {
        DepartmentNotice n;
        n.department = department;
        n.kind = NoticeKind::Assign;
        n.caseNumber = number;
        notices.create(n, at);
      }
      return number;
    }

    std::int64_t noticeOf(const std::string &department, const std::string &number, NoticeKind kind = NoticeKind::Assign)
    {
      for (const DepartmentNotice &n : DepartmentNotices(*db).forCase(number))
        if (n.department == department && n.kind == kind)
          return n.id;
      return 0;
    }

    std::map<std::string, ResponseTally> rates(core::TimePoint now)
    {
      return DepartmentNotices(*db).responseRates(config->calendar, config->kpi.signWithinWorkingHours, kT0 - std::chrono::hours(24),
                                                  kT0 + std::chrono::hours(24 * 30), now);
    }
};

} // namespace

TEST_F(DepartmentInboxTest, TheInboxHoldsTheCasesTheDepartmentLeadsOrAssistsOnAndNoOther)
{
  const std::string led = dispatched("housing", {"enforcement"}, kT0);
  const std::string assisted = dispatched("water", {"housing", "health"}, kT0);
  const std::string other = dispatched("water", {}, kT0);
  DepartmentNotices notices(*db);
  DepartmentNotice urge;
  urge.department = "housing";
  urge.kind = NoticeKind::Urge;
  urge.caseNumber = led;
  urge.deadline = kT0 + std::chrono::hours(4);
  notices.create(urge, kT0 + std::chrono::hours(1));

  const std::vector<InboxNotice> inbox = notices.inbox("housing");
  ASSERT_EQ(inbox.size(), 3u);
  EXPECT_EQ(inbox[0].notice.caseNumber, led);
  EXPECT_EQ(inbox[0].notice.kind, NoticeKind::Assign);
  EXPECT_TRUE(inbox[0].lead);
  EXPECT_EQ(inbox[0].caseState, "assigned");
  EXPECT_EQ(inbox[0].title, "楼道堆放杂物");
  EXPECT_EQ(inbox[1].notice.caseNumber, led);
  EXPECT_EQ(inbox[1].notice.kind, NoticeKind::Urge); // 催办 shows on the inbox too
  EXPECT_EQ(inbox[2].notice.caseNumber, assisted);
  EXPECT_FALSE(inbox[2].lead);
  for (const InboxNotice &entry : inbox)
    EXPECT_NE(entry.notice.caseNumber, other);

  // An acknowledged notice stays in the inbox (with who and when); a returned case leaves it.
  notices.acknowledge(inbox[0].notice.id, "李四", kT0 + std::chrono::minutes(30));
  EXPECT_EQ(notices.inbox("housing")[0].notice.acknowledgedBy, "李四");
  cases->apply(led, command(core::CaseAction::Return, kT0 + std::chrono::hours(1), {}, "不属本部门职责"));
  ASSERT_EQ(notices.inbox("housing").size(), 1u);
  EXPECT_EQ(notices.inbox("housing")[0].notice.caseNumber, assisted);
  // "health" is an assisting code after "housing": the list is matched code by code.
  EXPECT_EQ(notices.inbox("health").size(), 1u);
  EXPECT_TRUE(notices.inbox("heal").empty());
}

TEST_F(DepartmentInboxTest, ResponseRateCountsSigningWithinTheLimitOverSignedAndOverdue)
{
  const std::string a = dispatched("housing", {}, kT0);   // signed in time
  const std::string b = dispatched("housing", {}, kT0);   // signed late
  const std::string c = dispatched("housing", {}, kT0);   // never signed
  dispatched("water", {}, kT0 + std::chrono::hours(2));   // dispatched 11:00: its limit is 14:30 + 1 h
  DepartmentNotices notices(*db);
  const core::TimePoint due = DepartmentNotices::signDeadline(config->calendar, 2.0, kT0);
  EXPECT_EQ(due, core::beijingTime(2026, 11, 23, 11, 0));
  // Exactly at the limit is within it.
  notices.acknowledge(noticeOf("housing", a), "李四", due);
  notices.acknowledge(noticeOf("housing", b), "李四", due + std::chrono::seconds(1));
  (void)c;

  // Before the limit: the unsigned one waits and counts in neither part.
  auto before = rates(kT0 + std::chrono::minutes(90));
  EXPECT_EQ(before["housing"].onTime, 1);
  EXPECT_EQ(before["housing"].late, 1);
  EXPECT_EQ(before["housing"].waiting, 1);
  EXPECT_EQ(before["housing"].denominator(), 2);
  EXPECT_DOUBLE_EQ(*before["housing"].rate(), 0.5);
  // After it: overdue, in the denominator.
  auto after = rates(core::beijingTime(2026, 11, 23, 15, 0));
  EXPECT_EQ(after["housing"].overdue, 1);
  EXPECT_EQ(after["housing"].denominator(), 3);
  EXPECT_NEAR(*after["housing"].rate(), 1.0 / 3.0, 1e-12);
  // The lunch break is not working time: water's limit (11:00 + 2 wh) is 15:30.
  EXPECT_EQ(after["water"].waiting, 1);
  EXPECT_FALSE(after["water"].rate());
  auto later = rates(core::beijingTime(2026, 11, 23, 15, 31));
  EXPECT_EQ(later["water"].overdue, 1);
  // One department only.
  const auto one = DepartmentNotices(*db).responseRates(config->calendar, 2.0, kT0 - std::chrono::hours(1),
                                                        kT0 + std::chrono::hours(48), kT0 + std::chrono::hours(48), "water");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.begin()->first, "water");
}

TEST_F(DepartmentInboxTest, AnExtensionRequestWaitsForOneDecision)
{
  const std::string number = dispatched("housing", {}, kT0);
  ExtensionRequests requests(*db);
  ExtensionRequest r;
  r.caseNumber = number;
  r.department = "housing";
  r.days = 3;
  r.reason = "需协调产权单位";
  r.requestedBy = "dept-housing";
  const std::int64_t id = requests.create(r, kT0);
  // A second one while the first waits is refused; so are nonsense requests.
  try
  {
    requests.create(r, kT0);
    FAIL();
  }
  catch (const StoreRefusal &refusal)
  {
    EXPECT_EQ(refusal.reason(), "pending_request");
  }
  ExtensionRequest zero = r;
  zero.days = 0;
  EXPECT_THROW(requests.create(zero, kT0), StoreRefusal);
  ExtensionRequest nowhere = r;
  nowhere.caseNumber = "nope";
  EXPECT_THROW(requests.create(nowhere, kT0), StoreRefusal);

  ASSERT_EQ(requests.pending().size(), 1u);
  EXPECT_EQ(requests.pending()[0].reason, "需协调产权单位");
  EXPECT_EQ(requests.pending()[0].days, 3);
  EXPECT_THROW(requests.decide(id, false, "center", "", kT0), StoreRefusal); // a refusal says why
  EXPECT_TRUE(requests.decide(id, true, "center", "同意", kT0 + std::chrono::hours(1)));
  EXPECT_FALSE(requests.decide(id, false, "center", "不同意", kT0 + std::chrono::hours(2))); // the first decision stays
  const auto decided = requests.find(id);
  EXPECT_EQ(decided->decision, "approved");
  EXPECT_EQ(decided->decidedBy, "center");
  EXPECT_EQ(decided->decidedAt, kT0 + std::chrono::hours(1));
  EXPECT_TRUE(requests.pending().empty());
  // Now another may be asked, and refused.
  const std::int64_t second = requests.create(r, kT0 + std::chrono::hours(3));
  EXPECT_TRUE(requests.decide(second, false, "center", "时限充足", kT0 + std::chrono::hours(4)));
  ASSERT_EQ(requests.forCase(number).size(), 2u);
  EXPECT_EQ(requests.forCase(number)[1].decision, "refused");
  EXPECT_EQ(requests.forCase(number)[1].decisionNote, "时限充足");
}
