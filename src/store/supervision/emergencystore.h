#pragma once
// One-key emergency dispatch (一键直达), the store side: declaring an emergency (from a case or
// a map click), what is near it, dispatching several departments at once, the alert broadcast
// to the terminals inside the radius with live acknowledgements, the incident's conference
// link, and the timeline of everything done, exportable as CSV and JSON.

#include "core/caseworkflow.h"
#include "core/geo.h"
#include "core/radiusquery.h"
#include "core/timeutil.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {
class SlaClock;
class DepartmentDirectory;
struct ConferenceConfig;
class GridTree;
} // namespace gd::core

namespace gd::store {

class Database;

struct EmergencyDeclaration
{
  std::string incident;   //!< the incident number; "" to have one made: "YJ<yyyymmdd>-<nnn>" (Beijing date)
  std::string caseNumber; //!< the case it is declared from, "" for a map click
  std::string title;      //!< "" takes the case's title, or "突发事件"
  std::string incidentType; //!< the emergency.conf type code ("fire" ...), "" unspecified
  core::GeoPoint centre;  //!< CGCS2000
  double radiusM = 0;     //!< (0, 100 km]
  std::string actor;
  core::TimePoint at{};
};

//! A row of the `emergencies` point layer.
struct Emergency
{
  std::int64_t id = 0;
  std::string incident;
  std::string caseNumber;
  std::string title;
  std::string incidentType; //!< emergency.conf type code, "" unspecified (declared before revision 9)
  core::GeoPoint centre;
  double radiusM = 0;
  std::string declaredBy;
  core::TimePoint declaredAt{};
  std::string conferenceUrl; //!< "" when no conference system is configured
  std::string closedBy;
  std::optional<core::TimePoint> closedAt;

  bool isOpen() const { return !closedAt.has_value(); }
};

enum class TimelineKind
{
  Declared,
  Dispatched, //!< departments notified (and the case assigned, see dispatch())
  Alert,      //!< an alert broadcast to terminals
  Ack,        //!< a terminal acknowledged an alert (read from the order, not stored twice)
  Conference, //!< someone started or joined the video conference
  Note,
  Closed
};

std::string_view timelineKindName(TimelineKind kind); //!< "declared", "dispatched", "alert", "ack", "conference", "note", "closed"

/**
 * The details of a timeline entry: one optional field per datum a kind carries. The store keeps
 * them as the entry's JSON "data" object (and exports it): a field that is set becomes a key
 * named as in the comments, one that is not is no key, so entries read and export as they did
 * when this was a JSON object. (Every member has an initializer, so designated initializers
 * name only what they set.)
 */
struct TimelineDetails
{
  // Declared (a Conference entry names the link too)
  std::optional<double> lon{};                 //!< "lon", CGCS2000
  std::optional<double> lat{};                 //!< "lat"
  std::optional<double> radiusM{};             //!< "radius_m"
  std::optional<std::string> incidentType{};   //!< "incident_type"
  std::optional<std::string> caseNumber{};     //!< "case"
  std::optional<std::string> conferenceUrl{};  //!< "conference_url"
  // Dispatched (an Alert carries its message, devices and orders)
  std::optional<std::vector<std::string>> departments{}; //!< "departments", codes in the order given
  std::optional<std::vector<std::int64_t>> notices{};    //!< "notices", one department notice each
  std::optional<core::CaseAction> caseAction{};          //!< "case_action": what the case recorded
  std::optional<std::string> message{};                  //!< "message": the words sent
  std::optional<std::vector<std::string>> devices{};     //!< "devices" alerted
  std::optional<std::vector<std::int64_t>> orders{};     //!< "orders", one per device
  // Ack (made from the order when read, not stored)
  std::optional<std::int64_t> order{};   //!< "order"
  std::optional<std::string> device{};   //!< "device"
  std::optional<std::string> worker{};   //!< "worker"
  /**
   * Keys this program does not model, or does not hold in the form they were written (an
   * integer "radius_m", a "case_action" that names no action ...), as their JSON text: carried
   * so an entry exports byte for byte as stored.
   */
  std::map<std::string, std::string> verbatim{};

  friend bool operator==(const TimelineDetails &, const TimelineDetails &) = default;
};

struct TimelineEntry
{
  core::TimePoint at{};
  TimelineKind kind = TimelineKind::Note;
  std::string actor; //!< an operator, or "device:<id>" for an acknowledgement
  std::string message;
  TimelineDetails data; //!< the details (departments, devices, order ids ...)
};

//! One alert order of an emergency and whether its terminal has acknowledged it.
struct AlertDelivery
{
  std::int64_t orderId = 0;
  std::string deviceId;
  std::string workerId;
  double distanceM = 0; //!< the worker's latest fix from the centre when the alert went out
  core::TimePoint sentAt{};
  std::optional<core::TimePoint> ackedAt;
};

struct DispatchResult
{
  std::vector<std::int64_t> noticeIds; //!< one per department, in the order given
  //! What the emergency's case recorded: Assign (it was waiting for dispatch), Note (it was
  //! further on), or nothing (no case, or a case in a final state).
  std::optional<core::CaseAction> caseAction;
};

/**
 * Emergencies. Works on the connection it is given (not owned); the pointers it takes must
 * outlive it. Each mutation is atomic (its own transaction, or a savepoint inside the
 * caller's) and adds its timeline entry in the same step. Throws StoreRefusal:
 * "unknown_incident", "closed" (the emergency is closed), "unknown_case", "unknown_department",
 * "duplicate_incident", "bad_value" (naming the field), "no_conference".
 */
class EmergencyStore
{
  public:
    //! The title of an emergency declared without one and without a case (the alerts' words).
    static constexpr const char *kUntitled = "突发事件";

