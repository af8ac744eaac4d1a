#include "console/command/commandcontroller.h"

#include "console/command/commandservice.h"
#include "console/command/commandviews.h"
#include "console/command/emergencypanel.h"
#include "console/command/supervisionpanel.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/session/rulesschedule.h"
#include "console/session/storewatcher.h"
#include "console/shell/windowfit.h"
#include "core/gridtree.h"
#include "map/canvasteardown.h"
#include "map/gridlayers.h"
#include "map/radiusselecttool.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>

#include <QDockWidget>
#include <QGuiApplication>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

namespace gd::console {

namespace {

//! How often the big screen's figures are refreshed, and how long its tour stays on a township.
constexpr int kBigScreenEverySeconds = 30;
constexpr int kTourSeconds = 20;

} // namespace

CommandController::CommandController(QMainWindow *window, ConsoleSession *session, MapViewController *map,
                                     DispatchController *dispatch, FieldController *field)
  : mWindow(window)
  , mSession(session)
  , mMap(map)
  , mDispatch(dispatch)
  , mField(field)
{
  mWallDock = new QDockWidget(tr("Supervision wall"), window);
  mWallDock->setObjectName(QStringLiteral("supervisionDock"));
  mSupervision = new SupervisionPanel(nullptr, mWallDock);
  mWallDock->setWidget(scrollable(mSupervision, mWallDock));
  mEmergencyDock = new QDockWidget(tr("Emergency"), window);
  mEmergencyDock->setObjectName(QStringLiteral("emergencyDock"));
  mEmergency = new EmergencyPanel(nullptr, mEmergencyDock);
  mEmergencyDock->setWidget(scrollable(mEmergency, mEmergencyDock));

  connect(mSupervision, &SupervisionPanel::caseActivated, dispatch, &DispatchController::selectCase);
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
      mDispatch->showRefusals(tr("Not urged or supervised: %n case(s)", nullptr, static_cast<int>(refused.size())), refused);
    }
    message(text, 15000);
  });
  // The alarm of overdue cases that must not wait (supervision.conf alarm_overdue): a red entry
  // in the status bar for as long as the wall's banner blinks; clicking it opens the wall.
  auto *alarm = mAlarm = new QPushButton(window->statusBar());
  alarm->setObjectName(QStringLiteral("alarmIndicator"));
  alarm->setFlat(true);
  alarm->setStyleSheet(QStringLiteral("QPushButton { color: white; background: #c62828; font-weight: bold; padding: 1px 8px; }"));
  alarm->hide();
  window->statusBar()->addPermanentWidget(alarm);
  connect(alarm, &QPushButton::clicked, this, [this] {
    mWallDock->show();
    mWallDock->raise();
  });
  // It does not raise the wall by itself: that would take the case dock from under the
  // operator's hands in the middle of a step.
  connect(mSupervision, &SupervisionPanel::alarmsChanged, this, [this, alarm](int count, const QString &text) {
    alarm->setVisible(count > 0 && mMayViewWall);
    alarm->setText(tr("⚠ %n overdue alarm(s)", nullptr, count));
    alarm->setToolTip(text);
    if (count > 0)
      message(text, 30000);
    if (mBigScreen)
      mBigScreen->setAlarm(text);
  });
  connect(mSupervision, &SupervisionPanel::alarmsAcknowledged, this, [this](int count) {
    message(tr("%n alarm(s) acknowledged by %1", nullptr, count).arg(mSession->operatorName()), 10000);
  });
  connect(mEmergency, &EmergencyPanel::emergencyChanged, this, &CommandController::showEmergencyOnMaps);
  connect(mEmergency, &EmergencyPanel::timelineChanged, this, [this](const std::vector<EmergencyEvent> &timeline) {
    if (mConference)
      mConference->setTimeline(timeline);
  });
  connect(mEmergency, &EmergencyPanel::conferenceViewRequested, this, [this](bool show) { showConferenceView(show); });
  connect(mEmergency, &EmergencyPanel::conferenceZoomRequested, this, [this](int step) {
    if (mConference)
      mConference->zoom(step);
  });
  connect(mEmergency, &EmergencyPanel::commandFinished, this, [this](bool, const QString &text) { message(text, 10000); });
  connect(session, &ConsoleSession::rulesRan, this, &CommandController::showRulesRun);
  connect(session, &ConsoleSession::changed, mSupervision, [this] { mSupervision->storeChanged(); });

  setUpMenu(window);
  setUpEmergencyTool(window);
  mMainRings = std::make_unique<EmergencyRings>(map->canvas());
  mBigScreenTimer = new QTimer(this);
  mBigScreenTimer->setInterval(kBigScreenEverySeconds * 1000);
  connect(mBigScreenTimer, &QTimer::timeout, this, &CommandController::refreshBigScreen);
}

