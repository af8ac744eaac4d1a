#include "console/dispatch/intakedialog.h"

#include "console/dispatch/actiondialog.h"
#include "console/dispatch/casequeuemodel.h"

#include "ui_intakedialog.h"

#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace gd::console {

namespace {
// The category combo's search text: code, names and keywords, joined.
constexpr int kCategorySearchRole = Qt::UserRole + 1;

//! Matches on the search text (names and keywords) but puts the category's shown name in the
//! box: a QCompleter would insert the text it matched on.
class CategoryCompleter : public QCompleter
{
  public:
    using QCompleter::QCompleter;
    QString pathFromIndex(const QModelIndex &index) const override { return index.data(Qt::DisplayRole).toString(); }
};
} // namespace

IntakeDialog::IntakeDialog(const std::vector<Choice> &categories, const std::map<QString, QStringList> &keywords, QWidget *parent)
  : QDialog(parent)
  , mUi(std::make_unique<Ui::IntakeDialog>())
{
  // The fixed form is ui/intakedialog.ui (layout, labels, tab order); filled in here are the
  // items of the combos, the Register button and what each part does.
  mUi->setupUi(this);
  mSource = mUi->sourceCombo;
  mCaller = mUi->callerEdit;
  mPhone = mUi->phoneEdit;
  mCategory = mUi->categoryCombo;
  mPriority = mUi->priorityCombo;
  mTitle = mUi->titleEdit;
  mDescription = mUi->descriptionEdit;
  mAddress = mUi->addressEdit;
  mFind = mUi->findEdit;
  mLocation = mUi->locationLabel;
  mProblem = mUi->problemLabel;
  mDuplicates = mUi->duplicateList;
  mAttach = mUi->attachButton;

  mSource->addItem(CaseQueueModel::sourceTitle(QStringLiteral("hotline")), QStringLiteral("hotline"));
  mSource->addItem(CaseQueueModel::sourceTitle(QStringLiteral("police")), QStringLiteral("police"));
  mSource->addItem(tr("Walk-in"), QStringLiteral("citizen"));

  for (const Choice &category : categories)
  {
    const QString text = QStringLiteral("%1 %2 · %3").arg(category.code, category.name, category.extra);
    const auto words = keywords.find(category.code);
    const QStringList said = words == keywords.end() ? QStringList() : words->second;
    mCategory->addItem(text, category.code);
    // Searched, not shown: the names with what callers call it (井盖 → 市政设施损坏).
    mCategory->setItemData(mCategory->count() - 1, QString(text + QLatin1Char(' ') + said.join(QLatin1Char(' '))), kCategorySearchRole);
    mCategory->setItemData(mCategory->count() - 1, said.isEmpty() ? text : tr("%1 (also: %2)").arg(text, said.join(QStringLiteral("、"))), Qt::ToolTipRole);
  }
  mCategory->setCurrentIndex(-1);
  // Typing any part of a name, a code or a keyword finds the category (消防 → 消防通道堵塞,
  // 井盖 → 市政设施损坏 …).
  mCategory->setCompleter(new CategoryCompleter(mCategory->model(), mCategory));
  mCategory->completer()->setCompletionMode(QCompleter::PopupCompletion);
  mCategory->completer()->setFilterMode(Qt::MatchContains);
  mCategory->completer()->setCaseSensitivity(Qt::CaseInsensitive);
  mCategory->completer()->setCompletionRole(kCategorySearchRole);
  mCategory->lineEdit()->setPlaceholderText(tr("type to search: code or name"));
  mPriority->addItem(tr("(the category's default)"), QString());
  for (const char *value : {"normal", "urgent", "emergency"})
    mPriority->addItem(priorityTitle(QString::fromLatin1(value)), QString::fromLatin1(value));

  connect(mUi->findButton, &QPushButton::clicked, this, [this] { emit findRequested(mFind->text()); });
  connect(mFind, &QLineEdit::returnPressed, this, [this] { emit findRequested(mFind->text()); });
  connect(mUi->pickButton, &QPushButton::clicked, this, &IntakeDialog::pickOnMapRequested);

  // Register goes into the button box before Close, as an accept button (a box in a .ui holds
  // standard buttons only).
  QDialogButtonBox *buttons = mUi->buttons;
  QPushButton *close = buttons->button(QDialogButtonBox::Close);
  mSubmit = buttons->addButton(tr("Register new case"), QDialogButtonBox::AcceptRole);
  mSubmit->setObjectName(QStringLiteral("submitButton"));
  connect(mSubmit, &QPushButton::clicked, this, [this] { emit submitRequested(form()); });
  connect(buttons, &QDialogButtonBox::rejected, this, &IntakeDialog::reject);
  submitOnCtrlEnter(this, [this] { emit submitRequested(form()); });
  // The form's tab order, with Register (made here, so last in the chain) where it stands.
  QWidget::setTabOrder(mUi->pickButton, mSubmit);
  QWidget::setTabOrder(mSubmit, close);
  QWidget::setTabOrder(close, mDuplicates);
  QWidget::setTabOrder(mDuplicates, mAttach);

  connect(mAttach, &QPushButton::clicked, this, [this] {
    if (QListWidgetItem *item = mDuplicates->currentItem())
      emit attachRequested(form(), item->data(Qt::UserRole).toString());
  });
  connect(mDuplicates, &QListWidget::currentRowChanged, this, &IntakeDialog::updateButtons);

  mDebounce = new QTimer(this);
  mDebounce->setSingleShot(true);
  mDebounce->setInterval(300);
  connect(mDebounce, &QTimer::timeout, this, [this] { emit duplicatesWanted(form()); });
  connect(mCategory, qOverload<int>(&QComboBox::currentIndexChanged), this, &IntakeDialog::formChanged);
  connect(mTitle, &QLineEdit::textChanged, this, &IntakeDialog::formChanged);
  connect(mDescription, &QPlainTextEdit::textChanged, this, &IntakeDialog::formChanged);
  setDuplicates({});
  // No button is the default: Enter in a field (the location search above all) must never
  // register the case before the operator has seen the duplicates. Ctrl+Enter registers.
  for (QPushButton *button : findChildren<QPushButton *>())
  {
    button->setAutoDefault(false);
    button->setDefault(false);
  }
  mSubmit->setToolTip(tr("Register the call as a new case (Ctrl+Enter)"));
}

