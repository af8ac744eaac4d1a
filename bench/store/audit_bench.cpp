// bench_store_audit [--rows N] [--postgres CONNINFO | --own-cluster]
//
// `griddispatch-ctl audit verify` over N audit rows (default 1,000,000; issue 17 asks ≤ 5 s),
// on a GeoPackage file and, with --postgres (an empty database) or --own-cluster (a throwaway
// cluster started here, as the tests do), on PostgreSQL, with baselines measured in the same
// run:
//   sm3     the chain's SM3 over the same rows in memory (no database): the hashing's share
//   select  the same paged SELECTs verify issues, rows decoded, no hashing: the reading's share
//   verify  AuditLog::verify() (with a key and one seal through the last row)
// and the cost of AuditLog::record() inside a caller's transaction (what each audited action
// adds to its write). The rows are written by a bulk INSERT with links computed here (the same
// links record() gives, which verify checks), since a million record() calls are not what is
// measured.
#include "store/audit/auditlog.h"
#include "store/audit/sm3.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storelocation.h"
#include "store/timetext.h"
#ifdef GD_BENCH_OWN_CLUSTER
#include "pgcluster.h"
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

using namespace gd;
using namespace gd::store;
namespace audit = gd::store::audit;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A plausible spread of rows: the actions, objects and details of a working center.
audit::Row makeRow(std::int64_t id, core::TimePoint t0)
{
  static const char *const kActions[] = {"case_assign", "case_register", "login_ok", "device_add", "export", "case_visit"};
  audit::Row r;
  r.id = id;
  r.at = toDbTime(t0 + std::chrono::seconds(id * 3));
  r.actorId = "op-" + std::to_string(id % 97);
  r.actorName = "值班员" + std::to_string(id % 97);
  r.host = "seat-" + std::to_string(id % 12);
  r.action = kActions[id % 6];
  r.object = "SZ20261201-" + std::to_string(100000 + id % 50000);
  r.detail = id % 4 == 0 ? "派遣至 城管执法局, 期限 2 个工作日" : "";
  r.outcome = id % 50 == 0 ? "refused" : "ok";
  r.reason = id % 50 == 0 ? "not permitted for the role" : "";
  return r;
}

