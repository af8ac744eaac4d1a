#include "store/writer.h"

#include "store/database.h"
#include "store/postgres/pgconnection.h"
#include "store/schema.h"
#include "store/storeerror.h"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <future>
#include <unistd.h>
#include <vector>

namespace gd::store {

Writer::Writer(const std::filesystem::path &path, std::size_t maxBatch, Durability durability)
  : Writer(path, maxBatch, durability, kDefaultDiskReserveBytes)
{}

Writer::Writer(const std::filesystem::path &path, std::size_t maxBatch, Durability durability, std::uint64_t diskReserveBytes)
  : Writer(StoreLocation::file(path), maxBatch, durability, diskReserveBytes)
{}

Writer::Writer(const StoreLocation &location, std::size_t maxBatch, Durability durability)
  : Writer(location, maxBatch, durability, kDefaultDiskReserveBytes)
{}

Writer::Writer(const StoreLocation &location, std::size_t maxBatch, Durability durability, std::uint64_t diskReserveBytes)
  : mDb(std::make_unique<Database>(location, Database::Mode::ReadWrite))
  , mMaxBatch(maxBatch == 0 ? 1 : maxBatch)
  , mReservePath(location.isPostgres() ? std::filesystem::path() : std::filesystem::path(location.path().string() + "-reserve"))
  , mReserveBytes(std::max<std::uint64_t>(diskReserveBytes, 1u << 20))
{
  if (location.isPostgres())
  {
    // The server keeps its own WAL and disk: no checkpointer, no reserve here. Durability is
    // synchronous_commit: on (the connection's setting) unless a benchmark asks otherwise.
    if (durability != Durability::Full)
      mDb->exec("SET synchronous_commit = off");
    mThread.start(core::WorkerThread::Next::whenWoken());
    return;
  }
  // The WAL is kept within the reserve: a checkpoint of all of it then always has room.
  const auto pageSize = static_cast<std::uint64_t>(std::max<std::int64_t>(512, mDb->scalarInt("PRAGMA page_size", 4096)));
  const int reservePages = static_cast<int>(std::min<std::uint64_t>(mReserveBytes / pageSize, 1u << 30));
  mCheckpointPages = std::min(mCheckpointPages, reservePages / 4);
  mRestartPages = std::min(mRestartPages, reservePages / 4);
  mSoftWalPages = reservePages / 2;
  mHardWalPages = reservePages * 3 / 4;
  // After a restart the WAL file is cut back to this size (it keeps its largest size otherwise).
  mDb->exec("PRAGMA journal_size_limit = " + std::to_string(mSoftWalPages * static_cast<std::int64_t>(pageSize)));
  if (!allocateReserve())
    mDiskFull = true; // the first group frees what it can and waits for room (recoverFromFullDisk)
  if (durability == Durability::Normal)
    mDb->exec("PRAGMA synchronous = NORMAL");
  else if (durability == Durability::Off)
    mDb->exec("PRAGMA synchronous = OFF");
  // Replaces the automatic checkpoint (sqlite3_wal_autocheckpoint is itself a WAL hook).
  sqlite3_wal_hook(mDb->handle(), &Writer::walHook, this);
  pollWhenBusy(mDb->handle());
  mCheckpointer.start(core::WorkerThread::Next::whenWoken());
  mThread.start(core::WorkerThread::Next::whenWoken());
}

Writer::~Writer()
{
  // The writer first: it commits what is queued (drainOnStop) and answers every Done.
  mThread.stop();
  mCheckpointer.stop();
  // Closing the last connection checkpoints what is left (SQLite does so on close).
}

core::WorkerThread::Options Writer::writerOptions()
{
  core::WorkerThread::Options options;
  options.hasWork = [this] { return !mQueue.empty(); };
  options.drainOnStop = true;
  return options;
}

core::WorkerThread::Options Writer::checkpointerOptions()
{
  core::WorkerThread::Options options;
  options.hasWork = [this] { return checkpointDue(); };
  // The connection is closed on the thread that used it.
  options.atExit = [this] { mCheckpointDb.reset(); };
  return options;
}

namespace {
// SQLite's own automatic checkpoint threshold is 1,000 WAL pages (mCheckpointPages, less with a
// small reserve). Beyond 16,000 (mRestartPages) the checkpointer waits for the writer and
// restarts the WAL (should the WAL not have started over after the checkpoints: a reader
// holding an old snapshot).

bool isDiskFull(const std::exception_ptr &error, sqlite3 *db)
{
  if (!error)
    return false;
  try
  {
    std::rethrow_exception(error);
  }
  catch (const StoreError &e)
  {
    // On PostgreSQL (no handle) the server's disk is the server's business: its full disk
    // fails the group (53100, SQLITE_FULL) and the next group simply tries again.
    if (!db)
      return false;
    return e.primaryCode() == SQLITE_FULL || (e.primaryCode() == SQLITE_IOERR && sqlite3_system_errno(db) == ENOSPC);
  }
  catch (...)
  {
  }
  return false;
}

// For the writer's and the checkpointer's connections: SQLite's busy timeout sleeps 1, 2, 5, 10,
// 15, 20, 25 ms ... between tries, so a writer that meets a lock held for 2 ms sleeps 3 ms, one held
// for 4 ms 8 ms, all of it in some acks' latency. This polls every 100 µs, for as long (5 s).
int pollBusy(void *, int tries)
{
  constexpr int kPollMicros = 100;
  constexpr int kGiveUpMicros = 5'000'000;
  if (tries >= kGiveUpMicros / kPollMicros)
    return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(kPollMicros));
  return 1;
}
} // namespace

