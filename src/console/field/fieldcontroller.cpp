#include "console/field/fieldcontroller.h"

#include "console/dispatch/casequeuemodel.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/session/embeddedgateway.h"
#include "console/session/storewatcher.h"
#include "map/workerlayer.h"

#include <qgsrectangle.h>
#include <qgsvectorlayer.h>

#include <QColor>
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

#include <algorithm>

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
  const QDateTime local = at.toTimeZone(beijing);
  // A time of another day says its day: a gateway silent since yesterday is not "since 10:00".
  if (local.date() != QDateTime::currentDateTimeUtc().toTimeZone(beijing).date())
    return local.toString(QStringLiteral("MM-dd HH:mm:ss"));
  return local.toString(QStringLiteral("HH:mm:ss"));
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
  // Every gateway of the center (the heartbeats in the store), this console's own included: a
  // dock of its own beside the feed monitor, so neither squeezes the other.
  mGatewaysDock = new QDockWidget(tr("Gateways"), window);
  mGatewaysDock->setObjectName(QStringLiteral("gatewaysDock"));
  mGatewaysTable = new QTableWidget(0, 5, mGatewaysDock);
  mGatewaysTable->setObjectName(QStringLiteral("feedGateways"));
  mGatewaysTable->setHorizontalHeaderLabels({tr("Gateway"), tr("State"), tr("Terminals"), tr("Stored/s"), tr("Ack lag")});
  mGatewaysTable->verticalHeader()->hide();
  mGatewaysTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
  mGatewaysTable->setSelectionBehavior(QAbstractItemView::SelectRows);
  mGatewaysTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  for (int column = 1; column < 5; ++column)
    mGatewaysTable->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
  mGatewaysDock->setWidget(mGatewaysTable);
  feedLayout->addWidget(mFeedSummary);
  feedLayout->addWidget(mFeedLog, 1);
  mFeedDock->setWidget(feedWidget);

  connect(session, &ConsoleSession::servicesReady, this, [this] {
    // A store opened (again): its roster, read on a thread and connection of its own.
    mRoster = std::make_unique<GatewayRosterThread>(mSession->storePath());
    mRoll = GatewayRoll();
    mRosterPending = false;
    readGateways();
  });
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

void FieldController::readGateways()
{
  if (!mRoster || mRosterPending)
    return; // one read at a time: a slow database is not asked again meanwhile
  mRosterPending = true;
  mRoster->call<GatewayRoll>([](GatewayRosterService &service) { return service.read(); }, this,
                             [this](GatewayRoll roll) {
                               mRosterPending = false;
                               showGateways(std::move(roll));
                             });
}

void FieldController::showGateways(GatewayRoll roll)
{
  if (!roll.read)
    return; // the store did not answer: the last roll stands (the session says the store is unreachable)
  mRoll = std::move(roll);
  const QString own = mSession->gateway() ? mSession->gateway()->instance() : QString();
  mGatewaysTable->setRowCount(static_cast<int>(mRoll.gateways.size()));
  int row = 0;
  for (const GatewayRow &gateway : mRoll.gateways)
  {
    const bool mine = gateway.instance == own;
    const QString name = QStringLiteral("%1 · %2").arg(gateway.host, gateway.listen) +
                         (mine ? QStringLiteral(" ") + tr("(this console)") : QString());
    QString state;
    QColor colour(46, 125, 50);
    if (!gateway.stoppedAt.isNull())
    {
      state = tr("stopped %1").arg(beijingTime(gateway.stoppedAt));
      colour = QColor(120, 120, 120);
    }
    else if (!gateway.live)
    {
      state = tr("silent since %1").arg(beijingTime(gateway.seenAt));
      colour = QColor(198, 40, 40);
    }
    else if (gateway.storeDown)
    {
      state = tr("store down");
      colour = QColor(198, 40, 40);
    }
    else
      state = tr("running");
    const QStringList cells = {name, state, QString::number(gateway.live ? gateway.terminalsOnline : 0),
                               gateway.live ? QString::number(gateway.storedPerSecond, 'f', 0) : QStringLiteral("—"),
                               gateway.live ? tr("%1 ms").arg(gateway.ackLagMs, 0, 'f', 1) : QStringLiteral("—")};
    for (int column = 0; column < cells.size(); ++column)
    {
      auto *item = mGatewaysTable->item(row, column);
      if (!item)
      {
        item = new QTableWidgetItem;
        mGatewaysTable->setItem(row, column, item);
      }
      item->setText(cells[column]);
      item->setToolTip(column == 0 ? tr("Running since %1; last heard %2").arg(beijingTime(gateway.startedAt), beijingTime(gateway.seenAt))
                                   : QString());
      item->setTextAlignment(column >= 2 ? int(Qt::AlignRight | Qt::AlignVCenter) : int(Qt::AlignLeft | Qt::AlignVCenter));
      if (column == 1)
        item->setForeground(colour);
    }
    ++row;
  }
  updateFeedStatus();
  emit gatewaysShown();
}

