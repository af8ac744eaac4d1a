#include "apps/gateway/gatewaysink.h"

#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "core/supervisionrules.h"
#include "ingest/orderpump.h"
#include "ingest/storesink.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/supervisionconfig.h"
#include "store/supervisionrunner.h"
#include "store/supervisionscheduler.h"

#include <cstdio>
#include <filesystem>
#include <thread>

#include <sqlite3.h>
#include <sys/statvfs.h>

namespace gd::apps {

namespace {

// Owns the configuration the store sink and the rules validate against, for the sink's whole life.
class ConfiguredStoreSink : public feed::FrameSink
{
  public:
    ConfiguredStoreSink(const std::string &dbPath, feed::Gateway &gateway, const GatewayServiceOptions &options)
      : mLog(options.log)
      , mConfig(store::ConfigDirectory::load(store::ConfigDirectory::defaultPath()))
      , mSettings(store::SupervisionSettings::load(store::ConfigDirectory::defaultPath()))
      , mWorkflow(&mConfig->departments)
      , mClock(mConfig->catalog, mConfig->calendar)
      , mRules(mSettings.supervision, mConfig->calendar)
      , mRunner(mRules, mWorkflow, mClock)
    {
      // Refuses a missing or foreign file, and brings an older store up to date, before any
      // terminal is let in.
      store::Schema::open(dbPath);
      if (mLog && store::Schema::integrity(dbPath).state == store::Schema::Integrity::Checking)
        mLog("store: " + dbPath + " is large: its integrity check (quick_check) runs in the background; frames "
             "are committed and acknowledged once it passed");
      // (Set up before the sink's first write: a gateway started on a full disk says so and waits.)
      mSink = std::make_unique<ingest::StoreSink>(dbPath, *mConfig, store::Writer::Durability::Full, options.diskReserveBytes,
                                                  [log = options.log, flag = options.diskFull](bool full, const std::string &message) {
                                                    if (flag)
                                                      *flag = full;
                                                    if (log)
                                                      log(std::string(full ? "DISK FULL: " : "") + "store: " + message);
                                                  });
      mPump = std::make_unique<ingest::OrderPump>(dbPath, gateway, options.pumpEvery);
      mPump->start();
      if (options.rulesEvery.count() > 0)
      {
        mScheduler = std::make_unique<store::SupervisionScheduler>(dbPath, mRunner, options.rulesEvery);
        if (options.log)
          mScheduler->setObservers(
            [log = options.log](const store::RuleRunResult &run) {
              for (const auto &f : run.fired)
                log("rule " + f.rule + " on case " + f.caseNumber + ": " + f.reason);
              for (const auto &r : run.refused)
                log("rule not applied: " + r);
            },
            [log = options.log](const std::string &error) { log("supervision rules failed (retried next run): " + error); });
        mScheduler->start();
      }
    }

    ~ConfiguredStoreSink() override
    {
      // The gateway has stopped (it is stopped before its sink goes); the services stop before
      // the sink and the configuration they use.
      mScheduler.reset();
      mPump.reset();
      // What the disk made of the acks: no ack can be faster than the COMMIT that made its
      // frame durable (the figures benchmarks put beside the ack latency).
      if (mLog)
      {
        const store::Writer::CommitTimes t = mSink->commitTimes();
        char line[200];
        std::snprintf(line, sizeof line,
                      "store: %zu commits; COMMIT (WAL write and fsync) p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
                      "max %.2f ms; %zu over 20 ms",
                      t.commits, t.p50Ms, t.p99Ms, t.p999Ms, t.maxMs, t.over20Ms);
        mLog(line);
      }
      mSink.reset();
    }

    void authenticate(const core::HelloFrame &hello, AuthCallback done) override { mSink->authenticate(hello, std::move(done)); }
    void submit(feed::FrameBatch batch, SubmitCallback done) override { mSink->submit(std::move(batch), std::move(done)); }
    void pendingOrders(const std::string &device, OrdersCallback done) override
    {
      mSink->pendingOrders(device, std::move(done));
    }
    void watchRevocations(RevokedCallback revoked) override
    {
      if (revoked && mLog)
        revoked = [log = mLog, revoked = std::move(revoked)](const std::string &device) {
          log("device " + device + " was revoked or deleted while connected: its connection is closed");
          revoked(device);
        };
      mSink->watchRevocations(std::move(revoked));
    }

  private:
    std::function<void(const std::string &)> mLog;
    std::unique_ptr<store::ConfigDirectory> mConfig;
    store::SupervisionSettings mSettings;
    core::Workflow mWorkflow;
    core::SlaClock mClock;
    core::SupervisionRules mRules;
    store::SupervisionRunner mRunner;
    std::unique_ptr<ingest::StoreSink> mSink;
    std::unique_ptr<ingest::OrderPump> mPump;
    std::unique_ptr<store::SupervisionScheduler> mScheduler;
};

} // namespace

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
} // namespace

std::unique_ptr<feed::FrameSink> openGatewaySink(const std::string &dbPath, feed::Gateway &gateway,
                                                 const GatewayServiceOptions &options)
{
  // A store on a full disk cannot even be opened (its -shm file cannot grow): say so and wait
  // for room rather than exit, so a gateway restarted on a full disk starts by itself.
  bool told = false;
  for (;;)
  {
    try
    {
      auto sink = std::make_unique<ConfiguredStoreSink>(dbPath, gateway, options);
      if (told)
      {
        if (options.diskFull)
          *options.diskFull = false;
        if (options.log)
          options.log("store: space is back on the disk holding " + dbPath + ": starting");
      }
      return sink;
    }
    catch (const store::StoreError &e)
    {
      const bool spaceError = e.primaryCode() == SQLITE_FULL || e.primaryCode() == SQLITE_IOERR;
      if (!spaceError || freeBytesBeside(dbPath) >= (1u << 20))
        throw;
      if (!told && options.log)
        options.log(std::string("DISK FULL: store: cannot open ") + dbPath + " (" + e.what() +
                    "): the disk is full; waiting until space is freed");
      told = true;
      if (options.diskFull)
        *options.diskFull = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

} // namespace gd::apps
