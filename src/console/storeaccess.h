#pragma once
// The console's reads of the store, in a translation unit of their own.
//
// Why a separate file: QGIS 3.22 installs its own, older nlohmann/json_fwd.hpp, and core's
// case events carry nlohmann::json. One translation unit can include QGIS headers or the
// store/core case headers, not both. Everything the console takes from the store therefore
// passes through here as Qt value types (map::CasePin, CaseQueueRow), and files that include
// QGIS include only this header.

#include "console/casequeuemodel.h"
#include "core/gridtree.h"
#include "map/casepin.h"
#include "map/poilayers.h"

#include <QString>

#include <vector>

namespace gd::console {

//! What the console shows of a store at one moment.
struct StoreSnapshot
{
  core::GridTree grids;
  std::vector<map::PoiPoint> pois;
  std::vector<map::CasePin> pins;   //!< open cases
  std::vector<CaseQueueRow> rows;   //!< the same cases as queue rows
};

/**
 * Reads the grid tree, the points of interest and the open cases (traffic lights evaluated
 * now) of the store at \a path. Throws std::exception with a message naming the problem.
 */
StoreSnapshot readStore(const QString &path);

/**
 * Makes \a path a demo store: creates it when missing and, when it has no grids yet, writes
 * the demo district into it and provisions \a terminals field terminals for the simulator,
 * whose credentials go to \a credentialsPath (a store that already has grids is left as it
 * is). Throws std::exception with a message naming the problem.
 */
void prepareDemoStore(const QString &path, int terminals, const QString &credentialsPath);

} // namespace gd::console
