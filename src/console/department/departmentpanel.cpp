#include "console/department/departmentpanel.h"

#include "console/dispatch/casequeuemodel.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimeZone>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gd::console {

namespace {

enum Column
{
  CaseColumn,
  RoleColumn,
  SignByColumn,
  FinishByColumn,
  LeftColumn,
  StatusColumn,
  ColumnCount
};

constexpr int NumberRole = Qt::UserRole;
constexpr int NoticeRole = Qt::UserRole + 1; //!< the notice of a notice row (0 on a case row)
constexpr int SignRole = Qt::UserRole + 2;   //!< the notice to sign from this row (0: none)

//! Beijing time, as the rest of the console shows it (the deadlines are the calendar's, +08:00).
QString shortTime(const QDateTime &at)
{
  return at.isValid() ? at.toTimeZone(QTimeZone(QByteArrayLiteral("Asia/Shanghai"))).toString(QStringLiteral("MM-dd HH:mm")) : QString();
}

} // namespace

QString timeLeftText(const QDateTime &now, const QDateTime &deadline)
{
  if (!deadline.isValid())
    return {};
  const qint64 seconds = now.secsTo(deadline);
  const qint64 minutes = (seconds < 0 ? -seconds : seconds) / 60;
  const QString span = minutes >= 24 * 60
                         ? DepartmentPanel::tr("%1 d %2 h").arg(minutes / (24 * 60)).arg((minutes / 60) % 24)
                         : DepartmentPanel::tr("%1 h %2 min").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'));
  return seconds < 0 ? DepartmentPanel::tr("overdue %1").arg(span) : DepartmentPanel::tr("%1 left").arg(span);
}

DepartmentPanel::DepartmentPanel(QWidget *parent)
  : QWidget(parent)
{
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  mHeader = new QLabel(this);
  mHeader->setObjectName(QStringLiteral("departmentHeader"));
  mHeader->setWordWrap(true);
  mHeader->setTextFormat(Qt::RichText);
  layout->addWidget(mHeader);
  mTree = new QTreeWidget(this);
  mTree->setObjectName(QStringLiteral("departmentInbox"));
  mTree->setColumnCount(ColumnCount);
  mTree->setRootIsDecorated(true);
  mTree->setUniformRowHeights(true);
  mTree->setAlternatingRowColors(true);
  mTree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  // The case column (number and title) would take the width of the longest title: it gets a
  // fixed share instead, elided, with the whole in its tooltip; the deadlines keep theirs.
  mTree->header()->setSectionResizeMode(CaseColumn, QHeaderView::Interactive);
  mTree->setColumnWidth(CaseColumn, 300);
  mTree->header()->setStretchLastSection(true);
  layout->addWidget(mTree, 1);
  auto *buttons = new QHBoxLayout;
  const auto button = [&](const QString &text, const char *name) {
    auto *b = new QPushButton(text, this);
    b->setObjectName(QLatin1String(name));
    buttons->addWidget(b);
    return b;
  };
  mSign = button(tr("Sign (签收)"), "signButton");
  mNote = button(tr("Handling note"), "noteButton");
  mFeedback = button(tr("Report handled"), "feedbackButton");
  mExtend = button(tr("Request extension"), "extensionButton");
  mReturn = button(tr("Return"), "returnButton");
  mApprove = button(tr("Approve"), "approveButton");
  mRefuse = button(tr("Refuse"), "refuseButton");
  buttons->addStretch(1);
  auto *refreshButton = button(tr("Refresh"), "refreshButton");
  layout->addLayout(buttons);
  mStatus = new QLabel(this);
  mStatus->setObjectName(QStringLiteral("departmentStatus"));
  mStatus->setWordWrap(true);
  layout->addWidget(mStatus);

  connect(mSign, &QPushButton::clicked, this, [this] {
    // A 催办/督办 is answered with a line the center reads; a dispatch is just signed.
    const qint64 id = selectedNotice();
    QString kind;
    for (const InboxCaseView &c : mInbox.cases)
      for (const InboxNoticeView &n : c.notices)
        if (n.id == id)
          kind = n.kind;
    if (id != 0 && kind != QLatin1String("assign"))
    {
      bool ok = false;
      const QString reply = QInputDialog::getText(this, tr("Acknowledge"), tr("Reply to the center:"), QLineEdit::Normal,
                                                  tr("Read, being handled"), &ok);
      if (ok)
        doSign(reply);
      return;
    }
    doSign();
  });
  connect(mNote, &QPushButton::clicked, this, &DepartmentPanel::askNote);
  connect(mFeedback, &QPushButton::clicked, this, &DepartmentPanel::askFeedback);
  connect(mExtend, &QPushButton::clicked, this, &DepartmentPanel::askExtension);
  connect(mReturn, &QPushButton::clicked, this, &DepartmentPanel::askReturn);
  connect(mApprove, &QPushButton::clicked, this, [this] { askDecision(true); });
  connect(mRefuse, &QPushButton::clicked, this, [this] { askDecision(false); });
  connect(refreshButton, &QPushButton::clicked, this, &DepartmentPanel::refresh);
  connect(mTree, &QTreeWidget::currentItemChanged, this, &DepartmentPanel::updateButtons);
  connect(mTree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
    if (item)
      emit caseActivated(item->data(CaseColumn, NumberRole).toString());
  });
  setService(nullptr, Mode::Inbox);
}

