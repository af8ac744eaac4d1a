#include "console/department/departmentcontroller.h"

#include "console/department/departmentpanel.h"
#include "console/department/departmentservice.h"
#include "console/session/consolesession.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QMainWindow>
#include <QStatusBar>
#include <QTimer>

namespace gd::console {

DepartmentController::DepartmentController(QMainWindow *window, ConsoleSession *session)
  : mWindow(window) // owned by MainWindow (unique_ptr), not by the window's QObject tree
  , mSession(session)
{
  mDock = new QDockWidget(tr("Department inbox"), window);
  mDock->setObjectName(QStringLiteral("departmentDock"));
  mPanel = new DepartmentPanel(mDock);
  mDock->setWidget(mPanel);
  mDock->hide();
  connect(mPanel, &DepartmentPanel::caseActivated, this, &DepartmentController::caseActivated);
  connect(mPanel, &DepartmentPanel::stepDone, window, [window](bool, const QString &message) {
    window->statusBar()->showMessage(message, 8000);
  });
  // Time left and overdue change with the clock, and cases change at the center: read again
  // each minute and whenever the store tells of changes.
  mTimer = new QTimer(this);
  mTimer->setInterval(60 * 1000);
  connect(mTimer, &QTimer::timeout, mPanel, &DepartmentPanel::refresh);
  connect(session, &ConsoleSession::changed, mPanel, [this] { mPanel->refresh(); });
}

DepartmentController::~DepartmentController()
{
  // The thread's queued results go to the panel: it stops before the panel goes.
  mPanel->setService(nullptr, mPanel->mode());
  mService.reset();
}

void DepartmentController::servicesReady()
{
  const OperatorRights &rights = mSession->rights();
  const bool departmentSeat = rights.hasRole(core::Role::DepartmentHandler) && !rights.department.isEmpty();
  mPanel->setService(nullptr, DepartmentPanel::Mode::Inbox);
  mService.reset();
  const QString actor = rights.accountId.isEmpty() ? mSession->operatorName() : rights.accountId;
  // The center's side, deciding extension requests, is the dispatcher's (case.assign): an
  // administrator, a leader or a duty operator gets neither the inbox nor the approvals.
  const bool mayDecide = rights.may(core::Action::CaseAssign);
  if (!departmentSeat && !mayDecide)
  {
    mDock->hide();
    mDock->toggleViewAction()->setVisible(false);
    return;
  }
  mDock->toggleViewAction()->setVisible(true);
  mService = std::make_unique<DepartmentServiceThread>(mSession->storePath(), actor,
                                                       departmentSeat ? rights.department : QString(), mayDecide);
  if (!mService->isOpen())
  {
    mPanel->status()->setText(tr("The department inbox could not be opened: %1").arg(mService->error()));
    return;
  }
  if (departmentSeat)
  {
    mDock->setWindowTitle(tr("Department inbox"));
    mPanel->setService(mService.get(), DepartmentPanel::Mode::Inbox);
    mDock->show();
    // Raised, and given the larger part of the width (the inbox is this seat's work, the map
    // its context), once the window has laid out its docks: before, the layout's restore undoes it.
    QTimer::singleShot(0, mDock, [this] {
      mDock->raise();
      mWindow->resizeDocks({mDock}, {mWindow->width() * 58 / 100}, Qt::Horizontal);
    });
  }
  else
  {
    mDock->setWindowTitle(tr("Extension requests"));
    mPanel->setService(mService.get(), DepartmentPanel::Mode::Approvals);
    mDock->show();
  }
  mPanel->refresh();
  mTimer->start();
}

} // namespace gd::console
