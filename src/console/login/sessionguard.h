#pragma once

#include <QObject>
#include <QPointer>

class QLabel;
class QMainWindow;
class QAction;

namespace gd::console {

class LoginController;
class MainWindow;

/**
 * Guards a main window with the account logged in through \a controller: "Log out" and "Lock
 * screen" in the File menu, the lock after the configured inactivity, and the logged-in person
 * (name and roles) in the status bar. While locked or logged out the window is hidden (nothing
 * of the store shows) and the lock dialog is the only window. Logging out, or leaving the lock
 * dialog other than by the password, ends the console: the next person starts it and logs in,
 * so no service goes on under the previous account's name.
 */
class SessionGuard : public QObject
{
    Q_OBJECT

  public:
    SessionGuard(MainWindow *window, LoginController *controller);

    QAction *logoutAction() const { return mLogout; }
    QAction *lockAction() const { return mLock; }

    //! Locks now (what the idle timer and the menu do).
    void lockNow();
    //! Logs out now: the console closes.
    void logoutNow();

  private:
    //! Shows \a dialog with the window hidden; false when the person quit instead.
    bool runHidden(class LoginDialog &dialog);
    void showIdentity();

    QPointer<MainWindow> mWindow;
    LoginController *mController;
    QAction *mLogout = nullptr;
    QAction *mLock = nullptr;
    QLabel *mIdentity = nullptr;
};

} // namespace gd::console
