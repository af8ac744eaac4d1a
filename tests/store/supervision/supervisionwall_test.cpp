// The supervision wall on a real store file: which open cases are yellow or red at a given
// "now" (exact boundaries, a holiday run in between), filters, counts and rankings.
#include "store/supervision/supervisionwall.h"

#include "store/supervision/supervisionstore.h"
#include "../olderstore.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using A = core::CaseAction;

namespace {

core::TimePoint bj(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0)
{
  return core::beijingTime(y, m, d, h, min, s);
}

class SupervisionWallTest : public StoreFixture
{
  protected:
    //! Reports, registers, accepts and assigns a case at \a assignedAt (earlier steps 50 minutes before).
    std::string assigned(core::TimePoint assignedAt, const std::string &lead = "fire", const std::string &grid = kMicroA,
                         const std::string &category = "0301")
    {
      const std::string number = cases->report(reportCommand(assignedAt - std::chrono::minutes(60), category, grid));
      cases->apply(number, command(A::Register, assignedAt - std::chrono::minutes(50)));
      cases->apply(number, command(A::Accept, assignedAt - std::chrono::minutes(40)));
      cases->apply(number, command(A::Assign, assignedAt, {{"lead", lead}, {"worker", "worker-7"}}));
      return number;
    }
};

} // namespace

// 0301 (handle 3wd) assigned Wednesday 2026-09-30 10:00, before the National Day holidays
// (10-01 … 10-07, 10-10 a 调休 working Saturday): deadline 10-10 18:00, 80 % at 10-10 10:12:00.
TEST_F(SupervisionWallTest, YellowExactlyAtEightyPercentAndRedOneSecondAfterTheDeadlineAcrossAHoliday)
{
  const std::string number = assigned(bj(2026, 9, 30, 10));
  const auto record = cases->find(number);
  ASSERT_TRUE(record->deadline && record->warnAt);
  EXPECT_EQ(*record->deadline, bj(2026, 10, 10, 18));
  EXPECT_EQ(*record->warnAt, bj(2026, 10, 10, 10, 12));

  SupervisionWall wall(*db);
  const core::Case replayed = *cases->load(number);
  const auto onWall = [&](core::TimePoint now) -> std::optional<WallCase> {
    const auto list = wall.cases(now);
    // The wall says what the SLA clock says, at every instant tested.
    const core::TrafficLight light = clock->light(replayed, now);
    EXPECT_EQ(list.empty(), light == core::TrafficLight::Green) << core::formatRfc3339(now);
    if (list.empty())
      return std::nullopt;
    EXPECT_EQ(list.front().light, light) << core::formatRfc3339(now);
    return list.front();
  };

  EXPECT_FALSE(onWall(bj(2026, 10, 3, 12)));          // the clock stands still over the holiday
  EXPECT_FALSE(onWall(bj(2026, 10, 10, 10, 11, 59))); // one second before 80 %
  const auto yellow = onWall(bj(2026, 10, 10, 10, 12));
  ASSERT_TRUE(yellow);
  EXPECT_EQ(yellow->light, core::TrafficLight::Yellow);
  EXPECT_EQ(yellow->record.number, number);
  EXPECT_EQ(yellow->untilDeadline, std::chrono::hours(7) + std::chrono::minutes(48));
  const auto atDeadline = onWall(bj(2026, 10, 10, 18));
  ASSERT_TRUE(atDeadline);
  EXPECT_EQ(atDeadline->light, core::TrafficLight::Yellow);
  EXPECT_EQ(atDeadline->untilDeadline, std::chrono::seconds(0));
  const auto red = onWall(bj(2026, 10, 10, 18, 0, 1));
  ASSERT_TRUE(red);
  EXPECT_EQ(red->light, core::TrafficLight::Red);
  EXPECT_EQ(red->untilDeadline, std::chrono::seconds(-1));

  EXPECT_EQ(wall.counts(bj(2026, 10, 10, 18)).yellow, 1);
  EXPECT_EQ(wall.counts(bj(2026, 10, 10, 18)).overdue, 0);
  EXPECT_EQ(wall.counts(bj(2026, 10, 10, 18, 0, 1)).overdue, 1);
  EXPECT_EQ(wall.counts(bj(2026, 10, 10, 18, 0, 1)).yellow, 0);

  // Feedback takes it off the handle clock; the visit stage starts green.
  cases->apply(number, command(A::StartHandling, bj(2026, 10, 12, 9)));
  cases->apply(number, command(A::Feedback, bj(2026, 10, 12, 10)));
  EXPECT_TRUE(wall.cases(bj(2026, 10, 12, 10)).empty());
}

