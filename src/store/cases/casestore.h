#pragma once

#include "core/case.h"
#include "core/caseworkflow.h"
#include "core/gridcode.h"
#include "core/slaclock.h"
#include "store/cases/casescope.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {

class Database;

/**
 * One row of the `cases` layer: the current state of a case, the projection of its events
 * (kept in the same transaction as the event that changed it).
 */
struct CaseRecord
{
  std::int64_t id = 0;
  std::string number;
  std::string category;
  core::CaseState state = core::CaseState::Reported;
  core::Priority priority = core::Priority::Normal;
  std::string source;
  std::string title;
  std::string description;
  std::string address;
  std::string reporterName;
  std::string reporterPhone;
  core::GeoPoint point;
  std::string gridCode;        //!< the micro-grid (or deepest grid) reported in; "" outside every grid
  std::string districtCode;    //!< gridCode's ancestor at each level ("" when none)
  std::string townshipCode;
  std::string communityCode;
  std::string gridLevelCode;   //!< level 3 (网格)
  std::string microGridCode;
  std::string responsibleGrid;
  std::string leadDepartment;
  std::string assistingDepartments; //!< comma-separated codes
  std::string workerId;
  core::TimePoint reportedAt{};
  std::optional<core::TimePoint> acceptedAt;
  std::optional<core::TimePoint> assignedAt;
  std::optional<core::TimePoint> handledAt;
  std::optional<core::TimePoint> closedAt;
  std::string stage;                        //!< running stage ("accept", "dispatch", "handle", "visit") or ""
  std::optional<core::TimePoint> stageStartedAt;
  std::optional<core::TimePoint> warnAt;    //!< 80 % of the stage budget used (yellow from here)
  std::optional<core::TimePoint> deadline;  //!< the running stage's deadline (none while parked)
  bool supervised = false;
  int urgeCount = 0;
  std::string satisfaction;
  std::string mergedInto;
  std::int64_t lastSeq = 0; //!< seq of the newest event
  core::TimePoint updatedAt{};

  //! True while the case is being worked on (not closed/visited/archived/voided/merged).
  bool isOpen() const;
  //! The traffic light at \a now from the stored warn/deadline instants.
  core::TrafficLight light(core::TimePoint now) const;
};

//! Which cases a query returns; empty fields do not filter.
struct CaseFilter
{
  std::vector<core::CaseState> states;
  bool openOnly = false;
  std::string category;        //!< a 4-digit category or a 2-digit family (prefix)
  std::string gridPrefix;      //!< grid subtree: cases whose grid code starts with this code
  std::string department;      //!< lead department
  std::string source;
  std::optional<core::Priority> priority;
  std::optional<core::TimePoint> overdueAt; //!< only open cases whose deadline is before this "now"
  std::optional<core::TimePoint> reportedFrom; //!< reported at or after
  std::optional<core::TimePoint> reportedTo;   //!< reported before
  std::string text;            //!< substring of number, title, address or description
  int limit = 1000;            //!< negative: no limit (export)
  int offset = 0;
};

//! Overdue open cases under one grid (a row of "overdue counts per grid").
struct GridCount
{
  std::string gridCode;
  std::int64_t count = 0;
};

/**
 * The case repository: creating cases from reports (numbers allocated 一案一码 per admin code
 * per day in the same transaction), applying workflow commands, and the queries behind the
 * console's lists. Every change is validated by core::Workflow first; a refused command writes
 * nothing. Mutations run in the open transaction (inside a Writer job) or in their own.
 *
 * Works on the connection it is given (not owned); \a workflow and \a clock must outlive it.
 */
class CaseStore
{
  public:
    /**
     * Limits this store to a seat's scope (issue 17): find(), findMany(), events(), load(),
     * query(), count(), casesForPeriod() and closedBetween() see only cases inside it (a case
     * outside is as if unknown), and report(), apply() and merge() refuse a case outside it with
     * StoreRefusal "out_of_scope". The default scope is everything.
     */
    void setScope(CaseScope scope);
    const CaseScope &scope() const { return mScope; }
    //! True when case \a number exists but lies outside the scope (on PostgreSQL only a role
    //! that is not held to a seat's scope by row-level security can tell; a seat's cannot).
    bool outsideScope(const std::string &number);

    /**
     * Without a clock no deadlines are kept (deadline, warn_at and stage stay NULL).
     */
    CaseStore(Database &db, const core::Workflow &workflow, const core::SlaClock *clock = nullptr);

    /**
     * Creates a case from a Report command (data as core::CaseCommand documents) and returns
     * its number. The admin code of the number is the district of data["grid"], else
     * \a fallbackAdminCode (6 digits). Throws StoreRefusal (code from the workflow) when refused.
     */
    std::string report(const core::CaseCommand &command, std::string_view fallbackAdminCode = "000000");

