#pragma once
// What the operator does to cases, as the console asks for it: the case with its timeline,
// the workflow steps (with the refusal in words when a step is not allowed), manual intake
// with duplicate suggestions, routing suggestions and the people to assign.
//
// Qt value types only in this header, so widgets and the QGIS-including main window can use
// it; the store and core live behind it in caseservice.cpp (see storeaccess.h for why the two
// cannot share a translation unit). CaseService is synchronous and not thread-safe: the
// console drives it from a thread of its own (CaseServiceThread) so the GUI never waits on
// the disk, and tests may call it directly.

#include "console/servicethread.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

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
  std::vector<TimelineEntry> timeline;  //!< oldest first
  QStringList allowedActions;           //!< action names the workflow allows now
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
     * std::exception naming the problem.
     */
    CaseService(const QString &path, const QString &operatorName);
    ~CaseService();
    CaseService(const CaseService &) = delete;
    CaseService &operator=(const CaseService &) = delete;

    QString operatorName() const;

    //! The case \a number with its timeline and the steps allowed now, or nullopt.
    std::optional<CaseDetail> detail(const QString &number);

    /**
     * Applies one workflow step to case \a number. An assignment to a grid worker also queues
     * an `assign` order for each of the worker's terminals (delivered at least once); an urge
     * does the same with an `urge` order. A refused step writes nothing and says why.
     */
    ActionOutcome perform(const QString &number, const ActionRequest &request);

    /**
     * Takes a new case as far as assigned in one go: registers and accepts it as needed, then
     * assigns it to \a lead (with \a assisting and, optionally, grid worker \a worker). All or
     * nothing: if any step is refused, nothing is written.
     */
    ActionOutcome dispatch(const QString &number, const QString &lead, const QStringList &assisting,
                           const QString &worker);

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

    //! Every subcategory with its name in the UI language ("extra": the family name).
    std::vector<Choice> categories() const;
    //! Every category family.
    std::vector<Choice> families() const;
    //! Every department with its name in the UI language.
    std::vector<Choice> departments() const;
    //! The grid workers responsible for \a grid or, for a micro-grid, for its grid ("extra": phone).
    std::vector<Choice> workersFor(const QString &grid) const;
    //! The name of the department with \a code, or the code.
    QString departmentName(const QString &code) const;

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
    CaseServiceThread(const QString &path, const QString &operatorName)
      : ServiceThread([path, operatorName] { return std::make_unique<CaseService>(path, operatorName); })
    {}
};

} // namespace gd::console

Q_DECLARE_METATYPE(gd::console::CaseDetail)
Q_DECLARE_METATYPE(gd::console::ActionOutcome)
