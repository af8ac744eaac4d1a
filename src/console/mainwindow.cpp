#include "console/mainwindow.h"
#include "console/datetimetext.h"

#include "ui_mainwindowbase.h"

#include "console/casequeuefilter.h"
#include "console/casequeuemodel.h"
#include "console/queuefilterbar.h"
#include "console/queuehold.h"
#include "core/buildinfo.h"
#include "core/gridindex.h"
#include "core/gridtree.h"
#include "map/canvasteardown.h"
#include "map/caselayer.h"
#include "map/districtlayer.h"
#include "map/gridlayers.h"
#include "map/identifytool.h"
#include "map/layerpanel.h"
#include "map/radiusselecttool.h"
#include "map/workerlayer.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "console/storeaccess.h"
#include "console/embeddedgateway.h"
#include "console/storewatcher.h"
#include "console/storeloader.h"
#include "console/statuswarnings.h"
#include "console/commandviews.h"
#include "console/emergencypanel.h"
#include "console/supervisionpanel.h"
#include "console/windowfit.h"
#include "console/rulesschedule.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsproject.h>
#include <qgsexception.h>
#include <qgsexpression.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsgeometry.h>
#include <qgsdatasourceuri.h>
#include <qgsdistancearea.h>
#include <qgsrasterlayer.h>
#include <qgsmapcanvas.h>
#include <qgsmaptoolemitpoint.h>
#include <qgsmaptoolextent.h>
#include <qgsmaptoolpan.h>
#include <qgsvectorlayer.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QActionGroup>
#include <QDesktopServices>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QSettings>
#include <QDockWidget>
#include <QLabel>
#include <QTextBrowser>
#include <QLineEdit>
#include <QToolBar>
#include <QLocale>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QTimeZone>
#include <QTimer>

