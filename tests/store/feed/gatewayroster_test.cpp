#include "store/feed/gatewayroster.h"

#include "store/database.h"
#include "store/schema.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 12, 8, 9, 0);

class GatewayRosterTest : public ::testing::Test
{
  protected:
    test::TempDir dir;
    store::test::TestStore store{dir.file("g.gpkg")};
    std::unique_ptr<Database> db = Schema::openOrCreate(store.location());
    GatewayRoster roster{*db};

    GatewayBeat beat(const std::string &instance, const std::string &listen, core::TimePoint seen, std::int64_t terminals)
    {
      GatewayBeat b;
      b.instance = instance;
      b.host = "gw-" + instance;
      b.listen = listen;
      b.startedAt = seen - std::chrono::minutes(5);
      b.seenAt = seen;
      b.terminalsOnline = terminals;
      b.framesStored = 1000 * terminals;
      b.duplicates = 3;
      b.rejects = 1;
      b.storedPerSecond = 12.5;
      b.ackLagMs = 4.25;
      return b;
    }
};
} // namespace

TEST_F(GatewayRosterTest, EachGatewayKeepsOneRowWithItsLastBeat)
{
  roster.beat(beat("a", "10.0.0.1:7401", kNow - std::chrono::seconds(4), 100));
  roster.beat(beat("b", "10.0.0.2:7401", kNow - std::chrono::seconds(1), 250));
  GatewayBeat later = beat("a", "10.0.0.1:7401", kNow, 120);
  later.storeDown = true;
  roster.beat(later);

  const auto rows = roster.list();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].instance, "a");
  EXPECT_EQ(rows[0].host, "gw-a");
  EXPECT_EQ(rows[0].listen, "10.0.0.1:7401");
  EXPECT_EQ(rows[0].seenAt, kNow);
  EXPECT_EQ(rows[0].startedAt, kNow - std::chrono::minutes(5));
  EXPECT_EQ(rows[0].terminalsOnline, 120);
  EXPECT_EQ(rows[0].framesStored, 120000);
  EXPECT_EQ(rows[0].duplicates, 3);
  EXPECT_EQ(rows[0].rejects, 1);
  EXPECT_DOUBLE_EQ(rows[0].storedPerSecond, 12.5);
  EXPECT_DOUBLE_EQ(rows[0].ackLagMs, 4.25);
  EXPECT_TRUE(rows[0].storeDown);
  EXPECT_FALSE(rows[0].stoppedAt);
  EXPECT_EQ(rows[1].instance, "b");
  EXPECT_EQ(rows[1].terminalsOnline, 250);
  EXPECT_FALSE(rows[1].storeDown);
}

TEST_F(GatewayRosterTest, SilentAndStoppedGatewaysAreNotLive)
{
  roster.beat(beat("quiet", "10.0.0.1:7401", kNow - GatewayRoster::kSilentAfter - std::chrono::seconds(1), 40));
  roster.beat(beat("fresh", "10.0.0.2:7401", kNow - std::chrono::seconds(2), 60));
  roster.beat(beat("gone", "10.0.0.3:7401", kNow - std::chrono::seconds(2), 80));
  roster.stopped("gone", kNow - std::chrono::seconds(1));

  const auto rows = roster.list();
  ASSERT_EQ(rows.size(), 3u);
  // Running ones first; a stopped one serves no terminal any more.
  EXPECT_EQ(rows[2].instance, "gone");
  ASSERT_TRUE(rows[2].stoppedAt);
  EXPECT_EQ(*rows[2].stoppedAt, kNow - std::chrono::seconds(1));
  EXPECT_EQ(rows[2].terminalsOnline, 0);
  EXPECT_FALSE(GatewayRoster::isLive(rows[2], kNow));
  for (const GatewayBeat &row : rows)
  {
    if (row.instance == "quiet")
    {
      EXPECT_FALSE(GatewayRoster::isLive(row, kNow));
    }
    else if (row.instance == "fresh")
    {
      EXPECT_TRUE(GatewayRoster::isLive(row, kNow));
    }
  }
}

TEST_F(GatewayRosterTest, ForgetRemovesOnlyLongGoneGateways)
{
  roster.beat(beat("old", "10.0.0.1:7401", kNow - std::chrono::hours(25), 0));
  roster.beat(beat("recent", "10.0.0.2:7401", kNow - std::chrono::hours(23), 0));
  EXPECT_EQ(roster.forget(kNow - GatewayRoster::kForgetAfter), 1);
  const auto rows = roster.list();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].instance, "recent");
}
