#include "store/cases/casestore.h"

#include <algorithm>

#include "store/postgres/pgconnection.h"
#include "store/storeerror.h"
#include "store/writer.h"
#include "../storefixture.h"
#include "pgroundtrips.h"
#include "storebackend.h"

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using A = core::CaseAction;
using S = core::CaseState;

namespace {
const core::TimePoint kMonday9 = core::beijingTime(2026, 11, 23, 9, 0); // a working Monday

std::int64_t eventCount(Database &db)
{
  return db.scalarInt("SELECT count(*) FROM case_events");
}
} // namespace

class CaseStoreTest : public StoreFixture
{
};

TEST_F(CaseStoreTest, ReportAllocatesOneNumberPerAdminCodePerDay)
{
  EXPECT_EQ(cases->report(reportCommand(kMonday9)), "620902-20261123-000001");
  EXPECT_EQ(cases->report(reportCommand(kMonday9 + std::chrono::hours(1))), "620902-20261123-000002");
  // Another district keeps its own counter; outside every grid the fallback admin code is used.
  EXPECT_EQ(cases->report(reportCommand(kMonday9, "0301", "620903001001001001")), "620903-20261123-000001");
  EXPECT_EQ(cases->report(reportCommand(kMonday9, "0301", ""), "620900"), "620900-20261123-000001");
  // The Beijing date decides the day: 23:30 +08:00 on Monday is still Monday, 00:10 is Tuesday.
  EXPECT_EQ(cases->report(reportCommand(core::beijingTime(2026, 11, 23, 23, 30))), "620902-20261123-000003");
  EXPECT_EQ(cases->report(reportCommand(core::beijingTime(2026, 11, 24, 0, 10))), "620902-20261124-000001");
}

TEST_F(CaseStoreTest, ReportWritesTheProjectionAndTheFirstEvent)
{
  const std::string number = cases->report(reportCommand(kMonday9));
  auto record = cases->find(number);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->state, S::Reported);
  EXPECT_EQ(record->category, "0301");
  EXPECT_EQ(record->gridCode, kMicroA);
  EXPECT_EQ(record->districtCode, "620902");
  EXPECT_EQ(record->townshipCode, "620902001");
  EXPECT_EQ(record->communityCode, "620902001001");
  EXPECT_EQ(record->gridLevelCode, "620902001001001");
  EXPECT_EQ(record->microGridCode, kMicroA);
  EXPECT_EQ(record->reporterName, "张三");
  EXPECT_EQ(record->title, "楼道堆放杂物");
  EXPECT_EQ(record->lastSeq, 1);
  EXPECT_EQ(record->reportedAt, kMonday9);
  // 0301 accepts within 2 working hours: deadline 11:00, yellow from 80 % (10:36).
  EXPECT_EQ(record->stage, "accept");
  ASSERT_TRUE(record->deadline);
  EXPECT_EQ(*record->deadline, core::beijingTime(2026, 11, 23, 11, 0));
  ASSERT_TRUE(record->warnAt);
  EXPECT_EQ(*record->warnAt, core::beijingTime(2026, 11, 23, 10, 36));
  EXPECT_EQ(record->light(core::beijingTime(2026, 11, 23, 10, 0)), core::TrafficLight::Green);
  EXPECT_EQ(record->light(core::beijingTime(2026, 11, 23, 10, 36)), core::TrafficLight::Yellow);
  EXPECT_EQ(record->light(core::beijingTime(2026, 11, 23, 11, 0, 1)), core::TrafficLight::Red);
  const auto events = cases->events(number);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, A::Report);
  EXPECT_EQ(events[0].to, S::Reported);
}

