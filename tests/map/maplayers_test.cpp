// The map as an operator sees it: the demo district's levels, each in its scale range, live
// case pins and per-grid counts, rendered by the real QGIS renderer from a real store file.
#include "maptestdistrict.h"

#include "map/caselayer.h"
#include "store/database.h"
#include "store/grids/layerstyles.h"
#include "map/gridlayers.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "map/workerlayer.h"

#include <gtest/gtest.h>
#include <qgscoordinatetransform.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsgeometry.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsmapsettings.h>
#include <qgsproject.h>
#include <qgsrendercontext.h>
#include <qgssymbollayer.h>
#include <qgsrulebasedrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgssymbol.h>
#include <qgsvectorlayer.h>

#include <QFile>
#include <QImage>
#include <QTemporaryDir>

#include <array>

using namespace gd;
using core::GridLevel;

namespace {

class MapLayers : public testing::Test
{
  protected:
    static void SetUpTestSuite()
    {
      sStore = maptest::makeStore().release();
      QString error;
      sGrids = map::GridLayers::open(sStore->path, map::defaultStyleDir(), &error).release();
      ASSERT_NE(sGrids, nullptr) << error.toStdString();
    }
    static void TearDownTestSuite()
    {
      delete sGrids;
      delete sStore;
    }

    //! Renders \a layers centred on \a centre (lon/lat) at scale 1:\a scale, without antialiasing
    //! so that every pixel has exactly a symbol's colour.
    static QImage render(const QList<QgsMapLayer *> &layers, const QgsPointXY &centre, double scale)
    {
      QgsMapSettings settings;
      settings.setLayers(layers);
      settings.setDestinationCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4542")));
      settings.setOutputSize(QSize(800, 600));
      settings.setOutputDpi(96);
      settings.setBackgroundColor(Qt::white);
      settings.setFlag(Qgis::MapSettingsFlag::Antialiasing, false);
      const QgsCoordinateTransform toMap(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                         settings.destinationCrs(), QgsProject::instance()->transformContext());
      const QgsPointXY c = toMap.transform(centre);
      // Width in metres at 96 dpi: pixels / dpi * 0.0254 m per inch * scale.
      const double halfWidth = 800 / 96.0 * 0.0254 * scale / 2;
      const double halfHeight = halfWidth * 600 / 800;
      settings.setExtent(QgsRectangle(c.x() - halfWidth, c.y() - halfHeight, c.x() + halfWidth, c.y() + halfHeight));
      QgsMapRendererSequentialJob job(settings);
      job.start();
      job.waitForFinished();
      if (!qEnvironmentVariableIsEmpty("GD_TEST_SAVE_IMAGES"))
        job.renderedImage().save(QStringLiteral("%1/render-%2.png").arg(qEnvironmentVariable("GD_TEST_SAVE_IMAGES")).arg(static_cast<int>(scale)));
      return job.renderedImage();
    }

    static int countPixels(const QImage &image, const QColor &color)
    {
      int n = 0;
      for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
          n += image.pixelColor(x, y).rgb() == color.rgb() ? 1 : 0;
      return n;
    }

    static QgsPointXY districtCentre()
    {
      return QgsPointXY(98.51, 39.74);
    }

    static QgsPointXY pointInside(const core::GridNode &node)
    {
      QgsPolygonXY polygon;
      QgsPolylineXY ring;
      for (const core::GeoPoint &p : node.area.front().outer)
        ring << QgsPointXY(p.lon, p.lat);
      polygon << ring;
      return QgsGeometry::fromPolygonXY(polygon).pointOnSurface().asPoint();
    }

    static QHash<QString, QgsGeometry> gridAreas() { return sGrids->areas(GridLevel::Grid); }

    static inline maptest::StoreFixture *sStore = nullptr;
    static inline map::GridLayers *sGrids = nullptr;
};

} // namespace

TEST_F(MapLayers, EveryLevelIsReadFromTheStore)
{
  EXPECT_EQ(sGrids->layer(GridLevel::District)->featureCount(), 1);
  EXPECT_EQ(sGrids->layer(GridLevel::Township)->featureCount(), 3);
  EXPECT_EQ(sGrids->layer(GridLevel::Community)->featureCount(), 8);
  EXPECT_EQ(sGrids->layer(GridLevel::Grid)->featureCount(), 40);
  EXPECT_EQ(sGrids->layer(GridLevel::MicroGrid)->featureCount(), 130);
  for (QgsMapLayer *layer : sGrids->layers())
    EXPECT_EQ(layer->crs().authid(), QStringLiteral("EPSG:4490")) << layer->name().toStdString();
}

