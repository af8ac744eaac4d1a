#include "store/feed/positionstore.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/schema.h"
#include "../tempdir.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);
}

TEST(PositionStoreTest, KeepsTheTrackAndTheNewestFixPerWorker)
{
  test::TempDir dir;
  auto db = Schema::openOrCreate(dir.file("p.gpkg"));
  PositionStore positions(*db);
  positions.record({"pad-1", "w1", kNow, {98.50, 39.70}, 8.0});
  positions.record({"pad-1", "w1", kNow + std::chrono::minutes(1), {98.51, 39.71}, std::nullopt});
  positions.record({"pad-1", "w1", kNow - std::chrono::minutes(5), {98.40, 39.60}, 20.0}); // late, older fix
  positions.record({"pad-2", "w2", kNow, {98.60, 39.80}, 5.0});
  const auto latest = positions.latest();
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].workerId, "w1");
  EXPECT_EQ(latest[0].at, kNow + std::chrono::minutes(1));
  EXPECT_DOUBLE_EQ(latest[0].point.lon, 98.51);
  EXPECT_FALSE(latest[0].accuracyM);
  const auto track = positions.track("w1", kNow - std::chrono::hours(1), kNow + std::chrono::hours(1));
  ASSERT_EQ(track.size(), 3u);
  EXPECT_EQ(track[0].at, kNow - std::chrono::minutes(5));
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_worker_positions_geom"), 2);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_worker_positions_geom WHERE abs(minx - 98.51) < 1e-4"), 1);
  // The geometry column holds the same point as GeoPackageBinary.
  auto q = db->query("SELECT geom FROM worker_positions WHERE worker_id = 'w2'");
  ASSERT_TRUE(q.step());
  const auto point = geopackage::decodePoint(q->columnBlob(0));
  ASSERT_TRUE(point);
  EXPECT_DOUBLE_EQ(point->lat, 39.80);
}
