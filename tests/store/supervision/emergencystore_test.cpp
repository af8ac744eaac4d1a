// Emergencies on a real store file: declaring, what is near, dispatching departments, the
// alert to exactly the terminals inside the radius, acknowledgements, the exported timeline.
#include "store/supervision/emergencystore.h"

#include "core/conference.h"
#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/gridstore.h"
#include "store/feed/orderstore.h"
#include "store/grids/poistore.h"
#include "store/feed/positionstore.h"
#include "store/storeerror.h"
#include "store/timetext.h"
#include "../gridfixtures.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <numbers>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using nlohmann::json;

namespace {

constexpr double kMetresPerDegreeLat = 6371008.8 * std::numbers::pi / 180.0;
const core::TimePoint kT0 = core::beijingTime(2026, 11, 21, 9, 30);
// Inside micro-grid 620902001001001001 of the good tree ([98.50, 98.51] x [39.70, 39.72]).
const core::GeoPoint kCentre{98.505, 39.71};

core::GeoPoint north(double metres)
{
  return {kCentre.lon, kCentre.lat + metres / kMetresPerDegreeLat};
}

std::string run(const std::string &command)
{
  std::string output;
  if (FILE *pipe = popen(command.c_str(), "r"))
  {
    char buffer[4096];
    while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe))
      output.append(buffer, n);
    pclose(pipe);
  }
  return output;
}

class EmergencyStoreTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      conference = core::ConferenceConfig::parse("meeting_link https://meet.example.gov.cn/join?room={incident}\n", "c");
      // The good tree with a worker per grid, the way the demo district has them.
      for (const GridRect &r : goodGridTree())
      {
        core::GridNode node{*core::GridCode::parse(r.code), r.name, latticePolygon(r), std::nullopt, {}, 0};
        if (r.code == "620902001001001")
          node.workers = {{"W-IN1", "张网格", "13900000001"}, {"W-IN2", "李网格", "13900000002"}, {"W-OUT", "王网格", "13900000003"}};
        if (r.code == "620902002001001")
          node.workers = {{"W-EDGE", "赵网格", "13900000004"}, {"W-NOFIX", "钱网格", "13900000005"}};
        tree.add(std::move(node));
      }
      GridStore(*db).replaceAll(tree);
      DeviceRegistry devices(*db);
      devices.add("HS-IN1", "W-IN1", kT0);
      devices.add("HS-IN1-SPARE", "W-IN1", kT0);
      devices.add("HS-IN2", "W-IN2", kT0);
      devices.add("HS-IN2-OLD", "W-IN2", kT0);
      devices.revoke("HS-IN2-OLD");
      devices.add("HS-OUT", "W-OUT", kT0);
      devices.add("HS-EDGE", "W-EDGE", kT0);
      devices.add("HS-NOFIX", "W-NOFIX", kT0);
      PositionStore positions(*db);
      positions.record({"HS-IN1", "W-IN1", kT0 - std::chrono::seconds(40), north(120), 6.0});
      positions.record({"HS-IN2", "W-IN2", kT0 - std::chrono::minutes(20), north(-480), 6.0});
      positions.record({"HS-OUT", "W-OUT", kT0 - std::chrono::seconds(5), north(501), 6.0});
      // An older fix inside does not count: the latest is outside.
      positions.record({"HS-EDGE", "W-EDGE", kT0 - std::chrono::minutes(10), north(10), 6.0});
      positions.record({"HS-EDGE", "W-EDGE", kT0 - std::chrono::minutes(1), north(-700), 6.0});
      PoiStore pois(*db);
      pois.add({0, "police_post", "东关警务室", north(200), "", {}});
      pois.add({0, "camera", "东关街口视频探头", north(-30), "rtsp://10.0.0.5/live/7", {}});
      pois.add({0, "hazchem_firm", "酒泉化工有限公司", north(450), "", {}});
      pois.add({0, "gas_company", "燃气有限公司", north(900), "", {}});
    }

    EmergencyStore emergencies() { return EmergencyStore(*db, *workflow, clock.get(), &config->departments, &conference); }

    EmergencyDeclaration declaration(const std::string &caseNumber = {})
    {
      EmergencyDeclaration d;
      d.caseNumber = caseNumber;
      d.centre = kCentre;
      d.radiusM = 500;
      d.actor = "值班长 孙七";
      d.at = kT0;
      return d;
    }

    core::ConferenceConfig conference;
    core::GridTree tree;
};

} // namespace