void Writer::pollWhenBusy(::sqlite3 *db)
{
  sqlite3_busy_handler(db, &pollBusy, nullptr); // replaces the connection's busy timeout
}

int Writer::walHook(void *writer, ::sqlite3 *, const char *, int pages)
{
  auto *self = static_cast<Writer *>(writer);
  bool wake = false;
  {
    std::lock_guard lock(self->mCheckpointer.mutex());
    if (pages < self->mWalPages)
      self->mCheckpointedFrom = 0; // the WAL started over
    wake = pages - self->mCheckpointedFrom >= self->mCheckpointPages;
    self->mWalPages = pages;
  }
  if (wake || pages >= self->mRestartPages)
    self->mCheckpointer.notify();
  return SQLITE_OK;
}

void Writer::finishCheckpoint()
{
  if (!mFinishCheckpoint.load())
    return;
  // Copies only the frames committed while the checkpointer ran (it copied everything before);
  // with every frame in the database file, the writer's next transaction starts the WAL over.
  // A failure (a reader on an old snapshot) leaves the WAL as it is: the next round tries again.
  sqlite3_wal_checkpoint_v2(mDb->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  {
    std::lock_guard lock(mCheckpointer.mutex());
    mFinishCheckpoint = false; // the checkpointer starts no other checkpoint meanwhile
  }
  mCheckpointer.notify();
}

bool Writer::checkpointDue() const
{
  return (!mFinishCheckpoint && mWalPages - mCheckpointedFrom >= mCheckpointPages) ||
         (mWalPages >= mRestartPages && mWalPages > mCheckpointedFrom);
}

core::WorkerThread::Next Writer::checkpointRound()
{
  int pages = 0;
  {
    std::lock_guard lock(mCheckpointer.mutex());
    if (!checkpointDue()) // woken with too little to do
      return core::WorkerThread::Next::whenWoken();
    pages = mWalPages;
    mCheckpointedFrom = pages; // the next one when the WAL has grown by as much again (or started over)
  }
  try
  {
    if (!mCheckpointDb)
    {
      mCheckpointDb = std::make_unique<Database>(mDb->path(), Database::Mode::ReadWrite);
      pollWhenBusy(mCheckpointDb->handle());
    }
    // A failed checkpoint (a reader holding an old snapshot, a busy lock) is simply tried
    // again after the next commits; the WAL keeps every commit durable meanwhile.
    const bool restart = pages >= mRestartPages;
    const int rc = sqlite3_wal_checkpoint_v2(mCheckpointDb->handle(), nullptr,
                                             restart ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // The writer copies the rest between two groups, and the WAL starts over.
    if (!restart && rc == SQLITE_OK)
    {
      std::lock_guard lock(mCheckpointer.mutex());
      mFinishCheckpoint = true;
    }
  }
  catch (const std::exception &)
  {
    mCheckpointDb.reset();
  }
  return core::WorkerThread::Next::whenWoken();
}

void Writer::submit(Job job, Done done, Lock mode)
{
  bool wake = false;
  {
    std::lock_guard lock(mThread.mutex());
    mQueue.push_back(Entry{std::move(job), std::move(done), mode});
    // The writer waits for a first job, or, between spaced commits, for a full group.
    wake = mQueue.size() == 1 || mQueue.size() >= mMaxBatch;
  }
  if (wake)
    mThread.notify();
}

void Writer::setCommitInterval(std::chrono::microseconds interval)
{
  std::lock_guard lock(mThread.mutex());
  mCommitInterval = interval;
}

void Writer::flush()
{
  std::promise<void> committed;
  auto future = committed.get_future();
  submit([](Database &) {}, [&committed](std::exception_ptr) { committed.set_value(); });
  future.wait();
}

void Writer::run(Job job)
{
  std::promise<void> result;
  auto future = result.get_future();
  submit(std::move(job), [&result](std::exception_ptr error) {
    if (error)
      result.set_exception(error);
    else
      result.set_value();
  });
  future.get();
}

void Writer::runFirst(Job job, Done done)
{
  {
    std::lock_guard lock(mThread.mutex());
    mFirstJob = std::move(job);
    mFirstDone = std::move(done);
  }
  // An empty job wakes the writer, so the first job runs as soon as the store may be written.
  submit([](Database &) {}, {});
}

const std::filesystem::path &Writer::path() const
{
  return mDb->path();
}

std::size_t Writer::commitCount() const
{
  std::lock_guard lock(mThread.mutex());
  return mCommits;
}

Writer::CommitTimes Writer::commitTimes() const
{
  std::lock_guard lock(mThread.mutex());
  CommitTimes t;
  t.commits = mCommits;
  t.maxMs = mCommitMaxMs;
  if (mCommits == 0)
    return t;
  // The upper edge of the bucket holding the q-th commit, capped by the exact maximum.
  const auto at = [&](double q) {
    const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(mCommits)));
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b <= kCommitBuckets; ++b)
    {
      seen += mCommitHistogram[b];
      if (seen >= rank)
        return std::min(mCommitMaxMs, static_cast<double>(b + 1) * 0.05);
    }
    return mCommitMaxMs;
  };
  t.p50Ms = at(0.50);
  t.p99Ms = at(0.99);
  t.p999Ms = at(0.999);
  for (std::size_t b = 400; b <= kCommitBuckets; ++b) // 400 × 50 µs = 20 ms
    t.over20Ms += mCommitHistogram[b];
  return t;
}

