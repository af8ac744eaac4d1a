#include "console/dispatch/casedetailpanel.h"
#include "console/common/datetimetext.h"

#include "console/dispatch/casequeuemodel.h"

#include <QAction>
#include <QBoxLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTextDocument>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>
#include <vector>

namespace gd::console {

namespace {

// The order in which step buttons appear: the main line first, then the exceptions.
const char *const kStepOrder[] = {"dispatch", "register", "accept", "assign", "start_handling", "arrive", "feedback",
                                  "close", "visit", "archive", "return", "escalate", "extend", "park", "resume",
                                  "merge", "rework", "supervise", "urge", "note", "void"};
//! The width the step buttons' rows are laid out for (the case dock's usual width, in pixels).
constexpr int kButtonRowWidth = 520;

QString lightColour(const QString &light)
{
  if (light == QLatin1String("red"))
    return QStringLiteral("#d32f2f");
  if (light == QLatin1String("yellow"))
    return QStringLiteral("#e6a700");
  if (light == QLatin1String("green"))
    return QStringLiteral("#2e7d32");
  return QStringLiteral("#777777");
}

} // namespace

CaseDetailPanel::CaseDetailPanel(QWidget *parent)
  : QWidget(parent)
{
  setObjectName(QStringLiteral("caseDetailPanel"));
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  mHeading = new QLabel(this);
  mHeading->setObjectName(QStringLiteral("caseHeading"));
  mHeading->setWordWrap(true);
  mHeading->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(mHeading);
  mNotice = new QLabel(this);
  mNotice->setObjectName(QStringLiteral("caseNotice"));
  mNotice->setWordWrap(true);
  mNotice->setStyleSheet(QStringLiteral("background:#fff3c4; color:#5d4200; padding:4px; border-radius:3px"));
  mNotice->hide();
  layout->addWidget(mNotice);
  mSummary = new QTextBrowser(this);
  mSummary->setObjectName(QStringLiteral("caseSummary"));
  mSummary->setOpenLinks(false);
  mSummary->setMaximumHeight(170);
  connect(mSummary, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) { emit linkActivated(url.toString()); });
  layout->addWidget(mSummary);
  setUpOrderStatus(layout);
  mButtonRow = new QWidget(this);
  mButtonLayout = new QGridLayout(mButtonRow);
  mButtonLayout->setContentsMargins(0, 0, 0, 0);
  mButtonLayout->setSpacing(3);
  layout->addWidget(mButtonRow);
  auto *timelineLabel = new QLabel(tr("Timeline"), this);
  timelineLabel->setStyleSheet(QStringLiteral("font-weight:bold"));
  layout->addWidget(timelineLabel);
  mTimeline = new QTreeWidget(this);
  mTimeline->setObjectName(QStringLiteral("caseTimeline"));
  mTimeline->setRootIsDecorated(false);
  mTimeline->setAlternatingRowColors(true);
  mTimeline->setWordWrap(true);
  mTimeline->setHeaderLabels({tr("Time"), tr("Step"), tr("By"), tr("State"), tr("Details")});
  mTimeline->header()->setStretchLastSection(true);
  // The list takes the height that is left, down to a few rows, and no more is asked for it:
  // the wrapped labels above make the panel's height depend on its width, and Qt's scroll area
  // then sized the panel by every part's preferred height, so the list ran below the dock and
  // its newest entries were out of sight behind the dock's scroll bar.
  mTimeline->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
  mTimeline->setMinimumHeight(mTimeline->fontMetrics().height() * 4);
  layout->addWidget(mTimeline, 1);
  // The newest entry is the one that matters: the list stays at its end while it grows,
  // while the rows above it wrap into more lines and while the dock is resized, unless the
  // operator scrolled up to read (then it stays where they are until they scroll back down).
  // A single scroll at fill time did not hold: the rows' heights and the viewport settle later.
  QScrollBar *scroll = mTimeline->verticalScrollBar();
  connect(scroll, &QScrollBar::rangeChanged, this, [this, scroll](int, int maximum) {
    if (mFollowNewest)
      scroll->setValue(maximum);
  });
  connect(scroll, &QScrollBar::actionTriggered, this, [this, scroll] {
    // Only the operator's own scrolling (wheel, drag, keys) decides whether to follow.
    QMetaObject::invokeMethod(this, [this, scroll] { mFollowNewest = scroll->value() >= scroll->maximum(); }, Qt::QueuedConnection);
  });
  clear();
}