TEST_F(MapLayers, LayersBuiltFromTheTreeMatchTheStoreFile)
{
  const auto fromTree = map::GridLayers::fromTree(sStore->district.tree, map::defaultStyleDir());
  for (int level = 0; level < 5; ++level)
  {
    QgsVectorLayer *built = fromTree->layer(static_cast<GridLevel>(level));
    QgsVectorLayer *read = sGrids->layer(static_cast<GridLevel>(level));
    EXPECT_EQ(built->featureCount(), read->featureCount()) << built->name().toStdString();
    EXPECT_EQ(built->crs().authid(), QStringLiteral("EPSG:4490"));
    EXPECT_NEAR(built->extent().area(), read->extent().area(), read->extent().area() * 1e-6);
  }
  const core::GridNode &grid = *sStore->district.tree.nodesAt(GridLevel::Grid)[2];
  QgsFeature feature;
  QgsFeatureIterator it = fromTree->layer(GridLevel::Grid)->getFeatures(
    QgsFeatureRequest().setFilterExpression(QStringLiteral("\"code\" = '%1'").arg(QString::fromStdString(grid.code.str()))));
  ASSERT_TRUE(it.nextFeature(feature));
  EXPECT_EQ(feature.attribute(QStringLiteral("name")).toString().toStdString(), grid.name);
  EXPECT_EQ(feature.attribute(QStringLiteral("leader_name")).toString().toStdString(), grid.leader->name);
  EXPECT_TRUE(feature.attribute(QStringLiteral("workers")).toString().contains(QString::fromStdString(grid.workers.front().name)));
}

TEST_F(MapLayers, EachLevelShowsInItsScaleRange)
{
  // Rendered one level at a time, centred on a grid: a level draws something exactly when the
  // scale is inside its range.
  const QgsPointXY centre = pointInside(*sStore->district.tree.nodesAt(GridLevel::Grid)[10]);
  struct Expectation
  {
    double scale;
    std::array<bool, 5> visible; // district, township, community, grid, micro-grid
  };
  const Expectation expectations[] = {
    {300000, {true, true, false, false, false}},
    {100000, {true, true, true, false, false}},
    {30000, {true, true, true, true, false}},
    {8000, {true, true, true, true, true}},
  };
  for (const Expectation &expected : expectations)
    for (int level = 0; level < 5; ++level)
    {
      QgsVectorLayer *layer = sGrids->layer(static_cast<GridLevel>(level));
      const QImage image = render({layer}, centre, expected.scale);
      const int drawn = image.width() * image.height() - countPixels(image, Qt::white);
      if (expected.visible[static_cast<std::size_t>(level)])
        EXPECT_GT(drawn, 0) << layer->name().toStdString() << " missing at 1:" << expected.scale;
      else
        EXPECT_EQ(drawn, 0) << layer->name().toStdString() << " drawn at 1:" << expected.scale;
    }
}

TEST_F(MapLayers, PointsOfInterestOfEveryKindAreShownAndToggled)
{
  QString error;
  const auto pois = map::PoiLayers::open(sStore->path, &error);
  ASSERT_NE(pois, nullptr) << error.toStdString();
  EXPECT_EQ(pois->layer()->featureCount(), static_cast<long long>(sStore->district.pois.size()));

  // A hazardous-chemical firm is drawn at every zoom; hidden, it is not drawn at all.
  const core::DemoPoi *firm = nullptr;
  for (const core::DemoPoi &poi : sStore->district.pois)
    if (poi.kind == "hazchem_firm")
      firm = &poi;
  ASSERT_NE(firm, nullptr);
  for (const QString &kind : map::PoiLayers::kinds())
  {
    if (kind != QLatin1String("hazchem_firm"))
    {
      ASSERT_TRUE(pois->setKindVisible(kind, false));
    }
  }
  const QgsPointXY at(firm->point.lon, firm->point.lat);
  QImage image = render({pois->layer()}, at, 150000);
  EXPECT_EQ(image.pixelColor(400, 300), QColor(255, 120, 0));
  ASSERT_TRUE(pois->setKindVisible(QStringLiteral("hazchem_firm"), false));
  EXPECT_FALSE(pois->isKindVisible(QStringLiteral("hazchem_firm")));
  image = render({pois->layer()}, at, 150000);
  EXPECT_EQ(image.pixelColor(400, 300), QColor(Qt::white));
  EXPECT_FALSE(pois->setKindVisible(QStringLiteral("no_such_kind"), true));
}

