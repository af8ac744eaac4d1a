// The one thread helper: rounds when there is work, when woken or when due; stop() cuts any
// wait short (an hour-long wait here: a stop that did not would hang the test); drainOnStop
// does the work queued before the thread ends; a round that throws is reported and the
// thread goes on (or ends, as asked); no push is missed between a check and a wait.
#include "core/workerthread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using gd::core::WorkerThread;
using namespace std::chrono_literals;

namespace {

template <typename Predicate>
bool waitFor(Predicate done, std::chrono::milliseconds limit = 10s)
{
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(1ms);
  return done();
}

//! A queue on a worker thread, as the writer and the service threads use it.
class Queue
{
  public:
    explicit Queue(bool drainOnStop)
      : mThread("queue", [this] { return round(); }, options(drainOnStop))
    {}

    void push(int value)
    {
      {
        std::lock_guard lock(mThread.mutex());
        mQueue.push_back(value);
      }
      mThread.notify();
    }

    WorkerThread::Next round()
    {
      std::deque<int> taken;
      {
        std::lock_guard lock(mThread.mutex());
        taken.swap(mQueue);
      }
      for (int value : taken)
        done.push_back(value); // the thread's alone until it is joined
      ++rounds;
      return WorkerThread::Next::whenWoken();
    }

    WorkerThread::Options options(bool drainOnStop)
    {
      WorkerThread::Options o;
      o.hasWork = [this] { return !mQueue.empty(); };
      o.drainOnStop = drainOnStop;
      return o;
    }

    std::deque<int> mQueue;
    std::vector<int> done;
    std::atomic<int> rounds{0};
    WorkerThread mThread; // last: stopped before the queue goes
};

} // namespace

TEST(WorkerThread, NoPushIsMissedBetweenACheckAndAWait)
{
  Queue queue(false);
  queue.mThread.start(WorkerThread::Next::whenWoken());
  constexpr int kPushes = 20000;
  std::thread other([&] {
    for (int i = kPushes / 2; i < kPushes; ++i)
      queue.push(i);
  });
  for (int i = 0; i < kPushes / 2; ++i)
    queue.push(i);
  other.join();
  // Without the notify under the mutex the thread could sleep with work queued: it never
  // times out (whenWoken), so the last push would wait for ever.
  EXPECT_TRUE(waitFor([&] {
    std::lock_guard lock(queue.mThread.mutex());
    return queue.mQueue.empty();
  }));
  queue.mThread.stop();
  EXPECT_EQ(queue.done.size(), static_cast<std::size_t>(kPushes));
}

TEST(WorkerThread, WorkQueuedAfterTheLastRoundIsDoneOnlyWithDrainOnStop)
{
  for (const bool drain : {true, false})
  {
    SCOPED_TRACE(drain);
    std::mutex gate;
    std::unique_lock held(gate);
    std::deque<int> queue{1};
    std::vector<int> done;
    std::atomic<bool> inRound{false};
    WorkerThread *self = nullptr;
    WorkerThread::Options options;
    options.hasWork = [&] { return !queue.empty(); };
    options.drainOnStop = drain;
    WorkerThread thread(
      "drain",
      [&] {
        std::deque<int> taken;
        {
          std::lock_guard lock(self->mutex());
          taken.swap(queue);
        }
        inRound = true;
        std::lock_guard wait(gate); // holds on, having taken its work, until the test let it go
        done.insert(done.end(), taken.begin(), taken.end());
        return WorkerThread::Next::whenWoken();
      },
      options);
    self = &thread;
    thread.start();
    ASSERT_TRUE(waitFor([&] { return inRound.load(); }));
    {
      std::lock_guard lock(thread.mutex());
      queue.push_back(2); // after the round took its work
    }
    std::thread stopper([&] { thread.stop(); });
    ASSERT_TRUE(waitFor([&] { return thread.stopping(); }));
    held.unlock();
    stopper.join();
    EXPECT_EQ(done, drain ? std::vector<int>({1, 2}) : std::vector<int>({1}));
  }
}

