#pragma once
// What the operator does to cases, as the console asks for it: the case with its timeline,
// the workflow steps (with the refusal in words when a step is not allowed), manual intake
// with duplicate suggestions, routing suggestions and the people to assign.
//
// Qt value types only in this header, which is what the widgets show; the store and core live
// behind it in caseservice.cpp. CaseService is synchronous and not thread-safe: the
// console drives it from a thread of its own (CaseServiceThread) so the GUI never waits on
// the disk, and tests may call it directly.

#include "console/common/servicethread.h"
#include "console/session/operatorrights.h"
#include "store/cases/casescope.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace gd::console {

//! One event of a case's timeline.
struct TimelineEntry
{
  QDateTime at;
  QString actor;
  QString action;  //!< action name ("assign" …)
  QString from;    //!< state names
  QString to;
  QString note;
  QString details; //!< the event's data in words (lead department, satisfaction, …)
};

struct ReporterView
{
  QString name;
  QString phone;
  QString caseNumber; //!< the case this person reported under (differs after a merge)
};

//! A code with its operator-facing name (category, department, worker, grid).
struct Choice
{
  QString code;
  QString name;
  QString extra; //!< e.g. a worker's phone or a category's family name
};

//! Whether an order can reach a grid worker: the terminals they carry and whether one reports.
struct WorkerReachView
{
  QString workerId;
  int terminals = 0;     //!< active terminals (0: no order can reach this worker)
  bool online = false;   //!< a terminal reported within the last 5 minutes
  QDateTime lastFix;     //!< invalid when none ever reported
};

//! An order sent to a field terminal about a case, and what became of it.
struct OrderStatusView
{
  qint64 id = 0;
  QString kind;          //!< "assign", "urge", "alert"
  QString device;
  QString workerId;
  QString workerName;
  QDateTime sentAt;      //!< when it was queued for the terminal
  QDateTime ackedAt;     //!< the terminal's order_ack (it received the order); invalid until then
  bool terminalOnline = false; //!< the terminal reported within the last 5 minutes
};

//! A notice to a department about a case (派遣, 催办, 督办), and who there acknowledged it.
struct NoticeStatusView
{
  qint64 id = 0;
  QString kind;          //!< "assign", "urge", "supervise", "emergency"
  QString department;    //!< code
  QString departmentName;
  QDateTime sentAt;
  QString acknowledgedBy;
  QDateTime acknowledgedAt; //!< invalid until acknowledged
};

//! A case as the detail dock shows it.
struct CaseDetail
{
  QString number;
  QString category;      //!< code
  QString categoryName;
  QString familyName;
  QString state;         //!< state name
  QString priority;      //!< "normal", "urgent", "emergency"
  QString source;
  QString title;
  QString description;
  QString address;
  double lon = 0;
  double lat = 0;
  QString grid;          //!< micro-grid reported in
  QString gridPath;      //!< names from township down, "·"-separated
  QString responsibleGrid;
  QString leadDepartment;      //!< code
  QString leadDepartmentName;
  QStringList assistingNames;
  QString workerId;
  QString workerName;
  QDateTime reportedAt;
  QString stage;         //!< running SLA stage or ""
  QDateTime warnAt;
  QDateTime deadline;
  QString light;         //!< "green", "yellow", "red", "none"
  bool supervised = false;
  int urgeCount = 0;
  int reworkCount = 0;
  QString satisfaction;
  QString mergedInto;
  std::vector<ReporterView> reporters;
  bool reportersMasked = false;         //!< names and phones are masked for this seat (no personal.view)
  bool mayUnmask = false;               //!< this seat may reveal them with a reason (personal.unmask)
  std::vector<TimelineEntry> timeline;  //!< oldest first
  QStringList allowedActions;           //!< action names the workflow allows now
  QHash<QString, QString> refusals;     //!< why each other step is not possible now, in words ("dispatch" too)
  std::vector<OrderStatusView> orders;  //!< orders to terminals about the case, oldest first
  std::vector<NoticeStatusView> notices; //!< notices to departments about the case, oldest first
  WorkerReachView workerReach;          //!< whether the assigned worker can be reached by order
};

