#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"

#include "console/dispatch/casequeuemodel.h"
#include "map/gridlayers.h"
#include "map/identifytool.h"
#include "maptestdistrict.h"

#include <gtest/gtest.h>
#include <qgscoordinatetransform.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QLabel>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>

using gd::console::MainWindow;

TEST(MainWindow, ShowsTheDistrictOnTheCanvas)
{
  MainWindow window;
  window.resize(1280, 800);
  window.show();
  QgsMapCanvas *canvas = window.mapCanvas();
  ASSERT_NE(canvas, nullptr);
  ASSERT_EQ(canvas->layers().size(), 1);
  EXPECT_EQ(canvas->layers().front(), window.mapView()->districtLayer());
  // Drawn in the CGCS2000 Gauss-Krüger zone of the district, so shapes keep their proportions.
  EXPECT_EQ(canvas->mapSettings().destinationCrs().authid(), QStringLiteral("EPSG:4542"));
  const QgsRectangle district = canvas->mapSettings().layerExtentToOutputExtent(window.mapView()->districtLayer(),
                                                                                window.mapView()->districtLayer()->extent());
  EXPECT_TRUE(canvas->extent().contains(district));
}

TEST(MainWindow, HasTheCaseQueueDockWithItsColumns)
{
  MainWindow window;
  auto *dock = window.findChild<QDockWidget *>(QStringLiteral("caseQueueDock"));
  ASSERT_NE(dock, nullptr);
  auto *view = dock->findChild<QTableView *>();
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->model()->columnCount(), gd::console::CaseQueueModel::ColumnCount);
  EXPECT_EQ(view->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Case number"));
}

TEST(MainWindow, TheQueueShowsTheCaseNumberWhole)
{
  MainWindow window;
  window.resize(1600, 900);
  window.show();
  gd::console::CaseQueueRow row;
  row.number = QStringLiteral("620902-20261207-000058");
  row.state = QStringLiteral("reported");
  window.dispatch()->caseQueueModel()->setRows({row});
  QTableView *view = window.dispatch()->caseQueueView();
  const QRect cell = view->visualRect(view->model()->index(0, gd::console::CaseQueueModel::Number));
  // The text and the cell's margins on either side (the style's focus frame margin and one).
  const int margins = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1);
  EXPECT_GE(cell.width(), view->fontMetrics().horizontalAdvance(row.number) + margins);
}

TEST(MainWindow, StatusBarShowsFeedAndClock)
{
  MainWindow window;
  window.field()->setFeedStatus(QStringLiteral("Feed: 3 terminals online"));
  const QList<QLabel *> labels = window.statusBar()->findChildren<QLabel *>();
  bool feedShown = false;
  bool clockShown = false;
  for (const QLabel *label : labels)
  {
    feedShown |= label->text() == QLatin1String("Feed: 3 terminals online");
    clockShown |= label->text().startsWith(QLatin1String("SLA clock: "));
  }
  EXPECT_TRUE(feedShown);
  EXPECT_TRUE(clockShown);
}

namespace {

std::unique_ptr<gd::maptest::StoreFixture> sharedStore()
{
  return gd::maptest::makeStore();
}

} // namespace

TEST(MainWindow, OpensAStoreWithEveryGridLevel)
{
  const auto store = sharedStore();
  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  ASSERT_NE(window.mapView()->gridLayers(), nullptr);
  // Alert pins, ordinary pins, community and grid counts, workers, points of interest and
  // five grid levels.
  EXPECT_EQ(window.mapCanvas()->layers().size(), 4 + 1 + 1 + 5);
  EXPECT_EQ(window.mapView()->gridLayers()->layer(gd::core::GridLevel::Grid)->featureCount(), 40);
}

TEST(MainWindow, RefusesAFileThatIsNotAStore)
{
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("notes.gpkg"));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("these are not grids");
  file.close();
  MainWindow window;
  QString error;
  EXPECT_FALSE(window.openStore(path, &error));
  EXPECT_TRUE(error.contains(path)) << error.toStdString();
  EXPECT_EQ(window.mapView()->gridLayers(), nullptr);
}

