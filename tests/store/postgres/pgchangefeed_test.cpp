// Live updates between seats on PostgreSQL (issue 16): the store's notification channel says
// "look" at the commit of a write by any connection, never for a rolled-back one, and a
// connection that was lost listens again after reconnecting, while its cursor catches up with
// what it missed.

#include "../storefixture.h"

#include "pgcluster.h"
#include "store/cases/changefeed.h"
#include "store/storeerror.h"

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

class PgChangeFeedTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      if (!storesOnPostgres())
        GTEST_SKIP() << "notifications are PostgreSQL's (a GeoPackage's readers poll)";
      StoreFixture::SetUp();
    }
    core::TimePoint at{std::chrono::seconds(1'796'000'000)};
};

TEST_F(PgChangeFeedTest, AWriteByAnotherSeatIsToldAtItsCommitAndARolledBackOneNever)
{
  Database watcher(store->location(), Database::Mode::ReadOnly);
  ChangeFeed feed(watcher);
  feed.listen();
  std::int64_t cursor = feed.newestEventId();
  EXPECT_FALSE(feed.waitForChange(std::chrono::milliseconds(200)));

  {
    Transaction rolledBack(*db);
    cases->report(reportCommand(at));
  }
  EXPECT_FALSE(feed.waitForChange(std::chrono::milliseconds(300))) << "a rolled-back write was told";

  Transaction tx(*db);
  const std::string number = cases->report(reportCommand(at));
  EXPECT_FALSE(feed.waitForChange(std::chrono::milliseconds(200))) << "told before the commit";
  tx.commit();
  EXPECT_TRUE(feed.waitForChange(std::chrono::seconds(5)));
  EXPECT_EQ(feed.casesChangedSince(cursor), std::vector<std::string>{number});
}

TEST_F(PgChangeFeedTest, AfterReconnectingTheCursorCatchesUpAndNotificationsComeAgain)
{
  Database watcher(store->location(), Database::Mode::ReadOnly);
  ChangeFeed feed(watcher);
  feed.listen();
  std::int64_t cursor = feed.newestEventId();
  // The watcher's connection is cut by the server (as a restart or a network cut would).
  const std::int64_t pid = watcher.scalarInt("SELECT pg_backend_pid()");
  adminSql("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  // Meanwhile another seat writes: this notification reaches nobody.
  const std::string missed = cases->report(reportCommand(at));
  EXPECT_THROW(
    {
      feed.waitForChange(std::chrono::seconds(2));
      feed.casesChangedSince(cursor);
    },
    StoreError);
  watcher.reconnect();
  EXPECT_EQ(feed.casesChangedSince(cursor), std::vector<std::string>{missed}) << "the cursor did not catch up";
  const std::string next = cases->report(reportCommand(at));
  EXPECT_TRUE(feed.waitForChange(std::chrono::seconds(5))) << "not listening again after reconnect()";
  EXPECT_EQ(feed.casesChangedSince(cursor), std::vector<std::string>{next});
}

} // namespace
