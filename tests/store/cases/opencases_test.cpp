// The open cases as the console first reads them: per-网格 counts (open, overdue, new since an
// instant) and every open case split into alerts and others, with the newest event id of the
// same snapshot, on a real store file.
#include "store/cases/opencases.h"

#include "store/cases/changefeed.h"
#include "store/timetext.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

using namespace gd;
using namespace gd::store;

namespace {

const core::TimePoint kT0 = core::beijingTime(2026, 11, 23, 9, 0);

class OpenCaseReaderTest : public test::StoreFixture
{
  protected:
    std::string emergencyIn(const std::string &grid, core::TimePoint at)
    {
      core::CaseCommand report = reportCommand(at, "0301", grid);
      report.details.priority = core::Priority::Emergency;
      return cases->report(report);
    }

    static std::vector<std::string> numbersOf(const std::vector<CaseRecord> &records)
    {
      std::vector<std::string> numbers;
      for (const CaseRecord &record : records)
        numbers.push_back(record.number);
      return numbers;
    }

    //! \a numbers in the order of the partial index over open cases: state text, report time, id.
    std::vector<std::string> inIndexOrder(std::vector<std::string> numbers)
    {
      std::vector<std::tuple<std::string, core::TimePoint, std::int64_t, std::string>> keyed;
      for (const std::string &number : numbers)
      {
        const auto record = cases->find(number);
        keyed.emplace_back(std::string(core::caseStateName(record->state)), record->reportedAt, record->id, number);
      }
      std::sort(keyed.begin(), keyed.end());
      numbers.clear();
      for (const auto &key : keyed)
        numbers.push_back(std::get<3>(key));
      return numbers;
    }
};

} // namespace

TEST_F(OpenCaseReaderTest, EmptyStoreReadsNothing)
{
  OpenCaseReader reader(*db);
  const OpenCaseSnapshot snapshot = reader.read(kT0);
  EXPECT_EQ(snapshot.newestEventId, 0);
  EXPECT_TRUE(snapshot.alerts.empty());
  EXPECT_TRUE(snapshot.others.empty());
  EXPECT_TRUE(reader.countsPerGrid(kT0, kT0).empty());
}

TEST_F(OpenCaseReaderTest, EveryOpenCaseOnceSplitIntoAlertsAndOthersInIndexOrder)
{
  // Reported an hour apart, in states that do not follow report time, so the index order
  // (state first) differs from both report and id order.
  std::vector<std::string> open;
  open.push_back(caseIn(core::CaseState::Assigned, kT0));
  open.push_back(caseIn(core::CaseState::Reported, kT0 + std::chrono::hours(1)));
  open.push_back(caseIn(core::CaseState::Accepted, kT0 + std::chrono::hours(2), "fire", test::kMicroB));
  open.push_back(caseIn(core::CaseState::Reported, kT0 - std::chrono::hours(1), "fire", test::kMicroC));
  open.push_back(caseIn(core::CaseState::InHandling, kT0 + std::chrono::hours(3)));
  const std::string closed = caseIn(core::CaseState::Closed, kT0);
  const std::string emergency = emergencyIn(test::kMicroB, kT0 + std::chrono::hours(4));

  // Alerts are the cases red at the instant asked for and the emergencies; each list keeps
  // the index order. Checked at two instants: a few reports already red, and all past due.
  std::vector<std::string> all = open;
  all.push_back(emergency);
  for (const core::TimePoint now : {kT0 + std::chrono::hours(4), kT0 + std::chrono::hours(24 * 30)})
  {
    std::vector<std::string> alerts;
    std::vector<std::string> others;
    for (const std::string &number : inIndexOrder(all))
    {
      const auto record = cases->find(number);
      const bool alert = record->light(now) == core::TrafficLight::Red || record->priority == core::Priority::Emergency;
      (alert ? alerts : others).push_back(number);
    }
    const OpenCaseSnapshot snapshot = OpenCaseReader(*db).read(now);
    EXPECT_EQ(numbersOf(snapshot.alerts), alerts);
    EXPECT_EQ(numbersOf(snapshot.others), others);
    EXPECT_EQ(snapshot.alerts.size() + snapshot.others.size(), open.size() + 1); // the closed case is not read
    EXPECT_NE(std::find(alerts.begin(), alerts.end(), emergency), alerts.end());
  }
  EXPECT_NE(inIndexOrder(open), open); // the order is the index's, not the report's
  // Between the two instants cases went red: the split follows the instant asked for.
  EXPECT_LT(OpenCaseReader(*db).read(kT0 + std::chrono::hours(4)).alerts.size(),
            OpenCaseReader(*db).read(kT0 + std::chrono::hours(24 * 30)).alerts.size());
  for (const CaseRecord &record : OpenCaseReader(*db).read(kT0).others)
    EXPECT_NE(record.number, closed);
}