core::WorkerThread::Next Writer::round()
{
  std::deque<Entry> batch;
  {
    std::unique_lock lock(mThread.mutex());
    if (mQueue.empty())
      return core::WorkerThread::Next::whenWoken();
    if (mCommitInterval.count() > 0)
    {
      // After a quiet spell the deadline has passed and the job commits at once: only a
      // steady stream is gathered into groups.
      if (mLastCommitStart != std::chrono::steady_clock::time_point{})
        mThread.waitUntil(lock, mLastCommitStart + mCommitInterval, [this] { return mQueue.size() >= mMaxBatch; });
      mLastCommitStart = std::chrono::steady_clock::now();
    }
    if (mQueue.size() <= mMaxBatch)
    {
      batch.swap(mQueue);
    }
    else
    {
      for (std::size_t i = 0; i < mMaxBatch; ++i)
      {
        batch.push_back(std::move(mQueue.front()));
        mQueue.pop_front();
      }
    }
  }
  if (mDb->isPostgres())
  {
    if (!ensureConnected(batch))
      return core::WorkerThread::Next::whenWoken();
    runBatch(batch);
    return core::WorkerThread::Next::whenWoken();
  }
  if (mDiskFull.load() && !(allocateReserve() && hasHeadroom()))
  {
    failAll(batch, diskFullError());
    recoverFromFullDisk();
    return core::WorkerThread::Next::whenWoken();
  }
  if (mDiskFull.exchange(false))
    notifyDiskFull(false, "space is back on the disk holding " + mDb->path().string() + ": writing has resumed");
  const WalRoom room = boundWal();
  if (room == WalRoom::DiskFull)
  {
    failAll(batch, diskFullError());
    recoverFromFullDisk();
    return core::WorkerThread::Next::whenWoken();
  }
  if (room == WalRoom::AtLimit)
  {
    failAll(batch, std::make_exception_ptr(StoreError(
                     SQLITE_FULL, mDb->path().string() + ": the WAL has reached its limit (" + std::to_string(mHardWalPages) +
                                    " pages) and cannot be checkpointed while a reader holds an old snapshot; try again")));
    return core::WorkerThread::Next::whenWoken();
  }
  if (runBatch(batch))
    recoverFromFullDisk();
  finishCheckpoint();
  return core::WorkerThread::Next::whenWoken();
}

