#pragma once
// The department's side of the loop (issue 17, 部门处置): what a department handler's seat
// sees and does. Its inbox is the notices to its department about the cases it leads or
// assists on (派遣, 催办, 督办), each with its deadline and who acknowledged it; its steps are
// 签收, handling notes, 办结反馈, 延期申请 and 退回, only on cases of its own department. The
// center's dispatcher decides the extension requests here too. Every step is audited as the
// center's case steps are (CaseService), refusals included.
//
// Qt value types only in this header; the store and core live behind it. DepartmentService is
// synchronous and not thread-safe: the console runs it on a thread of its own
// (DepartmentServiceThread); tests may call it directly.

#include "console/common/servicethread.h"
#include "console/dispatch/caseservice.h"

#include <QDateTime>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace gd::console {

//! One notice on the inbox.
struct InboxNoticeView
{
  qint64 id = 0;
  QString kind;            //!< "assign", "urge", "supervise", "emergency"
  QString message;
  QDateTime sentAt;
  QDateTime signBy;        //!< 签收 deadline of a dispatch (assign); invalid for the others
  QDateTime deadline;      //!< the notice's own deadline (催办/督办 may set one)
  QString acknowledgedBy;  //!< a name
  QDateTime acknowledgedAt;
};

//! One case on the inbox with its notices.
struct InboxCaseView
{
  QString number;
  QString title;
  QString address;
  QString categoryName;
  QString state;           //!< state name
  bool lead = false;       //!< the department leads it (else assists)
  QDateTime finishBy;      //!< the running SLA stage's deadline
  QString pendingExtension; //!< the department's extension request waiting for the center, in words; "" when none
  std::vector<InboxNoticeView> notices; //!< oldest first
};

struct DepartmentInboxView
{
  QString department;      //!< code
  QString departmentName;
  int signedOnTime = 0;    //!< 响应率 numerator (this month's dispatches)
  int responseBase = 0;    //!< its denominator: signed + unsigned past the limit
  int unsignedCount = 0;   //!< dispatches on the inbox not yet signed
  double signWithinHours = 0;
  std::vector<InboxCaseView> cases;
  QString error;           //!< when the inbox could not be read
};

//! A department's 延期申请 as the center sees it.
struct ExtensionRequestView
{
  qint64 id = 0;
  QString number;
  QString department;
  QString departmentName;
  int days = 0;
  QString reason;
  QString requestedBy;     //!< a name
  QDateTime requestedAt;
  QString decision;        //!< "pending", "approved", "refused"
};

class DepartmentService
{
  public:
    /**
     * Opens the store at \a path for account \a accountId (the actor of every step) at a seat
     * of department \a department (a code of departments.conf; empty for the center's seat,
     * which only decides extension requests). Throws std::exception naming the problem.
     */
    DepartmentService(const QString &path, const QString &accountId, const QString &department);
    ~DepartmentService();
    DepartmentService(const DepartmentService &) = delete;
    DepartmentService &operator=(const DepartmentService &) = delete;

    QString department() const;
    QString departmentName(const QString &code) const;

    //! The inbox of the seat's department with its 响应率 (dispatches of the current month).
    DepartmentInboxView inbox();

    /**
     * 签收 of notice \a id: a dispatch is acknowledged (who and when) and, when the department
     * leads the case and it waits in `assigned`, the case's start_handling step is done; a
     * 催办/督办 is acknowledged with \a reply (default 已阅，正在处理) noted on the case.
     */
    ActionOutcome sign(qint64 id, const QString &reply = QString());
    //! A handling note (办理情况) on case \a number (lead or assisting).
    ActionOutcome note(const QString &number, const QString &text);
    //! 办结反馈: the case's feedback step with \a result (lead only).
    ActionOutcome feedback(const QString &number, const QString &result);
    //! 延期申请 for \a days working days with \a reason (lead only); the center decides.
    ActionOutcome requestExtension(const QString &number, int days, const QString &reason);
    //! 退回 with \a reason: the case's return step, back to the center's queue (lead only).
    ActionOutcome returnCase(const QString &number, const QString &reason);

    //! The extension requests waiting for the center's decision, oldest first.
    std::vector<ExtensionRequestView> pendingExtensions();
    //! Every extension request about case \a number, oldest first.
    std::vector<ExtensionRequestView> extensionsOf(const QString &number);
    /**
     * The center's decision on request \a id: approved (the case's deadline is extended by the
     * days asked: the workflow's extend step, approver this account) or refused with \a note.
     */
    ActionOutcome decideExtension(qint64 id, bool approve, const QString &note);
    /**
     * Whether this seat may decide extension requests (the center's dispatcher: case.assign in
     * the permission matrix; true on a store without accounts). A seat that may not is refused,
     * and the refusal audited, whatever its window shows.
     */
    void setMayDecide(bool may);

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

//! The operator-facing name of notice kind \a kind (派遣, 催办, 督办, 应急).
QString noticeKindTitle(const QString &kind);

//! The department service on a thread of its own (see ServiceThread).
class DepartmentServiceThread : public ServiceThread<DepartmentService>
{
  public:
    DepartmentServiceThread(const QString &path, const QString &accountId, const QString &department,
                            bool mayDecide = true)
      : ServiceThread([path, accountId, department, mayDecide] {
        auto service = std::make_unique<DepartmentService>(path, accountId, department);
        service->setMayDecide(mayDecide);
        return service;
      })
    {}
};

} // namespace gd::console

Q_DECLARE_METATYPE(gd::console::DepartmentInboxView)