void fill(Database &db, std::int64_t rows)
{
  const core::TimePoint t0 = core::beijingTime(2026, 6, 1, 0, 0);
  audit::Sm3 h;
  audit::Digest previous = audit::genesis();
  constexpr int kBatch = 500;
  std::string sql = "INSERT INTO audit_log (id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, link) VALUES ";
  for (int i = 0; i < kBatch; ++i)
    sql += i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  Transaction tx(db);
  for (std::int64_t first = 1; first <= rows; first += kBatch)
  {
    const std::int64_t n = std::min<std::int64_t>(kBatch, rows - first + 1);
    if (n < kBatch)
    {
      // The tail one row at a time.
      for (std::int64_t id = first; id < first + n; ++id)
      {
        audit::Row r = makeRow(id, t0);
        r.link = audit::link(h, previous, r);
        previous = r.link;
        auto q = db.query("INSERT INTO audit_log (id, at, actor_id, actor_name, host, action, object, detail, outcome, "
                          "reason, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bindAll(r.id, r.at, r.actorId, r.actorName, r.host, r.action, r.object, r.detail, r.outcome, r.reason);
        q->bindBlob(11, std::vector<std::uint8_t>(r.link.begin(), r.link.end()));
        q.run();
      }
      break;
    }
    auto q = db.query(sql);
    for (std::int64_t k = 0; k < n; ++k)
    {
      audit::Row r = makeRow(first + k, t0);
      r.link = audit::link(h, previous, r);
      previous = r.link;
      q->bindFrom(static_cast<int>(k * 11 + 1), r.id, r.at, r.actorId, r.actorName, r.host, r.action, r.object, r.detail,
                  r.outcome, r.reason);
      q->bindBlob(static_cast<int>(k * 11 + 11), std::vector<std::uint8_t>(r.link.begin(), r.link.end()));
    }
    q.run();
  }
  tx.commit();
}

void run(const StoreLocation &location, const char *label, std::int64_t rows)
{
  auto db = Schema::openOrCreate(location);
  auto started = std::chrono::steady_clock::now();
  fill(*db, rows);
  std::printf("%s: wrote %lld rows in %.1f s\n", label, static_cast<long long>(rows), secondsSince(started));
  const std::string key(32, 'k');
  audit::AuditLog log(*db);
  log.seal(key, {"auditor", "审计员", "bench"});

  // Baseline 1: the chain's hashing alone, over the same rows built in memory.
  {
    const core::TimePoint t0 = core::beijingTime(2026, 6, 1, 0, 0);
    std::vector<audit::Row> all;
    all.reserve(static_cast<std::size_t>(rows));
    for (std::int64_t id = 1; id <= rows; ++id)
      all.push_back(makeRow(id, t0));
    audit::Sm3 h;
    audit::Digest previous = audit::genesis();
    started = std::chrono::steady_clock::now();
    for (const audit::Row &r : all)
      previous = audit::link(h, previous, r);
    std::printf("%s: sm3     %.2f s  (the links of %lld rows in memory)\n", label, secondsSince(started),
                static_cast<long long>(rows));
  }
  // Baseline 2: reading the rows as verify does, without hashing.
  {
    started = std::chrono::steady_clock::now();
    std::int64_t read = 0;
    std::size_t bytes = 0;
    for (std::int64_t from = 1;; from += 50000)
    {
      auto q = db->query("SELECT id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, link "
                         "FROM audit_log WHERE id >= ? ORDER BY id LIMIT ?");
      q.bindAll(from, std::int64_t(50000));
      std::int64_t page = 0;
      while (q.step())
      {
        ++page;
        for (int c = 1; c < 10; ++c)
          bytes += q->columnText(c).size();
        bytes += q->columnBlob(10).size();
      }
      read += page;
      if (page < 50000)
        break;
    }
    std::printf("%s: select  %.2f s  (%lld rows, %.0f MB of fields)\n", label, secondsSince(started),
                static_cast<long long>(read), bytes / 1e6);
  }
  for (int round = 1; round <= 2; ++round)
  {
    started = std::chrono::steady_clock::now();
    const audit::VerifyReport report = log.verify(key);
    std::printf("%s: verify  %.2f s  (round %d: %lld rows, %s, seal %s)\n", label, secondsSince(started), round,
                static_cast<long long>(report.rows), report.ok() ? "ok" : "FAILED",
                report.seals.empty() ? "none" : report.seals.back().holds ? "holds" : "does not hold");
  }
  // record(): inside the caller's transaction, as a store write records its action.
  {
    constexpr int kRecords = 2000;
    audit::Entry e;
    e.actor = {"op-1", "值班员1", "seat-1"};
    e.action = "case_assign";
    e.object = "SZ20261201-100001";
    started = std::chrono::steady_clock::now();
    for (int i = 0; i < kRecords; ++i)
    {
      Transaction tx(*db);
      log.record(e);
      tx.commit();
    }
    const double withCommit = secondsSince(started) / kRecords;
    started = std::chrono::steady_clock::now();
    {
      Transaction tx(*db);
      for (int i = 0; i < kRecords; ++i)
        log.record(e);
      tx.commit();
    }
    const double inside = secondsSince(started) / kRecords;
    std::printf("%s: record  %.1f us each inside one transaction; %.1f us each as its own committed transaction\n", label,
                inside * 1e6, withCommit * 1e6);
  }
}

} // namespace

int main(int argc, char **argv)
{
  std::int64_t rows = 1000000;
  std::string postgres;
  bool ownCluster = false;
  for (int i = 1; i < argc; ++i)
  {
    if (!std::strcmp(argv[i], "--rows") && i + 1 < argc)
      rows = std::atoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--postgres") && i + 1 < argc)
      postgres = argv[++i];
    else if (!std::strcmp(argv[i], "--own-cluster"))
      ownCluster = true;
    else
    {
      std::fprintf(stderr, "usage: %s [--rows N] [--postgres CONNINFO | --own-cluster]\n", argv[0]);
      return 2;
    }
  }
  // The machine's load beside the figures: on a shared machine they move with it.
  double load[3] = {};
  if (getloadavg(load, 3) == 3)
    std::printf("load average %.1f %.1f %.1f on %ld cores\n", load[0], load[1], load[2], sysconf(_SC_NPROCESSORS_ONLN));
  char dir[] = "/tmp/auditbench-XXXXXX";
  if (!mkdtemp(dir))
    return 1;
  run(StoreLocation::file(std::filesystem::path(dir) / "audit.gpkg"), "gpkg", rows);
  std::filesystem::remove_all(dir);
#ifdef GD_BENCH_OWN_CLUSTER
  std::unique_ptr<gd::test::PgCluster> cluster;
  if (ownCluster)
  {
    cluster = std::make_unique<gd::test::PgCluster>();
    postgres = cluster->createPostgisDatabase("auditbench");
  }
#else
  if (ownCluster)
  {
    std::fprintf(stderr, "--own-cluster needs the tests' support library (a build with tests)\n");
    return 2;
  }
#endif
  if (!postgres.empty())
    run(StoreLocation::parse(postgres), "postgresql", rows);
  return 0;
}