IntakeDialog::~IntakeDialog() = default;

bool IntakeDialog::isFilled() const
{
  return !mCaller->text().trimmed().isEmpty() || !mPhone->text().trimmed().isEmpty() || !mAddress->text().trimmed().isEmpty() ||
         !mTitle->text().trimmed().isEmpty() || !mDescription->toPlainText().trimmed().isEmpty() ||
         mCategory->currentIndex() >= 0 || mLon.has_value();
}

void IntakeDialog::finish()
{
  mFinished = true;
  done(QDialog::Accepted);
}

void IntakeDialog::reject()
{
  if (mFinished || !isFilled())
  {
    QDialog::reject();
    return;
  }
  if (findChild<QMessageBox *>(QStringLiteral("discardQuestion")))
    return; // already asking
  auto *question = new QMessageBox(QMessageBox::Question, tr("Discard this report?"),
                                   tr("The form holds a call that is not registered yet. Discard what was entered?"),
                                   QMessageBox::Discard | QMessageBox::Cancel, this);
  question->setObjectName(QStringLiteral("discardQuestion"));
  question->setDefaultButton(QMessageBox::Cancel);
  question->setAttribute(Qt::WA_DeleteOnClose);
  connect(question, &QMessageBox::finished, this, [this, question](int) {
    if (question->standardButton(question->clickedButton()) == QMessageBox::Discard)
    {
      mFinished = true;
      QDialog::reject();
    }
  });
  question->open();
}

void IntakeDialog::keyPressEvent(QKeyEvent *event)
{
  if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && !(event->modifiers() & Qt::ControlModifier))
  {
    event->accept();
    return;
  }
  QDialog::keyPressEvent(event);
}