TEST_F(EmergencyStoreTest, DeclaringNumbersTheIncidentAndFillsTheConferenceLink)
{
  EmergencyStore store = emergencies();
  const Emergency first = store.declare(declaration());
  EXPECT_EQ(first.incident, "YJ20261121-001");
  EXPECT_EQ(first.conferenceUrl, "https://meet.example.gov.cn/join?room=YJ20261121-001");
  EXPECT_EQ(first.title, "突发事件");
  EXPECT_TRUE(first.isOpen());
  EXPECT_EQ(store.declare(declaration()).incident, "YJ20261121-002");

  EmergencyDeclaration own = declaration();
  own.incident = "110/2026#15";
  const Emergency external = store.declare(own);
  EXPECT_EQ(external.conferenceUrl, "https://meet.example.gov.cn/join?room=110%2F2026%2315");
  EXPECT_THROW(store.declare(own), StoreRefusal); // duplicate_incident
  own.incident = "a b";
  EXPECT_THROW(store.declare(own), StoreRefusal);
  EmergencyDeclaration bad = declaration();
  bad.radiusM = 0;
  EXPECT_THROW(store.declare(bad), StoreRefusal);
  EXPECT_THROW(store.declare(declaration("620902-20000101-000001")), StoreRefusal); // unknown_case
  EXPECT_EQ(store.openEmergencies().size(), 3u);
  EXPECT_EQ(store.openEmergencies().front().incident, "110/2026#15");

  const auto timeline = store.timeline(first.incident);
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_EQ(timeline[0].kind, TimelineKind::Declared);
  EXPECT_EQ(timeline[0].actor, "值班长 孙七");
  EXPECT_EQ(timeline[0].data.conferenceUrl, first.conferenceUrl);
}

// Issue 13: every incident was "突发事件"; an emergency now keeps its type.
TEST_F(EmergencyStoreTest, AnEmergencyKeepsItsTypeAndTheExportCarriesIt)
{
  EmergencyStore store = emergencies();
  EmergencyDeclaration fire = declaration();
  fire.incidentType = "fire";
  fire.title = "东关街仓库起火";
  const Emergency e = store.declare(fire);
  EXPECT_EQ(e.incidentType, "fire");
  EXPECT_EQ(store.find(e.incident)->incidentType, "fire");
  EXPECT_EQ(store.openEmergencies().front().incidentType, "fire");
  EXPECT_EQ(store.timeline(e.incident).front().data.incidentType, "fire");
  EXPECT_EQ(json::parse(store.timelineJson(e.incident)).value("incident_type", ""), "fire");
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM emergencies WHERE incident_type = 'fire'"), 1);
  // Unspecified is allowed (and is what older emergencies are); a code that is not one is not.
  EXPECT_EQ(store.declare(declaration()).incidentType, "");
  EmergencyDeclaration bad = declaration();
  bad.incidentType = "Fire; DROP";
  try
  {
    store.declare(bad);
    FAIL();
  }
  catch (const StoreRefusal &refusal)
  {
    EXPECT_EQ(refusal.reason(), "bad_value");
    EXPECT_NE(std::string(refusal.what()).find("incident_type"), std::string::npos) << refusal.what();
  }
  EXPECT_EQ(store.openEmergencies().size(), 2u);
}

TEST_F(EmergencyStoreTest, NearbyShowsWorkersSitesAndAreasWithinTheRadius)
{
  EmergencyStore store = emergencies();
  const auto r = store.nearby(kCentre, 500, tree, kT0);
  ASSERT_EQ(r.workers.size(), 2u);
  EXPECT_EQ(r.workers[0].fix.workerId, "W-IN1");
  EXPECT_EQ(r.workers[0].fix.name, "张网格");
  EXPECT_EQ(r.workers[0].fix.phone, "13900000001");
  EXPECT_EQ(r.workers[0].fix.gridCode, "620902001001001");
  EXPECT_EQ(r.workers[0].fix.deviceId, "HS-IN1");
  EXPECT_NEAR(r.workers[0].distanceM, 120, 1e-6);
  EXPECT_TRUE(r.workers[0].online);
  EXPECT_EQ(r.workers[1].fix.workerId, "W-IN2");
  EXPECT_NEAR(r.workers[1].distanceM, 480, 1e-6);
  EXPECT_FALSE(r.workers[1].online); // last fix 20 minutes ago
  ASSERT_EQ(r.sites.size(), 3u);
  EXPECT_EQ(r.sites[0].site.kind, "camera");
  EXPECT_EQ(r.sites[0].site.streamUrl, "rtsp://10.0.0.5/live/7");
  EXPECT_NEAR(r.sites[0].distanceM, 30, 1e-6);
  EXPECT_EQ(r.sites[1].site.kind, "police_post");
  EXPECT_EQ(r.sites[2].site.kind, "hazchem_firm");
  EXPECT_TRUE(r.sites[2].risk);
  // The centre's grid and community; the neighbouring township's begin 0.015° (≈1,283 m) east.
  ASSERT_EQ(r.areasAt(core::GridLevel::Grid).size(), 1u);
  EXPECT_EQ(r.areasAt(core::GridLevel::Grid)[0].code, "620902001001001");
  EXPECT_TRUE(r.areasAt(core::GridLevel::Grid)[0].containsCentre);
  EXPECT_EQ(r.areasAt(core::GridLevel::Community).size(), 1u);
  const auto grids = store.nearby(kCentre, 1300, tree, kT0).areasAt(core::GridLevel::Grid);
  ASSERT_EQ(grids.size(), 2u);
  EXPECT_EQ(grids[1].code, "620902002001001");
  EXPECT_NEAR(grids[1].distanceM, core::distanceMeters(kCentre, {98.52, kCentre.lat}), 0.01);
  EXPECT_NEAR(grids[1].distanceM, 1283.2, 0.5);
  EXPECT_EQ(store.nearby(kCentre, 1280, tree, kT0).areasAt(core::GridLevel::Grid).size(), 1u);
}

