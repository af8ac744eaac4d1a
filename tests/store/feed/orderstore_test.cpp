#include "store/feed/orderstore.h"

#include "store/feed/deviceregistry.h"
#include "store/feed/positionstore.h"
#include "store/storeerror.h"
#include "../storefixture.h"

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

// What an order pump reads: where to start, and the unacknowledged orders after its cursor.
TEST_F(OrderStoreTest, ThePumpsReadsAreTheNewestIdAndTheUnacknowledgedAfterACursor)
{
  DeviceRegistry(*db).add("pad-001", "worker-7", kNow);
  OrderStore orders(*db);
  EXPECT_EQ(orders.newestId(), 0);
  const auto first = orders.create("pad-001", OrderKind::Urge, "", "一", std::nullopt, kNow);
  const auto second = orders.create("pad-001", OrderKind::Urge, "", "二", std::nullopt, kNow);
  const auto third = orders.create("pad-001", OrderKind::Urge, "", "三", std::nullopt, kNow);
  EXPECT_EQ(orders.newestId(), third);
  ASSERT_TRUE(orders.acknowledge("pad-001", second, kNow));
  EXPECT_EQ(orders.unacknowledgedAfter(0, 10), (std::vector<std::int64_t>{first, third}));
  EXPECT_EQ(orders.unacknowledgedAfter(first, 10), (std::vector<std::int64_t>{third}));
  EXPECT_EQ(orders.unacknowledgedAfter(0, 1), (std::vector<std::int64_t>{first}));
  EXPECT_TRUE(orders.unacknowledgedAfter(third, 10).empty());
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

TEST_F(OrderStoreTest, ACaseListsItsOrdersWithTheirWorkersAndAcknowledgements)
{
  DeviceRegistry(*db).add("pad-001", "worker-7", kNow);
  DeviceRegistry(*db).add("pad-002", "worker-8", kNow);
  const std::string number = caseIn(core::CaseState::Assigned, kNow);
  const std::string other = caseIn(core::CaseState::Assigned, kNow);
  OrderStore orders(*db);
  const auto assign = orders.create("pad-001", OrderKind::Assign, number, "请处理", std::nullopt, kNow);
  orders.create("pad-002", OrderKind::Assign, other, "请处理", std::nullopt, kNow);
  const auto urge = orders.create("pad-001", OrderKind::Urge, number, "催办", std::nullopt, kNow + std::chrono::minutes(9));
  ASSERT_TRUE(orders.acknowledge("pad-001", assign, kNow + std::chrono::seconds(4)));
  const auto listed = orders.forCase(number);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, assign);
  EXPECT_EQ(listed[0].workerId, "worker-7");
  EXPECT_EQ(listed[0].ackedAt, kNow + std::chrono::seconds(4));
  EXPECT_EQ(listed[1].id, urge);
  EXPECT_FALSE(listed[1].ackedAt);
  EXPECT_TRUE(orders.forCase("620902-20261123-000404").empty());
}

TEST_F(OrderStoreTest, ReachSaysWhetherAnOrderCanReachAWorker)
{
  OrderStore orders(*db);
  // No terminal at all.
  TerminalReach none = orders.reach("worker-9");
  EXPECT_EQ(none.terminals, 0);
  EXPECT_FALSE(none.online(kNow));
  // A terminal that never reported; then one that reported 2 minutes ago; a revoked one does not count.
  DeviceRegistry(*db).add("pad-001", "worker-7", kNow);
  DeviceRegistry(*db).add("pad-003", "worker-7", kNow);
  DeviceRegistry(*db).revoke("pad-003");
  TerminalReach silent = orders.reach("worker-7");
  EXPECT_EQ(silent.terminals, 1);
  EXPECT_FALSE(silent.lastFix);
  EXPECT_FALSE(silent.online(kNow));
  PositionStore(*db).record({"pad-001", "worker-7", kNow - std::chrono::minutes(2), {98.51, 39.74}, 5.0});
  const TerminalReach reporting = orders.reach("worker-7");
  EXPECT_EQ(reporting.lastFix, kNow - std::chrono::minutes(2));
  EXPECT_TRUE(reporting.online(kNow));
  EXPECT_FALSE(reporting.online(kNow + std::chrono::minutes(10))); // silent for 12 minutes: offline
}
