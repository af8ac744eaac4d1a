#include "console/mainwindow.h"

#include "console/casequeuemodel.h"

#include <gtest/gtest.h>
#include <qgsmapcanvas.h>
#include <qgsvectorlayer.h>

#include <QDockWidget>
#include <QLabel>
#include <QStatusBar>
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
  EXPECT_EQ(canvas->layers().front(), window.districtLayer());
  // Drawn in the CGCS2000 Gauss-Krüger zone of the district, so shapes keep their proportions.
  EXPECT_EQ(canvas->mapSettings().destinationCrs().authid(), QStringLiteral("EPSG:4542"));
  const QgsRectangle district = canvas->mapSettings().layerExtentToOutputExtent(window.districtLayer(),
                                                                                window.districtLayer()->extent());
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

TEST(MainWindow, StatusBarShowsFeedAndClock)
{
  MainWindow window;
  window.setFeedStatus(QStringLiteral("Feed: 3 terminals online"));
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