namespace gd::console {

MainWindow::MainWindow(QWidget *parent)
  : QMainWindow(parent)
  , mUi(std::make_unique<Ui::MainWindowBase>())
{
  mUi->setupUi(this);
  qRegisterMetaType<gd::console::ActionOutcome>();
  setWindowTitle(tr("GridDispatch — Comprehensive Governance Command Console"));

  QgsMapCanvas *canvas = mUi->mapCanvas;
  connect(canvas, &QgsMapCanvas::mapCanvasRefreshed, this, [this] {
    if (mRefreshPending)
      requestMapRefresh();
  });
  connect(canvas, &QgsMapCanvas::scaleChanged, this, [canvas](double scale) { map::setLabelsForScale(canvas->layers(), scale); });
  canvas->setCanvasColor(QColor(246, 247, 249));
  // Each layer's image is cached: a live batch redraws the case layers only, not the 6,000
  // grid polygons and their labels underneath.
  canvas->setCachingEnabled(true);
  // A found or selected grid is tinted, not painted over: its pins and points stay visible.
  canvas->setSelectionColor(QColor(255, 170, 0, 60));
  // Data stay in CGCS2000 lon/lat (EPSG:4490); the canvas draws in the CGCS2000 3-degree
  // Gauss-Krüger zone of the district (CM 99°E) so shapes keep their true proportions.
  canvas->setDestinationCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4542")));
  canvas->enableAntiAliasing(true);
  mDistrictLayer = map::createPlaceholderDistrictLayer(tr("District"));
  canvas->setLayers({mDistrictLayer.get()});
  zoomToDistrict();

  mCaseQueueModel = new CaseQueueModel(this);
  mCaseQueueProxy = new CaseQueueFilter(this);
  mCaseQueueProxy->setSourceModel(mCaseQueueModel);
  // A case that leaves the queue (merged, closed, filtered out) must not drag the detail
  // to whichever row Qt makes current next: the operator keeps seeing the case acted on.
  // Connected before the view's selection model so the flag is up when it moves current.
  connect(mCaseQueueProxy, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { mQueueRowsLeaving = true; });
  connect(mCaseQueueProxy, &QAbstractItemModel::rowsRemoved, this, [this] {
    mQueueRowsLeaving = false;
    if (!mCurrentCase.isEmpty() && mCaseQueueProxy->proxyRowOf(mCurrentCase) < 0)
    {
      mSelectingCase = true;
      mUi->caseQueueView->selectionModel()->clear();
      mSelectingCase = false;
    }
  });
  mUi->caseQueueView->setModel(mCaseQueueProxy);
  mUi->caseQueueView->horizontalHeader()->setStretchLastSection(true);
  mUi->caseQueueView->verticalHeader()->hide();
  // Fixed row heights: the view never measures 100,000 rows.
  mUi->caseQueueView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  mUi->caseQueueView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
  mUi->caseQueueView->setSelectionMode(QAbstractItemView::ExtendedSelection);
  mUi->caseQueueView->setEditTriggers(QAbstractItemView::NoEditTriggers);
  mUi->caseQueueView->sortByColumn(CaseQueueModel::Deadline, Qt::AscendingOrder);
  // The case number, its category and grid are never cut: their columns grow to the longest
  // text the queue holds (measured as rows arrive, not by ResizeToContents, which would measure
  // 1,000 rows on every change of the live queue).
  connect(mCaseQueueModel, &QAbstractItemModel::rowsInserted, this,
          [this](const QModelIndex &, int first, int last) { fitQueueColumns(first, last); });
  connect(mCaseQueueModel, &QAbstractItemModel::modelReset, this, [this] { fitQueueColumns(0, mCaseQueueModel->rowCount() - 1); });
  // The case number whole (it was cut to "620902-20261…" at the default width): it is what
  // the operator reads out on the phone and types into the filter.
  mUi->caseQueueView->horizontalHeader()->resizeSection(
    CaseQueueModel::Number, mUi->caseQueueView->fontMetrics().horizontalAdvance(QStringLiteral("620902-20261207-000000")) + 16);
  mQueueHold = new QueueHold(mUi->caseQueueView, mCaseQueueModel, mCaseQueueProxy, this);
  connect(mQueueHold, &QueueHold::released, this, &MainWindow::showCurrentCaseInQueue);
  mFilterBar = mUi->queueFilterBar;
  connect(mFilterBar, &QueueFilterBar::criteriaChanged, mCaseQueueProxy, &CaseQueueFilter::setCriteria);
  connect(mCaseQueueModel, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyHint);
  connect(mCaseQueueModel, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateEmptyHint);
  connect(mCaseQueueModel, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateEmptyHint);
  updateEmptyHint();
  resizeDocks({mUi->caseQueueDock}, {560}, Qt::Horizontal);
  mUi->menuView->addAction(mUi->caseQueueDock->toggleViewAction());

  QToolBar *searchBar = addToolBar(tr("Search"));
  searchBar->setObjectName(QStringLiteral("searchToolBar"));
  mSearchEdit = new QLineEdit(searchBar);
  mSearchEdit->setObjectName(QStringLiteral("searchEdit"));
  mSearchEdit->setPlaceholderText(tr("Find a grid (code or name), a case number or a place"));
  mSearchEdit->setClearButtonEnabled(true);
  mSearchEdit->setMinimumWidth(420);
  searchBar->addWidget(mSearchEdit);
  connect(mSearchEdit, &QLineEdit::returnPressed, this, &MainWindow::searchFromBox);

  setUpMapTools();
  setUpViewMenu();
  setUpCaseActions();
  setUpDocks();
  connect(mUi->actionQuit, &QAction::triggered, this, &QWidget::close);
  connect(mUi->actionZoomToDistrict, &QAction::triggered, this, &MainWindow::zoomToDistrict);
  connect(mUi->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
  setUpStatusBar();
  setUpCommand();
  setUpHelp();
  setOperatorName(qEnvironmentVariable("USER", QStringLiteral("operator")));
}

MainWindow::~MainWindow()
{
  // The queue's hold lets held cases in when the queue is hidden, which ~QWidget does to every
  // child after this window's members are gone: the hold goes first, and nothing of the queue's
  // model reaches this window any more (its slots use members).
  delete mQueueHold;
  mQueueHold = nullptr;
  // The rules' thread writes to the store: it stops with the other writers.
  delete mRules;
  mRules = nullptr;
  disconnect(mCaseQueueModel, nullptr, this, nullptr);
  // The gateway stops first (every acknowledged frame committed), then the watcher's thread:
  // nothing may arrive while the window comes apart.
  mGateway.reset();
  mService.reset();
  mCommands.reset();
  // A render job that a refresh detached from a canvas runs on and would write into the canvas
  // after it is gone (map/canvasteardown.h): every job ends first.
  map::finishRenderJobs({mUi->mapCanvas, mBigScreen ? mBigScreen->canvas() : nullptr,
                         mConference ? mConference->canvas() : nullptr});
  // The big screen and the conference view draw the window's layers: they go before them.
  delete mBigScreen;
  delete mConference;
  mMainRings.reset();
  mLoader.reset();
  delete mWatcher;
  mWatcher = nullptr;
  // The canvas must let go of the layers before they are destroyed, and the map tools, which
  // talk to the canvas in their destructors, must go before it.
  mUi->mapCanvas->setLayers({});
  mBaseMap.reset();
  mUi->mapCanvas->unsetMapTool(mUi->mapCanvas->mapTool());
  delete mPanTool;
  delete mIdentifyTool;
  delete mRadiusTool;
  delete mEmergencyTool;
  delete mRectangleTool;
  delete mPickTool;
}

bool MainWindow::openStore(const QString &path, QString *error)
{
  // Everything is read through the store's own connection, never through QGIS's OGR provider
  // (see GridLayers for why). The district view first — grids, points of interest and the
  // open cases counted per grid — then the cases themselves from a thread of their own, which
  // starts reading at once (its own connection), while the overview is read and drawn.
  auto loader = std::make_unique<StoreLoader>(path);
  loader->start();
  StoreOverview snapshot;
  try
  {
    snapshot = readStoreOverview(path);
  }
  catch (const std::exception &e)
  {
    if (error)
      *error = tr("%1 could not be opened as a store: %2").arg(path, QString::fromUtf8(e.what()));
    return false;
  }
  if (snapshot.grids.nodesAt(core::GridLevel::District).empty())
  {
    if (error)
      *error = tr("%1 has no grids yet: import boundaries with griddispatch-ctl import-grids, or start with --demo").arg(path);
    return false;
  }
  auto grids = map::GridLayers::fromTree(snapshot.grids, map::defaultStyleDir());
  auto pois = map::PoiLayers::fromPoints(snapshot.pois, map::defaultStyleDir());
  auto cases = std::make_unique<map::LiveCaseLayer>();
  auto workers = std::make_unique<map::WorkerLayer>();

  // Per-grid and per-community summaries need their areas.
  cases->setGrids(grids->areas(core::GridLevel::Grid));
  cases->setCommunities(grids->areas(core::GridLevel::Community));
  cases->showStoreCounts(snapshot.counts);
  mQueueHold->clear();
  mCaseQueueModel->setRows({});

  mUi->mapCanvas->setLayers({});
  mLoader.reset();
  delete mWatcher;
  mWatcher = nullptr;
  mGrids = std::move(grids);
  mPois = std::move(pois);
  mCases = std::move(cases);
  mWorkers = std::move(workers);
  updateCanvasLayers();
  mStorePath = path;
  mStoreCheck->watch(path);
  // Polled every 20 ms (a few indexed reads on its own connection), delivered at most 10 times a
  // second: a change waits for the poll at most 20 ms of its 300 ms budget.
  mWatcher = new StoreWatcher(path, std::chrono::milliseconds(20), std::chrono::milliseconds(100), this);
  connect(mWatcher, &StoreWatcher::changed, this, &MainWindow::applyStoreChanges);
  // Overdue and emergency pins come first (drawn at every zoom), one chunk per turn of the
  // event loop; the watcher carries on from the loader's read once every case is in.
  mLoader = std::move(loader); // started above; its chunks arrive once the event loop runs
  // While loading, rows join the queue unsorted (alerts first, as read): a sorted proxy places
  // each inserted row on its own, 2,000 rows into 30,000 took most of a chunk's time. One
  // sort when every row is in.
  mCaseQueueProxy->setDynamicSortFilter(false);
  // The map is redrawn once the overdue and emergency pins are all in (what the district view
  // shows) and once at the end, not after every chunk: renders in between would only take the
  // CPU the loading needs.
  auto alertsShown = std::make_shared<bool>(false);
  connect(mLoader.get(), &StoreLoader::casesRead, this, [this, alertsShown](const OpenCaseChunk &chunk) {
    mCases->apply(chunk.pins);
    mCaseQueueModel->applyChanges(chunk.rows, {});
    if (!chunk.hasAlertPins() && !*alertsShown)
    {
      *alertsShown = true;
      requestMapRefresh();
    }
  });
  connect(mLoader.get(), &StoreLoader::finished, this, [this](const OpenCaseCursor &cursor, int) {
    mCaseQueueProxy->setDynamicSortFilter(true);
    mCases->finishLoading();
    requestMapRefresh();
    mWatcher->startFrom(cursor.eventId, cursor.readAtSecs);
    emit casesLoaded();
  });
  connect(mLoader.get(), &StoreLoader::failed, this, [this](const QString &message) {
    mCaseQueueProxy->setDynamicSortFilter(true);
    mCases->finishLoading();
    statusBar()->showMessage(tr("The open cases could not be read: %1").arg(message));
    mWatcher->start();
    emit casesLoaded();
  });
  mDistrictLayer.reset();
  zoomToDistrict();

  mHoverIndex.reset();
  mTree = std::make_unique<core::GridTree>(snapshot.grids);
  mHoverIndex = std::make_unique<core::GridIndex>(*mTree);

  mService = std::make_unique<CaseServiceThread>(path, mOperator);
  // A step that failed unexpectedly (not a refusal, which the step reports itself) is said.
  mService->onFailure([this](const QString &what) { statusBar()->showMessage(tr("An operation failed: %1").arg(what), 15000); });
  if (!mService->isOpen())
  {
    if (error)
      *error = tr("%1: the case service could not start: %2").arg(path, mService->error());
    mService.reset();
    return false;
  }
  openCommandService(path);
  std::vector<Choice> gridChoices;
  for (int level = 1; level <= 3; ++level)
    for (const core::GridNode *node : snapshot.grids.nodesAt(static_cast<core::GridLevel>(level)))
      gridChoices.push_back({QString::fromStdString(node->code.str()), QString::fromStdString(node->name),
                             QString(2 * (level - 1), QLatin1Char(' '))});
  std::sort(gridChoices.begin(), gridChoices.end(), [](const Choice &a, const Choice &b) { return a.code < b.code; });
  mService->call<std::vector<std::vector<Choice>>>(
    [](CaseService &service) {
      return std::vector<std::vector<Choice>>{service.families(), service.categories(), service.departments()};
    },
    this, [this, gridChoices](std::vector<std::vector<Choice>> choices) {
      mFilterBar->setChoices(choices[0], choices[1], choices[2], gridChoices);
      mCategoryChoices = choices[1];
    });
  return true;
}

void MainWindow::fitQueueColumns(int first, int last)
{
  QTableView *view = mUi->caseQueueView;
  const QFontMetrics metrics = view->fontMetrics();
  // As the item delegate lays a cell out: the text plus its margins on either side.
  const int margin = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1) + 4;
  auto widen = [view, margin](int column, int textWidth) {
    const int needed = std::max(textWidth + margin, view->horizontalHeader()->sectionSizeHint(column));
    if (view->columnWidth(column) < needed)
      view->setColumnWidth(column, needed);
  };
  // Numbers and grid codes have one length each: measured when a longer one comes. The few
  // dozen categories are measured once each.
  for (int row = std::max(first, 0); row <= last && row < mCaseQueueModel->rowCount(); ++row)
  {
    const CaseQueueRow &queued = mCaseQueueModel->row(row);
    if (queued.number.size() > mLongestNumber)
    {
      mLongestNumber = static_cast<int>(queued.number.size());
      widen(CaseQueueModel::Number, metrics.horizontalAdvance(queued.number));
    }
    if (queued.grid.size() > mLongestGrid)
    {
      mLongestGrid = static_cast<int>(queued.grid.size());
      widen(CaseQueueModel::Grid, metrics.horizontalAdvance(queued.grid));
    }
    if (!mMeasuredCategories.contains(queued.category))
    {
      mMeasuredCategories.insert(queued.category);
      widen(CaseQueueModel::Category, metrics.horizontalAdvance(queued.category));
    }
  }
}

bool MainWindow::isLoadingCases() const
{
  return mLoader && !mLoader->isDone();
}

bool MainWindow::waitForCases(int timeoutMs)
{
  QElapsedTimer timer;
  timer.start();
  while (isLoadingCases() && timer.elapsed() < timeoutMs)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  return !isLoadingCases();
}

void MainWindow::applyStoreChanges(const StoreChanges &changes)
{
  if (mCases)
    mCases->apply(changes.cases, changes.closedCases);
  if (mWorkers && !changes.workers.empty())
    mWorkers->apply(changes.workers);
  noteFeedChanges(changes);
  // Through the hold: while the pointer is over the queue its rows stay where they are.
  mQueueHold->apply(changes.rows, changes.closedCases);
  updateWorkersDock(changes);
  requestMapRefresh();
  // The case on screen changed under the operator: show it as it is now, and say so.
  if (!mCurrentCase.isEmpty())
  {
    showCurrentCaseInQueue();
    bool touched = changes.closedCases.contains(mCurrentCase);
    for (const CaseQueueRow &row : changes.rows)
      touched = touched || row.number == mCurrentCase;
    if (touched)
      loadDetail(mCurrentCase, true);
  }
}

void MainWindow::showCurrentCaseInQueue()
{
  // A case opened before the queue had it (just taken at intake) is highlighted as it lands.
  if (mCurrentCase.isEmpty())
    return;
  const int queueRow = mCaseQueueProxy->proxyRowOf(mCurrentCase);
  if (queueRow >= 0 && mUi->caseQueueView->currentIndex().row() != queueRow)
  {
    mSelectingCase = true;
    mUi->caseQueueView->selectionModel()->setCurrentIndex(mCaseQueueProxy->index(queueRow, 0),
                                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    mSelectingCase = false;
  }
}

void MainWindow::requestMapRefresh()
{
  if (mUi->mapCanvas->isDrawing())
  {
    mRefreshPending = true;
    return;
  }
  mRefreshPending = false;
  mUi->mapCanvas->refresh();
}

void MainWindow::updateCanvasLayers()
{
  QList<QgsMapLayer *> layers;
  if (mCases)
    layers << mCases->layers();
  if (mWorkers)
    layers << mWorkers->layer();
  if (mPois)
    layers << mPois->layer();
  if (mGrids)
    layers << mGrids->layers();
  else if (mDistrictLayer)
    layers << mDistrictLayer.get();
  if (mBaseMap)
    layers << mBaseMap.get();
  if (mGrids)
    mGrids->setBoundaryHalos(mBaseMap != nullptr); // readable over a base map; invisible without one
  map::setLabelsForScale(layers, mUi->mapCanvas->scale()); // keeps the label cache usable (see there)
  mUi->mapCanvas->setLayers(layers);

  // Identify looks at what matters most first, and at the finest grid level before coarser ones.
  QList<QgsMapLayer *> identifiable;
  if (mCases)
    identifiable << mCases->pinLayers();
  if (mWorkers)
    identifiable << mWorkers->layer();
  if (mPois)
    identifiable << mPois->layer();
  if (mGrids)
    for (int level = 4; level >= 0; --level)
      identifiable << mGrids->layer(static_cast<core::GridLevel>(level));
  mIdentifyTool->setIdentifyLayers(identifiable);
}

void MainWindow::setUpViewMenu()
{
  using View = map::LiveCaseLayer::DistrictView;
  using Measure = map::LiveCaseLayer::Measure;
  QMenu *summary = mUi->menuView->addMenu(tr("Open cases at district zoom"));
  auto *group = new QActionGroup(this);
  const struct
  {
    QString text;
    View view;
    Measure measure;
  } choices[] = {
    {tr("Counts per community and grid"), View::Counts, Measure::Open},
    {tr("Heatmap"), View::Heatmap, Measure::Open},
    {tr("Grids shaded by open cases"), View::Choropleth, Measure::Open},
    {tr("Grids shaded by overdue cases"), View::Choropleth, Measure::Overdue},
    {tr("Grids shaded by cases new today"), View::Choropleth, Measure::NewToday},
  };
  for (const auto &choice : choices)
  {
    QAction *action = summary->addAction(choice.text);
    action->setCheckable(true);
    action->setChecked(choice.view == View::Counts);
    group->addAction(action);
    connect(action, &QAction::triggered, this, [this, view = choice.view, measure = choice.measure] {
      setDistrictView(view, measure);
    });
  }
  mUi->menuView->addAction(tr("Base map…"), this, &MainWindow::chooseBaseMap);
  // The legend and layer switches; its district-view switch is the same actions as this menu's.
  auto *layerDock = new QDockWidget(tr("Layers"), this);
  layerDock->setObjectName(QStringLiteral("layerDock"));
  auto *layerPanel = new map::LayerPanel(mUi->mapCanvas, layerDock);
  layerPanel->setDistrictViewActions(group->actions());
  layerDock->setWidget(scrollable(layerPanel, layerDock));
  addDockWidget(Qt::LeftDockWidgetArea, layerDock);
  layerDock->hide(); // opened from the View menu; a saved layout brings it back where it was
  mUi->menuView->addAction(layerDock->toggleViewAction());
}

void MainWindow::chooseBaseMap()
{
  bool ok = false;
  const QString source = QInputDialog::getText(
    this, tr("Base map"),
    tr("An XYZ tile URL with {z}, {x} and {y} (for example a 天地图 service with your key),\n"
       "or the path of a local raster (GeoTIFF…). Leave empty for no base map."),
    QLineEdit::Normal, QSettings().value(QStringLiteral("map/baseMap")).toString(), &ok);
  if (!ok)
    return;
  QString error;
  if (!setBaseMap(source.trimmed(), &error))
  {
    statusBar()->showMessage(error, 10000);
    return;
  }
  QSettings().setValue(QStringLiteral("map/baseMap"), source.trimmed());
}

QgsMapLayer *MainWindow::baseMapLayer() const
{
  return mBaseMap.get();
}

bool MainWindow::setBaseMap(const QString &source, QString *error)
{
  std::unique_ptr<QgsMapLayer> layer;
  if (!source.isEmpty())
  {
    if (source.contains(QLatin1String("{z}")) && source.contains(QLatin1String("{x}")) && source.contains(QLatin1String("{y}")))
    {
      QgsDataSourceUri uri;
      uri.setParam(QStringLiteral("type"), QStringLiteral("xyz"));
      uri.setParam(QStringLiteral("url"), source);
      uri.setParam(QStringLiteral("zmax"), QStringLiteral("18"));
      uri.setParam(QStringLiteral("zmin"), QStringLiteral("0"));
      layer = std::make_unique<QgsRasterLayer>(QString::fromUtf8(uri.encodedUri()), tr("Base map"), QStringLiteral("wms"));
    }
    else if (QFileInfo::exists(source))
    {
      layer = std::make_unique<QgsRasterLayer>(source, tr("Base map"), QStringLiteral("gdal"));
    }
    else
    {
      if (error)
        *error = tr("Base map \"%1\": neither an XYZ URL with {z}, {x} and {y} nor an existing raster file").arg(source);
      return false;
    }
    if (!layer->isValid())
    {
      if (error)
        *error = tr("Base map \"%1\" could not be opened: %2").arg(source, layer->error().summary());
      return false;
    }
  }
  mUi->mapCanvas->setLayers({});
  mBaseMap = std::move(layer);
  updateCanvasLayers();
  requestMapRefresh();
  return true;
}

void MainWindow::setUpMapTools()
{
  QgsMapCanvas *canvas = mUi->mapCanvas;
  mPanTool = new QgsMapToolPan(canvas);
  mIdentifyTool = new map::IdentifyTool(canvas);
  mRadiusTool = new map::RadiusSelectTool(canvas);
  auto *rectangleTool = new QgsMapToolExtent(canvas);
  mRectangleTool = rectangleTool;
  for (QgsMapTool *tool : {mPanTool, static_cast<QgsMapTool *>(mIdentifyTool), static_cast<QgsMapTool *>(mRadiusTool), mRectangleTool})
    tool->setParent(this);

  QToolBar *tools = addToolBar(tr("Map tools"));
  tools->setObjectName(QStringLiteral("mapToolBar"));
  auto *group = new QActionGroup(this);
  auto addTool = [&](const QString &text, const QKeySequence &shortcut, QgsMapTool *tool) {
    QAction *action = tools->addAction(text);
    action->setCheckable(true);
    action->setShortcut(shortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText)));
    group->addAction(action);
    tool->setAction(action);
    connect(action, &QAction::triggered, this, [canvas, tool] { canvas->setMapTool(tool); });
    return action;
  };
  addTool(tr("Pan"), QKeySequence(Qt::Key_P), mPanTool);
  QAction *identify = addTool(tr("Identify"), QKeySequence(Qt::Key_I), mIdentifyTool);
  addTool(tr("Select by rectangle"), QKeySequence(Qt::Key_R), mRectangleTool);
  addTool(tr("Select by radius"), QKeySequence(Qt::Key_C), mRadiusTool);
  identify->trigger();

