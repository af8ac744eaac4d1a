#pragma once
// Keeps the console's views in step with the store.
//
// A thread of its own polls the store on its own read-only connection: new case events (by
// their ever-increasing id, so a gateway in another process is seen as well as the embedded
// one), traffic lights that changed with the clock (a deadline or its 80 % mark passed), and
// new worker positions. What it finds is coalesced — the newest state of each case wins —
// and handed to the GUI thread at most ten times a second as one value batch, so a burst of
// a thousand changes costs the GUI one apply and one repaint. The GUI thread never waits on
// the disk. (No QGIS headers here: see storeaccess.h.)
//
// On a PostgreSQL store the thread waits for the store's change notification (LISTEN
// gd_changes, told at every commit adding events or positions by any seat or gateway) instead
// of sleeping between polls, and reads at least every 250 ms for the clock's lights. After a
// notification it reads when the GUI's next batch is due (at once after a quiet spell), so the
// commits until then come in one read and that read goes to the GUI as soon as it is done. A lost
// connection is said (connectionChanged()), made again every half second, and the first poll
// after it reads everything since the cursors: notifications are not replayed, cursors are.

#include "console/dispatch/casequeuemodel.h"
#include "core/workerthread.h"
#include "store/cases/casescope.h"
#include "map/casepin.h"
#include "map/workerlayer.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace gd::console {

//! When the watcher's thread read one changed case (CLOCK_REALTIME, ns since the epoch).
struct CaseReadTiming
{
  std::int64_t wokeNs = 0; //!< woken for the read: the notification (PostgreSQL) or the poll's timer (file)
  std::int64_t readNs = 0; //!< the read that found the case ended
};

//! One delivery of changes to the GUI.
struct StoreChanges
{
  std::vector<map::CasePin> cases;        //!< open cases, new or changed (newest state)
  std::vector<CaseQueueRow> rows;         //!< the same cases as queue rows
  QStringList closedCases;                //!< cases that left the open set (closed, voided, merged …)
  std::vector<map::WorkerPin> workers;    //!< workers whose position or status changed
  qint64 oldestChangeMs = 0;              //!< when the oldest change in this batch was seen (ms since epoch)
  //! For each of cases, in its order: when it was read (what bench/map/seat_to_seat.sh splits
  //! a change's way to another seat's render by).
  std::vector<CaseReadTiming> caseTimings;
};

class StoreWatcher : public QObject
{
    Q_OBJECT

  public:
    /**
     * Watches the store at \a path. \a pollInterval is how often the store is read;
     * \a deliveryInterval how often the GUI receives a batch (100 ms: at most 10 Hz).
     */
    StoreWatcher(const QString &path, std::chrono::milliseconds pollInterval = std::chrono::milliseconds(20),
                 std::chrono::milliseconds deliveryInterval = std::chrono::milliseconds(100), QObject *parent = nullptr);
    ~StoreWatcher() override;

    //! Follows only the cases inside \a scope (a seat's); call before start() or startFrom().
    void setScope(const store::CaseScope &scope) { mScope = scope; }
    //! Starts watching from the store's current state (earlier events are not replayed).
    void start();
    /**
     * Starts watching from a known read of the store: case events after \a eventId, and traffic
     * lights that changed after \a lightsCheckedAtSecs (seconds since the epoch), so nothing
     * that changed since that read is missed (see StoreLoader).
     */
    void startFrom(qint64 eventId, qint64 lightsCheckedAtSecs);
    //! Stops the thread; safe to call twice.
    void stop();

    //! Returns how many polls have run (for tests and the status bar).
    quint64 polls() const { return mPolls.load(); }
    //! Returns the last error the watcher met reading the store, or an empty string.
    QString lastError() const;
    //! True while the connection to a database store is lost and being made again.
    bool isReconnecting() const { return mReconnecting.load(); }

  signals:
    /**
     * On the GUI thread: the connection to the store's database was lost (\a connected false,
     * \a detail says why) and the watcher is reconnecting, or it answers again and everything
     * changed meanwhile has been read from the cursors (\a connected true).
     */
    void connectionChanged(bool connected, const QString &detail);
    //! Emitted on the GUI thread with everything that changed since the last emission.
    void changed(const gd::console::StoreChanges &changes);

  private:
    //! What the watching thread keeps from one poll to the next (its thread only).
    struct Poller;
    //! One round of the watching thread: the first opens the store, each other is a poll.
    core::WorkerThread::Next round();
    //! Reads what changed since the cursors into what is pending; true if it found something.
    bool poll(Poller &poller);
    core::WorkerThread::Options threadOptions();
    void deliver();
    //! Watcher thread: the connection was lost or made again (told to the GUI by deliver()).
    void setConnection(bool connected, const QString &detail);

    QString mPath;
    store::CaseScope mScope;
    std::chrono::milliseconds mPollInterval;
    qint64 mStartEventId = -1;       //!< -1: from the store's newest event at start
    qint64 mStartLightsSecs = 0;
    QTimer mDeliveryTimer;
    std::atomic<quint64> mPolls{0};
    std::mutex mMutex; //!< guards what is pending and the last error
    std::unique_ptr<Poller> mPoller;
    struct PendingCase
    {
      map::CasePin pin;
      CaseQueueRow row;
      CaseReadTiming timing;
    };
    std::map<QString, PendingCase> mPendingCases;
    std::map<QString, bool> mPendingClosed;
    std::map<QString, map::WorkerPin> mPendingWorkers;
    qint64 mOldestPendingMs = 0;
    QString mLastError;
    std::atomic<bool> mReconnecting{false};
    bool mConnectionChanged = false; //!< guarded by mMutex: connectionChanged() to emit
    QString mConnectionDetail;       //!< guarded by mMutex
    bool mReconnectingShown = false;  //!< GUI thread: the state last emitted
    std::chrono::milliseconds mDeliveryInterval;
    //! When the last batch went to the GUI (ms since the epoch): written by the GUI thread, read
    //! by the watching thread to read the database just before the next batch is due.
    std::atomic<qint64> mLastDeliveryMs{0};
    QTimer mDueTimer; //!< single shot: what is pending goes when the interval has passed, not at the next tick
    //! Last: stopped (by the destructor) before what it uses goes.
    core::WorkerThread mThread{"store watcher", [this] { return round(); }, threadOptions()};
};

} // namespace gd::console

Q_DECLARE_METATYPE(gd::console::StoreChanges)
