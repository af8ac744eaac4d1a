#include "store/feed/positionstore.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/schema.h"
#include "store/timetext.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);
}

TEST(PositionStoreTest, KeepsTheTrackAndTheNewestFixPerWorker)
{
  test::TempDir dir;
  store::test::TestStore store(dir.file("p.gpkg"));
  auto db = Schema::openOrCreate(store.location());
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
  // The spatial index follows the latest positions (GeoPackage R-tree; PostGIS GiST).
  if (store::test::storesOnPostgres())
  {
    EXPECT_EQ(db->scalarInt("SELECT count(*) FROM worker_positions WHERE geom && ST_MakeEnvelope(98, 39, 99, 40, 4490)"), 2);
    EXPECT_EQ(db->scalarInt("SELECT count(*) FROM worker_positions "
                            "WHERE geom && ST_MakeEnvelope(98.5099, 39.7099, 98.5101, 39.7101, 4490)"),
              1);
  }
  else
  {
    EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_worker_positions_geom"), 2);
    EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_worker_positions_geom WHERE abs(minx - 98.51) < 1e-4"), 1);
  }
  // The geometry column holds the same point as GeoPackageBinary.
  auto q = db->query("SELECT geom FROM worker_positions WHERE worker_id = 'w2'");
  ASSERT_TRUE(q.step());
  const auto point = geopackage::decodePoint(q->columnBlob(0));
  ASSERT_TRUE(point);
  EXPECT_DOUBLE_EQ(point->lat, 39.80);
}

// The gateway's write path (recordTracks): many fixes in few statements (on PostgreSQL one,
// its rows as arrays): every fix stored as given, in its order, the ids rising with it, and the
// last id returned (what the published mark moves to).
TEST(PositionStoreTest, RecordTracksStoresEveryFixInItsOrderAndReturnsTheLastId)
{
  test::TempDir dir;
  store::test::TestStore store(dir.file("p.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  PositionStore positions(*db);
  EXPECT_EQ(positions.recordTracks(nullptr, 0), 0);
  // Texts an array literal must quote; more rows than one multi-row INSERT of SQLite's path.
  const std::vector<std::string> workers = {"w1", "网格员 \"甲\"", "w\\2,{x}", "NULL", ""};
  std::vector<TrackPoint> fixes;
  for (int i = 0; i < 37; ++i)
  {
    TrackPoint p;
    p.deviceId = "pad-1";
    p.workerId = workers[static_cast<std::size_t>(i) % workers.size()];
    p.at = kNow + std::chrono::seconds(i);
    p.point = {98.5 + i * 1e-7, 39.7 - i / 3.0};
    if (i % 3 != 0)
      p.accuracyM = 0.1 * i;
    p.seq = i % 4 == 0 ? 0 : i; // 0 is stored as NULL
    fixes.push_back(p);
  }
  const std::int64_t last = positions.recordTracks(fixes.data(), fixes.size());
  EXPECT_EQ(last, db->scalarInt("SELECT max(id) FROM positions"));
  auto q = db->query("SELECT device_id, worker_id, at, lon, lat, accuracy_m, seq, geom, id FROM positions ORDER BY id");
  std::size_t i = 0;
  std::int64_t previous = 0;
  for (; q.step(); ++i)
  {
    ASSERT_LT(i, fixes.size());
    const TrackPoint &p = fixes[i];
    EXPECT_EQ(q->columnText(0), p.deviceId);
    EXPECT_EQ(q->columnText(1), p.workerId) << i;
    EXPECT_EQ(q->columnText(2), store::toDbTime(p.at));
    EXPECT_EQ(q->columnDouble(3), p.point.lon) << "exact, not rounded: " << i;
    EXPECT_EQ(q->columnDouble(4), p.point.lat) << i;
    if (p.accuracyM)
      EXPECT_EQ(q->columnDouble(5), *p.accuracyM) << i;
    else
      EXPECT_TRUE(q->isNull(5)) << i;
    if (p.seq > 0)
      EXPECT_EQ(q->columnInt(6), p.seq);
    else
      EXPECT_TRUE(q->isNull(6)) << i;
    const auto point = geopackage::decodePoint(q->columnBlob(7));
    ASSERT_TRUE(point) << i;
    EXPECT_EQ(point->lon, p.point.lon);
    EXPECT_EQ(point->lat, p.point.lat);
    EXPECT_GT(q->columnInt(8), previous);
    previous = q->columnInt(8);
  }
  EXPECT_EQ(i, fixes.size());
  EXPECT_EQ(previous, last);
  // The track reads them back per worker (a name with quotes and backslashes too).
  EXPECT_EQ(positions.track("w\\2,{x}", kNow, kNow + std::chrono::hours(1)).size(), 7u);
  // The next call's ids follow.
  EXPECT_GT(positions.recordTracks(fixes.data(), 1), last);
}

// The gateway's publication: many workers' latest fixes in one call (one UPSERT on PostgreSQL),
// each moving only a position that is not newer.
TEST(PositionStoreTest, UpdatingManyLatestFixesKeepsEachWorkersNewest)
{
  test::TempDir dir;
  store::test::TestStore store(dir.file("p.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  PositionStore positions(*db);
  positions.updateLatest(PositionFix{"pad-1", "w1", kNow, {98.50, 39.70}, 8.0});
  positions.updateLatest(PositionFix{"pad-2", "w2", kNow, {98.60, 39.80}, 5.0});
  positions.updateLatest(std::vector<PositionFix>{
    {"pad-1", "w1", kNow + std::chrono::minutes(1), {98.51, 39.71}, std::nullopt}, // newer: moves
    {"pad-2", "w2", kNow - std::chrono::minutes(1), {98.00, 39.00}, 1.0},          // older: stays
    {"pad-3", "w\"3", kNow, {98.70, 39.90}, 2.5}});                                // new worker
  positions.updateLatest(std::vector<PositionFix>{});
  const auto latest = positions.latest();
  ASSERT_EQ(latest.size(), 3u);
  EXPECT_EQ(latest[0].workerId, "w\"3");
  EXPECT_EQ(latest[0].accuracyM, 2.5);
  EXPECT_EQ(latest[1].workerId, "w1");
  EXPECT_EQ(latest[1].at, kNow + std::chrono::minutes(1));
  EXPECT_EQ(latest[1].point.lon, 98.51);
  EXPECT_FALSE(latest[1].accuracyM);
  EXPECT_EQ(latest[2].workerId, "w2");
  EXPECT_EQ(latest[2].at, kNow);
  EXPECT_EQ(latest[2].point.lon, 98.60);
  auto q = db->query("SELECT geom FROM worker_positions WHERE worker_id = 'w1'");
  ASSERT_TRUE(q.step());
  const auto point = geopackage::decodePoint(q->columnBlob(0));
  ASSERT_TRUE(point);
  EXPECT_EQ(point->lat, 39.71);
}
