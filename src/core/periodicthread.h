#pragma once
// A thread that runs a task at once and then every interval until it is stopped: what the
// order pump, the supervision scheduler and the other pollers had each written for themselves
// (start, stop, a wait that stop() cuts short, exceptions). What the task throws is caught and
// reported; the thread goes on with the next run.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gd::core {

class PeriodicThread
{
  public:
    using Task = std::function<void()>;
    //! Told what a run threw (on the thread); without one it goes to stderr under the thread's name.
    using ErrorHandler = std::function<void(const std::string &what)>;

    PeriodicThread(std::string name, std::chrono::milliseconds interval, Task task, ErrorHandler onError = {});
    //! Stops (see stop()).
    ~PeriodicThread();
    PeriodicThread(const PeriodicThread &) = delete;
    PeriodicThread &operator=(const PeriodicThread &) = delete;

    //! Starts the thread; the first run is at once, or after one interval. Idempotent.
    void start(bool firstRunAtOnce = true);
    //! Asks the thread to stop, cuts its wait short and joins it (a run under way completes). Idempotent.
    void stop();
    //! Runs the task again at once instead of at the end of the interval.
    void wake();
    //! True once stop() was asked: a long task checks it between slices of work.
    bool stopping() const;
    bool running() const;

  private:
    void loop();

    const std::string mName;
    const std::chrono::milliseconds mInterval;
    const Task mTask;
    const ErrorHandler mOnError;
    mutable std::mutex mMutex;
    std::condition_variable mWake;
    bool mStopping = false;
    bool mWoken = false;
    bool mWaitFirst = false; //!< the first run comes after one interval
    std::thread mThread;
};

} // namespace gd::core
