// The main window's supervision and command features: the supervision wall and emergency
// docks, the supervision rules on a timer, one-key emergency dispatch from a case or a map
// point, the big screen and the conference view.

#include "console/mainwindow.h"
#include "ui_mainwindowbase.h"

#include "console/commandviews.h"
#include "console/emergencypanel.h"
#include "console/storewatcher.h"
#include "console/supervisionpanel.h"
#include "console/windowfit.h"
#include "console/rulesschedule.h"
#include "core/gridtree.h"
#include "map/gridlayers.h"
#include "map/radiusselecttool.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>

#include <QDockWidget>
#include <QGuiApplication>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QStatusBar>
#include <QTimeZone>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

namespace gd::console {

namespace {

//! How often the console runs the supervision rules, and refreshes the big screen.
constexpr int kRulesEverySeconds = 60;
constexpr int kBigScreenEverySeconds = 30;
constexpr int kTourSeconds = 20;

} // namespace

void MainWindow::setUpCommand()
{
  auto *wallDock = new QDockWidget(tr("Supervision wall"), this);
  wallDock->setObjectName(QStringLiteral("supervisionDock"));
  mSupervision = new SupervisionPanel(nullptr, wallDock);
  wallDock->setWidget(scrollable(mSupervision, wallDock));
  auto *emergencyDock = new QDockWidget(tr("Emergency"), this);
  emergencyDock->setObjectName(QStringLiteral("emergencyDock"));
  mEmergency = new EmergencyPanel(nullptr, emergencyDock);
  emergencyDock->setWidget(scrollable(mEmergency, emergencyDock));
  addDockWidget(Qt::RightDockWidgetArea, wallDock);
  addDockWidget(Qt::RightDockWidgetArea, emergencyDock);
  if (auto *caseDock = findChild<QDockWidget *>(QStringLiteral("caseDock")))
  {
    tabifyDockWidget(caseDock, wallDock);
    tabifyDockWidget(caseDock, emergencyDock);
    caseDock->raise();
  }

  connect(mSupervision, &SupervisionPanel::caseActivated, this, &MainWindow::selectCase);
  connect(mSupervision, &SupervisionPanel::urged, this, [this](const std::vector<UrgeResult> &results) {
    int done = 0;
    int orders = 0;
    QStringList refused;
    for (const UrgeResult &r : results)
    {
      done += r.done ? 1 : 0;
      orders += r.orders;
      if (!r.done)
        refused << QStringLiteral("%1: %2").arg(r.number, r.reason);
    }
    QString text = tr("%n case(s) urged or supervised, %1 order(s) to terminals", nullptr, done).arg(orders);
    if (!refused.isEmpty())
    {
      // Each case that was not done, with its reason in full: a status bar would cut them off.
      text += tr("; %n not done (listed)", nullptr, static_cast<int>(refused.size()));
      showRefusals(tr("Not urged or supervised: %n case(s)", nullptr, static_cast<int>(refused.size())), refused);
    }
    statusBar()->showMessage(text, 15000);
  });
  // The alarm of overdue cases that must not wait (supervision.conf alarm_overdue): a red entry
  // in the status bar for as long as the wall's banner blinks; clicking it opens the wall.
  auto *alarm = new QPushButton(statusBar());
  alarm->setObjectName(QStringLiteral("alarmIndicator"));
  alarm->setFlat(true);
  alarm->setStyleSheet(QStringLiteral("QPushButton { color: white; background: #c62828; font-weight: bold; padding: 1px 8px; }"));
  alarm->hide();
  statusBar()->addPermanentWidget(alarm);
  connect(alarm, &QPushButton::clicked, this, [wallDock] {
    wallDock->show();
    wallDock->raise();
  });
  // It does not raise the wall by itself: that would take the case dock from under the
  // operator's hands in the middle of a step.
  connect(mSupervision, &SupervisionPanel::alarmsChanged, this, [this, alarm](int count, const QString &text) {
    alarm->setVisible(count > 0);
    alarm->setText(tr("⚠ %n overdue alarm(s)", nullptr, count));
    alarm->setToolTip(text);
    if (count > 0)
      statusBar()->showMessage(text, 30000);
    if (mBigScreen)
      mBigScreen->setAlarm(text);
  });
  connect(mSupervision, &SupervisionPanel::alarmsAcknowledged, this, [this](int count) {
    statusBar()->showMessage(tr("%n alarm(s) acknowledged by %1", nullptr, count).arg(mOperator), 10000);
  });
  connect(mEmergency, &EmergencyPanel::emergencyChanged, this, &MainWindow::showEmergencyOnMaps);
  connect(mEmergency, &EmergencyPanel::timelineChanged, this, [this](const std::vector<EmergencyEvent> &timeline) {
    if (mConference)
      mConference->setTimeline(timeline);
  });
  connect(mEmergency, &EmergencyPanel::conferenceViewRequested, this, [this](bool show) { showConferenceView(show); });
  connect(mEmergency, &EmergencyPanel::conferenceZoomRequested, this, [this](int step) {
    if (mConference)
      mConference->zoom(step);
  });
  connect(mEmergency, &EmergencyPanel::commandFinished, this, [this](bool, const QString &message) {
    statusBar()->showMessage(message, 10000);
  });

  QMenu *menu = menuBar()->addMenu(tr("C&ommand"));
  menu->setObjectName(QStringLiteral("menuCommand"));
  menu->addAction(wallDock->toggleViewAction());
  menu->addAction(emergencyDock->toggleViewAction());
  menu->addSeparator();
  QAction *declare = menu->addAction(tr("Declare an emergency at the case"));
  declare->setObjectName(QStringLiteral("actionDeclareEmergency"));
  declare->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
  connect(declare, &QAction::triggered, this, &MainWindow::declareEmergencyFromCase);
  QAction *big = menu->addAction(tr("Big screen"));
  big->setObjectName(QStringLiteral("actionBigScreen"));
  big->setShortcut(QKeySequence(Qt::Key_F11));
  // F10 and F11 work from the big screen and the conference view too, not only while the main
  // window has the focus: the presenter is usually in one of them (issue 13).
  big->setShortcutContext(Qt::ApplicationShortcut);
  connect(big, &QAction::triggered, this, [this] { showBigScreen(!mBigScreen || !mBigScreen->isVisible()); });
  QAction *conference = menu->addAction(tr("Conference view"));
  conference->setObjectName(QStringLiteral("actionConferenceView"));
  conference->setShortcut(QKeySequence(Qt::Key_F10));
  conference->setShortcutContext(Qt::ApplicationShortcut);
  connect(conference, &QAction::triggered, this, [this] { showConferenceView(!mConference || !mConference->isVisible()); });
  QAction *rules = menu->addAction(tr("Run the supervision rules now"));
  rules->setObjectName(QStringLiteral("actionRunRules"));
  connect(rules, &QAction::triggered, this, &MainWindow::runRulesNow);

  // One-key emergency from the map: click (the dock's radius) or drag out the radius.
  QgsMapCanvas *canvas = mUi->mapCanvas;
  mEmergencyTool = new map::RadiusSelectTool(canvas);
  mEmergencyTool->setParent(this);
  for (QToolBar *bar : findChildren<QToolBar *>())
    if (bar->objectName() == QLatin1String("mapToolBar"))
    {
      QAction *action = bar->addAction(tr("Emergency at a point"));
      action->setObjectName(QStringLiteral("actionEmergencyTool"));
      action->setCheckable(true);
      action->setShortcut(QKeySequence(Qt::Key_E));
      action->setToolTip(tr("Emergency at a point (E): click, or drag out the radius"));
      mEmergencyTool->setAction(action);
      connect(action, &QAction::triggered, this, [canvas, this] { canvas->setMapTool(mEmergencyTool); });
    }
  auto declareAtPoint = [this, canvas](const QgsPointXY &centre, double radius) {
    const QgsCoordinateTransform toLonLat(canvas->mapSettings().destinationCrs(),
                                          QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")), QgsProject::instance());
    try
    {
      const QgsPointXY at = toLonLat.transform(centre);
      mEmergency->declareAt(at.x(), at.y(), radius);
      if (auto *dock = findChild<QDockWidget *>(QStringLiteral("emergencyDock")))
      {
        dock->show();
        dock->raise();
      }
    }
    catch (const QgsCsException &e)
    {
      statusBar()->showMessage(tr("That point cannot be located: %1").arg(e.what()), 8000);
    }
  };
  connect(mEmergencyTool, &map::RadiusSelectTool::radiusSelected, this, declareAtPoint);
  // A plain click declares there with the dock's radius (declareAt takes it for radius 0).
  connect(mEmergencyTool, &map::RadiusSelectTool::pointClicked, this,
          [declareAtPoint](const QgsPointXY &point) { declareAtPoint(point, 0); });
  mMainRings = std::make_unique<EmergencyRings>(canvas);

  mRulesSeconds = kRulesEverySeconds;
  mBigScreenTimer = new QTimer(this);
  mBigScreenTimer->setInterval(kBigScreenEverySeconds * 1000);
  connect(mBigScreenTimer, &QTimer::timeout, this, &MainWindow::refreshBigScreen);
}

void MainWindow::openCommandService(const QString &path)
{
  mSupervision->setService(nullptr);
  mEmergency->setService(nullptr);
  mCommands = std::make_unique<CommandServiceThread>(path, mOperator);
  mCommands->onFailure([this](const QString &what) { statusBar()->showMessage(tr("An operation failed: %1").arg(what), 15000); });
  if (!mCommands->isOpen())
  {
    // The case work goes on; supervision and emergencies say why they are not there.
    statusBar()->showMessage(tr("Supervision and emergencies are off: %1").arg(mCommands->error()));
    mCommands.reset();
    return;
  }
  mSupervision->setService(mCommands.get());
  mEmergency->setService(mCommands.get());
  // Any subtree down to a grid: townships, their communities and grids, indented by level.
  std::vector<std::pair<QString, QString>> areas;
  if (mTree)
  {
    std::vector<const core::GridNode *> nodes;
    for (int level = 1; level <= 3; ++level)
      for (const core::GridNode *node : mTree->nodesAt(static_cast<core::GridLevel>(level)))
        nodes.push_back(node);
    std::sort(nodes.begin(), nodes.end(), [](const core::GridNode *a, const core::GridNode *b) {
      return a->code.str() < b->code.str();
    });
    for (const core::GridNode *node : nodes)
      areas.emplace_back(QString::fromStdString(node->code.str()),
                         QString(4 * (static_cast<int>(node->level()) - 1), QLatin1Char(' '))
                           + QString::fromStdString(node->name));
  }
  mSupervision->setAreas(areas);
  mCommands->call<std::vector<std::pair<QString, QString>>>(
    [](CommandService &service) { return service.departments(); }, this,
    [this](std::vector<std::pair<QString, QString>> departments) {
      mSupervision->setDepartments(departments);
      mEmergency->setDepartments(departments);
    });
  mCommands->call<std::vector<std::pair<QString, QString>>>(
    [](CommandService &service) { return service.incidentTypes(); }, this,
    [this](std::vector<std::pair<QString, QString>> types) { mEmergency->setIncidentTypes(types); });
  if (mWatcher)
    connect(mWatcher, &StoreWatcher::changed, mSupervision, &SupervisionPanel::storeChanged, Qt::UniqueConnection);
  mSupervision->reload();
  mEmergency->reloadOpenEmergencies();
  mRulesPath = path;
  startRules();
}

void MainWindow::startRules()
{
  delete mRules;
  mRules = nullptr;
  if (mRulesSeconds <= 0 || !mCommands)
    return;
  // On the same scheduler as griddispatch-gateway's, with a thread and a connection of its own.
  try
  {
    mRules = new RulesSchedule(mRulesPath, mRulesSeconds, this);
    connect(mRules, &RulesSchedule::ran, this, &MainWindow::showRulesRun);
  }
  catch (const std::exception &e)
  {
    statusBar()->showMessage(tr("The supervision rules could not run: %1").arg(QString::fromUtf8(e.what())), 15000);
  }
}

void MainWindow::setRulesInterval(int seconds)
{
  mRulesSeconds = std::max(0, seconds);
  startRules();
}

void MainWindow::runRulesNow()
{
  if (mRules)
    mRules->runNow();
}

void MainWindow::showRulesRun(const RulesRun &run)
{
  {
    static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
    const QString time = QDateTime::currentDateTimeUtc().toTimeZone(beijing).toString(QStringLiteral("HH:mm:ss"));
    for (const RuleFiringView &f : run.fired)
    {
      const QString rule = f.rule == QLatin1String("escalate_overdue") ? tr("automatic escalation")
                                                                          : tr("automatic supervision");
      auto *item = new QListWidgetItem(QStringLiteral("%1  %2").arg(time, tr("%1 of %2: %3").arg(rule, f.number, f.reason)));
      item->setData(Qt::UserRole, f.number);
      mFeedLog->insertItem(0, item);
    }
    if (!run.error.isEmpty())
      statusBar()->showMessage(tr("The supervision rules could not run: %1").arg(run.error), 15000);
    else if (!run.fired.empty())
      statusBar()->showMessage(tr("Supervision rules fired on %n case(s)", nullptr, static_cast<int>(run.fired.size())), 10000);
    if (!run.fired.empty())
      mSupervision->storeChanged();
    emit rulesRan(static_cast<int>(run.fired.size()));
  }
}

void MainWindow::declareEmergencyFromCase()
{
  if (mCurrentCase.isEmpty())
  {
    statusBar()->showMessage(tr("Select a case first, or use the map tool \"Emergency at a point\" (E)."), 8000);
    return;
  }
  mEmergency->declareFromCase(mCurrentCase);
  if (auto *dock = findChild<QDockWidget *>(QStringLiteral("emergencyDock")))
  {
    dock->show();
    dock->raise();
  }
}

void MainWindow::showEmergencyOnMaps(const EmergencyView &emergency, const NearbyView &nearby)
{
  if (emergency.open)
  {
    const bool fresh = !mMainRings->isShown();
    mMainRings->show(emergency.lon, emergency.lat, emergency.radiusM);
    if (fresh)
    {
      QgsRectangle extent = mMainRings->extent();
      extent.scale(1.6);
      mUi->mapCanvas->setExtent(extent);
      requestMapRefresh();
    }
  }
  else
  {
    mMainRings->hide();
  }
  if (mConference)
    mConference->setEmergency(emergency, nearby);
  // The hall learns of an emergency declared or closed now, not at the next 30-second refresh.
  if (mBigScreen && mBigScreen->isVisible())
    refreshBigScreen();
}

BigScreen *MainWindow::bigScreen() const
{
  return mBigScreen;
}

BigScreen *MainWindow::showBigScreen(bool show, const QSize &size)
{
  if (!show)
  {
    if (mBigScreen)
      mBigScreen->close();
    mBigScreenTimer->stop();
    return mBigScreen;
  }
  if (!mBigScreen)
  {
    mBigScreen = new BigScreen(tr("Comprehensive governance center"), this);
    mBigScreen->setAttribute(Qt::WA_DeleteOnClose, false);
  }
  QgsMapCanvas *canvas = mUi->mapCanvas;
  mBigScreen->setLayers(canvas->layers(), canvas->mapSettings().destinationCrs().authid(), canvas->fullExtent());
  std::vector<std::pair<QString, QgsRectangle>> townships;
  if (mGrids && mTree)
  {
    const QgsCoordinateTransform toCanvas(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                          canvas->mapSettings().destinationCrs(), QgsProject::instance());
    const QHash<QString, QgsGeometry> areas = mGrids->areas(core::GridLevel::Township);
    for (const core::GridNode *node : mTree->nodesAt(core::GridLevel::Township))
    {
      const auto it = areas.find(QString::fromStdString(node->code.str()));
      if (it == areas.end())
        continue;
      try
      {
        townships.emplace_back(QString::fromStdString(node->name), toCanvas.transformBoundingBox(it->boundingBox()));
      }
      catch (const QgsCsException &)
      {
      }
    }
  }
  mBigScreen->setTour(townships, kTourSeconds);
  if (size.isValid())
  {
    // As asked (a wall's size in tests and tours), even beyond this screen.
    mBigScreen->resize(size);
    mBigScreen->show();
  }
  else
  {
    // The hall's wall is usually the second output; on one screen it takes that one.
    const QList<QScreen *> screens = QGuiApplication::screens();
    if (!screens.isEmpty())
      mBigScreen->setGeometry(screens.last()->geometry());
    mBigScreen->showFullScreen();
  }
  mBigScreen->setAlarm(mSupervision->alarmText());
  mBigScreenTimer->start();
  refreshBigScreen();
  return mBigScreen;
}

void MainWindow::refreshBigScreen()
{
  if (!mBigScreen || !mCommands)
    return;
  struct Load
  {
    TodayFigures figures;
    WallView wall;
    std::vector<EmergencyView> emergencies;
  };
  mCommands->call<Load>(
    [](CommandService &service) {
      WallFilter overdue;
      overdue.overdueOnly = true;
      overdue.limit = 30;
      return Load{service.today(), service.wall(overdue), service.openEmergencies()};
    },
    this,
    [this](Load load) {
      if (!mBigScreen)
        return;
      mBigScreen->setFigures(load.figures);
      mBigScreen->setOverdue(load.wall.rows, load.wall.overdue);
      mBigScreen->setEmergencies(load.emergencies);
      emit bigScreenRefreshed();
    });
}

ConferenceView *MainWindow::conferenceView() const
{
  return mConference;
}

ConferenceView *MainWindow::showConferenceView(bool show, const QSize &size)
{
  if (!show)
  {
    if (mConference)
      mConference->hide();
    return mConference;
  }
  if (!mConference)
  {
    mConference = new ConferenceView(this);
    QgsMapCanvas *canvas = mUi->mapCanvas;
    mConference->setLayers(canvas->layers(), canvas->mapSettings().destinationCrs().authid());
  }
  if (!mEmergency->current().incident.isEmpty())
  {
    mConference->setEmergency(mEmergency->current(), mEmergency->nearby());
    mConference->setTimeline(mEmergency->timeline());
  }
  // As asked, or 1600×900 but never larger than the screen it opens on (the main window's).
  if (size.isValid())
    mConference->resize(size);
  else if (!mConference->isVisible())
    placeFitted(mConference, QSize(1600, 900), this);
  mConference->show();
  mConference->raise();
  return mConference;
}

} // namespace gd::console
