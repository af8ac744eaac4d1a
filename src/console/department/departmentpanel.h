#pragma once
// The department seat's inbox (部门待办, issue 17) and, at the center's seats, the extension
// requests waiting for a decision (延期审批). The panel asks its DepartmentServiceThread and
// shows what comes back; the buttons open small dialogs and call the do…() functions, which
// tests call directly.

#include "console/department/departmentservice.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace gd::console {

class DepartmentPanel : public QWidget
{
    Q_OBJECT

  public:
    enum class Mode
    {
      Inbox,    //!< a department handler's seat
      Approvals //!< the center's: extension requests to decide
    };

    explicit DepartmentPanel(QWidget *parent = nullptr);

    //! The service the panel asks (not owned; null: nothing shown) and what the panel is for.
    void setService(DepartmentServiceThread *service, Mode mode);
    Mode mode() const { return mMode; }

    QTreeWidget *tree() const { return mTree; }
    QLabel *header() const { return mHeader; }
    QLabel *status() const { return mStatus; }
    const DepartmentInboxView &inboxView() const { return mInbox; }

    //! Selects the row of case \a number (and of its notice \a noticeId when not 0).
    bool select(const QString &number, qint64 noticeId = 0);
    //! The case of the selected row ("" when none) and its notice to sign (0 when none).
    QString selectedCase() const;
    qint64 selectedNotice() const;

    // The steps on the selected case or notice (Inbox mode), or request (Approvals mode).
    void doSign(const QString &reply = QString());
    void doNote(const QString &text);
    void doFeedback(const QString &result);
    void doRequestExtension(int days, const QString &reason);
    void doReturn(const QString &reason);
    void doDecide(bool approve, const QString &note);

  public slots:
    //! Reads the inbox (or the pending requests) again.
    void refresh();

  signals:
    //! The panel shows fresh content (after refresh()).
    void refreshed();
    //! A step was done or refused: \a message says which.
    void stepDone(bool ok, const QString &message);
    //! The operator double-clicked case \a number.
    void caseActivated(const QString &number);

  private:
    void showInbox(const DepartmentInboxView &view);
    void showRequests(const std::vector<ExtensionRequestView> &requests);
    void finish(const ActionOutcome &outcome);
    void run(std::function<ActionOutcome(DepartmentService &)> step);
    void updateButtons();
    void askNote();
    void askFeedback();
    void askExtension();
    void askReturn();
    void askDecision(bool approve);

    DepartmentServiceThread *mService = nullptr;
    Mode mMode = Mode::Inbox;
    DepartmentInboxView mInbox;
    QLabel *mHeader = nullptr;
    QTreeWidget *mTree = nullptr;
    QLabel *mStatus = nullptr;
    QPushButton *mSign = nullptr;
    QPushButton *mNote = nullptr;
    QPushButton *mFeedback = nullptr;
    QPushButton *mExtend = nullptr;
    QPushButton *mReturn = nullptr;
    QPushButton *mApprove = nullptr;
    QPushButton *mRefuse = nullptr;
};

//! "2 h 05 min left" / "overdue 1 d 3 h" from \a now to \a deadline, in words.
QString timeLeftText(const QDateTime &now, const QDateTime &deadline);

} // namespace gd::console
