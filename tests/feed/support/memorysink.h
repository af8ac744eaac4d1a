#pragma once
// An in-memory FrameSink for the feed tests: devices, cases and orders in maps, answers
// from a worker thread like the store's writer. A test fixture, not shipped code.

#include "feed/framesink.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gd::feed::test {

class MemorySink : public FrameSink
{
  public:
    //! With \a threaded false every answer is given synchronously inside the call.
    explicit MemorySink(bool threaded = true);
    ~MemorySink() override;

    void addDevice(const std::string &device, const std::string &token, std::int64_t lastSeq = 0);
    void revoke(const std::string &device);
    //! A case assigned to \a device (updates from other devices are forbidden).
    void addCase(const std::string &number, const std::string &device);
    //! Queues an order for \a device until an order_ack for it is stored.
    void addOrder(const std::string &device, const feed::OrderFrame &order);

    //! While held, submitted batches wait (frames "in flight"); releasing commits them in order.
    void holdCommits(bool hold);
    //! Answers every hello as a store that cannot check it now would (AuthResult::busy).
    void setUnavailable(bool unavailable);

    void authenticate(const feed::HelloFrame &hello, AuthCallback done) override;
    void submit(FrameBatch batch, SubmitCallback done) override;
    void pendingOrders(const std::string &device, OrdersCallback done) override;
    void presenceChanged(const std::string &device, bool online) override;

    std::int64_t lastSeq(const std::string &device) const;
    //! Frames stored for \a device, in commit order.
    std::vector<feed::SequencedFrame> stored(const std::string &device) const;
    std::size_t storedCount(const std::string &device) const;
    std::size_t pendingOrderCount(const std::string &device) const;
    std::size_t submittedBatches() const;
    bool online(const std::string &device) const;
    //! Waits until \a predicate holds (checked under the sink's lock after every change).
    bool waitFor(const std::function<bool()> &predicate, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  private:
    struct Device
    {
      std::string token;
      bool revoked = false;
      std::int64_t lastSeq = 0;
      std::vector<feed::SequencedFrame> frames;
      std::vector<feed::OrderFrame> orders;
    };

    void post(std::function<void()> task);
    void run();
    std::vector<FrameOutcome> apply(const FrameBatch &batch);

    bool mThreaded;
    mutable std::mutex mMutex;
    bool mUnavailable = false; // guarded by mMutex
    mutable std::condition_variable mChanged;
    std::map<std::string, Device> mDevices;
    std::map<std::string, std::string> mCases; //!< number -> assigned device
    std::set<std::string> mOnline;
    int mNextCase = 1;
    std::size_t mBatches = 0;
    bool mHold = false;
    bool mStop = false;
    std::deque<std::function<void()>> mTasks;
    std::thread mWorker;
};

} // namespace gd::feed::test
