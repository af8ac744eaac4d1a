#include "console/dispatch/actiondialog.h"
#include "console/common/datetimetext.h"

#include "console/dispatch/casequeuemodel.h"

#include "ui_actiondialog.h"

#include <QColor>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QKeySequence>
#include <QLineEdit>
#include <QLocale>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>

namespace gd::console {

namespace {

QComboBox *departmentCombo(const std::vector<Choice> &departments, QWidget *parent)
{
  auto *combo = new QComboBox(parent);
  for (const Choice &department : departments)
    combo->addItem(department.name, department.code);
  return combo;
}

// Item data of the worker combo: how an order reaches the worker.
constexpr int kTerminalsRole = Qt::UserRole + 1;
constexpr int kOnlineRole = Qt::UserRole + 2;
constexpr int kLastFixRole = Qt::UserRole + 3;
constexpr int kPhoneRole = Qt::UserRole + 4;
constexpr int kNameRole = Qt::UserRole + 5;
constexpr int kStateRole = Qt::UserRole + 6;

bool isFinalState(const QString &state)
{
  return state == QLatin1String("archived") || state == QLatin1String("voided") || state == QLatin1String("merged") ||
         state == QLatin1String("closed") || state == QLatin1String("visited");
}

} // namespace

void submitOnCtrlEnter(QDialog *dialog, std::function<void()> submit)
{
  for (const QKeySequence &keys : {QKeySequence(QStringLiteral("Ctrl+Return")), QKeySequence(QStringLiteral("Ctrl+Enter"))})
  {
    auto *shortcut = new QShortcut(keys, dialog);
    shortcut->setContext(Qt::WindowShortcut);
    QObject::connect(shortcut, &QShortcut::activated, dialog, submit);
  }
}

ActionDialog::ActionDialog(const QString &action, const CaseDetail &detail, const ActionContext &context, QWidget *parent)
  : QDialog(parent)
  , mAction(action)
  , mNumbers{detail.number}
{
  // What every step's dialog has is ui/actiondialog.ui; the rows of its form depend on the
  // step and the case, and are added here.
  Ui::ActionDialog ui;
  ui.setupUi(this);
  const bool dispatch = action == QLatin1String("dispatch");
  setWindowTitle(dispatch ? tr("Dispatch case %1").arg(detail.number)
                          : tr("%1 — case %2").arg(actionTitle(action), detail.number));
  ui.actionHeading->setText(QStringLiteral("<b>%1</b> %2<br>%3").arg(detail.number.toHtmlEscaped(),
                                                                      (detail.title.isEmpty() ? detail.categoryName : detail.title).toHtmlEscaped(),
                                                                      detail.gridPath.toHtmlEscaped()));
  QFormLayout *form = ui.form;

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
    const int suggested = context.suggestion.department.isEmpty() ? -1 : mLead->findData(context.suggestion.department);
    // No suggestion (every department that handles it returned it …): the operator chooses.
    mLead->setCurrentIndex(suggested);
    if (suggested >= 0)
      mLead->setItemText(suggested, tr("%1 (suggested)").arg(mLead->itemText(suggested)));
    connect(mLead, qOverload<int>(&QComboBox::currentIndexChanged), this, &ActionDialog::updateOk);
    form->addRow(tr("Lead department"), mLead);
    // Several cases of different categories: each gets its own suggestion (one case's
    // department is not every case's), listed so the operator sees who gets what.
    bool mixed = false;
    for (const auto &[which, suggestion] : context.perCase)
      mixed = mixed || suggestion.department != context.perCase.front().second.department;
    if (mixed)
    {
      mLead->insertItem(0, tr("Each case's suggested department"), kEachCasesSuggestion);
      mLead->setCurrentIndex(0);
      QStringList lines;
      for (const auto &[which, suggestion] : context.perCase)
        lines << (suggestion.department.isEmpty() ? tr("%1 (%2): no suggestion, dispatch it on its own").arg(which.code, which.name)
                                                  : tr("%1 (%2) → %3").arg(which.code, which.name, suggestion.departmentName));
      auto *each = new QLabel(lines.join(QLatin1Char('\n')), this);
      each->setObjectName(QStringLiteral("perCaseSuggestions"));
      each->setWordWrap(true);
      form->addRow(QString(), each);
    }
    else if (!context.suggestion.reason.isEmpty())
    {
      auto *why = new QLabel(tr("Suggested from %1").arg(context.suggestion.reason), this);
      why->setObjectName(QStringLiteral("suggestionReason"));
      why->setWordWrap(true);
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
    // The lead is not also one of its own assistants: its row goes while it leads.
    auto hideLead = [this] {
      const QString leading = lead();
      for (int i = 0; i < mAssisting->count(); ++i)
      {
        QListWidgetItem *item = mAssisting->item(i);
        const bool isLead = item->data(Qt::UserRole).toString() == leading;
        item->setHidden(isLead);
        if (isLead)
          item->setCheckState(Qt::Unchecked);
      }
    };
    connect(mLead, qOverload<int>(&QComboBox::currentIndexChanged), this, hideLead);
    hideLead();
    mWorker = new QComboBox(this);
    mWorker->setObjectName(QStringLiteral("workerCombo"));
    mWorker->addItem(tr("(no grid worker)"), QString());
    int firstOnline = -1;
    for (std::size_t i = 0; i < context.workers.size(); ++i)
    {
      const Choice &worker = context.workers[i];
      // Who an order reaches, marked where the operator chooses (most workers of a district
      // carry no terminal).
      QString status;
      WorkerReachView reach;
      if (i < context.workerReach.size())
        reach = context.workerReach[i];
      if (reach.terminals == 0)
        status = tr("no terminal");
      else if (reach.online)
        status = tr("terminal online");
      else if (reach.lastFix.isValid())
        status = tr("terminal offline since %1").arg(minuteText(reach.lastFix));
      else
        status = tr("terminal never reported");
      mWorker->addItem(QStringLiteral("%1  %2  · %3").arg(worker.name, worker.extra, status), worker.code);
      const int index = mWorker->count() - 1;
      mWorker->setItemData(index, reach.terminals, kTerminalsRole);
      mWorker->setItemData(index, reach.online, kOnlineRole);
      mWorker->setItemData(index, reach.lastFix, kLastFixRole);
      mWorker->setItemData(index, worker.extra, kPhoneRole);
      mWorker->setItemData(index, worker.name, kNameRole);
      if (reach.terminals == 0 || !reach.online)
        mWorker->setItemData(index, QColor(150, 150, 150), Qt::ForegroundRole);
      if (firstOnline < 0 && reach.online)
        firstOnline = index;
    }
    // The first worker an order reaches now, else the grid's first worker.
    if (firstOnline > 0)
      mWorker->setCurrentIndex(firstOnline);
    else if (!context.workers.empty())
      mWorker->setCurrentIndex(1);
    form->addRow(tr("Grid worker"), mWorker);
    mWarning = new QLabel(this);
    mWarning->setObjectName(QStringLiteral("reachWarning"));
    mWarning->setWordWrap(true);
    mWarning->setStyleSheet(QStringLiteral("color: #b26a00"));
    form->addRow(QString(), mWarning);
    connect(mWorker, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
      mConfirmed = false;
      updateWarning();
      updateOk();
    });
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
    mTarget->setInsertPolicy(QComboBox::NoInsert);
    mTarget->setMinimumContentsLength(40);
    // Each candidate with what tells it apart: title, place, how far and how long apart.
    for (const DuplicateSuggestion &c : context.mergeCandidates)
    {
      QStringList parts{c.title.isEmpty() ? QStringLiteral("—") : c.title};
      if (!c.address.isEmpty())
        parts << c.address;
      if (c.distanceM >= 0)
        parts << tr("%1 m away").arg(qRound(c.distanceM)) << tr("%1 h apart").arg(c.hoursApart, 0, 'f', 1);
      parts << CaseQueueModel::stateTitle(c.state);
      mTarget->addItem(QStringLiteral("%1  %2").arg(c.number, parts.join(QStringLiteral(" · "))), c.number);
      mTarget->setItemData(mTarget->count() - 1, c.state, kStateRole);
    }
    // Nothing is chosen for the operator unless it is a likely duplicate of this case.
    // (Near in place and time alone is not enough: it must also say much the same.)
    const bool likely = mNumbers.size() == 1 && !context.mergeCandidates.empty() &&
                        context.mergeCandidates.front().score >= kLikelyDuplicateScore &&
                        context.mergeCandidates.front().textSimilarity >= kLikelyDuplicateText &&
                        !isFinalState(context.mergeCandidates.front().state);
    mTarget->setCurrentIndex(likely ? 0 : -1);
    mTarget->lineEdit()->setPlaceholderText(tr("choose a case above, or type its number"));
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

  mProblem = ui.problemLabel;
  mButtons = ui.buttons;
  mButtons->button(QDialogButtonBox::Ok)->setText(dispatch ? tr("Dispatch") : actionTitle(action));
  mButtons->button(QDialogButtonBox::Ok)->setDefault(true);
  connect(mButtons, &QDialogButtonBox::accepted, this, &ActionDialog::accept);
  connect(mButtons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  submitOnCtrlEnter(this, [this] {
    if (mButtons->button(QDialogButtonBox::Ok)->isEnabled())
      accept();
  });
  updateWarning();
  updateOk();
  // The rows were made after the buttons, so they follow them in the tab chain: the order Tab
  // goes round in is the same as when the whole dialog was made here, but the first widget of
  // the chain, which has the focus when the dialog opens, would be OK. The first row has it.
  for (QWidget *row = mButtons->button(QDialogButtonBox::Cancel)->nextInFocusChain(); row != this; row = row->nextInFocusChain())
    if (row->focusPolicy() & Qt::TabFocus)
    {
      row->setFocus();
      break;
    }
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
  if (mTarget && mergeTarget().isEmpty())
    missing << tr("the case to merge into");
  if (mTarget && mNumbers.size() == 1 && mNumbers.contains(mergeTarget()))
    missing << tr("another case than this one");
  if (mLead && mLead->currentIndex() < 0)
    missing << tr("a lead department");
  if (!missing.isEmpty())
    return tr("Still needed: %1").arg(missing.join(QStringLiteral(", ")));
  if (mTarget)
  {
    // A case closed for good takes no further report: refused here, with that reason.
    const int index = mTarget->findData(mergeTarget());
    const QString state = index >= 0 ? mTarget->itemData(index, kStateRole).toString() : QString();
    if (isFinalState(state))
      return tr("Case %1 is %2 and final: it takes no further reports. Merge into an open case, or keep this one on its own.")
        .arg(mergeTarget(), CaseQueueModel::stateTitle(state));
  }
  return QString();
}

QString ActionDialog::mergeTarget() const
{
  if (!mTarget)
    return QString();
  const QString text = mTarget->currentText().trimmed();
  const int index = mTarget->findText(text);
  if (index >= 0)
    return mTarget->itemData(index).toString();
  return text.section(QLatin1Char(' '), 0, 0);
}

void ActionDialog::updateOk()
{
  if (!mProblem)
    return; // still building the form
  const QString problem = missing();
  mProblem->setText(problem);
  QPushButton *ok = mButtons->button(QDialogButtonBox::Ok);
  ok->setEnabled(problem.isEmpty());
  ok->setText(mConfirmed ? tr("Dispatch anyway") : mAction == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(mAction));
}

QString ActionDialog::warning() const
{
  if (!mWorker || mWorker->currentData().toString().isEmpty())
    return QString();
  const int index = mWorker->currentIndex();
  const QString name = mWorker->itemData(index, kNameRole).toString();
  const QString phone = mWorker->itemData(index, kPhoneRole).toString();
  if (mWorker->itemData(index, kTerminalsRole).toInt() == 0)
    return phone.isEmpty() ? tr("%1 carries no terminal: no order will reach them. Tell them another way.").arg(name)
                           : tr("%1 carries no terminal: no order will reach them. Phone them on %2.").arg(name, phone);
  if (!mWorker->itemData(index, kOnlineRole).toBool())
  {
    const QDateTime lastFix = mWorker->itemData(index, kLastFixRole).toDateTime();
    const QString since = lastFix.isValid() ? tr("last report %1").arg(minuteText(lastFix))
                                            : tr("it has never reported");
    return tr("%1's terminal is offline (%2): the order waits until it reconnects.").arg(name, since);
  }
  return QString();
}

void ActionDialog::updateWarning()
{
  if (!mWarning)
    return;
  const QString text = warning();
  mWarning->setText(text);
  mWarning->setVisible(!text.isEmpty());
}

void ActionDialog::accept()
{
  if (!missing().isEmpty())
    return;
  if (!warning().isEmpty() && !mConfirmed && mNumbers.size() == 1)
  {
    // Ask first: the operator may pick another worker, or dispatch anyway and phone them.
    mConfirmed = true;
    updateOk();
    mProblem->setText(tr("Dispatch anyway? Press \"%1\" again, or choose another grid worker.").arg(tr("Dispatch anyway")));
    return;
  }
  if (mSubmit)
  {
    if (mSubmitting)
      return;
    mSubmitting = true;
    mButtons->button(QDialogButtonBox::Ok)->setEnabled(false);
    mSubmit();
    return;
  }
  QDialog::accept();
}

void ActionDialog::setSubmitHandler(std::function<void()> handler)
{
  mSubmit = std::move(handler);
}

void ActionDialog::showRefusal(const QString &message)
{
  mSubmitting = false;
  updateOk();
  mProblem->setText(tr("Not done: %1").arg(message));
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
    request.data.insert(QStringLiteral("into"), mergeTarget());
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
