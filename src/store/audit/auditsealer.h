#pragma once
// Sealing the audit log on a schedule in a running process (issue 17): a gateway (or console)
// given the audit key's path seals whenever the newest seal is older than its interval and rows
// came since (AuditLog::sealIfDue), on a connection and thread of its own.
//
// The key is then on that machine, readable by the process's user: the seals still catch
// someone who edits the database without it, but not someone who also reads the key there.
// Where the database administrator and the gateway's host are the same people, seal with
// `griddispatch-ctl audit seal --key` from the audit administrator's machine instead.

#include "store/audit/auditlog.h"
#include "store/storelocation.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gd::store::audit {

class AuditSealer
{
  public:
    /**
     * Starts sealing the store at \a location under \a key as \a by, checking every \a every.
     * \a log hears each seal and each failure (tried again next time); may be empty.
     */
    AuditSealer(StoreLocation location, std::string key, Actor by, std::chrono::seconds every,
                std::function<void(const std::string &)> log = {});
    //! Stops the thread (waits for a seal in progress).
    ~AuditSealer();
    AuditSealer(const AuditSealer &) = delete;
    AuditSealer &operator=(const AuditSealer &) = delete;

  private:
    void run();

    StoreLocation mLocation;
    std::string mKey;
    Actor mBy;
    std::chrono::seconds mEvery;
    std::function<void(const std::string &)> mLog;
    std::mutex mMutex;
    std::condition_variable mWake;
    bool mStop = false;
    std::thread mThread;
};

} // namespace gd::store::audit
