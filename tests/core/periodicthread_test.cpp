// The one periodic thread of the pollers (order pump, supervision scheduler): runs at once and
// every interval, a throwing run is reported and the next one still comes, stop() cuts the
// wait short, wake() runs at once.
#include "core/periodicthread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using gd::core::PeriodicThread;
using namespace std::chrono_literals;

namespace {

template <typename Predicate>
bool waitFor(Predicate done, std::chrono::milliseconds limit = 5s)
{
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(1ms);
  return done();
}

} // namespace

TEST(PeriodicThread, RunsAtOnceThenEveryInterval)
{
  std::atomic<int> runs{0};
  PeriodicThread thread("test", 20ms, [&] { ++runs; });
  EXPECT_FALSE(thread.running());
  thread.start();
  EXPECT_TRUE(thread.running());
  EXPECT_TRUE(waitFor([&] { return runs >= 1; }, 1s));
  EXPECT_TRUE(waitFor([&] { return runs >= 4; }));
  thread.stop();
  const int stopped = runs;
  std::this_thread::sleep_for(60ms);
  EXPECT_EQ(runs, stopped);
  EXPECT_FALSE(thread.running());
}

TEST(PeriodicThread, ARunThatThrowsIsReportedAndTheNextRunStillComes)
{
  std::atomic<int> runs{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  PeriodicThread thread(
    "test", 10ms,
    [&] {
      if (++runs == 1)
        throw std::runtime_error("database is locked");
    },
    [&](const std::string &what) {
      std::lock_guard lock(mutex);
      failures.push_back(what);
    });
  thread.start();
  EXPECT_TRUE(waitFor([&] { return runs >= 3; }));
  thread.stop();
  std::lock_guard lock(mutex);
  EXPECT_EQ(failures, std::vector<std::string>{"database is locked"});
}

TEST(PeriodicThread, StopCutsALongWaitShortAndWakeRunsAtOnce)
{
  std::atomic<int> runs{0};
  PeriodicThread thread("test", 1h, [&] { ++runs; });
  thread.start();
  ASSERT_TRUE(waitFor([&] { return runs == 1; }));
  thread.wake();
  EXPECT_TRUE(waitFor([&] { return runs == 2; }));
  const auto before = std::chrono::steady_clock::now();
  thread.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s); // not the hour
  thread.stop(); // idempotent
  EXPECT_TRUE(thread.stopping());
}

TEST(PeriodicThread, AFirstRunCanWaitOneInterval)
{
  std::atomic<int> runs{0};
  PeriodicThread thread("test", 1h, [&] { ++runs; });
  thread.start(false);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runs, 0);
  thread.wake(); // the console's "run the rules now"
  EXPECT_TRUE(waitFor([&] { return runs == 1; }));
  thread.stop();
}