TEST(MainWindow, SearchLandsOnTheRightGrid)
{
  const auto store = sharedStore();
  MainWindow window;
  window.resize(1280, 800);
  window.show();
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());

  const gd::core::GridNode &grid = *store->district.tree.nodesAt(gd::core::GridLevel::Grid)[17];
  QgsVectorLayer *gridLayer = window.mapView()->gridLayers()->layer(gd::core::GridLevel::Grid);
  auto expectLandedOnGrid = [&] {
    ASSERT_EQ(gridLayer->selectedFeatureCount(), 1);
    const QgsFeature selected = gridLayer->selectedFeatures().front();
    EXPECT_EQ(selected.attribute(QStringLiteral("code")).toString().toStdString(), grid.code.str());
    const QgsRectangle onCanvas =
      window.mapCanvas()->mapSettings().layerExtentToOutputExtent(gridLayer, selected.geometry().boundingBox());
    EXPECT_TRUE(window.mapCanvas()->extent().contains(onCanvas));
    // Zoomed in far enough that the grid level is drawn.
    EXPECT_TRUE(gridLayer->isInScaleRange(window.mapCanvas()->scale())) << window.mapCanvas()->scale();
  };

  const QString byCode = window.mapView()->search(QString::fromStdString(grid.code.str()));
  EXPECT_FALSE(byCode.isEmpty());
  expectLandedOnGrid();

  gridLayer->removeSelection();
  window.mapView()->zoomToDistrict();
  EXPECT_FALSE(window.mapView()->search(QString::fromStdString(grid.name)).isEmpty());
  expectLandedOnGrid();

  EXPECT_TRUE(window.mapView()->search(QStringLiteral("620902999999999")).isEmpty());
  EXPECT_TRUE(window.mapView()->search(QStringLiteral("没有这个地方")).isEmpty());
}

TEST(MainWindow, IdentifyShowsTheGridUnderTheClick)
{
  const auto store = sharedStore();
  MainWindow window;
  window.resize(1280, 800);
  window.show();
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  const gd::core::GridNode &grid = *store->district.tree.nodesAt(gd::core::GridLevel::Grid)[9];
  ASSERT_FALSE(window.mapView()->search(QString::fromStdString(grid.code.str())).isEmpty());

  // Click where the grid is: the finest level drawn there answers, a micro-grid of that grid.
  QgsVectorLayer *gridLayer = window.mapView()->gridLayers()->layer(gd::core::GridLevel::Grid);
  const QgsFeature feature = gridLayer->selectedFeatures().front();
  const QgsPointXY inside = window.mapCanvas()->mapSettings().layerToMapCoordinates(
    gridLayer, feature.geometry().pointOnSurface().asPoint());
  const QPointF pixel = window.mapCanvas()->mapSettings().mapToPixel().transform(inside).toQPointF();
  ASSERT_TRUE(window.mapView()->identifyTool()->identifyAt(pixel.toPoint()));
  const QString details = window.mapView()->detailsHtml();
  EXPECT_TRUE(details.contains(QString::fromStdString(grid.name))) << details.toStdString();
  EXPECT_TRUE(details.contains(QString::fromStdString(grid.code.str()))) << details.toStdString();
}

TEST(MainWindow, RadiusSelectionTakesExactlyTheCasesInside)
{
  const auto store = sharedStore();
  MainWindow window;
  window.resize(1280, 800);
  window.show();
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());

  // Cases 100 m, 300 m and 600 m east of a centre (measured on the canvas's metric CRS).
  const QgsMapSettings settings = window.mapCanvas()->mapSettings();
  const QgsCoordinateTransform toLonLat(settings.destinationCrs(), QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                        QgsProject::instance()->transformContext());
  const QgsPointXY centre = settings.extent().center();
  std::vector<gd::map::CasePin> pins;
  int i = 0;
  for (double east : {100.0, 300.0, 600.0})
  {
    const QgsPointXY at = toLonLat.transform(QgsPointXY(centre.x() + east, centre.y()));
    pins.push_back({QStringLiteral("620902-20261122-00000%1").arg(++i), at.x(), at.y(), QStringLiteral("01"),
                    QStringLiteral("0101"), QString(), QStringLiteral("accepted"),
                    i == 2 ? QStringLiteral("red") : QStringLiteral("green"), QStringLiteral("normal"), QString(), 0});
  }
  window.mapView()->caseLayer()->apply(pins);
  EXPECT_EQ(window.mapView()->selectCasesWithin(centre, 400), 2);
  EXPECT_EQ(window.mapView()->selectedCaseNumbers(), (QStringList{pins[0].number, pins[1].number}));
  EXPECT_EQ(window.mapView()->selectCasesWithin(centre, 50), 0);
  EXPECT_EQ(window.mapView()->selectCasesIn(QgsRectangle(centre.x(), centre.y() - 10, centre.x() + 700, centre.y() + 10)), 3);
}