TEST_F(OpenCaseReaderTest, RecordsCarryWhatAPinAndAQueueRowShow)
{
  const std::string number = caseIn(core::CaseState::Assigned, kT0, "fire", test::kMicroB);
  const CaseRecord stored = *cases->find(number);
  const OpenCaseSnapshot snapshot = OpenCaseReader(*db).read(kT0);
  ASSERT_EQ(snapshot.others.size(), 1u);
  const CaseRecord &read = snapshot.others.front();
  EXPECT_EQ(read.number, stored.number);
  EXPECT_EQ(read.category, stored.category);
  EXPECT_EQ(read.state, core::CaseState::Assigned);
  EXPECT_EQ(read.priority, stored.priority);
  EXPECT_EQ(read.source, "patrol");
  EXPECT_EQ(read.title, stored.title);
  EXPECT_EQ(read.address, "肃州区 东关街 12号");
  EXPECT_DOUBLE_EQ(read.point.lon, stored.point.lon);
  EXPECT_DOUBLE_EQ(read.point.lat, stored.point.lat);
  EXPECT_EQ(read.gridCode, test::kMicroB);
  EXPECT_EQ(read.gridLevelCode, stored.gridLevelCode);
  EXPECT_EQ(read.leadDepartment, "fire");
  EXPECT_EQ(read.reportedAt, kT0);
  ASSERT_TRUE(stored.deadline && stored.warnAt);
  EXPECT_EQ(read.deadline, stored.deadline);
  EXPECT_EQ(read.warnAt, stored.warnAt);
  EXPECT_EQ(read.light(*stored.deadline + std::chrono::seconds(1)), core::TrafficLight::Red);
  // Only those: the rest of the record is not read.
  EXPECT_TRUE(read.description.empty());
  EXPECT_TRUE(read.reporterName.empty());
  EXPECT_TRUE(read.workerId.empty());
}

TEST_F(OpenCaseReaderTest, TheEventIdIsTheSnapshotsSoAWatcherStartingThereMissesNothing)
{
  caseIn(core::CaseState::Assigned, kT0);
  const OpenCaseSnapshot before = OpenCaseReader(*db).read(kT0);
  EXPECT_EQ(before.newestEventId, ChangeFeed(*db).newestEventId());
  EXPECT_GT(before.newestEventId, 0);

  // A reader on its own read-only connection holds its snapshot while another writes.
  Database reader(store->location(), Database::Mode::ReadOnly);
  Transaction held(reader, Transaction::Kind::Deferred);
  const std::size_t openBefore = OpenCaseReader(reader).read(kT0).others.size(); // runs in the caller's transaction
  const std::string late = caseIn(core::CaseState::Reported, kT0 + std::chrono::minutes(1));
  const OpenCaseSnapshot stale = OpenCaseReader(reader).read(kT0);
  EXPECT_EQ(stale.others.size(), openBefore);
  EXPECT_EQ(stale.newestEventId, before.newestEventId);
  held.commit();

  const OpenCaseSnapshot after = OpenCaseReader(reader).read(kT0);
  EXPECT_EQ(after.others.size(), openBefore + 1);
  std::int64_t cursor = before.newestEventId;
  EXPECT_EQ(ChangeFeed(*db).casesChangedSince(cursor), std::vector<std::string>{late});
  EXPECT_EQ(cursor, after.newestEventId);
}

TEST_F(OpenCaseReaderTest, CountsPerGridOpenOverdueAndNewInGridOrder)
{
  const std::string gridA = std::string(test::kMicroA).substr(0, 15); // kMicroA and kMicroB share it
  const std::string gridC = std::string(test::kMicroC).substr(0, 15);
  const std::string early = caseIn(core::CaseState::Assigned, kT0 - std::chrono::hours(48), "fire", test::kMicroC);
  std::vector<std::string> inA;
  inA.push_back(caseIn(core::CaseState::Accepted, kT0, "fire", test::kMicroB));
  inA.push_back(caseIn(core::CaseState::Reported, kT0 + std::chrono::hours(1), "fire", test::kMicroA));
  caseIn(core::CaseState::Closed, kT0, "fire", test::kMicroA); // not open: not counted
  caseIn(core::CaseState::Reported, kT0, "fire", "620902001");  // no 网格 in its code: not counted

  const core::TimePoint deadline = *cases->find(early)->deadline;
  const core::TimePoint now = deadline + std::chrono::seconds(1);
  int overdueInA = 0;
  for (const std::string &number : inA)
    if (const auto record = cases->find(number); record->deadline && *record->deadline < now)
      ++overdueInA;
  const auto counts = OpenCaseReader(*db).countsPerGrid(now, kT0);
  ASSERT_EQ(counts.size(), 2u);
  EXPECT_EQ(counts[0].grid, gridA);
  EXPECT_EQ(counts[0].open, 2);
  EXPECT_EQ(counts[0].overdue, overdueInA);
  EXPECT_EQ(counts[0].newToday, 2);
  EXPECT_EQ(counts[1].grid, gridC);
  EXPECT_EQ(counts[1].open, 1);
  EXPECT_EQ(counts[1].overdue, 1);
  EXPECT_EQ(counts[1].newToday, 0);
  // Overdue is "deadline before now": not yet at the deadline itself.
  EXPECT_EQ(OpenCaseReader(*db).countsPerGrid(deadline, kT0)[1].overdue, 0);
}
