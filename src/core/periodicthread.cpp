#include "core/periodicthread.h"

#include <cstdio>
#include <exception>

namespace gd::core {

PeriodicThread::PeriodicThread(std::string name, std::chrono::milliseconds interval, Task task, ErrorHandler onError)
  : mName(std::move(name))
  , mInterval(interval)
  , mTask(std::move(task))
  , mOnError(std::move(onError))
{}

PeriodicThread::~PeriodicThread()
{
  stop();
}

void PeriodicThread::start(bool firstRunAtOnce)
{
  std::lock_guard lock(mMutex);
  if (mThread.joinable())
    return;
  mStopping = false;
  mWaitFirst = !firstRunAtOnce;
  mThread = std::thread([this] { loop(); });
}

void PeriodicThread::stop()
{
  {
    std::lock_guard lock(mMutex);
    mStopping = true;
  }
  mWake.notify_all();
  if (mThread.joinable() && mThread.get_id() != std::this_thread::get_id())
    mThread.join();
}

void PeriodicThread::wake()
{
  {
    std::lock_guard lock(mMutex);
    mWoken = true;
  }
  mWake.notify_all();
}

bool PeriodicThread::stopping() const
{
  std::lock_guard lock(mMutex);
  return mStopping;
}

bool PeriodicThread::running() const
{
  std::lock_guard lock(mMutex);
  return mThread.joinable() && !mStopping;
}

void PeriodicThread::loop()
{
  std::unique_lock lock(mMutex);
  if (mWaitFirst)
    mWake.wait_for(lock, mInterval, [this] { return mStopping || mWoken; });
  while (!mStopping)
  {
    mWoken = false;
    lock.unlock();
    std::string failure;
    try
    {
      mTask();
    }
    catch (const std::exception &e)
    {
      failure = e.what();
    }
    catch (...)
    {
      failure = "unknown exception";
    }
    if (!failure.empty())
    {
      if (mOnError)
        mOnError(failure);
      else
        std::fprintf(stderr, "griddispatch: %s: %s (retried next run)\n", mName.c_str(), failure.c_str());
    }
    lock.lock();
    mWake.wait_for(lock, mInterval, [this] { return mStopping || mWoken; });
  }
}

} // namespace gd::core
