#include "console/actiondialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace gd::console {

namespace {

QComboBox *departmentCombo(const std::vector<Choice> &departments, QWidget *parent)
{
  auto *combo = new QComboBox(parent);
  for (const Choice &department : departments)
    combo->addItem(department.name, department.code);
  return combo;
}

} // namespace

ActionDialog::ActionDialog(const QString &action, const CaseDetail &detail, const ActionContext &context, QWidget *parent)
  : QDialog(parent)
  , mAction(action)
  , mNumbers{detail.number}
{
  setObjectName(QStringLiteral("actionDialog"));
  const bool dispatch = action == QLatin1String("dispatch");
  setWindowTitle(dispatch ? tr("Dispatch case %1").arg(detail.number)
                          : tr("%1 — case %2").arg(actionTitle(action), detail.number));
  auto *layout = new QVBoxLayout(this);
  auto *heading = new QLabel(QStringLiteral("<b>%1</b> %2<br>%3").arg(detail.number.toHtmlEscaped(),
                                                                      (detail.title.isEmpty() ? detail.categoryName : detail.title).toHtmlEscaped(),
                                                                      detail.gridPath.toHtmlEscaped()),
                             this);
  heading->setObjectName(QStringLiteral("actionHeading"));
  heading->setWordWrap(true);
  layout->addWidget(heading);
  auto *form = new QFormLayout;
  layout->addLayout(form);

  auto addNote = [&](const QString &label, bool required) {
    mNote = new QPlainTextEdit(this);
    mNote->setObjectName(QStringLiteral("noteEdit"));
    mNote->setTabChangesFocus(true);
    mNote->setMaximumHeight(80);
    mNoteRequired = required;
    form->addRow(label, mNote);
    connect(mNote, &QPlainTextEdit::textChanged, this, &ActionDialog::updateOk);
  };

  if (dispatch || action == QLatin1String("assign"))
  {
    mLead = departmentCombo(context.departments, this);
    mLead->setObjectName(QStringLiteral("leadCombo"));
    const int suggested = mLead->findData(context.suggestion.department);
    if (suggested >= 0)
    {
      mLead->setCurrentIndex(suggested);
      mLead->setItemText(suggested, tr("%1 (suggested)").arg(mLead->itemText(suggested)));
    }
    form->addRow(tr("Lead department"), mLead);
    if (!context.suggestion.reason.isEmpty())
    {
      auto *why = new QLabel(tr("Suggested from %1").arg(context.suggestion.reason), this);
      why->setStyleSheet(QStringLiteral("color: palette(mid)"));
      form->addRow(QString(), why);
    }
    mAssisting = new QListWidget(this);
    mAssisting->setObjectName(QStringLiteral("assistingList"));
    mAssisting->setMaximumHeight(110);
    for (const Choice &department : context.departments)
    {
      auto *item = new QListWidgetItem(department.name, mAssisting);
      item->setData(Qt::UserRole, department.code);
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      item->setCheckState(Qt::Unchecked);
    }
    form->addRow(tr("Assisting departments"), mAssisting);
    mWorker = new QComboBox(this);
    mWorker->setObjectName(QStringLiteral("workerCombo"));
    mWorker->addItem(tr("(no grid worker)"), QString());
    for (const Choice &worker : context.workers)
      mWorker->addItem(QStringLiteral("%1  %2").arg(worker.name, worker.extra), worker.code);
    if (!context.workers.empty())
      mWorker->setCurrentIndex(1);
    form->addRow(tr("Grid worker"), mWorker);
    if (!dispatch)
      addNote(tr("Instructions"), false);
  }
  else if (action == QLatin1String("return") || action == QLatin1String("void") || action == QLatin1String("park"))
  {
    addNote(tr("Reason"), true);
  }
  else if (action == QLatin1String("escalate"))
  {
    addNote(tr("Why this level cannot solve it"), true);
  }
  else if (action == QLatin1String("extend"))
  {
    mAmount = new QSpinBox(this);
    mAmount->setObjectName(QStringLiteral("amountSpin"));
    mAmount->setRange(1, 365);
    mAmount->setValue(1);
    mUnit = new QComboBox(this);
    mUnit->setObjectName(QStringLiteral("unitCombo"));
    mUnit->addItem(tr("working days"), QStringLiteral("wd"));
    mUnit->addItem(tr("working hours"), QStringLiteral("wh"));
    mUnit->addItem(tr("hours"), QStringLiteral("h"));
    auto *row = new QHBoxLayout;
    row->addWidget(mAmount);
    row->addWidget(mUnit);
    form->addRow(tr("Extend by"), row);
    mApprover = new QLineEdit(this);
    mApprover->setObjectName(QStringLiteral("approverEdit"));
    mApprover->setPlaceholderText(tr("the supervisor who approved the extension"));
    form->addRow(tr("Approved by"), mApprover);
    connect(mApprover, &QLineEdit::textChanged, this, &ActionDialog::updateOk);
    addNote(tr("Reason"), true);
  }
  else if (action == QLatin1String("merge"))
  {
    mTarget = new QComboBox(this);
    mTarget->setObjectName(QStringLiteral("targetCombo"));
    mTarget->setEditable(true);
    mTarget->addItems(context.mergeTargets);
    mTarget->setCurrentText(context.mergeTargets.value(0));
    form->addRow(tr("Merge into case"), mTarget);
    connect(mTarget, &QComboBox::currentTextChanged, this, &ActionDialog::updateOk);
    addNote(tr("Note"), false);
  }
  else if (action == QLatin1String("feedback"))
  {
    mResult = new QLineEdit(this);
    mResult->setObjectName(QStringLiteral("resultEdit"));
    form->addRow(tr("Handling result"), mResult);
    connect(mResult, &QLineEdit::textChanged, this, &ActionDialog::updateOk);
    mMediation = new QComboBox(this);
    mMediation->setObjectName(QStringLiteral("mediationCombo"));
    mMediation->addItem(tr("(not a mediation)"), QString());
    mMediation->addItem(tr("Mediation succeeded"), QStringLiteral("success"));
    mMediation->addItem(tr("Mediation failed"), QStringLiteral("failed"));
    form->addRow(tr("Mediation"), mMediation);
    addNote(tr("Note"), false);
  }
  else if (action == QLatin1String("visit"))
  {
    mSatisfaction = new QComboBox(this);
    mSatisfaction->setObjectName(QStringLiteral("satisfactionCombo"));
    for (const char *value : {"satisfied", "basically_satisfied", "unsatisfied"})
      mSatisfaction->addItem(satisfactionTitle(QString::fromLatin1(value)), QString::fromLatin1(value));
    form->addRow(tr("Satisfaction"), mSatisfaction);
    addNote(tr("What the reporter said"), false);
  }
  else if (action == QLatin1String("rework"))
  {
    mReworkTo = new QComboBox(this);
    mReworkTo->setObjectName(QStringLiteral("reworkCombo"));
    mReworkTo->addItem(tr("back to the handler (in handling)"), QStringLiteral("in_handling"));
    mReworkTo->addItem(tr("back to assigned (the handler accepts it again)"), QStringLiteral("assigned"));
    form->addRow(tr("Send back"), mReworkTo);
    addNote(tr("What is to be redone"), true);
  }
  else
  {
    addNote(action == QLatin1String("note") || action == QLatin1String("supervise") || action == QLatin1String("urge")
              ? tr("Opinion") : tr("Note"),
            action == QLatin1String("note"));
  }

  mProblem = new QLabel(this);
  mProblem->setObjectName(QStringLiteral("problemLabel"));
  mProblem->setStyleSheet(QStringLiteral("color: #c62828"));
  layout->addWidget(mProblem);
  mButtons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  mButtons->button(QDialogButtonBox::Ok)->setText(dispatch ? tr("Dispatch") : actionTitle(action));
  mButtons->button(QDialogButtonBox::Ok)->setDefault(true);
  connect(mButtons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(mButtons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(mButtons);
  updateOk();
  setMinimumWidth(460);
}

void ActionDialog::setCaseNumbers(const QStringList &numbers)
{
  mNumbers = numbers;
  if (numbers.size() > 1)
    setWindowTitle(tr("%1 — %n case(s)", nullptr, numbers.size()).arg(mAction == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(mAction)));
}

QString ActionDialog::missing() const
{
  QStringList missing;
  if (mNote && mNoteRequired && mNote->toPlainText().trimmed().isEmpty())
    missing << tr("a reason");
  if (mApprover && mApprover->text().trimmed().isEmpty())
    missing << tr("who approved it");
  if (mTarget && mTarget->currentText().trimmed().isEmpty())
    missing << tr("the case to merge into");
  if (mTarget && mNumbers.contains(mTarget->currentText().trimmed()))
    missing << tr("another case than this one");
  if (mLead && mLead->currentIndex() < 0)
    missing << tr("a lead department");
  return missing.isEmpty() ? QString() : tr("Still needed: %1").arg(missing.join(QStringLiteral(", ")));
}

void ActionDialog::updateOk()
{
  const QString problem = missing();
  mProblem->setText(problem);
  mButtons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

ActionRequest ActionDialog::request() const
{
  ActionRequest request;
  request.action = mAction == QLatin1String("dispatch") ? QStringLiteral("assign") : mAction;
  if (mNote)
    request.note = mNote->toPlainText().trimmed();
  if (mLead)
  {
    request.data.insert(QStringLiteral("lead"), lead());
    const QStringList helpers = assisting();
    if (!helpers.isEmpty())
      request.data.insert(QStringLiteral("assisting"), helpers);
    if (!worker().isEmpty())
      request.data.insert(QStringLiteral("worker"), worker());
  }
  if (mApprover)
  {
    request.data.insert(QStringLiteral("approver"), mApprover->text().trimmed());
    request.data.insert(QStringLiteral("amount"), mAmount->value());
    request.data.insert(QStringLiteral("unit"), mUnit->currentData().toString());
  }
  if (mTarget)
    request.data.insert(QStringLiteral("into"), mTarget->currentText().trimmed());
  if (mResult && !mResult->text().trimmed().isEmpty())
    request.data.insert(QStringLiteral("result"), mResult->text().trimmed());
  if (mMediation && !mMediation->currentData().toString().isEmpty())
    request.data.insert(QStringLiteral("mediation"), mMediation->currentData().toString());
  if (mSatisfaction)
    request.data.insert(QStringLiteral("satisfaction"), mSatisfaction->currentData().toString());
  if (mReworkTo)
    request.data.insert(QStringLiteral("to"), mReworkTo->currentData().toString());
  return request;
}

QString ActionDialog::lead() const
{
  return mLead ? mLead->currentData().toString() : QString();
}

QStringList ActionDialog::assisting() const
{
  QStringList codes;
  if (!mAssisting)
    return codes;
  for (int i = 0; i < mAssisting->count(); ++i)
    if (mAssisting->item(i)->checkState() == Qt::Checked && mAssisting->item(i)->data(Qt::UserRole).toString() != lead())
      codes << mAssisting->item(i)->data(Qt::UserRole).toString();
  return codes;
}

QString ActionDialog::worker() const
{
  return mWorker ? mWorker->currentData().toString() : QString();
}

} // namespace gd::console
