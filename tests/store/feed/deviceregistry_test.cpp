#include "store/feed/deviceregistry.h"

#include "store/database.h"
#include "store/feed/positionstore.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace gd;
using namespace gd::store;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);

class DeviceRegistryTest : public ::testing::Test
{
  protected:
    test::TempDir dir;
    // A GeoPackage file, or a database on the test cluster when the run is on PostgreSQL.
    store::test::TestStore store{dir.file("d.gpkg")};
    std::unique_ptr<Database> db = Schema::openOrCreate(store.location());
    DeviceRegistry devices{*db};
};
} // namespace

TEST_F(DeviceRegistryTest, AddReturnsATokenThatAuthenticatesOnlyThatDevice)
{
  const std::string token = devices.add("pad-001", "worker-7", kNow);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  const std::string other = devices.add("pad-002", "worker-8", kNow);
  EXPECT_NE(token, other);

  auto auth = devices.authenticate("pad-001", token);
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->workerId, "worker-7");
  EXPECT_EQ(auth->lastSeq, 0);
  EXPECT_FALSE(devices.authenticate("pad-001", other));
  EXPECT_FALSE(devices.authenticate("pad-001", ""));
  EXPECT_FALSE(devices.authenticate("pad-003", token));
  // Only a salted hash is stored, never the token.
  auto q = db->query(db->dialect("SELECT count(*) FROM devices WHERE CAST(token_hash AS TEXT) = ? OR hex(token_hash) = upper(?)",
                                 "SELECT count(*) FROM devices WHERE encode(token_hash, 'escape') = ? "
                                 "OR encode(token_hash, 'hex') = lower(?)"));
  q.bindAll(token, token);
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q->columnInt(0), 0);
  EXPECT_EQ(db->scalarInt("SELECT count(DISTINCT token_salt) FROM devices"), 2);
}

TEST_F(DeviceRegistryTest, RefusesDuplicatesAndBadIds)
{
  devices.add("pad-001", "worker-7", kNow);
  try
  {
    devices.add("pad-001", "worker-9", kNow);
    FAIL();
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "duplicate_device");
  }
  EXPECT_THROW(devices.add("", "w", kNow), StoreRefusal);
  EXPECT_THROW(devices.add("bad id", "w", kNow), StoreRefusal);
  EXPECT_THROW(devices.add("pad-x", "", kNow), StoreRefusal);
  EXPECT_EQ(devices.list().size(), 1u);
}

TEST_F(DeviceRegistryTest, RevokedDevicesNoLongerAuthenticate)
{
  const std::string token = devices.add("pad-001", "worker-7", kNow);
  EXPECT_TRUE(devices.revoke("pad-001"));
  EXPECT_FALSE(devices.authenticate("pad-001", token));
  EXPECT_FALSE(devices.revoke("pad-404"));
  devices.add("pad-002", "worker-7", kNow);
  EXPECT_EQ(devices.devicesOfWorker("worker-7"), std::vector<std::string>{"pad-002"});
  const auto list = devices.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_TRUE(list[0].revoked);
  EXPECT_EQ(list[0].createdAt, kNow);
}

TEST_F(DeviceRegistryTest, FramesAreAppliedOnce)
{
  const std::string token = devices.add("pad-001", "worker-7", kNow);
  EXPECT_TRUE(devices.markApplied("pad-001", 1, kNow, "620902-20261123-000001"));
  EXPECT_TRUE(devices.markApplied("pad-001", 2, kNow));
  EXPECT_FALSE(devices.markApplied("pad-001", 2, kNow));
  EXPECT_FALSE(devices.markApplied("pad-001", 1, kNow)); // at or below last_seq
  EXPECT_EQ(devices.durableLastSeq("pad-001"), 2);
  EXPECT_EQ(devices.authenticate("pad-001", token)->lastSeq, 2);
  EXPECT_EQ(devices.appliedResult("pad-001", 1), "620902-20261123-000001");
  EXPECT_FALSE(devices.appliedResult("pad-001", 3));
  EXPECT_THROW(devices.markApplied("unknown", 1, kNow), StoreError); // foreign key
}

