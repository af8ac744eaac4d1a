#include "core/periodicthread.h"

#include <cstdio>

namespace gd::core {

namespace {

WorkerThread::Options optionsFor(const std::string &name, std::chrono::milliseconds interval,
                                 PeriodicThread::ErrorHandler onError)
{
  WorkerThread::Options options;
  options.retryAfter = interval; // a run that threw is retried at the next one
  if (onError)
    options.onError = std::move(onError);
  else
    options.onError = [name](const std::string &what) {
      std::fprintf(stderr, "griddispatch: %s: %s (retried next run)\n", name.c_str(), what.c_str());
    };
  return options;
}

} // namespace

PeriodicThread::PeriodicThread(std::string name, std::chrono::milliseconds interval, Task task, ErrorHandler onError)
  : mInterval(interval)
  , mThread(
      name,
      [task = std::move(task), interval] {
        task();
        return WorkerThread::Next::in(interval);
      },
      optionsFor(name, interval, std::move(onError)))
{}

PeriodicThread::~PeriodicThread()
{
  stop();
}

void PeriodicThread::start(bool firstRunAtOnce)
{
  mThread.start(firstRunAtOnce ? WorkerThread::Next::now() : WorkerThread::Next::in(mInterval));
}

void PeriodicThread::stop()
{
  mThread.stop();
}

void PeriodicThread::wake()
{
  mThread.wake();
}

bool PeriodicThread::stopping() const
{
  return mThread.stopping();
}

bool PeriodicThread::running() const
{
  return mThread.running();
}

} // namespace gd::core
