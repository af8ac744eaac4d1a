#include "ingest/gatewayservice.h"

#include "ingest/orderpump.h"
#include "ingest/storesink.h"
#include "store/audit/auditsealer.h"
#include "store/config/configdir.h"
#include "core/periodicthread.h"
#include "store/database.h"
#include "store/feed/gatewayroster.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/supervision/supervisionscheduler.h"

#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>

#include <sys/statvfs.h>
#include <unistd.h>

namespace gd::ingest {

namespace {

//! Bytes free for unprivileged use on the filesystem holding \a file (max when unknown).
std::uint64_t freeBytesBeside(const std::string &file)
{
  std::filesystem::path dir = std::filesystem::path(file).parent_path();
  if (dir.empty())
    dir = ".";
  struct statvfs disk{};
  if (::statvfs(dir.c_str(), &disk) != 0)
    return UINT64_MAX;
  return static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
}

// The sink the gateway is built against before the store's sink exists (the sink's order pump
// needs the gateway): every call goes to the store's sink, set before the gateway starts.
struct Forwarder : feed::FrameSink
{
    feed::FrameSink *target = nullptr;
    void authenticate(const feed::HelloFrame &hello, AuthCallback done) override { target->authenticate(hello, std::move(done)); }
    void submit(feed::FrameBatch batch, SubmitCallback done) override { target->submit(std::move(batch), std::move(done)); }
    void pendingOrders(const std::string &device, OrdersCallback done) override { target->pendingOrders(device, std::move(done)); }
    void presenceChanged(const std::string &device, bool online) override { target->presenceChanged(device, online); }
    void watchRevocations(RevokedCallback revoked) override { target->watchRevocations(std::move(revoked)); }
};

// The store's sink with the configuration it validates against and the services beside it,
// for the sink's whole life.
class ConfiguredStoreSink : public feed::FrameSink
{
  public:
    ConfiguredStoreSink(const store::StoreLocation &location, const store::ConfigDirectory &config, feed::Gateway &gateway,
                        const GatewayServiceOptions &options, std::atomic<bool> &diskFull)
      : mLog(options.log)
      , mPostgres(location.isPostgres())
    {
      const std::string dbPath = location.display();
      // Refuses a missing or foreign file (or database), and brings an older store up to date,
      // before any terminal is let in.
      store::Schema::open(location);
      if (mLog && !location.isPostgres() && store::Schema::integrity(location.path()).state == store::Schema::Integrity::Checking)
        mLog("store: " + dbPath + " is large: its integrity check (quick_check) runs in the background; frames "
             "are committed and acknowledged once it passed");
      // (Set up before the sink's first write: a gateway started on a full disk says so and waits.)
      // On PostgreSQL the observer hears of a lost connection instead ("nothing is written … until
      // it answers again") and of the writer's reconnection: the same flag stops the acks meanwhile.
      mSink = std::make_unique<StoreSink>(location, config, store::Writer::Durability::Full, options.diskReserveBytes,
                                          [log = options.log, flag = &diskFull, down = location.isPostgres() ? "STORE DOWN: " : "DISK FULL: "](
                                            bool full, const std::string &message) {
                                            *flag = full;
                                            if (log)
                                              log(std::string(full ? down : "") + "store: " + message);
                                          });
      mPump = std::make_unique<OrderPump>(location, gateway, options.pumpEvery);
      mPump->start();
      if (options.rulesEvery.count() > 0)
      {
        // The same scheduler, configured the same way, as the console's (store::ConfiguredSupervisionScheduler).
        mRules = std::make_unique<store::ConfiguredSupervisionScheduler>(location, store::ConfigDirectory::defaultPath(),
                                                                          options.rulesEvery);
        if (options.log)
          mRules->scheduler().setObservers(
            [log = options.log](const store::RuleRunResult &run) {
              for (const auto &f : run.fired)
                log("rule " + f.rule + " on case " + f.caseNumber + ": " + f.reason);
              for (const auto &r : run.refused)
                log("rule not applied: " + r);
            },
            [log = options.log](const std::string &error) { log("supervision rules failed (retried next run): " + error); });
        mRules->scheduler().start();
      }
      if (!options.auditKeyFile.empty())
      {
        // The key is read now: a wrong path or a key readable by others stops the start.
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        mSealer = std::make_unique<store::audit::AuditSealer>(
          location, store::audit::readKey(options.auditKeyFile), store::audit::Actor{"griddispatch-gateway", "gateway", host},
          options.auditSealEvery, options.log);
      }
    }

