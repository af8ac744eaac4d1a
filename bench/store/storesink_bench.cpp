// The field feed's store side (ingest::StoreSink), with the comparisons issue 5 asks for.
//
//   storesink_bench --serve SECONDS --db FILE [--listen HOST:PORT] [--durability full|normal|off]
//       A gateway on the store like griddispatch-gateway (feed::Gateway + ingest::StoreSink; no
//       order pump, no supervision rules) for griddispatch-sim to load, with the writer's commits
//       made durable as --durability says (full is what the product does). Prints, per second and
//       at the end, frames committed and commits (so frames per group commit).
//
//   storesink_bench --raw --db FILE [--frames N] [--group G] [--devices D] [--durability ...]
//       The rows the sink writes for position frames — a positions row each, and each device's
//       last_seq once per commit — inserted the fastest raw way: statements prepared once, 16
//       rows per INSERT, values rendered beforehand (not timed), G frames per transaction, into a
//       bare table (no index, no AUTOINCREMENT) of a copy of the store. What SQLite and this
//       disk can do with the same rows and the same group size, without a network or a protocol.
//
//   storesink_bench --raw-pg --db URI [--frames N] [--group G] [--devices D] [--clients C]
//                   [--method insert|copy] [--report-share X]
//       The same for PostgreSQL (issue 16), from C clients at once (each its own connection and
//       its own share of the devices): the rows a group of the sink writes — a positions row per
//       position frame (geometry as EWKB, with its seq), an applied_frames row per other frame
//       (share X, the simulator's report share), and each device of the group's last_seq once
//       per transaction — into the store's own tables (their indexes, the GiST on the track,
//       the NOTIFY trigger) of a database provisioned as for --serve, G frames per transaction,
//       with 100-row prepared INSERTs or with COPY. Values rendered beforehand (not timed);
//       every statement a round trip, as a plain client sends them. The server's durability is
//       the cluster's (fsync, synchronous_commit): what that server can take of the same rows.
//
//   storesink_bench --provision N --credentials FILE --db FILE|URI
//       Writes the demo district and N terminals into the store at --db (a new file, or an
//       empty PostgreSQL database) and their tokens for griddispatch-sim: how a PostgreSQL store
//       is made ready for --serve (griddispatch-ctl demo-district writes files only).
//
// --db of --serve and --provision is a file or a PostgreSQL connection string (issue 16): the
// same sink on either backend, compared in the same run by bench/store/sink_backends.sh.
//
// Run it as performance.md says (gateway side pinned to core 0, griddispatch-sim to core 1).

#include "feed/fieldframe.h"
#include "feed/gateway.h"
#include "ingest/storesink.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "core/demodistrict.h"
#include "store/geopackage.h"
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "store/storelocation.h"
#include "store/timetext.h"
#include "store/writer.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

using Clock = std::chrono::steady_clock;
using gd::store::Writer;

