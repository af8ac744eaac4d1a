#pragma once
// The load side of liveupdate_bench: a thread committing new cases to a store at a steady
// rate, remembering when each was committed. Store and core headers only (no QGIS: see
// src/console/storeaccess.h for why).

#include "core/caseworkflow.h"
#include "core/demodistrict.h"

#include <QHash>
#include <QString>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gd::bench {

//! The \a n th new case a bench writer reports: at a corner of one of \a microGrids (the
//! district's, GridTree::nodesAt), spread over them, one of six categories in turn
//! (liveupdate_bench's writer and seattoseat_bench's).
core::CaseCommand benchReport(const std::vector<const core::GridNode *> &microGrids, std::size_t n);

class LiveUpdateWriter
{
  public:
    LiveUpdateWriter(std::string path, const core::DemoDistrict &district, int perSecond);
    ~LiveUpdateWriter();
    void start();
    void stop();
    std::size_t committed() const { return mCommitted.load(); }
    //! When case \a number was committed (ms since the epoch), or 0.
    qint64 committedAtMs(const QString &number) const;

  private:
    void run();
    std::string mPath;
    const core::DemoDistrict &mDistrict;
    int mPerSecond;
    std::atomic<bool> mStopping{false};
    std::atomic<std::size_t> mCommitted{0};
    mutable std::mutex mMutex;
    QHash<QString, qint64> mCommittedAt;
    std::thread mThread;
};

} // namespace gd::bench