TEST_F(SupervisionWallTest, ScopesOrderCountsAndTheLatestSupervision)
{
  const core::TimePoint now = bj(2026, 11, 25, 10);
  // Two overdue (assigned the week before), one yellow, one green, in two townships and departments.
  const std::string oldest = assigned(bj(2026, 11, 16, 9), "fire", kMicroA);
  const std::string overdueC = assigned(bj(2026, 11, 17, 9), "housing", kMicroC, "0304");
  // 0301 assigned Friday 11-20 09:00: 3wd -> Wednesday 11-25 18:00; 80 % of its 27.5 working
  // hours is used at 11-25 10:00 exactly.
  const std::string yellow = assigned(bj(2026, 11, 20, 9), "fire", kMicroB);
  const std::string green = assigned(bj(2026, 11, 25, 9), "fire", kMicroA);
  SupervisionWall wall(*db);
  ASSERT_EQ(wall.cases(now).size(), 3u);
  const auto all = wall.cases(now);
  EXPECT_EQ(all[0].record.number, oldest); // most overdue first
  EXPECT_EQ(all[0].light, core::TrafficLight::Red);
  EXPECT_EQ(all[1].record.number, overdueC);
  EXPECT_EQ(all[2].record.number, yellow);
  EXPECT_EQ(all[2].light, core::TrafficLight::Yellow);
  EXPECT_EQ(wall.counts(now).overdue, 2);
  EXPECT_EQ(wall.counts(now).yellow, 1);

  WallScope township;
  township.gridPrefix = "620902001"; // kMicroA and kMicroB
  EXPECT_EQ(wall.cases(now, township).size(), 2u);
  EXPECT_EQ(wall.counts(now, township).overdue, 1);
  WallScope microB;
  microB.gridPrefix = kMicroB;
  ASSERT_EQ(wall.cases(now, microB).size(), 1u);
  EXPECT_EQ(wall.cases(now, microB)[0].record.number, yellow);
  WallScope housing;
  housing.department = "housing";
  ASSERT_EQ(wall.cases(now, housing).size(), 1u);
  EXPECT_EQ(wall.cases(now, housing)[0].record.number, overdueC);
  WallScope red;
  red.overdueOnly = true;
  EXPECT_EQ(wall.cases(now, red).size(), 2u);
  EXPECT_EQ(wall.counts(now, red).yellow, 0);
  WallScope page;
  page.limit = 1;
  page.offset = 1;
  ASSERT_EQ(wall.cases(now, page).size(), 1u);
  EXPECT_EQ(wall.cases(now, page)[0].record.number, overdueC);

  const auto byDepartment = wall.overdueByDepartment(now);
  ASSERT_EQ(byDepartment.size(), 2u);
  EXPECT_EQ(byDepartment[0].overdue, 1);
  EXPECT_EQ(wall.overdueByDepartment(now, "620902002").size(), 1u);

  // The wall shows the newest supervision of a case.
  SupervisionStore supervision(*db, *workflow, clock.get());
  UrgeRequest urge{{oldest}, SupervisionKind::Urge, "督办科 李四", "请今日反馈", now + std::chrono::hours(6), now};
  ASSERT_TRUE(supervision.urge(urge)[0].done);
  urge.opinion = "再次催办";
  urge.now = now + std::chrono::minutes(5);
  ASSERT_TRUE(supervision.urge(urge)[0].done);
  const auto first = wall.cases(now + std::chrono::minutes(6)).front();
  EXPECT_EQ(first.supervisionCount, 2);
  ASSERT_TRUE(first.lastSupervision);
  EXPECT_EQ(first.lastSupervision->opinion, "再次催办");
  EXPECT_EQ(first.lastSupervision->actor, "督办科 李四");
  EXPECT_EQ(*first.lastSupervision->deadline, now + std::chrono::hours(6));
  EXPECT_EQ(first.record.urgeCount, 2);
  (void)green;
}

