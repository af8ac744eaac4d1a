#include "console/mainwindow.h"

#include "ui_mainwindowbase.h"

#include "console/casequeuemodel.h"
#include "core/buildinfo.h"
#include "map/districtlayer.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsproject.h>
#include <qgsmapcanvas.h>
#include <qgsvectorlayer.h>

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
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

  connect(mUi->actionQuit, &QAction::triggered, this, &QWidget::close);
  connect(mUi->actionZoomToDistrict, &QAction::triggered, this, &MainWindow::zoomToDistrict);
  connect(mUi->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
  setUpStatusBar();
}

MainWindow::~MainWindow()
{
  // The canvas must let go of the layer before the layer is destroyed.
  mUi->mapCanvas->setLayers({});
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
  if (!mDistrictLayer)
    return;
  const QgsCoordinateTransform toCanvas(mDistrictLayer->crs(), mUi->mapCanvas->mapSettings().destinationCrs(),
                                       QgsProject::instance()->transformContext());
  QgsRectangle extent = toCanvas.transformBoundingBox(mDistrictLayer->extent());
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
