#pragma once
// A store with a long case history for the map benchmarks: the demo district and N cases
// spread over it. QGIS-free (core's case events carry nlohmann::json; see design notes).

#include "core/demodistrict.h"
#include "store/storelocation.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace gd::bench {

struct CaseHistoryReport
{
  std::size_t cases = 0;
  std::size_t open = 0;
  double seconds = 0;
};

/**
 * Writes the demo \a district and \a count cases into a new store at \a location (a file,
 * replaced; or a PostgreSQL database that holds no store yet): \a openPercent
 * of them open (reported in the last 30 days, every state from reported to in handling, SLA
 * deadlines from the shipped configuration), the rest closed, visited or archived over the
 * past year — at random points of the district, each in its micro-grid. Uses the bulk import
 * path (CaseStore::importCases' CaseImporter), streaming, so memory stays small.
 */
CaseHistoryReport writeCaseHistory(const store::StoreLocation &location, const core::DemoDistrict &district, std::size_t count,
                                   int openPercent, unsigned seed = 42);

//! Returns true when \a location holds a store with grids (a history written earlier), false
//! when it is missing, empty or no store at all.
bool hasCaseHistory(const store::StoreLocation &location);

//! The store's size on disk: the file's, or the PostgreSQL database's (pg_database_size).
std::int64_t storeBytes(const store::StoreLocation &location);

} // namespace gd::bench
