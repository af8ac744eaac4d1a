#include "maptestdistrict.h"

#include "storebackend.h"

#include "store/database.h"
#include "store/grids/gridstore.h"
#include "store/grids/poistore.h"
#include "store/schema.h"

namespace gd::maptest {

std::unique_ptr<StoreFixture> makeStore()
{
  auto fixture = std::make_unique<StoreFixture>();
  fixture->path = fixture->dir.filePath(QStringLiteral("district.gpkg"));
  if (store::test::storesOnPostgres())
  {
    auto database = std::make_shared<store::test::TestStore>(fixture->path.toStdString());
    fixture->path = QString::fromStdString(database->dbArgument());
    fixture->databaseName = database->databaseName();
    fixture->database = database;
  }
  core::DemoDistrictOptions options;
  options.seed = 3;
  options.townships = 3;
  options.communities = 8;
  options.grids = 40;
  options.microGrids = 130;
  options.radiusMeters = 6000;
  fixture->district = core::generateDemoDistrict(options);
  auto db = store::Schema::openOrCreate(store::StoreLocation::parse(fixture->path.toStdString()));
  store::GridStore(*db).replaceAll(fixture->district.tree);
  store::PoiStore pois(*db);
  for (const core::DemoPoi &poi : fixture->district.pois)
  {
    store::Poi row;
    row.kind = poi.kind;
    row.name = poi.name;
    row.point = poi.point;
    row.streamUrl = poi.streamUrl;
    pois.add(row);
  }
  return fixture;
}

} // namespace gd::maptest
