#include "store/demostore.h"

#include "store/database.h"
#include "store/gridstore.h"
#include "store/poistore.h"

namespace gd::store {

void writeDemoDistrict(Database &db, const core::DemoDistrict &district)
{
  // A savepoint, so that the caller may hold a transaction of its own around this.
  Savepoint savepoint(db);
  GridStore(db).replaceAll(district.tree);
  PoiStore pois(db);
  for (const core::DemoPoi &demo : district.pois)
  {
    Poi poi;
    poi.kind = demo.kind;
    poi.name = demo.name;
    poi.point = demo.point;
    poi.streamUrl = demo.streamUrl;
    poi.attributes["grid"] = demo.gridCode;
    for (const auto &[key, value] : demo.attributes)
      poi.attributes[key] = value;
    pois.add(poi);
  }
  savepoint.release();
}

} // namespace gd::store