    ~ConfiguredStoreSink() override
    {
      // The gateway has stopped (it is stopped before its sink goes); the services stop before
      // the sink and the configuration they use.
      mSealer.reset();
      mRules.reset();
      mPump.reset();
      mSink.reset();
    }

    const std::string &instance() const { return mSink->instance(); }

    std::string commitSummary() const
    {
      // No ack can be faster than the COMMIT that made its frame durable (the figures
      // benchmarks put beside the ack latency).
      const store::Writer::CommitTimes t = mSink->commitTimes();
      char line[200];
      std::snprintf(line, sizeof line,
                    "store: %zu commits; COMMIT (%s) p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
                    "max %.2f ms; %zu over 20 ms",
                    t.commits, mPostgres ? "the server's, synchronous_commit on" : "WAL write and fsync", t.p50Ms, t.p99Ms,
                    t.p999Ms, t.maxMs, t.over20Ms);
      return line;
    }

    //! Writes \a beat (with the sink's instance) in the writer's next group; errors are the writer's to tell.
    void beat(store::GatewayBeat beat, bool forgetOld)
    {
      beat.instance = mSink->instance();
      // Its own row only (and, at the first beat, rows of gateways gone for a day): nothing
      // another writer decides on, so it may share a group with positions (PostgreSQL).
      mSink->submitJob(
        [beat = std::move(beat), forgetOld](store::Database &db) {
          store::GatewayRoster roster(db);
          if (forgetOld)
            roster.forget(beat.seenAt - store::GatewayRoster::kForgetAfter);
          roster.beat(beat);
        },
        {}, store::Writer::Lock::Shared);
    }

    //! Marks this gateway stopped, waiting up to \a patience for the commit (a database that is gone is not waited for).
    void stopped(core::TimePoint at, std::chrono::milliseconds patience)
    {
      auto committed = std::make_shared<std::promise<void>>();
      auto done = committed->get_future();
      mSink->submitJob([instance = mSink->instance(), at](store::Database &db) { store::GatewayRoster(db).stopped(instance, at); },
                       [committed](std::exception_ptr) { committed->set_value(); });
      done.wait_for(patience);
    }

    void authenticate(const feed::HelloFrame &hello, AuthCallback done) override { mSink->authenticate(hello, std::move(done)); }
    void submit(feed::FrameBatch batch, SubmitCallback done) override { mSink->submit(std::move(batch), std::move(done)); }
    void pendingOrders(const std::string &device, OrdersCallback done) override
    {
      mSink->pendingOrders(device, std::move(done));
    }
    void presenceChanged(const std::string &device, bool online) override { mSink->presenceChanged(device, online); }
    void watchRevocations(RevokedCallback revoked) override
    {
      if (revoked && mLog)
        revoked = [log = mLog, revoked = std::move(revoked)](const std::string &device, DeviceGone why) {
          log(why == DeviceGone::Revoked
                ? "device " + device + " was revoked or deleted while connected: its connection is closed"
                : "device " + device + " connected through another gateway of this store: its connection here is closed");
          revoked(device, why);
        };
      mSink->watchRevocations(std::move(revoked));
    }

  private:
    std::function<void(const std::string &)> mLog;
    bool mPostgres = false;
    std::unique_ptr<StoreSink> mSink;
    std::unique_ptr<OrderPump> mPump;
    std::unique_ptr<store::ConfiguredSupervisionScheduler> mRules;
    std::unique_ptr<store::audit::AuditSealer> mSealer;
};

} // namespace

struct GatewayService::Private
{
  std::unique_ptr<store::ConfigDirectory> config;
  std::atomic<bool> diskFull{false};
  Forwarder forwarder;
  std::unique_ptr<feed::Gateway> gateway;
  std::unique_ptr<ConfiguredStoreSink> sink;

  // The heartbeat (store::GatewayRoster): what every console's feed monitor shows of this gateway.
  std::string listenHost;
  std::string machine;
  core::TimePoint startedAt{};
  std::uint64_t storedAtBeat = 0;
  std::chrono::steady_clock::time_point beatAt{};
  bool firstBeat = true;
  std::unique_ptr<core::PeriodicThread> beats;

