#include "store/grids/poistore.h"

#include "store/database.h"
#include "store/schema.h"
#include "../tempdir.h"
#include "storebackend.h"

#include <gtest/gtest.h>

using namespace gd;
using namespace gd::store;

TEST(PoiStoreTest, StoresKindNameStreamAndAttributes)
{
  test::TempDir dir;
  test::TestStore store(dir.file("p.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  PoiStore pois(*db);
  Poi camera;
  camera.kind = "camera";
  camera.name = "东关街口";
  camera.point = {98.52, 39.73};
  camera.streamUrl = "rtsp://10.0.0.5/stream1";
  camera.attributes = {{"ptz", "yes"}, {"grid", "620902001001001001"}};
  const auto id = pois.add(camera);
  pois.add(Poi{0, "alarm_pillar", "一键报警柱 1", {98.5, 39.7}, "", {}});
  EXPECT_EQ(pois.list().size(), 2u);
  const auto cameras = pois.list("camera");
  ASSERT_EQ(cameras.size(), 1u);
  EXPECT_EQ(cameras[0].id, id);
  EXPECT_EQ(cameras[0].streamUrl, "rtsp://10.0.0.5/stream1");
  EXPECT_EQ(cameras[0].attributes, camera.attributes);
  EXPECT_DOUBLE_EQ(cameras[0].point.lon, 98.52);
}

// The attributes are stored as the JSON object text they were when Poi held a nlohmann::json
// (keys sorted, no spaces); a value another program stored as a number or true reads as its
// JSON text, and text that is no JSON object reads as no attributes.
TEST(PoiStoreTest, AttributesAreStoredAsBeforeAndReadBackAsText)
{
  test::TempDir dir;
  test::TestStore store(dir.file("p.gpkg"));
  auto db = Schema::openOrCreate(store.location());
  PoiStore pois(*db);
  Poi shelter{0, "shelter", "东关避难场所", {98.5, 39.7}, "", {{"level", "community"}, {"grid", "620902001001"}, {"备注", "可容纳 \"200\" 人"}}};
  pois.add(shelter);
  pois.add(Poi{0, "camera", "无属性", {98.5, 39.7}, "", {}});
  std::vector<std::string> stored;
  for (auto q = db->query("SELECT attributes FROM pois ORDER BY fid"); q.step();)
    stored.push_back(q->columnText(0));
  EXPECT_EQ(stored, (std::vector<std::string>{R"({"grid":"620902001001","level":"community","备注":"可容纳 \"200\" 人"})", "{}"}));

  db->query("UPDATE pois SET attributes = ? WHERE fid = 2").bindAll(std::string(R"({"ptz":true,"zoom":3,"preset":{"a":1}})")).run();
  pois.add(Poi{0, "camera", "坏属性", {98.5, 39.7}, "", {}});
  db->query("UPDATE pois SET attributes = 'not json' WHERE fid = 3").run();
  const auto all = pois.list();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].attributes, shelter.attributes);
  EXPECT_EQ(all[1].attributes, (std::map<std::string, std::string>{{"preset", R"({"a":1})"}, {"ptz", "true"}, {"zoom", "3"}}));
  EXPECT_TRUE(all[2].attributes.empty());
}