TEST(MainWindow, BaseMapIsOptionalAndRefusedWithAReason)
{
  const auto store = sharedStore();
  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  const int layers = window.mapCanvas()->layers().size();

  // Nothing that can be used: refused, the map as it was.
  EXPECT_FALSE(window.mapView()->setBaseMap(QStringLiteral("/no/such/raster.tif"), &error));
  EXPECT_TRUE(error.contains(QStringLiteral("/no/such/raster.tif"))) << error.toStdString();
  EXPECT_EQ(window.mapView()->baseMapLayer(), nullptr);
  EXPECT_EQ(window.mapCanvas()->layers().size(), layers);

  // A local raster goes under everything.
  QTemporaryDir dir;
  QImage image(64, 64, QImage::Format_RGB32);
  image.fill(QColor(200, 220, 200));
  const QString raster = dir.filePath(QStringLiteral("base.png"));
  ASSERT_TRUE(image.save(raster));
  QFile world(dir.filePath(QStringLiteral("base.pgw")));
  ASSERT_TRUE(world.open(QIODevice::WriteOnly));
  world.write("0.01\n0\n0\n-0.01\n98.2\n40.0\n");
  world.close();
  ASSERT_TRUE(window.mapView()->setBaseMap(raster, &error)) << error.toStdString();
  ASSERT_NE(window.mapView()->baseMapLayer(), nullptr);
  EXPECT_EQ(window.mapCanvas()->layers().size(), layers + 1);
  EXPECT_EQ(window.mapCanvas()->layers().last(), window.mapView()->baseMapLayer());

  // An XYZ service is a layer too (tiles are fetched only when drawn), and empty removes it.
  ASSERT_TRUE(window.mapView()->setBaseMap(QStringLiteral("https://tiles.example.invalid/{z}/{x}/{y}.png"), &error)) << error.toStdString();
  EXPECT_EQ(window.mapView()->baseMapLayer()->providerType(), QStringLiteral("wms"));
  ASSERT_TRUE(window.mapView()->setBaseMap(QString(), &error));
  EXPECT_EQ(window.mapView()->baseMapLayer(), nullptr);
  EXPECT_EQ(window.mapCanvas()->layers().size(), layers);
}

TEST(MainWindow, ShowsTheCodeOfTheGridUnderThePointer)
{
  const auto store = sharedStore();
  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  window.resize(1280, 800);
  window.show();
  QgsVectorLayer *grids = window.mapView()->gridLayers()->layer(gd::core::GridLevel::Grid);
  QgsFeature grid;
  ASSERT_TRUE(grids->getFeatures().nextFeature(grid));
  const QString code = grid.attribute(QStringLiteral("code")).toString();
  QgsMapCanvas *canvas = window.mapCanvas();
  const QgsCoordinateTransform toCanvas(grids->crs(), canvas->mapSettings().destinationCrs(), QgsProject::instance()->transformContext());
  const QgsPointXY inside = toCanvas.transform(grid.geometry().pointOnSurface().asPoint());
  canvas->setCenter(inside);
  canvas->zoomScale(20000); // community zoom: the 网格 level is what one sees
  emit canvas->xyCoordinates(inside);
  EXPECT_TRUE(window.mapView()->hoverText().startsWith(code)) << window.mapView()->hoverText().toStdString() << " / " << code.toStdString();
  EXPECT_TRUE(window.mapView()->hoverText().contains(grid.attribute(QStringLiteral("name")).toString()));
}
