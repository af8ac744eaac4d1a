#include "console/session/storeloader.h"

#include <QMetaType>

#include <exception>

namespace gd::console {

StoreLoader::StoreLoader(const QString &path, int chunkSize, QObject *parent)
  : QObject(parent)
  , mPath(path)
  , mChunkSize(chunkSize)
{
  qRegisterMetaType<gd::console::OpenCaseChunk>();
  qRegisterMetaType<gd::console::OpenCaseCursor>();
  // A zero-interval timer fires once per turn of the event loop, after input and paint events:
  // one chunk a turn, however many the reader has ready.
  mPace.setInterval(0);
  connect(&mPace, &QTimer::timeout, this, &StoreLoader::handOver);
}

StoreLoader::~StoreLoader()
{
  mThread.stop();
}

void StoreLoader::start()
{
  if (mThread.running() || mDone)
    return;
  mThread.start();
}

core::WorkerThread::Next StoreLoader::read()
{
  OpenCaseCursor cursor;
  QString error;
  try
  {
    cursor = readOpenCases(
      mPath, mChunkSize,
      [this](OpenCaseChunk chunk) {
        {
          std::lock_guard lock(mMutex);
          mReady.push_back(std::move(chunk));
        }
        wake();
      },
      [this] { return mThread.stopping(); }, mScope);
  }
  catch (const std::exception &e)
  {
    error = QString::fromUtf8(e.what());
  }
  std::lock_guard lock(mMutex);
  mCursor = cursor;
  mError = error;
  mReadDone = true;
  wake();
  return core::WorkerThread::Next::done();
}

void StoreLoader::wake()
{
  // From the reading thread: (re)start the pacing on the GUI thread.
  QMetaObject::invokeMethod(this, [this] {
    if (!mDone && !mPace.isActive())
      mPace.start();
  }, Qt::QueuedConnection);
}

void StoreLoader::handOver()
{
  OpenCaseChunk chunk;
  bool haveChunk = false;
  bool readDone = false;
  {
    std::lock_guard lock(mMutex);
    if (!mReady.empty())
    {
      chunk = std::move(mReady.front());
      mReady.pop_front();
      haveChunk = true;
    }
    readDone = mReadDone && mReady.empty();
  }
  if (haveChunk)
  {
    mCases += static_cast<int>(chunk.pins.size());
    emit casesRead(chunk);
    return; // the next chunk (or the end) at the next turn
  }
  mPace.stop(); // until the reader has more (wake)
  if (!readDone)
    return;
  mThread.stop(); // done reading: joins it
  mDone = true;
  if (!mError.isEmpty())
    emit failed(mError);
  else
    emit finished(mCursor, mCases);
}

} // namespace gd::console
