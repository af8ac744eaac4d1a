#include "console/field/fieldcontroller.h"

#include "console/dispatch/casequeuemodel.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/session/embeddedgateway.h"
#include "console/session/storewatcher.h"
#include "map/workerlayer.h"

#include <qgsrectangle.h>
#include <qgsvectorlayer.h>

#include <QDateTime>
#include <QDockWidget>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

namespace gd::console {

namespace {

QString workerStatusTitle(map::WorkerPin::Status status)
{
  switch (status)
  {
    case map::WorkerPin::Status::Online:
      return FieldController::tr("online");
    case map::WorkerPin::Status::Stationary:
      return FieldController::tr("stationary");
    case map::WorkerPin::Status::Offline:
      return FieldController::tr("offline");
  }
  return QString();
}

QString beijingTime(const QDateTime &at)
{
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
  return at.toTimeZone(beijing).toString(QStringLiteral("HH:mm:ss"));
}

} // namespace

FieldController::FieldController(QMainWindow *window, ConsoleSession *session, MapViewController *map, const CaseQueueModel *queue)
  : QObject(nullptr)
  , mSession(session)
  , mMap(map)
  , mQueue(queue)
{
  mFeedLabel = new QLabel(tr("Feed: not connected"), window);
  mFeedLabel->setObjectName(QStringLiteral("feedStatus"));

  mWorkersDock = new QDockWidget(tr("Field workers"), window);
  mWorkersDock->setObjectName(QStringLiteral("workersDock"));
  mWorkersTable = new QTableWidget(0, 4, mWorkersDock);
  mWorkersTable->setObjectName(QStringLiteral("workersTable"));
  mWorkersTable->setHorizontalHeaderLabels({tr("Worker"), tr("Grid"), tr("Status"), tr("Last fix")});
  mWorkersTable->verticalHeader()->hide();
  mWorkersTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
  mWorkersTable->setSelectionBehavior(QAbstractItemView::SelectRows);
  mWorkersTable->horizontalHeader()->setStretchLastSection(true);
  mWorkersTable->setSortingEnabled(true);
  connect(mWorkersTable, &QTableWidget::cellActivated, this, [this](int row, int) {
    const double lon = mWorkersTable->item(row, 0)->data(Qt::UserRole).toDouble();
    const double lat = mWorkersTable->item(row, 0)->data(Qt::UserRole + 1).toDouble();
    if (mMap->workerLayer())
      mMap->zoomToLayerExtent(mMap->workerLayer()->layer(), QgsRectangle(lon, lat, lon, lat), 5000);
  });
  mWorkersDock->setWidget(mWorkersTable);

  mFeedDock = new QDockWidget(tr("Feed monitor"), window);
  mFeedDock->setObjectName(QStringLiteral("feedDock"));
  auto *feedWidget = new QWidget(mFeedDock);
  auto *feedLayout = new QVBoxLayout(feedWidget);
  feedLayout->setContentsMargins(4, 4, 4, 4);
  mFeedSummary = new QLabel(tr("No field gateway in this console."), feedWidget);
  mFeedSummary->setObjectName(QStringLiteral("feedSummary"));
  mFeedSummary->setWordWrap(true);
  mFeedLog = new QListWidget(feedWidget);
  mFeedLog->setObjectName(QStringLiteral("feedLog"));
  connect(mFeedLog, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
    const QString number = item->data(Qt::UserRole).toString();
    if (!number.isEmpty())
      emit caseActivated(number);
  });
  feedLayout->addWidget(mFeedSummary);
  feedLayout->addWidget(mFeedLog, 1);
  mFeedDock->setWidget(feedWidget);

  connect(session, &ConsoleSession::gatewayStarted, this, &FieldController::updateFeedStatus);
  mTimer = new QTimer(this);
  connect(mTimer, &QTimer::timeout, this, &FieldController::updateFeedStatus);
  mTimer->start(1000);
}

void FieldController::setFeedStatus(const QString &text)
{
  mFeedLabel->setText(text);
}

void FieldController::addLogEntry(const QString &text, const QString &number)
{
  auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(beijingTime(QDateTime::currentDateTimeUtc()), text));
  item->setData(Qt::UserRole, number);
  mFeedLog->insertItem(0, item);
  while (mFeedLog->count() > 300)
    delete mFeedLog->takeItem(mFeedLog->count() - 1);
}

