#pragma once

#include "core/workerthread.h"

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/storelocation.h"

struct sqlite3;

namespace gd::store {

class Database;

/**
 * The store's one writer: a thread that owns the writing connection and commits in groups.
 *
 * Each round it takes every job queued (up to maxBatch()), runs them inside one
 * BEGIN IMMEDIATE transaction — each job inside its own SAVEPOINT, so a job that throws is
 * rolled back alone and the others still commit — then COMMITs (synchronous=FULL: the WAL is
 * fsynced before COMMIT returns) and only then calls each job's Done. One fsync serves the
 * whole group, which is what lets thousands of terminals be acknowledged per second.
 *
 * Typical use by the feed (one frame = one job):
 * \code
 * writer.submit([frame](Database &db) {
 *     DeviceRegistry devices(db);
 *     if (devices.durableLastSeq(frame.device) >= frame.seq) return;  // duplicate: nothing to apply
 *     const std::string number = CaseStore(db, workflow, &clock).report(command);
 *     devices.markApplied(frame.device, frame.seq, frame.at, number); // same transaction
 *   },
 *   [session](std::exception_ptr error) { post ack or reject to the session's io_context });
 * \endcode
 * A job that throws (StoreRefusal for a refused command) is rolled back alone; its Done gets
 * the exception. Readers use their own Database connections (Mode::ReadOnly).
 *
 * WAL checkpoints do not run on the writer thread: SQLite's automatic checkpoint would copy
 * the WAL into the database file and fsync it inside the COMMIT that crossed 1,000 pages,
 * holding back every ack of that group (tens of milliseconds on a busy disk). A second thread,
 * on a connection of its own, checkpoints (PASSIVE: it never blocks the writer) whenever the
 * WAL has grown by that much. Under a steady stream of commits such a checkpoint never catches
 * up with the WAL's end, and SQLite starts the WAL over only once every frame is copied: so
 * after each of them the writer, between two groups, copies the few frames committed meanwhile
 * (a PASSIVE checkpoint on its own connection, well under a millisecond), and its next
 * transaction starts the WAL over. Should the WAL still reach 16,000 pages (a reader holding
 * an old snapshot), the checkpointer waits for the writer between two groups and restarts it.
 * Both connections wait for each other's locks polling every 100 µs rather than with SQLite's
 * busy timeout, which sleeps 1, 2, 5, 10 ms ... between tries.
 *
 * A full disk: a checkpoint needs room to grow the database file by the pages it copies from
 * the WAL. Once a WAL has taken the last free space, no checkpoint can run, the WAL can never
 * start over, and the store stays jammed even after space is freed (the WAL grows back over it).
 * So the writer keeps a reserve file beside the store (`<store>-reserve`, diskReserveBytes(),
 * 0600) and never lets the WAL grow past half of it: at that size it checkpoints and truncates
 * the WAL itself before the next group, and at three quarters (a reader holding an old
 * snapshot) it fails the group rather than grow further. When a group fails because the disk is
 * full (SQLITE_FULL), nothing of it is durable and every job hears so; the writer then deletes
 * the reserve, checkpoints and truncates the WAL into the room it freed, and fails every job at
 * once ("the disk is full") until it can allocate the reserve again with a quarter of its size
 * to spare: then writing resumes by itself. diskFull() and the disk-full observer say when it is in that state.
 */
class Writer
{
  public:
    using Job = std::function<void(Database &)>;                //!< runs inside the open transaction
    using Done = std::function<void(std::exception_ptr error)>; //!< on the writer thread, after COMMIT (durable) or with the job's error

    /**
     * When a commit is durable. Full (the default, and what every product path uses): COMMIT
     * returns after the WAL is fsynced, so Done means "survives a power cut". Normal and Off
     * exist only so benchmarks can show what durability costs (synchronous=NORMAL: durable at
     * the next checkpoint, a power cut may lose the last commits; OFF: no fsync at all).
     */
    enum class Durability { Full, Normal, Off };