TEST_F(EmergencyStoreTest, TheAlertGoesToExactlyTheTerminalsInsideAndAcksShowOnTheTimeline)
{
  EmergencyStore store = emergencies();
  const Emergency e = store.declare(declaration());
  const auto deliveries = store.broadcastAlert(e.incident, "", "值班长 孙七", kT0 + std::chrono::minutes(1));
  std::vector<std::string> devices;
  for (const AlertDelivery &d : deliveries)
    devices.push_back(d.deviceId);
  // W-IN1's two terminals and W-IN2's active one; not W-OUT (501 m), not W-EDGE (latest fix
  // 700 m away), not W-NOFIX (no fix), not the revoked terminal.
  EXPECT_EQ(devices, (std::vector<std::string>{"HS-IN1", "HS-IN1-SPARE", "HS-IN2"}));
  OrderStore orders(*db);
  for (const AlertDelivery &d : deliveries)
  {
    const auto order = orders.find(d.orderId);
    ASSERT_TRUE(order);
    EXPECT_EQ(order->kind, OrderKind::Alert);
    EXPECT_EQ(order->deviceId, d.deviceId);
    EXPECT_NE(order->message.find("视频会商：https://meet.example.gov.cn/join?room=YJ20261121-001"), std::string::npos)
      << order->message;
  }
  for (const char *outside : {"HS-OUT", "HS-EDGE", "HS-NOFIX", "HS-IN2-OLD"})
    EXPECT_TRUE(orders.pending(outside).empty()) << outside;
  EXPECT_NEAR(deliveries[2].distanceM, 480, 1e-6);

  // Acknowledgements arrive through the orders (the gateway's order_ack); the emergency sees them.
  EXPECT_TRUE(orders.acknowledge("HS-IN2", deliveries[2].orderId, kT0 + std::chrono::minutes(3)));
  EXPECT_TRUE(orders.acknowledge("HS-IN1", deliveries[0].orderId, kT0 + std::chrono::minutes(2)));
  const auto alerts = store.alerts(e.incident);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(*alerts[0].ackedAt, kT0 + std::chrono::minutes(2));
  EXPECT_FALSE(alerts[1].ackedAt);
  EXPECT_EQ(alerts[2].workerId, "W-IN2");

  store.addNote(e.incident, "值班长 孙七", kT0 + std::chrono::minutes(4), "消防车已出发");
  const auto timeline = store.timeline(e.incident);
  std::vector<std::string> kinds;
  for (const TimelineEntry &t : timeline)
    kinds.push_back(std::string(timelineKindName(t.kind)));
  EXPECT_EQ(kinds, (std::vector<std::string>{"declared", "alert", "ack", "ack", "note"}));
  ASSERT_TRUE(timeline[1].data.devices);
  EXPECT_EQ(timeline[1].data.devices->size(), 3u);
  EXPECT_EQ(timeline[2].actor, "device:HS-IN1");
  EXPECT_EQ(timeline[3].actor, "device:HS-IN2");
}