    /**
     * Applies \a command to case \a number: validates it in core, appends the event, updates
     * the projection. Merge commands (data "into") go through merge(). Returns the event.
     * Throws StoreRefusal "unknown_case" or the workflow's refusal code; nothing is written then.
     */
    core::CaseEvent apply(const std::string &number, const core::CaseCommand &command);

    //! Merges case \a source into \a target (both events in one step). Throws StoreRefusal.
    void merge(const std::string &source, const std::string &target, const core::CaseCommand &command);

    //! The case \a number rebuilt from its events, or nullopt.
    std::optional<core::Case> load(const std::string &number);
    //! The projection row of \a number, or nullopt.
    std::optional<CaseRecord> find(const std::string &number);
    /**
     * The projection rows of \a numbers, each once, in no particular order; unknown numbers are
     * left out. On PostgreSQL one statement for all of them (a watching console reads every case
     * a commit changed: one round trip a case was most of its poll); on a file one find() each.
     */
    std::vector<CaseRecord> findMany(const std::vector<std::string> &numbers);
    //! The events of \a number in order (empty for an unknown case).
    std::vector<core::CaseEvent> events(const std::string &number);
    //! Cases matching \a filter: overdue lists by deadline, others newest first.
    std::vector<CaseRecord> query(const CaseFilter &filter);
    //! How many cases match \a filter (limit/offset ignored).
    std::int64_t count(const CaseFilter &filter);
    /**
     * Overdue open cases at \a now grouped by the ancestor code at \a groupLevel, within the
     * subtree \a gridPrefix (all when empty). Cases outside every grid are counted under "".
     */
    std::vector<GridCount> overdueByGrid(core::TimePoint now, std::string_view gridPrefix, core::GridLevel groupLevel);
    /**
     * Cases (rebuilt from events) reported before \a to that were still open at \a from or
     * reported after it: what a KPI over [from, to) needs.
     */
    std::vector<core::Case> casesForPeriod(core::TimePoint from, core::TimePoint to, std::string_view gridPrefix = {});
    //! How many cases were closed in [\a from, \a to).
    std::int64_t closedBetween(core::TimePoint from, core::TimePoint to);
    //! How many cases the store holds, and their events (live ones and those kept in the
    //! one-row histories of imported closed cases).
    std::pair<std::int64_t, std::int64_t> caseAndEventCounts();
    /**
     * Writes whole cases (projection and every event) as they are, e.g. when migrating from
     * a legacy system. A case that is no longer open keeps its history as one case_histories
     * row; events() and the other readers give the same events either way. The cases must come from core (events produced by Workflow and applied
     * with Case::apply), so they are not validated again; number counters are raised so new
     * reports never reuse an imported number. Runs in the open transaction or in its own.
     * Throws StoreError (CaseImportError for a duplicate number) and then writes nothing.
     * A large import rebuilds the indexes in bulk; \see CaseImporter for imports streamed
     * from a file.
     */
    void importCases(const std::vector<core::Case> &cases);

    /**
     * The audit check: rebuilds every case from its events and compares the result with the
     * stored projection row; also finds events without a case and gaps in a case's seq.
     * Deadlines are compared only when the store has a clock (they depend on the configuration).
     * Returns one line per disagreement (empty when the store is consistent), at most \a limit.
     */
    std::vector<std::string> verifyProjections(std::size_t limit = 100);

    //! Every case number in id order (for replay checks).
    std::vector<std::string> numbers();

    //! Recomputes what the projection row of \a c must be (used for writes and consistency checks).
    CaseRecord project(const core::Case &c) const;

  private:
    //! A new case (its report) or a case the store holds (any later event).
    enum class Projection { New, Existing };
    //! Writes the projection row of \a record; returns the case's id.
    std::int64_t writeProjection(const CaseRecord &record, Projection projection);
    void appendEvent(std::int64_t caseId, int seq, const core::CaseEvent &event);
    //! Updates the projection row of \a record without reading it back (a department seat's step).
    void updateLeavingScope(const CaseRecord &record);
    std::string allocateNumber(std::string_view adminCode, core::TimePoint at);
    //! The case number of \a sequence, or a bad_value refusal (an admin code not of 6 digits …).
    static std::string checkedNumber(std::string_view adminCode, core::TimePoint at, int sequence);
    //! PostgreSQL: a new case's number, row and first event in one statement; returns the number.
    std::string writeReport(const CaseRecord &record, const core::CaseEvent &event, std::string_view adminCode,
                            core::TimePoint numberedAt);

    Database &mDb;
    const core::Workflow &mWorkflow;
    const core::SlaClock *mClock = nullptr;
    CaseScope mScope;
    std::string mScopeSql = "1 = 1"; //!< mScope.sqlCondition(), over the cases table unaliased
    std::string mScopeSqlC = "1 = 1"; //!< the same over alias "c"
    //! Throws "out_of_scope" when \a number exists outside the scope, else "unknown_case".
    [[noreturn]] void refuseUnseen(const std::string &number, const std::string &what);
};

} // namespace gd::store