  connect(mIdentifyTool, &map::IdentifyTool::identified, this, &MainWindow::showIdentified);
  connect(mIdentifyTool, &map::IdentifyTool::nothingIdentified, this, [this] {
    statusBar()->showMessage(tr("Nothing here"), 3000);
  });
  connect(mRadiusTool, &map::RadiusSelectTool::radiusSelected, this, [this](const QgsPointXY &centre, double radius) {
    const int n = selectCasesWithin(centre, radius);
    statusBar()->showMessage(tr("%n case(s) within %1 m", nullptr, n).arg(qRound(radius)), 8000);
  });
  connect(rectangleTool, &QgsMapToolExtent::extentChanged, this, [this, rectangleTool](const QgsRectangle &extent) {
    const int n = selectCasesIn(extent);
    rectangleTool->clearRubberBand();
    statusBar()->showMessage(tr("%n case(s) selected", nullptr, n), 8000);
  });

  auto *detailsDock = new QDockWidget(tr("Details"), this);
  detailsDock->setObjectName(QStringLiteral("detailsDock"));
  mDetails = new QTextBrowser(detailsDock);
  mDetails->setOpenLinks(false);
  mDetails->setPlaceholderText(tr("Click a case, a grid, a worker or a point of interest on the map."));
  connect(mDetails, &QTextBrowser::anchorClicked, this, &MainWindow::openLink);
  detailsDock->setWidget(mDetails);
  addDockWidget(Qt::RightDockWidgetArea, detailsDock);
  mUi->menuView->addAction(detailsDock->toggleViewAction());
}