TEST_F(EmergencyStoreTest, DispatchFromACaseAssignsItWhenWaitingAndNotesItOtherwise)
{
  const std::string waiting = caseIn(core::CaseState::Accepted, kT0 - std::chrono::hours(1), "fire", kMicroA, "0601");
  const std::string handling = caseIn(core::CaseState::InHandling, kT0 - std::chrono::hours(1), "fire", kMicroA, "0601");
  EmergencyStore store = emergencies();
  const Emergency fromWaiting = store.declare(declaration(waiting));
  const DispatchResult a =
    store.dispatch(fromWaiting.incident, {"fire", "emergency", "police"}, "", "值班长 孙七", kT0 + std::chrono::minutes(2));
  ASSERT_EQ(a.noticeIds.size(), 3u);
  EXPECT_EQ(a.caseAction, core::CaseAction::Assign);
  const auto assigned = cases->find(waiting);
  EXPECT_EQ(assigned->state, core::CaseState::Assigned);
  EXPECT_EQ(assigned->leadDepartment, "fire");
  EXPECT_EQ(assigned->assistingDepartments, "emergency,police");
  const auto notices = DepartmentNotices(*db).forIncident(fromWaiting.incident);
  ASSERT_EQ(notices.size(), 3u);
  EXPECT_EQ(notices[1].department, "emergency");
  EXPECT_EQ(notices[1].kind, NoticeKind::Emergency);
  EXPECT_EQ(notices[1].caseNumber, waiting);
  EXPECT_EQ(notices[1].link, fromWaiting.conferenceUrl);
  EXPECT_EQ(DepartmentNotices(*db).pending("police").size(), 1u);

  const Emergency fromHandling = store.declare(declaration(handling));
  EXPECT_EQ(store.dispatch(fromHandling.incident, {"fire", "health"}, "请派员增援", "值班长 孙七", kT0).caseAction,
            core::CaseAction::Note);
  EXPECT_EQ(cases->find(handling)->leadDepartment, "fire"); // whoever handles it keeps it
  EXPECT_NE(cases->events(handling).back().note.find("消防救援大队 (fire), 卫生健康局 (health)"), std::string::npos)
    << cases->events(handling).back().note;

  EXPECT_THROW(store.dispatch(fromHandling.incident, {"fire", "nosuch"}, "", "x", kT0), StoreRefusal);
  EXPECT_THROW(store.dispatch(fromHandling.incident, {"fire", "fire"}, "", "x", kT0), StoreRefusal);
  EXPECT_THROW(store.dispatch(fromHandling.incident, {}, "", "x", kT0), StoreRefusal);
  EXPECT_EQ(DepartmentNotices(*db).forIncident(fromHandling.incident).size(), 2u);
  EXPECT_EQ(cases->verifyProjections(), std::vector<std::string>());
}

TEST_F(EmergencyStoreTest, TheTimelineExportsAndAClosedEmergencyTakesNothingMore)
{
  EmergencyStore store = emergencies();
  const Emergency e = store.declare(declaration());
  store.dispatch(e.incident, {"fire", "police"}, "", "值班长 孙七", kT0 + std::chrono::minutes(1));
  EXPECT_EQ(store.joinConference(e.incident, "区长 周八", kT0 + std::chrono::minutes(2)), e.conferenceUrl);
  store.addNote(e.incident, "值班长 孙七", kT0 + std::chrono::minutes(3), "现场, \"已控制\"");
  store.close(e.incident, "值班长 孙七", kT0 + std::chrono::minutes(30));
  EXPECT_THROW(store.close(e.incident, "值班长 孙七", kT0), StoreRefusal);
  EXPECT_THROW(store.broadcastAlert(e.incident, "", "x", kT0), StoreRefusal);
  EXPECT_THROW(store.addNote(e.incident, "x", kT0, "late"), StoreRefusal);
  EXPECT_THROW(store.timeline("YJ19990101-001"), StoreRefusal);
  EXPECT_TRUE(store.openEmergencies().empty());

  const std::string csv = store.timelineCsv(e.incident);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")), "at,kind,actor,message,data");
  EXPECT_NE(csv.find("2026-11-21T09:31:00+08:00,dispatched,值班长 孙七,\"dispatched to 消防救援大队 (fire), 公安分局 (police)\","),
            std::string::npos)
    << csv;
  EXPECT_NE(csv.find(",note,值班长 孙七,\"现场, \"\"已控制\"\"\","), std::string::npos) << csv;
  EXPECT_NE(csv.find("2026-11-21T10:00:00+08:00,closed,"), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);

  const json j = json::parse(store.timelineJson(e.incident));
  EXPECT_EQ(j["incident"], e.incident);
  EXPECT_EQ(j["closed_at"], "2026-11-21T10:00:00+08:00");
  EXPECT_EQ(j["conference_url"], e.conferenceUrl);
  ASSERT_EQ(j["timeline"].size(), 5u);
  EXPECT_EQ(j["timeline"][2]["kind"], "conference");
  EXPECT_EQ(j["timeline"][1]["data"]["departments"], json({"fire", "police"}));
}

