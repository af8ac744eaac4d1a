#include "console/mapview/mapviewcontroller.h"

#include "console/common/datetimetext.h"
#include "console/session/storeaccess.h"
#include "console/session/storewatcher.h"
#include "console/shell/windowfit.h"
#include "core/gridindex.h"
#include "core/gridtree.h"
#include "map/canvasteardown.h"
#include "map/districtlayer.h"
#include "map/gridlayers.h"
#include "map/identifytool.h"
#include "map/layerpanel.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "map/radiusselecttool.h"
#include "map/workerlayer.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsdatasourceuri.h>
#include <qgsexception.h>
#include <qgsexpression.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsmaptoolemitpoint.h>
#include <qgsmaptoolextent.h>
#include <qgsmaptoolpan.h>
#include <qgsproject.h>
#include <qgsrasterlayer.h>
#include <qgsvectorlayer.h>

#include <QActionGroup>
#include <QDateTime>
#include <QDesktopServices>
#include <QDockWidget>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>
#include <QTextBrowser>
#include <QToolBar>

namespace gd::console {

namespace {

const QgsCoordinateReferenceSystem &lonLatCrs()
{
  static const QgsCoordinateReferenceSystem crs(QStringLiteral("EPSG:4490"));
  return crs;
}

} // namespace

MapViewController::MapViewController(QMainWindow *window, QgsMapCanvas *canvas, QMenu *viewMenu)
  : QObject(nullptr)
  , mWindow(window)
  , mCanvas(canvas)
{
  connect(canvas, &QgsMapCanvas::mapCanvasRefreshed, this, [this] {
    if (mRefreshPending)
      requestRefresh();
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

  QToolBar *searchBar = window->addToolBar(tr("Search"));
  searchBar->setObjectName(QStringLiteral("searchToolBar"));
  mSearchEdit = new QLineEdit(searchBar);
  mSearchEdit->setObjectName(QStringLiteral("searchEdit"));
  mSearchEdit->setPlaceholderText(tr("Find a grid (code or name), a case number or a place"));
  mSearchEdit->setClearButtonEnabled(true);
  mSearchEdit->setMinimumWidth(420);
  searchBar->addWidget(mSearchEdit);
  connect(mSearchEdit, &QLineEdit::returnPressed, this, [this] {
    const QString found = search(mSearchEdit->text());
    emit message(found.isEmpty() ? tr("Nothing found for \"%1\"").arg(mSearchEdit->text()) : tr("Found %1").arg(found), 8000);
  });

  mHoverLabel = new QLabel(window);
  mHoverLabel->setObjectName(QStringLiteral("hoverLabel"));
  mHoverLabel->setToolTip(tr("The grid under the pointer"));
  connect(canvas, &QgsMapCanvas::xyCoordinates, this, &MapViewController::showGridUnderPointer);

  setUpTools(window);
  setUpViewMenu(window, viewMenu);
}

MapViewController::~MapViewController()
{
  // A render job that a refresh detached from the canvas runs on and would write into it after
  // it is gone (map/canvasteardown.h); the canvas must let go of the layers before they are
  // destroyed, and the map tools, which talk to the canvas in their destructors, go before it.
  map::finishRenderJobs({mCanvas});
  mCanvas->setLayers({});
  mBaseMap.reset();
  mCanvas->unsetMapTool(mCanvas->mapTool());
  delete mPanTool;
  delete mIdentifyTool;
  delete mRadiusTool;
  delete mRectangleTool;
  delete mPickTool;
}

void MapViewController::showStore(const StoreOverview &overview, const core::GridTree &grids)
{
  auto gridLayers = map::GridLayers::fromTree(overview.grids, map::defaultStyleDir());
  auto pois = map::PoiLayers::fromPoints(overview.pois, map::defaultStyleDir());
  auto cases = std::make_unique<map::LiveCaseLayer>();
  // Per-grid and per-community summaries need their areas.
  cases->setGrids(gridLayers->areas(core::GridLevel::Grid));
  cases->setCommunities(gridLayers->areas(core::GridLevel::Community));
  cases->showStoreCounts(overview.counts);

  mCanvas->setLayers({});
  mGrids = std::move(gridLayers);
  mPois = std::move(pois);
  mCases = std::move(cases);
  mWorkers = std::make_unique<map::WorkerLayer>();
  mAlertsShown = false;
  updateLayers();
  mDistrictLayer.reset();
  zoomToDistrict();
  mHoverIndex = std::make_unique<core::GridIndex>(grids);
}

void MapViewController::addCases(const OpenCaseChunk &chunk)
{
  if (!mCases)
    return;
  mCases->apply(chunk.pins);
  // The map is redrawn once the overdue and emergency pins are all in (what the district view
  // shows) and once at the end, not after every chunk: renders in between would only take the
  // CPU the loading needs.
  if (!chunk.hasAlertPins() && !mAlertsShown)
  {
    mAlertsShown = true;
    requestRefresh();
  }
}

void MapViewController::finishLoading()
{
  if (mCases)
    mCases->finishLoading();
  requestRefresh();
}

void MapViewController::applyChanges(const StoreChanges &changes)
{
  if (mCases)
    mCases->apply(changes.cases, changes.closedCases);
  if (mWorkers && !changes.workers.empty())
    mWorkers->apply(changes.workers);
  requestRefresh();
}

void MapViewController::requestRefresh()
{
  if (mCanvas->isDrawing())
  {
    mRefreshPending = true;
    return;
  }
  mRefreshPending = false;
  mCanvas->refresh();
}

void MapViewController::updateLayers()
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
  map::setLabelsForScale(layers, mCanvas->scale()); // keeps the label cache usable (see there)
  mCanvas->setLayers(layers);

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

void MapViewController::setUpViewMenu(QMainWindow *window, QMenu *viewMenu)
{
  using View = map::LiveCaseLayer::DistrictView;
  using Measure = map::LiveCaseLayer::Measure;
  viewMenu->addAction(qobject_cast<QDockWidget *>(mDetails->parentWidget())->toggleViewAction());
  QMenu *summary = viewMenu->addMenu(tr("Open cases at district zoom"));
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
  viewMenu->addAction(tr("Base map…"), this, &MapViewController::chooseBaseMap);
  // The legend and layer switches; its district-view switch is the same actions as this menu's.
  auto *layerDock = new QDockWidget(tr("Layers"), window);
  layerDock->setObjectName(QStringLiteral("layerDock"));
  auto *layerPanel = new map::LayerPanel(mCanvas, layerDock);
  layerPanel->setDistrictViewActions(group->actions());
  layerDock->setWidget(scrollable(layerPanel, layerDock));
  window->addDockWidget(Qt::LeftDockWidgetArea, layerDock);
  layerDock->hide(); // opened from the View menu; a saved layout brings it back where it was
  viewMenu->addAction(layerDock->toggleViewAction());
}

void MapViewController::chooseBaseMap()
{
  bool ok = false;
  const QString source = QInputDialog::getText(
    mWindow, tr("Base map"),
    tr("An XYZ tile URL with {z}, {x} and {y} (for example a 天地图 service with your key),\n"
       "or the path of a local raster (GeoTIFF…). Leave empty for no base map."),
    QLineEdit::Normal, QSettings().value(QStringLiteral("map/baseMap")).toString(), &ok);
  if (!ok)
    return;
  QString error;
  if (!setBaseMap(source.trimmed(), &error))
  {
    emit message(error, 10000);
    return;
  }
  QSettings().setValue(QStringLiteral("map/baseMap"), source.trimmed());
}

QgsMapLayer *MapViewController::baseMapLayer() const
{
  return mBaseMap.get();
}

bool MapViewController::setBaseMap(const QString &source, QString *error)
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
  mCanvas->setLayers({});
  mBaseMap = std::move(layer);
  updateLayers();
  requestRefresh();
  return true;
}

void MapViewController::setUpTools(QMainWindow *window)
{
  QgsMapCanvas *canvas = mCanvas;
  mPanTool = new QgsMapToolPan(canvas);
  mIdentifyTool = new map::IdentifyTool(canvas);
  mRadiusTool = new map::RadiusSelectTool(canvas);
  auto *rectangleTool = new QgsMapToolExtent(canvas);
  mRectangleTool = rectangleTool;
  for (QgsMapTool *tool : {mPanTool, static_cast<QgsMapTool *>(mIdentifyTool), static_cast<QgsMapTool *>(mRadiusTool), mRectangleTool})
    tool->setParent(this);

  QToolBar *tools = window->addToolBar(tr("Map tools"));
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

  connect(mIdentifyTool, &map::IdentifyTool::identified, this, &MapViewController::showIdentified);
  connect(mIdentifyTool, &map::IdentifyTool::nothingIdentified, this, [this] { emit message(tr("Nothing here"), 3000); });
  connect(mRadiusTool, &map::RadiusSelectTool::radiusSelected, this, [this](const QgsPointXY &centre, double radius) {
    const int n = selectCasesWithin(centre, radius);
    emit message(tr("%n case(s) within %1 m", nullptr, n).arg(qRound(radius)), 8000);
  });
  connect(rectangleTool, &QgsMapToolExtent::extentChanged, this, [this, rectangleTool](const QgsRectangle &extent) {
    const int n = selectCasesIn(extent);
    rectangleTool->clearRubberBand();
    emit message(tr("%n case(s) selected", nullptr, n), 8000);
  });

  auto *detailsDock = new QDockWidget(tr("Details"), window);
  detailsDock->setObjectName(QStringLiteral("detailsDock"));
  mDetails = new QTextBrowser(detailsDock);
  mDetails->setOpenLinks(false);
  mDetails->setPlaceholderText(tr("Click a case, a grid, a worker or a point of interest on the map."));
  connect(mDetails, &QTextBrowser::anchorClicked, this, &MapViewController::openLink);
  detailsDock->setWidget(mDetails);
  window->addDockWidget(Qt::RightDockWidgetArea, detailsDock);
}

QString MapViewController::detailsHtml() const
{
  return mDetails->toHtml();
}

void MapViewController::showIdentified(QgsMapLayer *layer, const QgsFeature &feature)
{
  auto value = [&feature](const char *field) { return feature.attribute(QString::fromLatin1(field)).toString().toHtmlEscaped(); };
  QString html;
  auto row = [&html](const QString &label, const QString &text) {
    html += QStringLiteral("<tr><td style='color:#555;padding-right:12px'>%1</td><td>%2</td></tr>").arg(label, text);
  };
  if (mCases && mCases->pinLayers().contains(layer))
  {
    // A case opens in the case dock, with its timeline and steps, and is selected everywhere.
    emit caseClicked(feature.attribute(QStringLiteral("number")).toString());
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
  if (auto *dock = qobject_cast<QDockWidget *>(mDetails->parentWidget()))
    dock->raise();
}

void MapViewController::openLink(const QUrl &url)
{
  // Camera streams (rtsp://…) open in the system's player; the console does not decode video.
  if (!QDesktopServices::openUrl(url))
    emit message(tr("No program is set up to open %1").arg(url.toString()), 8000);
}

QStringList MapViewController::selectedCaseNumbers() const
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

int MapViewController::selectCasesWithin(const QgsPointXY &centre, double radiusMeters)
{
  if (!mCases)
    return 0;
  const QgsMapSettings &settings = mCanvas->mapSettings();
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

int MapViewController::selectCasesIn(const QgsRectangle &extent)
{
  if (!mCases)
    return 0;
  int selected = 0;
  for (QgsMapLayer *layer : mCases->pinLayers())
  {
    auto *vector = qobject_cast<QgsVectorLayer *>(layer);
    QgsRectangle layerExtent = mCanvas->mapSettings().mapToLayerCoordinates(vector, extent);
    vector->selectByRect(layerExtent);
    selected += vector->selectedFeatureCount();
  }
  return selected;
}

void MapViewController::setDistrictView(map::LiveCaseLayer::DistrictView view, map::LiveCaseLayer::Measure measure)
{
  if (!mCases)
    return;
  mCases->setChoroplethMeasure(measure);
  mCases->setDistrictView(view);
  updateLayers();
  mCanvas->refresh();
}

QString MapViewController::search(const QString &input)
{
  const QString text = input.trimmed();
  if (text.isEmpty())
    return QString();

  if (mCases)
    if (const auto pin = mCases->pin(text))
    {
      const QgsPointXY point(pin->lon, pin->lat);
      zoomToLayerExtent(mCases->pinLayer(), QgsRectangle(point, point), 5000);
      emit caseClicked(text);
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

void MapViewController::selectPin(const QString &number, bool pan)
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
  const QgsCoordinateTransform toMap(mCases->pinLayer()->crs(), mCanvas->mapSettings().destinationCrs(),
                                     QgsProject::instance()->transformContext());
  const QgsPointXY onMap = toMap.transform(*where);
  if (pan)
    zoomToLayerExtent(mCases->pinLayer(), QgsRectangle(*where, *where), 5000);
  else if (!mCanvas->extent().contains(onMap))
  {
    mCanvas->setCenter(onMap);
    mCanvas->refresh();
  }
}

void MapViewController::zoomToLayerExtent(QgsVectorLayer *layer, const QgsRectangle &extent, double minimumScale)
{
  QgsRectangle mapExtent = mCanvas->mapSettings().layerExtentToOutputExtent(layer, extent);
  if (mapExtent.width() < 1 && mapExtent.height() < 1)
    mapExtent = QgsRectangle(mapExtent.center(), mapExtent.center());
  mapExtent.scale(1.3);
  mCanvas->setExtent(mapExtent);
  if (mCanvas->scale() < minimumScale)
    mCanvas->zoomScale(minimumScale);
  mCanvas->refresh();
}

void MapViewController::zoomToLonLat(double lon, double lat)
{
  if (mCases)
    zoomToLayerExtent(mCases->pinLayer(), QgsRectangle(lon, lat, lon, lat), 5000);
}

QgsPointXY MapViewController::toLonLat(const QgsPointXY &mapPoint) const
{
  const QgsCoordinateTransform toData(mCanvas->mapSettings().destinationCrs(), lonLatCrs(), QgsProject::instance()->transformContext());
  return toData.transform(mapPoint);
}

QgsPointXY MapViewController::fromLonLat(double lon, double lat) const
{
  const QgsCoordinateTransform toMap(lonLatCrs(), mCanvas->mapSettings().destinationCrs(), QgsProject::instance()->transformContext());
  return toMap.transform(QgsPointXY(lon, lat));
}

QgsPointXY MapViewController::centreLonLat() const
{
  return toLonLat(mCanvas->extent().center());
}

void MapViewController::pickPoint(QObject *context, std::function<void(double, double)> picked)
{
  if (!mPickTool)
  {
    mPickTool = new QgsMapToolEmitPoint(mCanvas);
    mPickTool->setCursor(Qt::CrossCursor);
  }
  disconnect(mPickTool, &QgsMapToolEmitPoint::canvasClicked, nullptr, nullptr);
  mToolBeforePick = mCanvas->mapTool();
  connect(mPickTool, &QgsMapToolEmitPoint::canvasClicked, context, [this, picked](const QgsPointXY &point) {
    mCanvas->setMapTool(mToolBeforePick ? mToolBeforePick.data() : static_cast<QgsMapTool *>(mIdentifyTool));
    QgsPointXY lonLat;
    try
    {
      lonLat = toLonLat(point);
    }
    catch (const QgsCsException &)
    {
      return;
    }
    picked(lonLat.x(), lonLat.y());
  });
  mCanvas->setMapTool(mPickTool);
}

void MapViewController::zoomToDistrict()
{
  QgsVectorLayer *district = mGrids ? mGrids->layer(core::GridLevel::District) : mDistrictLayer.get();
  if (!district)
    return;
  const QgsCoordinateTransform toCanvas(district->crs(), mCanvas->mapSettings().destinationCrs(),
                                       QgsProject::instance()->transformContext());
  QgsRectangle extent = toCanvas.transformBoundingBox(district->extent());
  extent.scale(1.1);
  mCanvas->setExtent(extent);
  mCanvas->refresh();
}

void MapViewController::showGridUnderPointer(const QgsPointXY &point)
{
  // At most 20 lookups a second: the pointer moves far faster than anyone reads.
  const qint64 now = QDateTime::currentMSecsSinceEpoch();
  if (!mHoverIndex || now - mLastHoverMs < 50)
    return;
  mLastHoverMs = now;
  QgsPointXY lonLat;
  try
  {
    lonLat = toLonLat(point);
  }
  catch (const QgsCsException &)
  {
    return;
  }
  const auto chain = mHoverIndex->lookupWithAncestors({lonLat.x(), lonLat.y()});
  // The level the operator sees at this scale: the 网格 from community zoom in, else the community.
  const core::GridLevel wanted = mCanvas->scale() > 40000 ? core::GridLevel::Community : core::GridLevel::Grid;
  QString text;
  for (const core::GridNode *node : chain)
    if (node->level() == wanted || (node->level() == core::GridLevel::MicroGrid && mCanvas->scale() < 8000))
      text = text.isEmpty() ? QStringLiteral("%1 %2").arg(QString::fromStdString(node->code.str()), QString::fromStdString(node->name))
                            : text + QStringLiteral(" › %1 %2").arg(QString::fromStdString(node->code.str()), QString::fromStdString(node->name));
  mHoverLabel->setText(text);
}

QString MapViewController::hoverText() const
{
  return mHoverLabel->text();
}

} // namespace gd::console