bool FieldController::showCenterFeed()
{
  // The embedded gateway's own line while it is the only one serving this store.
  const QString own = mSession->gateway() ? mSession->gateway()->instance() : QString();
  int live = 0;
  qint64 terminals = 0;
  double stored = 0, lag = 0;
  QStringList silent, down;
  bool others = false;
  for (const GatewayRow &gateway : mRoll.gateways)
  {
    if (!gateway.stoppedAt.isNull())
      continue;
    const QString name = QStringLiteral("%1 · %2").arg(gateway.host, gateway.listen);
    if (!gateway.live)
    {
      silent << tr("%1 (since %2)").arg(name, beijingTime(gateway.seenAt));
      continue;
    }
    ++live;
    others = others || gateway.instance != own;
    terminals += gateway.terminalsOnline;
    stored += gateway.storedPerSecond;
    lag = std::max(lag, gateway.ackLagMs);
    if (gateway.storeDown)
      down << name;
  }
  if (!own.isEmpty() && !others && silent.isEmpty())
    return false;
  if (!mRoll.read)
    return !own.isEmpty() ? false : true;
  if (live == 0 && silent.isEmpty())
  {
    mFeedLabel->setText(tr("Feed: no gateway is running on this store"));
    mFeedLabel->setToolTip(QString());
    mFeedLabel->setStyleSheet(QString());
    return true;
  }
  mFeedLabel->setText(tr("Feed: %n gateway(s) — terminals online: %1 · stored %2 frames/s · ack lag up to %3 ms", nullptr, live)
                        .arg(terminals)
                        .arg(stored, 0, 'f', 0)
                        .arg(lag, 0, 'f', 1));
  QStringList warnings;
  if (!silent.isEmpty())
    warnings << tr("Silent gateways (no heartbeat; their terminals may be cut off): %1").arg(silent.join(QStringLiteral(", ")));
  if (!down.isEmpty())
    warnings << tr("Gateways that cannot write to the store (nothing is acknowledged there): %1").arg(down.join(QStringLiteral(", ")));
  mFeedLabel->setToolTip(warnings.join(QStringLiteral("\n")));
  mFeedLabel->setStyleSheet(warnings.isEmpty() ? QString() : QStringLiteral("color: #c62828; font-weight: bold;"));
  return true;
}

void FieldController::updateFeedStatus()
{
  if (++mTicks % 2 == 0)
    readGateways();
  const bool center = showCenterFeed();
  EmbeddedGateway *gateway = mSession->gateway();
  if (!gateway)
    return;
  // Stored frames and duplicates apart: frames answered dup are dropped, and a feed of nothing
  // but duplicates (a terminal behind the store's seq) must not read as a healthy one.
  const FeedHealth health = gateway->health();
  if (!center)
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
  if (!center)
  {
    mFeedLabel->setToolTip(warning);
    mFeedLabel->setStyleSheet(health.diskFull || nothingStored ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
  }
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
  mFeedSummary->setStyleSheet(health.diskFull || nothingStored ? QStringLiteral("color: #c62828; font-weight: bold;") : QString());
}

} // namespace gd::console
