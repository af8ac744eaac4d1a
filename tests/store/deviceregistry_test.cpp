#include "store/deviceregistry.h"

#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "tempdir.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);

class DeviceRegistryTest : public ::testing::Test
{
  protected:
    test::TempDir dir;
    std::unique_ptr<Database> db = Schema::openOrCreate(dir.file("d.gpkg"));
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
  auto q = db->query("SELECT count(*) FROM devices WHERE CAST(token_hash AS TEXT) = ? OR hex(token_hash) = upper(?)");
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
  EXPECT_EQ(devices.lastSeq("pad-001"), 2);
  EXPECT_EQ(devices.authenticate("pad-001", token)->lastSeq, 2);
  EXPECT_EQ(devices.appliedResult("pad-001", 1), "620902-20261123-000001");
  EXPECT_FALSE(devices.appliedResult("pad-001", 3));
  EXPECT_THROW(devices.markApplied("unknown", 1, kNow), StoreError); // foreign key
}
