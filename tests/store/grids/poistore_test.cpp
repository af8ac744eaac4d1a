#include "store/grids/poistore.h"

#include "store/database.h"
#include "store/schema.h"
#include "../tempdir.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

TEST(PoiStoreTest, StoresKindNameStreamAndAttributes)
{
  test::TempDir dir;
  auto db = Schema::openOrCreate(dir.file("p.gpkg"));
  PoiStore pois(*db);
  Poi camera;
  camera.kind = "camera";
  camera.name = "东关街口";
  camera.point = {98.52, 39.73};
  camera.streamUrl = "rtsp://10.0.0.5/stream1";
  camera.attributes = {{"ptz", true}};
  const auto id = pois.add(camera);
  pois.add(Poi{0, "alarm_pillar", "一键报警柱 1", {98.5, 39.7}, "", nlohmann::json::object()});
  EXPECT_EQ(pois.list().size(), 2u);
  const auto cameras = pois.list("camera");
  ASSERT_EQ(cameras.size(), 1u);
  EXPECT_EQ(cameras[0].id, id);
  EXPECT_EQ(cameras[0].streamUrl, "rtsp://10.0.0.5/stream1");
  EXPECT_EQ(cameras[0].attributes["ptz"], true);
  EXPECT_DOUBLE_EQ(cameras[0].point.lon, 98.52);
}
