#pragma once

#include "core/gridindex.h"
#include "core/gridtree.h"
#include "core/periodicthread.h"
#include "core/workerthread.h"
#include "feed/framesink.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/positionstore.h"
#include "store/writer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>
#include <thread>

namespace gd::store {
struct ConfigDirectory;
class Database;
} // namespace gd::store

namespace gd::core {
class Workflow;
class SlaClock;
} // namespace gd::core

namespace gd::ingest {

/**
 * The gateway's sink on a store file: terminals are authenticated against the device
 * registry, and every frame is applied by the store's writer thread — deduplicated by
 * (device, seq), validated by core's workflow, committed with group commit — and answered
 * only after the commit that holds it (synchronous=FULL).
 *
 * - report: a case at the micro-grid the point falls in (and its ancestors), with the
 *   category's deadlines; a point outside every grid is accepted without a grid, for triage.
 * - update: the workflow action of the field action; refused with unknown_case, forbidden
 *   (not this terminal's worker or grid) or bad_transition, and then nothing is written but
 *   the frame's seq, so the terminal does not resend it.
 * - position: the worker's fix and latest position. order_ack: the order is delivered.
 *
 * Every method returns at once; the answers come from the writer thread.
 */
class StoreSink : public feed::FrameSink
{
  public:
    /**
     * Opens the store file \a path (which must exist and be migrated) with its own writer, and
     * reads the grid tree for point-in-grid lookups. \a config must outlive the sink.
     * Throws std::exception naming the problem.
     */
    StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config);
    /**
     * As above, with the writer's commits made durable as \a durability says. Anything but
     * Full breaks the promise of an ack (see store::Writer::Durability): for benchmarks only.
     */
    StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config, store::Writer::Durability durability);
    using DiskFullObserver = std::function<void(bool full, const std::string &message)>;
    /**
     * As above, keeping \a diskReserveBytes free beside the store for a full disk (store::Writer),
     * and telling \a diskFull when the disk becomes full and when writing resumes (see
     * setDiskFullObserver()). On a full disk the constructor waits until there is room again.
     */
    StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config, store::Writer::Durability durability,
              std::uint64_t diskReserveBytes, DiskFullObserver diskFull = {});
    /**
     * The sink on the store at \a location: a file as above, or a PostgreSQL database (already
     * created and migrated: Schema::open). There the writer's groups are transactions on the
     * server (synchronous_commit on: an ack follows the server's durable commit); there is no
     * disk reserve, and \a diskFull hears instead when the connection is lost ("nothing is
     * written") and when the writer connected again. While it is down every batch is answered
     * empty (nothing acknowledged: the terminals resend), and hellos are refused ("try again").
     */
    StoreSink(const store::StoreLocation &location, const store::ConfigDirectory &config,
              store::Writer::Durability durability = store::Writer::Durability::Full,
              std::uint64_t diskReserveBytes = store::Writer::kDefaultDiskReserveBytes, DiskFullObserver diskFull = {});
    ~StoreSink() override;

    void authenticate(const feed::HelloFrame &hello, AuthCallback done) override;
    void submit(feed::FrameBatch batch, SubmitCallback done) override;
    void pendingOrders(const std::string &device, OrdersCallback done) override;

    //! Blocks until everything submitted so far is committed (tests, shutdown).
    void flush();

    /**
     * Watches the device registry for revocations and deletions made by any process (the
     * console, griddispatch-ctl) and calls \a revoked (on the sink's hello thread) for each
     * device this sink let in that is no longer allowed, within kRevocationPoll of the commit;
     * the gateway then closes its connection (Gateway::cutOff). Likewise, with
     * DeviceGone::ConnectedElsewhere, for each device let in since by another gateway on the
     * same store (device_sessions): one connection per device across gateways.
     */
    void watchRevocations(RevokedCallback revoked) override;
    //! How often the registry's revision is polled (DeviceRegistry::revision(): one row and a count).
    static constexpr std::chrono::milliseconds kRevocationPoll{200};

    //! True while the store's disk is full (nothing is acknowledged; see store::Writer).
    bool diskFull() const { return mWriter->diskFull(); }
    //! Told when the disk becomes full and when writing resumes (store::Writer::setDiskFullObserver).
    void setDiskFullObserver(std::function<void(bool full, const std::string &message)> observer)
    {
      mWriter->setDiskFullObserver(std::move(observer));
    }

    //! This sink's name in device_sessions.gateway: host, process id and a random part.
    const std::string &instance() const { return mInstance; }

    /**
     * Queues \a job on the sink's writer, in the group commit with the frames (the gateway's
     * heartbeat, GatewayService): \a done hears once it is durable or failed. A job the writer
     * cannot run (its disk full, its database gone) fails like a group of frames would.
     * \a lock Shared (PostgreSQL) for a job that writes only rows no other writer's job reads
     * to decide (store::Writer::Lock): it may then share a group with positions.
     */
    void submitJob(std::function<void(store::Database &)> job, std::function<void(std::exception_ptr)> done = {},
                   store::Writer::Lock lock = store::Writer::Lock::Exclusive)
    {
      mWriter->submit(std::move(job), std::move(done), lock);
    }

    //! Frames applied (accepted, not duplicates or rejects) since start.
    std::uint64_t appliedFrames() const { return mApplied.load(); }
    //! Transactions the writer has committed (group commits), for benchmarks.
    std::size_t commitCount() const;
    //! How long the writer's COMMITs took (store::Writer::commitTimes()).
    store::Writer::CommitTimes commitTimes() const;

  private:
    struct Pending
    {
      feed::FrameBatch batch;
      SubmitCallback done;
    };
    //! What one drain job knows of a device: read once per job.
    struct DeviceState
    {
      bool known = false;
      bool revoked = false; //!< known, but revoked: its frames are refused
      std::string workerId;
      std::int64_t startLastSeq = 0; //!< when the job took the device up
      std::int64_t lastSeq = 0;
      //! Its session is held by another gateway (device_sessions): nothing of it is applied here.
      bool elsewhere = false;
    };
    //! A device's last_seq as the writer thread knows it (see mSeqs).
    struct SeqState
    {
      std::int64_t current = 0;   //!< with every job run so far in the open transaction
      std::int64_t committed = 0; //!< durable: the commit that holds it has returned
      std::int64_t written = 0;   //!< committed in devices.last_seq
    };
    using SeqList = std::vector<std::pair<std::string, std::int64_t>>;
    /**
     * Writes devices.last_seq for every device whose last_seq moved since it was last written,
     * with \a pending (this job's own, not yet in mSeqs) over mSeqs; on the writer thread, in
     * the transaction that moves the published mark. Returns what it wrote (for seqsWritten()).
     */
    SeqList writeLastSeqs(store::Database &db, const SeqList &pending = {});
    //! After the commit of a job: \a advanced is durable, \a written is in devices.last_seq.
    void seqsCommitted(const SeqList &advanced, const SeqList &written);
    //! After a failed job: nothing of the open transaction is left (writer thread).
    void seqsRolledBack();
    //! What a gateway's start brings up to date: devices.last_seq and the latest positions from the track above the mark.
    static void recoverDurableState(store::Database &db);
    //! After a failed group (mInDoubt): recoverDurableState() first, in the job's transaction (writer thread).
    void settleDoubt(store::Database &db);
    /**
     * A group failed since the last recovery (writer thread only). Its COMMIT may have taken
     * effect all the same (PostgreSQL: the connection lost while the server committed), and the
     * sink then no longer knows which seqs are durable: the next job reads them from the store
     * (recoverDurableState) before it takes any frame, so a resend is a duplicate, applied once.
     */
    std::atomic<bool> mInDoubt{false}; //!< written on the writer thread; read by submit() to choose a drain's lock
    /**
     * Devices whose frames from this seq on were answered "not stored" (their group failed),
     * writer thread only. Until the terminal resends from there, a later batch of the device
     * (sent on the failed connection before it closed, still pending) is not stored either:
     * stored above the gap it would raise last_seq past the failed frames, and the next welcome
     * would tell the terminal they were stored (see refusedForGap()).
     */
    std::map<std::string, std::int64_t, std::less<>> mResendFrom;
    //! Notes the failed \a batches in mResendFrom (writer thread).
    void noteFailed(const std::vector<Pending> &batches);
    //! Whether \a batch must wait for the resend of a failed frame below it; clears the note
    //! once the resend comes (writer thread).
    bool refusedForGap(const feed::FrameBatch &batch, std::int64_t lastSeq);
    //! The durable last_seq the sink holds for \a device beyond devices.last_seq (0 for none); any thread.
    std::int64_t committedLastSeq(const std::string &device);
    //! Under load the workers' latest positions are written at most this often (see mUnpublished).
    static constexpr std::chrono::milliseconds kPublishEvery{250};
    using LatestFixes = std::map<std::string, store::PositionFix>; //!< worker id → newest fix
    //! Applies one device's batch (on the writer thread, inside its transaction).
    std::vector<feed::FrameOutcome> applyBatch(store::Database &db, const feed::FrameBatch &batch, DeviceState &device,
                                               std::vector<store::TrackPoint> &track,
                                               std::map<std::string_view, std::size_t> &newest);
    /**
     * Queues a drain job asking the write lock as \a lock says. On PostgreSQL a drain of
     * positions only (positionsOnly()) asks it Shared: the positions of one gateway's devices
     * conflict with no other gateway's, so several gateways' drains commit side by side. Run in
     * a shared group, a drain takes the pending batches up to the first that needs the lock
     * alone, and queues an exclusive drain for that one (its frames keep their order).
     */
    void scheduleDrain(store::Writer::Lock lock = store::Writer::Lock::Exclusive);
    /**
     * Whether \a batch can be applied holding the write lock shared: positions only, of a device
     * whose session is not to be taken (a takeover writes device_sessions, which must be alone),
     * with nothing in doubt to settle (recoverDurableState writes every device's row). Any thread.
     */
    bool positionsOnly(const feed::FrameBatch &batch);
    //! Writes \a fixes, and those of \a newer where newer, to worker_positions (on the writer thread).
    static void publishLatest(store::Database &db, const LatestFixes &fixes, const LatestFixes &newer = {});

    feed::FrameOutcome apply(store::Database &db, const std::string &device, const std::string &workerId,
                             const feed::SequencedFrame &frame, core::TimePoint receivedAt);

    const store::ConfigDirectory &mConfig;
    std::unique_ptr<core::Workflow> mWorkflow;
    std::unique_ptr<core::SlaClock> mClock;
    core::GridTree mGrids;
    std::unique_ptr<core::GridIndex> mIndex;
    std::map<std::string, std::string> mGridOfWorker; //!< worker id → the grid (网格) code they serve
    std::unique_ptr<store::Writer> mWriter;
    std::atomic<std::uint64_t> mApplied{0};
    // Batches wait here until one writer job takes them all: with many terminals each sending
    // a frame or two per read, one job per read would spend more on the job than on the frames.
    std::mutex mPendingMutex;
    std::vector<Pending> mPending;
    bool mDrainScheduled = false;
    //! Some batch in mPending needs the write lock alone (not positionsOnly()); under mPendingMutex.
    bool mPendingExclusive = false;
    /**
     * On PostgreSQL a drain job takes batches up to this many frames and leaves the rest to a
     * job of the next group. Every statement there is a round trip, and a backlog taken whole
     * made one transaction of tens of thousands of frames: its acks waited for all of it, each
     * report's number counter (a row updated again by every report of the transaction) grew a
     * longer version chain to walk, and the next backlog was larger still — at 20,000 frames/s
     * offered the gateway fell to 3,600/s with 7 commits in 15 s (docs/performance.md, issue
     * 16). The file keeps taking all (its groups at saturation are 1,000–4,000 frames, cheap).
     */
    static constexpr std::size_t kMaxDrainFramesPostgres = 2000;
    std::size_t mMaxDrainFrames = static_cast<std::size_t>(-1);
    // Workers' latest fixes not yet in worker_positions (writer thread only). The track holds
    // every fix durably before its ack; the latest-position layer (and its R-tree, ~20 µs an
    // update) is written at most every kPublishEvery: at once when traffic is light, a few times a second under load.
    LatestFixes mUnpublished;
    std::chrono::steady_clock::time_point mPublishedAt{};
    //! positions.id of the newest fix committed (writer thread only); the published mark
    //! (PositionStore::markPublishedThrough) follows it whenever mUnpublished is written.
    std::int64_t mTrackIdCommitted = 0;
    //! Set (writer thread) while mUnpublished holds fixes or mSeqsToWrite devices; the publisher thread then writes them.
    std::atomic<bool> mHaveUnpublished{false};
    // Each device's last_seq lives here (writer thread only), not in a devices row written by
    // every commit: at 10,000 frames/s that row update dirtied a scattered devices page per
    // terminal in the group, half of a commit's WAL pages. Each fix carries its seq
    // (positions.seq) and every other frame is in applied_frames, both in the commit that
    // applies the frame, so the commit alone makes the seq durable; devices.last_seq is written
    // with the published mark (at most every kPublishEvery, and by flush()), and after a crash
    // DeviceRegistry::recoverLastSeq() rebuilds it from the fixes above that mark.
    std::map<std::string, SeqState, std::less<>> mSeqs;
    std::set<std::string, std::less<>> mSeqsToWrite; //!< keys of mSeqs whose current is above written
    // The committed last_seqs again, for the hello check on the auth thread: a welcome carries
    // max(devices.last_seq, this), so a terminal resends exactly what is not durable.
    std::mutex mCommittedSeqsMutex;
    std::map<std::string, std::int64_t, std::less<>> mCommittedSeqs;
    // Hellos are checked on a read-only connection of their own thread, not as writer jobs: a
    // terminal reconnecting under load must not wait behind the group commits ahead of it. The
    // last_seq it answers is the committed, hence durable, one (the row's, raised with
    // mCommittedSeqs, and on PostgreSQL with what other gateways stored); frames of the device
    // still queued in the writer are then resent by the terminal and acknowledged as
    // duplicates. The device's session is taken by a writer job queued before the welcome
    // (takeSessions), so it precedes the device's frames.
    struct AuthRequest
    {
      feed::HelloFrame hello;
      AuthCallback done;
    };
    //! One round of the auth thread: the hellos queued, and the revocation poll when due.
    core::WorkerThread::Next authRound();
    store::StoreLocation mLocation;
    std::unique_ptr<store::Database> mAuthDb; //!< the auth thread's read-only connection (its thread only)
    std::chrono::steady_clock::time_point mNextRevocationCheck{}; //!< auth thread only
    //! On the auth thread: cuts off the devices let in that are revoked or deleted since.
    void checkRevocations(store::Database &db);
    //! On the auth thread: closes the devices let in that another gateway has let in since.
    void checkSessions(store::Database &db);
    /**
     * After the devices' tokens were checked: takes their sessions for this gateway in a writer
     * job (takeSessionHere) unless a drain took them first, so that another gateway closes its
     * connection of them even if they send nothing.
     */
    void takeSessions(std::vector<std::string> devices);
    //! True when \a device was let in here and its session is not taken yet (any thread).
    bool sessionPending(const std::string &device);
    /**
     * Takes \a device's session for this gateway (writer thread, inside its transaction) and
     * returns the seq its frames resume after: what any gateway stored, and this one applied.
     */
    std::int64_t takeSessionHere(store::DeviceRegistry &registry, const std::string &device, core::TimePoint now);
    //! mLetIn's generation of a device whose session is being taken: no takeover seen before is newer.
    static constexpr std::int64_t kSessionPending = std::numeric_limits<std::int64_t>::max();
    std::mutex mRevokedMutex;                    //!< held while mRevoked is set or called, and over mLetIn
    RevokedCallback mRevoked;
    std::atomic<bool> mWatching{false};
    /**
     * Devices let in by this sink → the generation of their session (under mRevokedMutex):
     * kSessionPending from the hello check (before the welcome) until the job that takes the
     * session sets it, so a revocation or a takeover committed after the check is checked
     * against it; removed when the device is cut off or closed.
     */
    std::map<std::string, std::int64_t, std::less<>> mLetIn;
    std::optional<store::DevicesRevision> mSeenRevision; //!< auth thread only
    std::int64_t mSeenGeneration = 0;                    //!< auth thread only: the sessions polled so far
    static std::string newInstanceName();
    //! This gateway among the store's gateways (device_sessions.gateway): host, pid and a random part.
    const std::string mInstance{newInstanceName()};
    std::shared_future<void> mRecovered; //!< the start's recovery committed (Writer::runFirst)
    std::vector<AuthRequest> mAuthQueue; //!< under mAuthThread's mutex
    //! Answers every hello queued before it stops (drainOnStop).
    core::WorkerThread mAuthThread{"gateway auth", [this] { return authRound(); }, authOptions()};
    core::WorkerThread::Options authOptions();

    //! Writes the latest fixes left over once traffic stops (every kPublishEvery).
    void publishLeftOver();
    core::PeriodicThread mPublisher{"gateway publisher", kPublishEvery, [this] { publishLeftOver(); }};
};

} // namespace gd::ingest
