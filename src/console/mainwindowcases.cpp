// The main window's case work: the step actions and their shortcuts, the case detail dock,
// selection kept in step across queue, map and detail, intake, bulk steps, the worker and
// feed docks, the help overlay, themes and per-operator layouts.
#include "console/mainwindow.h"

#include "ui_mainwindowbase.h"

#include "console/actiondialog.h"
#include "console/casedetailpanel.h"
#include "console/casequeuefilter.h"
#include "console/casequeuemodel.h"
#include "console/helpoverlay.h"
#include "console/intakedialog.h"
#include "console/queuefilterbar.h"
#include "console/storewatcher.h"
#include "console/theme.h"
#include "console/windowfit.h"
#include "map/identifytool.h"
#include "map/poilayers.h"
#include "map/workerlayer.h"

#include <qgscoordinatetransform.h>
#include <qgsexpression.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsmapcanvas.h>
#include <qgsmaptoolemitpoint.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>
#include <qgsvertexmarker.h>

#include <QActionGroup>
#include <QCloseEvent>
#include <QDockWidget>
#include <QGuiApplication>
#include <QHeaderView>
#include <QScreen>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>
#include <QToolBar>

#include <map>
#include <mutex>

namespace gd::console {

namespace {

struct StepSpec
{
  const char *name;
  QKeySequence shortcut;
  bool bulk; //!< offered on several selected cases at once
};

// The main line on Ctrl+digits in the order of the loop; the exceptions on Ctrl+Shift+letter.
const std::vector<StepSpec> &stepSpecs()
{
  static const std::vector<StepSpec> specs{
    {"dispatch", QKeySequence(QStringLiteral("Ctrl+D")), true},
    {"register", QKeySequence(QStringLiteral("Ctrl+1")), false},
    {"accept", QKeySequence(QStringLiteral("Ctrl+2")), false},
    {"assign", QKeySequence(QStringLiteral("Ctrl+3")), false},
    {"start_handling", QKeySequence(QStringLiteral("Ctrl+4")), false},
    {"arrive", QKeySequence(QStringLiteral("Ctrl+Shift+4")), false},
    {"feedback", QKeySequence(QStringLiteral("Ctrl+5")), false},
    {"close", QKeySequence(QStringLiteral("Ctrl+6")), false},
    {"visit", QKeySequence(QStringLiteral("Ctrl+7")), false},
    {"archive", QKeySequence(QStringLiteral("Ctrl+8")), false},
    {"return", QKeySequence(QStringLiteral("Ctrl+Shift+R")), false},
    {"escalate", QKeySequence(QStringLiteral("Ctrl+Shift+E")), false},
    {"extend", QKeySequence(QStringLiteral("Ctrl+Shift+T")), false},
    {"park", QKeySequence(QStringLiteral("Ctrl+Shift+P")), false},
    {"resume", QKeySequence(QStringLiteral("Ctrl+Shift+U")), false},
    {"merge", QKeySequence(QStringLiteral("Ctrl+Shift+M")), true},
    {"rework", QKeySequence(QStringLiteral("Ctrl+Shift+W")), false},
    {"supervise", QKeySequence(QStringLiteral("Ctrl+Shift+S")), false},
    {"urge", QKeySequence(QStringLiteral("Ctrl+U")), true},
    {"note", QKeySequence(QStringLiteral("Ctrl+Shift+N")), false},
    {"void", QKeySequence(QStringLiteral("Ctrl+Shift+Del")), false},
  };
  return specs;
}

QString workerStatusTitle(map::WorkerPin::Status status)
{
  switch (status)
  {
    case map::WorkerPin::Status::Online:
      return QCoreApplication::translate("gd::console::MainWindow", "online");
    case map::WorkerPin::Status::Stationary:
      return QCoreApplication::translate("gd::console::MainWindow", "stationary");
    case map::WorkerPin::Status::Offline:
      return QCoreApplication::translate("gd::console::MainWindow", "offline");
  }
  return QString();
}

} // namespace

QTableView *MainWindow::caseQueueView() const
{
  return mUi->caseQueueView;
}

void MainWindow::setOperatorName(const QString &name)
{
  mOperator = name.trimmed().isEmpty() ? QStringLiteral("operator") : name.trimmed();
  restoreLayout();
}

void MainWindow::setUpCaseActions()
{
  qRegisterMetaType<gd::console::ActionDialog *>();
  QMenu *menu = mUi->menuCase;
  QAction *intake = menu->addAction(tr("New report (12345 / 110 / walk-in)…"));
  intake->setShortcut(QKeySequence(QStringLiteral("Ctrl+N")));
  connect(intake, &QAction::triggered, this, [this] { openIntake(); });
  mStepActions.insert(QStringLiteral("intake"), intake);
  menu->addSeparator();
  for (const StepSpec &spec : stepSpecs())
  {
    const QString name = QString::fromLatin1(spec.name);
    const QString text = name == QLatin1String("dispatch") ? tr("Dispatch (register, accept and assign)…") : actionTitle(name) + QStringLiteral("…");
    QAction *action = menu->addAction(text);
    action->setObjectName(QStringLiteral("step_%1").arg(name));
    action->setShortcut(spec.shortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(name == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(name),
                                                     spec.shortcut.toString(QKeySequence::NativeText)));
    action->setEnabled(false);
    connect(action, &QAction::triggered, this, [this, name] { triggerStep(name); });
    mStepActions.insert(name, action);
    if (name == QLatin1String("dispatch") || name == QLatin1String("archive") || name == QLatin1String("rework"))
      menu->addSeparator();
  }
  menu->addSeparator();
  QAction *findCase = menu->addAction(tr("Filter the queue"));
  findCase->setShortcut(QKeySequence(QStringLiteral("Ctrl+F")));
  connect(findCase, &QAction::triggered, this, [this] {
    mUi->caseQueueDock->show();
    mFilterBar->textEdit()->setFocus();
    mFilterBar->textEdit()->selectAll();
  });
  QAction *search = menu->addAction(tr("Find a grid, case or place on the map"));
  search->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
  connect(search, &QAction::triggered, this, [this] {
    mSearchEdit->setFocus();
    mSearchEdit->selectAll();
  });
  QAction *queue = menu->addAction(tr("Go to the case queue"));
  queue->setShortcut(QKeySequence(QStringLiteral("Ctrl+0")));
  connect(queue, &QAction::triggered, this, [this] {
    mUi->caseQueueDock->show();
    mUi->caseQueueView->setFocus();
  });
  QAction *resetFilters = menu->addAction(tr("Reset the queue filters"));
  resetFilters->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+F")));
  connect(resetFilters, &QAction::triggered, mFilterBar, &QueueFilterBar::reset);
  QAction *reload = menu->addAction(tr("Reload the case"));
  reload->setShortcut(QKeySequence(Qt::Key_F5));
  connect(reload, &QAction::triggered, this, [this] {
    if (!mCurrentCase.isEmpty())
      loadDetail(mCurrentCase, false);
  });

  // The queue's selection is the case selection; the current row is the case on screen.
  connect(mUi->caseQueueView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex &current) {
            if (mSelectingCase || mQueueRowsLeaving || !current.isValid())
              return;
            const QString number = mCaseQueueProxy->numberAt(current.row());
            if (!number.isEmpty() && number != mCurrentCase)
              selectCase(number);
          });
  connect(mUi->caseQueueView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateStepActions);
  connect(mUi->caseQueueView, &QTableView::activated, this, [this](const QModelIndex &index) {
    const QString number = mCaseQueueProxy->numberAt(index.row());
    if (!number.isEmpty())
      selectPinOnMap(number, true);
  });