void CaseDetailPanel::setStepActions(const QHash<QString, QAction *> &actions)
{
  for (QAction *action : std::as_const(mActions))
    disconnect(action, nullptr, this, nullptr);
  mActions = actions;
  qDeleteAll(mButtons);
  mButtons.clear();
  // Every step has its own place, the same for every case: a step not possible now is
  // greyed where it stands (its tooltip says why) instead of the others closing up over it,
  // so a button is found by where it is.
  std::vector<QToolButton *> ordered;
  for (const char *name : kStepOrder)
  {
    const QString step = QString::fromLatin1(name);
    QAction *action = mActions.value(step);
    if (!action)
      continue;
    auto *button = new QToolButton(mButtonRow);
    button->setObjectName(QStringLiteral("step_%1").arg(step));
    button->setText(step == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(step));
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(button, &QToolButton::clicked, action, &QAction::trigger);
    connect(action, &QAction::changed, this, &CaseDetailPanel::updateButtons);
    mButtons.insert(step, button);
    ordered.push_back(button);
  }
  // As many to a row as fit the dock's usual width with the longest label (seven with
  // Chinese labels, fewer with English ones); the places depend on the language only.
  int widest = 1;
  for (const QToolButton *button : ordered)
    widest = std::max(widest, button->sizeHint().width());
  const int columns = std::clamp(kButtonRowWidth / widest, 3, 7);
  for (std::size_t place = 0; place < ordered.size(); ++place)
    mButtonLayout->addWidget(ordered[place], static_cast<int>(place) / columns, static_cast<int>(place) % columns);
  updateButtons();
}

void CaseDetailPanel::clear()
{
  mDetail = CaseDetail();
  mHeading->setText(tr("<i>No case selected. Pick one in the queue, on the map or by its number.</i>"));
  mNotice->hide();
  mSummary->clear();
  showOrderStatus(mDetail);
  mTimeline->clear();
  updateButtons();
}