TEST_F(SupervisionWallTest, CategoriesFilterByCodeOrFamily)
{
  // The categories travel as one JSON array parameter (json_each on SQLite,
  // json_array_elements_text on PostgreSQL); a code matches itself, a family its codes.
  const core::TimePoint now = bj(2026, 11, 25, 10);
  const std::string clutter = assigned(bj(2026, 11, 16, 9), "fire", kMicroA, "0301");
  const std::string housing = assigned(bj(2026, 11, 17, 9), "housing", kMicroC, "0304");
  const std::string other = assigned(bj(2026, 11, 18, 9), "fire", kMicroB, "0601");
  SupervisionWall wall(*db);
  const auto numbers = [&](std::vector<std::string> categories) {
    WallScope scope;
    scope.categories = std::move(categories);
    std::vector<std::string> out;
    for (const WallCase &c : wall.cases(now, scope))
      out.push_back(c.record.number);
    std::sort(out.begin(), out.end()); // by number: the order is another test's
    return out;
  };
  EXPECT_EQ(numbers({}), (std::vector<std::string>{clutter, housing, other}));
  EXPECT_EQ(numbers({"0301"}), std::vector<std::string>{clutter});
  EXPECT_EQ(numbers({"03"}), (std::vector<std::string>{clutter, housing}));
  EXPECT_EQ(numbers({"0304", "06"}), (std::vector<std::string>{housing, other}));
  EXPECT_TRUE(numbers({"99"}).empty());
}

TEST_F(SupervisionWallTest, TheWallReadsTheOpenCasesIndexByWarnAt)
{
  if (storesOnPostgres())
  {
    // PostgreSQL's planner picks by statistics (a handful of rows here: a table scan), so it is
    // asked for an index: the wall's query can use the partial index over open cases by warn_at
    // (its predicate matches the index's).
    db->exec("SET enable_seqscan = off");
    auto q = db->query("EXPLAIN SELECT count(*), coalesce(sum(CASE WHEN deadline < ?4 THEN 1 ELSE 0 END), 0) FROM cases "
                       "WHERE is_open = 1 AND warn_at <= ?4 AND (?1 = '' OR (grid_code >= ?1 AND grid_code < ?2)) "
                       "AND (?3 = '' OR lead_dept = ?3) AND (?5 = 0 OR deadline < ?4)");
    q->bindFrom(1, std::string("620902001"), std::string("620902002"), std::string(), std::string("2026-11-23T01:00:00Z"), 0);
    std::string plan;
    while (q.step())
      plan += q->columnText(0) + "\n";
    db->exec("RESET enable_seqscan");
    EXPECT_NE(plan.find("cases_open_warn"), std::string::npos) << plan;
    const auto t = core::beijingTime(2026, 11, 23, 9);
    caseIn(core::CaseState::Assigned, t);
    EXPECT_EQ(SupervisionWall(*db).counts(t + std::chrono::hours(200)).overdue, 1);
    return;
  }
  // EXPLAIN QUERY PLAN of the wall's query: the partial index, not a table scan.
  // The wall names its index (a typo or a changed predicate would fail here, not in production);
  // the plan reads a range of it and filters the scope inside it.
  auto q = db->query("EXPLAIN QUERY PLAN SELECT count(*), coalesce(sum(deadline < ?4), 0) FROM cases "
                     "INDEXED BY cases_open_warn WHERE is_open = 1 "
                     "AND warn_at <= ?4 AND (?1 = '' OR (grid_code >= ?1 AND grid_code < ?2)) "
                     "AND (?3 = '' OR lead_dept = ?3) AND (?5 = 0 OR deadline < ?4)");
  std::string plan;
  while (q.step())
    plan += q->columnText(3) + "\n";
  EXPECT_NE(plan.find("INDEX cases_open_warn (warn_at<?)"), std::string::npos) << plan;
  const auto t = core::beijingTime(2026, 11, 23, 9);
  caseIn(core::CaseState::Assigned, t);
  EXPECT_EQ(SupervisionWall(*db).counts(t + std::chrono::hours(200)).overdue, 1);
}

