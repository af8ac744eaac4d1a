#include "console/mainwindow.h"

#include "ui_mainwindowbase.h"

#include "console/casequeuemodel.h"
#include "core/buildinfo.h"
#include "map/caselayer.h"
#include "map/districtlayer.h"
#include "map/gridlayers.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "console/storeaccess.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsproject.h>
#include <qgsexpression.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsvectorlayer.h>

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QToolBar>
#include <QLocale>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTimeZone>
#include <QTimer>

namespace gd::console {

MainWindow::MainWindow(QWidget *parent)
  : QMainWindow(parent)
  , mUi(std::make_unique<Ui::MainWindowBase>())
{
  mUi->setupUi(this);
  setWindowTitle(tr("GridDispatch — Comprehensive Governance Command Console"));

  QgsMapCanvas *canvas = mUi->mapCanvas;
  canvas->setCanvasColor(QColor(246, 247, 249));
  // Data stay in CGCS2000 lon/lat (EPSG:4490); the canvas draws in the CGCS2000 3-degree
  // Gauss-Krüger zone of the district (CM 99°E) so shapes keep their true proportions.
  canvas->setDestinationCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4542")));
  canvas->enableAntiAliasing(true);
  mDistrictLayer = map::createPlaceholderDistrictLayer(tr("District"));
  canvas->setLayers({mDistrictLayer.get()});
  zoomToDistrict();

  mCaseQueueModel = new CaseQueueModel(this);
  mCaseQueueProxy = new QSortFilterProxyModel(this);
  mCaseQueueProxy->setSourceModel(mCaseQueueModel);
  mCaseQueueProxy->setFilterKeyColumn(-1);
  mCaseQueueProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
  mUi->caseQueueView->setModel(mCaseQueueProxy);
  mUi->caseQueueView->horizontalHeader()->setStretchLastSection(true);
  mUi->caseQueueView->verticalHeader()->hide();
  connect(mUi->caseFilterEdit, &QLineEdit::textChanged, mCaseQueueProxy,
          &QSortFilterProxyModel::setFilterFixedString);
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

  connect(mUi->actionQuit, &QAction::triggered, this, &QWidget::close);
  connect(mUi->actionZoomToDistrict, &QAction::triggered, this, &MainWindow::zoomToDistrict);
  connect(mUi->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
  setUpStatusBar();
}

MainWindow::~MainWindow()
{
  // The canvas must let go of the layers before they are destroyed.
  mUi->mapCanvas->setLayers({});
}

bool MainWindow::openStore(const QString &path, QString *error)
{
  // Open cases from the store become pins and queue rows. Read before QGIS opens the file:
  // GDAL reaches SQLite through a VFS of its own, so when our connection closes while GDAL's
  // is open, SQLite believes it is the last one and removes the -wal/-shm files under GDAL.
  std::vector<map::CasePin> snapshotPins;
  std::vector<CaseQueueRow> snapshotRows;
  try
  {
    OpenCasesSnapshot snapshot = readOpenCases(path);
    snapshotRows = std::move(snapshot.rows);
    snapshotPins = std::move(snapshot.pins);
  }
  catch (const std::exception &e)
  {
    if (error)
      *error = tr("%1: cases could not be read: %2").arg(path, QString::fromUtf8(e.what()));
    return false;
  }

  QString layerError;
  auto grids = map::GridLayers::open(path, map::defaultStyleDir(), &layerError);
  if (!grids)
  {
    if (error)
      *error = layerError;
    return false;
  }
  auto pois = map::PoiLayers::open(path, &layerError);
  if (!pois)
  {
    if (error)
      *error = layerError;
    return false;
  }
  auto cases = std::make_unique<map::LiveCaseLayer>();

  // Per-grid summaries need the grids' areas.
  QHash<QString, QgsGeometry> gridAreas;
  QgsFeatureIterator it = grids->layer(core::GridLevel::Grid)->getFeatures(
    QgsFeatureRequest().setSubsetOfAttributes(QStringList{QStringLiteral("code")}, grids->layer(core::GridLevel::Grid)->fields()));
  QgsFeature feature;
  while (it.nextFeature(feature))
    gridAreas.insert(feature.attribute(QStringLiteral("code")).toString(), feature.geometry());
  cases->setGrids(gridAreas);
  cases->apply(snapshotPins);
  mCaseQueueModel->setRows(std::move(snapshotRows));

  mUi->mapCanvas->setLayers({});
  mGrids = std::move(grids);
  mPois = std::move(pois);
  mCases = std::move(cases);
  updateCanvasLayers();
  mDistrictLayer.reset();
  zoomToDistrict();
  return true;
}

void MainWindow::updateCanvasLayers()
{
  QList<QgsMapLayer *> layers;
  if (mCases)
    layers << mCases->layers();
  if (mPois)
    layers << mPois->layer();
  if (mGrids)
    layers << mGrids->layers();
  else if (mDistrictLayer)
    layers << mDistrictLayer.get();
  mUi->mapCanvas->setLayers(layers);
}

void MainWindow::setDistrictView(map::LiveCaseLayer::DistrictView view)
{
  if (!mCases)
    return;
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
  mClockLabel = new QLabel(this);
  mClockLabel->setToolTip(tr("The clock that SLA deadlines are measured against"));
  statusBar()->addWidget(mFeedLabel, 1);
  statusBar()->addPermanentWidget(mClockLabel);
  mClockTimer = new QTimer(this);
  connect(mClockTimer, &QTimer::timeout, this, &MainWindow::updateClock);
  mClockTimer->start(1000);
  updateClock();
}

void MainWindow::updateClock()
{
  // Deadlines run on Beijing time whatever zone the workstation is set to.
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
  const QDateTime now = QDateTime::currentDateTimeUtc().toTimeZone(beijing);
  mClockLabel->setText(tr("SLA clock: %1").arg(QLocale().toString(now, QStringLiteral("yyyy-MM-dd dddd HH:mm:ss"))));
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
