// The store opened in QGIS desktop draws like the console on both backends: with the map styles
// installed (store::installMapStyles), QGIS's own provider — ogr for the GeoPackage, postgres
// for the database — loads the product's style as the layer's default.

#include "core/demodistrict.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/grids/layerstyles.h"
#include "store/schema.h"
#include "storebackend.h"

#include <gtest/gtest.h>
#include <qgsdatasourceuri.h>
#include <qgssinglesymbolrenderer.h>
#include <qgssymbol.h>
#include <qgsvectorlayer.h>

#include <QTemporaryDir>

#include <memory>

using namespace gd;

namespace {

//! The store's layer \a table as QGIS desktop opens it: the GeoPackage's layer, or the PostGIS table.
std::unique_ptr<QgsVectorLayer> openInQgis(const store::test::TestStore &store, const QString &table)
{
  if (!store.location().isPostgres())
    return std::make_unique<QgsVectorLayer>(QString::fromStdString(store.location().path().string()) +
                                              QStringLiteral("|layername=") + table,
                                            table, QStringLiteral("ogr"));
  QgsDataSourceUri uri(QString::fromStdString(store.location().conninfo()));
  uri.setDataSource(QStringLiteral("public"), table, QStringLiteral("geom"));
  return std::make_unique<QgsVectorLayer>(uri.uri(false), table, QStringLiteral("postgres"));
}

} // namespace

TEST(StoreStyles, QgisDesktopLoadsTheConsolesStyleAsEachLayersDefault)
{
  QTemporaryDir dir;
  store::test::TestStore store(dir.filePath(QStringLiteral("styled.gpkg")).toStdString());
  {
    auto db = store::Schema::openOrCreate(store.location());
    core::DemoDistrictOptions options;
    options.radiusMeters = 3000;
    options.townships = 2;
    options.communities = 4;
    options.grids = 12;
    options.microGrids = 30;
    store::writeDemoDistrict(*db, core::generateDemoDistrict(options));
    if (db->isPostgres())
    {
      ASSERT_EQ(db->scalarInt("SELECT count(*) FROM pg_namespace WHERE nspname = current_schema() AND nspname = 'public'"), 1)
        << "the layer is opened in schema public";
    }
    // A layer without the product's style first: QGIS falls back to its own default.
    auto plain = openInQgis(store, QStringLiteral("grid_township"));
    ASSERT_TRUE(plain->isValid());
    EXPECT_FALSE(plain->labelsEnabled());
    EXPECT_EQ(store::installMapStyles(*db, GD_SOURCE_DIR "/maps"), 6);
  }
  auto styled = openInQgis(store, QStringLiteral("grid_township"));
  ASSERT_TRUE(styled->isValid());
  EXPECT_TRUE(styled->labelsEnabled());
  auto *renderer = dynamic_cast<QgsSingleSymbolRenderer *>(styled->renderer());
  ASSERT_NE(renderer, nullptr);
  EXPECT_EQ(renderer->symbol()->symbolLayerCount(), 2); // the white halo and the boundary
  auto pois = openInQgis(store, QStringLiteral("pois")); // empty here: the style is the layer's all the same
  ASSERT_TRUE(pois->isValid());
  EXPECT_EQ(pois->renderer()->type().toStdString(), "RuleRenderer"); // one rule per kind of point (maps/pois.qml)
}
