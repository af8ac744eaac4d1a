// The layer panel as an operator uses it: the demo district's layers on a real canvas,
// switched from the panel, rendered by the real QGIS renderer.
#include "maptestdistrict.h"

#include "map/caselayer.h"
#include "map/gridlayers.h"
#include "map/layerpanel.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "map/workerlayer.h"

#include <gtest/gtest.h>
#include <qgscoordinatetransform.h>
#include <qgsmapcanvas.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsmapsettings.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QAction>
#include <QActionGroup>
#include <QImage>
#include <QRadioButton>
#include <QTreeWidget>

using namespace gd;
using core::GridLevel;

namespace {

class LayerPanelTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mStore = maptest::makeStore();
      mGrids = map::GridLayers::fromTree(mStore->district.tree, map::defaultStyleDir());
      std::vector<map::PoiPoint> points;
      for (const core::DemoPoi &poi : mStore->district.pois)
        points.push_back({QString::fromStdString(poi.kind), QString::fromStdString(poi.name), poi.point.lon,
                          poi.point.lat, QString::fromStdString(poi.streamUrl)});
      mPois = map::PoiLayers::fromPoints(points, map::defaultStyleDir());
      mCases = std::make_unique<map::LiveCaseLayer>();
      mWorkers = std::make_unique<map::WorkerLayer>();
      mCanvas = std::make_unique<QgsMapCanvas>();
      mCanvas->resize(800, 600);
      mCanvas->setDestinationCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4542")));
      mCanvas->setLayers(ownerLayers());
    }

    void TearDown() override
    {
      mCanvas->setLayers({});
    }

    //! The layers as the console's window composes them, top first.
    QList<QgsMapLayer *> ownerLayers() const
    {
      QList<QgsMapLayer *> layers = mCases->layers();
      layers << mWorkers->layer() << mPois->layer() << mGrids->layers();
      return layers;
    }

    //! Renders what the canvas shows centred on \a centre (lon/lat) at 1:\a scale, without
    //! antialiasing so every pixel of a symbol has exactly its colour.
    QImage render(const QgsPointXY &centre, double scale) const
    {
      QgsMapSettings settings;
      settings.setLayers(mCanvas->layers());
      settings.setDestinationCrs(mCanvas->mapSettings().destinationCrs());
      settings.setOutputSize(QSize(800, 600));
      settings.setOutputDpi(96);
      settings.setBackgroundColor(Qt::white);
      settings.setFlag(Qgis::MapSettingsFlag::Antialiasing, false);
      const QgsCoordinateTransform toMap(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                         settings.destinationCrs(), QgsProject::instance()->transformContext());
      const QgsPointXY c = toMap.transform(centre);
      const double halfWidth = 800 / 96.0 * 0.0254 * scale / 2;
      const double halfHeight = halfWidth * 600 / 800;
      settings.setExtent(QgsRectangle(c.x() - halfWidth, c.y() - halfHeight, c.x() + halfWidth, c.y() + halfHeight));
      QgsMapRendererSequentialJob job(settings);
      job.start();
      job.waitForFinished();
      return job.renderedImage();
    }

    //! Pixels of exactly \a color within 12 px of the image centre.
    static int pixelsNearCentre(const QImage &image, const QColor &color)
    {
      int n = 0;
      for (int y = 300 - 12; y <= 300 + 12; ++y)
        for (int x = 400 - 12; x <= 400 + 12; ++x)
          n += image.pixelColor(x, y).rgb() == color.rgb() ? 1 : 0;
      return n;
    }

    const core::DemoPoi *firstPoi(const std::string &kind) const
    {
      for (const core::DemoPoi &poi : mStore->district.pois)
        if (poi.kind == kind)
          return &poi;
      return nullptr;
    }

    std::unique_ptr<maptest::StoreFixture> mStore;
    std::unique_ptr<map::GridLayers> mGrids;
    std::unique_ptr<map::PoiLayers> mPois;
    std::unique_ptr<map::LiveCaseLayer> mCases;
    std::unique_ptr<map::WorkerLayer> mWorkers;
    std::unique_ptr<QgsMapCanvas> mCanvas;
};

} // namespace

