#include "core/case.h"

#include <stdexcept>

namespace gd::core {

namespace {

std::string str(const nlohmann::json &data, const char *key)
{
    const auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

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
    const nlohmann::json &d = e.data.is_object() ? e.data : nlohmann::json::object();
    switch (e.action) {
    case CaseAction::Report: {
        mCategoryCode = str(d, "category");
        if (d.contains("lon") && d["lon"].is_number())
            mLocation.lon = d["lon"].get<double>();
        if (d.contains("lat") && d["lat"].is_number())
            mLocation.lat = d["lat"].get<double>();
        mReportedGrid = str(d, "grid");
        mResponsibleGrid = mReportedGrid;
        mTitle = str(d, "title");
        mDescription = str(d, "description");
        mSource = str(d, "source");
        mAddress = str(d, "address");
        mPriority = parsePriority(str(d, "priority")).value_or(Priority::Normal);
        mReportedAt = e.at;
        if (d.contains("reporter") && d["reporter"].is_object())
            mReporters.push_back({str(d["reporter"], "name"), str(d["reporter"], "phone"), mNumber});
        break;
    }
    case CaseAction::Assign:
        mLeadDepartment = str(d, "lead");
        mAssisting.clear();
        if (d.contains("assisting") && d["assisting"].is_array())
            for (const auto &a : d["assisting"])
                if (a.is_string())
                    mAssisting.push_back(a.get<std::string>());
        mWorker = str(d, "worker");
        break;
    case CaseAction::Return:
        mLeadDepartment.clear();
        mAssisting.clear();
        mWorker.clear();
        ++mReturnCount;
        break;
    case CaseAction::Escalate:
        mResponsibleGrid = str(d, "to_grid");
        mLeadDepartment.clear();
        mAssisting.clear();
        mWorker.clear();
        ++mEscalationCount;
        break;
    case CaseAction::Feedback:
        if (const std::string m = str(d, "mediation"); !m.empty())
            mMediation = m;
        break;
    case CaseAction::Visit: mSatisfaction = str(d, "satisfaction"); break;
    case CaseAction::Rework:
        ++mReworkCount;
        mSatisfaction.clear();
        break;
    case CaseAction::Park: mParkedFrom = e.from; break;
    case CaseAction::Merge:
        if (d.contains("into"))
            mMergedInto = str(d, "into");
        if (d.contains("reporters") && d["reporters"].is_array())
            for (const auto &r : d["reporters"])
                if (r.is_object())
                    mReporters.push_back({str(r, "name"), str(r, "phone"), str(r, "case")});
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
