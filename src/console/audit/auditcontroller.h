#pragma once
// The audit viewer (issue 17, GB/T 22239-2019 §8.1.4 安全审计): for the audit administrator, a
// dock (objectName auditViewer) listing the audit trail with filters and keyset paging, the
// check of its SM3 chain, and an export for inspectors. Shown only to an operator whose rights
// allow audit.read; on a store without accounts (everything allowed) it is there but not raised.
// Its reads run on a service thread of their own (AuditService); viewing and exporting are
// audited themselves (audit_view, audit_export).

#include "console/audit/auditservice.h"
#include "console/audit/auditview.h"
#include "console/common/servicethread.h"
#include "console/session/operatorrights.h"

#include <QDockWidget>
#include <QObject>
#include <QPointer>
#include <QVector>

#include <memory>

class QMainWindow;

namespace gd::console {

class AuditView;
class ConsoleSession;

class AuditController : public QObject
{
    Q_OBJECT
  public:
    //! Rows per page.
    static constexpr int kPageSize = 200;

    //! Opens the viewer when \a session (may be null: tests call open()) opens a store.
    AuditController(QMainWindow *window, ConsoleSession *session);
    ~AuditController() override;

    /**
     * Shows the viewer on the store at \a location for \a rights (\a operatorName names the
     * actor on a store without accounts) and reads the newest page; returns false, showing
     * nothing, when the rights do not allow audit.read.
     */
    bool open(const store::StoreLocation &location, const OperatorRights &rights, const QString &operatorName);

    QDockWidget *dock() const { return mDock.data(); }
    AuditView *view() const;

    //! Reads the first page of the view's filters (recorded as audit_view).
    void apply();
    void older();
    void newer();
    void verify();
    //! Exports the filtered rows into \a file (the dialog's choice).
    void exportTo(const QString &file);
    //! Waits for the service's jobs (tests).
    void drain();

  signals:
    void pageShown();
    void verified();
    void exported();

  private:
    void read(qint64 beforeId, int number, bool record);
    void chooseExportFile();

    QMainWindow *mWindow = nullptr;
    std::unique_ptr<ServiceThread<AuditService>> mService;
    QPointer<QDockWidget> mDock;
    QPointer<AuditView> mView;
    AuditQuery mQuery;               //!< the filters of the pages shown
    QVector<qint64> mPageStarts;     //!< each page's "before id" (0: the newest), newest page first
    qint64 mOldestShown = 0;         //!< the last row of the page shown
};

} // namespace gd::console
