#include "ingest/orderpump.h"

#include "core/caseworkflow.h"
#include "feed/gateway.h"
#include "ingest/orderframes.h"
#include "store/cases/casestore.h"
#include "store/database.h"
#include "store/feed/orderstore.h"
#include "store/storeerror.h"

#include <vector>

namespace gd::ingest {

namespace {

// Enough for any burst an operator can cause (an alert to every terminal of a district),
// small enough that one poll never holds a read snapshot for long.
constexpr int kBatch = 2000;

} // namespace

OrderPump::OrderPump(const std::filesystem::path &store, feed::Gateway &gateway, std::chrono::milliseconds interval)
  : OrderPump(store, [&gateway](const std::string &device, feed::OrderFrame order) { gateway.deliverOrder(device, std::move(order)); },
              interval)
{}

OrderPump::OrderPump(const std::filesystem::path &store, Deliver deliver, std::chrono::milliseconds interval)
  : OrderPump(store::StoreLocation::file(store), std::move(deliver), interval)
{}

OrderPump::OrderPump(const store::StoreLocation &store, feed::Gateway &gateway, std::chrono::milliseconds interval)
  : OrderPump(store, [&gateway](const std::string &device, feed::OrderFrame order) { gateway.deliverOrder(device, std::move(order)); },
              interval)
{}

OrderPump::OrderPump(const store::StoreLocation &store, Deliver deliver, std::chrono::milliseconds interval)
  : mDb(std::make_unique<store::Database>(store, store::Database::Mode::ReadOnly))
  , mDeliver(std::move(deliver))
  // The store busy past its timeout, or briefly unreadable: the cursor has not moved, so the
  // next poll picks up where this one stopped.
  , mThread("order pump", interval, [this] { poll(); }, [this](const std::string &) { ++mFailed; })
{
  mCursor = store::OrderStore(*mDb).newestId();
}

OrderPump::~OrderPump()
{
  stop();
}

void OrderPump::start()
{
  mThread.start();
}

void OrderPump::stop()
{
  mThread.stop();
}

void OrderPump::poll()
{
  // A full batch means more may be waiting: poll again at once.
  do
    pollOnce();
  while (mBatchFull && !mThread.stopping());
}

std::size_t OrderPump::pollOnce()
{
  if (mReconnect)
  {
    // Throws while the server is still away: this poll fails (counted) and the next one tries again.
    mDb->reconnect();
    mReconnect = false;
  }
  try
  {
    return pollBatch();
  }
  catch (const store::StoreError &e)
  {
    // PostgreSQL: the connection is gone, not just this read; SQLite never says so.
    if (e.isConnectionLost())
      mReconnect = true;
    throw;
  }
}

std::size_t OrderPump::pollBatch()
{
  const std::vector<std::int64_t> ids = store::OrderStore(*mDb).unacknowledgedAfter(mCursor, kBatch);
  mBatchFull = ids.size() == static_cast<std::size_t>(kBatch);
  if (ids.empty())
    return 0;
  const core::Workflow readOnly;
  store::CaseStore cases(*mDb, readOnly);
  store::OrderStore orders(*mDb);
  std::size_t handed = 0;
  for (const std::int64_t id : ids)
  {
    const auto order = orders.find(id);
    if (order && !order->ackedAt)
    {
      mDeliver(order->deviceId, toOrderFrame(*order, order->caseNumber.empty() ? std::nullopt : cases.find(order->caseNumber)));
      ++mDelivered;
      ++handed;
    }
    mCursor = id;
  }
  return handed;
}

} // namespace gd::ingest