  mQueueTicker = new QTimer(this);
  connect(mQueueTicker, &QTimer::timeout, mCaseQueueModel, &CaseQueueModel::tick);
  mQueueTicker->start(30000);
}

void MainWindow::setUpDocks()
{
  auto *caseDock = new QDockWidget(tr("Case"), this);
  caseDock->setObjectName(QStringLiteral("caseDock"));
  mDetailPanel = new CaseDetailPanel(caseDock);
  QHash<QString, QAction *> steps = mStepActions;
  steps.remove(QStringLiteral("intake"));
  mDetailPanel->setStepActions(steps);
  // Scrolls rather than holding the window taller than a 768-line screen (issue 13).
  caseDock->setWidget(scrollable(mDetailPanel, caseDock));
  addDockWidget(Qt::RightDockWidgetArea, caseDock);
  connect(mDetailPanel, &CaseDetailPanel::noticeAcknowledgementRequested, this, [this](qint64 id, const QString &department) {
    bool ok = false;
    const QString who = QInputDialog::getText(this, tr("Department acknowledgement"),
                                              tr("Who at %1 acknowledged the notice?").arg(department), QLineEdit::Normal,
                                              QString(), &ok);
    if (ok && !who.trimmed().isEmpty())
      acknowledgeNotice(id, who);
  });
  // A terminal's acknowledgement changes no case event, so the watcher does not bring it: the
  // case is read again while something it sent is still unacknowledged.
  mOrderStatusTimer = new QTimer(this);
  mOrderStatusTimer->setSingleShot(true);
  connect(mOrderStatusTimer, &QTimer::timeout, this, [this] {
    if (!mCurrentCase.isEmpty())
      loadDetail(mCurrentCase, true);
  });
  connect(mDetailPanel, &CaseDetailPanel::linkActivated, this, [this](const QString &link) {
    if (link.startsWith(QLatin1String("case:")))
      selectCase(link.mid(5));
    else if (link.startsWith(QLatin1String("grid:")))
      search(link.mid(5));
  });

  auto *duplicatesDock = new QDockWidget(tr("Duplicate suggestions"), this);
  duplicatesDock->setObjectName(QStringLiteral("duplicatesDock"));
  mDuplicatesList = new QListWidget(duplicatesDock);
  mDuplicatesList->setObjectName(QStringLiteral("caseDuplicateList"));
  mDuplicatesList->setWordWrap(true);
  mDuplicatesList->setToolTip(tr("Cases that may report the same problem. Double-click to open; merge with Ctrl+Shift+M."));
  connect(mDuplicatesList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
    const QString number = item->data(Qt::UserRole).toString();
    if (!number.isEmpty())
      selectCase(number);
  });
  duplicatesDock->setWidget(mDuplicatesList);
  addDockWidget(Qt::BottomDockWidgetArea, duplicatesDock);

  auto *workersDock = new QDockWidget(tr("Field workers"), this);
  workersDock->setObjectName(QStringLiteral("workersDock"));
  mWorkersTable = new QTableWidget(0, 4, workersDock);
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
    if (mWorkers)
      zoomToLayerExtent(mWorkers->layer(), QgsRectangle(lon, lat, lon, lat), 5000);
  });
  workersDock->setWidget(mWorkersTable);
  addDockWidget(Qt::BottomDockWidgetArea, workersDock);

  auto *feedDock = new QDockWidget(tr("Feed monitor"), this);
  feedDock->setObjectName(QStringLiteral("feedDock"));
  auto *feedWidget = new QWidget(feedDock);
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
      selectCase(number);
  });
  feedLayout->addWidget(mFeedSummary);
  feedLayout->addWidget(mFeedLog, 1);
  feedDock->setWidget(feedWidget);
  addDockWidget(Qt::BottomDockWidgetArea, feedDock);

  // The queue above the case on the right; the feed, duplicates, workers and map details share
  // one low tab strip under the map, so the queue and the timeline get the height. The right
  // docks run from the toolbar down to the status bar (the bottom tabs stay under the map):
  // on a 1080-line screen that is room for 15 and more queue rows.
  setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  splitDockWidget(mUi->caseQueueDock, caseDock, Qt::Vertical);
  tabifyDockWidget(feedDock, duplicatesDock);
  tabifyDockWidget(feedDock, workersDock);
  if (auto *details = findChild<QDockWidget *>(QStringLiteral("detailsDock")))
  {
    removeDockWidget(details);
    addDockWidget(Qt::BottomDockWidgetArea, details);
    tabifyDockWidget(feedDock, details);
    details->show();
  }
  feedDock->raise();
  // The queue takes most of the height (15 and more rows on a 1080-line screen); the case
  // panel below scrolls when it needs more than it gets.
  resizeDocks({mUi->caseQueueDock, caseDock}, {540, 300}, Qt::Vertical);
  resizeDocks({feedDock}, {170}, Qt::Vertical);
  resizeDocks({mUi->caseQueueDock}, {640}, Qt::Horizontal);
  for (QDockWidget *dock : {caseDock, duplicatesDock, workersDock, feedDock})
    mUi->menuView->addAction(dock->toggleViewAction());

  QMenu *theme = mUi->menuView->addMenu(tr("Theme"));
  auto *themes = new QActionGroup(this);
  for (const auto &[name, title] : {std::pair{QStringLiteral("light"), tr("Light")}, std::pair{QStringLiteral("dark"), tr("Dark")}})
  {
    QAction *action = theme->addAction(title);
    action->setCheckable(true);
    action->setChecked(name == QSettings().value(QStringLiteral("ui/theme"), QStringLiteral("light")).toString());
    action->setObjectName(QStringLiteral("theme_%1").arg(name));
    themes->addAction(action);
    connect(action, &QAction::triggered, this, [this, name = name] { setTheme(name); });
  }
}

