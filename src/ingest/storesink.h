#pragma once

#include "core/gridindex.h"
#include "core/gridtree.h"
#include "feed/framesink.h"
#include "store/positionstore.h"
#include "store/writer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <string>
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
     * Opens the store at \a path (which must exist and be migrated) with its own writer, and
     * reads the grid tree for point-in-grid lookups. \a config must outlive the sink.
     * Throws std::exception naming the problem.
     */
    StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config);
    /**
     * As above, with the writer's commits made durable as \a durability says. Anything but
     * Full breaks the promise of an ack (see store::Writer::Durability): for benchmarks only.
     */
    StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config, store::Writer::Durability durability);
    ~StoreSink() override;

    void authenticate(const core::HelloFrame &hello, AuthCallback done) override;
    void submit(feed::FrameBatch batch, SubmitCallback done) override;
    void pendingOrders(const std::string &device, OrdersCallback done) override;

    //! Blocks until everything submitted so far is committed (tests, shutdown).
    void flush();

    //! Frames applied (accepted, not duplicates or rejects) since start.
    std::uint64_t appliedFrames() const { return mApplied.load(); }
    //! Transactions the writer has committed (group commits), for benchmarks.
    std::size_t commitCount() const;

  private:
    struct Pending
    {
      feed::FrameBatch batch;
      SubmitCallback done;
    };
    //! What one drain job knows of a device: read once, written back once.
    struct DeviceState
    {
      bool known = false;
      std::string workerId;
      std::int64_t storedLastSeq = 0;
      std::int64_t lastSeq = 0;
    };
    using LatestFixes = std::map<std::string, store::PositionFix>; //!< worker id → newest fix
    //! Applies one device's batch (on the writer thread, inside its transaction).
    std::vector<feed::FrameOutcome> applyBatch(store::Database &db, const feed::FrameBatch &batch, DeviceState &device,
                                               std::vector<store::TrackPoint> &track,
                                               std::map<std::string_view, std::size_t> &newest);
    void scheduleDrain();
    //! Writes \a fixes, and those of \a newer where newer, to worker_positions (on the writer thread).
    static void publishLatest(store::Database &db, const LatestFixes &fixes, const LatestFixes &newer = {});

    feed::FrameOutcome apply(store::Database &db, const std::string &device, const std::string &workerId,
                             const core::SequencedFrame &frame, core::TimePoint receivedAt);

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
    // Workers' latest fixes not yet in worker_positions (writer thread only). The track holds
    // every fix durably before its ack; the latest-position layer (and its R-tree, ~20 µs an
    // update) is written at most every kPublishEvery: at once when traffic is light, a few times a second under load.
    LatestFixes mUnpublished;
    std::chrono::steady_clock::time_point mPublishedAt{};
    //! positions.id of the newest fix committed (writer thread only); the published mark
    //! (PositionStore::markPublishedThrough) follows it whenever mUnpublished is written.
    std::int64_t mTrackIdCommitted = 0;
    //! Set (writer thread) while mUnpublished holds fixes; the publisher thread then writes them.
    std::atomic<bool> mHaveUnpublished{false};
    // Hellos are checked on a read-only connection of their own thread, not as writer jobs: a
    // terminal reconnecting under load must not wait behind the group commits ahead of it. The
    // last_seq it reads is the committed, hence durable, one; frames of the device still queued
    // in the writer are then resent by the terminal and acknowledged as duplicates.
    struct AuthRequest
    {
      core::HelloFrame hello;
      AuthCallback done;
    };
    void authLoop(std::filesystem::path path);
    std::thread mAuthThread;
    std::mutex mAuthMutex;
    std::condition_variable mAuthWake;
    std::vector<AuthRequest> mAuthQueue;
    bool mAuthStop = false;

    //! Writes the latest fixes left over once traffic stops (every kPublishEvery).
    std::thread mPublisher;
    std::mutex mPublisherMutex;
    std::condition_variable mPublisherWake;
    bool mPublisherStop = false;
    void publisherLoop();
};

} // namespace gd::ingest
