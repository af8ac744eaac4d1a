#include "store/supervisionscheduler.h"

#include "store/database.h"
#include "store/timetext.h"

namespace gd::store {

namespace {

// Firings per transaction: small enough that the feed's writer waits milliseconds, not seconds.
constexpr std::size_t kFiringsPerRun = 200;

} // namespace

SupervisionScheduler::SupervisionScheduler(const std::filesystem::path &path, const SupervisionRunner &runner,
                                           std::chrono::milliseconds interval, Clock now)
  : mDb(std::make_unique<Database>(path, Database::Mode::ReadWrite))
  , mRunner(runner)
  , mInterval(interval)
  , mNow(now ? std::move(now) : Clock(nowUtc))
{}

SupervisionScheduler::~SupervisionScheduler()
{
  stop();
}

void SupervisionScheduler::setObservers(RunObserver onRun, ErrorObserver onError)
{
  std::lock_guard lock(mMutex);
  mOnRun = std::move(onRun);
  mOnError = std::move(onError);
}

void SupervisionScheduler::start()
{
  std::lock_guard lock(mMutex);
  if (mThread.joinable())
    return;
  mStopping = false;
  mThread = std::thread([this] { loop(); });
}

void SupervisionScheduler::stop()
{
  {
    std::lock_guard lock(mMutex);
    mStopping = true;
  }
  mWake.notify_all();
  if (mThread.joinable())
    mThread.join();
}

void SupervisionScheduler::loop()
{
  std::unique_lock lock(mMutex);
  while (!mStopping)
  {
    lock.unlock();
    runOnce();
    lock.lock();
    mWake.wait_for(lock, mInterval, [this] { return mStopping; });
  }
}

void SupervisionScheduler::runOnce()
{
  for (;;)
  {
    RuleRunResult result;
    try
    {
      result = mRunner.run(*mDb, mNow(), kFiringsPerRun);
    }
    catch (const std::exception &e)
    {
      // Busy past the timeout, disk full …: nothing of the run was kept; the next tick retries.
      ++mFailures;
      std::lock_guard lock(mMutex);
      if (mOnError)
        mOnError(e.what());
      return;
    }
    ++mRuns;
    mFired += result.fired.size();
    {
      std::lock_guard lock(mMutex);
      if (mOnRun && (!result.fired.empty() || !result.refused.empty()))
        mOnRun(result);
      if (!result.more || mStopping)
        return;
    }
  }
}

} // namespace gd::store