void MainWindow::setUpHelp()
{
  mHelp = new HelpOverlay(this);
  QAction *help = mUi->menuHelp->addAction(tr("Keyboard shortcuts"));
  help->setShortcut(QKeySequence(Qt::Key_F1));
  connect(help, &QAction::triggered, mHelp, &HelpOverlay::toggle);
  QList<QAction *> steps;
  steps << mStepActions.value(QStringLiteral("intake"));
  for (const StepSpec &spec : stepSpecs())
    steps << mStepActions.value(QString::fromLatin1(spec.name));
  mHelp->addGroup(tr("Case steps"), steps);
  QList<QAction *> others;
  for (QAction *action : mUi->menuCase->actions())
    if (!steps.contains(action))
      others << action;
  mHelp->addGroup(tr("Queue and search"), others);
  QList<QAction *> mapActions;
  for (QToolBar *bar : findChildren<QToolBar *>())
    if (bar->objectName() == QLatin1String("mapToolBar"))
      mapActions << bar->actions();
  mapActions << mUi->actionZoomToDistrict;
  mHelp->addGroup(tr("Map"), mapActions);
  if (auto *command = menuBar()->findChild<QMenu *>(QStringLiteral("menuCommand")))
  {
    QList<QAction *> commandActions;
    for (QAction *action : command->actions())
      if (!action->shortcut().isEmpty())
        commandActions << action;
    if (auto *tool = findChild<QAction *>(QStringLiteral("actionEmergencyTool")))
      commandActions << tool;
    mHelp->addGroup(tr("Supervision and emergencies"), commandActions);
  }
  mHelp->addGroup(tr("Window"), {help, mUi->actionQuit});
}