  void beat()
  {
    const feed::GatewayStats stats = gateway->stats();
    const std::uint64_t duplicates = std::min(stats.duplicates, stats.framesAcked);
    const std::uint64_t stored = stats.framesAcked - duplicates;
    const auto now = std::chrono::steady_clock::now();
    store::GatewayBeat row;
    row.host = machine;
    row.listen = listenHost + ":" + std::to_string(gateway->port());
    row.startedAt = startedAt;
    row.seenAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    row.terminalsOnline = static_cast<std::int64_t>(stats.terminalsOnline);
    row.framesStored = static_cast<std::int64_t>(stored);
    row.duplicates = static_cast<std::int64_t>(duplicates);
    row.rejects = static_cast<std::int64_t>(stats.rejects);
    const double seconds = std::chrono::duration<double>(now - beatAt).count();
    row.storedPerSecond = firstBeat || seconds <= 0 ? 0 : static_cast<double>(stored - std::min(stored, storedAtBeat)) / seconds;
    row.ackLagMs = stats.ackLagMs;
    row.storeDown = diskFull.load();
    storedAtBeat = stored;
    beatAt = now;
    sink->beat(std::move(row), firstBeat);
    firstBeat = false;
  }
};

GatewayService::GatewayService(const std::string &db, feed::GatewayConfig config, GatewayServiceOptions options)
  : GatewayService(store::StoreLocation::parse(db), std::move(config), std::move(options))
{}

GatewayService::GatewayService(const store::StoreLocation &location, feed::GatewayConfig config, GatewayServiceOptions options)
  : d(std::make_unique<Private>())
{
  const std::string dbPath = location.display();
  d->listenHost = config.host;
  char machine[256] = {};
  d->machine = ::gethostname(machine, sizeof machine - 1) == 0 ? machine : "?";
  d->config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  if (!config.catalog)
    config.catalog = &d->config->catalog;
  d->gateway = std::make_unique<feed::Gateway>(std::move(config), d->forwarder);
  // A store on a full disk cannot even be opened (its -shm file cannot grow): say so and, when
  // asked to, wait for room rather than fail.
  bool told = false;
  for (;;)
  {
    try
    {
      d->sink = std::make_unique<ConfiguredStoreSink>(location, *d->config, *d->gateway, options, d->diskFull);
      break;
    }
    catch (const store::StoreError &e)
    {
      // (A database's disk is its server's: nothing here to wait for.)
      if (!options.waitForSpace || !e.isDiskFull() || location.isPostgres() || freeBytesBeside(dbPath) >= (1u << 20))
        throw;
      if (!told && options.log)
        options.log(std::string("DISK FULL: store: cannot open ") + dbPath + " (" + e.what() +
                    "): the disk is full; waiting until space is freed");
      told = true;
      d->diskFull = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  if (told)
  {
    d->diskFull = false;
    if (options.log)
      options.log("store: space is back on the disk holding " + dbPath + ": starting");
  }
  d->forwarder.target = d->sink.get();
}

GatewayService::~GatewayService()
{
  // The gateway stops first (it waits for every answer the sink owes it); then the services
  // and the sink.
  stop();
  d->sink.reset();
}

void GatewayService::start()
{
  d->gateway->start();
  if (d->beats)
    return;
  d->startedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  d->beatAt = std::chrono::steady_clock::now();
  d->beats = std::make_unique<core::PeriodicThread>(
    "gateway heartbeat", store::GatewayRoster::kBeatEvery, [this] { d->beat(); },
    [](const std::string &) {}); // a beat the store refused is the writer's to tell (disk full, database gone)
  d->beats->start();
}

void GatewayService::stop()
{
  const bool beating = d->beats != nullptr;
  if (beating)
    d->beats.reset();
  d->gateway->stop();
  // Said once the terminals are gone: the consoles show this gateway stopped, not silent.
  if (beating)
    d->sink->stopped(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()),
                     std::chrono::seconds(3));
}

feed::Gateway &GatewayService::gateway()
{
  return *d->gateway;
}

const feed::Gateway &GatewayService::gateway() const
{
  return *d->gateway;
}

bool GatewayService::diskFull() const
{
  return d->diskFull.load();
}

std::string GatewayService::instance() const
{
  return d->sink->instance();
}

std::string GatewayService::commitSummary() const
{
  return d->sink->commitSummary();
}

} // namespace gd::ingest