void DepartmentPanel::setService(DepartmentServiceThread *service, Mode mode)
{
  mService = service;
  mMode = mode;
  const bool inbox = mode == Mode::Inbox;
  for (QPushButton *b : {mSign, mNote, mFeedback, mExtend, mReturn})
    b->setVisible(inbox);
  for (QPushButton *b : {mApprove, mRefuse})
    b->setVisible(!inbox);
  // Cases with their notices under them on the inbox; a flat list of requests otherwise.
  mTree->setRootIsDecorated(inbox);
  mTree->setColumnWidth(CaseColumn, inbox ? 300 : 190);
  if (inbox)
    mTree->setHeaderLabels({tr("Case"), tr("Role / notice"), tr("Sign by"), tr("Finish by"), tr("Time left"), tr("Status")});
  else
    mTree->setHeaderLabels({tr("Case"), tr("Department"), tr("Working days"), tr("Reason"), tr("Requested by"), tr("Requested at")});
  mTree->clear();
  mHeader->clear();
  updateButtons();
}

void DepartmentPanel::refresh()
{
  if (!mService)
    return;
  if (mMode == Mode::Inbox)
    mService->call<DepartmentInboxView>([](DepartmentService &s) { return s.inbox(); }, this,
                                        [this](DepartmentInboxView view) { showInbox(view); });
  else
    mService->call<std::vector<ExtensionRequestView>>([](DepartmentService &s) { return s.pendingExtensions(); }, this,
                                                      [this](std::vector<ExtensionRequestView> requests) { showRequests(requests); });
}

