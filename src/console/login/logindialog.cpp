#include "console/login/logindialog.h"

#include "console/login/qrcode.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace gd::console {

namespace {

// Page order in the stack: the steps' order, Done has none.
int pageOf(LoginController::Step step)
{
  switch (step)
  {
    case LoginController::Step::Password: return 0;
    case LoginController::Step::Totp: return 1;
    case LoginController::Step::EnrolTotp: return 2;
    case LoginController::Step::ChangePassword: return 3;
    case LoginController::Step::Done: break;
  }
  return 0;
}

QLineEdit *secretField(QWidget *parent, const QString &object)
{
  auto *field = new QLineEdit(parent);
  field->setEchoMode(QLineEdit::Password);
  field->setObjectName(object);
  return field;
}

} // namespace

LoginDialog::LoginDialog(LoginController *controller, Mode mode, QWidget *parent)
  : QDialog(parent)
  , mController(controller)
  , mMode(mode)
{
  setObjectName(QStringLiteral("loginDialog"));
  setWindowTitle(mode == Mode::Lock ? tr("GridDispatch — locked") : tr("GridDispatch — log in"));
  setModal(true);
  auto *layout = new QVBoxLayout(this);
  mTitle = new QLabel(this);
  QFont titleFont = mTitle->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
  titleFont.setBold(true);
  mTitle->setFont(titleFont);
  layout->addWidget(mTitle);
  mMessage = new QLabel(this);
  mMessage->setObjectName(QStringLiteral("loginMessage"));
  mMessage->setWordWrap(true);
  mMessage->setMinimumWidth(360);
  layout->addWidget(mMessage);
  mPages = new QStackedWidget(this);
  layout->addWidget(mPages);

  // Password
  auto *passwordPage = new QWidget(mPages);
  auto *passwordForm = new QFormLayout(passwordPage);
  mAccount = new QLineEdit(passwordPage);
  mAccount->setObjectName(QStringLiteral("loginAccount"));
  mPassword = secretField(passwordPage, QStringLiteral("loginPassword"));
  passwordForm->addRow(tr("Account:"), mAccount);
  passwordForm->addRow(tr("Password:"), mPassword);
  mPages->addWidget(passwordPage);

  // TOTP code
  auto *totpPage = new QWidget(mPages);
  auto *totpForm = new QFormLayout(totpPage);
  mCode = new QLineEdit(totpPage);
  mCode->setObjectName(QStringLiteral("loginCode"));
  mCode->setMaxLength(6);
  mCode->setInputMask(QStringLiteral("999999;_"));
  totpForm->addRow(tr("Code:"), mCode);
  mPages->addWidget(totpPage);

  // TOTP enrolment: the QR code, the key for typing in, the first code.
  auto *enrolPage = new QWidget(mPages);
  auto *enrolLayout = new QVBoxLayout(enrolPage);
  mQr = new QLabel(enrolPage);
  mQr->setObjectName(QStringLiteral("loginQr"));
  mQr->setAlignment(Qt::AlignCenter);
  enrolLayout->addWidget(mQr);
  mSecret = new QLabel(enrolPage);
  mSecret->setTextInteractionFlags(Qt::TextSelectableByMouse);
  mSecret->setAlignment(Qt::AlignCenter);
  enrolLayout->addWidget(mSecret);
  auto *enrolForm = new QFormLayout;
  mEnrolCode = new QLineEdit(enrolPage);
  mEnrolCode->setObjectName(QStringLiteral("loginEnrolCode"));
  mEnrolCode->setMaxLength(6);
  enrolForm->addRow(tr("Code:"), mEnrolCode);
  enrolLayout->addLayout(enrolForm);
  mPages->addWidget(enrolPage);

  // Password change
  auto *changePage = new QWidget(mPages);
  auto *changeForm = new QFormLayout(changePage);
  mNewPassword = secretField(changePage, QStringLiteral("loginNewPassword"));
  mAgain = secretField(changePage, QStringLiteral("loginAgain"));
  changeForm->addRow(tr("New password:"), mNewPassword);
  changeForm->addRow(tr("New password again:"), mAgain);
  mPages->addWidget(changePage);

  auto *buttons = new QDialogButtonBox(this);
  mOk = buttons->addButton(mode == Mode::Lock ? tr("Unlock") : tr("Log in"), QDialogButtonBox::AcceptRole);
  mOk->setObjectName(QStringLiteral("loginOk"));
  mOk->setDefault(true);
  if (mode == Mode::Lock)
  {
    mLogout = buttons->addButton(tr("Log out"), QDialogButtonBox::ResetRole);
    // Logging out ends the console: whoever comes next starts it and logs in afresh, so no
    // service keeps acting under the previous account's name.
    connect(mLogout, &QPushButton::clicked, this, [this] {
      mController->logout();
      emit loggedOut();
      reject();
    });
  }
  else
  {
    buttons->addButton(QDialogButtonBox::Cancel)->setText(tr("Quit"));
  }
  connect(buttons, &QDialogButtonBox::accepted, this, &LoginDialog::submit);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);

  if (mode == Mode::Lock)
    showLock();
  else
  {
    mController->restart();
    showStep(LoginController::Step::Password);
  }
}