TEST_F(MapLayers, APinAppearsWhereTheCaseIsAndTurnsRedWhenOverdue)
{
  map::LiveCaseLayer cases;
  const core::GridNode &grid = *sStore->district.tree.nodesAt(GridLevel::Grid)[5];
  const QgsPointXY where = pointInside(grid);
  map::CasePin pin{QStringLiteral("620902-20261121-000001"), where.x(), where.y(), QStringLiteral("01"),
                   QStringLiteral("0101"), QStringLiteral("邻里噪音纠纷"), QStringLiteral("assigned"),
                   QStringLiteral("green"), QStringLiteral("normal"), QString::fromStdString(grid.code.str())};
  cases.apply({pin});
  ASSERT_EQ(cases.pinCount(), 1);

  // Each render is centred on the case, so the pin is at the image's centre.
  const QPoint pixel(400, 300);
  QImage image = render(cases.pinLayers(), where, 10000);
  EXPECT_EQ(image.pixelColor(pixel).name(), QStringLiteral("#1a9850"));

  pin.light = QStringLiteral("red");
  cases.apply({pin});
  image = render(cases.pinLayers(), where, 10000);
  EXPECT_EQ(image.pixelColor(pixel).name(), QStringLiteral("#d7191c"));
  EXPECT_EQ(cases.pinCount(), 1);

  // Zoomed out to the district, an overdue pin still shows, an ordinary one gives way to counts.
  image = render(cases.pinLayers(), where, 120000);
  EXPECT_EQ(image.pixelColor(pixel).name(), QStringLiteral("#d7191c"));
  pin.light = QStringLiteral("green");
  cases.apply({pin});
  image = render(cases.pinLayers(), where, 120000);
  EXPECT_EQ(image.pixelColor(pixel), QColor(Qt::white));
}

TEST_F(MapLayers, AggregatedCountEqualsTheOpenCasesInTheGrid)
{
  map::LiveCaseLayer cases;
  cases.setGrids(gridAreas());

  const auto grids = sStore->district.tree.nodesAt(GridLevel::Grid);
  std::vector<map::CasePin> pins;
  for (int i = 0; i < 30; ++i)
  {
    const core::GridNode &grid = *grids[static_cast<std::size_t>(i % 3)];
    const QgsPointXY at = pointInside(grid);
    pins.push_back({QStringLiteral("620902-20261121-%1").arg(i + 1, 6, 10, QLatin1Char('0')), at.x(), at.y(),
                    QStringLiteral("03"), QStringLiteral("0301"), QString(), QStringLiteral("accepted"),
                    i % 5 == 0 ? QStringLiteral("red") : QStringLiteral("green"), QStringLiteral("normal"),
                    QString::fromStdString(grid.code.str())});
  }
  cases.apply(pins);
  // Two cases of grid 0 close.
  cases.apply({}, {pins[0].number, pins[3].number});

  const QString grid0 = QString::fromStdString(grids[0]->code.str());
  EXPECT_EQ(cases.countInGrid(grid0), 8);
  EXPECT_EQ(cases.countInGrid(QString::fromStdString(grids[1]->code.str())), 10);
  // Overdue in grid 0: i = 15 only (0 closed; 5, 10, 20, 25 are in other grids).
  EXPECT_EQ(cases.overdueInGrid(grid0), 1);

  // The count layer carries the same number for that grid.
  QgsFeatureIterator it = cases.countLayer()->getFeatures();
  QgsFeature feature;
  int seen = 0;
  while (it.nextFeature(feature))
    if (feature.attribute(QStringLiteral("grid")).toString() == grid0)
    {
      EXPECT_EQ(feature.attribute(QStringLiteral("open")).toInt(), 8);
      ++seen;
    }
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(cases.countLayer()->featureCount(), 3);

  // At the district overview the same cases are summed per community.
  QHash<QString, QgsGeometry> communities;
  for (const core::GridNode *community : sStore->district.tree.nodesAt(GridLevel::Community))
  {
    QgsPolylineXY ring;
    for (const core::GeoPoint &p : community->area.front().outer)
      ring << QgsPointXY(p.lon, p.lat);
    communities.insert(QString::fromStdString(community->code.str()), QgsGeometry::fromPolygonXY({ring}));
  }
  cases.setCommunities(communities);
  int expected = 0;
  const QString community0 = grid0.left(12);
  for (const core::GridNode *grid : grids)
    if (QString::fromStdString(grid->code.str()).startsWith(community0))
      expected += cases.countInGrid(QString::fromStdString(grid->code.str()));
  EXPECT_GT(expected, 0);
  EXPECT_EQ(cases.countInCommunity(community0), expected);
  EXPECT_GT(cases.communityCountLayer()->featureCount(), 0);
  EXPECT_FALSE(cases.communityCountLayer()->isInScaleRange(50000));
  EXPECT_TRUE(cases.communityCountLayer()->isInScaleRange(120000));
  EXPECT_TRUE(cases.countLayer()->isInScaleRange(50000));
  EXPECT_FALSE(cases.countLayer()->isInScaleRange(120000));
}

