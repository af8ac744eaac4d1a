#pragma once
// Loads the open cases of a store on a thread of its own, for the console to show the
// district view first and the pins and queue rows as they arrive. (No QGIS headers here:
// see storeaccess.h.)

#include "console/session/storeaccess.h"
#include "core/workerthread.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <mutex>

namespace gd::console {

/**
 * Reads every open case of a store (readOpenCases) on its own thread and connection, and
 * hands them to the GUI thread in chunks: overdue and emergency cases first, since the map
 * draws them at every zoom, then the others.
 *
 * The GUI receives at most one chunk per turn of its event loop (casesRead), so applying a
 * chunk is the longest the loading ever holds the GUI thread, however fast the disk reads.
 * finished() comes after the last chunk, with the cursor a StoreWatcher starts from so that
 * no change made after the read is missed.
 */
class StoreLoader : public QObject
{
    Q_OBJECT

  public:
    //! Loads from the store at \a path in chunks of up to \a chunkSize cases.
    explicit StoreLoader(const QString &path, int chunkSize = 1000, QObject *parent = nullptr);
    //! Stops the reading thread (chunks not yet handed over are dropped).
    ~StoreLoader() override;

    //! Reads only the cases inside \a scope (a seat's); call before start().
    void setScope(const store::CaseScope &scope) { mScope = scope; }
    //! Starts reading; call once.
    void start();
    //! Returns true once finished() or failed() was emitted.
    bool isDone() const { return mDone; }

  signals:
    //! One chunk of open cases, on the GUI thread.
    void casesRead(const gd::console::OpenCaseChunk &chunk);
    //! Every chunk was handed over; \a cursor is where the read left the store.
    void finished(const gd::console::OpenCaseCursor &cursor, int cases);
    //! The store could not be read (chunks already handed over stay valid).
    void failed(const QString &message);

  private:
    void handOver();
    void wake();
    //! The reading thread's one round: every open case, then the end.
    core::WorkerThread::Next read();

    QString mPath;
    store::CaseScope mScope;
    int mChunkSize;
    QTimer mPace;
    std::mutex mMutex;
    std::deque<OpenCaseChunk> mReady;
    bool mReadDone = false;
    QString mError;
    OpenCaseCursor mCursor;
    int mCases = 0;
    bool mDone = false;
    //! Last: stopped (by the destructor) before what it uses goes; a stop cuts the read short.
    core::WorkerThread mThread{"store loader", [this] { return read(); }};
};

} // namespace gd::console

Q_DECLARE_METATYPE(gd::console::OpenCaseChunk)
Q_DECLARE_METATYPE(gd::console::OpenCaseCursor)