TEST(WorkerThread, StopCutsAWaitShortAndWakeRunsARoundAtOnce)
{
  std::atomic<int> rounds{0};
  WorkerThread thread("test", [&] {
    ++rounds;
    return WorkerThread::Next::in(1h);
  });
  EXPECT_FALSE(thread.running());
  thread.start();
  EXPECT_TRUE(thread.running());
  ASSERT_TRUE(waitFor([&] { return rounds == 1; }));
  thread.wake();
  EXPECT_TRUE(waitFor([&] { return rounds == 2; }));
  thread.stop(); // would sit out the hour otherwise
  thread.stop(); // idempotent
  EXPECT_TRUE(thread.stopping());
  EXPECT_FALSE(thread.running());
  EXPECT_EQ(rounds, 2);
}

TEST(WorkerThread, StopCutsAWaitInsideARoundShort)
{
  std::atomic<bool> waiting{false};
  std::atomic<bool> ready{true};
  WorkerThread *self = nullptr;
  WorkerThread thread("test", [&] {
    std::unique_lock lock(self->mutex());
    waiting = true;
    ready = self->waitFor(lock, 1h, [] { return false; });
    return WorkerThread::Next::done();
  });
  self = &thread;
  thread.start();
  ASSERT_TRUE(waitFor([&] { return waiting.load(); }));
  thread.stop();
  EXPECT_FALSE(ready); // woken by the stop, not by what it waited for
}

TEST(WorkerThread, ARoundThatThrowsIsReportedAndTheThreadGoesOn)
{
  std::atomic<int> rounds{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  WorkerThread::Options options;
  options.retryAfter = 1ms;
  options.onError = [&](const std::string &what) {
    std::lock_guard lock(mutex);
    failures.push_back(what);
  };
  WorkerThread thread(
    "test",
    [&] {
      if (++rounds == 1)
        throw std::runtime_error("database is locked");
      if (rounds == 2)
        throw 42; // not a std::exception: reported all the same, not std::terminate
      return WorkerThread::Next::whenWoken();
    },
    options);
  thread.start();
  EXPECT_TRUE(waitFor([&] { return rounds == 3; }));
  thread.stop();
  std::lock_guard lock(mutex);
  EXPECT_EQ(failures, (std::vector<std::string>{"database is locked", "unknown exception"}));
}

TEST(WorkerThread, ARoundThatThrowsEndsTheThreadWhenAsked)
{
  std::atomic<int> rounds{0};
  std::atomic<int> reported{0};
  std::atomic<bool> exited{false};
  std::thread::id exitedOn;
  WorkerThread::Options options;
  options.endOnError = true;
  options.retryAfter = 1ms;
  options.onError = [&](const std::string &) { ++reported; };
  options.atExit = [&] {
    exitedOn = std::this_thread::get_id();
    exited = true;
  };
  WorkerThread thread(
    "once",
    [&]() -> WorkerThread::Next {
      ++rounds;
      throw std::runtime_error("no such table: cases");
    },
    options);
  thread.start();
  ASSERT_TRUE(waitFor([&] { return exited.load(); }));
  thread.wake(); // the thread has ended: no second round
  thread.stop();
  EXPECT_EQ(rounds, 1);
  EXPECT_EQ(reported, 1);
  EXPECT_NE(exitedOn, std::this_thread::get_id()); // atExit runs on the thread
}

TEST(WorkerThread, AFirstRoundCanWait)
{
  std::atomic<int> rounds{0};
  WorkerThread thread("test", [&] {
    ++rounds;
    return WorkerThread::Next::done();
  });
  thread.start(WorkerThread::Next::in(1h));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(rounds, 0);
  thread.wake();
  EXPECT_TRUE(waitFor([&] { return rounds == 1; }));
  thread.stop();
}