QString MainWindow::detailsHtml() const
{
  return mDetails->toHtml();
}

void MainWindow::showIdentified(QgsMapLayer *layer, const QgsFeature &feature)
{
  auto value = [&feature](const char *field) { return feature.attribute(QString::fromLatin1(field)).toString().toHtmlEscaped(); };
  QString html;
  auto row = [&html](const QString &label, const QString &text) {
    html += QStringLiteral("<tr><td style='color:#555;padding-right:12px'>%1</td><td>%2</td></tr>").arg(label, text);
  };
  if (mCases && mCases->pinLayers().contains(layer))
  {
    // A case opens in the case dock, with its timeline and steps, and is selected everywhere.
    selectCase(feature.attribute(QStringLiteral("number")).toString());
    return;
  }
  else if (mWorkers && layer == mWorkers->layer())
  {
    html = QStringLiteral("<h3>%1</h3><table>").arg(tr("Grid worker %1").arg(value("name")));
    row(tr("Phone"), value("phone"));
    row(tr("Grid"), value("grid"));
    row(tr("Status"), value("status"));
    const QDateTime lastFix = QDateTime::fromSecsSinceEpoch(feature.attribute(QStringLiteral("last_fix")).toLongLong());
    row(tr("Last fix"), minuteText(lastFix));
  }
  else if (mPois && layer == mPois->layer())
  {
    const QString kind = feature.attribute(QStringLiteral("kind")).toString();
    html = QStringLiteral("<h3>%1</h3><table>").arg(value("name"));
    row(tr("Kind"), map::PoiLayers::kindTitle(kind).toHtmlEscaped());
    const QString stream = feature.attribute(QStringLiteral("stream_url")).toString();
    if (!stream.isEmpty())
      row(tr("Video"), QStringLiteral("<a href='%1'>%2</a>").arg(stream.toHtmlEscaped(), tr("Open the video stream")));
  }
  else
  {
    const QString code = feature.attribute(QStringLiteral("code")).toString();
    html = QStringLiteral("<h3>%1</h3><table>").arg(value("name"));
    row(tr("Code"), code.toHtmlEscaped());
    row(tr("Level"), layer->name().toHtmlEscaped());
    row(tr("Households"), value("households"));
    if (!feature.attribute(QStringLiteral("leader_name")).toString().isEmpty())
      row(tr("Grid leader"), QStringLiteral("%1 %2").arg(value("leader_name"), value("leader_phone")));
    if (mCases)
    {
      int open = 0;
      int overdue = 0;
      mCases->countsUnder(code, &open, &overdue);
      row(tr("Open cases"), QString::number(open));
      row(tr("Overdue cases"), QString::number(overdue));
    }
  }
  html += QStringLiteral("</table>");
  mDetails->setHtml(html);
  if (auto *dock = findChild<QDockWidget *>(QStringLiteral("detailsDock")))
    dock->raise();
}

