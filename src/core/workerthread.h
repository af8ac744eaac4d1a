#pragma once
// The one thread helper: start, stop, wake, a wait that stop() cuts short, and what a round
// throws caught and reported. The writer, the checkpointer, the sink's auth and publisher
// threads, the console's watcher, loader and service threads and the pollers (PeriodicThread)
// all run on it rather than on a start/stop/join/loop of their own.
//
// The thread runs rounds. Between two rounds it waits until the round's Next is due, until
// wake(), until there is work (Options::hasWork, read under mutex()), or until stop(). An owner
// that queues work guards its queue with mutex() and calls notify() after a push, so a push
// made while the thread is between its check and its wait is never missed.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gd::core {

class WorkerThread
{
  public:
    using Clock = std::chrono::steady_clock;

    //! What a round says of the next one.
    class Next
    {
      public:
        //! At once.
        static Next now() { return at(Clock::now()); }
        //! After \a delay at the latest (sooner when woken or when there is work).
        static Next in(Clock::duration delay) { return at(Clock::now() + delay); }
        static Next at(Clock::time_point when)
        {
          Next next;
          next.mAt = when;
          next.mTimed = true;
          return next;
        }
        //! Only when woken, when there is work, or (with drainOnStop) to drain.
        static Next whenWoken() { return {}; }
        //! The thread ends (after Options::atExit).
        static Next done()
        {
          Next next;
          next.mDone = true;
          return next;
        }

      private:
        friend class WorkerThread;
        Clock::time_point mAt{};
        bool mTimed = false;
        bool mDone = false;
        bool mAfterFailure = false; //!< the retry after a throwing round: work does not cut it short
    };

    //! One round, on the thread, without mutex() held.
    using Round = std::function<Next()>;
    //! Told what a round threw (on the thread); without one it goes to stderr under the thread's name.
    using ErrorHandler = std::function<void(const std::string &what)>;

    struct Options
    {
      //! Read under mutex(): a round is due at once. After stop(), with drainOnStop, rounds go on while it holds.
      std::function<bool()> hasWork;
      //! stop() lets the thread run rounds until hasWork() is false (the writer commits what is queued).
      bool drainOnStop = false;
      ErrorHandler onError;
      /**
       * After a round threw, the next comes this much later (or when woken). After stop(), a
       * round that throws ends the thread, unless it drains: then the next comes while there is work.
       */
      Clock::duration retryAfter = std::chrono::seconds(1);
      //! A round that throws ends the thread instead (one-shot work).
      bool endOnError = false;
      //! Runs on the thread as it ends (what must be closed on the thread that used it).
      std::function<void()> atExit;
    };

    WorkerThread(std::string name, Round round, Options options);
    WorkerThread(std::string name, Round round);
    //! Stops (see stop()).
    ~WorkerThread();
    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    //! Starts the thread; the first round comes at \a first. Idempotent while it runs.
    void start(Next first = Next::now());
    /**
     * Asks the thread to stop, cuts its waits short and joins it: a round under way completes,
     * and with drainOnStop the work left is done first. Idempotent; from the thread itself it
     * only asks.
     */
    void stop();
    //! Runs a round at once (or as soon as the one under way ends).
    void wake();
    //! Says that hasWork() may have changed (after a push under mutex()).
    void notify();
    //! True once stop() was asked: a long round checks it between slices of work. Any thread.
    bool stopping() const { return mStopping.load(); }
    //! True between start() and stop().
    bool running() const;
    //! Guards the thread's waits, and the owner's queue read by hasWork().
    std::mutex &mutex() const { return mMutex; }

    /**
     * In a round, with \a lock holding mutex(): waits until \a ready, stop() or \a deadline.
     * Returns ready() (false when stopped or timed out first).
     */
    template <typename Ready>
    bool waitUntil(std::unique_lock<std::mutex> &lock, Clock::time_point deadline, Ready ready)
    {
      mWake.wait_until(lock, deadline, [&] { return mStopping.load() || ready(); });
      return ready();
    }
    template <typename Ready>
    bool waitFor(std::unique_lock<std::mutex> &lock, Clock::duration timeout, Ready ready)
    {
      return waitUntil(lock, Clock::now() + timeout, std::move(ready));
    }

  private:
    void loop(Next next);
    //! Under mutex().
    bool hasWork() const { return mOptions.hasWork && mOptions.hasWork(); }
    void report(const std::string &what) const;

    const std::string mName;
    const Round mRound;
    const Options mOptions;
    mutable std::mutex mMutex;
    std::condition_variable mWake;
    std::atomic<bool> mStopping{false}; //!< set under mMutex (so no wait misses it), read anywhere
    bool mWoken = false;
    std::thread mThread;
};

} // namespace gd::core
