#pragma once

#include "console/login/logincontroller.h"

#include <QDialog>
#include <QImage>

class QKeyEvent;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace gd::console {

/**
 * The login dialog: one page per LoginController step (password, TOTP code, TOTP enrolment
 * with its QR code, the password change). accept()ed once the controller says Done.
 *
 * In Lock mode it is the lock screen: the locked account's password opens it again; "Log out"
 * turns it into the login of any account.
 */
class LoginDialog : public QDialog
{
    Q_OBJECT

  public:
    enum class Mode { Login, Lock };
    LoginDialog(LoginController *controller, Mode mode, QWidget *parent = nullptr);

    // For tests and the walk: the fields and the button of each page.
    QLineEdit *accountField() const { return mAccount; }
    QLineEdit *passwordField() const { return mPassword; }
    QLineEdit *codeField() const { return mCode; }
    QLineEdit *enrolCodeField() const { return mEnrolCode; }
    QLineEdit *newPasswordField() const { return mNewPassword; }
    QLineEdit *againField() const { return mAgain; }
    QLabel *messageLabel() const { return mMessage; }
    QLabel *qrLabel() const { return mQr; }
    //! The enrolment's QR code as shown (null before the enrolment step).
    QImage qrImage() const { return mQrImage; }
    //! The page shown: the step it belongs to.
    LoginController::Step shownStep() const;
    Mode mode() const { return mMode; }

    //! Presses the button of the page shown (what Enter does).
    void submit();

  signals:
    //! Lock mode: the person chose to log out instead of unlocking (then the dialog is rejected).
    void loggedOut();

  protected:
    //! On the lock screen Escape does nothing: only the password or "Log out" leave it.
    void keyPressEvent(QKeyEvent *event) override;

  private:
    void showStep(LoginController::Step step);
    void showLock();

    LoginController *mController;
    Mode mMode;
    QStackedWidget *mPages = nullptr;
    QLabel *mTitle = nullptr;
    QLabel *mMessage = nullptr;
    QLineEdit *mAccount = nullptr;
    QLineEdit *mPassword = nullptr;
    QLineEdit *mCode = nullptr;
    QLineEdit *mEnrolCode = nullptr;
    QLabel *mQr = nullptr;
    QImage mQrImage;
    QLabel *mSecret = nullptr;
    QLineEdit *mNewPassword = nullptr;
    QLineEdit *mAgain = nullptr;
    QPushButton *mLogout = nullptr;
    QPushButton *mOk = nullptr;
};

} // namespace gd::console