TEST_F(SupervisionWallTest, RankingsOfDepartmentsAndTownshipsOverAPeriod)
{
  // November 2026. fire: one case fed back in time, one never (overdue at the period end);
  // housing (0304, handle 5wd): one fed back in time. The finished ones are closed and visited,
  // so no later stage runs late.
  const auto finish = [&](const std::string &number, core::TimePoint feedback) {
    cases->apply(number, command(A::StartHandling, feedback - std::chrono::hours(1)));
    cases->apply(number, command(A::Feedback, feedback));
    cases->apply(number, command(A::Close, feedback + std::chrono::hours(1)));
    cases->apply(number, command(A::Visit, feedback + std::chrono::hours(2), {{"satisfaction", "satisfied"}}));
  };
  finish(assigned(bj(2026, 11, 2, 9), "fire", kMicroA), bj(2026, 11, 4, 10));
  assigned(bj(2026, 11, 2, 9), "fire", kMicroB);
  finish(assigned(bj(2026, 11, 2, 9), "housing", kMicroC, "0304"), bj(2026, 11, 3, 10));

  const core::KpiCalculator kpi(config->catalog, config->calendar, config->kpi);
  SupervisionWall wall(*db);
  const auto departments = wall.ranking(kpi, RankingBy::Department, bj(2026, 11, 1, 0), bj(2026, 12, 1, 0));
  ASSERT_EQ(departments.size(), 2u);
  EXPECT_EQ(departments[0].key, "fire");
  EXPECT_EQ(departments[0].overdue, 1);
  EXPECT_EQ(departments[0].onTimeRate.numerator, 1);
  EXPECT_EQ(departments[0].onTimeRate.denominator, 2);
  EXPECT_EQ(departments[0].received, 2);
  EXPECT_EQ(departments[1].key, "housing");
  EXPECT_EQ(departments[1].overdue, 0);
  EXPECT_DOUBLE_EQ(*departments[1].onTimeRate.value(), 1.0);

  const auto townships = wall.ranking(kpi, RankingBy::Township, bj(2026, 11, 1, 0), bj(2026, 12, 1, 0));
  ASSERT_EQ(townships.size(), 2u);
  EXPECT_EQ(townships[0].key, "620902001");
  EXPECT_EQ(townships[0].overdue, 1);
  EXPECT_EQ(townships[1].key, "620902002");

  // The same numbers as a KPI report of one department over the same period.
  const auto report = kpi.compute(cases->casesForPeriod(bj(2026, 11, 1, 0), bj(2026, 12, 1, 0)), bj(2026, 11, 1, 0),
                                  bj(2026, 12, 1, 0), core::KpiScope{std::nullopt, "fire"});
  EXPECT_EQ(report.overdue, departments[0].overdue);
  EXPECT_EQ(report.onTimeRate.numerator, departments[0].onTimeRate.numerator);

  // Townships of one department; departments of one township.
  const auto fireTownships =
    wall.ranking(kpi, RankingBy::Township, bj(2026, 11, 1, 0), bj(2026, 12, 1, 0), std::string(), "fire");
  ASSERT_EQ(fireTownships.size(), 1u);
  EXPECT_EQ(fireTownships[0].key, "620902001");
  EXPECT_EQ(wall.ranking(kpi, RankingBy::Department, bj(2026, 11, 1, 0), bj(2026, 12, 1, 0), "620902002").size(), 1u);
}

TEST(SupervisionWallMigration, ARevisionFourStoreGetsTheWallAndKeepsItsCases)
{
  if (storesOnPostgres())
    GTEST_SKIP() << "older revisions exist only as GeoPackage files; a PostgreSQL store starts at revision 11";
  TempDir dir;
  const auto config = ConfigDirectory::load(std::filesystem::path(GD_SOURCE_DIR) / "resources" / "config");
  const core::Workflow workflow(&config->departments);
  const core::SlaClock clock(config->catalog, config->calendar);
  std::string number;
  {
    // The case is written by today's CaseStore and copied into a store at revision 4.
    auto db = Schema::openOrCreate(dir.file("new.gpkg"));
    CaseStore cases(*db, workflow, &clock);
    core::CaseCommand report{A::Report, "op", bj(2026, 11, 2, 8), "",
                             {.category = "0301", .lon = 98.51, .lat = 39.74, .grid = kMicroA}};
    number = cases.report(report);
  }
  makeOlderStore(dir.file("new.gpkg"), dir.file("old.gpkg"), 4);
  auto db = Schema::open(dir.file("old.gpkg"));
  EXPECT_EQ(Schema::revision(*db), Schema::kRevision);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'cases_open_warn'"), 1);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM gpkg_contents WHERE table_name = 'emergencies'"), 1);
  const auto list = SupervisionWall(*db).cases(bj(2026, 11, 3, 9));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].record.number, number);
  EXPECT_EQ(list[0].light, core::TrafficLight::Red);
}