void FieldController::applyChanges(const StoreChanges &changes)
{
  for (const CaseQueueRow &row : changes.rows)
  {
    const int known = mQueue->rowOf(row.number);
    if (known < 0)
      addLogEntry(tr("new case %1 · %2 · %3").arg(row.number, CaseQueueModel::sourceTitle(row.source), row.category), row.number);
    else if (mQueue->row(known).state != row.state)
      addLogEntry(tr("%1 → %2").arg(row.number, CaseQueueModel::stateTitle(row.state)), row.number);
  }
  for (const QString &number : changes.closedCases)
    addLogEntry(tr("%1 left the open queue").arg(number), number);
  updateWorkers(changes);
}

void FieldController::updateWorkers(const StoreChanges &changes)
{
  if (changes.workers.empty())
    return;
  mWorkersTable->setSortingEnabled(false);
  QHash<QString, int> rowOf;
  for (int row = 0; row < mWorkersTable->rowCount(); ++row)
    rowOf.insert(mWorkersTable->item(row, 0)->data(Qt::UserRole + 2).toString(), row);
  for (const map::WorkerPin &worker : changes.workers)
  {
    int row = rowOf.value(worker.workerId, -1);
    if (row < 0)
    {
      row = mWorkersTable->rowCount();
      mWorkersTable->insertRow(row);
      for (int column = 0; column < 4; ++column)
        mWorkersTable->setItem(row, column, new QTableWidgetItem);
      rowOf.insert(worker.workerId, row);
    }
    QTableWidgetItem *name = mWorkersTable->item(row, 0);
    name->setText(worker.name);
    name->setData(Qt::UserRole, worker.lon);
    name->setData(Qt::UserRole + 1, worker.lat);
    name->setData(Qt::UserRole + 2, worker.workerId);
    name->setToolTip(worker.phone);
    mWorkersTable->item(row, 1)->setText(worker.grid);
    mWorkersTable->item(row, 2)->setText(workerStatusTitle(worker.status));
    mWorkersTable->item(row, 2)->setForeground(worker.status == map::WorkerPin::Status::Offline ? QColor(150, 150, 150)
                                               : worker.status == map::WorkerPin::Status::Online ? QColor(46, 125, 50)
                                                                                                : QColor(200, 130, 0));
    mWorkersTable->item(row, 3)->setText(beijingTime(QDateTime::fromSecsSinceEpoch(worker.lastFix)));
  }
  mWorkersTable->setSortingEnabled(true);
}

void FieldController::updateFeedStatus()
{
  EmbeddedGateway *gateway = mSession->gateway();
  if (!gateway)
    return;
  // Stored frames and duplicates apart: frames answered dup are dropped, and a feed of nothing
  // but duplicates (a terminal behind the store's seq) must not read as a healthy one.
  const FeedHealth health = gateway->health();
  mFeedLabel->setText(tr("Feed :%1 — %n terminal(s) online · stored %2 frames/s · duplicates %3/s · ack lag %4 ms", nullptr,
                         static_cast<int>(health.terminalsOnline))
                        .arg(gateway->port())
                        .arg(health.storedPerSecond, 0, 'f', 0)
                        .arg(health.duplicatesPerSecond, 0, 'f', 0)
                        .arg(health.ackLagMs, 0, 'f', 1));
  const bool nothingStored = health.duplicatesPerSecond > 0 && health.storedPerSecond < 0.5;
  // A full disk first: while it lasts nothing at all is acknowledged (issue 14).
  const QString warning =
    health.diskFull ? tr("DISK FULL: the store's disk is full; nothing is acknowledged until space is freed")
    : nothingStored ? tr("Terminals send only frames the store already holds: nothing new is stored")
                    : QString();
  mFeedLabel->setToolTip(warning);
  mFeedLabel->setStyleSheet(health.diskFull || nothingStored ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
  mFeedSummary->setText(tr("Gateway %1:%2 · %n terminal(s) online\nStored: %3 frames/s, %L4 since start · "
                           "duplicates (not stored): %5 frames/s, %L6 since start · rejected: %L7 · ack lag %8 ms",
                           nullptr, static_cast<int>(health.terminalsOnline))
                          .arg(gateway->host())
                          .arg(gateway->port())
                          .arg(health.storedPerSecond, 0, 'f', 0)
                          .arg(health.framesStored)
                          .arg(health.duplicatesPerSecond, 0, 'f', 0)
                          .arg(health.duplicates)
                          .arg(health.rejects)
                          .arg(health.ackLagMs, 0, 'f', 1)
                        + (warning.isEmpty() ? QString() : QStringLiteral("\n") + warning));
  mFeedSummary->setStyleSheet(mFeedLabel->styleSheet());
}

} // namespace gd::console
