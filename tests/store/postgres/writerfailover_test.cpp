// The store's writer through a failover (issue 16): the gateway's group-committing writer on a
// multi-host URI (target_session_attrs=read-write) to a primary with a synchronous standby; the
// primary is killed mid-stream and the standby promoted; the writer fails the groups meanwhile
// (nothing acknowledged), connects to the promoted standby by itself, and every job it
// acknowledged is there: 0 lost. Prints the time from the kill to the first acknowledged job.

#include "pgcluster.h"
#include "store/database.h"
#include "store/storeerror.h"
#include "store/storelocation.h"
#include "store/writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

using namespace gd;

namespace {

using Clock = std::chrono::steady_clock;

TEST(WriterFailover, ASynchronousStandbyPromotedAfterThePrimaryIsKilledHasEveryAcknowledgedJob)
{
  gd::test::PgCluster primary(gd::test::PgCluster::Durability::Durable);
  primary.psql("CREATE DATABASE feed");
  primary.psql("CREATE TABLE frames (seq bigint PRIMARY KEY)", "feed");
  auto standby = gd::test::PgCluster::standbyOf(primary, true);
  const store::StoreLocation location =
    store::StoreLocation::parse(gd::test::PgCluster::multiHostConninfo({&primary, standby.get()}, "feed"));

  store::Writer writer(location, 256);
  std::mutex mutex;
  std::set<std::int64_t> acknowledged;
  std::atomic<std::int64_t> failed{0};
  std::atomic<bool> killed{false};
  Clock::time_point killedAt{};
  std::atomic<long long> firstAckAfterKillMs{-1};
  std::atomic<bool> stop{false};

  // A terminal's stream: one job per frame, resent until acknowledged (as the feed does).
  std::thread feed([&] {
    std::int64_t seq = 0;
    while (!stop.load())
    {
      ++seq;
      for (;;)
      {
        std::promise<std::exception_ptr> done;
        auto result = done.get_future();
        writer.submit([seq](store::Database &db) {
                        db.query("INSERT INTO frames (seq) VALUES (?) ON CONFLICT DO NOTHING").bindAll(seq).run();
                      },
                      [&done](std::exception_ptr error) { done.set_value(error); });
        if (!result.get())
        {
          std::lock_guard lock(mutex);
          acknowledged.insert(seq);
          if (killed.load() && firstAckAfterKillMs.load() < 0)
            firstAckAfterKillMs =
              std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killedAt).count();
          break;
        }
        ++failed;
        if (stop.load())
          return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  });

  // Some hundreds acknowledged, then the primary dies mid-stream.
  while (true)
  {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::lock_guard lock(mutex);
    if (acknowledged.size() >= 300)
      break;
  }
  killedAt = Clock::now();
  killed = true;
  primary.kill();
  standby->promote();
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (firstAckAfterKillMs.load() < 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(500)); // a few more on the new primary
  stop = true;
  feed.join();

  ASSERT_GE(firstAckAfterKillMs.load(), 0) << "no job was acknowledged within 30 s of the kill";
  std::cout << "kill → first acknowledged job on the promoted standby: " << firstAckAfterKillMs.load() << " ms; "
            << failed.load() << " job(s) failed meanwhile (not acknowledged, resent)\n";
  // Every acknowledged frame is on the promoted standby.
  store::Database check(location);
  std::set<std::int64_t> stored;
  auto q = check.query("SELECT seq FROM frames");
  while (q.step())
    stored.insert(q->columnInt(0));
  std::size_t lost = 0;
  for (const std::int64_t seq : acknowledged)
    lost += stored.count(seq) == 0 ? 1 : 0;
  EXPECT_EQ(lost, 0u) << "of " << acknowledged.size() << " acknowledged";
  EXPECT_GT(acknowledged.size(), 300u);
}

} // namespace