namespace {

std::atomic<bool> gStop{false};

void onSignal(int)
{
  gStop = true;
}

double secondsSince(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool parseDurability(const std::string &text, Writer::Durability &out)
{
  if (text == "full")
    out = Writer::Durability::Full;
  else if (text == "normal")
    out = Writer::Durability::Normal;
  else if (text == "off")
    out = Writer::Durability::Off;
  else
    return false;
  return true;
}

const char *durabilityName(Writer::Durability d)
{
  return d == Writer::Durability::Full ? "synchronous=FULL" : d == Writer::Durability::Normal ? "synchronous=NORMAL" : "synchronous=OFF";
}

int provision(const std::string &db, int terminals, const std::string &credentials)
{
  const gd::core::DemoDistrict district = gd::core::generateDemoDistrict({});
  auto store = gd::store::Schema::openOrCreate(gd::store::StoreLocation::parse(db));
  gd::store::Transaction tx(*store);
  gd::store::writeDemoDistrict(*store, district);
  const auto provisioned = gd::store::provisionDemoTerminals(*store, district, terminals);
  tx.commit();
  gd::store::writeSimCredentials(credentials, provisioned);
  std::fprintf(stderr, "storesink_bench: the demo district and %d terminals written to %s\n", terminals,
               gd::store::StoreLocation::parse(db).display().c_str());
  return 0;
}

int serve(const std::string &db, const std::string &listen, double seconds, Writer::Durability durability)
{
  const auto config = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
  const gd::store::StoreLocation location = gd::store::StoreLocation::parse(db);
  gd::ingest::StoreSink sink(location, *config, durability);
  gd::feed::GatewayConfig gatewayConfig;
  const auto colon = listen.rfind(':');
  gatewayConfig.host = listen.substr(0, colon);
  gatewayConfig.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  gatewayConfig.catalog = &config->catalog;
  gatewayConfig.maxUnauthenticated = 1000000; // the simulated terminals all connect from loopback at once
  gatewayConfig.maxUnauthenticatedPerAddress = 0;
  gd::feed::Gateway gateway(gatewayConfig, sink);
  gateway.start();
  std::fprintf(stderr, "storesink_bench: serving %s on %s:%u for %.0f s (%s)\n", location.display().c_str(),
               gatewayConfig.host.c_str(), gateway.port(), seconds, durabilityName(durability));
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  const auto start = Clock::now();
  std::uint64_t lastApplied = 0, firstApplied = 0;
  std::size_t lastCommits = 0, firstCommits = 0;
  Clock::time_point firstAt{};
  bool loaded = false;
  while (!gStop && secondsSince(start) < seconds)
  {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const std::uint64_t applied = sink.appliedFrames();
    const std::size_t commits = sink.commitCount();
    const auto stats = gateway.stats();
    if (applied > lastApplied)
    {
      std::fprintf(stderr, "  %5.0f s  %8llu frames/s committed  %6zu commits/s  ack lag %.1f ms (max %.1f)\n",
                   secondsSince(start), static_cast<unsigned long long>(applied - lastApplied), commits - lastCommits,
                   stats.ackLagMs, stats.ackLagMaxMs);
      if (!loaded)
      {
        loaded = true;
        firstApplied = lastApplied;
        firstCommits = lastCommits;
        firstAt = Clock::now() - std::chrono::seconds(1);
      }
    }
    lastApplied = applied;
    lastCommits = commits;
  }
  gateway.stop();
  sink.flush();
  if (loaded)
  {
    const double span = secondsSince(firstAt);
    const auto frames = static_cast<double>(sink.appliedFrames() - firstApplied);
    const auto commits = static_cast<double>(sink.commitCount() - firstCommits);
    std::printf("store sink on %s (%s): %.0f frames committed in %.1f s since the first frame: %.0f frames/s, %.0f commits, "
                "%.1f frames per commit\n",
                location.isPostgres() ? "PostgreSQL" : "SQLite", durabilityName(durability), frames, span, frames / span, commits, commits > 0 ? frames / commits : 0.0);
  }
  return 0;
}

void check(sqlite3 *db, int rc, const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
  {
    std::fprintf(stderr, "storesink_bench: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

int raw(const std::string &storePath, long frames, int group, int devices, Writer::Durability durability)
{
  // A copy of the store, so the file has the store's size, page size and settings.
  const std::filesystem::path path = storePath + ".raw";
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  std::filesystem::copy_file(storePath, path);
  gd::store::Database db(path, gd::store::Database::Mode::ReadWrite);
  if (durability != Writer::Durability::Full)
    db.exec(durability == Writer::Durability::Normal ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = OFF");
  db.exec("CREATE TABLE positions_raw (id INTEGER PRIMARY KEY, geom BLOB, device_id TEXT, worker_id TEXT, at TEXT, "
          "lon REAL, lat REAL, accuracy_m REAL);"
          "CREATE TABLE devices_raw (id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;");
  sqlite3 *h = db.handle();
  constexpr int kRows = 16;
  std::string many = "INSERT INTO positions_raw (geom, device_id, worker_id, at, lon, lat, accuracy_m) VALUES ";
  for (int i = 0; i < kRows; ++i)
    many += i == 0 ? "(?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?)";
  gd::store::Statement insert(h, many);
  gd::store::Statement insertOne(h, "INSERT INTO positions_raw (geom, device_id, worker_id, at, lon, lat, accuracy_m) "
                                    "VALUES (?,?,?,?,?,?,?)");
  gd::store::Statement seqUpdate(h, "INSERT INTO devices_raw (id, last_seq) VALUES (?, ?) "
                                    "ON CONFLICT (id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)");
  gd::store::Statement begin(h, "BEGIN IMMEDIATE");
  gd::store::Statement commit(h, "COMMIT");

  // The rows, rendered before the clock starts: what a position frame from the simulator becomes.
  struct Row
  {
    std::vector<std::uint8_t> geom;
    std::string device, worker, at;
    double lon, lat, accuracy;
  };
  std::vector<Row> rows;
  rows.reserve(static_cast<std::size_t>(frames));
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  for (long i = 0; i < frames; ++i)
  {
    char device[32], worker[32];
    std::snprintf(device, sizeof device, "sim-%04ld", i % devices);
    std::snprintf(worker, sizeof worker, "worker-%04ld", i % devices);
    const gd::core::GeoPoint p{98.5 + static_cast<double>(i % 1000) * 1e-5, 39.7 + static_cast<double>(i % 777) * 1e-5};
    rows.push_back({gd::store::geopackage::encodePoint(p), device, worker, gd::store::toDbTime(now + std::chrono::seconds(i / devices)),
                    p.lon, p.lat, 8.0});
  }
  const auto bindRow = [](sqlite3_stmt *s, int first, const Row &r) {
    sqlite3_bind_blob(s, first, r.geom.data(), static_cast<int>(r.geom.size()), SQLITE_STATIC);
    sqlite3_bind_text(s, first + 1, r.device.data(), static_cast<int>(r.device.size()), SQLITE_STATIC);
    sqlite3_bind_text(s, first + 2, r.worker.data(), static_cast<int>(r.worker.size()), SQLITE_STATIC);
    sqlite3_bind_text(s, first + 3, r.at.data(), static_cast<int>(r.at.size()), SQLITE_STATIC);
    sqlite3_bind_double(s, first + 4, r.lon);
    sqlite3_bind_double(s, first + 5, r.lat);
    sqlite3_bind_double(s, first + 6, r.accuracy);
  };
  const auto step = [h](gd::store::Statement &s, const char *what) {
    check(h, sqlite3_step(s.handle()), what);
    sqlite3_reset(s.handle());
  };

  const auto start = Clock::now();
  long commits = 0;
  for (long done = 0; done < frames; done += group)
  {
    const long end = std::min(frames, done + group);
    step(begin, "BEGIN");
    long i = done;
    for (; i + kRows <= end; i += kRows)
    {
      for (int k = 0; k < kRows; ++k)
        bindRow(insert.handle(), k * 7 + 1, rows[static_cast<std::size_t>(i + k)]);
      step(insert, "insert");
    }
    for (; i < end; ++i)
    {
      bindRow(insertOne.handle(), 1, rows[static_cast<std::size_t>(i)]);
      step(insertOne, "insert");
    }
    // Each device's last_seq once per transaction.
    for (long d = 0; d < std::min<long>(devices, end - done); ++d)
    {
      const Row &r = rows[static_cast<std::size_t>(done + d)];
      sqlite3_bind_text(seqUpdate.handle(), 1, r.device.data(), static_cast<int>(r.device.size()), SQLITE_STATIC);
      sqlite3_bind_int64(seqUpdate.handle(), 2, end);
      step(seqUpdate, "last_seq");
    }
    step(commit, "COMMIT");
    ++commits;
  }
  const double seconds = secondsSince(start);
  std::printf("raw batched insert (%s): %ld position rows in %.2f s: %.0f frames/s, %ld commits of %d frames "
              "(bare table, 16 rows per INSERT)\n",
              durabilityName(durability), frames, seconds, static_cast<double>(frames) / seconds, commits, group);
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  return 0;
}


// ---- PostgreSQL: the raw rows from one or more plain libpq clients -------------------------

[[noreturn]] void pgFail(PGconn *c, PGresult *r, const char *what)
{
  std::fprintf(stderr, "storesink_bench: %s: %s\n", what, r ? PQresultErrorMessage(r) : PQerrorMessage(c));
  std::exit(1);
}

void pgExec(PGconn *c, const char *sql)
{
  PGresult *r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
    pgFail(c, r, sql);
  PQclear(r);
}

std::string hex(const std::vector<std::uint8_t> &bytes)
{
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes)
  {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

struct PgRow
{
  bool position = true; // else an applied_frames row
  std::string geom;     // hex EWKB
  std::string device, worker, at, lon, lat, accuracy, seq;
};

int rawPostgres(const std::string &conninfo, long frames, int group, int devices, int clients, bool copy, double reportShare)
{
  PGconn *setup = PQconnectdb(conninfo.c_str());
  if (PQstatus(setup) != CONNECTION_OK)
    pgFail(setup, nullptr, "connect");
  // The provisioned devices (applied_frames refers to them), and where their seqs stand.
  std::vector<std::pair<std::string, std::string>> ids;
  std::vector<std::int64_t> firstSeq;
  {
    const std::string sql = "SELECT id, worker_id, last_seq FROM devices ORDER BY id LIMIT " + std::to_string(devices);
    PGresult *r = PQexec(setup, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
      pgFail(setup, r, "SELECT devices");
    for (int i = 0; i < PQntuples(r); ++i)
    {
      ids.emplace_back(PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
      firstSeq.push_back(std::atoll(PQgetvalue(r, i, 2)));
    }
    PQclear(r);
  }
  long maxSeq = 0;
  {
    PGresult *r = PQexec(setup, "SELECT coalesce(max(seq), 0) FROM applied_frames");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
      maxSeq = std::atol(PQgetvalue(r, 0, 0));
    PQclear(r);
  }
  PQfinish(setup);
  if (ids.empty())
  {
    std::fprintf(stderr, "storesink_bench: no devices in the database (provision it first)\n");
    return 1;
  }
  devices = static_cast<int>(ids.size());
  clients = std::max(1, std::min(clients, devices));

  // Client k sends the frames of devices k, k + C, k + 2C …, frame after frame round the devices.
  std::vector<std::vector<PgRow>> rowsOf(static_cast<std::size_t>(clients));
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const long reportEvery = reportShare > 0 ? std::max(1L, static_cast<long>(1.0 / reportShare + 0.5)) : 0;
  for (long i = 0; i < frames; ++i)
  {
    const auto d = static_cast<std::size_t>(i % devices);
    const gd::core::GeoPoint p{98.5 + static_cast<double>(i % 1000) * 1e-5, 39.7 + static_cast<double>(i % 777) * 1e-5};
    PgRow row;
    row.position = reportEvery == 0 || i % reportEvery != reportEvery - 1;
    row.device = ids[d].first;
    row.worker = ids[d].second;
    row.at = gd::store::toDbTime(now + std::chrono::seconds(i / devices));
    row.seq = std::to_string(std::max<long>(firstSeq[d], maxSeq) + 1 + i / devices);
    if (row.position)
    {
      row.geom = hex(gd::store::geopackage::toEwkb(gd::store::geopackage::encodePoint(p)));
      char number[32];
      std::snprintf(number, sizeof number, "%.17g", p.lon);
      row.lon = number;
      std::snprintf(number, sizeof number, "%.17g", p.lat);
      row.lat = number;
      row.accuracy = "8";
    }
    rowsOf[d % static_cast<std::size_t>(clients)].push_back(std::move(row));
  }

  constexpr int kRows = 100;
  std::atomic<long> commits{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int k = 0; k < clients; ++k)
  {
    threads.emplace_back([&, k] {
      const std::vector<PgRow> &rows = rowsOf[static_cast<std::size_t>(k)];
      PGconn *c = PQconnectdb(conninfo.c_str());
      if (PQstatus(c) != CONNECTION_OK)
        pgFail(c, nullptr, "connect");
      std::string many = "INSERT INTO positions (geom, device_id, worker_id, at, lon, lat, accuracy_m, seq) VALUES ";
      for (int i = 0; i < kRows; ++i)
      {
        const int b = i * 8;
        many += (i == 0 ? "(" : ",(") + std::string("$") + std::to_string(b + 1);
        for (int j = 2; j <= 8; ++j)
          many += ",$" + std::to_string(b + j);
        many += ")";
      }
      const char *one = "INSERT INTO positions (geom, device_id, worker_id, at, lon, lat, accuracy_m, seq) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)";
      const char *applied = "INSERT INTO applied_frames (device_id, seq, applied_at, result) "
                            "SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])";
      const char *lastSeq = "UPDATE devices SET last_seq = v.s FROM unnest($1::text[], $2::bigint[]) AS v(id, s) "
                            "WHERE devices.id = v.id AND devices.last_seq < v.s";
      for (const auto &[name, sql, n] : {std::tuple<const char *, const char *, int>{"many", many.c_str(), kRows * 8},
                                         {"one", one, 8}, {"applied", applied, 4}, {"lastseq", lastSeq, 2}})
      {
        PGresult *r = PQprepare(c, name, sql, n, nullptr);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
          pgFail(c, r, sql);
        PQclear(r);
      }
      const auto run = [c](const char *name, int n, const char *const *values) {
        PGresult *r = PQexecPrepared(c, name, n, values, nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
          pgFail(c, r, name);
        PQclear(r);
      };
      const auto arrayOf = [](const std::vector<const std::string *> &items) {
        std::string a = "{";
        for (const std::string *item : items)
        {
          if (a.size() > 1)
            a += ',';
          a += '"' + *item + '"';
        }
        return a + "}";
      };
      std::vector<const char *> values(kRows * 8);
      std::string buffer;
      std::vector<const PgRow *> positions;
      for (std::size_t done = 0; done < rows.size(); done += static_cast<std::size_t>(group))
      {
        const std::size_t end = std::min(rows.size(), done + static_cast<std::size_t>(group));
        positions.clear();
        std::vector<const std::string *> adev, aseq, aat, ares;
        std::map<std::string, const std::string *> seqOf; // device → its newest seq in the group
        static const std::string result = "WS-20261207-0001";
        for (std::size_t i = done; i < end; ++i)
        {
          const PgRow &r = rows[i];
          seqOf[r.device] = &r.seq;
          if (r.position)
            positions.push_back(&r);
          else
          {
            adev.push_back(&r.device);
            aseq.push_back(&r.seq);
            aat.push_back(&r.at);
            ares.push_back(&result);
          }
        }
        pgExec(c, "BEGIN");
        if (copy)
        {
          PGresult *r = PQexec(c, "COPY positions (geom, device_id, worker_id, at, lon, lat, accuracy_m, seq) FROM STDIN");
          if (PQresultStatus(r) != PGRES_COPY_IN)
            pgFail(c, r, "COPY");
          PQclear(r);
          buffer.clear();
          for (const PgRow *p : positions)
          {
            for (const std::string *f : {&p->geom, &p->device, &p->worker, &p->at, &p->lon, &p->lat, &p->accuracy, &p->seq})
            {
              buffer += *f;
              buffer += '\t';
            }
            buffer.back() = '\n';
          }
          if (PQputCopyData(c, buffer.data(), static_cast<int>(buffer.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
            pgFail(c, nullptr, "COPY data");
          r = PQgetResult(c);
          if (PQresultStatus(r) != PGRES_COMMAND_OK)
            pgFail(c, r, "COPY end");
          PQclear(r);
          while ((r = PQgetResult(c)))
            PQclear(r);
        }
        else
        {
          std::size_t i = 0;
          for (; i + kRows <= positions.size(); i += kRows)
          {
            for (int j = 0; j < kRows; ++j)
            {
              const PgRow &p = *positions[i + static_cast<std::size_t>(j)];
              const char **v = values.data() + j * 8;
              v[0] = p.geom.c_str(), v[1] = p.device.c_str(), v[2] = p.worker.c_str(), v[3] = p.at.c_str();
              v[4] = p.lon.c_str(), v[5] = p.lat.c_str(), v[6] = p.accuracy.c_str(), v[7] = p.seq.c_str();
            }
            run("many", kRows * 8, values.data());
          }
          for (; i < positions.size(); ++i)
          {
            const PgRow &p = *positions[i];
            const char *v[8] = {p.geom.c_str(), p.device.c_str(), p.worker.c_str(), p.at.c_str(),
                                p.lon.c_str(),  p.lat.c_str(),    p.accuracy.c_str(), p.seq.c_str()};
            run("one", 8, v);
          }
        }
        if (!adev.empty())
        {
          const std::string a[4] = {arrayOf(adev), arrayOf(aseq), arrayOf(aat), arrayOf(ares)};
          const char *v[4] = {a[0].c_str(), a[1].c_str(), a[2].c_str(), a[3].c_str()};
          run("applied", 4, v);
        }
        {
          std::vector<const std::string *> dev, seq;
          for (const auto &[device, s] : seqOf)
            dev.push_back(&device), seq.push_back(s);
          const std::string a[2] = {arrayOf(dev), arrayOf(seq)};
          const char *v[2] = {a[0].c_str(), a[1].c_str()};
          run("lastseq", 2, v);
        }
        pgExec(c, "COMMIT");
        ++commits;
      }
      PQfinish(c);
    });
  }
  for (std::thread &t : threads)
    t.join();
  const double seconds = secondsSince(start);
  std::printf("raw batched %s into PostgreSQL (the cluster's durability): %ld frames in %.2f s: %.0f frames/s, %ld commits of "
              "%d frames, %d client%s (the store's tables and indexes; %s)\n",
              copy ? "COPY" : "INSERT", frames, seconds, static_cast<double>(frames) / seconds, commits.load(), group, clients,
              clients == 1 ? "" : "s", copy ? "COPY positions per transaction" : "100-row prepared INSERTs");
  return 0;
}

} // namespace

int main(int argc, char **argv)
{
  std::string db, listen = "127.0.0.1:7413";
  double serveSeconds = 0;
  bool rawMode = false, rawPg = false, copy = false;
  int clients = 1;
  double reportShare = 0.05;
  long frames = 1000000;
  int group = 500, devices = 200;
  Writer::Durability durability = Writer::Durability::Full;
  int provisionTerminals = -1;
  std::string credentials;
  for (int i = 1; i < argc; ++i)
  {
    const std::string arg = argv[i];
    const bool hasValue = i + 1 < argc;
    if (arg == "--serve" && hasValue)
      serveSeconds = std::atof(argv[++i]);
    else if (arg == "--raw")
      rawMode = true;
    else if (arg == "--raw-pg")
      rawPg = true;
    else if (arg == "--clients" && hasValue)
      clients = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--method" && hasValue)
      copy = std::string(argv[++i]) == "copy";
    else if (arg == "--report-share" && hasValue)
      reportShare = std::atof(argv[++i]);
    else if (arg == "--provision" && hasValue)
      provisionTerminals = std::max(0, std::atoi(argv[++i]));
    else if (arg == "--credentials" && hasValue)
      credentials = argv[++i];
    else if (arg == "--db" && hasValue)
      db = argv[++i];
    else if (arg == "--listen" && hasValue)
      listen = argv[++i];
    else if (arg == "--frames" && hasValue)
      frames = std::atol(argv[++i]);
    else if (arg == "--group" && hasValue)
      group = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--devices" && hasValue)
      devices = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--durability" && hasValue && parseDurability(argv[i + 1], durability))
      ++i;
    else
    {
      std::fprintf(stderr, "usage: storesink_bench --serve SECONDS --db FILE [--listen HOST:PORT] [--durability full|normal|off]\n"
                           "       storesink_bench --raw --db FILE [--frames N] [--group G] [--devices D] [--durability ...]\n"
                           "       storesink_bench --raw-pg --db URI [--frames N] [--group G] [--devices D] [--clients C] "
                           "[--method insert|copy] [--report-share X]\n"
                           "       storesink_bench --provision N --credentials FILE --db FILE|URI\n");
      return 2;
    }
  }
  if (!db.empty() && provisionTerminals >= 0 && !credentials.empty())
  {
    try
    {
      return provision(db, provisionTerminals, credentials);
    }
    catch (const std::exception &e)
    {
      std::fprintf(stderr, "storesink_bench: %s\n", e.what());
      return 1;
    }
  }
  if (!db.empty() && rawPg)
    return rawPostgres(gd::store::StoreLocation::parse(db).conninfo(), frames, group, devices, clients, copy, reportShare);
  if (db.empty() || (!rawMode && serveSeconds <= 0))
  {
    std::fprintf(stderr, "storesink_bench: --db FILE and either --serve SECONDS or --raw are required\n");
    return 2;
  }
  try
  {
    return rawMode ? raw(db, frames, group, devices, durability) : serve(db, listen, serveSeconds, durability);
  }
  catch (const std::exception &e)
  {
    std::fprintf(stderr, "storesink_bench: %s\n", e.what());
    return 1;
  }
}
