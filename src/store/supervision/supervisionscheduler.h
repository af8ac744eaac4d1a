#pragma once

#include "core/periodicthread.h"
#include "store/storelocation.h"
#include "store/supervision/supervisionrunner.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace gd::store {

class Database;

/**
 * Runs the supervision rules every \a interval on a thread and a writing connection of its own
 * (griddispatch-gateway, a console that embeds the store). A run that stops at its firing limit
 * is followed at once by the next, so a backlog (the first run on an old store) drains in short
 * transactions that let the feed's writer in between. Firing once and only once does not depend
 * on there being one scheduler: see SupervisionRunner.
 */
class SupervisionScheduler
{
  public:
    using Clock = std::function<core::TimePoint()>;
    //! Told after every run (whether it fired or not), and of every run that failed (on the scheduler's thread).
    using RunObserver = std::function<void(const RuleRunResult &)>;
    using ErrorObserver = std::function<void(const std::string &)>;

    /**
     * Opens the store at \a location (existing, migrated: a file or a PostgreSQL database) for
     * writing. \a runner must outlive the scheduler; \a now gives the instant of each run (the
     * wall clock when empty).
     */
    SupervisionScheduler(const StoreLocation &location, const SupervisionRunner &runner,
                         std::chrono::milliseconds interval = std::chrono::seconds(60), Clock now = {});
    //! The store file at \a path (as StoreLocation::file()).
    SupervisionScheduler(const std::filesystem::path &path, const SupervisionRunner &runner,
                         std::chrono::milliseconds interval = std::chrono::seconds(60), Clock now = {});
    //! Stops the thread.
    ~SupervisionScheduler();
    SupervisionScheduler(const SupervisionScheduler &) = delete;
    SupervisionScheduler &operator=(const SupervisionScheduler &) = delete;

    void setObservers(RunObserver onRun, ErrorObserver onError);
    //! Starts the thread; the first run is at once, or after one interval. Idempotent.
    void start(bool firstRunAtOnce = true);
    //! Runs the rules at once instead of at the end of the interval (the console's 立即运行).
    void runNow();
    //! Stops and joins the thread (a run under way completes first). Idempotent.
    void stop();

    std::uint64_t runs() const { return mRuns.load(); }
    std::uint64_t fired() const { return mFired.load(); }
    std::uint64_t failures() const { return mFailures.load(); }

  private:
    void runOnce();

    std::unique_ptr<Database> mDb;
    const SupervisionRunner &mRunner;
    Clock mNow;
    RunObserver mOnRun;
    ErrorObserver mOnError;
    std::atomic<std::uint64_t> mRuns{0};
    std::atomic<std::uint64_t> mFired{0};
    std::atomic<std::uint64_t> mFailures{0};
    std::mutex mMutex; //!< guards the observers
    core::PeriodicThread mThread; //!< last: stopped before the rest goes
};

/**
 * The scheduler with everything its runs need, read from a configuration directory
 * (store::ConfigDirectory: catalog, calendar, departments; supervision.conf): what
 * griddispatch-gateway and the console each run, so both run the rules the same way.
 */
class ConfiguredSupervisionScheduler
{
  public:
    /**
     * Reads the configuration at \a configDir and opens the store at \a location; does not run yet
     * (start()). Throws std::exception naming the file of a bad configuration or store.
     */
    ConfiguredSupervisionScheduler(const StoreLocation &location, const std::filesystem::path &configDir,
                                   std::chrono::milliseconds interval);
    //! The store file at \a path (as StoreLocation::file()).
    ConfiguredSupervisionScheduler(const std::filesystem::path &path, const std::filesystem::path &configDir,
                                   std::chrono::milliseconds interval);
    ~ConfiguredSupervisionScheduler();

    SupervisionScheduler &scheduler();

  private:
    struct Parts;
    std::unique_ptr<Parts> d;
};

} // namespace gd::store