IntakeForm IntakeDialog::form() const
{
  IntakeForm form;
  form.source = mSource->currentData().toString();
  form.caller = mCaller->text().trimmed();
  form.phone = mPhone->text().trimmed();
  form.address = mAddress->text().trimmed();
  // A code typed into the box counts even when the popup was not used.
  int index = mCategory->findText(mCategory->currentText());
  if (index < 0) // the completer may leave its search text (names and keywords) in the box
    index = mCategory->findData(mCategory->currentText(), kCategorySearchRole);
  form.category = index >= 0 ? mCategory->itemData(index).toString() : mCategory->currentText().section(QLatin1Char(' '), 0, 0);
  form.priority = mPriority->currentData().toString();
  form.title = mTitle->text().trimmed();
  form.description = mDescription->toPlainText().trimmed();
  form.lon = mLon;
  form.lat = mLat;
  return form;
}

void IntakeDialog::setForm(const IntakeForm &form)
{
  mSource->setCurrentIndex(std::max(0, mSource->findData(form.source)));
  mCaller->setText(form.caller);
  mPhone->setText(form.phone);
  mAddress->setText(form.address);
  mCategory->setCurrentIndex(mCategory->findData(form.category));
  mPriority->setCurrentIndex(std::max(0, mPriority->findData(form.priority)));
  mTitle->setText(form.title);
  mDescription->setPlainText(form.description);
  if (form.lon && form.lat)
    setLocation(*form.lon, *form.lat, form.address, form.address);
  formChanged();
}

void IntakeDialog::setLocation(double lon, double lat, const QString &where, const QString &address)
{
  mLon = lon;
  mLat = lat;
  mLocation->setText(QStringLiteral("%1  (%2, %3)").arg(where).arg(lat, 0, 'f', 5).arg(lon, 0, 'f', 5));
  // Only a place found by name is an address; how the point was found ("picked on the map")
  // is not.
  if (mAddress->text().trimmed().isEmpty() && !address.isEmpty())
    mAddress->setText(address);
  emit locationChanged(lon, lat);
  formChanged();
}

void IntakeDialog::formChanged()
{
  mProblem->clear();
  mDebounce->start();
}

void IntakeDialog::setDuplicates(const std::vector<DuplicateSuggestion> &suggestions)
{
  mDuplicates->clear();
  for (const DuplicateSuggestion &s : suggestions)
  {
    auto *item = new QListWidgetItem(tr("%1  %2\n%3 · %4 m away · %5 h earlier · %6 % alike")
                                       .arg(s.number, s.title, CaseQueueModel::stateTitle(s.state))
                                       .arg(qRound(s.distanceM))
                                       .arg(s.hoursApart, 0, 'f', 1)
                                       .arg(qRound(s.textSimilarity * 100)),
                                     mDuplicates);
    item->setData(Qt::UserRole, s.number);
    item->setToolTip(s.address);
  }
  if (suggestions.empty())
  {
    auto *item = new QListWidgetItem(tr("No similar case nearby."), mDuplicates);
    item->setFlags(Qt::NoItemFlags);
  }
  else
  {
    mDuplicates->setCurrentRow(0);
  }
  updateButtons();
}

QStringList IntakeDialog::duplicateNumbers() const
{
  QStringList out;
  for (int i = 0; i < mDuplicates->count(); ++i)
    if (const QString number = mDuplicates->item(i)->data(Qt::UserRole).toString(); !number.isEmpty())
      out << number;
  return out;
}

void IntakeDialog::selectDuplicate(const QString &number)
{
  for (int i = 0; i < mDuplicates->count(); ++i)
    if (mDuplicates->item(i)->data(Qt::UserRole).toString() == number)
      mDuplicates->setCurrentRow(i);
}

void IntakeDialog::setProblem(const QString &message)
{
  mProblem->setText(message);
}

void IntakeDialog::updateButtons()
{
  QListWidgetItem *item = mDuplicates->currentItem();
  mAttach->setEnabled(item && !item->data(Qt::UserRole).toString().isEmpty());
}

} // namespace gd::console