// On PostgreSQL every statement is a round trip, and a report's were chained: the day's counter
// gave the number, the case row needed it and gave its id, the first event needed both (its
// hash chain starts from the number). Three round trips a report besides its transaction's,
// in a console's step and in every gateway group that carries a report (issue 16's seat to
// seat bench); one statement now.
TEST_F(CaseStoreTest, AReportIsOneRoundTripOnPostgreSQL)
{
  if (!storesOnPostgres())
    GTEST_SKIP() << "round trips are PostgreSQL's";
  {
    Transaction warm(*db); // prepares the statements: not counted below
    cases->report(reportCommand(kMonday9));
    warm.commit();
  }
  gd::test::PgRoundTrips roundTrips(db->postgres()->handle());
  std::string number;
  {
    Transaction t(*db);
    number = cases->report(reportCommand(kMonday9 + std::chrono::minutes(1)));
    t.commit();
  }
  // BEGIN with the write lock; SAVEPOINT + the report; RELEASE + COMMIT.
  EXPECT_EQ(roundTrips.stop(), 3);
  EXPECT_EQ(number, "620902-20261123-000002");
  ASSERT_TRUE(cases->find(number));
  EXPECT_EQ(cases->events(number).size(), 1u);
  EXPECT_EQ(cases->verifyProjections(), std::vector<std::string>());
}

// The counter's last number of a day is refused on both backends, and the refused report
// leaves the counter as it was.
TEST_F(CaseStoreTest, TheMillionthCaseOfADayIsRefused)
{
  db->query("INSERT INTO case_number_counters (admin_code, day, last) VALUES ('620902', '2026-11-23', 999998)").run();
  EXPECT_EQ(cases->report(reportCommand(kMonday9)), "620902-20261123-999999");
  try
  {
    cases->report(reportCommand(kMonday9));
    FAIL() << "a millionth case of the day must be refused";
  }
  catch (const StoreRefusal &refusal)
  {
    EXPECT_EQ(refusal.reason(), "too_many_cases");
  }
  EXPECT_EQ(db->scalarInt("SELECT last FROM case_number_counters WHERE admin_code = '620902' AND day = '2026-11-23'"), 999999);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM cases"), 1);
  // Another admin code's counter is its own.
  EXPECT_EQ(cases->report(reportCommand(kMonday9, "0301", "620903001001001001")), "620903-20261123-000001");
}

TEST_F(CaseStoreTest, FindManyReadsEachKnownCaseOnce)
{
  const std::string first = cases->report(reportCommand(kMonday9));
  const std::string second = caseIn(S::Archived, kMonday9 + std::chrono::hours(1));
  const std::string third = cases->report(reportCommand(kMonday9 + std::chrono::hours(2), "0401"));
  EXPECT_TRUE(cases->findMany({}).empty());
  // Unknown numbers are left out, a number asked twice comes once, quotes travel as text.
  std::vector<CaseRecord> found =
    cases->findMany({third, "620902-20261123-999999", first, second, first, "a\"b\\c", "{x,y}"});
  std::sort(found.begin(), found.end(), [](const CaseRecord &a, const CaseRecord &b) { return a.number < b.number; });
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].number, first);
  EXPECT_EQ(found[1].number, second);
  EXPECT_EQ(found[2].number, third);
  // The same rows find() reads.
  for (const CaseRecord &record : found)
  {
    const auto one = cases->find(record.number);
    ASSERT_TRUE(one);
    EXPECT_EQ(record.state, one->state);
    EXPECT_EQ(record.category, one->category);
    EXPECT_EQ(record.leadDepartment, one->leadDepartment);
    EXPECT_EQ(record.reportedAt, one->reportedAt);
    EXPECT_EQ(record.deadline, one->deadline);
    EXPECT_EQ(record.point.lon, one->point.lon);
    EXPECT_EQ(record.title, one->title);
  }
  EXPECT_EQ(found[1].state, S::Archived);
  EXPECT_EQ(found[2].category, "0401");
}

