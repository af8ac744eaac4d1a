#include "console/login/sessionguard.h"

#include "console/login/logincontroller.h"
#include "console/login/logindialog.h"
#include "console/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QStatusBar>

namespace gd::console {

SessionGuard::SessionGuard(MainWindow *window, LoginController *controller)
  : QObject(window)
  , mWindow(window)
  , mController(controller)
{
  mLock = new QAction(tr("Lock screen"), this);
  mLock->setObjectName(QStringLiteral("actionLockScreen"));
  mLock->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_L));
  mLogout = new QAction(tr("Log out"), this);
  mLogout->setObjectName(QStringLiteral("actionLogout"));
  if (QMenu *file = window->findChild<QMenu *>(QStringLiteral("menuFile")))
  {
    QAction *first = file->actions().value(0);
    file->insertAction(first, mLock);
    file->insertAction(first, mLogout);
    file->insertSeparator(first);
  }
  window->addAction(mLock);
  connect(mLock, &QAction::triggered, this, &SessionGuard::lockNow);
  connect(mLogout, &QAction::triggered, this, &SessionGuard::logoutNow);
  connect(controller, &LoginController::idleLockDue, this, &SessionGuard::lockNow);
  mIdentity = new QLabel(window);
  mIdentity->setObjectName(QStringLiteral("loggedInAccount"));
  window->statusBar()->addPermanentWidget(mIdentity);
  showIdentity();
}

void SessionGuard::showIdentity()
{
  QStringList roles;
  for (const core::Role role : mController->roles())
    roles << QString::fromUtf8(core::roleNameZh(role).data(), static_cast<int>(core::roleNameZh(role).size()));
  mIdentity->setText(tr("%1 (%2) · %3")
                       .arg(mController->displayName(), mController->accountId(),
                            roles.isEmpty() ? tr("no role") : roles.join(QStringLiteral("、"))));
}

bool SessionGuard::runHidden(LoginDialog &dialog)
{
  // The dialog is the only window meanwhile: its closing must not end the application.
  const bool quitOnClose = QApplication::quitOnLastWindowClosed();
  QApplication::setQuitOnLastWindowClosed(false);
  mWindow->hide();
  const bool accepted = dialog.exec() == QDialog::Accepted;
  QApplication::setQuitOnLastWindowClosed(quitOnClose);
  if (!accepted || !mController->loggedIn())
  {
    mController->logout();
    mWindow->close();
    QApplication::quit();
    return false;
  }
  mWindow->show();
  return true;
}

void SessionGuard::lockNow()
{
  if (!mWindow || mController->isLocked() || !mController->loggedIn())
    return;
  mController->lock();
  LoginDialog dialog(mController, LoginDialog::Mode::Lock);
  runHidden(dialog);
}

void SessionGuard::logoutNow()
{
  // Logging out ends the console (see LoginDialog): the next person starts it and logs in.
  mController->logout();
  if (mWindow)
    mWindow->close();
  QApplication::quit();
}

} // namespace gd::console
