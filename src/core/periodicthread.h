#pragma once
// A thread that runs a task at once and then every interval until it is stopped: the order
// pump, the supervision scheduler and the sink's publisher. A WorkerThread (see there) whose
// every round is the task and comes one interval after the last. What the task throws is
// caught and reported; the thread goes on with the next run.

#include "core/workerthread.h"

#include <chrono>
#include <functional>
#include <string>

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
    const std::chrono::milliseconds mInterval;
    WorkerThread mThread;
};

} // namespace gd::core