void MainWindow::openLink(const QUrl &url)
{
  // Camera streams (rtsp://…) open in the system's player; the console does not decode video.
  if (!QDesktopServices::openUrl(url))
    statusBar()->showMessage(tr("No program is set up to open %1").arg(url.toString()), 8000);
}

QStringList MainWindow::selectedCaseNumbers() const
{
  QStringList numbers;
  if (!mCases)
    return numbers;
  for (QgsMapLayer *layer : mCases->pinLayers())
  {
    auto *vector = qobject_cast<QgsVectorLayer *>(layer);
    const QgsFeatureList selected = vector->selectedFeatures();
    for (const QgsFeature &feature : selected)
      numbers << feature.attribute(QStringLiteral("number")).toString();
  }
  numbers.sort();
  return numbers;
}

int MainWindow::selectCasesWithin(const QgsPointXY &centre, double radiusMeters)
{
  if (!mCases)
    return 0;
  const QgsMapSettings &settings = mUi->mapCanvas->mapSettings();
  const QgsGeometry circle = QgsGeometry::fromPointXY(centre).buffer(radiusMeters, 36);
  int selected = 0;
  for (QgsMapLayer *layer : mCases->pinLayers())
  {
    auto *vector = qobject_cast<QgsVectorLayer *>(layer);
    const QgsCoordinateTransform toMap(vector->crs(), settings.destinationCrs(), QgsProject::instance()->transformContext());
    QgsFeatureIds ids;
    QgsFeatureIterator it = vector->getFeatures(
      QgsFeatureRequest().setFilterRect(settings.mapToLayerCoordinates(vector, circle.boundingBox())).setNoAttributes());
    QgsFeature feature;
    while (it.nextFeature(feature))
    {
      QgsGeometry point = feature.geometry();
      point.transform(toMap);
      if (circle.contains(point))
        ids.insert(feature.id());
    }
    vector->selectByIds(ids);
    selected += ids.size();
  }
  return selected;
}

