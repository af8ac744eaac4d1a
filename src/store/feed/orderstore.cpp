#include "store/feed/orderstore.h"

#include "store/database.h"
#include "store/storeerror.h"
#include "store/timetext.h"

namespace gd::store {

namespace {
constexpr const char *kSelect =
  "SELECT o.id, o.device_id, o.kind, coalesce(c.number, ''), o.message, o.deadline, o.created_at, o.acked_at, "
  "coalesce(d.worker_id, '') "
  "FROM orders o LEFT JOIN cases c ON c.id = o.case_id LEFT JOIN devices d ON d.id = o.device_id ";

Order readOrder(Statement &s)
{
  Order o;
  o.id = s.columnInt(0);
  o.deviceId = s.columnText(1);
  o.kind = parseOrderKind(s.columnText(2)).value_or(OrderKind::Assign);
  o.caseNumber = s.columnText(3);
  o.message = s.columnText(4);
  o.deadline = fromDbTime(s.columnText(5));
  o.createdAt = fromDbTime(s.columnText(6)).value_or(core::TimePoint{});
  o.ackedAt = fromDbTime(s.columnText(7));
  o.workerId = s.columnText(8);
  return o;
}
} // namespace

std::string_view orderKindName(OrderKind kind)
{
  switch (kind)
  {
    case OrderKind::Assign:
      return "assign";
    case OrderKind::Urge:
      return "urge";
    case OrderKind::Alert:
      return "alert";
  }
  return "assign";
}

std::optional<OrderKind> parseOrderKind(std::string_view name)
{
  for (OrderKind k : {OrderKind::Assign, OrderKind::Urge, OrderKind::Alert})
    if (orderKindName(k) == name)
      return k;
  return std::nullopt;
}

OrderStore::OrderStore(Database &db)
  : mDb(db)
{}

std::int64_t OrderStore::create(const std::string &deviceId, OrderKind kind, const std::string &caseNumber,
                                const std::string &message, std::optional<core::TimePoint> deadline, core::TimePoint now)
{
  {
    auto q = mDb.query("SELECT 1 FROM devices WHERE id = ?");
    q.bindAll(deviceId);
    if (!q.step())
      throw StoreRefusal("unknown_device", "no device '" + deviceId + "'");
  }
  std::optional<std::int64_t> caseId;
  if (!caseNumber.empty())
  {
    auto q = mDb.query("SELECT id FROM cases WHERE number = ?");
    q.bindAll(caseNumber);
    if (!q.step())
      throw StoreRefusal("unknown_case", "no case '" + caseNumber + "'");
    caseId = q->columnInt(0);
  }
  std::optional<std::string> deadlineText;
  if (deadline)
    deadlineText = toDbTime(*deadline);
  auto q = mDb.query("INSERT INTO orders (device_id, kind, case_id, message, deadline, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                     "RETURNING id");
  q.bindAll(deviceId, orderKindName(kind), caseId, message, deadlineText, toDbTime(now));
  if (!q.step())
    throw StoreError(0, "the new order's id was not returned");
  return q->columnInt(0);
}

std::vector<Order> OrderStore::pending(const std::string &deviceId)
{
  std::vector<Order> out;
  auto q = mDb.query(std::string(kSelect) + "WHERE o.device_id = ? AND o.acked_at IS NULL ORDER BY o.id");
  q.bindAll(deviceId);
  while (q.step())
    out.push_back(readOrder(*q));
  return out;
}

std::vector<Order> OrderStore::forCase(const std::string &number)
{
  std::vector<Order> out;
  auto q = mDb.query(std::string(kSelect) + "WHERE o.case_id = (SELECT id FROM cases WHERE number = ?) ORDER BY o.id");
  q.bindAll(number);
  while (q.step())
    out.push_back(readOrder(*q));
  return out;
}

TerminalReach OrderStore::reach(const std::string &workerId)
{
  TerminalReach reach;
  reach.workerId = workerId;
  {
    auto q = mDb.query("SELECT count(*) FROM devices WHERE worker_id = ? AND revoked = 0");
    q.bindAll(workerId);
    if (q.step())
      reach.terminals = static_cast<int>(q->columnInt(0));
  }
  auto q = mDb.query("SELECT at FROM worker_positions WHERE worker_id = ?");
  q.bindAll(workerId);
  if (q.step())
    reach.lastFix = fromDbTime(q->columnText(0));
  return reach;
}

std::int64_t OrderStore::newestId()
{
  return mDb.scalarInt("SELECT coalesce(max(id), 0) FROM orders");
}

std::vector<std::int64_t> OrderStore::unacknowledgedAfter(std::int64_t afterId, int limit)
{
  std::vector<std::int64_t> ids;
  auto q = mDb.query("SELECT id FROM orders WHERE id > ? AND acked_at IS NULL ORDER BY id LIMIT ?");
  q.bindAll(afterId, limit);
  while (q.step())
    ids.push_back(q->columnInt(0));
  return ids;
}

std::optional<Order> OrderStore::find(std::int64_t id)
{
  auto q = mDb.query(std::string(kSelect) + "WHERE o.id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  return readOrder(*q);
}

bool OrderStore::acknowledge(const std::string &deviceId, std::int64_t id, core::TimePoint at)
{
  auto q = mDb.query("SELECT acked_at IS NOT NULL FROM orders WHERE id = ? AND device_id = ?");
  q.bindAll(id, deviceId);
  if (!q.step())
    return false;
  if (q->columnInt(0) != 0)
    return true;
  mDb.query("UPDATE orders SET acked_at = ? WHERE id = ? AND acked_at IS NULL").bindAll(toDbTime(at), id).run();
  return true;
}

} // namespace gd::store
