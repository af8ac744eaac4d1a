#pragma once
// The open cases as a console first shows them over a store of a million cases: counted per
// 网格 for the district view, and read whole (only the columns a pin and a queue row show) for
// the map and the case queue. Readers only; any connection (the console's loader reads on a
// read-only connection of its own, on its own thread).

#include "store/cases/casescope.h"
#include "store/cases/casestore.h"

#include "core/timeutil.h"

#include <cstdint>
#include <string>
#include <vector>

namespace gd::store {

class Database;

//! Open cases under one 网格 (level-3 grid), as the district view counts them.
struct GridOpenCounts
{
  std::string grid;  //!< the 网格 code: the first 15 digits of the cases' grid code
  int open = 0;
  int overdue = 0;   //!< open cases whose deadline is before the instant asked for
  int newToday = 0;  //!< open cases reported at or after the instant asked for
};

//! Every open case, read in one snapshot, and where that snapshot left the event log.
struct OpenCaseSnapshot
{
  std::int64_t newestEventId = 0;  //!< the newest case event the read saw (0 in an empty store)
  //! Red at the instant asked for, or of emergency priority: the pins drawn at every zoom.
  std::vector<CaseRecord> alerts;
  std::vector<CaseRecord> others;  //!< every other open case
};

class OpenCaseReader
{
  public:
    //! Reads the open cases inside \a scope (a seat's grid subtree and department; all by default).
    explicit OpenCaseReader(Database &db, CaseScope scope = {});

    /**
     * Open cases per 网格, in 网格 code order: open, overdue at \a now, and reported at or after
     * \a newSince (the start of the day, as the caller's calendar has it). Answered from the
     * partial index over open cases (one GROUP BY, tens of milliseconds over a million stored
     * cases) and from the report-time index for the new ones. Cases whose grid code is shorter
     * than a 网格's are not counted. Run it in the caller's transaction to see one snapshot
     * with other reads.
     */
    std::vector<GridOpenCounts> countsPerGrid(core::TimePoint now, core::TimePoint newSince);

    /**
     * Every open case, split into alerts and others by its light at \a now, and the newest
     * event id, in one read transaction (the caller's when one is open, else its own): the id
     * names exactly the state the cases were read in, so a watcher starting from it misses
     * nothing. The records hold only number, category, state, priority, source, title,
     * address, point, grid code, 网格 code, lead department, reportedAt, warnAt and deadline.
     * Each list keeps the order of the partial index over open cases (state, report time): no
     * ORDER BY, which made SQLite walk the index of every stored case instead (a million
     * table look-ups for 30,000 open cases); a queue sorts itself.
     */
    OpenCaseSnapshot read(core::TimePoint now);

  private:
    Database &mDb;
    CaseScope mScope;
    std::string mScopeSql; //!< mScope.sqlCondition()
};

} // namespace gd::store