int MainWindow::selectCasesIn(const QgsRectangle &extent)
{
  if (!mCases)
    return 0;
  int selected = 0;
  for (QgsMapLayer *layer : mCases->pinLayers())
  {
    auto *vector = qobject_cast<QgsVectorLayer *>(layer);
    QgsRectangle layerExtent = mUi->mapCanvas->mapSettings().mapToLayerCoordinates(vector, extent);
    vector->selectByRect(layerExtent);
    selected += vector->selectedFeatureCount();
  }
  return selected;
}

void MainWindow::setDistrictView(map::LiveCaseLayer::DistrictView view, map::LiveCaseLayer::Measure measure)
{
  if (!mCases)
    return;
  mCases->setChoroplethMeasure(measure);
  mCases->setDistrictView(view);
  updateCanvasLayers();
  mUi->mapCanvas->refresh();
}

QString MainWindow::search(const QString &input)
{
  const QString text = input.trimmed();
  if (text.isEmpty())
    return QString();

  if (mCases)
    if (const auto pin = mCases->pin(text))
    {
      const QgsPointXY point(pin->lon, pin->lat);
      zoomToLayerExtent(mCases->pinLayer(), QgsRectangle(point, point), 5000);
      selectCase(text);
      return tr("case %1").arg(text);
    }
  if (!mGrids)
    return QString();

  // A code names exactly one level by its length; a name is looked up from coarse to fine,
  // exact matches before partial ones.
  auto findIn = [this](QgsVectorLayer *layer, const QString &expression) -> bool {
    QgsFeatureIterator it = layer->getFeatures(QgsFeatureRequest().setFilterExpression(expression).setLimit(1));
    QgsFeature feature;
    if (!it.nextFeature(feature))
      return false;
    layer->selectByIds(QgsFeatureIds() << feature.id());
    zoomToLayerExtent(layer, feature.geometry().boundingBox(), 2000);
    return true;
  };
  std::string whyNot;
  if (const auto code = core::GridCode::parse(text.toStdString(), &whyNot))
  {
    QgsVectorLayer *layer = mGrids->layer(code->level());
    if (findIn(layer, QgsExpression::createFieldEqualityExpression(QStringLiteral("code"), text)))
      return tr("grid %1").arg(text);
    return QString();
  }
  for (const QString &pattern : {QgsExpression::quotedValue(text), QgsExpression::quotedValue(QStringLiteral("%%1%").arg(text))})
  {
    const QString op = pattern.contains(QLatin1Char('%')) ? QStringLiteral("ILIKE") : QStringLiteral("=");
    for (QgsMapLayer *layer : mGrids->layers())
    {
      auto *vector = qobject_cast<QgsVectorLayer *>(layer);
      if (findIn(vector, QStringLiteral("\"name\" %1 %2").arg(op, pattern)))
        return tr("%1 %2").arg(vector->name(), text);
    }
    if (mPois && findIn(mPois->layer(), QStringLiteral("\"name\" %1 %2").arg(op, pattern)))
      return tr("%1 %2").arg(mPois->layer()->name(), text);
  }
  return QString();
}

