#pragma once

#include "core/geo.h"
#include "core/timeutil.h"

#include <optional>
#include <string>
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
    //! Makes \a fix the worker's latest position unless a newer one is stored.
    void updateLatest(const PositionFix &fix);
    //! The latest fix of every worker.
    std::vector<PositionFix> latest();
    //! Fixes of \a workerId in [from, to), oldest first.
    std::vector<PositionFix> track(const std::string &workerId, core::TimePoint from, core::TimePoint to);

  private:
    Database &mDb;
};

} // namespace gd::store