TEST_F(MapLayers, WorkersShowTheirStatus)
{
  map::WorkerLayer workers;
  const core::GridNode &grid = *sStore->district.tree.nodesAt(GridLevel::Grid)[3];
  const QgsPointXY where = pointInside(grid);
  map::WorkerPin pin{QStringLiteral("W1"), QStringLiteral("王芳"), QStringLiteral("13900000000"),
                     QString::fromStdString(grid.code.str()), where.x(), where.y(), 0, map::WorkerPin::Status::Online};
  workers.apply({pin});
  const QColor online(25, 110, 210);
  const QColor stationary(240, 160, 0);
  EXPECT_GT(countPixels(render({workers.layer()}, where, 10000), online), 10);

  pin.status = map::WorkerPin::Status::Stationary;
  workers.apply({pin});
  QImage image = render({workers.layer()}, where, 10000);
  EXPECT_EQ(countPixels(image, online), 0);
  EXPECT_GT(countPixels(image, stationary), 10);

  pin.status = map::WorkerPin::Status::Offline;
  pin.lon += 0.001; // moved, too
  workers.apply({pin});
  EXPECT_EQ(workers.count(), 1);
  EXPECT_EQ(workers.layer()->featureCount(), 1);
  image = render({workers.layer()}, where, 10000);
  EXPECT_EQ(countPixels(image, stationary), 0);
  EXPECT_EQ(workers.worker(QStringLiteral("W1"))->status, map::WorkerPin::Status::Offline);
}

TEST_F(MapLayers, ShippedStylesLoadAndMatchTheBuiltInOnes)
{
  // maps/*.qml are what a center edits in QGIS desktop; each must load and give the same kind
  // of renderer (and for POIs the same rule per kind) as the built-in style.
  const QString dir = QStringLiteral(GD_SOURCE_DIR "/maps");
  for (const QString &name : {map::style::kDistrict, map::style::kTownship, map::style::kCommunity, map::style::kGrid,
                              map::style::kMicroGrid, map::style::kPois})
  {
    const bool points = name == map::style::kPois;
    QgsVectorLayer fromFile(points ? QStringLiteral("Point?crs=EPSG:4490&field=kind:string") : QStringLiteral("MultiPolygon?crs=EPSG:4490"),
                            name, QStringLiteral("memory"));
    QgsVectorLayer builtIn(fromFile.source(), name, QStringLiteral("memory"));
    QString error;
    EXPECT_EQ(map::applyStyle(fromFile, name, dir, &error), dir + QStringLiteral("/") + name + QStringLiteral(".qml"))
      << error.toStdString();
    ASSERT_TRUE(map::applyBuiltInStyle(builtIn, name));
    EXPECT_EQ(fromFile.renderer()->type(), builtIn.renderer()->type()) << name.toStdString();
    EXPECT_EQ(fromFile.labelsEnabled(), builtIn.labelsEnabled()) << name.toStdString();
  }
  QgsVectorLayer pois(QStringLiteral("Point?crs=EPSG:4490&field=kind:string"), QStringLiteral("pois"), QStringLiteral("memory"));
  map::applyStyle(pois, map::style::kPois, dir);
  auto *rules = static_cast<QgsRuleBasedRenderer *>(pois.renderer());
  for (const QString &kind : map::PoiLayers::kinds())
    EXPECT_NE(rules->rootRule()->findRuleByKey(kind), nullptr) << kind.toStdString();
}

