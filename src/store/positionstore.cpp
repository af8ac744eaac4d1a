#include "store/positionstore.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/timetext.h"

namespace gd::store {

namespace {
PositionFix readFix(Statement &s)
{
  PositionFix f;
  f.deviceId = s.columnText(0);
  f.workerId = s.columnText(1);
  f.at = fromDbTime(s.columnText(2)).value_or(core::TimePoint{});
  f.point = {s.columnDouble(3), s.columnDouble(4)};
  if (!s.isNull(5))
    f.accuracyM = s.columnDouble(5);
  return f;
}
} // namespace

PositionStore::PositionStore(Database &db)
  : mDb(db)
{}

void PositionStore::record(const PositionFix &fix)
{
  recordTrack(fix);
  updateLatest(fix);
}

void PositionStore::recordTrack(const PositionFix &fix)
{
  auto q = mDb.query("INSERT INTO positions (geom, device_id, worker_id, at, lon, lat, accuracy_m) VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->bindBlob(1, geopackage::encodePoint(fix.point));
  q->bind(2, fix.deviceId).bind(3, fix.workerId).bind(4, toDbTime(fix.at)).bind(5, fix.point.lon).bind(6, fix.point.lat).bind(7, fix.accuracyM);
  q.run();
}

void PositionStore::updateLatest(const PositionFix &fix)
{
  const std::string at = toDbTime(fix.at);
  const std::vector<std::uint8_t> geom = geopackage::encodePoint(fix.point);
  // Not an UPSERT: an ON CONFLICT clause would override the conflict policy of the R-tree
  // triggers (their INSERT OR REPLACE) and make the index update fail.
  {
    auto q = mDb.query("UPDATE worker_positions SET geom = ?, device_id = ?, at = ?, lon = ?, lat = ?, accuracy_m = ? "
                       "WHERE worker_id = ? AND at <= ?");
    q->bindBlob(1, geom);
    q->bindFrom(2, fix.deviceId, at, fix.point.lon, fix.point.lat, fix.accuracyM, fix.workerId, at);
    q.run();
  }
  if (mDb.changes() > 0)
    return;
  {
    auto q = mDb.query("SELECT 1 FROM worker_positions WHERE worker_id = ?");
    q.bindAll(fix.workerId);
    if (q.step())
      return; // a newer fix is already there
  }
  auto q = mDb.query("INSERT INTO worker_positions (geom, worker_id, device_id, at, lon, lat, accuracy_m) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
  q->bindBlob(1, geom);
  q->bindFrom(2, fix.workerId, fix.deviceId, at, fix.point.lon, fix.point.lat, fix.accuracyM);
  q.run();
}

std::vector<PositionFix> PositionStore::latest()
{
  std::vector<PositionFix> out;
  auto q = mDb.query("SELECT device_id, worker_id, at, lon, lat, accuracy_m FROM worker_positions ORDER BY worker_id");
  while (q.step())
    out.push_back(readFix(*q));
  return out;
}

std::vector<PositionFix> PositionStore::track(const std::string &workerId, core::TimePoint from, core::TimePoint to)
{
  std::vector<PositionFix> out;
  auto q = mDb.query("SELECT device_id, worker_id, at, lon, lat, accuracy_m FROM positions "
                     "WHERE worker_id = ? AND at >= ? AND at < ? ORDER BY at, id");
  q.bindAll(workerId, toDbTime(from), toDbTime(to));
  while (q.step())
    out.push_back(readFix(*q));
  return out;
}

} // namespace gd::store
