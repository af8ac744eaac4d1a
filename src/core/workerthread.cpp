#include "core/workerthread.h"

#include <cstdio>
#include <exception>

namespace gd::core {

WorkerThread::WorkerThread(std::string name, Round round, Options options)
  : mName(std::move(name))
  , mRound(std::move(round))
  , mOptions(std::move(options))
{}

WorkerThread::WorkerThread(std::string name, Round round)
  : WorkerThread(std::move(name), std::move(round), Options())
{}

WorkerThread::~WorkerThread()
{
  stop();
}

void WorkerThread::start(Next first)
{
  std::lock_guard lock(mMutex);
  if (mThread.joinable())
    return;
  mStopping = false;
  mWoken = false;
  mThread = std::thread([this, first] { loop(first); });
}

void WorkerThread::stop()
{
  {
    std::lock_guard lock(mMutex);
    mStopping = true;
  }
  mWake.notify_all();
  if (mThread.joinable() && mThread.get_id() != std::this_thread::get_id())
    mThread.join();
}

void WorkerThread::wake()
{
  {
    std::lock_guard lock(mMutex);
    mWoken = true;
  }
  mWake.notify_all();
}

void WorkerThread::notify()
{
  // Taking the mutex orders this after a waiter's check of hasWork(): it is either waiting
  // already (and woken) or has not checked yet (and sees the push).
  { std::lock_guard lock(mMutex); }
  mWake.notify_all();
}

bool WorkerThread::running() const
{
  std::lock_guard lock(mMutex);
  return mThread.joinable() && !mStopping;
}

void WorkerThread::report(const std::string &what) const
{
  if (mOptions.onError)
    mOptions.onError(what);
  else
    std::fprintf(stderr, "griddispatch: %s: %s\n", mName.c_str(), what.c_str());
}

void WorkerThread::loop(Next next)
{
  std::unique_lock lock(mMutex);
  for (;;)
  {
    if (next.mDone)
      break;
    const auto due = [&] { return mStopping.load() || mWoken || (!next.mAfterFailure && hasWork()); };
    if (next.mTimed)
      mWake.wait_until(lock, next.mAt, due);
    else
      mWake.wait(lock, due);
    if (mStopping && !(mOptions.drainOnStop && hasWork()))
      break;
    mWoken = false;
    lock.unlock();
    std::string failure;
    try
    {
      next = mRound();
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
      report(failure);
      // Stopping, only a thread that drains goes on (while there is work): what is queued
      // still wants doing.
      if (mOptions.endOnError || (mStopping && !mOptions.drainOnStop))
        next = Next::done();
      else
      {
        next = Next::in(mOptions.retryAfter);
        next.mAfterFailure = true;
      }
    }
    lock.lock();
  }
  lock.unlock();
  if (mOptions.atExit)
  {
    try
    {
      mOptions.atExit();
    }
    catch (const std::exception &e)
    {
      report(e.what());
    }
    catch (...)
    {
      report("unknown exception");
    }
  }
}

} // namespace gd::core
