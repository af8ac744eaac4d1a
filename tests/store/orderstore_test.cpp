#include "store/orderstore.h"

#include "store/deviceregistry.h"
#include "store/storeerror.h"
#include "storefixture.h"

using namespace gd;
using namespace gd::store;

namespace {
const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);
}

class OrderStoreTest : public test::StoreFixture
{
};

TEST_F(OrderStoreTest, PendingUntilAcknowledgedByItsDevice)
{
  DeviceRegistry(*db).add("pad-001", "worker-7", kNow);
  DeviceRegistry(*db).add("pad-002", "worker-8", kNow);
  const std::string number = caseIn(core::CaseState::Assigned, kNow);
  OrderStore orders(*db);
  const auto assign = orders.create("pad-001", OrderKind::Assign, number, "请处理", kNow + std::chrono::hours(2), kNow);
  const auto alert = orders.create("pad-001", OrderKind::Alert, "", "附近发生火情", std::nullopt, kNow);
  auto pending = orders.pending("pad-001");
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, assign);
  EXPECT_EQ(pending[0].caseNumber, number);
  EXPECT_EQ(pending[0].kind, OrderKind::Assign);
  EXPECT_EQ(pending[0].deadline, kNow + std::chrono::hours(2));
  EXPECT_EQ(pending[1].caseNumber, "");
  EXPECT_FALSE(orders.acknowledge("pad-002", assign, kNow)); // someone else's order
  EXPECT_TRUE(orders.acknowledge("pad-001", assign, kNow + std::chrono::minutes(1)));
  EXPECT_TRUE(orders.acknowledge("pad-001", assign, kNow + std::chrono::minutes(5))); // idempotent
  EXPECT_EQ(orders.find(assign)->ackedAt, kNow + std::chrono::minutes(1));
  pending = orders.pending("pad-001");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].id, alert);
  EXPECT_FALSE(orders.acknowledge("pad-001", 999, kNow));
}

TEST_F(OrderStoreTest, RefusesUnknownDevicesAndCases)
{
  DeviceRegistry(*db).add("pad-001", "worker-7", kNow);
  OrderStore orders(*db);
  try
  {
    orders.create("pad-404", OrderKind::Urge, "", "", std::nullopt, kNow);
    FAIL();
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "unknown_device");
  }
  try
  {
    orders.create("pad-001", OrderKind::Urge, "620902-20261123-000404", "", std::nullopt, kNow);
    FAIL();
  }
  catch (const StoreRefusal &e)
  {
    EXPECT_EQ(e.reason(), "unknown_case");
  }
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM orders"), 0);
  EXPECT_EQ(parseOrderKind("urge"), OrderKind::Urge);
  EXPECT_FALSE(parseOrderKind("bogus"));
}