TEST_F(CaseStoreTest, AppliesTheWholeLifecycle)
{
  const std::string number = caseIn(S::Archived, kMonday9);
  auto record = cases->find(number);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->state, S::Archived);
  EXPECT_EQ(record->leadDepartment, "fire");
  EXPECT_EQ(record->workerId, "worker-7");
  EXPECT_EQ(record->satisfaction, "satisfied");
  EXPECT_TRUE(record->closedAt);
  EXPECT_FALSE(record->deadline); // no clock runs on an archived case
  EXPECT_EQ(record->lastSeq, 9);
  EXPECT_EQ(cases->events(number).size(), 9u);
  auto rebuilt = cases->load(number);
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(rebuilt->state(), S::Archived);
}

TEST_F(CaseStoreTest, RefusedCommandsWriteNothing)
{
  const std::string number = caseIn(S::Assigned, kMonday9);
  const auto before = cases->find(number);
  const std::int64_t events = eventCount(*db);
  try
  {
    cases->apply(number, command(A::Close, kMonday9));
    FAIL() << "closing an assigned case must be refused";
  }
  catch (const StoreRefusal &refusal)
  {
    EXPECT_EQ(refusal.reason(), "bad_transition");
    EXPECT_NE(std::string(refusal.what()).find("feedback"), std::string::npos) << refusal.what();
  }
  EXPECT_THROW(cases->apply(number, command(A::Assign, kMonday9, {{"lead", "no_such_department"}})), StoreRefusal);
  EXPECT_THROW(cases->apply("620902-20261123-999999", command(A::Register, kMonday9)), StoreRefusal);
  EXPECT_EQ(eventCount(*db), events);
  const auto after = cases->find(number);
  EXPECT_EQ(after->state, before->state);
  EXPECT_EQ(after->lastSeq, before->lastSeq);
  EXPECT_EQ(after->updatedAt, before->updatedAt);
  // A refused report allocates no number.
  auto bad = reportCommand(kMonday9);
  bad.details.category = "3";
  EXPECT_THROW(cases->report(bad), StoreRefusal);
  EXPECT_EQ(cases->report(reportCommand(kMonday9)), "620902-20261123-000002");
}

TEST_F(CaseStoreTest, RefusalsInsideAWriterJobLeaveTheOtherJobsAlone)
{
  db.reset();
  cases.reset();
  Writer writer(store->location());
  std::string number;
  writer.run([&](Database &w) { number = CaseStore(w, *workflow, clock.get()).report(reportCommand(kMonday9)); });
  EXPECT_THROW(writer.run([&](Database &w) {
                 CaseStore(w, *workflow, clock.get()).apply(number, command(A::Close, kMonday9));
               }),
               StoreRefusal);
  writer.run([&](Database &w) { CaseStore(w, *workflow, clock.get()).apply(number, command(A::Register, kMonday9)); });
  Database reader(store->location(), Database::Mode::ReadOnly);
  CaseStore view(reader, *workflow, clock.get());
  EXPECT_EQ(view.find(number)->state, S::Registered);
  EXPECT_EQ(view.events(number).size(), 2u);
}

TEST_F(CaseStoreTest, MergeMovesTheSourceToMergedAndKeepsTheTargetsState)
{
  const std::string target = caseIn(S::Accepted, kMonday9);
  const std::string source = caseIn(S::Registered, kMonday9);
  cases->apply(source, command(A::Merge, kMonday9, {{"into", target}}));
  EXPECT_EQ(cases->find(source)->state, S::Merged);
  EXPECT_EQ(cases->find(source)->mergedInto, target);
  EXPECT_EQ(cases->find(target)->state, S::Accepted);
  EXPECT_EQ(cases->events(target).size(), 4u);
  EXPECT_THROW(cases->merge(target, target, command(A::Merge, kMonday9, {{"into", target}})), StoreRefusal);
}

