// A seat's scope in the store (issue 17): a township seat's readers (the open-case queue and
// map, the per-grid counts, a case's record and events, search, the change feed) see only its
// township's cases, and a step on a case outside it or a report of a place outside it is
// refused; a department seat sees the cases its department leads or assists in. On both
// backends, by the store's SQL (row-level security on PostgreSQL: seatstore_test).
#include "store/cases/casescope.h"

#include "store/cases/changefeed.h"
#include "store/cases/opencases.h"
#include "store/storeerror.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {

const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);
const CaseScope kTownship1{"620902001", ""}; // kMicroA and kMicroB lie in it, kMicroC in township 002

class CaseScopeTest : public test::StoreFixture
{
  protected:
    std::vector<std::string> numbersOf(const std::vector<CaseRecord> &records)
    {
      std::vector<std::string> out;
      for (const CaseRecord &r : records)
        out.push_back(r.number);
      std::sort(out.begin(), out.end());
      return out;
    }
};

} // namespace

TEST_F(CaseScopeTest, ATownshipSeatReadsOnlyItsTownshipsCases)
{
  const std::string a = caseIn(core::CaseState::Assigned, kNow, "fire", test::kMicroA);
  const std::string b = caseIn(core::CaseState::Reported, kNow, "fire", test::kMicroB);
  const std::string c = caseIn(core::CaseState::Assigned, kNow, "fire", test::kMicroC);
  CaseStore seat(*db, *workflow, clock.get());
  seat.setScope(kTownship1);

  // Record, events, rebuilt case: the other township's case is as if unknown.
  EXPECT_TRUE(seat.find(a));
  EXPECT_FALSE(seat.find(c));
  EXPECT_TRUE(seat.events(c).empty());
  EXPECT_FALSE(seat.load(c));
  EXPECT_EQ(numbersOf(seat.findMany({a, c})), std::vector<std::string>{a});
  // Search and counts.
  CaseFilter all;
  EXPECT_EQ(numbersOf(seat.query(all)), (std::vector<std::string>{a, b}));
  EXPECT_EQ(seat.count(all), 2);
  CaseFilter text;
  text.text = "楼道"; // every case's title
  EXPECT_EQ(numbersOf(seat.query(text)), (std::vector<std::string>{a, b}));
  EXPECT_EQ(numbersOf(cases->query(all)).size(), 3u); // the unscoped store sees all three

  // The open-case queue and map, and the district view's counts.
  OpenCaseSnapshot open = OpenCaseReader(*db, kTownship1).read(kNow);
  std::vector<CaseRecord> read = open.alerts;
  read.insert(read.end(), open.others.begin(), open.others.end());
  EXPECT_EQ(numbersOf(read), (std::vector<std::string>{a, b}));
  const auto counts = OpenCaseReader(*db, kTownship1).countsPerGrid(kNow, kNow - std::chrono::hours(1));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].grid, std::string(test::kMicroA).substr(0, 15));
  EXPECT_EQ(counts[0].open, 2);
  EXPECT_EQ(OpenCaseReader(*db).countsPerGrid(kNow, kNow).size(), 2u);

  // The change feed a watcher reads: the other township's new events never show.
  ChangeFeed feed(*db, kTownship1);
  std::int64_t cursor = 0;
  EXPECT_EQ(feed.casesChangedSince(cursor), (std::vector<std::string>{a, b}));
  cases->apply(c, command(core::CaseAction::StartHandling, kNow));
  EXPECT_TRUE(feed.casesChangedSince(cursor).empty());
  cases->apply(a, command(core::CaseAction::StartHandling, kNow));
  EXPECT_EQ(feed.casesChangedSince(cursor), std::vector<std::string>{a});
  const auto deadline = cases->find(c)->deadline;
  ASSERT_TRUE(deadline);
  ASSERT_EQ(cases->find(a)->deadline, deadline); // both went into handling at the same instant
  EXPECT_EQ(feed.lightsChangedBetween(*deadline - std::chrono::seconds(1), *deadline), std::vector<std::string>{a});
  EXPECT_EQ(ChangeFeed(*db).lightsChangedBetween(*deadline - std::chrono::seconds(1), *deadline).size(), 2u);
}

