#include "store/feed/positionstore.h"

#include "store/database.h"
#include "store/feed/pgarrays.h"
#include "store/geopackage.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <sqlite3.h>

#include <array>
#include <map>

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
// PostgreSQL: every fix of the call in one INSERT … SELECT FROM unnest(arrays) in their order
// (ORDER BY the ordinality: the identity hands out ids in that order, as SQLite's rowids), the
// geometry made on the server from lon/lat (the same point encodePoint() writes).
std::int64_t recordTracksPostgres(Database &db, const TrackPoint *fixes, std::size_t count)
{
  std::array<std::string, 7> arrays;
  for (std::string &a : arrays)
  {
    a.reserve(count * 24 + 2);
    pgarray::open(a);
  }
  std::string time;
  for (std::size_t i = 0; i < count; ++i)
  {
    const TrackPoint &fix = fixes[i];
    pgarray::appendText(arrays[0], fix.deviceId);
    pgarray::appendText(arrays[1], fix.workerId);
    time.clear();
    appendDbTime(time, fix.at);
    pgarray::appendText(arrays[2], time);
    pgarray::appendNumber<double>(arrays[3], fix.point.lon);
    pgarray::appendNumber<double>(arrays[4], fix.point.lat);
    pgarray::appendNumber<double>(arrays[5], fix.accuracyM);
    pgarray::appendNumber<std::int64_t>(arrays[6], fix.seq > 0 ? std::optional<std::int64_t>(fix.seq) : std::nullopt);
  }
  for (std::string &a : arrays)
    pgarray::close(a);
  auto q = db.query(
    "WITH ins AS (INSERT INTO positions (geom, device_id, worker_id, at, lon, lat, accuracy_m, seq) "
    "SELECT ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4490), t.device_id, t.worker_id, t.at, t.lon, t.lat, t.accuracy_m, t.seq "
    "FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS double precision[]), "
    "CAST(? AS double precision[]), CAST(? AS double precision[]), CAST(? AS bigint[])) "
    "WITH ORDINALITY AS t(device_id, worker_id, at, lon, lat, accuracy_m, seq, n) ORDER BY t.n RETURNING id) "
    "SELECT coalesce(max(id), 0) FROM ins");
  for (std::size_t i = 0; i < arrays.size(); ++i)
    q->bind(static_cast<int>(i + 1), arrays[i]);
  if (!q.step())
    throw StoreError(0, "the track's new ids were not returned");
  return q->columnInt(0);
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

std::int64_t PositionStore::recordTracks(const TrackPoint *fixes, std::size_t count)
{
  if (count == 0)
    return 0;
  if (mDb.isPostgres())
    return recordTracksPostgres(mDb, fixes, count);
  static constexpr std::size_t kRowsPerInsert = 16;
  static const std::string many = [] {
    std::string sql = "INSERT INTO positions (geom, device_id, worker_id, at, lon, lat, accuracy_m, seq) VALUES ";
    for (std::size_t i = 0; i < kRowsPerInsert; ++i)
      sql += i == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
    return sql;
  }();
  static constexpr const char *kOne =
    "INSERT INTO positions (geom, device_id, worker_id, at, lon, lat, accuracy_m, seq) VALUES (?,?,?,?,?,?,?,?)";
  static constexpr int kColumns = 8;
  // The rows' geometry and time text, alive until the statement has run (bound SQLITE_STATIC).
  std::array<std::vector<std::uint8_t>, kRowsPerInsert> geoms;
  std::string times;
  while (count > 0)
  {
    const std::size_t rows = count >= kRowsPerInsert ? kRowsPerInsert : 1;
    auto q = mDb.query(rows == kRowsPerInsert ? std::string_view(many) : std::string_view(kOne));
    sqlite3_stmt *const s = q->handle();
    times.clear();
    std::array<std::size_t, kRowsPerInsert + 1> timeAt{};
    for (std::size_t i = 0; i < rows; ++i)
    {
      geoms[i] = geopackage::encodePoint(fixes[i].point);
      appendDbTime(times, fixes[i].at);
      timeAt[i + 1] = times.size();
    }
    for (std::size_t i = 0; i < rows; ++i)
    {
      const TrackPoint &fix = fixes[i];
      const int first = static_cast<int>(i * kColumns + 1);
      const std::size_t at = timeAt[i];
      sqlite3_bind_blob(s, first, geoms[i].data(), static_cast<int>(geoms[i].size()), SQLITE_STATIC);
      sqlite3_bind_text(s, first + 1, fix.deviceId.data(), static_cast<int>(fix.deviceId.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, first + 2, fix.workerId.data(), static_cast<int>(fix.workerId.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, first + 3, times.data() + at, static_cast<int>(timeAt[i + 1] - at), SQLITE_STATIC);
      sqlite3_bind_double(s, first + 4, fix.point.lon);
      sqlite3_bind_double(s, first + 5, fix.point.lat);
      if (fix.accuracyM)
        sqlite3_bind_double(s, first + 6, *fix.accuracyM);
      else
        sqlite3_bind_null(s, first + 6);
      if (fix.seq > 0)
        sqlite3_bind_int64(s, first + 7, fix.seq);
      else
        sqlite3_bind_null(s, first + 7);
    }
    q.run();
    fixes += rows;
    count -= rows;
  }
  // The rows of one statement get consecutive ids; the last statement's last row is the newest.
  return sqlite3_last_insert_rowid(mDb.handle());
}

namespace {
/**
 * PostgreSQL: the newest fix (highest seq) of every device that has fixes from a gateway, one
 * seek each in positions_device_seq: the distinct devices by a skip scan of that index (a
 * recursive step to the next device_id), each device's last fix by a backward step.
 */
constexpr const char *kNewestFixPerDevicePostgres =
  "WITH RECURSIVE ids AS ("
  "  (SELECT device_id FROM positions WHERE device_id IS NOT NULL ORDER BY device_id LIMIT 1) "
  "  UNION ALL "
  "  SELECT (SELECT p.device_id FROM positions p WHERE p.device_id > ids.device_id ORDER BY p.device_id LIMIT 1) "
  "  FROM ids WHERE ids.device_id IS NOT NULL) "
  "SELECT f.device_id, f.worker_id, f.at, f.lon, f.lat, f.accuracy_m FROM ids CROSS JOIN LATERAL "
  "  (SELECT device_id, worker_id, at, lon, lat, accuracy_m FROM positions p "
  "   WHERE p.device_id = ids.device_id AND p.seq IS NOT NULL ORDER BY p.seq DESC LIMIT 1) f";
} // namespace

std::size_t PositionStore::catchUpLatest()
{
  if (mDb.isPostgres())
  {
    // No mark to read from (markPublishedThrough()): the newest fix of every device, so the
    // fixes a crashed gateway had not published are found wherever their ids lie, whatever
    // other gateways published meanwhile. Fixes without a seq (not a gateway's) were published
    // with their write (record()).
    std::map<std::string, PositionFix> newest;
    {
      auto q = mDb.query(kNewestFixPerDevicePostgres);
      while (q.step())
      {
        PositionFix fix = readFix(*q);
        auto [it, inserted] = newest.try_emplace(fix.workerId, fix);
        if (!inserted && fix.at >= it->second.at)
          it->second = std::move(fix);
      }
    }
    std::size_t behind = 0;
    for (const auto &[worker, fix] : newest)
    {
      auto q = mDb.query("SELECT at FROM worker_positions WHERE worker_id = ?");
      q.bindAll(worker);
      if (q.step() && fromDbTime(q->columnText(0)).value_or(core::TimePoint{}) >= fix.at)
        continue;
      updateLatest(fix);
      ++behind;
    }
    return behind;
  }
  const std::int64_t from = publishedThrough();
  // The newest fix of each worker among those above the mark (a tie on time: the later row).
  std::map<std::string, std::pair<std::int64_t, PositionFix>> newest;
  std::int64_t last = from;
  {
    auto q = mDb.query("SELECT device_id, worker_id, at, lon, lat, accuracy_m, id FROM positions WHERE id > ? ORDER BY id");
    q.bindAll(from);
    while (q.step())
    {
      PositionFix fix = readFix(*q);
      last = q->columnInt(6);
      auto [it, inserted] = newest.try_emplace(fix.workerId, last, fix);
      if (!inserted && fix.at >= it->second.second.at)
        it->second = {last, std::move(fix)};
    }
  }
  std::size_t behind = 0;
  for (const auto &[worker, entry] : newest)
  {
    const PositionFix &fix = entry.second;
    {
      auto q = mDb.query("SELECT at FROM worker_positions WHERE worker_id = ?");
      q.bindAll(worker);
      if (q.step() && fromDbTime(q->columnText(0)).value_or(core::TimePoint{}) >= fix.at)
        continue;
    }
    updateLatest(fix);
    ++behind;
  }
  if (last > from)
    markPublishedThrough(last);
  return behind;
}

void PositionStore::markPublishedThrough(std::int64_t positionId)
{
  // Not on PostgreSQL: there gateways' position groups hold the store's write lock shared and
  // commit side by side (store::Writer::Lock::Shared), so a fix can commit after one with a
  // higher id, and one gateway cannot know another's unpublished fixes below its own; and a
  // row every group wrote would line them up again at its row lock. Readers go by device
  // there (positions_device_seq): catchUpLatest(), DeviceRegistry::recoverLastSeq().
  if (mDb.isPostgres())
    return;
  mDb.query("INSERT INTO gd_store_info (key, value) VALUES ('track_published_id', CAST(?1 AS TEXT)) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
            "WHERE CAST(gd_store_info.value AS BIGINT) < CAST(excluded.value AS BIGINT)")
    .bindAll(positionId)
    .run();
}

std::int64_t PositionStore::publishedThrough()
{
  auto q = mDb.query("SELECT CAST(value AS BIGINT) FROM gd_store_info WHERE key = 'track_published_id'");
  return q.step() ? q->columnInt(0) : 0;
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

void PositionStore::updateLatest(const std::vector<PositionFix> &fixes)
{
  if (!mDb.isPostgres())
  {
    // In-process statements cost microseconds; the R-tree triggers rule out an UPSERT here.
    for (const PositionFix &fix : fixes)
      updateLatest(fix);
    return;
  }
  if (fixes.empty())
    return;
  std::array<std::string, 6> arrays;
  for (std::string &a : arrays)
    pgarray::open(a);
  std::string time;
  for (const PositionFix &fix : fixes)
  {
    pgarray::appendText(arrays[0], fix.workerId);
    pgarray::appendText(arrays[1], fix.deviceId);
    time.clear();
    appendDbTime(time, fix.at);
    pgarray::appendText(arrays[2], time);
    pgarray::appendNumber<double>(arrays[3], fix.point.lon);
    pgarray::appendNumber<double>(arrays[4], fix.point.lat);
    pgarray::appendNumber<double>(arrays[5], fix.accuracyM);
  }
  for (std::string &a : arrays)
    pgarray::close(a);
  // worker_id is UNIQUE: a newer stored fix stays (the WHERE of DO UPDATE), as in updateLatest().
  auto q = mDb.query(
    "INSERT INTO worker_positions (geom, worker_id, device_id, at, lon, lat, accuracy_m) "
    "SELECT ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4490), t.worker_id, t.device_id, t.at, t.lon, t.lat, t.accuracy_m "
    "FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS double precision[]), "
    "CAST(? AS double precision[]), CAST(? AS double precision[])) AS t(worker_id, device_id, at, lon, lat, accuracy_m) "
    "ON CONFLICT (worker_id) DO UPDATE SET geom = excluded.geom, device_id = excluded.device_id, at = excluded.at, "
    "lon = excluded.lon, lat = excluded.lat, accuracy_m = excluded.accuracy_m WHERE worker_positions.at <= excluded.at");
  for (std::size_t i = 0; i < arrays.size(); ++i)
    q->bind(static_cast<int>(i + 1), arrays[i]);
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