void CaseDetailPanel::showDetail(const CaseDetail &detail, bool changedUnder)
{
  const bool sameCase = detail.number == mDetail.number;
  const QString previousState = mDetail.state;
  mDetail = detail;
  const QString title = detail.title.isEmpty() ? detail.categoryName : detail.title;
  QString flags;
  if (detail.supervised)
    flags += QStringLiteral(" <span style='background:#d32f2f;color:white;padding:0 4px'>%1</span>").arg(tr("Supervised"));
  if (detail.priority != QLatin1String("normal"))
    flags += QStringLiteral(" <span style='background:#ef6c00;color:white;padding:0 4px'>%1</span>").arg(priorityTitle(detail.priority).toHtmlEscaped());
  mHeading->setText(QStringLiteral("<span style='font-size:13pt;font-weight:bold'>%1</span>%2<br>%3 · <span style='color:%4;font-weight:bold'>%5</span>")
                      .arg(detail.number.toHtmlEscaped(), flags, title.toHtmlEscaped(), lightColour(detail.light),
                           CaseQueueModel::stateTitle(detail.state).toHtmlEscaped()));

  if (changedUnder && sameCase)
  {
    mNotice->setText(previousState != detail.state
                       ? tr("This case changed while you were looking at it: now %1 (was %2).")
                           .arg(CaseQueueModel::stateTitle(detail.state), CaseQueueModel::stateTitle(previousState))
                       : tr("This case changed while you were looking at it; shown as it is now."));
    mNotice->show();
  }
  else
  {
    mNotice->hide();
  }

  QString html = QStringLiteral("<table cellspacing=2>");
  auto row = [&html](const QString &label, const QString &value) {
    if (!value.isEmpty())
      html += QStringLiteral("<tr><td style='color:#8a8f98;padding-right:10px'>%1</td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value);
  };
  row(tr("Category"), QStringLiteral("%1 %2 · %3").arg(detail.category, detail.categoryName.toHtmlEscaped(), detail.familyName.toHtmlEscaped()));
  row(tr("Source"), CaseQueueModel::sourceTitle(detail.source).toHtmlEscaped());
  row(tr("Reported"), minuteText(detail.reportedAt));
  row(tr("Where"), QStringLiteral("%1<br><a href='grid:%2'>%3</a>").arg(detail.address.toHtmlEscaped(), detail.grid, detail.gridPath.toHtmlEscaped()));
  if (!detail.description.isEmpty())
    row(tr("Description"), detail.description.toHtmlEscaped());
  QStringList reporters;
  for (const ReporterView &reporter : detail.reporters)
    if (!reporter.name.isEmpty() || !reporter.phone.isEmpty())
      reporters << QStringLiteral("%1 %2%3").arg(reporter.name.toHtmlEscaped(), reporter.phone.toHtmlEscaped(),
                                                   reporter.caseNumber != detail.number ? QStringLiteral(" (%1)").arg(reporter.caseNumber) : QString());
  // Masked for a seat without personal.view (the service masked them); one with
  // personal.unmask may reveal them with a reason, which the audit trail records.
  if (!reporters.isEmpty() && detail.mayUnmask)
    reporters << QStringLiteral("<a href='unmask:%1'>%2</a>").arg(detail.number, tr("Show in full…").toHtmlEscaped());
  else if (!reporters.isEmpty() && detail.reportersMasked)
    reporters << QStringLiteral("<span style='color:#8a8f98'>%1</span>").arg(tr("(masked: personal data)").toHtmlEscaped());
  row(tr("Reporters"), reporters.join(QStringLiteral("<br>")));
  row(tr("Lead department"), detail.leadDepartmentName.toHtmlEscaped());
  row(tr("Assisting"), detail.assistingNames.join(QStringLiteral("、")).toHtmlEscaped());
  row(tr("Grid worker"), detail.workerName.toHtmlEscaped());
  if (detail.deadline.isValid())
    row(tr("Deadline"), QStringLiteral("<span style='color:%1;font-weight:bold'>%2</span> (%3)")
                          .arg(lightColour(detail.light), minuteText(detail.deadline),
                               CaseQueueModel::remainingText(detail.deadline, QDateTime::currentDateTime()).toHtmlEscaped()));
  if (detail.urgeCount > 0)
    row(tr("Urged"), tr("%n time(s)", nullptr, detail.urgeCount));
  if (detail.reworkCount > 0)
    row(tr("Reworked"), tr("%n time(s)", nullptr, detail.reworkCount));
  if (!detail.satisfaction.isEmpty())
    row(tr("Satisfaction"), satisfactionTitle(detail.satisfaction).toHtmlEscaped());
  if (!detail.mergedInto.isEmpty())
    row(tr("Merged into"), QStringLiteral("<a href='case:%1'>%1</a>").arg(detail.mergedInto));
  html += QStringLiteral("</table>");
  mSummary->setHtml(html);
  showOrderStatus(detail);

  // Another case starts at its newest entry; the same case, reloaded, keeps the place the
  // operator scrolled to (the end when they were there).
  if (!sameCase)
    mFollowNewest = true;
  const int keptScroll = mTimeline->verticalScrollBar()->value();
  mTimeline->clear();
  QList<QTreeWidgetItem *> items;
  for (const TimelineEntry &entry : detail.timeline)
  {
    const QString states = entry.from == entry.to ? CaseQueueModel::stateTitle(entry.to)
                                                  : QStringLiteral("%1 → %2").arg(CaseQueueModel::stateTitle(entry.from), CaseQueueModel::stateTitle(entry.to));
    QString details = entry.details;
    if (!entry.note.isEmpty())
      details = details.isEmpty() ? entry.note : details + QStringLiteral("; ") + entry.note;
    auto *item = new QTreeWidgetItem({minuteText(entry.at), actionTitle(entry.action), entry.actor, states, details});
    item->setToolTip(4, details);
    items << item;
  }
  mTimeline->addTopLevelItems(items);
  for (int column = 0; column < 4; ++column)
    mTimeline->resizeColumnToContents(column);
  mTimeline->doItemsLayout(); // the scroll range as filled, before placing the view in it
  QScrollBar *scroll = mTimeline->verticalScrollBar();
  scroll->setValue(mFollowNewest ? scroll->maximum() : keptScroll);
  updateButtons();
}

void CaseDetailPanel::updateButtons()
{
  // A button does what its action does (the window enables the actions for the selection);
  // a disabled one says why when pointed at.
  for (auto it = mButtons.constBegin(); it != mButtons.constEnd(); ++it)
  {
    QAction *action = mActions.value(it.key());
    QToolButton *button = it.value();
    const bool enabled = action && action->isEnabled();
    button->setEnabled(enabled);
    QString tip;
    if (enabled)
      tip = action->toolTip();
    else if (!hasCase())
      tip = tr("%1: select a case first.").arg(button->text());
    else if (const QString reason = mDetail.refusals.value(it.key()); !reason.isEmpty())
      tip = tr("%1: %2.").arg(button->text(), reason);
    else
      tip = tr("%1 takes one case at a time: select only this case in the queue.").arg(button->text());
    button->setToolTip(tip);
  }
}

QStringList CaseDetailPanel::enabledSteps() const
{
  QStringList out;
  for (auto it = mButtons.begin(); it != mButtons.end(); ++it)
    if (it.value()->isEnabled())
      out << it.key();
  out.sort();
  return out;
}

QStringList CaseDetailPanel::timelineTexts() const
{
  QStringList out;
  for (int i = 0; i < mTimeline->topLevelItemCount(); ++i)
  {
    const QTreeWidgetItem *item = mTimeline->topLevelItem(i);
    QStringList cells;
    for (int column = 0; column < item->columnCount(); ++column)
      cells << item->text(column);
    out << cells.join(QStringLiteral(" | "));
  }
  return out;
}

// ---- order status ----------------------------------------------------------------------------

namespace {

QString orderKindTitle(const QString &kind)
{
  if (kind == QLatin1String("urge"))
    return CaseDetailPanel::tr("Urge order");
  if (kind == QLatin1String("alert"))
    return CaseDetailPanel::tr("Alert");
  return CaseDetailPanel::tr("Assignment order");
}

QString noticeKindTitle(const QString &kind)
{
  if (kind == QLatin1String("urge"))
    return CaseDetailPanel::tr("Urge notice");
  if (kind == QLatin1String("supervise"))
    return CaseDetailPanel::tr("Supervision notice");
  if (kind == QLatin1String("emergency"))
    return CaseDetailPanel::tr("Emergency notice");
  return CaseDetailPanel::tr("Dispatch notice");
}

QString shortTime(const QDateTime &at)
{
  return at.toString(QStringLiteral("MM-dd HH:mm:ss"));
}

} // namespace

void CaseDetailPanel::setUpOrderStatus(QBoxLayout *layout)
{
  // Whether the dispatch reached anyone: each order with its terminal's acknowledgement and
  // each department notice with who acknowledged it. Links record a department's
  // acknowledgement on its behalf.
  mOrderStatus = new QLabel(this);
  mOrderStatus->setObjectName(QStringLiteral("orderStatus"));
  mOrderStatus->setWordWrap(true);
  mOrderStatus->setTextFormat(Qt::RichText);
  mOrderStatus->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard | Qt::TextSelectableByMouse);
  mOrderStatus->setStyleSheet(QStringLiteral("QLabel { border:1px solid palette(mid); border-radius:3px; padding:4px }"));
  connect(mOrderStatus, &QLabel::linkActivated, this, [this](const QString &link) {
    if (!link.startsWith(QLatin1String("ack:")))
      return;
    const qint64 id = link.mid(4).toLongLong();
    for (const NoticeStatusView &notice : mDetail.notices)
      if (notice.id == id)
        emit noticeAcknowledgementRequested(id, notice.departmentName);
  });
  layout->addWidget(mOrderStatus);
}

