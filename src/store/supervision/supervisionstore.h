#pragma once
// Urging and supervising cases (催办 / 督办): the workflow's event, the order to the assigned
// worker's terminals, the flag on the lead department's queue and the supervision record the
// wall shows, all in one transaction per case.

#include "core/caseworkflow.h"
#include "core/timeutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {
class SlaClock;
}

namespace gd::store {

class Database;

enum class SupervisionKind
{
  Urge,     //!< 催办: a reminder on an assigned case (workflow action Urge: assigned or in handling)
  Supervise //!< 督办: the supervision flag (workflow action Supervise: any open state)
};

std::string_view supervisionKindName(SupervisionKind kind); //!< "urge", "supervise"
std::optional<SupervisionKind> parseSupervisionKind(std::string_view name);

//! One urge or supervision of a case: who, when, with what opinion and response deadline.
struct SupervisionRecord
{
  std::int64_t id = 0;
  std::string caseNumber;
  SupervisionKind kind = SupervisionKind::Urge;
  std::string actor;   //!< the supervisor, or "rule:<name>" for an automatic rule
  core::TimePoint at{};
  std::string opinion; //!< 督办意见
  std::optional<core::TimePoint> deadline; //!< the response deadline set by the supervisor (限期)
  std::int64_t eventSeq = 0;               //!< the case event that records it
};

//! Urge or supervise one case or many.
struct UrgeRequest
{
  std::vector<std::string> numbers;
  SupervisionKind kind = SupervisionKind::Urge;
  std::string actor;
  std::string opinion; //!< also the order's message ("催办：请尽快处置" / "督办：请尽快处置" when empty)
  std::optional<core::TimePoint> deadline;
  core::TimePoint now{};
};

//! What became of one case of an UrgeRequest.
struct UrgeOutcome
{
  std::string caseNumber;
  bool done = false;
  std::string refusal;                //!< machine code when not done: unknown_case, bad_transition, ...
  std::string reason;                 //!< a sentence for the operator when not done
  std::int64_t recordId = 0;          //!< the supervision record
  std::int64_t eventSeq = 0;          //!< the case event
  std::int64_t noticeId = 0;          //!< the lead department's notice (0: the case has no lead department)
  std::vector<std::string> devices;   //!< the assigned worker's active terminals, each sent an urge order
  std::vector<std::int64_t> orderIds; //!< in the order of devices
};

/**
 * Supervision of cases. Works on the connection it is given (not owned); \a workflow and
 * \a clock must outlive it. Mutations run in their own transaction, or in savepoints inside
 * the caller's open transaction (a Writer job).
 */
class SupervisionStore
{
  public:
    SupervisionStore(Database &db, const core::Workflow &workflow, const core::SlaClock *clock);

    /**
     * For each case of \a request, atomically: the Urge (or Supervise) event through the
     * workflow, an `urge` order to every active terminal of the assigned worker (delivered
     * live by the order pump, or at the terminal's next connection), a notice to the lead
     * department, and the supervision record. A case the workflow refuses (closed, no such
     * case, not assigned for an urge ...) writes nothing and is reported with its reason; the
     * others are still done. Throws StoreRefusal "bad_value" when the request names no actor.
     */
    std::vector<UrgeOutcome> urge(const UrgeRequest &request);

    //! The supervision records of case \a number, oldest first.
    std::vector<SupervisionRecord> records(const std::string &number);
    //! Supervision records made at or after \a since, newest first, at most \a limit.
    std::vector<SupervisionRecord> recent(core::TimePoint since, int limit = 200);
    /**
     * Adds a supervision record for an event already applied to case \a number (the rule
     * runner's automatic 督办 uses it). Throws StoreRefusal "unknown_case".
     */
    std::int64_t addRecord(const SupervisionRecord &record);

  private:
    UrgeOutcome urgeOne(const std::string &number, const UrgeRequest &request);

    Database &mDb;
    const core::Workflow &mWorkflow;
    const core::SlaClock *mClock = nullptr;
};

} // namespace gd::store
