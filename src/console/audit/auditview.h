#pragma once
// The audit viewer's widget (issue 17): the filters, a page of audit rows, paging, the chain
// check and the export. Only widgets: AuditController asks the service and feeds it.

#include "console/audit/auditservice.h"

#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace gd::console {

class AuditView : public QWidget
{
    Q_OBJECT
  public:
    explicit AuditView(QWidget *parent = nullptr);

    AuditQuery query() const;
    //! Sets the filters (tests; a link from elsewhere).
    void setQuery(const AuditQuery &query);
    //! Shows \a page, the \a number-th (1 = newest) of the current filters.
    void showPage(const AuditPage &page, int number);
    void showVerify(const AuditVerifyResult &result);
    void showExport(const AuditExportResult &result);
    void setBusy(bool busy);

    QTableWidget *table() const { return mTable; }
    QString pageText() const;
    QString verifyText() const;
    QString exportText() const;

  signals:
    void applyRequested();
    void olderRequested();
    void newerRequested();
    void verifyRequested();
    void exportRequested();

  private:
    QDateEdit *mFrom = nullptr;
    QDateEdit *mTo = nullptr;
    QLineEdit *mActor = nullptr;
    QComboBox *mAction = nullptr;
    QComboBox *mOutcome = nullptr;
    QLineEdit *mText = nullptr;
    QPushButton *mApply = nullptr;
    QPushButton *mNewer = nullptr;
    QPushButton *mOlder = nullptr;
    QPushButton *mVerify = nullptr;
    QPushButton *mExport = nullptr;
    QTableWidget *mTable = nullptr;
    QLabel *mPage = nullptr;
    QLabel *mVerifyResult = nullptr;
    QLabel *mExportResult = nullptr;
    int mNumber = 0;
    bool mMore = false;
};

//! An audit action code in the operator's words ("login_failed" → 登录失败, "case_assign" → 案件：分拨).
QString auditActionTitle(const QString &action);

} // namespace gd::console
