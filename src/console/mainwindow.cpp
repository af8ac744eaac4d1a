#include "console/mainwindow.h"

#include "ui_mainwindowbase.h"

#include "console/audit/auditcontroller.h"
#include "console/command/commandcontroller.h"
#include "console/department/departmentcontroller.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/session/storewatcher.h"
#include "console/shell/helpoverlay.h"
#include "console/shell/statuswarnings.h"
#include "console/shell/theme.h"
#include "console/shell/windowfit.h"
#include "core/buildinfo.h"

#include <qgsmapcanvas.h>

#include <QActionGroup>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTimeZone>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace gd::console {

MainWindow::MainWindow(QWidget *parent)
  : QMainWindow(parent)
  , mUi(std::make_unique<Ui::MainWindowBase>())
{
  mUi->setupUi(this);
  setWindowTitle(tr("GridDispatch — Comprehensive Governance Command Console"));
  mUi->menuView->addAction(mUi->caseQueueDock->toggleViewAction());

  mSession = std::make_unique<ConsoleSession>();
  mMap = std::make_unique<MapViewController>(this, mUi->mapCanvas, mUi->menuView);
  mDispatch = std::make_unique<DispatchController>(this, mUi.get(), mSession.get(), mMap.get());
  mField = std::make_unique<FieldController>(this, mSession.get(), mMap.get(), mDispatch->caseQueueModel());
  connect(mField.get(), &FieldController::caseActivated, mDispatch.get(), &DispatchController::selectCase);
  connect(mSession.get(), &ConsoleSession::message, statusBar(), &QStatusBar::showMessage);
  connect(mMap.get(), &MapViewController::message, statusBar(), &QStatusBar::showMessage);
  connectSession();
  arrangeDocks();
  setUpThemeMenu();
  connect(mUi->actionQuit, &QAction::triggered, this, &QWidget::close);
  connect(mUi->actionZoomToDistrict, &QAction::triggered, mMap.get(), &MapViewController::zoomToDistrict);
  connect(mUi->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
  setUpStatusBar();

  mCommand = std::make_unique<CommandController>(this, mSession.get(), mMap.get(), mDispatch.get(), mField.get());
  addDockWidget(Qt::RightDockWidgetArea, mCommand->supervisionDock());
  addDockWidget(Qt::RightDockWidgetArea, mCommand->emergencyDock());
  tabifyDockWidget(mDispatch->caseDock(), mCommand->supervisionDock());
  tabifyDockWidget(mDispatch->caseDock(), mCommand->emergencyDock());
  mDispatch->caseDock()->raise();
  connect(mSession.get(), &ConsoleSession::servicesReady, mCommand.get(), &CommandController::servicesReady);

  // The department seat (issue 17): its inbox, or at the center the extension requests to decide.
  mDepartment = std::make_unique<DepartmentController>(this, mSession.get());
  addDockWidget(Qt::RightDockWidgetArea, mDepartment->dock());
  tabifyDockWidget(mUi->caseQueueDock, mDepartment->dock()); // the queue's room: a tree of cases and notices
  mUi->menuView->addAction(mDepartment->dock()->toggleViewAction());
  connect(mSession.get(), &ConsoleSession::servicesReady, mDepartment.get(), &DepartmentController::servicesReady);
  connect(mDepartment.get(), &DepartmentController::caseActivated, mDispatch.get(), &DispatchController::selectCase);

  // The audit viewer (issue 17): its dock appears when a store opens for an operator with audit.read.
  new AuditController(this, mSession.get());

  setUpHelp();
  setOperatorName(qEnvironmentVariable("USER", QStringLiteral("operator")));
}

MainWindow::~MainWindow()
{
  // The queue's hold goes first (it lets held cases in when the queue hides, which ~QWidget
  // does after this body); then the writers and readers of the store, so nothing arrives
  // while the window comes apart; then the big screen and conference view, which draw the
  // map's layers; the map last, once every render job ended.
  mDispatch.reset();
  mDepartment.reset();
  mSession.reset();
  mCommand.reset();
  mField.reset();
  mMap.reset();
}

void MainWindow::connectSession()
{
  ConsoleSession *session = mSession.get();
  connect(session, &ConsoleSession::storeOpened, this, [this](const StoreOverview &overview) {
    mMap->showStore(overview, *mSession->grids());
    mDispatch->showStore(overview);
    mStoreCheck->watch(mSession->storePath());
  });
  connect(session, &ConsoleSession::casesRead, this, [this](const OpenCaseChunk &chunk) {
    if (!mSession->rights().may(core::Action::CaseView))
      return; // an administrator's seat shows no case (三员分立)
    mMap->addCases(chunk);
    mDispatch->addCases(chunk);
  });
  connect(session, &ConsoleSession::casesLoaded, this, [this](const QString &error) {
    mDispatch->casesLoaded();
    mMap->finishLoading();
    if (!error.isEmpty())
      statusBar()->showMessage(tr("The open cases could not be read: %1").arg(error));
  });
  connect(session, &ConsoleSession::servicesReady, mDispatch.get(), &DispatchController::servicesReady);
  // The feed log tells a new case from a changed one by the queue as it was: it goes first.
  // A seat without case.view (an administrator's) takes no case into its window, first read or live.
  connect(session, &ConsoleSession::changed, this, [this](const StoreChanges &changes) {
    if (!mSession->rights().may(core::Action::CaseView))
      return;
    mMap->applyChanges(changes);
    mField->applyChanges(changes);
    mDispatch->applyChanges(changes);
  });
}

void MainWindow::arrangeDocks()
{
  QDockWidget *caseDock = mDispatch->caseDock();
  QDockWidget *duplicatesDock = mDispatch->duplicatesDock();
  QDockWidget *workersDock = mField->workersDock();
  QDockWidget *feedDock = mField->feedDock();
  QDockWidget *gatewaysDock = mField->gatewaysDock();
  addDockWidget(Qt::RightDockWidgetArea, caseDock);
  addDockWidget(Qt::BottomDockWidgetArea, duplicatesDock);
  addDockWidget(Qt::BottomDockWidgetArea, workersDock);
  addDockWidget(Qt::BottomDockWidgetArea, feedDock);
  addDockWidget(Qt::BottomDockWidgetArea, gatewaysDock);
  // The queue above the case on the right; the feed, duplicates, workers and map details share
  // one low tab strip under the map, so the queue and the timeline get the height. The right
  // docks run from the toolbar down to the status bar (the bottom tabs stay under the map):
  // on a 1080-line screen that is room for 15 and more queue rows.
  setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  splitDockWidget(mUi->caseQueueDock, caseDock, Qt::Vertical);
  tabifyDockWidget(feedDock, duplicatesDock);
  tabifyDockWidget(feedDock, workersDock);
  tabifyDockWidget(feedDock, gatewaysDock);
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
  for (QDockWidget *dock : {caseDock, duplicatesDock, workersDock, feedDock, gatewaysDock})
    mUi->menuView->addAction(dock->toggleViewAction());
}

void MainWindow::setUpThemeMenu()
{
  QMenu *theme = mThemeMenu = mUi->menuView->addMenu(tr("Theme"));
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

void MainWindow::setUpStatusBar()
{
  statusBar()->addPermanentWidget(mMap->hoverLabel());
  mClockLabel = new QLabel(this);
  mClockLabel->setToolTip(tr("The clock that SLA deadlines are measured against"));
  statusBar()->addWidget(mField->feedLabel(), 1);
  // A large store is checked after it opened, so the window shows at once (docs/performance.md).
  checkLargeStoresInBackground();
  mStoreCheck = new StoreCheckLabel(this);
  statusBar()->addPermanentWidget(mStoreCheck);
  mCalendarWarning = new CalendarWarningLabel(this);
  statusBar()->addPermanentWidget(mCalendarWarning);
  statusBar()->addPermanentWidget(new StoreWaitLabel(this));
  statusBar()->addPermanentWidget(mClockLabel);
  mClockTimer = new QTimer(this);
  connect(mClockTimer, &QTimer::timeout, this, &MainWindow::updateClock);
  mClockTimer->start(1000);
  updateClock();
}

void MainWindow::setUpHelp()
{
  mHelp = new HelpOverlay(this);
  QAction *help = mUi->menuHelp->addAction(tr("Keyboard shortcuts"));
  help->setShortcut(QKeySequence(Qt::Key_F1));
  connect(help, &QAction::triggered, mHelp, &HelpOverlay::toggle);
  const QList<QAction *> steps = mDispatch->stepActions();
  mHelp->addGroup(tr("Case steps"), steps);
  QList<QAction *> others;
  for (QAction *action : mUi->menuCase->actions())
    if (!steps.contains(action))
      others << action;
  mHelp->addGroup(tr("Queue and search"), others);
  QList<QAction *> mapActions;
  if (auto *bar = findChild<QToolBar *>(QStringLiteral("mapToolBar")))
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

QgsMapCanvas *MainWindow::mapCanvas() const
{
  return mUi->mapCanvas;
}

void MainWindow::setOperatorName(const QString &name)
{
  mSession->setOperatorName(name);
  restoreLayout();
}

QString MainWindow::operatorName() const
{
  return mSession->operatorName();
}

bool MainWindow::openStore(const QString &path, QString *error)
{
  applyRights(mSession->rights());
  return mSession->open(path, error);
}

void MainWindow::applyRights(const OperatorRights &rights)
{
  if (!rights.enforced())
    return; // a store without accounts: everything, as before accounts existed
  mDispatch->applyRights(rights);
  mCommand->applyRights(rights);
  const bool map = rights.may(core::Action::MapView);
  if (!map)
  {
    // No map: its toolbars, its docks and its View entries go (the theme stays), and so do the
    // field docks, which show where workers and terminals are.
    for (QToolBar *bar : findChildren<QToolBar *>())
    {
      bar->hide();
      bar->toggleViewAction()->setVisible(false);
    }
    QList<QDockWidget *> docks{mField->workersDock(), mField->feedDock(), mField->gatewaysDock()};
    for (const char *name : {"detailsDock", "layerDock"})
      if (auto *dock = findChild<QDockWidget *>(QLatin1String(name)))
        docks << dock;
    for (QDockWidget *dock : docks)
    {
      dock->hide();
      dock->toggleViewAction()->setVisible(false);
    }
    for (QAction *action : mUi->menuView->actions())
      if (!action->isSeparator() && action != mThemeMenu->menuAction())
        action->setVisible(false);
  }
  if (map && rights.may(core::Action::CaseView))
    return;
  // The map canvas stays alive (the map's controller draws on it), out of sight.
  if (QWidget *canvas = takeCentralWidget())
  {
    canvas->setParent(this);
    canvas->hide();
  }
  mAdministrationArea = new QWidget(this);
  mAdministrationArea->setObjectName(QStringLiteral("administrationArea"));
  auto *layout = new QVBoxLayout(mAdministrationArea);
  auto *notice = new QLabel(mAdministrationArea);
  notice->setObjectName(QStringLiteral("administrationNotice"));
  notice->setWordWrap(true);
  notice->setTextFormat(Qt::RichText);
  QStringList roles;
  for (const core::Role role : rights.roles)
    roles << QString::fromUtf8(core::roleNameZh(role).data(), static_cast<int>(core::roleNameZh(role).size()));
  notice->setText(tr("<h2>%1</h2><p>This account (%2) is one of the center's administrators. By the separation of the three "
                     "administrators (三员分立) it sees no cases, no reporters and no map: the case work is done from "
                     "the working seats.</p>")
                    .arg(rights.displayName.toHtmlEscaped(), roles.join(QStringLiteral("、")).toHtmlEscaped()));
  layout->addWidget(notice);
  // No taller than its words: the administrators' own tools (the audit viewer for audit.read …)
  // are docks and take the rest of the window (found walking at 1920×1080, where the notice kept
  // half the height empty).
  notice->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
  mAdministrationArea->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
  setCentralWidget(mAdministrationArea);
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
  settings.beginGroup(QStringLiteral("operators/%1").arg(operatorName()));
  if (settings.contains(QStringLiteral("windowState")))
  {
    mGeometryRestored = restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
  }
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
  settings.beginGroup(QStringLiteral("operators/%1").arg(operatorName()));
  settings.setValue(QStringLiteral("geometry"), saveGeometry());
  settings.setValue(QStringLiteral("windowState"), saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
  saveLayout();
  QMainWindow::closeEvent(event);
}

void MainWindow::updateClock()
{
  // Deadlines run on Beijing time whatever zone the workstation is set to.
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
  const QDateTime now = QDateTime::currentDateTimeUtc().toTimeZone(beijing);
  mClockLabel->setText(tr("SLA clock: %1").arg(QLocale().toString(now, QStringLiteral("yyyy-MM-dd dddd HH:mm:ss"))));
  mCalendarWarning->showFor(now.date());
}

void MainWindow::showAbout()
{
  QMessageBox::about(this, tr("About GridDispatch"),
                     tr("<b>GridDispatch %1</b><p>Command and dispatch console for comprehensive governance "
                        "centers: the grid tree on the map, cases from report to archive, supervision and "
                        "emergency dispatch.</p>")
                       .arg(QString::fromLatin1(core::kVersion)));
}

} // namespace gd::console