//! A workflow step the operator asks for. \a data as core::CaseCommand documents it.
struct ActionRequest
{
  QString action; //!< "register", "assign", "return" … (core::caseActionName)
  QString note;
  QVariantMap data;
};

struct ActionOutcome
{
  bool ok = false;
  QString number;   //!< the case acted on (or created)
  QString message;  //!< on refusal: why, in words; on success: what was done
  int ordersSent = 0; //!< orders queued for field terminals
  int noticesSent = 0; //!< notices to departments (a dispatch tells the lead and assisting departments)
  QString warning;     //!< on success: what did not reach anyone (a worker without a terminal …)
};

//! A report taken by phone (12345/110) or at the counter.
struct IntakeForm
{
  QString source = QStringLiteral("hotline"); //!< "hotline", "police", "citizen"
  QString caller;
  QString phone;
  QString address;
  QString category;     //!< 4-digit code
  QString priority;     //!< empty: the category's default
  QString title;
  QString description;
  std::optional<double> lon; //!< CGCS2000; both or neither
  std::optional<double> lat;
  QDateTime at;         //!< when the call came; invalid = now
};

struct DuplicateSuggestion
{
  QString number;
  QString title;
  QString state;
  QString address;
  double distanceM = 0;
  double hoursApart = 0;
  double textSimilarity = 0;
  double score = 0;
};

//! A place found for an address typed at intake.
struct PlaceMatch
{
  bool found = false;
  QString name;     //!< the address or place found ("幸福社区", an earlier case's address …)
  QString kind;     //!< "address" (an earlier case's), "grid", "poi"
  QString matched;  //!< the part of the text that matched (the whole text for an address)
  double lon = 0;   //!< CGCS2000
  double lat = 0;
};

struct RouteSuggestion
{
  QString department;     //!< code ("" when the category is unknown)
  QString departmentName;
  QString reason;
};

class CaseService
{
  public:
    /**
     * Opens the store at \a path (read-write, its own connection) with the configuration in
     * the default directory. \a operatorName is the actor of every event. Throws
     * std::exception naming the problem. \a rights are the seat's (issue 17): a step its roles
     * may not do is refused (and audited as refused, forbidden), a seat without case.view reads
     * no case, and one without personal.view reads reporters masked. Default: a store without
     * accounts, everything allowed and shown.
     */
    CaseService(const QString &path, const QString &operatorName, OperatorRights rights = {});
    ~CaseService();
    CaseService(const CaseService &) = delete;
    CaseService &operator=(const CaseService &) = delete;

    /**
     * Holds the service to a seat's scope (issue 17): details, searches and duplicates show
     * only cases inside it, and a step on a case outside it, or a report of a place outside
     * it, is refused with "the case is outside this seat's scope (东北街道)". By the store
     * (CaseStore::setScope), not by the widgets.
     */
    void setScope(const store::CaseScope &scope);
    const store::CaseScope &scope() const;

    QString operatorName() const;

    //! The case \a number with its timeline and the steps allowed now, or nullopt.
    std::optional<CaseDetail> detail(const QString &number);

    /**
     * Applies one workflow step to case \a number. An assignment to a grid worker also queues
     * an `assign` order for each of the worker's terminals (delivered at least once) and a
     * notice to each department it names; an urge does the same with an `urge` order. A
     * refused step writes nothing and says why.
     */
    ActionOutcome perform(const QString &number, const ActionRequest &request);

    /**
     * Takes a new case as far as assigned in one go: registers and accepts it as needed, then
     * assigns it to \a lead (with \a assisting and, optionally, grid worker \a worker). All or
     * nothing: if any step is refused, nothing is written.
     */
    ActionOutcome dispatch(const QString &number, const QString &lead, const QStringList &assisting,
                           const QString &worker);