TEST_F(MapLayers, ABrokenStyleFileFallsBackToTheBuiltInWithAReason)
{
  QTemporaryDir dir;
  QFile file(dir.filePath(QStringLiteral("grid_grid.qml")));
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write("<qgis><renderer-v2 type=");
  file.close();
  QgsVectorLayer layer(QStringLiteral("MultiPolygon?crs=EPSG:4490"), QStringLiteral("g"), QStringLiteral("memory"));
  QString error;
  EXPECT_TRUE(map::applyStyle(layer, map::style::kGrid, dir.path(), &error).isEmpty());
  EXPECT_TRUE(error.contains(QStringLiteral("grid_grid.qml"))) << error.toStdString();
  EXPECT_EQ(layer.renderer()->type(), QStringLiteral("singleSymbol"));
}

TEST_F(MapLayers, TheStoreOpensInQgisWithTheConsolesLook)
{
  // QGIS desktop takes a GeoPackage layer's default style from layer_styles: with the styles
  // installed, a plain OGR layer of the store draws like the console (halo + boundary, labels).
  QTemporaryDir dir;
  const QString copy = dir.filePath(QStringLiteral("styled.gpkg"));
  ASSERT_TRUE(QFile::copy(sStore->path, copy));
  {
    gd::store::Database db(copy.toStdString());
    EXPECT_EQ(gd::store::installMapStyles(db, GD_SOURCE_DIR "/maps"), 6);
    EXPECT_EQ(gd::store::installMapStyles(db, GD_SOURCE_DIR "/maps"), 6); // again: replaced, not added
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM layer_styles WHERE useAsDefault = 1"), 6);
  }
  QgsVectorLayer styled(copy + QStringLiteral("|layername=grid_township"), QStringLiteral("t"), QStringLiteral("ogr"));
  ASSERT_TRUE(styled.isValid());
  QgsVectorLayer plain(sStore->path + QStringLiteral("|layername=grid_township"), QStringLiteral("t"), QStringLiteral("ogr"));
  EXPECT_TRUE(styled.labelsEnabled());
  EXPECT_FALSE(plain.labelsEnabled());
  auto *renderer = dynamic_cast<QgsSingleSymbolRenderer *>(styled.renderer());
  ASSERT_NE(renderer, nullptr);
  EXPECT_EQ(renderer->symbol()->symbolLayerCount(), 2); // the white halo and the boundary
}

TEST_F(MapLayers, StoreCountsShowFirstAndStandUntilEveryPinIsIn)
{
  map::LiveCaseLayer cases;
  cases.setGrids(gridAreas());
  const auto grids = sStore->district.tree.nodesAt(GridLevel::Grid);
  const QString grid0 = QString::fromStdString(grids[0]->code.str());
  cases.showStoreCounts({{grid0, 6, 2, 0}});
  EXPECT_TRUE(cases.isLoading());
  EXPECT_EQ(cases.countInGrid(grid0), 6);
  EXPECT_EQ(cases.overdueInGrid(grid0), 2);
  EXPECT_EQ(cases.countLayer()->featureCount(), 1);

  std::vector<map::CasePin> pins;
  const QgsPointXY at = pointInside(*grids[0]);
  for (int i = 0; i < 6; ++i)
    pins.push_back({QStringLiteral("620902-20261121-%1").arg(i + 1, 6, 10, QLatin1Char('0')), at.x(), at.y(),
                    QStringLiteral("03"), QStringLiteral("0301"), QString(), QStringLiteral("accepted"),
                    i < 2 ? QStringLiteral("red") : QStringLiteral("green"), QStringLiteral("normal"), grid0});
  // Half the pins in: the district view keeps the store's count, not the pins seen so far.
  cases.apply({pins.begin(), pins.begin() + 3});
  EXPECT_EQ(cases.countInGrid(grid0), 6);
  cases.apply({pins.begin() + 3, pins.end()});
  cases.finishLoading();
  EXPECT_FALSE(cases.isLoading());
  // Every pin in: the count is the pins' own again, and equals the cases of the grid.
  EXPECT_EQ(cases.countInGrid(grid0), 6);
  EXPECT_EQ(cases.overdueInGrid(grid0), 2);
  cases.apply({}, {pins[0].number});
  EXPECT_EQ(cases.countInGrid(grid0), 5);
  EXPECT_EQ(cases.overdueInGrid(grid0), 1);
}