bool Writer::ensureConnected(std::deque<Entry> &batch)
{
  if (!mConnectionLost)
    return true;
  // After a lost connection: connect again (to whichever host the location's
  // target_session_attrs accepts: a promoted standby after a failover). Until that works every
  // job fails at once with why, and the writer tries again at most every 250 ms.
  try
  {
    mDb->reconnect();
    mConnectionLost = nullptr;
    notifyConnection(true, "the store " + mDb->path().string() + " answers again: writing has resumed");
    return true;
  }
  catch (...)
  {
    mConnectionLost = std::current_exception();
  }
  failAll(batch, mConnectionLost);
  std::unique_lock lock(mThread.mutex());
  mThread.waitFor(lock, std::chrono::milliseconds(250), [this] { return mThread.stopping(); });
  return false;
}

void Writer::notifyConnection(bool connected, const std::string &message)
{
  // The same observer as a full disk: "nothing is written until …" / "writing has resumed".
  notifyDiskFull(!connected, message);
}

std::exception_ptr Writer::diskFullError() const
{
  return std::make_exception_ptr(StoreError(SQLITE_FULL, mDb->path().string() +
                                                           ": the disk is full; nothing is written until space is freed "
                                                           "(the store resumes by itself)"));
}

void Writer::failAll(std::deque<Entry> &batch, const std::exception_ptr &error)
{
  for (Entry &entry : batch)
  {
    if (!entry.done)
      continue;
    try
    {
      entry.done(error);
    }
    catch (...)
    {
    }
  }
  batch.clear();
}

bool Writer::allocateReserve()
{
  const int fd = ::open(mReservePath.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return false;
  // Blocks really allocated (not a sparse file): that space is ours to give back.
  const int rc = ::posix_fallocate(fd, 0, static_cast<off_t>(mReserveBytes));
  const bool ok = rc == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok)
    ::unlink(mReservePath.c_str());
  return ok;
}

bool Writer::hasHeadroom() const
{
  struct statvfs disk{};
  if (::statvfs(mReservePath.parent_path().empty() ? "." : mReservePath.parent_path().c_str(), &disk) != 0)
    return true; // cannot tell: the next group will
  const std::uint64_t free = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
  return free >= std::max<std::uint64_t>(mReserveBytes / 4, 256u << 10);
}