CommandController::~CommandController()
{
  map::finishRenderJobs({mBigScreen ? mBigScreen->canvas() : nullptr, mConference ? mConference->canvas() : nullptr});
  delete mBigScreen;
  delete mConference;
  mMainRings.reset();
  if (mMap->canvas()->mapTool() == mEmergencyTool)
    mMap->canvas()->unsetMapTool(mEmergencyTool);
  delete mEmergencyTool;
}

void CommandController::message(const QString &text, int timeoutMs)
{
  mWindow->statusBar()->showMessage(text, timeoutMs);
}

void CommandController::setUpMenu(QMainWindow *window)
{
  QMenu *menu = window->menuBar()->addMenu(tr("C&ommand"));
  menu->setObjectName(QStringLiteral("menuCommand"));
  menu->addAction(mWallDock->toggleViewAction());
  menu->addAction(mEmergencyDock->toggleViewAction());
  menu->addSeparator();
  QAction *declare = menu->addAction(tr("Declare an emergency at the case"));
  declare->setObjectName(QStringLiteral("actionDeclareEmergency"));
  declare->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
  connect(declare, &QAction::triggered, this, &CommandController::declareEmergencyFromCase);
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
  connect(rules, &QAction::triggered, mSession, &ConsoleSession::runRulesNow);
}

void CommandController::setUpEmergencyTool(QMainWindow *window)
{
  // One-key emergency from the map: click (the dock's radius) or drag out the radius.
  QgsMapCanvas *canvas = mMap->canvas();
  mEmergencyTool = new map::RadiusSelectTool(canvas);
  if (auto *bar = window->findChild<QToolBar *>(QStringLiteral("mapToolBar")))
  {
    QAction *action = bar->addAction(tr("Emergency at a point"));
    action->setObjectName(QStringLiteral("actionEmergencyTool"));
    action->setCheckable(true);
    action->setShortcut(QKeySequence(Qt::Key_E));
    action->setToolTip(tr("Emergency at a point (E): click, or drag out the radius"));
    mEmergencyTool->setAction(action);
    connect(action, &QAction::triggered, this, [canvas, this] { canvas->setMapTool(mEmergencyTool); });
  }
  auto declareAtPoint = [this](const QgsPointXY &centre, double radius) {
    try
    {
      const QgsPointXY at = mMap->toLonLat(centre);
      mEmergency->declareAt(at.x(), at.y(), radius);
      mEmergencyDock->show();
      mEmergencyDock->raise();
    }
    catch (const QgsCsException &e)
    {
      message(tr("That point cannot be located: %1").arg(e.what()), 8000);
    }
  };
  connect(mEmergencyTool, &map::RadiusSelectTool::radiusSelected, this, declareAtPoint);
  // A plain click declares there with the dock's radius (declareAt takes it for radius 0).
  connect(mEmergencyTool, &map::RadiusSelectTool::pointClicked, this,
          [declareAtPoint](const QgsPointXY &point) { declareAtPoint(point, 0); });
}

void CommandController::applyRights(const OperatorRights &rights)
{
  mMayViewWall = rights.may(core::Action::WallView);
  const bool emergencies = rights.may(core::Action::EmergencyDeclare);
  const auto allow = [](QDockWidget *dock, bool allowed) {
    dock->toggleViewAction()->setVisible(allowed);
    if (!allowed)
      dock->hide();
  };
  allow(mWallDock, mMayViewWall);
  allow(mEmergencyDock, emergencies);
  if (!mMayViewWall)
    mAlarm->hide();
  mSupervision->setAllowed(rights.may(core::Action::CaseSupervise), rights.may(core::Action::FiguresView));
  const std::pair<const char *, bool> entries[] = {
    {"actionDeclareEmergency", emergencies},
    {"actionEmergencyTool", emergencies},
    {"actionConferenceView", emergencies},
    {"actionBigScreen", rights.may(core::Action::BigScreenView)},
    {"actionRunRules", rights.may(core::Action::CaseSupervise)},
  };
  for (const auto &[name, allowed] : entries)
    if (auto *action = mWindow->findChild<QAction *>(QLatin1String(name)))
    {
      action->setVisible(allowed);
      action->setEnabled(allowed); // a hidden action's shortcut does not fire either
    }
  if (auto *menu = mWindow->menuBar()->findChild<QMenu *>(QStringLiteral("menuCommand")))
  {
    bool any = false;
    for (QAction *action : menu->actions())
      any = any || (!action->isSeparator() && action->isVisible());
    menu->menuAction()->setVisible(any);
  }
}

