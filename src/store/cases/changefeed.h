#pragma once
// What a watcher of the store reads to follow it live (the console's StoreWatcher polls these
// every 20 ms): cases with new events, open cases whose light changed with the clock, and new
// worker positions, each from a cursor the caller keeps. Readers only; any connection.

#include "core/geo.h"
#include "store/cases/casescope.h"
#include "core/timeutil.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gd::store {

class Database;

class ChangeFeed
{
  public:
    //! Follows the cases inside \a scope (a seat's; all by default): the others never show up.
    explicit ChangeFeed(Database &db, CaseScope scope = {});

    /**
     * PostgreSQL: listens for the store's change notifications on this connection (the
     * channel gd_changes, told at the commit of every write adding case events or positions,
     * by any seat or gateway). SQLite: nothing.
     */
    void listen();
    /**
     * PostgreSQL: waits up to \a timeout for a change notification; true when one came (then
     * read from the cursors: a notification says only "look"). SQLite: false at once (poll).
     */
    bool waitForChange(std::chrono::milliseconds timeout);

    //! The newest case event's id (0 in an empty store): where a watcher starts.
    std::int64_t newestEventId();
    /**
     * Numbers of the cases with events after \a cursor (each once), and \a cursor moved to the
     * newest event read.
     */
    std::vector<std::string> casesChangedSince(std::int64_t &cursor);
    //! Open cases whose 80 % mark or deadline fell in (\a from, \a to]: their light changed.
    std::vector<std::string> lightsChangedBetween(core::TimePoint from, core::TimePoint to);

    struct Fix
    {
      std::string workerId;
      core::TimePoint at{};
      core::GeoPoint point;
    };
    /**
     * Worker positions stored after \a cursor (the store's time text of the last one read;
     * start from toDbTime(now)), oldest first, and \a cursor moved to the newest read.
     */
    std::vector<Fix> positionsSince(std::string &cursor);

  private:
    Database &mDb;
    std::string mScopeSql; //!< the scope's condition over cases aliased "c"
};

} // namespace gd::store
