#include "console/casedetailpanel.h"

#include "console/casequeuemodel.h"

#include <QAction>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gd::console {

namespace {

// The order in which step buttons appear: the main line first, then the exceptions.
const char *const kStepOrder[] = {"dispatch", "register", "accept", "assign", "start_handling", "arrive", "feedback",
                                  "close", "visit", "archive", "return", "escalate", "extend", "park", "resume",
                                  "merge", "rework", "supervise", "urge", "note", "void"};

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
  layout->addWidget(mTimeline, 1);
  clear();
}

void CaseDetailPanel::setStepActions(const QHash<QString, QAction *> &actions)
{
  mActions = actions;
  qDeleteAll(mButtons);
  mButtons.clear();
  for (const char *name : kStepOrder)
  {
    QAction *action = mActions.value(QString::fromLatin1(name));
    if (!action)
      continue;
    auto *button = new QToolButton(mButtonRow);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setObjectName(QStringLiteral("step_%1").arg(QString::fromLatin1(name)));
    mButtons.insert(QString::fromLatin1(name), button);
  }
  updateButtons();
}

void CaseDetailPanel::clear()
{
  mDetail = CaseDetail();
  mHeading->setText(tr("<i>No case selected. Pick one in the queue, on the map or by its number.</i>"));
  mNotice->hide();
  mSummary->clear();
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
  const QLocale locale;
  row(tr("Category"), QStringLiteral("%1 %2 · %3").arg(detail.category, detail.categoryName.toHtmlEscaped(), detail.familyName.toHtmlEscaped()));
  row(tr("Source"), CaseQueueModel::sourceTitle(detail.source).toHtmlEscaped());
  row(tr("Reported"), locale.toString(detail.reportedAt, QLocale::ShortFormat));
  row(tr("Where"), QStringLiteral("%1<br><a href='grid:%2'>%3</a>").arg(detail.address.toHtmlEscaped(), detail.grid, detail.gridPath.toHtmlEscaped()));
  if (!detail.description.isEmpty())
    row(tr("Description"), detail.description.toHtmlEscaped());
  QStringList reporters;
  for (const ReporterView &reporter : detail.reporters)
    if (!reporter.name.isEmpty() || !reporter.phone.isEmpty())
      reporters << QStringLiteral("%1 %2%3").arg(reporter.name.toHtmlEscaped(), reporter.phone.toHtmlEscaped(),
                                                   reporter.caseNumber != detail.number ? QStringLiteral(" (%1)").arg(reporter.caseNumber) : QString());
  row(tr("Reporters"), reporters.join(QStringLiteral("<br>")));
  row(tr("Lead department"), detail.leadDepartmentName.toHtmlEscaped());
  row(tr("Assisting"), detail.assistingNames.join(QStringLiteral("、")).toHtmlEscaped());
  row(tr("Grid worker"), detail.workerName.toHtmlEscaped());
  if (detail.deadline.isValid())
    row(tr("Deadline"), QStringLiteral("<span style='color:%1;font-weight:bold'>%2</span> (%3)")
                          .arg(lightColour(detail.light), locale.toString(detail.deadline, QLocale::ShortFormat),
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

  mTimeline->clear();
  QList<QTreeWidgetItem *> items;
  for (const TimelineEntry &entry : detail.timeline)
  {
    const QString states = entry.from == entry.to ? CaseQueueModel::stateTitle(entry.to)
                                                  : QStringLiteral("%1 → %2").arg(CaseQueueModel::stateTitle(entry.from), CaseQueueModel::stateTitle(entry.to));
    QString details = entry.details;
    if (!entry.note.isEmpty())
      details = details.isEmpty() ? entry.note : details + QStringLiteral("; ") + entry.note;
    auto *item = new QTreeWidgetItem({locale.toString(entry.at, QLocale::ShortFormat), actionTitle(entry.action), entry.actor, states, details});
    item->setToolTip(4, details);
    items << item;
  }
  mTimeline->addTopLevelItems(items);
  for (int column = 0; column < 4; ++column)
    mTimeline->resizeColumnToContents(column);
  if (!items.isEmpty())
    mTimeline->scrollToItem(items.last());
  updateButtons();
}

void CaseDetailPanel::updateButtons()
{
  // Only the steps allowed now, packed in the loop's order, five to a row (a dock is narrow).
  while (QLayoutItem *item = mButtonLayout->takeAt(0))
    delete item;
  int shown = 0;
  for (const char *name : kStepOrder)
  {
    QToolButton *button = mButtons.value(QString::fromLatin1(name));
    if (!button)
      continue;
    bool allowed = hasCase() && mDetail.allowedActions.contains(QString::fromLatin1(name));
    if (qstrcmp(name, "dispatch") == 0)
      allowed = hasCase() && (mDetail.allowedActions.contains(QStringLiteral("register")) ||
                              mDetail.allowedActions.contains(QStringLiteral("accept")) ||
                              mDetail.allowedActions.contains(QStringLiteral("assign")));
    button->setVisible(allowed);
    if (allowed)
    {
      mButtonLayout->addWidget(button, shown / 5, shown % 5);
      ++shown;
    }
  }
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

QStringList CaseDetailPanel::visibleSteps() const
{
  QStringList out;
  for (auto it = mButtons.begin(); it != mButtons.end(); ++it)
    if (!it.value()->isHidden())
      out << it.key();
  out.sort();
  return out;
}

QString CaseDetailPanel::notice() const
{
  return mNotice->isHidden() ? QString() : mNotice->text();
}

} // namespace gd::console
