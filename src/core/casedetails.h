#pragma once
// The structured details of a case command and of the event Workflow makes of it: one
// optional field per datum an action carries (CaseCommand lists which action uses which).
// The store writes them as the event's JSON "data" object (store/caseeventjson.h): a field
// that is set becomes a key, one that is not is no key, so a stored event reads as it did
// when this was a JSON bag, and its hash chain holds.

#include "core/catalog.h"
#include "core/timeutil.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

enum class CaseState;

//! Who reported (or co-reported, after a merge) a case.
struct Reporter
{
    std::string name;
    std::string phone;
    std::string caseNumber; //!< the case under which this person reported (not written with a report's own reporter)
    friend bool operator==(const Reporter &, const Reporter &) = default;
};

//! The follow-up visit's verdict (核查回访).
enum class Satisfaction
{
    Satisfied,
    BasicallySatisfied,
    Unsatisfied
};
//! "satisfied", "basically_satisfied", "unsatisfied".
std::string_view satisfactionName(Satisfaction satisfaction);
std::optional<Satisfaction> parseSatisfaction(std::string_view name);

//! The outcome of a dispute's mediation, reported with the handler's feedback.
enum class Mediation
{
    Success,
    Failed
};
//! "success", "failed".
std::string_view mediationName(Mediation mediation);
std::optional<Mediation> parseMediation(std::string_view name);

//! (Every member has an initializer, so `CaseDetails{.lead = "fire"}` names only what it sets.)
struct CaseDetails
{
    // Report (lon/lat also where a field update was made)
    std::optional<std::string> category{}; //!< 4-digit catalog code
    std::optional<double> lon{};           //!< CGCS2000
    std::optional<double> lat{};
    std::optional<std::string> grid{}; //!< micro-grid code; "" outside every grid
    std::optional<std::string> title{};
    std::optional<std::string> description{};
    std::optional<Priority> priority{};
    std::optional<std::string> source{}; //!< "hotline", "grid_worker", ...
    std::optional<std::string> address{};
    std::optional<Reporter> reporter{};            //!< name and phone
    std::optional<std::string> reportedByWorker{}; //!< the grid worker whose terminal reported it
    // Assign
    std::optional<std::string> lead{}; //!< department code
    std::optional<std::vector<std::string>> assisting{};
    std::optional<std::string> worker{}; //!< worker id
    // Feedback
    std::optional<std::string> result{};
    std::optional<Mediation> mediation{};
    // Visit
    std::optional<Satisfaction> satisfaction{};
    // Extend
    std::optional<std::string> approver{};
    std::optional<double> amount{}; //!< > 0
    std::optional<LimitUnit> unit{};
    // Merge: the source names its target; the target names what it absorbed and whose reports
    std::optional<std::string> into{};
    std::optional<std::string> absorbed{};
    std::optional<std::vector<Reporter>> reporters{};
    // Rework: assigned or in_handling
    std::optional<CaseState> reworkTo{};
    // Filled in by Workflow: what a return undid, where an escalation went, what parking left
    std::optional<std::string> previousLead{};
    std::optional<std::string> previousWorker{};
    std::optional<std::string> fromGrid{};
    std::optional<std::string> toGrid{};
    std::optional<CaseState> parkedFrom{};
    // Supervision: the rule firing that made the event, and the respond-by time of an urge
    std::optional<std::string> rule{};
    std::optional<std::string> occurrence{};
    std::optional<TimePoint> deadline{};
    // Emergency dispatch (指挥调度)
    std::optional<std::string> emergency{};
    std::optional<std::vector<std::string>> departments{};
    /**
     * Keys this program does not model, or does not hold in the form they were written (an
     * integer "lon", a "priority" not in the catalog, ...), as their JSON text: carried so an
     * imported or old event is written back byte for byte. Workflow refuses a command whose
     * known key is only here (it had the wrong type).
     */
    std::map<std::string, std::string> verbatim{};

    friend bool operator==(const CaseDetails &, const CaseDetails &) = default;
};

} // namespace gd::core
