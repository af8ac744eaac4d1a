#pragma once

#include "feed/fieldframe.h"
#include "core/periodicthread.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace gd::feed {
class Gateway;
}

namespace gd::store {
class Database;
class StoreLocation;
}

namespace gd::ingest {

/**
 * Brings orders to the terminals that are online when the order is made. An order written to
 * the store (an assignment, an urge, an emergency alert — by this process or any other, e.g.
 * the console or griddispatch-ctl) is otherwise sent only when its terminal next connects
 * (FrameSink::pendingOrders). The pump polls the `orders` table on its own read-only
 * connection for ids above the last it saw (ids are handed out in commit order: SQLite has one
 * writer at a time) and hands each unacknowledged one to Gateway::deliverOrder, which sends it
 * if the terminal is online and drops it otherwise.
 *
 * At least once, never lost: the cursor starts at the newest order when the pump is
 * constructed, so construct it before the gateway lets terminals in; an older order reaches a
 * terminal through pendingOrders at its connection. An order made while its terminal is just
 * connecting may arrive twice (from both paths); the protocol allows that and order_ack is
 * idempotent. The pump itself never sends an order twice.
 */
class OrderPump
{
  public:
    //! Where the pump hands an order (the gateway's deliverOrder in production).
    using Deliver = std::function<void(const std::string &device, feed::OrderFrame order)>;

    //! A pump delivering to \a gateway (not owned; must outlive the pump). Throws StoreError for a bad store.
    OrderPump(const std::filesystem::path &store, feed::Gateway &gateway,
              std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    OrderPump(const std::filesystem::path &store, Deliver deliver,
              std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    /**
     * The same on the store at \a location (a file, or a PostgreSQL database: there ids are in
     * commit order too, every write transaction holding the store's write lock). A lost
     * connection fails the polls (failedPolls()) until the server answers again; the pump then
     * connects again and goes on from its cursor.
     */
    OrderPump(const store::StoreLocation &store, feed::Gateway &gateway,
              std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    OrderPump(const store::StoreLocation &store, Deliver deliver,
              std::chrono::milliseconds interval = std::chrono::milliseconds(200));
    //! Stops the thread.
    ~OrderPump();
    OrderPump(const OrderPump &) = delete;
    OrderPump &operator=(const OrderPump &) = delete;

    //! Starts polling on a thread of its own. Idempotent.
    void start();
    //! Stops polling and joins the thread. Idempotent; also done by the destructor.
    void stop();
    //! One poll now, on the calling thread (only while not started): returns the orders handed over.
    std::size_t pollOnce();

    //! Orders handed over since construction.
    std::uint64_t delivered() const { return mDelivered.load(); }
    //! Polls that failed (the store busy or unreadable); the next poll retries.
    std::uint64_t failedPolls() const { return mFailed.load(); }

  private:
    void poll();
    std::size_t pollBatch();

    std::unique_ptr<store::Database> mDb;
    Deliver mDeliver;
    std::int64_t mCursor = 0;
    bool mBatchFull = false; //!< the last poll read a whole batch: more may be waiting
    bool mReconnect = false; //!< PostgreSQL: the connection was lost; connect again before the next poll
    std::atomic<std::uint64_t> mDelivered{0};
    std::atomic<std::uint64_t> mFailed{0};
    core::PeriodicThread mThread; //!< last: stopped before the rest goes
};

} // namespace gd::ingest
