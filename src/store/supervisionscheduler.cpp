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
  , mNow(now ? std::move(now) : Clock(nowUtc))
  // runOnce() reports its own failures; anything else it throws is reported by the thread.
  , mThread("supervision rules", interval, [this] { runOnce(); })
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
  mThread.start();
}

void SupervisionScheduler::stop()
{
  mThread.stop();
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
      if (!result.more || mThread.stopping())
        return;
    }
  }
}

} // namespace gd::store
