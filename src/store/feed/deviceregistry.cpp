#include "store/feed/deviceregistry.h"

#include "store/database.h"
#include "store/feed/pgarrays.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <stdexcept>

namespace gd::store {

namespace {

std::vector<std::uint8_t> randomBytes(std::size_t n)
{
  std::vector<std::uint8_t> bytes(n);
  if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1)
    throw StoreError(0, "OpenSSL RAND_bytes failed: no secure randomness for a device token");
  return bytes;
}

std::string toHex(const std::vector<std::uint8_t> &bytes)
{
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes)
  {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::vector<std::uint8_t> hashToken(const std::vector<std::uint8_t> &salt, std::string_view token)
{
  std::vector<std::uint8_t> input(salt);
  input.insert(input.end(), token.begin(), token.end());
  std::vector<std::uint8_t> digest(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw StoreError(0, "OpenSSL EVP_Digest(SHA-256) failed");
  digest.resize(length);
  return digest;
}

bool validId(const std::string &id)
{
  if (id.empty() || id.size() > 64)
    return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

// The larger of several values: SQLite's scalar max() is PostgreSQL's greatest() (its max() is
// only the aggregate). The statements that use it are built once per backend.
std::string largestOf(bool postgres)
{
  return postgres ? "greatest(" : "max(";
}

// Raises gd_store_info 'devices_revision' (see DeviceRegistry::revision()).
void raiseRevision(Database &db)
{
  db.query("INSERT INTO gd_store_info (key, value) VALUES ('devices_revision', '1') "
           "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(gd_store_info.value AS BIGINT) + 1 AS TEXT)")
    .run();
}

} // namespace

DeviceRegistry::DeviceRegistry(Database &db)
  : mDb(db)
{}

std::string DeviceRegistry::add(const std::string &id, const std::string &workerId, core::TimePoint now)
{
  if (!validId(id))
    throw StoreRefusal("bad_value", "device id '" + id + "' is not valid: use 1 to 64 letters, digits, '-', '_' or '.'");
  if (workerId.empty())
    throw StoreRefusal("bad_value", "device '" + id + "' needs a worker id (--worker)");
  if (find(id))
    throw StoreRefusal("duplicate_device", "device '" + id + "' already exists (revoke it or choose another id)");
  const std::string token = toHex(randomBytes(32));
  const std::vector<std::uint8_t> salt = randomBytes(16);
  auto q = mDb.query("INSERT INTO devices (id, token_salt, token_hash, worker_id, revoked, last_seq, created_at) "
                     "VALUES (?, ?, ?, ?, 0, 0, ?)");
  Savepoint savepoint(mDb);
  q->bind(1, id).bindBlob(2, salt).bindBlob(3, hashToken(salt, token)).bind(4, workerId).bind(5, toDbTime(now));
  q.run();
  raiseRevision(mDb);
  savepoint.release();
  return token;
}

namespace {
// The track's published mark (gd_store_info 'track_published_id'; PositionStore keeps it).
std::int64_t trackMark(Database &db)
{
  auto q = db.query("SELECT CAST(value AS BIGINT) FROM gd_store_info WHERE key = 'track_published_id'");
  return q.step() ? q->columnInt(0) : 0;
}

std::string listSql(bool postgres)
{
  if (postgres)
  {
    // Every fix of each device, one seek each in positions_device_seq: no published mark there
    // (PositionStore::markPublishedThrough()).
    return "SELECT d.id, d.worker_id, d.revoked, greatest(d.last_seq, "
           "coalesce((SELECT max(seq) FROM positions p WHERE p.device_id = d.id), 0), "
           "coalesce((SELECT max(seq) FROM applied_frames a WHERE a.device_id = d.id), 0)), d.created_at "
           "FROM devices d ORDER BY d.id";
  }
  return "SELECT d.id, d.worker_id, d.revoked, " + largestOf(postgres) +
         "d.last_seq, coalesce(r.seq, 0), coalesce((SELECT max(seq) FROM applied_frames a WHERE a.device_id = d.id), 0)), "
         "d.created_at "
         "FROM devices d LEFT JOIN (SELECT device_id, max(seq) AS seq FROM positions WHERE id > ? GROUP BY device_id) r "
         "ON r.device_id = d.id ORDER BY d.id";
}
} // namespace

std::vector<DeviceInfo> DeviceRegistry::list()
{
  std::vector<DeviceInfo> out;
  // The fixes above the mark are read once (a range of rowids), not once per device.
  static const std::string sqlite = listSql(false), postgres = listSql(true);
  auto q = mDb.query(mDb.dialect(sqlite, postgres));
  if (!mDb.isPostgres())
    q.bindAll(trackMark(mDb));
  while (q.step())
    out.push_back(DeviceInfo{q->columnText(0), q->columnText(1), q->columnInt(2) != 0, q->columnInt(3),
                             fromDbTime(q->columnText(4)).value_or(core::TimePoint{}), {}});
  return out;
}

std::optional<DeviceInfo> DeviceRegistry::find(const std::string &id)
{
  auto q = mDb.query("SELECT id, worker_id, revoked, last_seq, created_at FROM devices WHERE id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  return DeviceInfo{q->columnText(0), q->columnText(1), q->columnInt(2) != 0, q->columnInt(3),
                    fromDbTime(q->columnText(4)).value_or(core::TimePoint{}), {}};
}

std::vector<DeviceInfo> DeviceRegistry::find(const std::vector<std::string> &ids)
{
  std::vector<DeviceInfo> out;
  if (!mDb.isPostgres())
  {
    // In-process lookups by the primary key cost microseconds each.
    auto q = mDb.query("SELECT d.id, d.worker_id, d.revoked, d.last_seq, d.created_at, s.gateway "
                       "FROM devices d LEFT JOIN device_sessions s ON s.device_id = d.id WHERE d.id = ?");
    for (const std::string &id : ids)
    {
      q->reset();
      q.bindAll(id);
      if (q.step())
        out.push_back(DeviceInfo{q->columnText(0), q->columnText(1), q->columnInt(2) != 0, q->columnInt(3),
                                 fromDbTime(q->columnText(4)).value_or(core::TimePoint{}), q->columnText(5)});
    }
    return out;
  }
  if (ids.empty())
    return out;
  std::string array;
  pgarray::open(array);
  for (const std::string &id : ids)
    pgarray::appendText(array, id);
  pgarray::close(array);
  auto q = mDb.query("SELECT d.id, d.worker_id, d.revoked, d.last_seq, d.created_at, s.gateway "
                     "FROM devices d LEFT JOIN device_sessions s ON s.device_id = d.id WHERE d.id = ANY(CAST(? AS text[]))");
  q.bindAll(array);
  while (q.step())
    out.push_back(DeviceInfo{q->columnText(0), q->columnText(1), q->columnInt(2) != 0, q->columnInt(3),
                             fromDbTime(q->columnText(4)).value_or(core::TimePoint{}), q->columnText(5)});
  return out;
}

std::vector<std::string> DeviceRegistry::devicesOfWorker(const std::string &workerId)
{
  std::vector<std::string> out;
  auto q = mDb.query("SELECT id FROM devices WHERE worker_id = ? AND revoked = 0 ORDER BY id");
  q.bindAll(workerId);
  while (q.step())
    out.push_back(q->columnText(0));
  return out;
}

bool DeviceRegistry::revoke(const std::string &id)
{
  // One transaction (or a savepoint in the caller's): a gateway that sees the new revision
  // also sees the device revoked.
  Savepoint savepoint(mDb);
  mDb.query("UPDATE devices SET revoked = 1 WHERE id = ?").bindAll(id).run();
  if (mDb.changes() == 0)
    return false;
  raiseRevision(mDb);
  savepoint.release();
  return true;
}

DevicesRevision DeviceRegistry::revision()
{
  auto q = mDb.query("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM gd_store_info WHERE key = 'devices_revision'), 0), "
                     "(SELECT count(*) FROM devices)");
  if (!q.step())
    return {};
  return {q->columnInt(0), q->columnInt(1)};
}

bool DeviceRegistry::isActive(const std::string &id)
{
  auto q = mDb.query("SELECT revoked FROM devices WHERE id = ?");
  q.bindAll(id);
  return q.step() && q->columnInt(0) == 0;
}

std::optional<DeviceAuth> DeviceRegistry::authenticate(const std::string &id, std::string_view token)
{
  auto q = mDb.query("SELECT token_salt, token_hash, revoked, last_seq, worker_id FROM devices WHERE id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  const std::vector<std::uint8_t> salt = q->columnBlob(0);
  const std::vector<std::uint8_t> stored = q->columnBlob(1);
  const bool revoked = q->columnInt(2) != 0;
  const std::vector<std::uint8_t> presented = hashToken(salt, token);
  const bool match = stored.size() == presented.size() &&
                     CRYPTO_memcmp(stored.data(), presented.data(), stored.size()) == 0;
  if (!match || revoked)
    return std::nullopt;
  return DeviceAuth{q->columnInt(3), q->columnText(4)};
}

bool DeviceRegistry::markApplied(const std::string &deviceId, std::int64_t seq, core::TimePoint at, std::string_view result)
{
  // The protocol's rule: any seq at or below last_seq is a duplicate, logged or not. (The
  // row and applied_frames, not durableLastSeq(): this also writes stores of older revisions in
  // the migration tests, and whoever calls it keeps the row up to date itself.)
  {
    static const auto sql = [](bool postgres) {
      return "SELECT " + largestOf(postgres) +
             "last_seq, coalesce((SELECT max(seq) FROM applied_frames WHERE device_id = ?1), 0)) FROM devices WHERE id = ?1";
    };
    static const std::string sqlite = sql(false), postgres = sql(true);
    auto q = mDb.query(mDb.dialect(sqlite, postgres));
    q.bindAll(deviceId);
    if (q.step() && seq <= q->columnInt(0))
      return false;
  }
  if (!recordApplied(deviceId, seq, at, result))
    return false;
  advanceLastSeq(deviceId, seq);
  return true;
}

bool DeviceRegistry::recordApplied(const std::string &deviceId, std::int64_t seq, core::TimePoint at, std::string_view result)
{
  mDb.query("INSERT INTO applied_frames (device_id, seq, applied_at, result) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
    .bindAll(deviceId, seq, toDbTime(at), result)
    .run();
  return mDb.changes() > 0;
}

void DeviceRegistry::advanceLastSeq(std::string_view deviceId, std::int64_t seq)
{
  // Never back: a row already higher is left alone (no scalar max(), which PostgreSQL lacks).
  mDb.query("UPDATE devices SET last_seq = ?1 WHERE id = ?2 AND last_seq < ?1").bindAll(seq, deviceId).run();
}

void DeviceRegistry::advanceLastSeqs(const std::vector<std::pair<std::string, std::int64_t>> &seqs)
{
  if (!mDb.isPostgres())
  {
    for (const auto &[device, seq] : seqs)
      advanceLastSeq(device, seq);
    return;
  }
  if (seqs.empty())
    return;
  std::string ids, values;
  pgarray::open(ids);
  pgarray::open(values);
  for (const auto &[device, seq] : seqs)
  {
    pgarray::appendText(ids, device);
    pgarray::appendNumber<std::int64_t>(values, seq);
  }
  pgarray::close(ids);
  pgarray::close(values);
  mDb.query("UPDATE devices SET last_seq = u.seq FROM unnest(CAST(? AS text[]), CAST(? AS bigint[])) AS u(id, seq) "
            "WHERE devices.id = u.id AND devices.last_seq < u.seq")
    .bindAll(ids, values)
    .run();
}

std::size_t DeviceRegistry::recoverLastSeq(std::int64_t trackMark)
{
  std::size_t raised = 0;
  if (mDb.isPostgres())
  {
    // Every fix of each device (one seek each in positions_device_seq), whatever the mark: on
    // PostgreSQL gateways' position groups commit side by side, so ids commit out of order and
    // no id says "every fix below is in devices.last_seq" (PositionStore::markPublishedThrough()).
    mDb.query("UPDATE devices SET last_seq = (SELECT max(seq) FROM positions p WHERE p.device_id = devices.id) "
              "WHERE last_seq < (SELECT coalesce(max(seq), 0) FROM positions p WHERE p.device_id = devices.id)")
      .run();
  }
  else
  {
    mDb.query("UPDATE devices SET last_seq = r.seq "
              "FROM (SELECT device_id, max(seq) AS seq FROM positions WHERE id > ? GROUP BY device_id) AS r "
              "WHERE devices.id = r.device_id AND r.seq > devices.last_seq")
      .bindAll(trackMark)
      .run();
  }
  raised += static_cast<std::size_t>(mDb.changes());
  // One index seek per device (applied_frames' key is (device_id, seq)).
  mDb.query("UPDATE devices SET last_seq = (SELECT max(seq) FROM applied_frames a WHERE a.device_id = devices.id) "
            "WHERE last_seq < (SELECT coalesce(max(seq), 0) FROM applied_frames a WHERE a.device_id = devices.id)")
    .run();
  raised += static_cast<std::size_t>(mDb.changes());
  return raised;
}

std::int64_t DeviceRegistry::durableLastSeq(const std::string &deviceId)
{
  if (mDb.isPostgres())
    return takeoverLastSeq(deviceId); // every fix of the device: no mark there (see recoverLastSeq())
  static const auto sql = [](bool postgres) {
    return "SELECT " + largestOf(postgres) +
           "d.last_seq, "
           "coalesce((SELECT max(seq) FROM applied_frames a WHERE a.device_id = d.id), 0), "
           "coalesce((SELECT max(seq) FROM positions p WHERE p.id > ? AND p.device_id = d.id), 0)) "
           "FROM devices d WHERE d.id = ?";
  };
  static const std::string sqlite = sql(false), postgres = sql(true);
  auto q = mDb.query(mDb.dialect(sqlite, postgres));
  q.bindAll(trackMark(mDb), deviceId);
  return q.step() ? q->columnInt(0) : 0;
}

std::int64_t DeviceRegistry::takeSession(const std::string &deviceId, const std::string &gateway, core::TimePoint at)
{
  // max()+1 under the one-writer lock (a write transaction on either backend): generations rise
  // in commit order, so a gateway polling above the last one it saw misses none.
  auto q = mDb.query("INSERT INTO device_sessions (device_id, gateway, generation, since) "
                     "VALUES (?1, ?2, (SELECT coalesce(max(generation), 0) + 1 FROM device_sessions), ?3) "
                     "ON CONFLICT (device_id) DO UPDATE SET gateway = excluded.gateway, generation = excluded.generation, "
                     "since = excluded.since RETURNING generation");
  q.bindAll(deviceId, gateway, toDbTime(at));
  if (!q.step())
    throw StoreError(0, "device_sessions: taking the session of " + deviceId + " returned no generation");
  return q->columnInt(0);
}

std::vector<DeviceSession> DeviceRegistry::sessionsAfter(std::int64_t generation)
{
  std::vector<DeviceSession> out;
  auto q = mDb.query("SELECT device_id, gateway, generation FROM device_sessions WHERE generation > ? ORDER BY generation");
  q.bindAll(generation);
  while (q.step())
    out.push_back(DeviceSession{q->columnText(0), q->columnText(1), q->columnInt(2)});
  return out;
}

std::int64_t DeviceRegistry::latestSessionGeneration()
{
  return mDb.scalarInt("SELECT coalesce(max(generation), 0) FROM device_sessions");
}

std::int64_t DeviceRegistry::takeoverLastSeq(const std::string &deviceId)
{
  if (!mDb.isPostgres())
    return durableLastSeq(deviceId);
  // Every fix of the device (one seek in positions_device_seq): PostgreSQL keeps no published
  // mark, its ids committing out of order (see recoverLastSeq()).
  auto q = mDb.query("SELECT greatest(d.last_seq, "
                     "coalesce((SELECT max(seq) FROM applied_frames a WHERE a.device_id = d.id), 0), "
                     "coalesce((SELECT max(seq) FROM positions p WHERE p.device_id = d.id), 0)) "
                     "FROM devices d WHERE d.id = ?");
  q.bindAll(deviceId);
  return q.step() ? q->columnInt(0) : 0;
}

std::optional<std::string> DeviceRegistry::appliedResult(const std::string &deviceId, std::int64_t seq)
{
  auto q = mDb.query("SELECT result FROM applied_frames WHERE device_id = ? AND seq = ?");
  q.bindAll(deviceId, seq);
  if (!q.step())
    return std::nullopt;
  return q->columnText(0);
}

} // namespace gd::store