TEST_F(DeviceRegistryTest, TheDurableLastSeqCountsFixesAboveTheMarkAndAppliedFramesAndIsWrittenBackOnRecovery)
{
  // What a gateway killed between two publications leaves (schema revision 8): devices.last_seq
  // as of its last publication, and the frames since in the track (positions.seq) and in
  // applied_frames only.
  devices.add("pad-001", "worker-7", kNow);
  devices.add("pad-002", "worker-8", kNow);
  devices.add("pad-003", "worker-9", kNow);
  PositionStore positions(*db);
  const std::vector<TrackPoint> published = {{"pad-001", "worker-7", kNow, {98.51, 39.74}, 5.0, 1},
                                             {"pad-002", "worker-8", kNow, {98.52, 39.75}, 5.0, 1}};
  const std::int64_t mark = positions.recordTracks(published.data(), published.size());
  devices.advanceLastSeq("pad-001", 1);
  devices.advanceLastSeq("pad-002", 1);
  positions.markPublishedThrough(mark);
  // Above the mark: pad-001's fixes 2 and 4 with its report 3, pad-002's report 2 alone.
  const std::vector<TrackPoint> above = {{"pad-001", "worker-7", kNow, {98.51, 39.74}, 5.0, 2},
                                         {"pad-001", "worker-7", kNow, {98.51, 39.74}, 5.0, 4}};
  positions.recordTracks(above.data(), above.size());
  ASSERT_TRUE(devices.recordApplied("pad-001", 3, kNow, "620902-20261123-000001"));
  ASSERT_TRUE(devices.recordApplied("pad-002", 2, kNow, "rejected:bad_transition"));
  // A fix below the mark never counts on a file (its seq is covered by the row), whatever it
  // says. PostgreSQL keeps no mark (ids commit out of order there) and reads every fix.
  if (!gd::store::test::storesOnPostgres())
    db->exec("UPDATE positions SET seq = 99 WHERE id = " + std::to_string(mark));

  EXPECT_EQ(db->scalarInt("SELECT last_seq FROM devices WHERE id = 'pad-001'"), 1);
  EXPECT_EQ(devices.durableLastSeq("pad-001"), 4);
  EXPECT_EQ(devices.durableLastSeq("pad-002"), 2);
  EXPECT_EQ(devices.durableLastSeq("pad-003"), 0);
  EXPECT_EQ(devices.durableLastSeq("pad-nobody"), 0);
  EXPECT_EQ(devices.durableLastSeq("pad-001"), 4);
  const auto list = devices.list();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].lastSeq, 4);
  EXPECT_EQ(list[1].lastSeq, 2);
  EXPECT_EQ(list[2].lastSeq, 0);

  // The gateway's start writes it back; the mark can then move past those fixes.
  EXPECT_EQ(devices.recoverLastSeq(mark), 2u);
  EXPECT_EQ(db->scalarInt("SELECT last_seq FROM devices WHERE id = 'pad-001'"), 4);
  EXPECT_EQ(db->scalarInt("SELECT last_seq FROM devices WHERE id = 'pad-002'"), 2);
  EXPECT_EQ(db->scalarInt("SELECT last_seq FROM devices WHERE id = 'pad-003'"), 0);
  EXPECT_EQ(devices.recoverLastSeq(mark), 0u);
  positions.markPublishedThrough(db->scalarInt("SELECT max(id) FROM positions"));
  EXPECT_EQ(devices.durableLastSeq("pad-001"), 4);
  // It never lowers a row.
  devices.advanceLastSeq("pad-003", 9);
  EXPECT_EQ(devices.recoverLastSeq(mark), 0u);
  EXPECT_EQ(devices.durableLastSeq("pad-003"), 9);
}

// Issue 14, defect 1: what a gateway polls to learn that a connected terminal is no longer
// allowed. It changes with every add and revoke (committed by any connection) and with a
// deleted row, and not with the frames a gateway applies.
TEST_F(DeviceRegistryTest, TheRevisionChangesWhenADeviceIsAddedRevokedOrDeleted)
{
  Database other(store.location(), Database::Mode::ReadOnly); // another process's view
  DeviceRegistry watcher(other);
  const DevicesRevision empty = watcher.revision();
  devices.add("pad-001", "worker-7", kNow);
  devices.add("pad-002", "worker-8", kNow);
  const DevicesRevision added = watcher.revision();
  EXPECT_NE(added, empty);
  EXPECT_EQ(added.devices, 2);
  EXPECT_TRUE(watcher.isActive("pad-001"));

  devices.markApplied("pad-001", 1, kNow, "case");
  EXPECT_EQ(watcher.revision(), added) << "an applied frame is not a change of the registry";

  EXPECT_FALSE(devices.revoke("pad-404"));
  EXPECT_EQ(watcher.revision(), added);
  EXPECT_TRUE(devices.revoke("pad-001"));
  const DevicesRevision revoked = watcher.revision();
  EXPECT_NE(revoked, added);
  EXPECT_FALSE(watcher.isActive("pad-001"));

  db->exec("DELETE FROM devices WHERE id = 'pad-002'"); // by hand, as with the sqlite3 shell
  EXPECT_NE(watcher.revision(), revoked);
  EXPECT_FALSE(watcher.isActive("pad-002"));
}

// The gateway's reads and writes of many devices at once (one statement each on PostgreSQL).
TEST_F(DeviceRegistryTest, ManyDevicesAreFoundAndAdvancedAtOnce)
{
  devices.add("pad-001", "worker-7", kNow);
  devices.add("pad-002", "worker-8", kNow);
  devices.revoke("pad-002");
  auto found = devices.find(std::vector<std::string>{"pad-002", "pad-404", "pad-001"});
  std::sort(found.begin(), found.end(), [](const DeviceInfo &a, const DeviceInfo &b) { return a.id < b.id; });
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].id, "pad-001");
  EXPECT_EQ(found[0].workerId, "worker-7");
  EXPECT_FALSE(found[0].revoked);
  EXPECT_TRUE(found[1].revoked);
  EXPECT_TRUE(devices.find(std::vector<std::string>{}).empty());
  devices.advanceLastSeq("pad-002", 9);
  devices.advanceLastSeqs({{"pad-001", 5}, {"pad-002", 3}, {"pad-404", 7}}); // never back; unknown ignored
  EXPECT_EQ(devices.find("pad-001")->lastSeq, 5);
  EXPECT_EQ(devices.find("pad-002")->lastSeq, 9);
  devices.advanceLastSeqs({});
}