void CommandController::servicesReady()
{
  CommandServiceThread *commands = mSession->commandService();
  mSupervision->setService(commands);
  mEmergency->setService(commands);
  if (!commands)
    return;
  // Any subtree down to a grid: townships, their communities and grids, indented by level.
  std::vector<std::pair<QString, QString>> areas;
  if (const core::GridTree *tree = mSession->grids())
  {
    std::vector<const core::GridNode *> nodes;
    for (int level = 1; level <= 3; ++level)
      for (const core::GridNode *node : tree->nodesAt(static_cast<core::GridLevel>(level)))
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
  commands->call<std::vector<std::pair<QString, QString>>>(
    [](CommandService &service) { return service.departments(); }, this,
    [this](std::vector<std::pair<QString, QString>> departments) {
      mSupervision->setDepartments(departments);
      mEmergency->setDepartments(departments);
    });
  commands->call<std::vector<std::pair<QString, QString>>>(
    [](CommandService &service) { return service.incidentTypes(); }, this,
    [this](std::vector<std::pair<QString, QString>> types) { mEmergency->setIncidentTypes(types); });
  mSupervision->reload();
  mEmergency->reloadOpenEmergencies();
}

void CommandController::showRulesRun(const RulesRun &run)
{
  {
    for (const RuleFiringView &f : run.fired)
    {
      const QString rule = f.rule == QLatin1String("escalate_overdue") ? tr("automatic escalation")
                                                                          : tr("automatic supervision");
      mField->addLogEntry(tr("%1 of %2: %3").arg(rule, f.number, f.reason), f.number);
    }
    if (!run.error.isEmpty())
      message(tr("The supervision rules could not run: %1").arg(run.error), 15000);
    else if (!run.fired.empty())
      message(tr("Supervision rules fired on %n case(s)", nullptr, static_cast<int>(run.fired.size())), 10000);
    if (!run.fired.empty())
      mSupervision->storeChanged();
    emit rulesRan(static_cast<int>(run.fired.size()));
  }
}

void CommandController::declareEmergencyFromCase()
{
  if (mDispatch->currentCase().isEmpty())
  {
    message(tr("Select a case first, or use the map tool \"Emergency at a point\" (E)."), 8000);
    return;
  }
  mEmergency->declareFromCase(mDispatch->currentCase());
  if (auto *dock = mEmergencyDock)
  {
    dock->show();
    dock->raise();
  }
}

void CommandController::showEmergencyOnMaps(const EmergencyView &emergency, const NearbyView &nearby)
{
  if (emergency.open)
  {
    const bool fresh = !mMainRings->isShown();
    mMainRings->show(emergency.lon, emergency.lat, emergency.radiusM);
    if (fresh)
    {
      QgsRectangle extent = mMainRings->extent();
      extent.scale(1.6);
      mMap->canvas()->setExtent(extent);
      mMap->requestRefresh();
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

BigScreen *CommandController::bigScreen() const
{
  return mBigScreen;
}

BigScreen *CommandController::showBigScreen(bool show, const QSize &size)
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
    mBigScreen = new BigScreen(tr("Comprehensive governance center"), mWindow);
    mBigScreen->setAttribute(Qt::WA_DeleteOnClose, false);
  }
  QgsMapCanvas *canvas = mMap->canvas();
  mBigScreen->setLayers(canvas->layers(), canvas->mapSettings().destinationCrs().authid(), canvas->fullExtent());
  std::vector<std::pair<QString, QgsRectangle>> townships;
  if (mMap->gridLayers() && mSession->grids())
  {
    const QgsCoordinateTransform toCanvas(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                          canvas->mapSettings().destinationCrs(), QgsProject::instance());
    const QHash<QString, QgsGeometry> areas = mMap->gridLayers()->areas(core::GridLevel::Township);
    for (const core::GridNode *node : mSession->grids()->nodesAt(core::GridLevel::Township))
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

void CommandController::refreshBigScreen()
{
  if (!mBigScreen || !mSession->commandService())
    return;
  struct Load
  {
    TodayFigures figures;
    WallView wall;
    std::vector<EmergencyView> emergencies;
  };
  mSession->commandService()->call<Load>(
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

ConferenceView *CommandController::conferenceView() const
{
  return mConference;
}

ConferenceView *CommandController::showConferenceView(bool show, const QSize &size)
{
  if (!show)
  {
    if (mConference)
      mConference->hide();
    return mConference;
  }
  if (!mConference)
  {
    mConference = new ConferenceView(mWindow);
    QgsMapCanvas *canvas = mMap->canvas();
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
    placeFitted(mConference, QSize(1600, 900), mWindow);
  mConference->show();
  mConference->raise();
  return mConference;
}

} // namespace gd::console