TEST_F(MapLayers, AtDistrictZoomOverduePinsAreRedDotsAndEmergenciesKeepTheirHalo)
{
  map::LiveCaseLayer cases;
  const core::GridNode &grid = *sStore->district.tree.nodesAt(GridLevel::Grid)[5];
  const QgsPointXY where = pointInside(grid);
  map::CasePin pin{QStringLiteral("620902-20261121-000001"), where.x(), where.y(), QStringLiteral("01"),
                   QStringLiteral("0101"), QString(), QStringLiteral("assigned"), QStringLiteral("red"),
                   QStringLiteral("normal"), QString::fromStdString(grid.code.str())};
  cases.apply({pin});
  const QPoint centre(400, 300);
  // The halo ring lies ~3 mm (11 px at 96 dpi) from the centre, outside the pin itself.
  auto haloPixels = [&](const QImage &image) {
    int n = 0;
    for (int dx = -16; dx <= 16; ++dx)
      for (int dy = -16; dy <= 16; ++dy)
        if (dx * dx + dy * dy >= 8 * 8 && dx * dx + dy * dy <= 13 * 13)
          n += image.pixelColor(centre + QPoint(dx, dy)) != QColor(Qt::white) ? 1 : 0;
    return n;
  };
  QImage image = render(cases.pinLayers(), where, 40000);
  EXPECT_EQ(image.pixelColor(centre).name(), QStringLiteral("#d7191c"));
  EXPECT_GT(haloPixels(image), 100);
  image = render(cases.pinLayers(), where, 120000);
  EXPECT_EQ(image.pixelColor(centre).name(), QStringLiteral("#d7191c")); // still red, still there
  EXPECT_EQ(haloPixels(image), 0);

  pin.priority = QStringLiteral("emergency");
  pin.light = QStringLiteral("green");
  cases.apply({pin});
  image = render(cases.pinLayers(), where, 120000);
  EXPECT_EQ(image.pixelColor(centre).name(), QStringLiteral("#d7191c"));
  EXPECT_GT(haloPixels(image), 100);
}

TEST_F(MapLayers, LabelsAndHalosFollowTheView)
{
  auto grids = map::GridLayers::fromTree(sStore->district.tree, map::defaultStyleDir());
  QgsVectorLayer *gridLayer = grids->layer(GridLevel::Grid);
  QgsVectorLayer *townships = grids->layer(GridLevel::Township);
  ASSERT_TRUE(gridLayer->labelsEnabled());
  // District zoom: the grid level is out of its range, so are its labels; townships label.
  map::setLabelsForScale(grids->layers(), 200000);
  EXPECT_FALSE(gridLayer->labelsEnabled());
  EXPECT_TRUE(townships->labelsEnabled());
  // Zoomed in to a grid: its labels are back.
  map::setLabelsForScale(grids->layers(), 20000);
  EXPECT_TRUE(gridLayer->labelsEnabled());

  // Halos: the white stroke under each boundary, shown only over a base map.
  auto haloEnabled = [](QgsVectorLayer *layer) {
    QgsRenderContext context;
    const QgsSymbolList symbols = layer->renderer()->symbols(context);
    return symbols.front()->symbolLayer(0)->enabled();
  };
  EXPECT_TRUE(haloEnabled(gridLayer));
  grids->setBoundaryHalos(false);
  EXPECT_FALSE(haloEnabled(gridLayer));
  EXPECT_FALSE(haloEnabled(townships));
  grids->setBoundaryHalos(true);
  EXPECT_TRUE(haloEnabled(gridLayer));
}
