#include "store/supervision/supervisionscheduler.h"

#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "core/supervisionrules.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/config/supervisionconfig.h"
#include "store/storeerror.h"
#include "store/timetext.h"

namespace gd::store {

namespace {

// Firings per transaction: small enough that the feed's writer waits milliseconds, not seconds.
constexpr std::size_t kFiringsPerRun = 200;

} // namespace

SupervisionScheduler::SupervisionScheduler(const std::filesystem::path &path, const SupervisionRunner &runner,
                                           std::chrono::milliseconds interval, Clock now)
  : SupervisionScheduler(StoreLocation::file(path), runner, interval, std::move(now))
{}

SupervisionScheduler::SupervisionScheduler(const StoreLocation &location, const SupervisionRunner &runner,
                                           std::chrono::milliseconds interval, Clock now)
  : mDb(std::make_unique<Database>(location, Database::Mode::ReadWrite))
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

void SupervisionScheduler::start(bool firstRunAtOnce)
{
  mThread.start(firstRunAtOnce);
}

void SupervisionScheduler::stop()
{
  mThread.stop();
}

void SupervisionScheduler::runNow()
{
  mThread.wake();
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
      // A lost PostgreSQL connection stays lost until asked to connect again: the next tick
      // retries on a new one (when no host answers now, the tick after tries again).
      if (const auto *error = dynamic_cast<const StoreError *>(&e); error && error->isConnectionLost())
      {
        try
        {
          mDb->reconnect();
        }
        catch (const std::exception &)
        {
        }
      }
      std::lock_guard lock(mMutex);
      if (mOnError)
        mOnError(e.what());
      return;
    }
    ++mRuns;
    mFired += result.fired.size();
    {
      std::lock_guard lock(mMutex);
      if (mOnRun)
        mOnRun(result);
      if (!result.more || mThread.stopping())
        return;
    }
  }
}

struct ConfiguredSupervisionScheduler::Parts
{
    std::unique_ptr<ConfigDirectory> config;
    SupervisionSettings settings;
    core::Workflow workflow;
    core::SlaClock clock;
    core::SupervisionRules rules;
    SupervisionRunner runner;
    SupervisionScheduler scheduler; //!< last: stopped before the rest goes

    Parts(const StoreLocation &location, std::unique_ptr<ConfigDirectory> loaded, const std::filesystem::path &configDir,
          std::chrono::milliseconds interval)
      : config(std::move(loaded))
      , settings(SupervisionSettings::load(configDir))
      , workflow(&config->departments)
      , clock(config->catalog, config->calendar)
      , rules(settings.supervision, config->calendar)
      , runner(rules, workflow, clock)
      , scheduler(location, runner, interval)
    {}
};

ConfiguredSupervisionScheduler::ConfiguredSupervisionScheduler(const StoreLocation &location,
                                                               const std::filesystem::path &configDir,
                                                               std::chrono::milliseconds interval)
  : d(std::make_unique<Parts>(location, ConfigDirectory::load(configDir), configDir, interval))
{}

ConfiguredSupervisionScheduler::ConfiguredSupervisionScheduler(const std::filesystem::path &path,
                                                               const std::filesystem::path &configDir,
                                                               std::chrono::milliseconds interval)
  : ConfiguredSupervisionScheduler(StoreLocation::file(path), configDir, interval)
{}

ConfiguredSupervisionScheduler::~ConfiguredSupervisionScheduler() = default;

SupervisionScheduler &ConfiguredSupervisionScheduler::scheduler()
{
  return d->scheduler;
}

} // namespace gd::store
