// bench_store_changefeed [--postgres CONNINFO] [--seconds S] [--rate N] [--seats K]
//
// Seat to seat through the store (issue 16): one writer reports N cases a second (each its own
// transaction, as a console's step is), K watching seats each read the changes from their own
// connection and cursor the way the console's StoreWatcher does, and each change's time from
// its COMMIT to its read by each seat is recorded (p50, p99, max). Run on a GeoPackage file
// (the watchers poll every 20 ms, the console's interval) and, with --postgres, on a
// PostgreSQL database (the watchers wait for the gd_changes notification, at most 250 ms):
// both in the same run, the file first as the baseline. This is the store's part of the
// console's budget (≤ 300 ms from a change to a finished render on another seat): the
// delivery to the GUI (≤ 10 a second) and the render come on top.
//
// The PostgreSQL database must be empty (its store is created here) or a store from an
// earlier run of this bench.
#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "store/cases/casestore.h"
#include "store/cases/changefeed.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using namespace gd;

struct Figures
{
  std::size_t changes = 0;
  std::size_t reads = 0;
  double p50 = 0, p99 = 0, max = 0;
};

Figures run(const store::StoreLocation &location, int seconds, int rate, int seats)
{
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  core::Workflow workflow(&config->departments);
  auto db = store::Schema::openOrCreate(location);
  store::CaseStore cases(*db, workflow);

  std::mutex mutex;
  std::map<std::string, Clock::time_point> committed; // number → commit time
  std::vector<double> latencies;
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};
  std::vector<std::thread> watchers;
  for (int s = 0; s < seats; ++s)
    watchers.emplace_back([&] {
      store::Database seat(location, store::Database::Mode::ReadOnly);
      store::ChangeFeed feed(seat);
      feed.listen();
      std::int64_t cursor = feed.newestEventId();
      ++ready;
      while (!stop.load())
      {
        if (seat.isPostgres())
          feed.waitForChange(std::chrono::milliseconds(250));
        else
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const auto numbers = feed.casesChangedSince(cursor);
        const auto now = Clock::now();
        std::lock_guard lock(mutex);
        for (const std::string &n : numbers)
          if (const auto it = committed.find(n); it != committed.end())
            latencies.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
      }
    });
  while (ready.load() < seats)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

  const auto interval = std::chrono::microseconds(1'000'000 / std::max(1, rate));
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  auto next = Clock::now();
  std::size_t written = 0;
  while (Clock::now() < end)
  {
    core::CaseCommand command;
    command.action = core::CaseAction::Report;
    command.actor = "bench";
    command.at = store::nowUtc();
    command.details.category = "0301";
    command.details.lon = 98.51;
    command.details.lat = 39.74;
    command.details.grid = "620902001001001001";
    command.details.title = "楼道堆放杂物";
    store::Transaction tx(*db);
    const std::string number = cases.report(command, "620902");
    {
      // The time is taken before COMMIT returns: what a seat may see starts there.
      std::lock_guard lock(mutex);
      committed[number] = Clock::now();
    }
    tx.commit();
    ++written;
    next += interval;
    std::this_thread::sleep_until(next);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500)); // the last reads
  stop = true;
  for (auto &t : watchers)
    t.join();
  Figures f;
  f.changes = written;
  std::sort(latencies.begin(), latencies.end());
  f.reads = latencies.size();
  if (!latencies.empty())
  {
    f.p50 = latencies[latencies.size() / 2];
    f.p99 = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
    f.max = latencies.back();
  }
  return f;
}

void print(const char *name, const Figures &f, int seats)
{
  std::printf("%-34s %7zu changes, %8zu reads (%zu expected): commit → read p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms\n",
              name, f.changes, f.reads, f.changes * static_cast<std::size_t>(seats), f.p50, f.p99, f.max);
}

} // namespace

int main(int argc, char **argv)
{
  std::string postgres;
  int seconds = 20, rate = 1000, seats = 4;
  for (int i = 1; i + 1 < argc; i += 2)
  {
    if (!std::strcmp(argv[i], "--postgres"))
      postgres = argv[i + 1];
    else if (!std::strcmp(argv[i], "--seconds"))
      seconds = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rate"))
      rate = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--seats"))
      seats = std::atoi(argv[i + 1]);
  }
  std::printf("bench_store_changefeed: %d changes/s for %d s, %d seats watching\n", rate, seconds, seats);
  char dir[] = "/tmp/gd-changefeed-XXXXXX";
  if (!::mkdtemp(dir))
    return 1;
  const std::filesystem::path file = std::filesystem::path(dir) / "bench.gpkg";
  print("GeoPackage (polls every 20 ms)", run(gd::store::StoreLocation::file(file), seconds, rate, seats), seats);
  std::filesystem::remove_all(dir);
  if (!postgres.empty())
    print("PostgreSQL (LISTEN gd_changes)", run(gd::store::StoreLocation::parse(postgres), seconds, rate, seats), seats);
  return 0;
}
