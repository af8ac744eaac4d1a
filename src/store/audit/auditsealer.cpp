#include "store/audit/auditsealer.h"

#include "store/database.h"

#include <algorithm>
#include <exception>

namespace gd::store::audit {

AuditSealer::AuditSealer(StoreLocation location, std::string key, Actor by, std::chrono::seconds every,
                         std::function<void(const std::string &)> log)
  : mLocation(std::move(location))
  , mKey(std::move(key))
  , mBy(std::move(by))
  , mEvery(std::max(every, std::chrono::seconds(1)))
  , mLog(std::move(log))
{
  mThread = std::thread([this] { run(); });
}

AuditSealer::~AuditSealer()
{
  {
    std::lock_guard lock(mMutex);
    mStop = true;
  }
  mWake.notify_all();
  mThread.join();
}

void AuditSealer::run()
{
  std::unique_ptr<Database> db;
  std::unique_lock lock(mMutex);
  while (!mStop)
  {
    lock.unlock();
    try
    {
      if (!db)
        db = std::make_unique<Database>(mLocation);
      AuditLog log(*db);
      if (log.sealIfDue(mKey, mBy, mEvery) && mLog)
      {
        const auto seals = log.seals();
        mLog("audit: sealed the log through row " + std::to_string(seals.back().throughId) + " (seal " +
             std::to_string(seals.back().id) + ", chain " + hex(seals.back().chain) + ")");
      }
    }
    catch (const std::exception &e)
    {
      db.reset(); // a lost connection is made again next time
      if (mLog)
        mLog(std::string("audit: sealing failed (tried again later): ") + e.what());
    }
    lock.lock();
    // Checked a few times per interval, so a seal is at most a fraction of it late.
    mWake.wait_for(lock, std::max<std::chrono::milliseconds>(std::chrono::milliseconds(mEvery) / 4, std::chrono::milliseconds(250)),
                   [this] { return mStop; });
  }
}

} // namespace gd::store::audit