void MainWindow::setTheme(const QString &name)
{
  applyTheme(name);
  QSettings().setValue(QStringLiteral("ui/theme"), currentTheme());
  if (QAction *action = findChild<QAction *>(QStringLiteral("theme_%1").arg(currentTheme())))
    action->setChecked(true);
}

void MainWindow::restoreLayout()
{
  QSettings settings;
  settings.beginGroup(QStringLiteral("operators/%1").arg(mOperator));
  if (settings.contains(QStringLiteral("windowState")))
  {
    mGeometryRestored = restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
  }
  mLayoutRestored = true;
}

void MainWindow::showOnScreen()
{
  if (!mGeometryRestored)
  {
    // First start: the whole screen, whatever its size (the window's normal size fits it too).
    placeFitted(this, QSize(1600, 900));
    // The queue's columns want some 850 pixels: on a wide screen it gets them beside the map
    // (the map takes what the window gains when it grows to the whole screen).
    if (QScreen *screen = screenOf(this))
      resizeDocks({mUi->caseQueueDock}, {screen->availableGeometry().width() * 45 / 100}, Qt::Horizontal);
    showMaximized();
    return;
  }
  // Saved on a larger screen, or with a larger minimum size than the window has now.
  if (!isMaximized() && !isFullScreen())
    fitToScreen(this);
  show();
}

