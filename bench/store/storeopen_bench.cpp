// bench_store_open --store FILE [--runs N] [--cold]
//
// How long opening a store takes with its integrity check (PRAGMA quick_check, issue 14 #8),
// beside the open without it, in the same run, on the same file. Each figure is a fresh process
// (the check runs once per file and process), the modes alternating so a neighbour's load hurts
// each alike; --cold drops the page cache (as root: sync; echo 3 > /proc/sys/vm/drop_caches)
// before every process. Modes, each until the first query (open cases counted) is answered:
//   check first   Schema::open checking before it returns (every file, as a command does)
//   background    Schema::open as the console and the gateway do (setBackgroundCheck: a file
//                 over 32 MiB is checked on a thread of its own); also when the check passed
//   baseline      the open without any check: the raw sqlite3 read-only open, the revision read
//                 and the same query
// FILE: a 1,000,000-case store as the map benchmarks write it:
//   build/bench/map/districtview_bench --store FILE --cold 1 --runs 1   (writes FILE first)
#include "store/database.h"
#include "store/schema.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::int64_t firstQuery(gd::store::Database &db)
{
  return db.scalarInt("SELECT count(*) FROM cases WHERE is_open = 1");
}

// One measurement in this (fresh) process; prints "open_ms checked_ms".
int runChild(const std::string &mode, const std::string &path)
{
  using gd::store::Schema;
  const auto start = Clock::now();
  double openMs = 0, checkedMs = 0;
  std::int64_t open = 0;
  if (mode == "check-first")
  {
    auto db = Schema::open(path);
    open = firstQuery(*db);
    openMs = msSince(start);
    checkedMs = openMs;
  }
  else if (mode == "background")
  {
    Schema::setBackgroundCheck(Schema::kBackgroundCheckOverBytes);
    auto db = Schema::open(path);
    open = firstQuery(*db);
    openMs = msSince(start);
    Schema::waitForIntegrity(path);
    checkedMs = msSince(start);
  }
  else
  {
    sqlite3 *raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(raw, "SELECT count(*) FROM cases WHERE is_open = 1", -1, &s, nullptr);
    if (s && sqlite3_step(s) == SQLITE_ROW)
      open = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(raw);
    openMs = msSince(start);
  }
  std::printf("%.3f %.3f %lld\n", openMs, checkedMs, static_cast<long long>(open));
  return 0;
}

bool dropCaches()
{
  ::sync();
  std::ofstream drop("/proc/sys/vm/drop_caches");
  drop << "3\n";
  drop.flush();
  return static_cast<bool>(drop);
}

double median(std::vector<double> v)
{
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

} // namespace

int main(int argc, char **argv)
{
  std::string path, child;
  int runs = 3;
  bool cold = false;
  for (int i = 1; i < argc; ++i)
  {
    if (!std::strcmp(argv[i], "--store") && i + 1 < argc)
      path = argv[++i];
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--cold"))
      cold = true;
    else if (!std::strcmp(argv[i], "--child") && i + 1 < argc)
      child = argv[++i];
    else
    {
      std::fprintf(stderr, "usage: bench_store_open --store FILE [--runs N] [--cold]\n");
      return 2;
    }
  }
  if (path.empty() || !std::filesystem::exists(path))
  {
    std::fprintf(stderr, "bench_store_open: --store FILE must name an existing store (districtview_bench --store FILE "
                         "writes a 1,000,000-case one)\n");
    return 2;
  }
  if (!child.empty())
    return runChild(child, path);

  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::vector<std::string> modes{"check-first", "background", "baseline"};
  std::map<std::string, std::vector<double>> openMs, checkedMs;
  long long openCases = 0;
  for (int r = 0; r < runs; ++r)
    for (const std::string &mode : modes)
    {
      if (cold && !dropCaches())
      {
        std::fprintf(stderr, "bench_store_open: --cold needs root (writing /proc/sys/vm/drop_caches)\n");
        return 2;
      }
      const std::string command = "'" + self + "' --child " + mode + " --store '" + path + "'";
      FILE *out = ::popen(command.c_str(), "r");
      double o = 0, c = 0;
      long long n = 0;
      const bool read = out && std::fscanf(out, "%lf %lf %lld", &o, &c, &n) == 3;
      const int status = out ? ::pclose(out) : -1;
      if (!read || status != 0)
      {
        std::fprintf(stderr, "bench_store_open: the %s process failed (status %d)\n", mode.c_str(), status);
        return 1;
      }
      openMs[mode].push_back(o);
      checkedMs[mode].push_back(c);
      openCases = n;
    }

  std::printf("store open, %s, %s: %.0f MB, %lld open cases; medians of %d processes each\n", path.c_str(),
              cold ? "cold (page cache dropped before each process)" : "warm", std::filesystem::file_size(path) / 1e6,
              openCases, runs);
  const auto list = [](const std::vector<double> &v) {
    std::string s;
    char b[32];
    for (double x : v)
    {
      std::snprintf(b, sizeof b, "%s%.0f", s.empty() ? "" : ", ", x);
      s += b;
    }
    return s;
  };
  const double baseline = median(openMs["baseline"]);
  std::printf("  check first (before open returns)  open+query %9.1f ms  (%s)   ratio to baseline %.1f\n",
              median(openMs["check-first"]), list(openMs["check-first"]).c_str(), median(openMs["check-first"]) / baseline);
  std::printf("  background (console, gateway)       open+query %9.1f ms  (%s)   ratio to baseline %.1f;"
              " check passed at %.1f ms (%s)\n",
              median(openMs["background"]), list(openMs["background"]).c_str(), median(openMs["background"]) / baseline,
              median(checkedMs["background"]), list(checkedMs["background"]).c_str());
  std::printf("  baseline: raw sqlite3 open, no check open+query %9.1f ms  (%s)\n", baseline,
              list(openMs["baseline"]).c_str());
  return 0;
}