void MainWindow::searchFromBox()
{
  const QString found = search(mSearchEdit->text());
  statusBar()->showMessage(found.isEmpty() ? tr("Nothing found for \"%1\"").arg(mSearchEdit->text()) : tr("Found %1").arg(found), 8000);
}

void MainWindow::zoomToLayerExtent(QgsVectorLayer *layer, const QgsRectangle &extent, double minimumScale)
{
  QgsRectangle mapExtent = mUi->mapCanvas->mapSettings().layerExtentToOutputExtent(layer, extent);
  if (mapExtent.width() < 1 && mapExtent.height() < 1)
    mapExtent = QgsRectangle(mapExtent.center(), mapExtent.center());
  mapExtent.scale(1.3);
  mUi->mapCanvas->setExtent(mapExtent);
  if (mUi->mapCanvas->scale() < minimumScale)
    mUi->mapCanvas->zoomScale(minimumScale);
  mUi->mapCanvas->refresh();
}

QgsMapCanvas *MainWindow::mapCanvas() const
{
  return mUi->mapCanvas;
}

void MainWindow::setFeedStatus(const QString &text)
{
  mFeedLabel->setText(text);
}

void MainWindow::zoomToDistrict()
{
  QgsVectorLayer *district = mGrids ? mGrids->layer(core::GridLevel::District) : mDistrictLayer.get();
  if (!district)
    return;
  const QgsCoordinateTransform toCanvas(district->crs(), mUi->mapCanvas->mapSettings().destinationCrs(),
                                       QgsProject::instance()->transformContext());
  QgsRectangle extent = toCanvas.transformBoundingBox(district->extent());
  extent.scale(1.1);
  mUi->mapCanvas->setExtent(extent);
  mUi->mapCanvas->refresh();
}