LoginController::Step LoginDialog::shownStep() const
{
  switch (mPages->currentIndex())
  {
    case 1: return LoginController::Step::Totp;
    case 2: return LoginController::Step::EnrolTotp;
    case 3: return LoginController::Step::ChangePassword;
    default: return LoginController::Step::Password;
  }
}

void LoginDialog::showLock()
{
  mTitle->setText(tr("The console is locked"));
  mAccount->setText(mController->accountId());
  mAccount->setEnabled(false);
  mMessage->setText(tr("%1 (%2) is logged in. Enter the password to go on.")
                      .arg(mController->displayName(), mController->accountId()));
  mPages->setCurrentIndex(0);
  mPassword->setFocus();
}

void LoginDialog::showStep(LoginController::Step step)
{
  if (step == LoginController::Step::Done)
  {
    mPassword->clear();
    accept();
    return;
  }
  static const char *const kTitles[] = {QT_TR_NOOP("Log in to GridDispatch"), QT_TR_NOOP("Second factor"),
                                        QT_TR_NOOP("Set up the second factor"), QT_TR_NOOP("Choose a new password")};
  const int page = pageOf(step);
  mTitle->setText(tr(kTitles[page]));
  mMessage->setText(mController->message());
  mMessage->setVisible(!mMessage->text().isEmpty());
  mPages->setCurrentIndex(page);
  // The stack is as large as its largest page (the QR code's) unless the others are ignored.
  for (int i = 0; i < mPages->count(); ++i)
    mPages->widget(i)->setSizePolicy(i == page ? QSizePolicy::Preferred : QSizePolicy::Ignored,
                                     i == page ? QSizePolicy::Preferred : QSizePolicy::Ignored);
  mOk->setText(step == LoginController::Step::Password ? tr("Log in") : tr("Continue"));
  switch (step)
  {
    case LoginController::Step::Password:
      mPassword->clear();
      (mAccount->text().isEmpty() ? mAccount : mPassword)->setFocus();
      break;
    case LoginController::Step::Totp:
      mCode->clear();
      mCode->setFocus();
      break;
    case LoginController::Step::EnrolTotp:
      mQrImage = qrCodeImage(mController->enrolmentUri().toUtf8(), 4);
      mQr->setPixmap(QPixmap::fromImage(mQrImage));
      mSecret->setText(tr("Key: %1").arg(mController->enrolmentSecret()));
      mEnrolCode->clear();
      mEnrolCode->setFocus();
      break;
    case LoginController::Step::ChangePassword:
      mNewPassword->clear();
      mAgain->clear();
      mNewPassword->setFocus();
      break;
    case LoginController::Step::Done: break;
  }
  adjustSize();
}

void LoginDialog::keyPressEvent(QKeyEvent *event)
{
  if (mMode == Mode::Lock && event->key() == Qt::Key_Escape)
  {
    event->accept();
    return;
  }
  QDialog::keyPressEvent(event);
}

void LoginDialog::submit()
{
  // Argon2id takes a noticeable moment by design: say so with the cursor.
  QApplication::setOverrideCursor(Qt::WaitCursor);
  LoginController::Step next = shownStep();
  if (mMode == Mode::Lock)
  {
    const bool open = mController->unlock(mPassword->text());
    QApplication::restoreOverrideCursor();
    mPassword->clear();
    if (open)
      accept();
    else
    {
      mMessage->setText(mController->message());
      mMessage->setVisible(true);
    }
    return;
  }
  switch (shownStep())
  {
    case LoginController::Step::Password:
      next = mController->submitPassword(mAccount->text(), mPassword->text());
      break;
    case LoginController::Step::Totp: next = mController->submitTotp(mCode->text()); break;
    case LoginController::Step::EnrolTotp: next = mController->submitEnrolment(mEnrolCode->text()); break;
    case LoginController::Step::ChangePassword:
      next = mController->submitNewPassword(mNewPassword->text(), mAgain->text());
      break;
    case LoginController::Step::Done: break;
  }
  QApplication::restoreOverrideCursor();
  showStep(next);
}

} // namespace gd::console