TEST_F(CaseStoreTest, CaseIdsAreOneToNWhateverHappensToTheCases)
{
  // Events on a case (and a merge, and a refused command) between reports: no id is used up on
  // either backend (PostgreSQL drew one per event while the projection was an UPSERT).
  const std::string first = caseIn(S::InHandling, kMonday9);
  const std::string second = caseIn(S::Registered, kMonday9);
  EXPECT_THROW(cases->apply(second, command(A::Close, kMonday9)), StoreRefusal);
  const std::string third = caseIn(S::Archived, kMonday9 + std::chrono::hours(1));
  cases->apply(second, command(A::Merge, kMonday9, {{"into", first}}));
  caseIn(S::Reported, kMonday9 + std::chrono::hours(2));
  caseIn(S::Assigned, kMonday9 + std::chrono::hours(3));

  std::vector<std::int64_t> ids;
  auto q = db->query("SELECT id FROM cases ORDER BY id");
  while (q.step())
    ids.push_back(q->columnInt(0));
  EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(cases->find(third)->state, S::Archived);
  EXPECT_EQ(cases->find(second)->mergedInto, first);
  EXPECT_TRUE(cases->verifyProjections(10).empty());
}

TEST_F(CaseStoreTest, FiltersByEveryCriterion)
{
  const auto t0 = kMonday9;
  const std::string a = caseIn(S::Assigned, t0, "fire", kMicroA, "0301");
  const std::string b = caseIn(S::Closed, t0 + std::chrono::hours(1), "police_station", kMicroB, "0201");
  const std::string c = caseIn(S::Reported, t0 + std::chrono::hours(2), "fire", kMicroC, "0302");
  auto numbersOf = [&](const CaseFilter &f) {
    std::vector<std::string> out;
    for (const auto &r : cases->query(f))
      out.push_back(r.number);
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  CaseFilter f;
  EXPECT_EQ(numbersOf(f).size(), 3u);
  f.states = {S::Assigned, S::Reported};
  EXPECT_EQ(numbersOf(f), (V{a, c}));
  f = {};
  f.openOnly = true;
  EXPECT_EQ(numbersOf(f), (V{a, c}));
  f = {};
  f.category = "03";
  EXPECT_EQ(numbersOf(f), (V{a, c}));
  f.category = "0201";
  EXPECT_EQ(numbersOf(f), (V{b}));
  f = {};
  f.gridPrefix = "620902001001001";
  EXPECT_EQ(numbersOf(f), (V{a, b}));
  f.gridPrefix = "620902002";
  EXPECT_EQ(numbersOf(f), (V{c}));
  f = {};
  f.department = "police_station";
  EXPECT_EQ(numbersOf(f), (V{b}));
  f = {};
  f.source = "patrol";
  EXPECT_EQ(numbersOf(f).size(), 3u);
  f.source = "hotline";
  EXPECT_TRUE(numbersOf(f).empty());
  f = {};
  f.priority = core::Priority::Normal; // the reports carry no priority
  EXPECT_EQ(numbersOf(f).size(), 3u);
  f.priority = core::Priority::Emergency;
  EXPECT_TRUE(numbersOf(f).empty());
  f = {};
  f.reportedFrom = t0 + std::chrono::minutes(30);
  f.reportedTo = t0 + std::chrono::minutes(90);
  EXPECT_EQ(numbersOf(f), (V{b}));
  f = {};
  f.text = "东关";
  EXPECT_EQ(numbersOf(f).size(), 3u);
  f.text = c.substr(7);
  EXPECT_EQ(numbersOf(f), (V{c}));
  f.text = "100%_";
  EXPECT_TRUE(numbersOf(f).empty());
  // Overdue at a "now": the reported case (0302: accept within 1 natural hour) and the
  // assigned one (0301: handle within 3 working days) are overdue a week later.
  f = {};
  f.overdueAt = t0 + std::chrono::hours(24 * 7);
  EXPECT_EQ(numbersOf(f), (V{a, c}));
  f.overdueAt = t0 + std::chrono::hours(4);
  EXPECT_EQ(numbersOf(f), (V{c}));
  f.overdueAt = t0 + std::chrono::hours(24 * 7);
  f.department = "fire"; // c was never assigned, so it has no lead department yet
  EXPECT_EQ(cases->count(f), 1);
  // Limit and order: newest first.
  f = {};
  f.limit = 2;
  const auto page = cases->query(f);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].number, c);
  EXPECT_EQ(page[1].number, b);
}