void MainWindow::setUpStatusBar()
{
  mFeedLabel = new QLabel(tr("Feed: not connected"), this);
  mFeedLabel->setObjectName(QStringLiteral("feedStatus"));
  mHoverLabel = new QLabel(this);
  mHoverLabel->setObjectName(QStringLiteral("hoverLabel"));
  mHoverLabel->setToolTip(tr("The grid under the pointer"));
  statusBar()->addPermanentWidget(mHoverLabel);
  connect(mUi->mapCanvas, &QgsMapCanvas::xyCoordinates, this, &MainWindow::showGridUnderPointer);
  mClockLabel = new QLabel(this);
  mClockLabel->setToolTip(tr("The clock that SLA deadlines are measured against"));
  statusBar()->addWidget(mFeedLabel, 1);
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
  connect(mClockTimer, &QTimer::timeout, this, &MainWindow::updateFeedStatus);
  mClockTimer->start(1000);
  updateClock();
}

bool MainWindow::startGateway(const QString &host, quint16 port, QString *error)
{
  EmbeddedGatewayOptions options;
  options.host = host;
  options.port = port;
  return startGateway(options, error);
}

bool MainWindow::startGateway(const EmbeddedGatewayOptions &options, QString *error)
{
  if (mStorePath.isEmpty())
  {
    if (error)
      *error = tr("open a store before starting the gateway");
    return false;
  }
  try
  {
    mGateway = std::make_unique<EmbeddedGateway>(mStorePath, options);
  }
  catch (const std::exception &e)
  {
    if (error)
      *error = tr("the field gateway could not start on %1:%2: %3").arg(options.host).arg(options.port).arg(QString::fromUtf8(e.what()));
    return false;
  }
  updateFeedStatus();
  return true;
}

void MainWindow::updateFeedStatus()
{
  if (!mGateway)
    return;
  // Stored frames and duplicates apart: frames answered dup are dropped, and a feed of nothing
  // but duplicates (a terminal behind the store's seq) must not read as a healthy one.
  const FeedHealth health = mGateway->health();
  mFeedLabel->setText(tr("Feed :%1 — %n terminal(s) online · stored %2 frames/s · duplicates %3/s · ack lag %4 ms", nullptr,
                         static_cast<int>(health.terminalsOnline))
                        .arg(mGateway->port())
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
                          .arg(mGateway->host())
                          .arg(mGateway->port())
                          .arg(health.storedPerSecond, 0, 'f', 0)
                          .arg(health.framesStored)
                          .arg(health.duplicatesPerSecond, 0, 'f', 0)
                          .arg(health.duplicates)
                          .arg(health.rejects)
                          .arg(health.ackLagMs, 0, 'f', 1)
                        + (warning.isEmpty() ? QString() : QStringLiteral("\n") + warning));
  mFeedSummary->setStyleSheet(mFeedLabel->styleSheet());
}

void MainWindow::showGridUnderPointer(const QgsPointXY &point)
{
  // At most 20 lookups a second: the pointer moves far faster than anyone reads.
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  if (!mHoverIndex || now - mLastHoverMs < 50)
    return;
  mLastHoverMs = now;
  const QgsCoordinateTransform toData(mUi->mapCanvas->mapSettings().destinationCrs(),
                                      QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                      QgsProject::instance()->transformContext());
  QgsPointXY lonLat;
  try
  {
    lonLat = toData.transform(point);
  }
  catch (const QgsCsException &)
  {
    return;
  }
  const auto chain = mHoverIndex->lookupWithAncestors({lonLat.x(), lonLat.y()});
  // The level the operator sees at this scale: the 网格 from community zoom in, else the community.
  const core::GridLevel wanted = mUi->mapCanvas->scale() > 40000 ? core::GridLevel::Community : core::GridLevel::Grid;
  QString text;
  for (const core::GridNode *node : chain)
    if (node->level() == wanted || (node->level() == core::GridLevel::MicroGrid && mUi->mapCanvas->scale() < 8000))
      text = text.isEmpty() ? QStringLiteral("%1 %2").arg(QString::fromStdString(node->code.str()), QString::fromStdString(node->name))
                            : text + QStringLiteral(" › %1 %2").arg(QString::fromStdString(node->code.str()), QString::fromStdString(node->name));
  mHoverLabel->setText(text);
}

QString MainWindow::hoverText() const
{
  return mHoverLabel->text();
}

void MainWindow::updateClock()
{
  // Deadlines run on Beijing time whatever zone the workstation is set to.
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
  const QDateTime now = QDateTime::currentDateTimeUtc().toTimeZone(beijing);
  mClockLabel->setText(tr("SLA clock: %1").arg(QLocale().toString(now, QStringLiteral("yyyy-MM-dd dddd HH:mm:ss"))));
  mCalendarWarning->showFor(now.date());
}

void MainWindow::updateEmptyHint()
{
  mUi->caseQueueEmptyLabel->setVisible(mCaseQueueModel->rowCount() == 0);
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