Writer::WalRoom Writer::boundWal()
{
  int pages = 0;
  {
    std::lock_guard lock(mCheckpointer.mutex());
    pages = mWalPages;
  }
  if (pages < mSoftWalPages)
    return WalRoom::Enough;
  // Copies the WAL into the database (the reserve guarantees the room) and truncates it; the
  // writer's busy handler waits for readers still on the old snapshot. A checkpoint the
  // checkpointer is running answers busy at once, without the busy handler: tried again.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  int rc = SQLITE_BUSY;
  do
  {
    rc = sqlite3_wal_checkpoint_v2(mDb->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    if (rc == SQLITE_OK)
    {
      std::lock_guard lock(mCheckpointer.mutex());
      mWalPages = 0;
      mCheckpointedFrom = 0;
      return WalRoom::Enough;
    }
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
      break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  } while (std::chrono::steady_clock::now() < until);
  if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(mDb->handle()) == ENOSPC))
    return WalRoom::DiskFull;
  return pages < mHardWalPages ? WalRoom::Enough : WalRoom::AtLimit;
}

void Writer::recoverFromFullDisk()
{
  if (!mDiskFull.exchange(true))
    notifyDiskFull(true, "the disk holding " + mDb->path().string() +
                           " is full: nothing is written (no frame acknowledged) until space is freed");
  // The reserve gives the checkpoint room to copy the WAL into the database; the truncated WAL
  // gives back its own space.
  ::unlink(mReservePath.c_str());
  auto nextAttempt = std::chrono::steady_clock::now();
  for (;;)
  {
    if (std::chrono::steady_clock::now() >= nextAttempt)
    {
      if (sqlite3_wal_checkpoint_v2(mDb->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr) == SQLITE_OK)
      {
        std::lock_guard lock(mCheckpointer.mutex());
        mWalPages = 0;
        mCheckpointedFrom = 0;
      }
      // Resumes only with room beyond the reserve: a disk that has just the reserve back would
      // fill again with the next group, over and over.
      if (allocateReserve() && hasHeadroom())
        break;
      nextAttempt = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
    }
    // Meanwhile every job fails at once: nothing it writes could be made durable.
    std::deque<Entry> refused;
    {
      std::unique_lock lock(mThread.mutex());
      mThread.waitUntil(lock, nextAttempt, [this] { return !mQueue.empty(); });
      refused.swap(mQueue);
    }
    failAll(refused, diskFullError());
    if (mThread.stopping())
      return;
  }
  mDiskFull = false;
  notifyDiskFull(false, "space is back on the disk holding " + mDb->path().string() + ": writing has resumed");
}

void Writer::notifyDiskFull(bool full, const std::string &message)
{
  std::function<void(bool, const std::string &)> observer;
  {
    std::lock_guard lock(mThread.mutex());
    observer = mDiskFullObserver;
  }
  if (observer)
    observer(full, message);
}

void Writer::setDiskFullObserver(std::function<void(bool full, const std::string &message)> observer)
{
  {
    std::lock_guard lock(mThread.mutex());
    mDiskFullObserver = std::move(observer);
  }
  if (mDiskFull.load())
    notifyDiskFull(true, "the disk holding " + mDb->path().string() + " has no room for the store's reserve of " +
                           std::to_string(mReserveBytes >> 20) + " MiB: nothing is written until space is freed");
}

namespace {
//! The PostgreSQL connection is broken (whatever the last error said).
bool PQstatusBad(Database &db)
{
  return db.postgres() && !db.postgres()->connected();
}
} // namespace