void MainWindow::saveLayout()
{
  QSettings settings;
  settings.beginGroup(QStringLiteral("operators/%1").arg(mOperator));
  settings.setValue(QStringLiteral("geometry"), saveGeometry());
  settings.setValue(QStringLiteral("windowState"), saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
  saveLayout();
  QMainWindow::closeEvent(event);
}

// ---- selection -----------------------------------------------------------------------------

void MainWindow::selectCase(const QString &number)
{
  if (number.isEmpty())
    return;
  mCurrentCase = number;
  // Queue: make it the current row (keeping a multi-selection the operator made is not
  // wanted here: picking one case elsewhere means this case).
  const int row = mCaseQueueProxy->proxyRowOf(number);
  mSelectingCase = true;
  if (row >= 0)
  {
    const QModelIndex index = mCaseQueueProxy->index(row, 0);
    mUi->caseQueueView->selectionModel()->setCurrentIndex(
      index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    mUi->caseQueueView->scrollTo(index);
  }
  else
  {
    mUi->caseQueueView->selectionModel()->clearSelection();
  }
  mSelectingCase = false;
  selectPinOnMap(number, false);
  loadDetail(number, false);
  showDuplicatesOf(number);
}

void MainWindow::selectPinOnMap(const QString &number, bool pan)
{
  if (!mCases)
    return;
  const QString expression = QgsExpression::createFieldEqualityExpression(QStringLiteral("number"), number);
  std::optional<QgsPointXY> where;
  for (QgsMapLayer *layer : mCases->pinLayers())
  {
    auto *vector = qobject_cast<QgsVectorLayer *>(layer);
    QgsFeatureIds ids;
    QgsFeatureIterator it = vector->getFeatures(QgsFeatureRequest().setFilterExpression(expression).setNoAttributes());
    QgsFeature feature;
    while (it.nextFeature(feature))
    {
      ids.insert(feature.id());
      where = feature.geometry().asPoint();
    }
    vector->selectByIds(ids);
  }
  if (!where)
    return;
  const QgsCoordinateTransform toMap(mCases->pinLayer()->crs(), mUi->mapCanvas->mapSettings().destinationCrs(),
                                     QgsProject::instance()->transformContext());
  const QgsPointXY onMap = toMap.transform(*where);
  if (pan)
    zoomToLayerExtent(mCases->pinLayer(), QgsRectangle(*where, *where), 5000);
  else if (!mUi->mapCanvas->extent().contains(onMap))
  {
    mUi->mapCanvas->setCenter(onMap);
    mUi->mapCanvas->refresh();
  }
}

QStringList MainWindow::selectedQueueNumbers() const
{
  QStringList numbers;
  for (const QModelIndex &index : mUi->caseQueueView->selectionModel()->selectedRows())
    numbers << mCaseQueueProxy->numberAt(index.row());
  if (numbers.isEmpty() && !mCurrentCase.isEmpty())
    numbers << mCurrentCase;
  return numbers;
}

void MainWindow::loadDetail(const QString &number, bool changedUnder)
{
  if (!mService)
    return;
  const QString operatorName = mOperator;
  mService->call<std::optional<CaseDetail>>(
    [number](CaseService &service) { return service.detail(number); }, this,
    [this, number, changedUnder, operatorName](std::optional<CaseDetail> detail) {
      if (number != mCurrentCase)
        return; // the operator moved on meanwhile
      if (!detail)
      {
        mDetailPanel->clear();
        statusBar()->showMessage(tr("Case %1 not found").arg(number), 8000);
        return;
      }
      // Changes the operator made themselves are not news to them.
      bool byOthers = false;
      if (changedUnder && mCurrentDetail.number == number)
        for (std::size_t i = mCurrentDetail.timeline.size(); i < detail->timeline.size(); ++i)
          byOthers = byOthers || detail->timeline[i].actor != operatorName;
      mCurrentDetail = *detail;
      mDetailPanel->showDetail(*detail, byOthers);
      // A terminal acknowledges within seconds when online; a department may take hours.
      const bool orderAwaited =
        std::any_of(detail->orders.begin(), detail->orders.end(), [](const OrderStatusView &o) { return !o.ackedAt.isValid(); });
      const bool noticeAwaited =
        std::any_of(detail->notices.begin(), detail->notices.end(), [](const NoticeStatusView &n) { return !n.acknowledgedAt.isValid(); });
      if (orderAwaited || noticeAwaited)
        mOrderStatusTimer->start(orderAwaited ? 3000 : 15000);
      else
        mOrderStatusTimer->stop();
      if (auto *dock = findChild<QDockWidget *>(QStringLiteral("caseDock")); dock && !changedUnder)
        dock->raise();
      updateStepActions();
      emit caseShown(number);
    });
}

void MainWindow::showDuplicatesOf(const QString &number)
{
  if (!mService)
    return;
  mService->call<std::vector<DuplicateSuggestion>>(
    [number](CaseService &service) { return service.duplicatesOf(number); }, this,
    [this, number](std::vector<DuplicateSuggestion> suggestions) {
      if (number != mCurrentCase)
        return;
      mDuplicatesList->clear();
      for (const DuplicateSuggestion &s : suggestions)
      {
        auto *item = new QListWidgetItem(tr("%1  %2\n%3 · %4 m · %5 h apart · %6 % alike")
                                           .arg(s.number, s.title, CaseQueueModel::stateTitle(s.state))
                                           .arg(qRound(s.distanceM))
                                           .arg(s.hoursApart, 0, 'f', 1)
                                           .arg(qRound(s.textSimilarity * 100)),
                                         mDuplicatesList);
        item->setData(Qt::UserRole, s.number);
      }
      if (suggestions.empty())
        new QListWidgetItem(tr("No likely duplicate of %1.").arg(number), mDuplicatesList);
    });
}

void MainWindow::updateStepActions()
{
  const QStringList selected = selectedQueueNumbers();
  const bool bulk = selected.size() > 1;
  const QStringList &allowed = mCurrentDetail.allowedActions;
  const bool hasCase = !mCurrentCase.isEmpty() && mCurrentDetail.number == mCurrentCase;
  for (const StepSpec &spec : stepSpecs())
  {
    const QString name = QString::fromLatin1(spec.name);
    QAction *action = mStepActions.value(name);
    bool enabled = false;
    if (bulk)
      enabled = spec.bulk;
    else if (hasCase && name == QLatin1String("dispatch"))
      enabled = allowed.contains(QStringLiteral("register")) || allowed.contains(QStringLiteral("accept")) ||
                allowed.contains(QStringLiteral("assign"));
    else if (hasCase)
      enabled = allowed.contains(name);
    action->setEnabled(enabled && mService);
  }
}

// ---- steps ---------------------------------------------------------------------------------

void MainWindow::triggerStep(const QString &name)
{
  if (!mService || mCurrentCase.isEmpty())
    return;
  QStringList numbers = selectedQueueNumbers();
  if (!numbers.contains(mCurrentCase))
    numbers.prepend(mCurrentCase);
  if (numbers.size() > 1)
  {
    const bool bulk = std::any_of(stepSpecs().begin(), stepSpecs().end(),
                                  [&name](const StepSpec &spec) { return spec.bulk && name == QLatin1String(spec.name); });
    if (!bulk)
      numbers = QStringList{mCurrentCase};
  }
  openStepDialog(name, numbers, mCurrentDetail);
}

void MainWindow::openStepDialog(const QString &name, const QStringList &numbers, const CaseDetail &detail)
{
  // What the dialog offers (departments, the grid's workers and whether an order reaches
  // them, the routing suggestion, merge candidates) comes from the store on the service
  // thread; the dialog opens when it is there.
  const bool single = numbers.size() == 1;
  mService->call<ActionContext>(
    [name, numbers, detail, single](CaseService &service) {
      ActionContext context;
      context.departments = service.departments();
      if (single)
      {
        context.workers = service.workersFor(detail.grid);
        QStringList ids;
        for (const Choice &worker : context.workers)
          ids << worker.code;
        context.workerReach = service.reach(ids);
      }
      context.suggestion = service.suggestLeadFor(detail.number);
      if (name == QLatin1String("merge"))
      {
        if (single)
          context.mergeCandidates = service.duplicatesOf(detail.number);
        else
          for (const QString &number : numbers)
            if (const auto other = service.detail(number))
              context.mergeCandidates.push_back({number, other->title.isEmpty() ? other->categoryName : other->title,
                                                 other->state, other->address, -1, 0, 0, 0});
      }
      if (!single && (name == QLatin1String("dispatch") || name == QLatin1String("assign")))
        for (const QString &number : numbers)
        {
          const auto other = service.detail(number);
          context.perCase.push_back({Choice{number, other ? other->categoryName : QString(), {}}, service.suggestLeadFor(number)});
        }
      return context;
    },
    this, [this, name, numbers, detail](ActionContext context) {
      auto *dialog = new ActionDialog(name, detail, context, this);
      dialog->setAttribute(Qt::WA_DeleteOnClose);
      dialog->setCaseNumbers(numbers);
      QPointer<ActionDialog> guard(dialog);
      std::map<QString, QString> suggested;
      for (const auto &[which, suggestion] : context.perCase)
        suggested[which.code] = suggestion.department;
      dialog->setSubmitHandler([this, guard, suggested] {
        if (guard)
          runStep(guard, suggested);
      });
      dialog->open();
      emit stepDialogOpened(dialog);
    });
}

void MainWindow::runStep(ActionDialog *dialog, const std::map<QString, QString> &suggested)
{
  const QString name = dialog->action();
  QStringList numbers = dialog->caseNumbers();
  ActionRequest request = dialog->request();
  const QString lead = dialog->lead();
  const QStringList assisting = dialog->assisting();
  const QString worker = dialog->worker();
  if (name == QLatin1String("merge"))
  {
    // Bulk merge: every other selected case goes into the chosen one.
    if (numbers.size() > 1)
      numbers.removeAll(request.data.value(QStringLiteral("into")).toString());
  }
  // One case: the dialog stays open on a refusal and says why there. Several: it closes, and
  // every case that was not done is listed with its reason once all are through.
  const bool single = dialog->caseNumbers().size() == 1;
  QPointer<ActionDialog> guard(dialog);
  if (!single)
    dialog->done(QDialog::Accepted);
  auto remaining = std::make_shared<int>(static_cast<int>(numbers.size()));
  auto refusals = std::make_shared<QStringList>();
  for (const QString &number : numbers)
  {
    QString caseLead = lead;
    if (lead == kEachCasesSuggestion)
    {
      const auto it = suggested.find(number);
      caseLead = it == suggested.end() ? QString() : it->second;
    }
    mService->call<ActionOutcome>(
      [=](CaseService &service) {
        if (name == QLatin1String("dispatch") || name == QLatin1String("assign"))
          if (caseLead.isEmpty())
          {
            ActionOutcome refused;
            refused.number = number;
            refused.message = tr("no department is suggested for this case; dispatch it on its own");
            return refused;
          }
        if (name == QLatin1String("dispatch"))
          return service.dispatch(number, caseLead, assisting, single ? worker : QString());
        ActionRequest own = request;
        if (name == QLatin1String("assign"))
          own.data.insert(QStringLiteral("lead"), caseLead);
        return service.perform(number, own);
      },
      this, [this, guard, single, remaining, refusals, name](ActionOutcome outcome) {
        if (single && guard)
        {
          if (outcome.ok)
            guard->done(QDialog::Accepted);
          else
            guard->showRefusal(outcome.message);
        }
        if (!outcome.ok)
          *refusals << tr("%1: %2").arg(outcome.number, outcome.message);
        showOutcome(outcome);
        if (--*remaining == 0 && !single && !refusals->isEmpty())
          showRefusals(tr("%1: not done for %n case(s)", nullptr, static_cast<int>(refusals->size()))
                         .arg(name == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(name)),
                       *refusals);
      });
  }
}

void MainWindow::showRefusals(const QString &title, const QStringList &lines)
{
  // Every case and its reason, in full (a status bar cuts them off); not modal, so the
  // operator can act on the cases with the list open.
  auto *box = findChild<QMessageBox *>(QStringLiteral("refusalsBox"));
  if (!box)
  {
    box = new QMessageBox(QMessageBox::Warning, title, QString(), QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("refusalsBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
  }
  box->setWindowTitle(title);
  box->setText(title);
  box->setInformativeText(lines.join(QLatin1Char('\n')));
  box->show();
  box->raise();
}

void MainWindow::showOutcome(const ActionOutcome &outcome)
{
  if (outcome.ok)
  {
    QString message = outcome.message;
    if (outcome.ordersSent > 0)
      message += tr(" — %n order(s) sent to the grid worker's terminal", nullptr, outcome.ordersSent);
    if (outcome.noticesSent > 0)
      message += tr(" — %n department(s) notified", nullptr, outcome.noticesSent);
    if (!outcome.warning.isEmpty())
      message += QStringLiteral(" — ") + outcome.warning;
    statusBar()->showMessage(message, outcome.warning.isEmpty() ? 10000 : 30000);
  }
  else
  {
    statusBar()->showMessage(tr("Not done: %1").arg(outcome.message), 15000);
  }
  if (outcome.number == mCurrentCase)
    loadDetail(mCurrentCase, false);
  emit stepFinished(outcome);
}

void MainWindow::acknowledgeNotice(qint64 id, const QString &who)
{
  if (!mService)
    return;
  mService->call<ActionOutcome>([id, who](CaseService &service) { return service.acknowledgeNotice(id, who); }, this,
                                [this](ActionOutcome outcome) { showOutcome(outcome); });
}

// ---- intake --------------------------------------------------------------------------------

IntakeDialog *MainWindow::openIntake()
{
  if (!mService)
  {
    statusBar()->showMessage(tr("Open a store first"), 8000);
    return nullptr;
  }
  if (mIntake && mIntake->isVisible())
  {
    mIntake->raise();
    mIntake->activateWindow();
    return mIntake;
  }
  if (mCategoryChoices.empty() || mCategoryKeywords.empty())
  {
    // The choices are read when the store opens; this is only the moment right after.
    std::vector<Choice> categories;
    std::map<QString, QStringList> keywords;
    std::mutex mutex;
    mService->post([&](CaseService &service) {
      std::lock_guard lock(mutex);
      categories = service.categories();
      keywords = service.categoryKeywords();
    });
    mService->drain();
    std::lock_guard lock(mutex);
    mCategoryChoices = categories;
    mCategoryKeywords = keywords;
  }
  auto *dialog = new IntakeDialog(mCategoryChoices, mCategoryKeywords, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  mIntake = dialog;
  setUpIntake(dialog);
  placeBesideMapCentre(dialog);
  dialog->show();
  return dialog;
}

void MainWindow::placeBesideMapCentre(QWidget *dialog)
{
  // The found or picked place is shown at the map's centre: the form goes beside it, on the
  // side with more room, never over it.
  const QRect canvas(mUi->mapCanvas->mapToGlobal(QPoint(0, 0)), mUi->mapCanvas->size());
  const QRect screen = (window()->screen() ? window()->screen() : QGuiApplication::primaryScreen())->availableGeometry();
  const QSize size = dialog->size().expandedTo(dialog->sizeHint()) + QSize(16, 40); // with a frame
  const int gap = 60;
  const QPoint centre = canvas.center();
  int x = centre.x() - gap - size.width();
  if (x < screen.left())
    x = centre.x() + gap;
  x = std::clamp(x, screen.left(), std::max(screen.left(), screen.right() - size.width()));
  const int y = std::clamp(canvas.top() + 20, screen.top(), std::max(screen.top(), screen.bottom() - size.height()));
  dialog->move(x, y);
}

void MainWindow::setUpIntake(IntakeDialog *dialog)
{
  // The location on the map while the form is open: a marker where the case will be.
  auto marker = std::make_shared<QgsVertexMarker *>(nullptr);
  QPointer<QgsMapCanvas> canvas(mUi->mapCanvas);
  connect(dialog, &IntakeDialog::locationChanged, this, [this, marker, canvas](double lon, double lat) {
    if (!mCases || !canvas)
      return;
    const QgsCoordinateTransform toMap(mCases->pinLayer()->crs(), canvas->mapSettings().destinationCrs(),
                                       QgsProject::instance()->transformContext());
    if (!*marker)
    {
      *marker = new QgsVertexMarker(canvas);
      (*marker)->setIconType(QgsVertexMarker::ICON_CIRCLE);
      (*marker)->setIconSize(22);
      (*marker)->setPenWidth(4);
      (*marker)->setColor(QColor(211, 47, 47));
      (*marker)->setFillColor(QColor(211, 47, 47, 90));
    }
    (*marker)->setCenter(toMap.transform(QgsPointXY(lon, lat)));
    (*marker)->show();
  });
  connect(dialog, &QObject::destroyed, this, [marker, canvas] {
    if (canvas) // else the canvas's scene took its items with it
      delete *marker;
    *marker = nullptr;
  });

  connect(dialog, &IntakeDialog::duplicatesWanted, this, [this, dialog](const IntakeForm &form) {
    QPointer<IntakeDialog> guard(dialog);
    mService->call<std::vector<DuplicateSuggestion>>(
      [form](CaseService &service) { return service.duplicates(form); }, this,
      [this, guard](std::vector<DuplicateSuggestion> suggestions) {
        if (!guard)
          return;
        guard->setDuplicates(suggestions);
        emit duplicatesShown(guard->duplicateNumbers());
      });
  });
  connect(dialog, &IntakeDialog::findRequested, this, [this, dialog](const QString &text) {
    if (text.trimmed().isEmpty())
      return;
    const QString found = search(text);
    if (!found.isEmpty())
    {
      // A grid, a case or a place by its name: the centre of what was found is the location.
      const QgsPointXY centre = mUi->mapCanvas->extent().center();
      const QgsCoordinateTransform toData(mUi->mapCanvas->mapSettings().destinationCrs(), mCases->pinLayer()->crs(),
                                          QgsProject::instance()->transformContext());
      const QgsPointXY point = toData.transform(centre);
      dialog->setLocation(point.x(), point.y(), found, text.trimmed());
      return;
    }
    // A street address: an earlier case at that address, or the place whose name it shares.
    QPointer<IntakeDialog> guard(dialog);
    mService->call<PlaceMatch>([text](CaseService &service) { return service.findPlace(text); }, this,
                               [this, guard, text](PlaceMatch place) {
                                 if (!guard)
                                   return;
                                 if (!place.found)
                                 {
                                   guard->setProblem(tr("Nothing found for \"%1\"").arg(text));
                                   return;
                                 }
                                 const QString where = place.kind == QLatin1String("address")
                                                         ? tr("where case(s) at %1 were reported").arg(place.name)
                                                         : tr("near %1 (matches \"%2\"; pick the exact point on the map)").arg(place.name, place.matched);
                                 if (mCases)
                                   zoomToLayerExtent(mCases->pinLayer(), QgsRectangle(place.lon, place.lat, place.lon, place.lat), 5000);
                                 guard->setLocation(place.lon, place.lat, where, text.trimmed());
                               });
  });
  connect(dialog, &IntakeDialog::pickOnMapRequested, this, [this, dialog] {
    if (!mPickTool)
    {
      mPickTool = new QgsMapToolEmitPoint(mUi->mapCanvas);
      mPickTool->setCursor(Qt::CrossCursor);
    }
    disconnect(mPickTool, &QgsMapToolEmitPoint::canvasClicked, nullptr, nullptr);
    QPointer<IntakeDialog> guard(dialog);
    mToolBeforePick = mUi->mapCanvas->mapTool();
    connect(mPickTool, &QgsMapToolEmitPoint::canvasClicked, this, [this, guard](const QgsPointXY &point) {
      mUi->mapCanvas->setMapTool(mToolBeforePick ? mToolBeforePick : static_cast<QgsMapTool *>(mIdentifyTool));
      if (!guard || !mCases)
        return;
      const QgsCoordinateTransform toData(mUi->mapCanvas->mapSettings().destinationCrs(), mCases->pinLayer()->crs(),
                                          QgsProject::instance()->transformContext());
      const QgsPointXY lonLat = toData.transform(point);
      // Where it is, in grid names; the address stays the operator's to type.
      const double lon = lonLat.x();
      const double lat = lonLat.y();
      mService->call<QString>(
        [lon, lat](CaseService &service) { return service.gridPath(service.gridAt(lon, lat)); }, this,
        [guard, lon, lat](QString path) {
          if (!guard)
            return;
          guard->setLocation(lon, lat, path.isEmpty() ? tr("picked on the map (outside every grid)") : tr("picked on the map: %1").arg(path));
          guard->raise();
        });
    });
    mUi->mapCanvas->setMapTool(mPickTool);
    statusBar()->showMessage(tr("Click the place on the map"), 8000);
  });
  // Registering and attaching end alike: a refusal stays in the form, success closes it and
  // opens the case.
  auto finish = [this, guard = QPointer<IntakeDialog>(dialog)](const ActionOutcome &outcome) {
    if (!outcome.ok)
    {
      if (guard)
        guard->setProblem(outcome.message);
      emit stepFinished(outcome);
      return;
    }
    statusBar()->showMessage(outcome.message, 10000);
    if (guard)
      guard->finish();
    mIntake.clear();
    selectCase(outcome.number);
    emit stepFinished(outcome);
  };
  connect(dialog, &IntakeDialog::submitRequested, this, [this, finish](const IntakeForm &form) {
    mService->call<ActionOutcome>([form](CaseService &service) { return service.intake(form); }, this, finish);
  });
  connect(dialog, &IntakeDialog::attachRequested, this, [this, finish](const IntakeForm &form, const QString &target) {
    mService->call<ActionOutcome>([form, target](CaseService &service) { return service.attach(form, target); }, this, finish);
  });
}

// ---- live docks ----------------------------------------------------------------------------

void MainWindow::noteFeedChanges(const StoreChanges &changes)
{
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
  const QString time = QDateTime::currentDateTimeUtc().toTimeZone(beijing).toString(QStringLiteral("HH:mm:ss"));
  auto add = [this, &time](const QString &text, const QString &number) {
    auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(time, text));
    item->setData(Qt::UserRole, number);
    mFeedLog->insertItem(0, item);
  };
  for (const CaseQueueRow &row : changes.rows)
  {
    const int known = mCaseQueueModel->rowOf(row.number);
    if (known < 0)
      add(tr("new case %1 · %2 · %3").arg(row.number, CaseQueueModel::sourceTitle(row.source), row.category), row.number);
    else if (mCaseQueueModel->row(known).state != row.state)
      add(tr("%1 → %2").arg(row.number, CaseQueueModel::stateTitle(row.state)), row.number);
  }
  for (const QString &number : changes.closedCases)
    add(tr("%1 left the open queue").arg(number), number);
  while (mFeedLog->count() > 300)
    delete mFeedLog->takeItem(mFeedLog->count() - 1);
}

void MainWindow::updateWorkersDock(const StoreChanges &changes)
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
    static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
    mWorkersTable->item(row, 3)->setText(QDateTime::fromSecsSinceEpoch(worker.lastFix, beijing).toString(QStringLiteral("HH:mm:ss")));
  }
  mWorkersTable->setSortingEnabled(true);
}

} // namespace gd::console