TEST_F(LayerPanelTest, ListsEveryPoiKindGridLevelAndLiveLayerWithSymbols)
{
  map::LayerPanel panel(mCanvas.get());
  const QStringList entries = panel.entries();
  for (const QString &kind : map::PoiLayers::kinds())
    EXPECT_TRUE(entries.contains(QStringLiteral("poi:") + kind)) << kind.toStdString();
  for (const QString &level : {map::style::kDistrict, map::style::kTownship, map::style::kCommunity, map::style::kGrid,
                               map::style::kMicroGrid})
    EXPECT_TRUE(entries.contains(QStringLiteral("layer:") + level)) << level.toStdString();
  for (const char *layer : {"layer:cases", "layer:case_alerts", "layer:case_counts", "layer:workers", "layer:pois"})
    EXPECT_TRUE(entries.contains(QLatin1String(layer))) << layer;

  if (!qEnvironmentVariableIsEmpty("GD_TEST_SAVE_IMAGES"))
  {
    panel.resize(320, 900);
    panel.tree()->expandAll();
    panel.grab().save(QStringLiteral("%1/layerpanel.png").arg(qEnvironmentVariable("GD_TEST_SAVE_IMAGES")));
  }

  // Every kind and level is shown with its symbol, and everything starts switched on.
  for (QTreeWidgetItemIterator it(panel.tree()); *it; ++it)
  {
    const QString key = (*it)->data(0, Qt::UserRole).toString();
    if (key.startsWith(QLatin1String("poi:")) || key.startsWith(QLatin1String("layer:grid_")))
    {
      EXPECT_FALSE((*it)->icon(0).isNull()) << key.toStdString();
      EXPECT_TRUE(panel.isEntryChecked(key)) << key.toStdString();
    }
  }
}

TEST_F(LayerPanelTest, SwitchingAPoiKindHidesAndShowsItOnTheRenderedMap)
{
  map::LayerPanel panel(mCanvas.get());
  const core::DemoPoi *camera = firstPoi("camera");
  ASSERT_NE(camera, nullptr);
  const QgsPointXY at(camera->point.lon, camera->point.lat);
  const QColor cameraBlue(30, 140, 200);

  // Cameras show from 1:25,000 inwards.
  EXPECT_GT(pixelsNearCentre(render(at, 10000), cameraBlue), 0);

  ASSERT_TRUE(panel.setEntryChecked(QStringLiteral("poi:camera"), false));
  EXPECT_FALSE(mPois->isKindVisible(QStringLiteral("camera")));
  EXPECT_EQ(pixelsNearCentre(render(at, 10000), cameraBlue), 0);
  // Only that kind: a hazardous-chemical firm still shows.
  const core::DemoPoi *firm = firstPoi("hazchem_firm");
  ASSERT_NE(firm, nullptr);
  EXPECT_GT(pixelsNearCentre(render(QgsPointXY(firm->point.lon, firm->point.lat), 10000), QColor(255, 120, 0)), 0);

  ASSERT_TRUE(panel.setEntryChecked(QStringLiteral("poi:camera"), true));
  EXPECT_GT(pixelsNearCentre(render(at, 10000), cameraBlue), 0);
}

TEST_F(LayerPanelTest, ALayerSwitchedOffStaysOffWhenTheOwnerSetsTheLayersAgain)
{
  map::LayerPanel panel(mCanvas.get());
  QgsMapLayer *grids = mGrids->layer(GridLevel::Grid);
  ASSERT_TRUE(mCanvas->layers().contains(grids));

  ASSERT_TRUE(panel.setEntryChecked(QStringLiteral("layer:grid_grid"), false));
  EXPECT_FALSE(mCanvas->layers().contains(grids));
  EXPECT_TRUE(mCanvas->layers().contains(mGrids->layer(GridLevel::Community)));

  // The window composes the layers afresh (a district-view switch, a base map …).
  mCanvas->setLayers(ownerLayers());
  EXPECT_FALSE(mCanvas->layers().contains(grids));
  EXPECT_FALSE(panel.isEntryChecked(QStringLiteral("layer:grid_grid")));

  // Back on, in its place in the drawing order.
  ASSERT_TRUE(panel.setEntryChecked(QStringLiteral("layer:grid_grid"), true));
  EXPECT_EQ(mCanvas->layers(), ownerLayers());
}

TEST_F(LayerPanelTest, DistrictViewSwitchFollowsAndTriggersTheSameActions)
{
  map::LayerPanel panel(mCanvas.get());
  QActionGroup group(nullptr);
  QAction counts(QStringLiteral("Counts"), &group);
  QAction choropleth(QStringLiteral("Choropleth"), &group);
  counts.setCheckable(true);
  choropleth.setCheckable(true);
  counts.setChecked(true);
  int choroplethTriggered = 0;
  QObject::connect(&choropleth, &QAction::triggered, [&] {
    ++choroplethTriggered;
    mCases->setDistrictView(map::LiveCaseLayer::DistrictView::Choropleth);
    mCanvas->setLayers(ownerLayers());
  });
  panel.setDistrictViewActions({&counts, &choropleth});
  const QList<QRadioButton *> buttons = panel.findChildren<QRadioButton *>();
  ASSERT_EQ(buttons.size(), 2);
  EXPECT_TRUE(buttons[0]->isChecked());

  buttons[1]->click();
  EXPECT_EQ(choroplethTriggered, 1);
  EXPECT_TRUE(choropleth.isChecked());
  EXPECT_TRUE(panel.entries().contains(QStringLiteral("layer:case_choropleth")));

  // Chosen elsewhere (the View menu): the panel follows.
  counts.trigger();
  EXPECT_TRUE(buttons[0]->isChecked());
  EXPECT_FALSE(buttons[1]->isChecked());
}