bool Writer::runBatch(std::deque<Entry> &batch)
{
  std::vector<std::exception_ptr> errors(batch.size());
  std::exception_ptr commitError;
  try
  {
    // Nothing is committed (so nothing acked) to a store whose quick_check is still running in
    // the background or found it damaged (Schema::setBackgroundCheck): every job hears why.
    if (!mIntegrityKnown)
    {
      // Waited for in steps: a writer told to stop (a gateway's SIGTERM) does not sit out the
      // rest of a check (half a minute on a cold 1 M-case store); what it holds is not committed.
      while (Schema::integrity(mDb->path()).state == Schema::Integrity::Checking)
      {
        std::unique_lock lock(mThread.mutex());
        if (mThread.stopping())
          throw StoreError(0, "stopped before the integrity check of " + mDb->path().string() +
                                ", still running, passed: nothing committed");
        mThread.waitFor(lock, std::chrono::milliseconds(50), [] { return false; });
      }
      Schema::waitForIntegrity(mDb->path());
      mIntegrityKnown = true;
    }
    if (mFirstError)
      std::rethrow_exception(mFirstError);
    if (mFirstJob)
    {
      const Job first = std::move(mFirstJob);
      const Done firstDone = std::move(mFirstDone);
      mFirstJob = nullptr;
      try
      {
        Transaction firstTx(*mDb, Transaction::Kind::Immediate);
        first(*mDb);
        firstTx.commit();
      }
      catch (...)
      {
        mFirstError = std::current_exception();
      }
      if (firstDone)
        firstDone(mFirstError);
      if (mFirstError)
        std::rethrow_exception(mFirstError);
    }
    // The write lock shared only when every job of the group asked for it (Lock::Shared).
    const bool shared =
      mDb->isPostgres() && std::all_of(batch.begin(), batch.end(), [](const Entry &e) { return e.lock == Lock::Shared; });
    Transaction tx(*mDb, shared ? Transaction::Kind::ImmediateShared : Transaction::Kind::Immediate);
    for (std::size_t i = 0; i < batch.size(); ++i)
    {
      try
      {
        Savepoint savepoint(*mDb);
        batch[i].job(*mDb);
        savepoint.release();
      }
      catch (...)
      {
        errors[i] = std::current_exception();
      }
      // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) roll the whole transaction back: then the
      // jobs before this one are lost too, and each of them must hear so.
      if (!mDb->inTransaction())
        throw StoreError(0, "the group transaction was rolled back by SQLite while running a job");
    }
    const auto commitStart = std::chrono::steady_clock::now();
    tx.commit();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - commitStart).count();
    std::lock_guard lock(mThread.mutex());
    ++mCommits;
    ++mCommitHistogram[std::min(kCommitBuckets, static_cast<std::size_t>(ms / 0.05))];
    mCommitMaxMs = std::max(mCommitMaxMs, ms);
  }
  catch (...)
  {
    // BEGIN or COMMIT failed: nothing of this group is durable, every job learns so.
    commitError = std::current_exception();
  }
  if (mDb->isPostgres() && commitError && !mConnectionLost)
  {
    try
    {
      std::rethrow_exception(commitError);
    }
    catch (const StoreError &e)
    {
      if (e.isConnectionLost() || !mDb->postgres() || PQstatusBad(*mDb))
      {
        mConnectionLost = commitError;
        notifyConnection(false, "lost the connection to the store " + mDb->path().string() +
                                  ": nothing is written (no frame acknowledged) until it answers again");
      }
    }
    catch (...)
    {
    }
  }
  bool full = isDiskFull(commitError, mDb->handle());
  for (const std::exception_ptr &error : errors)
    full = full || isDiskFull(error, mDb->handle());
  for (std::size_t i = 0; i < batch.size(); ++i)
  {
    if (!batch[i].done)
      continue;
    try
    {
      batch[i].done(commitError ? commitError : errors[i]);
    }
    catch (...)
    {
      // A completion handler must not take the writer down; its failure is its own.
    }
  }
  return full;
}

} // namespace gd::store
