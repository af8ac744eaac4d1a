#pragma once
// The console's reads of the store: the store's typed reads (store::OpenCaseReader, GridStore,
// PoiStore) become the console's Qt value types here (map::CasePin, CaseQueueRow), on whichever
// thread reads (the loader's, the watcher's).

#include "console/dispatch/casequeuemodel.h"
#include "core/gridtree.h"
#include "map/casepin.h"
#include "map/poilayers.h"
#include "store/cases/casescope.h"
#include "store/storelocation.h"

#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace gd::console {

//! What the district view needs first: the grids, the points of interest, per-grid counts.
struct StoreOverview
{
  core::GridTree grids;
  std::vector<map::PoiPoint> pois;
  std::vector<map::GridCaseCount> counts; //!< per 网格 with open cases
};

/**
 * Reads the grid tree, the points of interest and the open cases counted per grid (one
 * GROUP BY over the partial index of open cases: tens of milliseconds over a million stored
 * cases) of the store at \a path. Throws std::exception with a message naming the problem.
 */
/**
 * The store the console was given (`--db`): a GeoPackage file or a PostgreSQL database
 * (postgresql://… or keywords). Throws store::StoreError for a malformed connection string.
 */
store::StoreLocation storeLocation(const QString &store);

//! The counts are of the cases inside \a scope (a seat's; all by default).
//! A seat (issue 17, store/accounts/seatstore.h) as the console takes it.
struct SeatInfo
{
  QString id;
  QString name;
  QString grid;        //!< grid code of its subtree; empty: the whole district
  QString department;  //!< empty: none
  bool fromRole = false; //!< found from the database role the console logged in as
};

/**
 * The seat a console at the store \a path sits at. On PostgreSQL, the seat whose role the
 * connection logged in as (a seat's credentials can be nothing else; \a seatId, when given,
 * must name it). Otherwise the seat named \a seatId (`--seat`; on a GeoPackage the program's
 * word only: whoever has the file has all of it). nullopt without either. Throws
 * std::runtime_error for an unknown or disabled seat, or a --seat that is not the role's.
 */
std::optional<SeatInfo> readSeat(const QString &path, const QString &seatId);

StoreOverview readStoreOverview(const QString &path, const store::CaseScope &scope = {});

//! Open cases read from the store, as pins and / or queue rows.
struct OpenCaseChunk
{
  std::vector<map::CasePin> pins;
  std::vector<CaseQueueRow> rows;
  bool alerts = false; //!< overdue or emergency cases: the pins shown at every zoom
  //! Returns true for a chunk of alert pins (the district view is complete after the last).
  bool hasAlertPins() const { return alerts && !pins.empty(); }
};

//! Where a read of the open cases left the store, for a watcher to carry on from.
struct OpenCaseCursor
{
  qint64 eventId = 0;     //!< the newest case event the read saw
  qint64 readAtSecs = 0;  //!< the instant the traffic lights were evaluated at (s since epoch)
};

/**
 * Reads every open case of the store at \a path in one read transaction, on the caller's
 * connection (its own, read-only) and thread, and hands them to \a deliver in chunks of up
 * to \a chunkSize: the pins of the overdue and emergency cases first (they are drawn at every
 * zoom), then their queue rows, then the others (pins and rows of the same cases). Only the
 * cases inside \a scope (a seat's grid subtree and department) are read. Returns the cursor a StoreWatcher starts from so that nothing changed after the
 * read is missed. \a stop, when set, is asked between chunks. Throws std::exception.
 */
OpenCaseCursor readOpenCases(const QString &path, int chunkSize, const std::function<void(OpenCaseChunk)> &deliver,
                             const std::function<bool()> &stop = {}, const store::CaseScope &scope = {});

/**
 * Makes \a path a demo store: creates it when missing and, when it has no grids yet, writes
 * the demo district into it and provisions \a terminals field terminals for the simulator,
 * whose credentials go to \a credentialsPath (a store that already has grids is left as it
 * is). Throws std::exception with a message naming the problem.
 */
void prepareDemoStore(const QString &path, int terminals, const QString &credentialsPath);

} // namespace gd::console
