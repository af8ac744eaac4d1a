#include "console/dispatch/intakedialog.h"

#include "console/dispatch/actiondialog.h"
#include "console/dispatch/casequeuemodel.h"

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
{
  setObjectName(QStringLiteral("intakeDialog"));
  setWindowTitle(tr("New report (12345 / 110 / walk-in)"));
  auto *layout = new QHBoxLayout(this);
  auto *left = new QVBoxLayout;
  layout->addLayout(left, 3);
  auto *fields = new QFormLayout;
  left->addLayout(fields);

  mSource = new QComboBox(this);
  mSource->setObjectName(QStringLiteral("sourceCombo"));
  mSource->addItem(CaseQueueModel::sourceTitle(QStringLiteral("hotline")), QStringLiteral("hotline"));
  mSource->addItem(CaseQueueModel::sourceTitle(QStringLiteral("police")), QStringLiteral("police"));
  mSource->addItem(tr("Walk-in"), QStringLiteral("citizen"));
  fields->addRow(tr("Source"), mSource);
  auto *callerRow = new QHBoxLayout;
  mCaller = new QLineEdit(this);
  mCaller->setObjectName(QStringLiteral("callerEdit"));
  mCaller->setPlaceholderText(tr("name"));
  mPhone = new QLineEdit(this);
  mPhone->setObjectName(QStringLiteral("phoneEdit"));
  mPhone->setPlaceholderText(tr("phone"));
  callerRow->addWidget(mCaller, 1);
  callerRow->addWidget(mPhone, 1);
  fields->addRow(tr("Caller"), callerRow);

  mCategory = new QComboBox(this);
  mCategory->setObjectName(QStringLiteral("categoryCombo"));
  mCategory->setEditable(true);
  mCategory->setInsertPolicy(QComboBox::NoInsert);
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
  fields->addRow(tr("Category"), mCategory);
  mPriority = new QComboBox(this);
  mPriority->setObjectName(QStringLiteral("priorityCombo"));
  mPriority->addItem(tr("(the category's default)"), QString());
  for (const char *value : {"normal", "urgent", "emergency"})
    mPriority->addItem(priorityTitle(QString::fromLatin1(value)), QString::fromLatin1(value));
  fields->addRow(tr("Priority"), mPriority);
  mTitle = new QLineEdit(this);
  mTitle->setObjectName(QStringLiteral("titleEdit"));
  fields->addRow(tr("Title"), mTitle);
  mDescription = new QPlainTextEdit(this);
  mDescription->setObjectName(QStringLiteral("descriptionEdit"));
  mDescription->setTabChangesFocus(true);
  mDescription->setMinimumHeight(80);
  fields->addRow(tr("Description"), mDescription);
  mAddress = new QLineEdit(this);
  mAddress->setObjectName(QStringLiteral("addressEdit"));
  fields->addRow(tr("Address"), mAddress);

  auto *locationRow = new QHBoxLayout;
  mFind = new QLineEdit(this);
  mFind->setObjectName(QStringLiteral("findEdit"));
  mFind->setPlaceholderText(tr("find by place, grid name or code"));
  auto *findButton = new QPushButton(tr("Find"), this);
  findButton->setObjectName(QStringLiteral("findButton"));
  auto *pickButton = new QPushButton(tr("Pick on map"), this);
  pickButton->setObjectName(QStringLiteral("pickButton"));
  locationRow->addWidget(mFind, 1);
  locationRow->addWidget(findButton);
  locationRow->addWidget(pickButton);
  fields->addRow(tr("Location"), locationRow);
  mLocation = new QLabel(tr("not set"), this);
  mLocation->setObjectName(QStringLiteral("locationLabel"));
  mLocation->setWordWrap(true);
  fields->addRow(QString(), mLocation);
  connect(findButton, &QPushButton::clicked, this, [this] { emit findRequested(mFind->text()); });
  connect(mFind, &QLineEdit::returnPressed, this, [this] { emit findRequested(mFind->text()); });
  connect(pickButton, &QPushButton::clicked, this, &IntakeDialog::pickOnMapRequested);

  mProblem = new QLabel(this);
  mProblem->setObjectName(QStringLiteral("problemLabel"));
  mProblem->setStyleSheet(QStringLiteral("color: #c62828"));
  mProblem->setWordWrap(true);
  left->addWidget(mProblem);
  auto *buttons = new QDialogButtonBox(this);
  mSubmit = buttons->addButton(tr("Register new case"), QDialogButtonBox::AcceptRole);
  mSubmit->setObjectName(QStringLiteral("submitButton"));
  buttons->addButton(QDialogButtonBox::Close);
  connect(mSubmit, &QPushButton::clicked, this, [this] { emit submitRequested(form()); });
  connect(buttons, &QDialogButtonBox::rejected, this, &IntakeDialog::reject);
  left->addWidget(buttons);
  submitOnCtrlEnter(this, [this] { emit submitRequested(form()); });

  auto *duplicatesBox = new QGroupBox(tr("Possible duplicates (多头反映)"), this);
  auto *right = new QVBoxLayout(duplicatesBox);
  mDuplicates = new QListWidget(duplicatesBox);
  mDuplicates->setObjectName(QStringLiteral("duplicateList"));
  mDuplicates->setWordWrap(true);
  right->addWidget(mDuplicates, 1);
  mAttach = new QPushButton(tr("Attach to the selected case instead"), duplicatesBox);
  mAttach->setObjectName(QStringLiteral("attachButton"));
  right->addWidget(mAttach);
  layout->addWidget(duplicatesBox, 2);
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
  resize(820, 520);
}

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
