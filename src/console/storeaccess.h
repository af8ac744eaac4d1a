#pragma once
// The console's reads of the store, in a translation unit of their own.
//
// Why a separate file: QGIS 3.22 installs its own, older nlohmann/json_fwd.hpp, and core's
// case events carry nlohmann::json. One translation unit can include QGIS headers or the
// store/core case headers, not both. Everything the console takes from the store therefore
// passes through here as Qt value types (map::CasePin, CaseQueueRow), and files that include
// QGIS include only this header.

#include "console/casequeuemodel.h"
#include "map/casepin.h"

#include <QString>

#include <vector>

namespace gd::console {

//! What the console shows of a store's open cases at one moment.
struct OpenCasesSnapshot
{
  std::vector<map::CasePin> pins;
  std::vector<CaseQueueRow> rows;
};

/**
 * Reads the open cases of the store at \a path (traffic lights evaluated now).
 * Throws std::exception with a message naming the problem.
 */
OpenCasesSnapshot readOpenCases(const QString &path);

/**
 * Makes \a path a demo store: creates it when missing and writes the demo district into it
 * when it has no grids yet (a store that already has grids is left as it is).
 * Throws std::exception with a message naming the problem.
 */
void prepareDemoStore(const QString &path);

} // namespace gd::console