void DepartmentPanel::showInbox(const DepartmentInboxView &view)
{
  const QString keepCase = selectedCase();
  const qint64 keepNotice = mTree->currentItem() ? mTree->currentItem()->data(CaseColumn, NoticeRole).toLongLong() : 0;
  mInbox = view;
  const QDateTime now = QDateTime::currentDateTime();
  // 响应率: this month's dispatches signed within the limit, over those signed and those past it unsigned.
  const QString rate = view.responseBase > 0
                         ? tr("%1 % (%2 / %3)").arg(QString::number(100.0 * view.signedOnTime / view.responseBase, 'f', 1))
                             .arg(view.signedOnTime)
                             .arg(view.responseBase)
                         : tr("— (no dispatch due yet)");
  mHeader->setText(tr("<b>%1</b> · response rate this month: <b>%2</b> · sign within %3 working hours · %4 case(s), %5 not signed")
                     .arg(view.departmentName.toHtmlEscaped(), rate, QString::number(view.signWithinHours))
                     .arg(view.cases.size())
                     .arg(view.unsignedCount));
  mTree->clear();
  const QBrush red(QColor(0xd3, 0x2f, 0x2f));
  for (const InboxCaseView &c : view.cases)
  {
    auto *caseItem = new QTreeWidgetItem(mTree);
    caseItem->setText(CaseColumn, c.title.isEmpty() ? c.number : tr("%1 %2").arg(c.number, c.title));
    caseItem->setToolTip(CaseColumn, tr("%1\n%2 · %3").arg(caseItem->text(CaseColumn), c.categoryName, c.address));
    caseItem->setData(CaseColumn, NumberRole, c.number);
    caseItem->setText(RoleColumn, c.lead ? tr("Lead") : tr("Assisting"));
    caseItem->setText(FinishByColumn, shortTime(c.finishBy));
    caseItem->setText(LeftColumn, timeLeftText(now, c.finishBy));
    if (c.finishBy.isValid() && c.finishBy < now)
      caseItem->setForeground(LeftColumn, red);
    caseItem->setText(StatusColumn, c.pendingExtension.isEmpty() ? CaseQueueModel::stateTitle(c.state)
                                                                 : tr("%1; %2").arg(CaseQueueModel::stateTitle(c.state), c.pendingExtension));
    QFont bold = caseItem->font(CaseColumn);
    bold.setBold(true);
    caseItem->setFont(CaseColumn, bold);
    qint64 toSign = 0;
    for (const InboxNoticeView &n : c.notices)
    {
      auto *item = new QTreeWidgetItem(caseItem);
      item->setData(CaseColumn, NumberRole, c.number);
      item->setData(CaseColumn, NoticeRole, n.id);
      item->setText(CaseColumn, tr("%1 sent %2").arg(noticeKindTitle(n.kind), shortTime(n.sentAt)));
      item->setToolTip(CaseColumn, n.message);
      item->setData(RoleColumn, Qt::UserRole, n.kind);
      item->setText(RoleColumn, noticeKindTitle(n.kind));
      const QDateTime due = n.kind == QLatin1String("assign") ? n.signBy : n.deadline;
      if (n.kind == QLatin1String("assign"))
        item->setText(SignByColumn, shortTime(n.signBy));
      else
        item->setText(FinishByColumn, shortTime(n.deadline));
      if (n.acknowledgedAt.isValid())
      {
        item->setText(StatusColumn, n.kind == QLatin1String("assign")
                                      ? tr("signed by %1 at %2").arg(n.acknowledgedBy, shortTime(n.acknowledgedAt))
                                      : tr("acknowledged by %1 at %2").arg(n.acknowledgedBy, shortTime(n.acknowledgedAt)));
        if (n.kind == QLatin1String("assign") && n.signBy.isValid() && n.acknowledgedAt > n.signBy)
          item->setForeground(StatusColumn, red);
        continue;
      }
      item->setData(CaseColumn, SignRole, n.id);
      if (toSign == 0)
        toSign = n.id;
      item->setText(LeftColumn, timeLeftText(now, due));
      item->setText(StatusColumn, n.kind == QLatin1String("assign") ? tr("not signed") : tr("not acknowledged"));
      if (due.isValid() && due < now)
        for (int column : {LeftColumn, StatusColumn, RoleColumn})
          item->setForeground(column, red);
    }
    caseItem->setData(CaseColumn, SignRole, toSign);
    caseItem->setExpanded(true);
  }
  if (!keepCase.isEmpty())
    select(keepCase, keepNotice);
  updateButtons();
  emit refreshed();
}

void DepartmentPanel::showRequests(const std::vector<ExtensionRequestView> &requests)
{
  mHeader->setText(tr("<b>Extension requests</b> waiting for the center's decision: %1").arg(requests.size()));
  mTree->clear();
  for (const ExtensionRequestView &r : requests)
  {
    auto *item = new QTreeWidgetItem(mTree);
    item->setData(CaseColumn, NumberRole, r.number);
    item->setData(CaseColumn, NoticeRole, r.id);
    item->setText(0, r.number);
    item->setText(1, r.departmentName);
    item->setText(2, QString::number(r.days));
    item->setText(3, r.reason);
    item->setText(4, r.requestedBy);
    item->setText(5, shortTime(r.requestedAt));
  }
  if (mTree->topLevelItemCount() > 0)
    mTree->setCurrentItem(mTree->topLevelItem(0));
  updateButtons();
  emit refreshed();
}

bool DepartmentPanel::select(const QString &number, qint64 noticeId)
{
  for (int i = 0; i < mTree->topLevelItemCount(); ++i)
  {
    QTreeWidgetItem *item = mTree->topLevelItem(i);
    if (item->data(CaseColumn, NumberRole).toString() != number)
      continue;
    QTreeWidgetItem *chosen = item;
    for (int j = 0; j < item->childCount() && noticeId != 0; ++j)
      if (item->child(j)->data(CaseColumn, NoticeRole).toLongLong() == noticeId)
        chosen = item->child(j);
    mTree->setCurrentItem(chosen);
    return true;
  }
  return false;
}

QString DepartmentPanel::selectedCase() const
{
  const QTreeWidgetItem *item = mTree->currentItem();
  return item ? item->data(CaseColumn, NumberRole).toString() : QString();
}

qint64 DepartmentPanel::selectedNotice() const
{
  const QTreeWidgetItem *item = mTree->currentItem();
  if (!item)
    return 0;
  return mMode == Mode::Approvals ? item->data(CaseColumn, NoticeRole).toLongLong() : item->data(CaseColumn, SignRole).toLongLong();
}