TEST_F(CaseStoreTest, OverdueCountsPerGrid)
{
  const auto t0 = kMonday9;
  caseIn(S::Reported, t0, "fire", kMicroA);
  caseIn(S::Reported, t0, "fire", kMicroA);
  caseIn(S::Reported, t0, "fire", kMicroB);
  caseIn(S::Reported, t0, "fire", kMicroC);
  caseIn(S::Closed, t0, "fire", kMicroC);
  const auto now = t0 + std::chrono::hours(48);
  auto counts = cases->overdueByGrid(now, "", core::GridLevel::Township);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].gridCode, "620902001");
  EXPECT_EQ(counts[0].count, 3);
  EXPECT_EQ(counts[1].gridCode, "620902002");
  EXPECT_EQ(counts[1].count, 1);
  counts = cases->overdueByGrid(now, "620902001", core::GridLevel::MicroGrid);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].count, 2);
  EXPECT_EQ(counts[1].count, 1);
  EXPECT_TRUE(cases->overdueByGrid(t0, "", core::GridLevel::District).empty());
}

TEST_F(CaseStoreTest, ParkingStopsTheClock)
{
  const std::string number = caseIn(S::Assigned, kMonday9);
  ASSERT_TRUE(cases->find(number)->deadline);
  cases->apply(number, command(A::Park, kMonday9 + std::chrono::hours(1), nlohmann::json::object(), "等待产权单位答复"));
  EXPECT_EQ(cases->find(number)->state, S::Parked);
  EXPECT_FALSE(cases->find(number)->deadline);
  CaseFilter f;
  f.overdueAt = kMonday9 + std::chrono::hours(24 * 30);
  EXPECT_EQ(cases->count(f), 0);
}

TEST_F(CaseStoreTest, ProjectionEqualsReplayOfEvents)
{
  caseIn(S::Archived, kMonday9);
  caseIn(S::InHandling, kMonday9, "police_station", kMicroB, "0201");
  caseIn(S::Reported, kMonday9, "fire", "", "0404");
  for (const std::string &number : cases->numbers())
  {
    const auto stored = cases->find(number);
    const auto replayed = cases->project(*cases->load(number));
    EXPECT_EQ(stored->state, replayed.state) << number;
    EXPECT_EQ(stored->lastSeq, replayed.lastSeq) << number;
    EXPECT_EQ(stored->leadDepartment, replayed.leadDepartment) << number;
    EXPECT_EQ(stored->deadline, replayed.deadline) << number;
    EXPECT_EQ(stored->gridCode, replayed.gridCode) << number;
  }
}

TEST_F(CaseStoreTest, VerifyProjectionsReportsDisagreements)
{
  const std::string a = caseIn(S::InHandling, kMonday9);
  caseIn(S::Closed, kMonday9);
  EXPECT_TRUE(cases->verifyProjections().empty());
  db->query("UPDATE cases SET lead_dept = 'police', deadline = NULL WHERE number = ?").bindAll(a).run();
  const auto problems = cases->verifyProjections();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("lead department 'police'"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("deadline"), std::string::npos) << problems[1];
}

TEST_F(CaseStoreTest, CasesForAPeriodAreRebuiltFromEvents)
{
  caseIn(S::Closed, kMonday9);
  caseIn(S::Assigned, kMonday9 + std::chrono::hours(24 * 40));
  const auto list = cases->casesForPeriod(kMonday9 - std::chrono::hours(1), kMonday9 + std::chrono::hours(24));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].state(), S::Closed);
}