TEST_F(EmergencyStoreTest, NoConferenceSystemNoLink)
{
  EmergencyStore store(*db, *workflow, clock.get(), &config->departments, nullptr);
  const Emergency e = store.declare(declaration());
  EXPECT_EQ(e.conferenceUrl, "");
  EXPECT_THROW(store.joinConference(e.incident, "x", kT0), StoreRefusal);
  const auto deliveries = store.broadcastAlert(e.incident, "撤离", "x", kT0);
  ASSERT_FALSE(deliveries.empty());
  EXPECT_EQ(OrderStore(*db).find(deliveries[0].orderId)->message, "撤离");
}

TEST_F(EmergencyStoreTest, TheStoreStaysAGeoPackageWithAnEmergenciesLayer)
{
  if (std::system("ogrinfo --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "ogrinfo (gdal-bin) is not installed";
  EmergencyStore store = emergencies();
  const Emergency e = store.declare(declaration(caseIn(core::CaseState::Accepted, kT0)));
  store.dispatch(e.incident, {"fire"}, "", "x", kT0);
  store.broadcastAlert(e.incident, "", "x", kT0);
  // On PostgreSQL the same layers through OGR's PG driver, as QGIS reads them; named, as the
  // driver lists only tables with a geometry (a GeoPackage lists the others in gpkg_contents).
  const std::string path = db->path().string();
  const std::string layers = storesOnPostgres() ? "'PG:" + StoreFixture::store->dbArgument() +
                                                    "' emergencies department_notices emergency_timeline"
                                                : "-al '" + path + "'";
  cases.reset();
  db.reset();
  const std::string output = run("ogrinfo -ro -so " + layers + " 2>&1");
  EXPECT_EQ(output.find("Warning"), std::string::npos) << output;
  EXPECT_EQ(output.find("ERROR"), std::string::npos) << output;
  const auto block = [&](const std::string &layer) {
    const auto start = output.find("Layer name: " + layer + "\n");
    if (start == std::string::npos)
      return std::string();
    return output.substr(start, output.find("Layer name: ", start + 1) - start);
  };
  EXPECT_NE(block("emergencies").find("Geometry: Point\n"), std::string::npos) << output;
  EXPECT_NE(block("emergencies").find("Feature Count: 1\n"), std::string::npos) << output;
  EXPECT_NE(block("department_notices").find("Feature Count: 1\n"), std::string::npos) << output;
  EXPECT_NE(block("emergency_timeline").find("Feature Count: 3\n"), std::string::npos) << output;
  const char *validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
  if (!storesOnPostgres() && std::filesystem::exists(validator) &&
      std::system("/usr/bin/python3 -c 'import osgeo' > /dev/null 2>&1") == 0)
  {
    const std::string report = run(std::string("/usr/bin/python3 ") + validator + " '" + path + "' 2>&1; echo rc=$?");
    EXPECT_EQ(report, "rc=0\n") << report;
  }
}

// Issue 15: a timeline entry's details became typed (TimelineDetails) and JSON stays in the
// store. What is stored and exported must read as before, byte for byte, for the rows this
// program writes and for rows older versions or other hands left. The expected texts are the
// output of the code before the change (nlohmann::json details), captured on this scenario.
TEST_F(EmergencyStoreTest, TheStoredAndExportedTimelineReadsAsBeforeTheDetailsWereTyped)
{
  const std::string waiting = caseIn(core::CaseState::Accepted, kT0 - std::chrono::hours(1), "fire", kMicroA, "0601");
  EmergencyStore store = emergencies();
  EmergencyDeclaration fire = declaration(waiting);
  fire.incidentType = "fire";
  const Emergency e = store.declare(fire);
  store.dispatch(e.incident, {"fire", "police"}, "", "值班长 孙七", kT0 + std::chrono::minutes(1));
  const auto deliveries = store.broadcastAlert(e.incident, "", "值班长 孙七", kT0 + std::chrono::minutes(2));
  OrderStore orders(*db);
  orders.acknowledge("HS-IN2", deliveries[2].orderId, kT0 + std::chrono::minutes(4));
  orders.acknowledge("HS-IN1", deliveries[0].orderId, kT0 + std::chrono::minutes(3));
  store.joinConference(e.incident, "区长 周八", kT0 + std::chrono::minutes(5));
  store.addNote(e.incident, "值班长 孙七", kT0 + std::chrono::minutes(6), "现场, \"已控制\"\n第二行");
  // Rows as older versions, or hands other than this program's, left them.
  const auto raw = [&](int minute, const char *kind, const char *data) {
    db->query("INSERT INTO emergency_timeline (emergency_id, at, actor, kind, message, data) VALUES (?, ?, ?, ?, ?, ?)")
      .bindAll(e.id, toDbTime(kT0 + std::chrono::minutes(minute)), std::string("旧版"), std::string(kind),
               std::string("old"), std::string(data))
      .run();
  };
  raw(7, "declared", R"({"lon":98.505,"lat":39.71,"radius_m":500})");
  raw(8, "dispatched", R"({"departments":"fire","notices":[1,"x"],"extra":{"b":[1,2.5,null]},"message":"\u4e2d","case_action":"nosuch"})");
  raw(9, "alert", R"({"devices":[],"orders":[],"message":"撤离","lon":98,"radius_m":-0.0})");
  raw(10, "note", "not json");
  raw(11, "conference", R"({ "conference_url" : "https://x" , "order": 3, "device": 7, "worker": "W" })");
  raw(12, "dispatched", R"({"case_action":"assign","departments":[],"notices":[],"message":""})");
  store.close(e.incident, "值班长 孙七", kT0 + std::chrono::minutes(30));
  std::vector<std::string> stored;
  for (auto q = db->query("SELECT data FROM emergency_timeline ORDER BY id"); q.step();)
    stored.push_back(q->columnText(0));
  EXPECT_EQ(stored, (std::vector<std::string>{
    R"gold({"case":"620902-20261121-000001","conference_url":"https://meet.example.gov.cn/join?room=YJ20261121-001","incident_type":"fire","lat":39.71,"lon":98.505,"radius_m":500.0})gold",
    R"gold({"case_action":"assign","departments":["fire","police"],"message":"突发事件 YJ20261121-001：楼道堆放杂物，请立即响应","notices":[1,2]})gold",
    R"gold({"devices":["HS-IN1","HS-IN1-SPARE","HS-IN2"],"message":"突发事件 YJ20261121-001：楼道堆放杂物，请注意安全并听从指挥 视频会商：https://meet.example.gov.cn/join?room=YJ20261121-001","orders":[1,2,3]})gold",
    R"gold({"conference_url":"https://meet.example.gov.cn/join?room=YJ20261121-001"})gold",
    R"gold({})gold",
    R"gold({"lon":98.505,"lat":39.71,"radius_m":500})gold",
    R"gold({"departments":"fire","notices":[1,"x"],"extra":{"b":[1,2.5,null]},"message":"\u4e2d","case_action":"nosuch"})gold",
    R"gold({"devices":[],"orders":[],"message":"撤离","lon":98,"radius_m":-0.0})gold",
    R"gold(not json)gold",
    R"gold({ "conference_url" : "https://x" , "order": 3, "device": 7, "worker": "W" })gold",
    R"gold({"case_action":"assign","departments":[],"notices":[],"message":""})gold",
    R"gold({})gold",
  }));
  // (A CSV field with a newline stays in one quoted field; each record ends in CRLF.)
  const std::string csv =
    R"gold(at,kind,actor,message,data)gold" "\r\n"
    R"gold(2026-11-21T09:30:00+08:00,declared,值班长 孙七,"emergency YJ20261121-001 declared: 楼道堆放杂物 (fire), radius 500 m, from case 620902-20261121-000001","{""case"":""620902-20261121-000001"",""conference_url"":""https://meet.example.gov.cn/join?room=YJ20261121-001"",""incident_type"":""fire"",""lat"":39.71,""lon"":98.505,""radius_m"":500.0}")gold" "\r\n"
    R"gold(2026-11-21T09:31:00+08:00,dispatched,值班长 孙七,"dispatched to 消防救援大队 (fire), 公安分局 (police)","{""case_action"":""assign"",""departments"":[""fire"",""police""],""message"":""突发事件 YJ20261121-001：楼道堆放杂物，请立即响应"",""notices"":[1,2]}")gold" "\r\n"
    R"gold(2026-11-21T09:32:00+08:00,alert,值班长 孙七,alert broadcast to 3 terminal(s) of 2 worker(s) within 500 m,"{""devices"":[""HS-IN1"",""HS-IN1-SPARE"",""HS-IN2""],""message"":""突发事件 YJ20261121-001：楼道堆放杂物，请注意安全并听从指挥 视频会商：https://meet.example.gov.cn/join?room=YJ20261121-001"",""orders"":[1,2,3]}")gold" "\r\n"
    R"gold(2026-11-21T09:33:00+08:00,ack,device:HS-IN1,"alert acknowledged by terminal HS-IN1 (worker W-IN1, 120 m away)","{""device"":""HS-IN1"",""order"":1,""worker"":""W-IN1""}")gold" "\r\n"
    R"gold(2026-11-21T09:34:00+08:00,ack,device:HS-IN2,"alert acknowledged by terminal HS-IN2 (worker W-IN2, 480 m away)","{""device"":""HS-IN2"",""order"":3,""worker"":""W-IN2""}")gold" "\r\n"
    R"gold(2026-11-21T09:35:00+08:00,conference,区长 周八,video conference joined by 区长 周八: https://meet.example.gov.cn/join?room=YJ20261121-001,"{""conference_url"":""https://meet.example.gov.cn/join?room=YJ20261121-001""}")gold" "\r\n"
    R"gold(2026-11-21T09:36:00+08:00,note,值班长 孙七,"现场, ""已控制""
第二行",{})gold" "\r\n"
    R"gold(2026-11-21T09:37:00+08:00,declared,旧版,old,"{""lat"":39.71,""lon"":98.505,""radius_m"":500}")gold" "\r\n"
    R"gold(2026-11-21T09:38:00+08:00,dispatched,旧版,old,"{""case_action"":""nosuch"",""departments"":""fire"",""extra"":{""b"":[1,2.5,null]},""message"":""中"",""notices"":[1,""x""]}")gold" "\r\n"
    R"gold(2026-11-21T09:39:00+08:00,alert,旧版,old,"{""devices"":[],""lon"":98,""message"":""撤离"",""orders"":[],""radius_m"":-0.0}")gold" "\r\n"
    R"gold(2026-11-21T09:40:00+08:00,note,旧版,old,{})gold" "\r\n"
    R"gold(2026-11-21T09:41:00+08:00,conference,旧版,old,"{""conference_url"":""https://x"",""device"":7,""order"":3,""worker"":""W""}")gold" "\r\n"
    R"gold(2026-11-21T09:42:00+08:00,dispatched,旧版,old,"{""case_action"":""assign"",""departments"":[],""message"":"""",""notices"":[]}")gold" "\r\n"
    R"gold(2026-11-21T10:00:00+08:00,closed,值班长 孙七,emergency YJ20261121-001 closed,{})gold" "\r\n";
  EXPECT_EQ(store.timelineCsv(e.incident), csv);
  EXPECT_EQ(store.timelineJson(e.incident), R"gold({
  "case": "620902-20261121-000001",
  "closed_at": "2026-11-21T10:00:00+08:00",
  "closed_by": "值班长 孙七",
  "conference_url": "https://meet.example.gov.cn/join?room=YJ20261121-001",
  "declared_at": "2026-11-21T09:30:00+08:00",
  "declared_by": "值班长 孙七",
  "incident": "YJ20261121-001",
  "incident_type": "fire",
  "lat": 39.71,
  "lon": 98.505,
  "radius_m": 500.0,
  "timeline": [
    {
      "actor": "值班长 孙七",
      "at": "2026-11-21T09:30:00+08:00",
      "data": {
        "case": "620902-20261121-000001",
        "conference_url": "https://meet.example.gov.cn/join?room=YJ20261121-001",
        "incident_type": "fire",
        "lat": 39.71,
        "lon": 98.505,
        "radius_m": 500.0
      },
      "kind": "declared",
      "message": "emergency YJ20261121-001 declared: 楼道堆放杂物 (fire), radius 500 m, from case 620902-20261121-000001"
    },
    {
      "actor": "值班长 孙七",
      "at": "2026-11-21T09:31:00+08:00",
      "data": {
        "case_action": "assign",
        "departments": [
          "fire",
          "police"
        ],
        "message": "突发事件 YJ20261121-001：楼道堆放杂物，请立即响应",
        "notices": [
          1,
          2
        ]
      },
      "kind": "dispatched",
      "message": "dispatched to 消防救援大队 (fire), 公安分局 (police)"
    },
    {
      "actor": "值班长 孙七",
      "at": "2026-11-21T09:32:00+08:00",
      "data": {
        "devices": [
          "HS-IN1",
          "HS-IN1-SPARE",
          "HS-IN2"
        ],
        "message": "突发事件 YJ20261121-001：楼道堆放杂物，请注意安全并听从指挥 视频会商：https://meet.example.gov.cn/join?room=YJ20261121-001",
        "orders": [
          1,
          2,
          3
        ]
      },
      "kind": "alert",
      "message": "alert broadcast to 3 terminal(s) of 2 worker(s) within 500 m"
    },
    {
      "actor": "device:HS-IN1",
      "at": "2026-11-21T09:33:00+08:00",
      "data": {
        "device": "HS-IN1",
        "order": 1,
        "worker": "W-IN1"
      },
      "kind": "ack",
      "message": "alert acknowledged by terminal HS-IN1 (worker W-IN1, 120 m away)"
    },
    {
      "actor": "device:HS-IN2",
      "at": "2026-11-21T09:34:00+08:00",
      "data": {
        "device": "HS-IN2",
        "order": 3,
        "worker": "W-IN2"
      },
      "kind": "ack",
      "message": "alert acknowledged by terminal HS-IN2 (worker W-IN2, 480 m away)"
    },
    {
      "actor": "区长 周八",
      "at": "2026-11-21T09:35:00+08:00",
      "data": {
        "conference_url": "https://meet.example.gov.cn/join?room=YJ20261121-001"
      },
      "kind": "conference",
      "message": "video conference joined by 区长 周八: https://meet.example.gov.cn/join?room=YJ20261121-001"
    },
    {
      "actor": "值班长 孙七",
      "at": "2026-11-21T09:36:00+08:00",
      "data": {},
      "kind": "note",
      "message": "现场, \"已控制\"\n第二行"
    },
    {
      "actor": "旧版",
      "at": "2026-11-21T09:37:00+08:00",
      "data": {
        "lat": 39.71,
        "lon": 98.505,
        "radius_m": 500
      },
      "kind": "declared",
      "message": "old"
    },
    {
      "actor": "旧版",
      "at": "2026-11-21T09:38:00+08:00",
      "data": {
        "case_action": "nosuch",
        "departments": "fire",
        "extra": {
          "b": [
            1,
            2.5,
            null
          ]
        },
        "message": "中",
        "notices": [
          1,
          "x"
        ]
      },
      "kind": "dispatched",
      "message": "old"
    },
    {
      "actor": "旧版",
      "at": "2026-11-21T09:39:00+08:00",
      "data": {
        "devices": [],
        "lon": 98,
        "message": "撤离",
        "orders": [],
        "radius_m": -0.0
      },
      "kind": "alert",
      "message": "old"
    },
    {
      "actor": "旧版",
      "at": "2026-11-21T09:40:00+08:00",
      "data": {},
      "kind": "note",
      "message": "old"
    },
    {
      "actor": "旧版",
      "at": "2026-11-21T09:41:00+08:00",
      "data": {
        "conference_url": "https://x",
        "device": 7,
        "order": 3,
        "worker": "W"
      },
      "kind": "conference",
      "message": "old"
    },
    {
      "actor": "旧版",
      "at": "2026-11-21T09:42:00+08:00",
      "data": {
        "case_action": "assign",
        "departments": [],
        "message": "",
        "notices": []
      },
      "kind": "dispatched",
      "message": "old"
    },
    {
      "actor": "值班长 孙七",
      "at": "2026-11-21T10:00:00+08:00",
      "data": {},
      "kind": "closed",
      "message": "emergency YJ20261121-001 closed"
    }
  ],
  "title": "楼道堆放杂物"
}
)gold");

  // What the console reads: the typed details, and what was not in the written form as its text.
  const auto timeline = store.timeline(e.incident);
  ASSERT_EQ(timeline.size(), 14u);
  EXPECT_EQ(timeline[0].data, (TimelineDetails{.lon = kCentre.lon, .lat = kCentre.lat, .radiusM = 500.0,
                                               .incidentType = "fire", .caseNumber = waiting,
                                               .conferenceUrl = e.conferenceUrl}));
  EXPECT_EQ(timeline[1].data.caseAction, core::CaseAction::Assign);
  EXPECT_EQ(timeline[1].data.departments, (std::vector<std::string>{"fire", "police"}));
  EXPECT_EQ(timeline[1].data.notices, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(timeline[2].data.orders->size(), 3u);
  EXPECT_EQ(timeline[3].data, (TimelineDetails{.order = 1, .device = "HS-IN1", .worker = "W-IN1"}));
  EXPECT_EQ(timeline[7].data.radiusM, std::nullopt);
  EXPECT_EQ(timeline[7].data.verbatim, (std::map<std::string, std::string>{{"radius_m", "500"}}));
  EXPECT_EQ(timeline[8].data.message, "中");
  EXPECT_EQ(timeline[8].data.verbatim.size(), 4u); // case_action, departments, extra, notices
  EXPECT_EQ(timeline[10].data, TimelineDetails{});
  EXPECT_EQ(timeline[11].data.order, 3);
  EXPECT_EQ(timeline[11].data.verbatim, (std::map<std::string, std::string>{{"device", "7"}}));
}
