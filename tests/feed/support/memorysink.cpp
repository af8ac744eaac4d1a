#include "memorysink.h"

#include <cstdio>

namespace gd::feed::test {

MemorySink::MemorySink(bool threaded)
  : mThreaded(threaded)
{
  if (mThreaded)
    mWorker = std::thread([this] { run(); });
}

MemorySink::~MemorySink()
{
  {
    std::lock_guard lock(mMutex);
    mStop = true;
    mHold = false;
  }
  mChanged.notify_all();
  if (mWorker.joinable())
    mWorker.join();
}

void MemorySink::addDevice(const std::string &device, const std::string &token, std::int64_t lastSeq)
{
  std::lock_guard lock(mMutex);
  Device &d = mDevices[device];
  d.token = token;
  d.lastSeq = lastSeq;
}

void MemorySink::revoke(const std::string &device)
{
  std::lock_guard lock(mMutex);
  mDevices[device].revoked = true;
}

void MemorySink::addCase(const std::string &number, const std::string &device)
{
  std::lock_guard lock(mMutex);
  mCases[number] = device;
}

void MemorySink::addOrder(const std::string &device, const feed::OrderFrame &order)
{
  std::lock_guard lock(mMutex);
  mDevices[device].orders.push_back(order);
}

void MemorySink::holdCommits(bool hold)
{
  {
    std::lock_guard lock(mMutex);
    mHold = hold;
  }
  mChanged.notify_all();
}

void MemorySink::post(std::function<void()> task)
{
  if (!mThreaded)
  {
    task();
    return;
  }
  {
    std::lock_guard lock(mMutex);
    mTasks.push_back(std::move(task));
  }
  mChanged.notify_all();
}

void MemorySink::run()
{
  std::unique_lock lock(mMutex);
  for (;;)
  {
    mChanged.wait(lock, [this] { return (mStop && !mHold) || (!mHold && !mTasks.empty()); });
    if (mTasks.empty() && mStop)
      return;
    auto task = std::move(mTasks.front());
    mTasks.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

void MemorySink::setUnavailable(bool unavailable)
{
  std::lock_guard lock(mMutex);
  mUnavailable = unavailable;
}

void MemorySink::authenticate(const feed::HelloFrame &hello, AuthCallback done)
{
  // Authentication does not wait for held commits: it answers on the caller's thread.
  AuthResult result;
  {
    std::lock_guard lock(mMutex);
    const auto it = mDevices.find(hello.device);
    if (mUnavailable)
      result = AuthResult::busy("the center could not check the device just now; try again");
    else if (it == mDevices.end() || it->second.revoked || it->second.token != hello.token)
      result = AuthResult::refuse("unknown device, revoked device or wrong token");
    else
      result = AuthResult::accept(it->second.lastSeq);
  }
  done(result);
}

std::vector<FrameOutcome> MemorySink::apply(const FrameBatch &batch)
{
  std::vector<FrameOutcome> outcomes;
  {
    std::lock_guard lock(mMutex);
    Device &device = mDevices[batch.device];
    ++mBatches;
    for (const feed::SequencedFrame &frame : batch.frames)
    {
      const std::int64_t seq = feed::frameSeq(frame);
      if (seq <= device.lastSeq)
      {
        outcomes.push_back(FrameOutcome::duplicate());
        continue;
      }
      device.lastSeq = seq;
      if (const auto *update = std::get_if<feed::UpdateFrame>(&frame))
      {
        const auto it = mCases.find(update->caseNumber);
        if (it == mCases.end())
        {
          outcomes.push_back(FrameOutcome::rejected(feed::FieldCode::UnknownCase, "update field 'case': no case \"" + update->caseNumber + "\""));
          continue;
        }
        if (it->second != batch.device)
        {
          outcomes.push_back(FrameOutcome::rejected(feed::FieldCode::Forbidden, "case \"" + update->caseNumber + "\" is not assigned to this terminal's worker"));
          continue;
        }
      }
      if (const auto *ack = std::get_if<feed::OrderAckFrame>(&frame))
        std::erase_if(device.orders, [&](const feed::OrderFrame &o) { return o.order == ack->order; });
      device.frames.push_back(frame);
      if (std::holds_alternative<feed::ReportFrame>(frame))
      {
        char number[32];
        std::snprintf(number, sizeof number, "T%06d", mNextCase++);
        mCases[number] = batch.device;
        outcomes.push_back(FrameOutcome::accepted(number));
      }
      else
        outcomes.push_back(FrameOutcome::accepted());
    }
  }
  mChanged.notify_all();
  return outcomes;
}

void MemorySink::submit(FrameBatch batch, SubmitCallback done)
{
  post([this, batch = std::move(batch), done = std::move(done)] { done(apply(batch)); });
}

void MemorySink::pendingOrders(const std::string &device, OrdersCallback done)
{
  std::vector<feed::OrderFrame> orders;
  {
    std::lock_guard lock(mMutex);
    const auto it = mDevices.find(device);
    if (it != mDevices.end())
      orders = it->second.orders;
  }
  done(std::move(orders));
}

void MemorySink::presenceChanged(const std::string &device, bool online)
{
  {
    std::lock_guard lock(mMutex);
    if (online)
      mOnline.insert(device);
    else
      mOnline.erase(device);
  }
  mChanged.notify_all();
}

std::int64_t MemorySink::lastSeq(const std::string &device) const
{
  std::lock_guard lock(mMutex);
  const auto it = mDevices.find(device);
  return it == mDevices.end() ? 0 : it->second.lastSeq;
}

std::vector<feed::SequencedFrame> MemorySink::stored(const std::string &device) const
{
  std::lock_guard lock(mMutex);
  const auto it = mDevices.find(device);
  return it == mDevices.end() ? std::vector<feed::SequencedFrame>() : it->second.frames;
}

std::size_t MemorySink::storedCount(const std::string &device) const
{
  return stored(device).size();
}

std::size_t MemorySink::pendingOrderCount(const std::string &device) const
{
  std::lock_guard lock(mMutex);
  const auto it = mDevices.find(device);
  return it == mDevices.end() ? 0 : it->second.orders.size();
}

std::size_t MemorySink::submittedBatches() const
{
  std::lock_guard lock(mMutex);
  return mBatches;
}

bool MemorySink::online(const std::string &device) const
{
  std::lock_guard lock(mMutex);
  return mOnline.count(device) != 0;
}

bool MemorySink::waitFor(const std::function<bool()> &predicate, std::chrono::milliseconds timeout) const
{
  // The predicate usually calls the public accessors, which lock: poll instead of waiting
  // on the condition variable with the lock held.
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!predicate())
  {
    if (std::chrono::steady_clock::now() >= until)
      return false;
    std::unique_lock lock(mMutex);
    mChanged.wait_for(lock, std::chrono::milliseconds(5));
  }
  return true;
}

} // namespace gd::feed::test
