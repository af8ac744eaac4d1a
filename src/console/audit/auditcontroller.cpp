#include "console/audit/auditcontroller.h"

#include "console/audit/auditview.h"
#include "console/session/consolesession.h"
#include "console/session/storeaccess.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>

#include <unistd.h>

namespace gd::console {

AuditController::AuditController(QMainWindow *window, ConsoleSession *session)
  : QObject(window)
  , mWindow(window)
{
  if (session)
    connect(session, &ConsoleSession::storeOpened, this, [this, session] {
      try
      {
        open(storeLocation(session->storePath()), session->rights(), session->operatorName());
      }
      catch (const std::exception &e)
      {
        std::fprintf(stderr, "griddispatch: the audit viewer cannot open the store: %s\n", e.what());
      }
    });
}

AuditController::~AuditController() = default;

AuditView *AuditController::view() const
{
  return mView.data();
}

bool AuditController::open(const store::StoreLocation &location, const OperatorRights &rights, const QString &operatorName)
{
  if (!rights.may(core::Action::AuditRead))
    return false;
  store::audit::Actor viewer;
  viewer.id = (rights.accountId.isEmpty() ? operatorName : rights.accountId).toStdString();
  viewer.name = (rights.displayName.isEmpty() ? operatorName : rights.displayName).toStdString();
  viewer.host = store::audit::thisHost();
  mService.reset();
  mPageStarts.clear();
  mService = std::make_unique<ServiceThread<AuditService>>(
    [location, viewer] { return std::make_unique<AuditService>(location, viewer); });
  if (!mDock)
  {
    mDock = new QDockWidget(tr("Audit log"), mWindow);
    mDock->setObjectName(QStringLiteral("auditViewer"));
    mView = new AuditView(mDock);
    mDock->setWidget(mView);
    connect(mView, &AuditView::applyRequested, this, &AuditController::apply);
    connect(mView, &AuditView::olderRequested, this, &AuditController::older);
    connect(mView, &AuditView::newerRequested, this, &AuditController::newer);
    connect(mView, &AuditView::verifyRequested, this, &AuditController::verify);
    connect(mView, &AuditView::exportRequested, this, &AuditController::chooseExportFile);
    mWindow->addDockWidget(Qt::BottomDockWidgetArea, mDock);
    if (auto *feed = mWindow->findChild<QDockWidget *>(QStringLiteral("feedDock")))
      mWindow->tabifyDockWidget(feed, mDock);
    if (auto *menu = mWindow->findChild<QMenu *>(QStringLiteral("menuView")))
      menu->addAction(mDock->toggleViewAction());
    // The audit administrator's work is this table: raised, and most of the window's height.
    if (rights.enforced() && rights.hasRole(core::Role::AuditAdmin))
    {
      mDock->show();
      mDock->raise();
      mWindow->resizeDocks({mDock}, {mWindow->height() * 3 / 5}, Qt::Vertical);
    }
    else
    {
      // Read (and record the viewing) only once someone looks: a console on a store without
      // accounts has the dock too, behind the feed's tab.
      connect(mDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible && mPageStarts.isEmpty())
          apply();
      });
      return true;
    }
  }
  apply();
  return true;
}

void AuditController::apply()
{
  if (!mView)
    return;
  mQuery = mView->query();
  mPageStarts = {0};
  read(0, 1, true);
}

void AuditController::older()
{
  if (!mView || mOldestShown <= 0)
    return;
  mPageStarts.push_back(mOldestShown);
  read(mOldestShown, mPageStarts.size(), false);
}

void AuditController::newer()
{
  if (!mView || mPageStarts.size() < 2)
    return;
  mPageStarts.pop_back();
  read(mPageStarts.back(), mPageStarts.size(), false);
}

void AuditController::read(qint64 beforeId, int number, bool record)
{
  mView->setBusy(true);
  const AuditQuery query = mQuery;
  mService->call<AuditPage>(
    [query, beforeId, record](AuditService &s) { return s.page(query, beforeId, kPageSize, record); }, this,
    [this, number](AuditPage page) {
      mOldestShown = page.rows.isEmpty() ? 0 : page.rows.back().id;
      mView->showPage(page, number);
      mView->setBusy(false);
      emit pageShown();
    });
}

void AuditController::verify()
{
  if (!mView)
    return;
  mView->setBusy(true);
  mService->call<AuditVerifyResult>([](AuditService &s) { return s.verify(); }, this, [this](AuditVerifyResult r) {
    mView->showVerify(r);
    mView->setBusy(false);
    emit verified();
  });
}

void AuditController::chooseExportFile()
{
  const QString file = QFileDialog::getSaveFileName(mWindow, tr("Export the audit rows"),
                                                    QDir::home().filePath(mView->query().exportFileName()),
                                                    tr("CSV files (*.csv)"));
  if (!file.isEmpty())
    exportTo(file);
}

void AuditController::exportTo(const QString &file)
{
  if (!mView)
    return;
  mView->setBusy(true);
  // The filters as they are in the view, whether or not applied: what the inspector asked for.
  const AuditQuery query = mView->query();
  mService->call<AuditExportResult>([query, file](AuditService &s) { return s.exportCsv(query, file); }, this,
                                    [this](AuditExportResult r) {
                                      mView->showExport(r);
                                      mView->setBusy(false);
                                      emit exported();
                                    });
}

void AuditController::drain()
{
  if (mService)
    mService->drain();
}

} // namespace gd::console