    /**
     * Opens the store at path (which must exist and be migrated, see Schema) on a new
     * connection and starts the writer thread.
     */
    explicit Writer(const std::filesystem::path &path, std::size_t maxBatch = 4096,
                    Durability durability = Durability::Full);
    //! The reserve kept beside the store by default (see the class comment).
    static constexpr std::uint64_t kDefaultDiskReserveBytes = 32ull << 20;
    /**
     * As above, keeping a reserve of \a diskReserveBytes (at least 1 MiB) beside the store.
     */
    Writer(const std::filesystem::path &path, std::size_t maxBatch, Durability durability, std::uint64_t diskReserveBytes);
    /**
     * The writer of the store at \a location: as above for a file. On PostgreSQL the same
     * groups, each one transaction (synchronous_commit on: Done after the server made it durable,
     * on a synchronous standby too when there is one); no reserve and no checkpointer (the
     * server's business). A lost connection fails the group (nothing acknowledged), and the
     * writer connects again before the next one, failing jobs at once meanwhile (the disk-full
     * observer hears "lost" and "resumed").
     */
    explicit Writer(const StoreLocation &location, std::size_t maxBatch = 4096, Durability durability = Durability::Full);
    Writer(const StoreLocation &location, std::size_t maxBatch, Durability durability, std::uint64_t diskReserveBytes);

    /**
     * Spaces commits at least \a interval apart (0, the default, commits whatever is queued
     * at once). Jobs queued meanwhile join the next group, and a full group (maxBatch()) does
     * not wait. With a fast disk an eager writer commits a handful of jobs at a time, and the
     * per-commit work (BEGIN, the device rows, the WAL frames, the fsync) is paid again for
     * each handful: the feed sets about a millisecond (see StoreSink).
     */
    void setCommitInterval(std::chrono::microseconds interval);
    //! Runs what is queued, commits it, and stops the thread.
    ~Writer();
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    /**
     * How a job needs the store's write lock on PostgreSQL. Exclusive (the default): alone, as
     * every write on a file. Shared: the job's writes conflict with no other Shared job's of any
     * writer on the database (a gateway's positions: new track rows and rows of the devices and
     * workers it holds), so groups of such jobs from several gateways run and commit side by
     * side. A group is Shared when all its jobs are (Transaction::Kind::ImmediateShared), else
     * Exclusive; a job asked Shared may so run in an exclusive group, and learns which it got
     * from Database::writeLockShared(). Ignored on a file.
     */
    enum class Lock { Exclusive, Shared };
    //! Queues a job; done (may be empty) is called on the writer thread once the job is durable or failed.
    void submit(Job job, Done done, Lock lock = Lock::Exclusive);
    //! Blocks until everything submitted before the call is committed (or failed). Never call it from a Job or Done (deadlock).
    void flush();
    //! Submits job and waits for it; rethrows its error. Not to be called from the writer thread.
    void run(Job job);
    /**
     * A job that must commit before any other (the gateway's recovery at start), without
     * waiting for it: it runs in a transaction of its own before the first group, so after a
     * large store's background integrity check passed (Schema::setBackgroundCheck). Should it
     * fail, every job from then on fails with its error and nothing else is committed. Call it
     * before anything is submitted. \a done (may be empty) hears when it committed or failed.
     */
    void runFirst(Job job, Done done = {});

    std::size_t maxBatch() const { return mMaxBatch; }
    //! The store file written.
    const std::filesystem::path &path() const;
    //! Number of transactions committed so far (one per group), for tests and benchmarks.
    std::size_t commitCount() const;

    /**
     * How long the COMMIT statements took (writing the group's pages to the WAL and, at
     * synchronous=FULL, the fsync): the part of an ack's latency the disk decides, and a floor
     * under it. Percentiles from 50 µs buckets up to 100 ms (beyond: counted at 100 ms; max exact).
     */
    struct CommitTimes
    {
      std::size_t commits = 0;
      double p50Ms = 0, p99Ms = 0, p999Ms = 0, maxMs = 0;
      std::size_t over20Ms = 0; //!< commits slower than the feed's p99 ack target on their own
    };
    CommitTimes commitTimes() const;

    //! True while the disk is full: every job fails at once until the reserve can be allocated again.
    bool diskFull() const { return mDiskFull.load(); }
    //! The reserve file's size (see the class comment).
    std::uint64_t diskReserveBytes() const { return mReserveBytes; }
    //! The reserve file beside the store.
    const std::filesystem::path &reservePath() const { return mReservePath; }
    /**
     * Told (on the writer thread, or on the caller's when the disk is full already) when the
     * disk becomes full (\a full true, with a message for the log and the status bar) and when
     * writing has resumed. Thread-safe.
     */
    void setDiskFullObserver(std::function<void(bool full, const std::string &message)> observer);

