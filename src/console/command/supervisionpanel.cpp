#include "console/command/supervisionpanel.h"

#include "console/common/readonlytable.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

namespace gd::console {

namespace {

enum CaseColumn
{
  ColNumber,
  ColCountdown,
  ColTitle,
  ColDepartment,
  ColGrid,
  ColSupervision,
  ColCount
};

//! What one reload brings back from the service thread.
struct WallLoad
{
  WallView wall;
  RankingView ranking;
  std::vector<SupervisionEntry> records;
};

} // namespace

QString countdownText(qint64 seconds)
{
  const qint64 s = seconds < 0 ? -seconds : seconds;
  const qint64 days = s / 86400;
  const qint64 hours = (s % 86400) / 3600;
  const qint64 minutes = (s % 3600) / 60;
  QString span;
  if (days > 0)
    span = SupervisionPanel::tr("%1 d %2 h").arg(days).arg(hours);
  else if (hours > 0)
    span = SupervisionPanel::tr("%1 h %2 min").arg(hours).arg(minutes);
  else
    span = SupervisionPanel::tr("%1 min %2 s").arg(minutes).arg(s % 60);
  return seconds < 0 ? SupervisionPanel::tr("overdue %1").arg(span) : SupervisionPanel::tr("%1 left").arg(span);
}

UrgeDialog::UrgeDialog(int count, bool supervise, QWidget *parent)
  : QDialog(parent)
{
  setObjectName(QStringLiteral("urgeDialog"));
  setWindowTitle(supervise ? tr("Supervise %n case(s)", nullptr, count) : tr("Urge %n case(s)", nullptr, count));
  auto *form = new QFormLayout(this);
  mOpinion = new QPlainTextEdit(this);
  mOpinion->setObjectName(QStringLiteral("opinionEdit"));
  mOpinion->setPlaceholderText(supervise ? tr("Supervision opinion, e.g. report the handling plan today")
                                         : tr("Urging opinion, e.g. handle and reply today"));
  mOpinion->setMaximumHeight(90);
  form->addRow(tr("Opinion"), mOpinion);
  auto *deadlineRow = new QHBoxLayout;
  mHasDeadline = new QCheckBox(tr("Reply by"), this);
  mHasDeadline->setObjectName(QStringLiteral("deadlineCheck"));
  mDeadline = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(4 * 3600), this);
  mDeadline->setObjectName(QStringLiteral("deadlineEdit"));
  mDeadline->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
  mDeadline->setCalendarPopup(true);
  mDeadline->setEnabled(false);
  connect(mHasDeadline, &QCheckBox::toggled, mDeadline, &QWidget::setEnabled);
  deadlineRow->addWidget(mHasDeadline);
  deadlineRow->addWidget(mDeadline, 1);
  form->addRow(tr("Deadline"), deadlineRow);
  auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(supervise ? tr("Supervise") : tr("Urge"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  form->addRow(buttons);
}

QString UrgeDialog::opinion() const
{
  return mOpinion->toPlainText().trimmed();
}

QDateTime UrgeDialog::deadline() const
{
  return mHasDeadline->isChecked() ? mDeadline->dateTime() : QDateTime();
}

void UrgeDialog::setOpinion(const QString &text)
{
  mOpinion->setPlainText(text);
}

void UrgeDialog::setDeadline(const QDateTime &at)
{
  mHasDeadline->setChecked(at.isValid());
  if (at.isValid())
    mDeadline->setDateTime(at);
}

SupervisionPanel::SupervisionPanel(CommandServiceThread *service, QWidget *parent)
  : QWidget(parent)
  , mService(service)
{
  qRegisterMetaType<std::vector<UrgeResult>>();
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  auto *scope = new QHBoxLayout;
  mTownship = new QComboBox(this);
  mTownship->setObjectName(QStringLiteral("wallTownship"));
  mTownship->addItem(tr("Whole district"), QString());
  mDepartment = new QComboBox(this);
  mDepartment->setObjectName(QStringLiteral("wallDepartment"));
  mDepartment->addItem(tr("All departments"), QString());
  mOverdueOnly = new QCheckBox(tr("Overdue only"), this);
  scope->addWidget(mTownship, 1);
  scope->addWidget(mDepartment, 1);
  scope->addWidget(mOverdueOnly);
  layout->addLayout(scope);
  for (QComboBox *combo : {mTownship, mDepartment})
    connect(combo, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &SupervisionPanel::applyFilterFromControls);
  connect(mOverdueOnly, &QCheckBox::toggled, this, &SupervisionPanel::applyFilterFromControls);

  mSummary = new QLabel(this);
  mSummary->setObjectName(QStringLiteral("wallSummary"));
  mSummary->setTextFormat(Qt::RichText);
  layout->addWidget(mSummary);

  // The alarm: overdue cases of the categories supervision.conf names (火灾, 群体性事件 ...),
  // blinking until the operator acknowledges them.
  mAlarmBanner = new QWidget(this);
  mAlarmBanner->setObjectName(QStringLiteral("wallAlarm"));
  mAlarmBanner->setAutoFillBackground(true);
  auto *alarmLayout = new QHBoxLayout(mAlarmBanner);
  alarmLayout->setContentsMargins(8, 6, 8, 6);
  mAlarmText = new QLabel(mAlarmBanner);
  mAlarmText->setObjectName(QStringLiteral("wallAlarmText"));
  mAlarmText->setWordWrap(true);
  QFont alarmFont = mAlarmText->font();
  alarmFont.setBold(true);
  mAlarmText->setFont(alarmFont);
  alarmLayout->addWidget(mAlarmText, 1);
  mAcknowledge = new QPushButton(tr("Acknowledge"), mAlarmBanner);
  mAcknowledge->setObjectName(QStringLiteral("acknowledgeAlarmButton"));
  mAcknowledge->setToolTip(tr("I have seen these overdue cases: stop the alarm until another case alarms"));
  connect(mAcknowledge, &QPushButton::clicked, this, &SupervisionPanel::acknowledgeAlarms);
  alarmLayout->addWidget(mAcknowledge);
  mAlarmBanner->hide();
  layout->addWidget(mAlarmBanner);

  mTabs = new QTabWidget(this);
  layout->addWidget(mTabs, 1);

  mCases = readOnlyTable({tr("Case"), tr("Countdown"), tr("Title"), tr("Lead department"), tr("Grid"), tr("Supervision")}, this);
  mCases->setObjectName(QStringLiteral("wallCases"));
  mCases->setSelectionMode(QAbstractItemView::ExtendedSelection);
  mCases->setSortingEnabled(false);
  connect(mCases, &QTableWidget::cellDoubleClicked, this, [this](int row) {
    if (const QTableWidgetItem *cell = mCases->item(row, ColNumber))
      emit caseActivated(cell->text());
  });
  connect(mCases, &QTableWidget::itemSelectionChanged, this, [this] {
    const bool any = !selectedNumbers().isEmpty();
    mUrge->setEnabled(any);
    mSupervise->setEnabled(any);
  });
  auto *casesPage = new QWidget(this);
  auto *casesLayout = new QVBoxLayout(casesPage);
  casesLayout->setContentsMargins(0, 0, 0, 0);
  casesLayout->addWidget(mCases, 1);
  auto *actions = new QHBoxLayout;
  mUrge = new QPushButton(tr("Urge selected…"), casesPage);
  mUrge->setObjectName(QStringLiteral("urgeButton"));
  mSupervise = new QPushButton(tr("Supervise selected…"), casesPage);
  mSupervise->setObjectName(QStringLiteral("superviseButton"));
  mUrge->setEnabled(false);
  mSupervise->setEnabled(false);
  connect(mUrge, &QPushButton::clicked, this, [this] { urgeSelected(false); });
  connect(mSupervise, &QPushButton::clicked, this, [this] { urgeSelected(true); });
  actions->addWidget(mUrge);
  actions->addWidget(mSupervise);
  actions->addStretch(1);
  casesLayout->addLayout(actions);
  mTabs->addTab(casesPage, tr("Cases"));

  mByDepartment = readOnlyTable({tr("Department"), tr("Overdue")}, this);
  mByDepartment->setObjectName(QStringLiteral("wallByDepartment"));
  connect(mByDepartment, &QTableWidget::cellDoubleClicked, this, [this](int row) {
    const int index = mDepartment->findData(mByDepartment->item(row, 0)->data(Qt::UserRole));
    if (index >= 0)
    {
      mDepartment->setCurrentIndex(index);
      mTabs->setCurrentIndex(0);
    }
  });
  mTabs->addTab(mByDepartment, tr("Overdue by department"));

  auto *rankingPage = new QWidget(this);
  auto *rankingLayout = new QVBoxLayout(rankingPage);
  rankingLayout->setContentsMargins(0, 0, 0, 0);
  auto *rankingBar = new QHBoxLayout;
  mRankBy = new QComboBox(rankingPage);
  mRankBy->setObjectName(QStringLiteral("rankBy"));
  mRankBy->addItem(tr("Departments"), 0);
  mRankBy->addItem(tr("Townships"), 1);
  mPeriod = new QComboBox(rankingPage);
  mPeriod->setObjectName(QStringLiteral("rankPeriod"));
  mPeriod->addItem(tr("Today"), 1);
  mPeriod->addItem(tr("Last 7 days"), 7);
  mPeriod->addItem(tr("Last 30 days"), 30);
  mPeriod->setCurrentIndex(2);
  rankingBar->addWidget(mRankBy, 1);
  rankingBar->addWidget(mPeriod, 1);
  rankingLayout->addLayout(rankingBar);
  mRankingTable = readOnlyTable({tr("#"), tr("Name"), tr("Overdue"), tr("On-time rate"), tr("Received")}, rankingPage);
  mRankingTable->setObjectName(QStringLiteral("rankingTable"));
  rankingLayout->addWidget(mRankingTable, 1);
  auto *hint = new QLabel(tr("Double-click a row to see its cases."), rankingPage);
  hint->setEnabled(false);
  rankingLayout->addWidget(hint);
  connect(mRankingTable, &QTableWidget::cellDoubleClicked, this, [this](int row) { drillDown(row); });
  connect(mRankBy, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &SupervisionPanel::reload);
  connect(mPeriod, QOverload<int>::of(&QComboBox::currentIndexChanged), this, &SupervisionPanel::reload);
  mTabs->addTab(rankingPage, tr("Rankings"));

  mRecords = readOnlyTable({tr("Time"), tr("Case"), tr("Kind"), tr("By"), tr("Opinion"), tr("Reply by")}, this);
  mRecords->setObjectName(QStringLiteral("supervisionRecords"));
  connect(mRecords, &QTableWidget::cellDoubleClicked, this, [this](int row) {
    emit caseActivated(mRecords->item(row, 1)->text());
  });
  mTabs->addTab(mRecords, tr("Records"));

  mTicker = new QTimer(this);
  connect(mTicker, &QTimer::timeout, this, &SupervisionPanel::tickCountdowns);
  connect(mTicker, &QTimer::timeout, this, &SupervisionPanel::blinkAlarm);
  mTicker->start(1000);
  // Cases go overdue with time, not only with the store's changes: the wall (and its alarm)
  // looks again every minute.
  mPeriodic = new QTimer(this);
  connect(mPeriodic, &QTimer::timeout, this, &SupervisionPanel::reload);
  mPeriodic->start(60 * 1000);
  mReloadLater = new QTimer(this);
  mReloadLater->setSingleShot(true);
  mReloadLater->setInterval(1000);
  connect(mReloadLater, &QTimer::timeout, this, &SupervisionPanel::reload);
}

void SupervisionPanel::setAreas(const std::vector<std::pair<QString, QString>> &areas)
{
  const QSignalBlocker block(mTownship);
  while (mTownship->count() > 1)
    mTownship->removeItem(1);
  for (const auto &[code, name] : areas)
    mTownship->addItem(name, code);
}

void SupervisionPanel::setDepartments(const std::vector<std::pair<QString, QString>> &departments)
{
  const QSignalBlocker block(mDepartment);
  while (mDepartment->count() > 1)
    mDepartment->removeItem(1);
  for (const auto &[code, name] : departments)
    mDepartment->addItem(name, code);
}

WallFilter SupervisionPanel::filter() const
{
  WallFilter f;
  f.gridPrefix = mTownship->currentData().toString();
  f.department = mDepartment->currentData().toString();
  f.overdueOnly = mOverdueOnly->isChecked();
  return f;
}

void SupervisionPanel::setFilter(const WallFilter &f)
{
  {
    const QSignalBlocker a(mTownship), b(mDepartment), c(mOverdueOnly);
    int index = mTownship->findData(f.gridPrefix);
    if (index < 0)
    {
      mTownship->addItem(f.gridPrefix, f.gridPrefix);
      index = mTownship->count() - 1;
    }
    mTownship->setCurrentIndex(index);
    mDepartment->setCurrentIndex(std::max(0, mDepartment->findData(f.department)));
    mOverdueOnly->setChecked(f.overdueOnly);
  }
  reload();
}

void SupervisionPanel::applyFilterFromControls()
{
  reload();
}

void SupervisionPanel::setNow(const QDateTime &now)
{
  mNow = now;
}

QDateTime SupervisionPanel::now() const
{
  return mNow.isValid() ? mNow : QDateTime::currentDateTime();
}

void SupervisionPanel::reload()
{
  if (!mService)
    return;
  if (mLoading)
  {
    mReloadAgain = true;
    return;
  }
  mLoading = true;
  const WallFilter f = filter();
  const QDateTime at = now();
  const RankBy by = mRankBy->currentData().toInt() == 1 ? RankBy::Township : RankBy::Department;
  const int days = mPeriod->currentData().toInt();
  const QDateTime to = at;
  const QDateTime beijing = at.toTimeZone(QTimeZone(QByteArrayLiteral("Asia/Shanghai")));
  const QDateTime from = days == 1 ? beijing.date().startOfDay(beijing.timeZone()) : at.addDays(-days);
  mService->call<WallLoad>(
    [f, at, by, from, to](CommandService &service) {
      WallLoad load;
      load.wall = service.wall(f, at);
      load.ranking = service.ranking(by, from, to, f.gridPrefix);
      load.records = service.recentRecords(at.addDays(-7), 200);
      return load;
    },
    this,
    [this](WallLoad load) {
      mLoading = false;
      mView = std::move(load.wall);
      mRanking = std::move(load.ranking);
      fillCases();
      fillAlarms();
      fillRanking();
      fillRecords(load.records);
      emit reloaded();
      if (mReloadAgain)
      {
        mReloadAgain = false;
        reload();
      }
    });
}

void SupervisionPanel::storeChanged()
{
  if (!mReloadLater->isActive())
    mReloadLater->start();
}

void SupervisionPanel::fillCases()
{
  const QStringList selected = selectedNumbers();
  if (!mView.error.isEmpty())
    mSummary->setText(QStringLiteral("<span style='color:#c62828'>%1</span>").arg(mView.error.toHtmlEscaped()));
  else
    mSummary->setText(tr("<b style='color:#d32f2f'>%1 overdue</b> · <b style='color:#f9a825'>%2 due soon</b> · as of %3")
                        .arg(mView.overdue)
                        .arg(mView.yellow)
                        .arg(mView.at.toString(QStringLiteral("HH:mm:ss"))));
  mCases->setRowCount(static_cast<int>(mView.rows.size()));
  for (int row = 0; row < static_cast<int>(mView.rows.size()); ++row)
  {
    const WallRow &r = mView.rows[static_cast<size_t>(row)];
    const QColor light = r.light == QLatin1String("red") ? QColor(211, 47, 47) : QColor(249, 168, 37);
    auto *number = readOnlyCell(r.number, r.deadline);
    number->setForeground(light);
    mCases->setItem(row, ColNumber, number);
    auto *countdown = readOnlyCell(QString());
    countdown->setForeground(light);
    mCases->setItem(row, ColCountdown, countdown);
    mCases->setItem(row, ColTitle, readOnlyCell(r.title.isEmpty() || r.title == r.categoryName
                                          ? r.categoryName
                                          : QStringLiteral("%1 · %2").arg(r.categoryName, r.title)));
    mCases->setItem(row, ColDepartment,
                    readOnlyCell(r.departmentName.isEmpty() ? tr("not dispatched")
                                                    : r.workerName.isEmpty() ? r.departmentName
                                                                             : QStringLiteral("%1 / %2").arg(r.departmentName, r.workerName)));
    mCases->setItem(row, ColGrid, readOnlyCell(r.gridName));
    mCases->setItem(row, ColSupervision,
                    readOnlyCell(r.supervisionCount > 0 ? QStringLiteral("%1× %2").arg(r.supervisionCount).arg(r.lastSupervision)
                                                : QString()));
  }
  tickCountdowns();
  mCases->resizeColumnsToContents();
  selectNumbers(selected);

  mByDepartment->setRowCount(static_cast<int>(mView.byDepartment.size()));
  for (int row = 0; row < static_cast<int>(mView.byDepartment.size()); ++row)
  {
    const DepartmentLoad &load = mView.byDepartment[static_cast<size_t>(row)];
    mByDepartment->setItem(row, 0, readOnlyCell(load.name, load.department));
    mByDepartment->setItem(row, 1, readOnlyCell(QString::number(load.overdue)));
  }
}

namespace {
QString alarmKey(const WallRow &row)
{
  return row.number + QLatin1Char('@') + row.deadline.toString(Qt::ISODate);
}
} // namespace

std::vector<WallRow> SupervisionPanel::unacknowledgedAlarms() const
{
  std::vector<WallRow> out;
  for (const WallRow &row : mView.alarms)
    if (!mAcknowledged.contains(alarmKey(row)))
      out.push_back(row);
  return out;
}

QString SupervisionPanel::alarmText() const
{
  return mAlarmBanner->isHidden() ? QString() : mAlarmText->text();
}

bool SupervisionPanel::alarmShown() const
{
  return !mAlarmBanner->isHidden();
}

void SupervisionPanel::fillAlarms()
{
  const std::vector<WallRow> alarms = unacknowledgedAlarms();
  QString text;
  if (!alarms.empty())
  {
    QStringList cases;
    for (const WallRow &r : alarms)
    {
      if (cases.size() >= 5)
      {
        cases << tr("and %n more", nullptr, static_cast<int>(alarms.size()) - 5);
        break;
      }
      cases << tr("%1 %2 (%3, %4)")
                 .arg(r.categoryName, r.number, r.gridName,
                      gd::console::countdownText(now().secsTo(r.deadline)));
    }
    text = tr("ALARM: %n overdue case(s) that must not wait: %1", nullptr, static_cast<int>(alarms.size()))
             .arg(cases.join(QStringLiteral("; ")));
  }
  mAlarmText->setText(text);
  mAlarmBanner->setVisible(!alarms.empty());
  blinkAlarm();
  if (text != mAlarmShownText)
  {
    mAlarmShownText = text;
    emit alarmsChanged(static_cast<int>(alarms.size()), text);
  }
}

void SupervisionPanel::blinkAlarm()
{
  if (mAlarmBanner->isHidden())
    return;
  mBlinkOn = !mBlinkOn;
  QPalette p = mAlarmBanner->palette();
  p.setColor(QPalette::Window, mBlinkOn ? QColor(198, 40, 40) : QColor(255, 235, 238));
  p.setColor(QPalette::WindowText, mBlinkOn ? QColor(255, 255, 255) : QColor(183, 28, 28));
  mAlarmBanner->setPalette(p);
  mAlarmText->setPalette(p);
}

void SupervisionPanel::acknowledgeAlarms()
{
  const std::vector<WallRow> alarms = unacknowledgedAlarms();
  for (const WallRow &row : alarms)
    mAcknowledged.insert(alarmKey(row));
  fillAlarms();
  if (!alarms.empty())
    emit alarmsAcknowledged(static_cast<int>(alarms.size()));
}

void SupervisionPanel::fillRanking()
{
  mRankingTable->setRowCount(static_cast<int>(mRanking.rows.size()));
  for (int row = 0; row < static_cast<int>(mRanking.rows.size()); ++row)
  {
    const RankingEntry &e = mRanking.rows[static_cast<size_t>(row)];
    mRankingTable->setItem(row, 0, readOnlyCell(QString::number(row + 1)));
    mRankingTable->setItem(row, 1, readOnlyCell(e.name, e.key));
    mRankingTable->setItem(row, 2, readOnlyCell(QString::number(e.overdue)));
    mRankingTable->setItem(row, 3,
                           readOnlyCell(e.onTimeRate < 0 ? QStringLiteral("—")
                                                 : QStringLiteral("%1 % (%2/%3)")
                                                     .arg(e.onTimeRate * 100, 0, 'f', 1)
                                                     .arg(e.onTimeNumerator)
                                                     .arg(e.onTimeDenominator)));
    mRankingTable->setItem(row, 4, readOnlyCell(QString::number(e.received)));
  }
  mRankingTable->resizeColumnsToContents();
}

void SupervisionPanel::fillRecords(const std::vector<SupervisionEntry> &records)
{
  mRecords->setRowCount(static_cast<int>(records.size()));
  for (int row = 0; row < static_cast<int>(records.size()); ++row)
  {
    const SupervisionEntry &e = records[static_cast<size_t>(row)];
    mRecords->setItem(row, 0, readOnlyCell(e.at.toString(QStringLiteral("MM-dd HH:mm"))));
    mRecords->setItem(row, 1, readOnlyCell(e.number));
    mRecords->setItem(row, 2, readOnlyCell(e.kind == QLatin1String("supervise") ? tr("Supervise") : tr("Urge")));
    mRecords->setItem(row, 3, readOnlyCell(e.actor)); // in words already (CommandService)
    mRecords->setItem(row, 4, readOnlyCell(e.opinion));
    mRecords->setItem(row, 5, readOnlyCell(e.deadline.isValid() ? e.deadline.toString(QStringLiteral("MM-dd HH:mm")) : QString()));
  }
  mRecords->resizeColumnsToContents();
}

void SupervisionPanel::tickCountdowns()
{
  const QDateTime at = now();
  for (int row = 0; row < mCases->rowCount(); ++row)
  {
    const QDateTime deadline = mCases->item(row, ColNumber)->data(Qt::UserRole).toDateTime();
    if (QTableWidgetItem *cell = mCases->item(row, ColCountdown))
    {
      const qint64 left = at.secsTo(deadline);
      cell->setText(gd::console::countdownText(left));
      // A yellow case turns red on screen the second it passes its deadline.
      if (left < 0)
      {
        cell->setForeground(QColor(211, 47, 47));
        mCases->item(row, ColNumber)->setForeground(QColor(211, 47, 47));
      }
    }
  }
}

QString SupervisionPanel::countdownText(int row) const
{
  const QTableWidgetItem *cell = mCases->item(row, ColCountdown);
  return cell ? cell->text() : QString();
}

QStringList SupervisionPanel::selectedNumbers() const
{
  QStringList numbers;
  for (const QModelIndex &index : mCases->selectionModel()->selectedRows(ColNumber))
    numbers << mCases->item(index.row(), ColNumber)->text();
  return numbers;
}

void SupervisionPanel::selectNumbers(const QStringList &numbers)
{
  mCases->clearSelection();
  for (int row = 0; row < mCases->rowCount(); ++row)
    if (numbers.contains(mCases->item(row, ColNumber)->text()))
      mCases->selectionModel()->select(mCases->model()->index(row, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void SupervisionPanel::setRankingByTownship(bool township)
{
  mRankBy->setCurrentIndex(township ? 1 : 0);
}

void SupervisionPanel::drillDown(int row)
{
  if (row < 0 || row >= static_cast<int>(mRanking.rows.size()))
    return;
  WallFilter f = filter();
  const QString key = mRanking.rows[static_cast<size_t>(row)].key;
  if (mRankBy->currentData().toInt() == 1)
    f.gridPrefix = key;
  else
    f.department = key;
  mTabs->setCurrentIndex(0);
  setFilter(f);
}

void SupervisionPanel::setAllowed(bool supervise, bool figures)
{
  mMaySupervise = supervise;
  for (QPushButton *button : {mUrge, mSupervise, mAcknowledge})
    button->setVisible(supervise);
  const int rankings = mTabs->indexOf(mRankingTable->parentWidget());
  if (rankings >= 0)
    mTabs->setTabVisible(rankings, figures);
}

bool SupervisionPanel::urgeSelected(bool supervise, const std::optional<QString> &opinion, const QDateTime &deadline)
{
  if (!mMaySupervise)
    return false;
  const QStringList numbers = selectedNumbers();
  if (numbers.isEmpty() || !mService)
    return false;
  UrgeRequestView request;
  request.numbers = numbers;
  request.supervise = supervise;
  if (opinion)
  {
    request.opinion = *opinion;
    request.deadline = deadline;
  }
  else
  {
    UrgeDialog dialog(numbers.size(), supervise, this);
    emit urgeDialogOpened(&dialog);
    if (dialog.exec() != QDialog::Accepted)
      return false;
    request.opinion = dialog.opinion();
    request.deadline = dialog.deadline();
  }
  const QDateTime at = now();
  mService->call<std::vector<UrgeResult>>(
    [request, at](CommandService &service) { return service.urge(request, at); }, this,
    [this](std::vector<UrgeResult> results) {
      emit urged(results);
      reload();
    });
  return true;
}

} // namespace gd::console
