// What the console's watcher reads to follow the store live: cases with new events from a
// cursor, open cases whose light changed in a span of time, new worker positions from a cursor.
#include "store/cases/changefeed.h"

#include "store/feed/positionstore.h"
#include "store/timetext.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {

const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);

class ChangeFeedTest : public test::StoreFixture
{
};

} // namespace

TEST_F(ChangeFeedTest, CasesWithNewEventsFromACursorEachOnce)
{
  ChangeFeed feed(*db);
  EXPECT_EQ(feed.newestEventId(), 0);
  std::int64_t cursor = feed.newestEventId();
  const std::string a = caseIn(core::CaseState::Assigned, kNow); // four events
  const std::string b = caseIn(core::CaseState::Reported, kNow);
  EXPECT_EQ(feed.casesChangedSince(cursor), (std::vector<std::string>{a, b}));
  EXPECT_EQ(cursor, feed.newestEventId());
  EXPECT_TRUE(feed.casesChangedSince(cursor).empty()); // nothing new: the cursor stays
  EXPECT_EQ(cursor, feed.newestEventId());
  const std::string c = caseIn(core::CaseState::Reported, kNow + std::chrono::minutes(1));
  EXPECT_EQ(feed.casesChangedSince(cursor), std::vector<std::string>{c});
}

TEST_F(ChangeFeedTest, OpenCasesWhoseLightChangedInASpan)
{
  const std::string open = caseIn(core::CaseState::Assigned, kNow);
  const auto record = cases->find(open);
  ASSERT_TRUE(record && record->deadline);
  ChangeFeed feed(*db);
  // Before its 80 % mark nothing; across its deadline it is listed; after, nothing again.
  EXPECT_TRUE(feed.lightsChangedBetween(kNow, kNow + std::chrono::seconds(1)).empty());
  EXPECT_EQ(feed.lightsChangedBetween(*record->deadline - std::chrono::seconds(1), *record->deadline),
            std::vector<std::string>{open});
  EXPECT_TRUE(feed.lightsChangedBetween(*record->deadline, *record->deadline + std::chrono::hours(1)).empty());
}

TEST_F(ChangeFeedTest, PositionsFromACursorOldestFirst)
{
  ChangeFeed feed(*db);
  std::string cursor = toDbTime(kNow);
  PositionStore positions(*db);
  positions.record({"pad-1", "worker-1", kNow + std::chrono::seconds(2), {98.52, 39.75}, std::nullopt});
  positions.record({"pad-2", "worker-2", kNow + std::chrono::seconds(1), {98.51, 39.74}, std::nullopt});
  const auto fixes = feed.positionsSince(cursor);
  ASSERT_EQ(fixes.size(), 2u);
  EXPECT_EQ(fixes[0].workerId, "worker-2");
  EXPECT_EQ(fixes[0].at, kNow + std::chrono::seconds(1));
  EXPECT_DOUBLE_EQ(fixes[1].point.lon, 98.52);
  EXPECT_EQ(cursor, toDbTime(kNow + std::chrono::seconds(2)));
  EXPECT_TRUE(feed.positionsSince(cursor).empty());
}
