#pragma once
// What supervisors and commanders do, as the console asks for it: the supervision wall
// (overdue and about-to-be-overdue cases, rankings, urging many cases with an opinion and a
// deadline, the records), today's headline figures for the big screen, and one-key emergency
// dispatch (declare, what is near, dispatch departments, alert broadcast with its
// acknowledgements, the conference link, the timeline and its export).
//
// Qt value types only in this header (the QGIS-including window uses it); the store lives
// behind it in commandservice.cpp. Like CaseService it is synchronous and runs on a thread of
// its own (CommandServiceThread): the wall's queries and the day's KPIs never wait behind, or
// hold up, the operator's case steps.

#include "console/common/servicethread.h"
#include "console/session/operatorrights.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace gd::console {

//! Which cases the wall shows; empty fields do not filter.
struct WallFilter
{
  QString gridPrefix;  //!< a grid code of any level: its subtree
  QString department;  //!< lead department code
  bool overdueOnly = false;
  int limit = 500;
};

//! A case on the supervision wall.
struct WallRow
{
  QString number;
  QString title;
  QString category;        //!< category code
  QString categoryName;
  QString state;           //!< state name
  QString gridName;        //!< the reported grid's name path
  QString department;      //!< lead department code ("" before dispatch)
  QString departmentName;
  QString workerName;
  QString light;           //!< "yellow" or "red" at the query's instant
  QDateTime deadline;      //!< the countdown runs to this
  int supervisionCount = 0;
  QString lastSupervision; //!< "催办 · 李主任 · 11-22 10:05 · 请今日办结", "" when none
};

struct DepartmentLoad
{
  QString department; //!< code, "" for not yet dispatched
  QString name;
  qint64 overdue = 0;
};

struct WallView
{
  QDateTime at;
  std::vector<WallRow> rows; //!< most overdue first, then yellow by deadline
  qint64 overdue = 0;        //!< all red cases in scope (rows may be limited)
  qint64 yellow = 0;
  std::vector<DepartmentLoad> byDepartment;
  //! Overdue cases of the categories that alarm (supervision.conf alarm_overdue), most overdue
  //! first, whatever the filter: an alarm is not hidden by the wall's scope.
  std::vector<WallRow> alarms;
  QString error;             //!< the store could not be read: why
};

enum class RankBy
{
  Department,
  Township
};

struct RankingEntry
{
  QString key;  //!< department code or township grid code
  QString name;
  int overdue = 0;
  double onTimeRate = -1; //!< 0..1, -1 when no case was decided in the period (kpi.h)
  int onTimeNumerator = 0;
  int onTimeDenominator = 0;
  int received = 0;
};

struct RankingView
{
  std::vector<RankingEntry> rows; //!< most overdue first, then lowest on-time rate
  QString error;
};

//! One urge or supervision (督办记录).
struct SupervisionEntry
{
  QString number;
  QString kind; //!< "urge" or "supervise"
  QString actor;
  QDateTime at;
  QString opinion;
  QDateTime deadline; //!< invalid when none was set
};

struct UrgeRequestView
{
  QStringList numbers;
  bool supervise = false; //!< 督办 rather than 催办
  QString opinion;
  QDateTime deadline;     //!< invalid: none
};

struct UrgeResult
{
  QString number;
  bool done = false;
  QString reason;   //!< why not, in words
  int orders = 0;   //!< urge orders queued to the worker's terminals
  bool departmentNotified = false;
};

//! Today's headline figures (Beijing day) for the big screen.
struct TodayFigures
{
  QDateTime at;
  int newToday = 0;    //!< reported today (voided/merged excluded, as the KPIs count)
  int closedToday = 0; //!< reached closed today
  qint64 overdue = 0;  //!< open cases red now
  qint64 yellow = 0;
  double onTimeRate = -1; //!< 按期办结率 of cases decided today (kpi.h); -1 none
  int onTimeNumerator = 0;
  int onTimeDenominator = 0;
  QString error;
};

struct EmergencyView
{
  QString incident;
  QString caseNumber;
  QString title;
  QString incidentType; //!< emergency.conf type code, "" unspecified
  QString typeName;     //!< the type's name in the UI language ("Unspecified emergency" for "")
  double lon = 0;
  double lat = 0;
  double radiusM = 0;
  QString declaredBy;   //!< who declared it, by name
  QDateTime declaredAt;
  QString conferenceUrl; //!< "" without a configured conference system
  bool open = true;
};

struct NearbyWorkerView
{
  QString workerId;
  QString name;
  QString phone;
  QString gridName;
  QString device;
  double lon = 0;
  double lat = 0;
  double distanceM = 0;
  qint64 fixAgeSeconds = 0;
  bool online = false;
};

struct NearbySiteView
{
  QString kind;     //!< police_post, camera, hazchem_firm …
  QString name;
  QString streamUrl;
  double lon = 0;
  double lat = 0;
  double distanceM = 0;
  bool risk = false;
};

struct AffectedAreaView
{
  QString code;
  QString name;
  int level = 0; //!< core::GridLevel
  double distanceM = 0;
  bool containsCentre = false;
};

struct NearbyView
{
  std::vector<NearbyWorkerView> workers; //!< nearest first
  std::vector<NearbySiteView> sites;     //!< nearest first
  std::vector<AffectedAreaView> areas;   //!< upper levels first
  QString error;
};

