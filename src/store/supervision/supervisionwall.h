#pragma once
// The supervision wall (督办墙), read side: open cases that are overdue (red) or about to be
// (yellow: 80 % of the running stage's limit used), with the deadline for live countdowns and
// their latest supervision; counts; and the rankings of departments and townships.

#include "core/kpi.h"
#include "core/slaclock.h"
#include "store/cases/casestore.h"
#include "store/supervision/supervisionstore.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gd::store {

class Database;

//! Which cases the wall shows; empty fields do not filter.
struct WallScope
{
  std::string gridPrefix;   //!< grid subtree (the case's reported grid starts with this code)
  std::string department;   //!< lead department
  bool overdueOnly = false; //!< red only (no yellow)
  //! Case categories (4 digits) or families (2 digits); empty: all. (cases() only)
  std::vector<std::string> categories;
  int limit = 500;
  int offset = 0;
};

//! One case on the wall.
struct WallCase
{
  CaseRecord record;
  core::TrafficLight light = core::TrafficLight::Yellow; //!< Yellow or Red at the wall's "now"
  //! record.deadline - now: the countdown (negative: overdue by that much). The console ticks it
  //! down from the deadline itself; this is the value at the query's "now".
  std::chrono::seconds untilDeadline{0};
  std::optional<SupervisionRecord> lastSupervision; //!< the newest urge or supervision, if any
  int supervisionCount = 0;
};

struct WallCounts
{
  std::int64_t overdue = 0; //!< red
  std::int64_t yellow = 0;  //!< about to be overdue
};

//! Overdue open cases of one lead department now (a row of the live department list).
struct DepartmentCount
{
  std::string department; //!< "" for cases without a lead department (not yet dispatched)
  std::int64_t overdue = 0;
};

//! One row of a ranking over a period.
struct RankingRow
{
  std::string key;          //!< department code or township grid code
  int overdue = 0;          //!< open cases red at the period end (as kpi.h defines overdue)
  core::KpiRatio onTimeRate; //!< 按期办结率 over the period (as kpi.h defines it)
  int received = 0;         //!< cases reported in the period
};

enum class RankingBy
{
  Department, //!< the case's lead department at the period end
  Township    //!< the township (乡镇/街道) of the case's reported grid
};

/**
 * Queries of the wall on any connection (a reader's, typically). The lists read the
 * projection's warn_at and deadline (kept by CaseStore with the SLA clock), so a case is
 * yellow exactly from its 80 % instant through its deadline instant and red one second after,
 * as core::SlaClock says.
 */
class SupervisionWall
{
  public:
    explicit SupervisionWall(Database &db);

    /**
     * Open cases red or yellow at \a now within \a scope: most overdue first (by deadline),
     * then the yellow ones by deadline. Reads the partial index over open cases by warn_at.
     */
    std::vector<WallCase> cases(core::TimePoint now, const WallScope &scope = {});
    //! How many cases cases() would list without limit.
    WallCounts counts(core::TimePoint now, const WallScope &scope = {});
    //! Overdue open cases per lead department at \a now within a grid subtree (all when empty), most first.
    std::vector<DepartmentCount> overdueByDepartment(core::TimePoint now, const std::string &gridPrefix = {});

    /**
     * Ranks departments or townships over [\a from, \a to) by the KPI definitions of \a kpi:
     * most overdue first, then lowest on-time rate (no rate last), then key. Cases come from
     * CaseStore::casesForPeriod within \a gridPrefix; \a department keeps only the cases led by
     * it (meaningful for the township ranking). Cases without a lead department (or outside
     * every grid, for townships) are left out.
     */
    std::vector<RankingRow> ranking(const core::KpiCalculator &kpi, RankingBy by, core::TimePoint from,
                                    core::TimePoint to, const std::string &gridPrefix = {},
                                    const std::string &department = {});

  private:
    Database &mDb;
    core::Workflow mReadOnly; //!< CaseStore needs one; these queries apply no command
};

} // namespace gd::store
