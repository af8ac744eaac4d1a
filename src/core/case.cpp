#include "core/case.h"

#include <stdexcept>

namespace gd::core {

Case Case::fromEvents(const std::vector<CaseEvent> &events)
{
    Case c;
    for (const CaseEvent &e : events)
        c.apply(e);
    return c;
}

void Case::apply(const CaseEvent &e)
{
    if (mEvents.empty()) {
        if (e.action != CaseAction::Report)
            throw std::invalid_argument("the first event of a case must be a report, not '"
                                        + std::string(caseActionName(e.action)) + "'");
        if (mNumber.empty())
            mNumber = e.caseNumber;
    } else if (e.from != mState) {
        throw std::invalid_argument("event '" + std::string(caseActionName(e.action)) + "' starts from state '"
                                    + std::string(caseStateName(e.from)) + "' but case " + mNumber + " is '"
                                    + std::string(caseStateName(mState)) + "'");
    }
    const CaseDetails &d = e.details;
    const auto text = [](const std::optional<std::string> &value) { return value.value_or(std::string()); };
    switch (e.action) {
    case CaseAction::Report: {
        mCategoryCode = text(d.category);
        if (d.lon)
            mLocation.lon = *d.lon;
        if (d.lat)
            mLocation.lat = *d.lat;
        mReportedGrid = text(d.grid);
        mResponsibleGrid = mReportedGrid;
        mTitle = text(d.title);
        mDescription = text(d.description);
        mSource = text(d.source);
        mAddress = text(d.address);
        mPriority = d.priority.value_or(Priority::Normal);
        mReportedAt = e.at;
        if (d.reporter)
            mReporters.push_back({d.reporter->name, d.reporter->phone, mNumber});
        break;
    }
    case CaseAction::Assign:
        mLeadDepartment = text(d.lead);
        mAssisting = d.assisting.value_or(std::vector<std::string>());
        mWorker = text(d.worker);
        break;
    case CaseAction::Return:
        mLeadDepartment.clear();
        mAssisting.clear();
        mWorker.clear();
        ++mReturnCount;
        break;
    case CaseAction::Escalate:
        mResponsibleGrid = text(d.toGrid);
        mLeadDepartment.clear();
        mAssisting.clear();
        mWorker.clear();
        ++mEscalationCount;
        break;
    case CaseAction::Feedback:
        if (d.mediation)
            mMediation = std::string(mediationName(*d.mediation));
        break;
    case CaseAction::Visit:
        mSatisfaction = d.satisfaction ? std::string(satisfactionName(*d.satisfaction)) : std::string();
        break;
    case CaseAction::Rework:
        ++mReworkCount;
        mSatisfaction.clear();
        break;
    case CaseAction::Park: mParkedFrom = e.from; break;
    case CaseAction::Merge:
        if (d.into)
            mMergedInto = *d.into;
        if (d.reporters)
            mReporters.insert(mReporters.end(), d.reporters->begin(), d.reporters->end());
        break;
    case CaseAction::Extend: ++mExtensionCount; break;
    case CaseAction::Supervise: ++mSuperviseCount; break;
    case CaseAction::Urge: ++mUrgeCount; break;
    default: break;
    }
    mState = e.to;
    mEvents.push_back(e);
}

} // namespace gd::core
