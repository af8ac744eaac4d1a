#pragma once

#include "core/caseevent.h"
#include "core/caseworkflow.h"
#include "core/catalog.h"
#include "core/geo.h"

#include <optional>
#include <string>
#include <vector>

namespace gd::core {

/**
 * The current state of one case: the projection of its events, applied in order.
 * A default-constructed Case has no events; only a Report is legal on it.
 */
class Case
{
  public:
    Case() = default;
    explicit Case(std::string number) : mNumber(std::move(number)) {}

    //! Builds the projection of \a events (in order).
    static Case fromEvents(const std::vector<CaseEvent> &events);

    /**
     * Applies \a event (which Workflow produced) and keeps it in events().
     * Throws std::invalid_argument if the event's `from` is not the current state.
     */
    void apply(const CaseEvent &event);

    const std::string &number() const { return mNumber; }
    void setNumber(const std::string &number) { mNumber = number; }
    bool isReported() const { return !mEvents.empty(); }
    CaseState state() const { return mState; }
    //! State before parking (meaningful while state() is Parked).
    CaseState parkedFrom() const { return mParkedFrom; }

    const std::string &categoryCode() const { return mCategoryCode; }
    Priority priority() const { return mPriority; }
    GeoPoint location() const { return mLocation; }
    //! The micro-grid where the case was reported ("" when outside every grid).
    const std::string &reportedGrid() const { return mReportedGrid; }
    //! The grid level currently responsible (moves up on escalation).
    const std::string &responsibleGrid() const { return mResponsibleGrid; }
    const std::string &title() const { return mTitle; }
    const std::string &description() const { return mDescription; }
    const std::string &source() const { return mSource; }
    const std::string &address() const { return mAddress; }
    TimePoint reportedAt() const { return mReportedAt; }

    const std::string &leadDepartment() const { return mLeadDepartment; }
    const std::vector<std::string> &assistingDepartments() const { return mAssisting; }
    const std::string &assignedWorker() const { return mWorker; }

    const std::vector<Reporter> &reporters() const { return mReporters; }
    const std::string &mergedInto() const { return mMergedInto; }
    //! "satisfied", "basically_satisfied", "unsatisfied", or "" before the visit.
    const std::string &satisfaction() const { return mSatisfaction; }
    //! "success", "failed" or "" (mediation outcome reported with the feedback).
    const std::string &mediation() const { return mMediation; }

    int superviseCount() const { return mSuperviseCount; }
    int urgeCount() const { return mUrgeCount; }
    int reworkCount() const { return mReworkCount; }
    int returnCount() const { return mReturnCount; }
    int escalationCount() const { return mEscalationCount; }
    int extensionCount() const { return mExtensionCount; }
    bool isSupervised() const { return mSuperviseCount > 0; } //!< 督办 flag

    const std::vector<CaseEvent> &events() const { return mEvents; }

  private:
    std::string mNumber;
    CaseState mState = CaseState::Reported;
    CaseState mParkedFrom = CaseState::Reported;
    std::string mCategoryCode;
    Priority mPriority = Priority::Normal;
    GeoPoint mLocation;
    std::string mReportedGrid;
    std::string mResponsibleGrid;
    std::string mTitle;
    std::string mDescription;
    std::string mSource;
    std::string mAddress;
    TimePoint mReportedAt{};
    std::string mLeadDepartment;
    std::vector<std::string> mAssisting;
    std::string mWorker;
    std::vector<Reporter> mReporters;
    std::string mMergedInto;
    std::string mSatisfaction;
    std::string mMediation;
    int mSuperviseCount = 0;
    int mUrgeCount = 0;
    int mReworkCount = 0;
    int mReturnCount = 0;
    int mEscalationCount = 0;
    int mExtensionCount = 0;
    std::vector<CaseEvent> mEvents;
};

} // namespace gd::core