    /**
     * The reporters of case \a number unmasked, for a seat with personal.unmask that gives
     * \a reason: the audit trail records it ("unmask", the case, the reason). Refused (with
     * the refusal audited) without the permission, without a reason or without the case.
     */
    ActionOutcome revealReporters(const QString &number, const QString &reason, std::vector<ReporterView> *reporters);

    //! Whether orders can reach each of \a workers (same order).
    std::vector<WorkerReachView> reach(const QStringList &workers);

    /**
     * Records that department notice \a id was acknowledged by \a who (a person at the
     * department, entered by the operator on the department's behalf). The first
     * acknowledgement stays. Refused when \a who is empty or there is no such notice.
     */
    ActionOutcome acknowledgeNotice(qint64 id, const QString &who);

    //! Creates a case from \a form (registered at once: the operator took the call). Returns its number.
    ActionOutcome intake(const IntakeForm &form);

    /**
     * Records \a form as a further report of case \a target (多头反映): the report is stored
     * as a case of its own and merged into \a target at once, so the target keeps the caller
     * among its reporters. One transaction.
     */
    ActionOutcome attach(const IntakeForm &form, const QString &target);

    //! Likely duplicates of a report that is being taken, best first (suggestions only).
    std::vector<DuplicateSuggestion> duplicates(const IntakeForm &form);
    //! Likely duplicates of the stored case \a number, best first.
    std::vector<DuplicateSuggestion> duplicatesOf(const QString &number);

    //! The suggested lead department for \a category in \a grid (any level).
    RouteSuggestion suggestLead(const QString &category, const QString &grid) const;
    /**
     * The suggested lead department for (re-)dispatching case \a number: the routing
     * suggestion, unless that department returned the case: then the next department that
     * handles the category's family and has not returned it, with the reason in words
     * (empty department when every one of them returned it).
     */
    RouteSuggestion suggestLeadFor(const QString &number);

    //! Every subcategory with its name in the UI language ("extra": the family name).
    std::vector<Choice> categories() const;
    //! Each category's keywords (what callers call it: 井盖 …), by category code.
    std::map<QString, QStringList> categoryKeywords() const;
    //! Every category family.
    std::vector<Choice> families() const;
    //! Every department with its name in the UI language.
    std::vector<Choice> departments() const;
    //! The grid workers responsible for \a grid or, for a micro-grid, for its grid ("extra": phone).
    std::vector<Choice> workersFor(const QString &grid) const;
    //! The name of the department with \a code, or the code.
    QString departmentName(const QString &code) const;

    /**
     * Finds the street address or place \a text names: an earlier case reported at that
     * address (its location), else the grid or point of interest whose name shares the longest
     * distinctive part with it ("幸福小区3号楼" → 幸福社区). Generic words (社区, 小区, 网格, 号楼 …)
     * alone never match.
     */
    PlaceMatch findPlace(const QString &text);

    //! The micro-grid at \a lon, \a lat (CGCS2000), or an empty string outside every grid.
    QString gridAt(double lon, double lat) const;
    //! The grid code and name path ("乡镇 · 社区 · 网格") of \a code.
    QString gridPath(const QString &code) const;

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

//! The operator-facing (translated) name of workflow action \a action ("assign" → 派遣).
QString actionTitle(const QString &action);
//! The operator-facing name of satisfaction \a value.
QString satisfactionTitle(const QString &value);
//! The operator-facing name of priority \a value.
QString priorityTitle(const QString &value);

//! The console's case service on a thread of its own (see ServiceThread).
class CaseServiceThread : public ServiceThread<CaseService>
{
  public:
    //! Opens the service on its thread; error() receives the problem when it cannot open.
    CaseServiceThread(const QString &path, const QString &operatorName, OperatorRights rights = {},
                      const store::CaseScope &scope = {})
      : ServiceThread([path, operatorName, rights, scope] {
        auto service = std::make_unique<CaseService>(path, operatorName, rights);
        service->setScope(scope);
        return service;
      })
    {}
};

} // namespace gd::console

Q_DECLARE_METATYPE(gd::console::CaseDetail)
Q_DECLARE_METATYPE(gd::console::ActionOutcome)