TEST_F(CaseScopeTest, ATownshipSeatIsRefusedOutsideItsTownship)
{
  const std::string a = caseIn(core::CaseState::Registered, kNow, "fire", test::kMicroA);
  const std::string c = caseIn(core::CaseState::Registered, kNow, "fire", test::kMicroC);
  CaseStore seat(*db, *workflow, clock.get());
  seat.setScope(kTownship1);
  const auto refusal = [&](const std::function<void()> &step) {
    try
    {
      step();
    }
    catch (const StoreRefusal &e)
    {
      return e.reason();
    }
    return std::string("done");
  };
  EXPECT_EQ(refusal([&] { seat.apply(c, command(core::CaseAction::Accept, kNow)); }), "out_of_scope");
  EXPECT_EQ(refusal([&] { seat.apply("620902-20261123-999999", command(core::CaseAction::Accept, kNow)); }),
            "unknown_case");
  EXPECT_EQ(refusal([&] { seat.report(reportCommand(kNow, "0301", test::kMicroC)); }), "out_of_scope");
  EXPECT_EQ(refusal([&] {
              seat.apply(a, command(core::CaseAction::Merge, kNow, {{"into", c}}));
            }),
            "out_of_scope");
  EXPECT_TRUE(seat.outsideScope(c));
  EXPECT_FALSE(seat.outsideScope(a));
  // Nothing of it was written; inside its township the seat works as before.
  EXPECT_EQ(cases->events(c).size(), 2u);
  EXPECT_EQ(cases->count({}), 2);
  EXPECT_EQ(refusal([&] { seat.apply(a, command(core::CaseAction::Accept, kNow)); }), "done");
  EXPECT_EQ(refusal([&] { seat.report(reportCommand(kNow, "0301", test::kMicroB)); }), "done");
}

TEST_F(CaseScopeTest, ADepartmentSeatSeesTheCasesItsDepartmentLeadsOrAssists)
{
  const std::string led = caseIn(core::CaseState::Assigned, kNow, "housing", test::kMicroA);
  const std::string other = caseIn(core::CaseState::Assigned, kNow, "fire", test::kMicroC);
  const std::string assisted = caseIn(core::CaseState::Accepted, kNow, "fire", test::kMicroC);
  cases->apply(assisted, command(core::CaseAction::Assign, kNow,
                                 {{"lead", "fire"}, {"assisting", {"police", "housing"}}, {"worker", "worker-7"}}));
  const std::string unassigned = caseIn(core::CaseState::Registered, kNow, "fire", test::kMicroA);
  CaseStore seat(*db, *workflow, clock.get());
  seat.setScope({"", "housing"});
  EXPECT_EQ(numbersOf(seat.query({})), (std::vector<std::string>{led, assisted}));
  EXPECT_FALSE(seat.find(other));
  EXPECT_FALSE(seat.find(unassigned));
  OpenCaseSnapshot open = OpenCaseReader(*db, {"", "housing"}).read(kNow);
  EXPECT_EQ(open.alerts.size() + open.others.size(), 2u);
  // A department and a township together: the department's cases in that township.
  seat.setScope({"620902001", "housing"});
  EXPECT_EQ(numbersOf(seat.query({})), std::vector<std::string>{led});
  // A code's '_' is no wildcard: natural_resources is not naturalXresources.
  seat.setScope({"", "natural_resources"});
  EXPECT_TRUE(seat.query({}).empty());
  EXPECT_TRUE(CaseScope({"", "natural_resources"}).admits("", "x", "a,natural_resources"));
  EXPECT_FALSE(CaseScope({"", "natural_resources"}).admits("", "natural_resourcesX", ""));
}

TEST(CaseScope, RefusesCodesThatAreNotCodes)
{
  EXPECT_THROW(CaseScope({"620902' OR '1", ""}).sqlCondition(), std::invalid_argument);
  EXPECT_THROW(CaseScope({"", "fire' OR 1=1 --"}).sqlCondition(), std::invalid_argument);
  EXPECT_EQ(CaseScope{}.sqlCondition(), "1 = 1");
}