  private:
    struct Entry
    {
      Job job;
      Done done;
      Lock lock = Lock::Exclusive;
    };

    //! One group (the writer thread's round).
    core::WorkerThread::Next round();
    //! One checkpoint (the checkpointer's round).
    core::WorkerThread::Next checkpointRound();
    core::WorkerThread::Options writerOptions();
    core::WorkerThread::Options checkpointerOptions();
    //! Under the checkpointer's mutex: the WAL has grown enough for a checkpoint.
    bool checkpointDue() const;
    //! Runs one group; returns true when it failed because the disk is full.
    bool runBatch(std::deque<Entry> &batch);
    //! Writer thread: after a full disk, frees the reserve, truncates the WAL, and waits for room (see the class comment).
    void recoverFromFullDisk();
    //! Allocates the reserve file; false (and no file) when the disk has no room for it.
    bool allocateReserve();
    //! True when the disk has room beyond the reserve (a quarter of it, at least 256 KiB) to write again.
    bool hasHeadroom() const;
    //! Fails \a batch's jobs with \a error without running them.
    static void failAll(std::deque<Entry> &batch, const std::exception_ptr &error);
    //! PostgreSQL, before a group: after a lost connection connects again; false (batch failed) while it cannot.
    bool ensureConnected(std::deque<Entry> &batch);
    void notifyConnection(bool connected, const std::string &message);
    //! Calls the disk-full observer (any thread).
    void notifyDiskFull(bool full, const std::string &message);
    //! "The disk is full", naming the store.
    std::exception_ptr diskFullError() const;
    enum class WalRoom { Enough, AtLimit, DiskFull };
    //! Before a group: keeps the WAL within the reserve (see the class comment); AtLimit fails the group.
    WalRoom boundWal();
    //! On the writer thread between groups: copies what the checkpointer left, so the WAL can start over.
    void finishCheckpoint();
    static int walHook(void *writer, ::sqlite3 *db, const char *name, int pages);
    //! Makes \a db wait for a lock polling every 100 µs (see the class comment).
    static void pollWhenBusy(::sqlite3 *db);

    std::unique_ptr<Database> mDb;
    std::size_t mMaxBatch;
    //! The store's integrity check (Schema::waitForIntegrity) passed: known on the writer thread.
    bool mIntegrityKnown = false;
    Job mFirstJob;                 //!< runFirst(): taken by the writer thread
    Done mFirstDone;
    std::exception_ptr mFirstError; //!< what the first job threw (writer thread only)
    // Its mutex guards the queue and the figures below; stopping, it commits what is queued.
    core::WorkerThread mThread{"store writer", [this] { return round(); }, writerOptions()};
    std::deque<Entry> mQueue;
    std::size_t mCommits = 0;
    static constexpr std::size_t kCommitBuckets = 2000; // 50 µs each: 0 .. 100 ms
    std::array<std::uint32_t, kCommitBuckets + 1> mCommitHistogram{};
    double mCommitMaxMs = 0;
    std::chrono::microseconds mCommitInterval{0};
    std::chrono::steady_clock::time_point mLastCommitStart{};
    // The checkpointer (see the class comment); its mutex guards the four below.
    core::WorkerThread mCheckpointer{"store checkpointer", [this] { return checkpointRound(); }, checkpointerOptions()};
    std::unique_ptr<Database> mCheckpointDb; //!< the checkpointer's connection (its thread only)
    int mWalPages = 0;           //!< pages in the WAL after the last commit
    int mCheckpointedFrom = 0;   //!< mWalPages when the last checkpoint started (0 after the WAL started over)
    std::atomic<bool> mFinishCheckpoint{false}; //!< set by the checkpointer, done by the writer (finishCheckpoint())
    // The full disk (see the class comment).
    std::filesystem::path mReservePath;
    std::uint64_t mReserveBytes = kDefaultDiskReserveBytes;
    int mCheckpointPages = 1000;  //!< the checkpointer copies the WAL when it has grown by this much
    int mRestartPages = 16000;    //!< ... and restarts it at this size
    int mSoftWalPages = 0;        //!< the writer truncates the WAL before a group at this size
    int mHardWalPages = 0;        //!< ... and fails the group at this one
    std::atomic<bool> mDiskFull{false};
    std::exception_ptr mConnectionLost; //!< PostgreSQL: why the connection is down (writer thread only)
    std::function<void(bool, const std::string &)> mDiskFullObserver;
};

} // namespace gd::store