struct AlertView
{
  qint64 orderId = 0;
  QString device;
  QString workerName;
  double distanceM = 0;
  QDateTime sentAt;
  QDateTime ackedAt; //!< invalid until acknowledged
};

struct EmergencyEvent
{
  QDateTime at;
  QString kind; //!< declared, dispatched, alert, ack, conference, note, closed
  QString actor; //!< who, in words: an operator's name, a worker's name and role
  QString message;
};

//! The answer to an emergency command: done with a message, or refused with the reason.
struct CommandReply
{
  bool ok = false;
  QString message;
  EmergencyView emergency; //!< the emergency after the command
  QString link;            //!< joinConference: the meeting link
  int count = 0;           //!< alert: terminals sent to; dispatch: departments notified
};

//! A supervision rule that fired (automatic escalation, supervision of repeated rework).
struct RuleFiringView
{
  QString number;
  QString rule;   //!< "escalate_overdue", "supervise_rework"
  QString reason; //!< why, as the case's event records it
};

struct RulesRun
{
  std::vector<RuleFiringView> fired;
  QStringList refused; //!< firings the workflow refused at the last moment
  QString error;
};

class CommandService
{
  public:
    /**
     * Opens the store at \a path with the configuration in \a configDir (the default
     * directory when empty); \a operatorName is the actor of what it records. Throws
     * std::exception naming the problem (bad supervision.conf or conference.conf included).
     * \a rights are the seat's (issue 17): urging and supervising need case.supervise, every
     * emergency command emergency.declare; refused ones are audited (refused, forbidden).
     */
    CommandService(const QString &path, const QString &operatorName, const QString &configDir = {},
                   OperatorRights rights = {});
    ~CommandService();
    CommandService(const CommandService &) = delete;
    CommandService &operator=(const CommandService &) = delete;

    // --- supervision -------------------------------------------------------------------
    WallView wall(const WallFilter &filter, const QDateTime &now = {});
    //! Rankings over [\a from, \a to) within a grid subtree.
    RankingView ranking(RankBy by, const QDateTime &from, const QDateTime &to, const QString &gridPrefix = {});
    //! Urges or supervises every case of \a request; each case is done or refused on its own.
    std::vector<UrgeResult> urge(const UrgeRequestView &request, const QDateTime &now = {});
    std::vector<SupervisionEntry> records(const QString &number);
    std::vector<SupervisionEntry> recentRecords(const QDateTime &since, int limit = 200);
    TodayFigures today(const QDateTime &now = {});
    /**
     * Runs the supervision rules of supervision.conf due at \a now (each firing once and only
     * once, whoever else runs them: see store::SupervisionRunner), draining a backlog in
     * slices of at most 200 firings.
     */
    RulesRun runRules(const QDateTime &now = {});

    // --- emergencies ---------------------------------------------------------------------
    /**
     * Declares an emergency from case \a number (its location), within \a radiusM. Its type is
     * the one emergency.conf gives the case's category, else \a incidentType ("" unspecified).
     */
    CommandReply declareFromCase(const QString &number, double radiusM, const QString &incidentType = {},
                                 const QDateTime &now = {});
    //! Declares an emergency of \a incidentType at a map point (\a title "" takes the type's name).
    CommandReply declareAt(double lon, double lat, double radiusM, const QString &title,
                           const QString &incidentType = {}, const QDateTime &now = {});
    //! The emergency types (code, name in the UI language), as emergency.conf lists them.
    std::vector<std::pair<QString, QString>> incidentTypes() const;
    std::vector<EmergencyView> openEmergencies();
    std::optional<EmergencyView> emergency(const QString &incident);
    //! What lies within \a radiusM of a point (before declaring, or to preview a new radius).
    NearbyView nearby(double lon, double lat, double radiusM, const QDateTime &now = {});
    NearbyView nearby(const QString &incident, const QDateTime &now = {});
    CommandReply dispatch(const QString &incident, const QStringList &departments, const QString &message,
                          const QDateTime &now = {});
    CommandReply alert(const QString &incident, const QString &message, const QDateTime &now = {});
    std::vector<AlertView> alerts(const QString &incident);
    CommandReply joinConference(const QString &incident, const QDateTime &now = {});
    CommandReply note(const QString &incident, const QString &text, const QDateTime &now = {});
    CommandReply close(const QString &incident, const QString &note, const QDateTime &now = {});
    std::vector<EmergencyEvent> timeline(const QString &incident);
    /**
     * Writes the timeline to \a file as CSV, or JSON when the name ends in .json, in the UI
     * language: what timeline() shows (who by name, what in words), not the store's log lines.
     */
    CommandReply exportTimeline(const QString &incident, const QString &file);

    //! Departments (code, name in the UI language), for the dispatch list.
    std::vector<std::pair<QString, QString>> departments() const;
    //! Whether a meeting-link template is configured.
    bool conferenceEnabled() const;

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

//! The operator-facing name of a point-of-interest kind ("camera" → 视频探头).
QString siteKindTitle(const QString &kind);
//! The operator-facing name of an emergency timeline kind.
QString emergencyEventTitle(const QString &kind);
//! "12 m" / "1.4 km".
QString distanceText(double metres);

class CommandServiceThread : public ServiceThread<CommandService>
{
  public:
    CommandServiceThread(const QString &path, const QString &operatorName, const QString &configDir = {},
                         OperatorRights rights = {})
      : ServiceThread([path, operatorName, configDir, rights] {
        return std::make_unique<CommandService>(path, operatorName, configDir, rights);
      })
    {}
};

} // namespace gd::console