    /**
     * \a workflow and \a clock record the dispatch on the emergency's case; \a departments
     * (may be null: any code) checks and names departments; \a conference (may be null) makes
     * the meeting link.
     */
    EmergencyStore(Database &db, const core::Workflow &workflow, const core::SlaClock *clock,
                   const core::DepartmentDirectory *departments = nullptr,
                   const core::ConferenceConfig *conference = nullptr);

    //! Declares an emergency (timeline: declared) and returns it, with its conference link.
    Emergency declare(const EmergencyDeclaration &declaration);
    std::optional<Emergency> find(const std::string &incident);
    //! Emergencies not closed, newest first.
    std::vector<Emergency> openEmergencies();

    /**
     * Workers (latest fixes), points of interest and the areas of \a grids within \a radiusM of
     * \a centre (core::findWithinRadius on what the store holds; R-tree prefiltered). Worker
     * names, phones and grids come from \a grids. For a map click before declaring.
     */
    core::RadiusResult nearby(core::GeoPoint centre, double radiusM, const core::GridTree &grids, core::TimePoint now,
                              std::chrono::seconds onlineWithin = std::chrono::seconds(300));
    //! nearby() around the emergency's centre and radius.
    core::RadiusResult nearby(const std::string &incident, const core::GridTree &grids, core::TimePoint now,
                              std::chrono::seconds onlineWithin = std::chrono::seconds(300));

    /**
     * Dispatches the emergency to \a departments at once: a notice to each (with \a message
     * and the conference link) and a timeline entry. When declared from a case, the case
     * records it too, as far as the workflow allows: a case waiting for dispatch (accepted) is
     * assigned to the first department as lead and the others as assisting; a case further on
     * gets a note naming the departments (the workflow has no "add assisting" step, and
     * reassigning would take it from whoever is handling it).
     */
    DispatchResult dispatch(const std::string &incident, const std::vector<std::string> &departments,
                            const std::string &message, const std::string &actor, core::TimePoint at);

    /**
     * Broadcasts an `alert` order to every active terminal of each worker whose latest fix
     * lies within the radius (distance as core::distanceMeters; on the circle counts), and no
     * other. The message carries the conference link. Returns the deliveries (the order pump
     * sends them live; offline terminals get them when they reconnect).
     */
    std::vector<AlertDelivery> broadcastAlert(const std::string &incident, const std::string &message,
                                              const std::string &actor, core::TimePoint at);
    //! Every alert order of the emergency with its acknowledgement (orders.acked_at), by order id.
    std::vector<AlertDelivery> alerts(const std::string &incident);

    void addNote(const std::string &incident, const std::string &actor, core::TimePoint at, const std::string &text);
    //! Records that \a actor started or joined the conference and returns the link ("no_conference" when none).
    std::string joinConference(const std::string &incident, const std::string &actor, core::TimePoint at);
    //! Closes the emergency; a second close is refused ("closed").
    void close(const std::string &incident, const std::string &actor, core::TimePoint at, const std::string &note = {});

    //! Everything done, oldest first: the stored entries and the acknowledgements of its alerts.
    std::vector<TimelineEntry> timeline(const std::string &incident);
    //! The timeline as CSV: at (Beijing time), kind, actor, message, data (JSON); RFC 4180 quoting.
    std::string timelineCsv(const std::string &incident);
    /**
     * The emergency and its timeline as one JSON object, indented by two spaces and ending in
     * a newline (what `griddispatch-ctl emergency timeline --format json` writes).
     */
    std::string timelineJson(const std::string &incident);

  private:
    Emergency require(const std::string &incident, bool open);
    void append(std::int64_t emergencyId, core::TimePoint at, const std::string &actor, TimelineKind kind,
                const std::string &message, const TimelineDetails &data);
    std::string nextIncidentNumber(core::TimePoint at);
    std::string departmentLabel(const std::string &code) const;

    Database &mDb;
    const core::Workflow &mWorkflow;
    const core::SlaClock *mClock = nullptr;
    const core::DepartmentDirectory *mDepartments = nullptr;
    const core::ConferenceConfig *mConference = nullptr;
};

} // namespace gd::store