void CaseDetailPanel::showOrderStatus(const CaseDetail &detail)
{
  QStringList lines;
  const QString ok = QStringLiteral("<span style='color:#2e7d32;font-weight:bold'>%1</span>");
  const QString waiting = QStringLiteral("<span style='color:#b26a00;font-weight:bold'>%1</span>");
  const QString bad = QStringLiteral("<span style='color:#c62828;font-weight:bold'>%1</span>");
  if (!detail.workerId.isEmpty() && detail.workerReach.terminals == 0)
    lines << bad.arg(tr("Grid worker %1 carries no terminal: no order reaches them. Tell them by phone.")
                       .arg(detail.workerName).toHtmlEscaped());
  for (const OrderStatusView &order : detail.orders)
  {
    QString state;
    if (order.ackedAt.isValid())
      state = ok.arg(tr("delivered and acknowledged by the terminal %1").arg(shortTime(order.ackedAt)).toHtmlEscaped());
    else if (order.terminalOnline)
      state = waiting.arg(tr("not yet acknowledged (terminal online)").toHtmlEscaped());
    else
      state = bad.arg(tr("not delivered: the terminal is offline; it gets the order when it reconnects").toHtmlEscaped());
    lines << tr("%1 → %2 (terminal %3): sent %4 · %5")
               .arg(orderKindTitle(order.kind).toHtmlEscaped(), order.workerName.toHtmlEscaped(), order.device.toHtmlEscaped(),
                    shortTime(order.sentAt), state);
  }
  for (const NoticeStatusView &notice : detail.notices)
  {
    const QString state =
      notice.acknowledgedAt.isValid()
        ? ok.arg(tr("acknowledged by %1 %2").arg(notice.acknowledgedBy, shortTime(notice.acknowledgedAt)).toHtmlEscaped())
        : waiting.arg(tr("not yet acknowledged").toHtmlEscaped()) +
            QStringLiteral(" <a href='ack:%1'>%2</a>").arg(notice.id).arg(tr("record acknowledgement…").toHtmlEscaped());
    lines << tr("%1 → %2: sent %3 · %4")
               .arg(noticeKindTitle(notice.kind).toHtmlEscaped(), notice.departmentName.toHtmlEscaped(), shortTime(notice.sentAt), state);
  }
  if (lines.isEmpty())
  {
    mOrderStatus->clear();
    mOrderStatus->hide();
    return;
  }
  mOrderStatus->setText(QStringLiteral("<b>%1</b><br>%2").arg(tr("Orders and notices").toHtmlEscaped(), lines.join(QStringLiteral("<br>"))));
  mOrderStatus->show();
}

QString CaseDetailPanel::orderStatusText() const
{
  if (mOrderStatus->isHidden())
    return QString();
  QTextDocument document;
  document.setHtml(mOrderStatus->text());
  return document.toPlainText();
}

QString CaseDetailPanel::notice() const
{
  return mNotice->isHidden() ? QString() : mNotice->text();
}

} // namespace gd::console
