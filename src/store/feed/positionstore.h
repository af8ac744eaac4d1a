#pragma once

#include "core/geo.h"
#include "core/timeutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {

class Database;

//! One location fix of a field terminal, in CGCS2000.
struct PositionFix
{
  std::string deviceId;
  std::string workerId;
  core::TimePoint at{};
  core::GeoPoint point;
  std::optional<double> accuracyM;
};

//! One fix for the track, borrowing its text (the gateway's hot path: no copies).
struct TrackPoint
{
  std::string_view deviceId;
  std::string_view workerId;
  core::TimePoint at{};
  core::GeoPoint point;
  std::optional<double> accuracyM;
  std::int64_t seq = 0; //!< the position frame's seq (positions.seq; 0 is stored as NULL)
};

/**
 * Worker positions: every fix in `positions` (a track), and the newest per worker in
 * `worker_positions` (the layer the map shows). Both are GeoPackage point layers.
 */
class PositionStore
{
  public:
    explicit PositionStore(Database &db);
    //! Appends \a fix and moves the worker's latest position when \a fix is not older.
    void record(const PositionFix &fix);
    //! Appends \a fix to the track only (the gateway updates the latest fix once per batch).
    void recordTrack(const PositionFix &fix);
    /**
     * Appends \a count fixes to the track in their order, several rows per INSERT (the gateway's
     * write path: a statement's set-up and the AUTOINCREMENT bookkeeping are paid per statement),
     * each with its frame's seq: above the published mark the track is what says which frames
     * of a device are stored (see DeviceRegistry::recoverLastSeq()).
     * Returns the id of the last row written (0 when \a count is 0).
     */
    std::int64_t recordTracks(const TrackPoint *fixes, std::size_t count);
    /**
     * Brings the latest position of every worker up to the newest fix of their track (e.g.
     * after a crash lost fixes the gateway had not yet published): reads the fixes above the
     * published mark (see markPublishedThrough()), then moves the mark to the last of them.
     * On PostgreSQL (no mark) it reads the newest fix of every device instead (positions_device_seq).
     * Returns how many workers were behind.
     */
    std::size_t catchUpLatest();
    /**
     * Records that every fix with an id up to \a positionId is in worker_positions (or older than
     * what is there), so catchUpLatest() need not read them again. Never moves the mark back.
     * Since schema revision 8 the mark also says that the seq of every such fix is at or below
     * its device's devices.last_seq: move it only in a transaction that writes those last_seqs.
     * Does nothing on PostgreSQL: there position groups of several gateways commit side by side
     * (the write lock shared), ids commit out of order, and no id can say "everything below is
     * published"; readers go by device there (catchUpLatest(), DeviceRegistry).
     */
    void markPublishedThrough(std::int64_t positionId);
    //! The mark markPublishedThrough() keeps (0 when none).
    std::int64_t publishedThrough();
    //! Makes \a fix the worker's latest position unless a newer one is stored.
    void updateLatest(const PositionFix &fix);
    /**
     * updateLatest() of every fix in \a fixes, at most one per worker (the gateway's
     * publication): on PostgreSQL one UPSERT for all of them, not statements per worker.
     */
    void updateLatest(const std::vector<PositionFix> &fixes);
    //! The latest fix of every worker.
    std::vector<PositionFix> latest();
    //! Fixes of \a workerId in [from, to), oldest first (a range of the time index positions_at).
    std::vector<PositionFix> track(const std::string &workerId, core::TimePoint from, core::TimePoint to);

  private:
    Database &mDb;
};

} // namespace gd::store