void DepartmentPanel::updateButtons()
{
  const bool any = !selectedCase().isEmpty();
  mSign->setEnabled(any && selectedNotice() != 0);
  const InboxCaseView *c = nullptr;
  for (const InboxCaseView &entry : mInbox.cases)
    if (entry.number == selectedCase())
      c = &entry;
  const bool lead = c && c->lead;
  mNote->setEnabled(any);
  mFeedback->setEnabled(lead && c->state == QLatin1String("in_handling"));
  mExtend->setEnabled(lead && c->pendingExtension.isEmpty() && c->state != QLatin1String("handled"));
  mReturn->setEnabled(lead && (c->state == QLatin1String("assigned") || c->state == QLatin1String("in_handling")));
  // Why a step is not offered, where the handler looks for it.
  mFeedback->setToolTip(lead ? tr("sign for the case first: feedback follows handling") : tr("only the lead department reports the case handled"));
  mReturn->setToolTip(lead ? QString() : tr("only the lead department returns a case"));
  mApprove->setEnabled(any);
  mRefuse->setEnabled(any);
}

void DepartmentPanel::run(std::function<ActionOutcome(DepartmentService &)> step)
{
  if (!mService)
    return;
  mService->call<ActionOutcome>(std::move(step), this, [this](ActionOutcome outcome) { finish(outcome); });
}

void DepartmentPanel::finish(const ActionOutcome &outcome)
{
  mStatus->setText(outcome.message);
  mStatus->setStyleSheet(outcome.ok ? QString() : QStringLiteral("color: #d32f2f;"));
  emit stepDone(outcome.ok, outcome.message);
  refresh();
}

void DepartmentPanel::doSign(const QString &reply)
{
  const qint64 id = selectedNotice();
  if (id != 0)
    run([id, reply](DepartmentService &s) { return s.sign(id, reply); });
}

void DepartmentPanel::doNote(const QString &text)
{
  const QString number = selectedCase();
  run([number, text](DepartmentService &s) { return s.note(number, text); });
}

void DepartmentPanel::doFeedback(const QString &result)
{
  const QString number = selectedCase();
  run([number, result](DepartmentService &s) { return s.feedback(number, result); });
}

void DepartmentPanel::doRequestExtension(int days, const QString &reason)
{
  const QString number = selectedCase();
  run([number, days, reason](DepartmentService &s) { return s.requestExtension(number, days, reason); });
}

void DepartmentPanel::doReturn(const QString &reason)
{
  const QString number = selectedCase();
  run([number, reason](DepartmentService &s) { return s.returnCase(number, reason); });
}

void DepartmentPanel::doDecide(bool approve, const QString &note)
{
  const qint64 id = selectedNotice();
  if (id != 0)
    run([id, approve, note](DepartmentService &s) { return s.decideExtension(id, approve, note); });
}

void DepartmentPanel::askNote()
{
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText(this, tr("Handling note"), tr("What was done on case %1:").arg(selectedCase()), QString(), &ok);
  if (ok)
    doNote(text);
}

void DepartmentPanel::askFeedback()
{
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText(this, tr("Report handled"), tr("Result of the handling of case %1:").arg(selectedCase()), QString(), &ok);
  if (ok)
    doFeedback(text);
}

void DepartmentPanel::askExtension()
{
  QDialog dialog(this);
  dialog.setWindowTitle(tr("Request extension"));
  auto *form = new QFormLayout(&dialog);
  auto *days = new QSpinBox(&dialog);
  days->setRange(1, 30);
  days->setValue(3);
  days->setSuffix(tr(" working day(s)"));
  auto *reason = new QPlainTextEdit(&dialog);
  form->addRow(tr("Case"), new QLabel(selectedCase(), &dialog));
  form->addRow(tr("More time"), days);
  form->addRow(tr("Reason"), reason);
  auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  form->addRow(box);
  connect(box, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  connect(box, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() == QDialog::Accepted)
    doRequestExtension(days->value(), reason->toPlainText());
}

void DepartmentPanel::askReturn()
{
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText(this, tr("Return"), tr("Why case %1 goes back to the center:").arg(selectedCase()), QString(), &ok);
  if (ok)
    doReturn(text);
}

void DepartmentPanel::askDecision(bool approve)
{
  bool ok = false;
  const QString text = QInputDialog::getText(this, approve ? tr("Approve") : tr("Refuse"),
                                             approve ? tr("Note (optional):") : tr("Why the extension is refused:"),
                                             QLineEdit::Normal, QString(), &ok);
  if (ok)
    doDecide(approve, text);
}

} // namespace gd::console
