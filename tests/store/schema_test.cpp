#include "store/schema.h"

#include "store/database.h"
#include "store/deviceregistry.h"
#include "store/geopackage.h"
#include "store/positionstore.h"
#include "store/storeerror.h"
#include "olderstore.h"
#include "storefixture.h"
#include "tempdir.h"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

using namespace gd;
using namespace gd::store;

namespace {
bool hasTable(Database &db, const std::string &name)
{
  auto q = db.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.bindAll(name);
  return q.step() && q->columnInt(0) == 1;
}
} // namespace

TEST(StoreSchemaTest, ANewStoreIsAGeoPackageAtTheCurrentRevision)
{
  test::TempDir dir;
  auto db = Schema::openOrCreate(dir.file("s.gpkg"));
  EXPECT_EQ(db->scalarInt("PRAGMA application_id"), 0x47504B47);
  EXPECT_EQ(db->scalarInt("PRAGMA user_version"), 10300 + Schema::kRevision);
  EXPECT_EQ(Schema::revision(*db), Schema::kRevision);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (4326, -1, 0, 4490)"), 4);
  auto q = db->query("SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 4490");
  ASSERT_TRUE(q.step());
  EXPECT_NE(q->columnText(0).find("China Geodetic Coordinate System 2000"), std::string::npos);
  for (const char *t : {"cases", "case_events", "grid_district", "grid_microgrid", "devices", "orders", "pois",
                        "positions", "worker_positions", "gpkg_extensions", "rtree_cases_geom"})
    EXPECT_TRUE(hasTable(*db, t)) << t;
  auto check = db->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);
  // Migrating again is a no-op.
  Schema::migrate(*db);
  EXPECT_EQ(Schema::revision(*db), Schema::kRevision);
}

TEST(StoreSchemaTest, MigratesAnOldFileKeepingItsData)
{
  test::TempDir dir;
  {
    Database db(dir.file("old.gpkg"), Database::Mode::ReadWriteCreate);
    Schema::migrate(db, 1);
    EXPECT_EQ(db.scalarInt("PRAGMA user_version"), 10301);
    EXPECT_FALSE(hasTable(db, "devices"));
    auto q = db.query("INSERT INTO grid_district (geom, code, name) VALUES (?, ?, ?)");
    core::Polygon square{{{98.5, 39.7}, {98.6, 39.7}, {98.6, 39.8}, {98.5, 39.8}, {98.5, 39.7}}, {}};
    q->bindBlob(1, geopackage::encodeMultiPolygon({square}));
    q->bindFrom(2, "620902", "肃州区");
    q.run();
  }
  auto db = Schema::open(dir.file("old.gpkg"));
  EXPECT_EQ(Schema::revision(*db), Schema::kRevision);
  EXPECT_TRUE(hasTable(*db, "devices"));
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_district WHERE code = '620902'"), 1);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM gpkg_contents WHERE table_name = 'pois'"), 1);
  // Revision 3 indexed the rows that were already there (an R-tree keeps 32-bit floats).
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_grid_district_geom WHERE abs(minx - 98.5) < 1e-4 AND abs(maxy - 39.8) < 1e-4"), 1);
}

TEST(StoreSchemaTest, SpatialIndexesFollowInsertsAndUpdates)
{
  test::TempDir dir;
  auto db = Schema::openOrCreate(dir.file("s.gpkg"));
  auto insert = db->query("INSERT INTO pois (geom, kind, name) VALUES (?, 'camera', 'c')");
  insert->bindBlob(1, geopackage::encodePoint({98.5, 39.7}));
  insert.run();
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_pois_geom WHERE abs(minx - 98.5) < 1e-4 AND abs(maxx - 98.5) < 1e-4 "
                            "AND abs(miny - 39.7) < 1e-4"), 1);
  auto update = db->query("UPDATE pois SET geom = ? WHERE kind = 'camera'");
  update->bindBlob(1, geopackage::encodePoint({98.6, 39.8}));
  update.run();
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_pois_geom WHERE abs(minx - 98.6) < 1e-4 AND abs(miny - 39.8) < 1e-4"), 1);
  db->exec("DELETE FROM pois");
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rtree_pois_geom"), 0);
  EXPECT_EQ(db->scalarInt("SELECT ST_IsEmpty(NULL) IS NULL"), 1);
  EXPECT_EQ(db->scalarInt("SELECT ST_IsEmpty(x'00')"), 1);
}

TEST(StoreSchemaTest, RefusesForeignAndNewerFilesWithoutTouchingThem)
{
  test::TempDir dir;
  {
    Database other(dir.file("other.db"), Database::Mode::ReadWriteCreate);
    other.exec("CREATE TABLE x (a)");
  }
  EXPECT_THROW(Schema::open(dir.file("other.db")), StoreError);
  {
    Database other(dir.file("other.db"), Database::Mode::ReadWrite);
    EXPECT_EQ(other.scalarInt("PRAGMA application_id"), 0);
  }
  {
    Database app(dir.file("app.db"), Database::Mode::ReadWriteCreate);
    app.exec("PRAGMA application_id = 42");
  }
  EXPECT_THROW(Schema::open(dir.file("app.db")), StoreError);
  {
    auto db = Schema::openOrCreate(dir.file("newer.gpkg"));
    db->exec("PRAGMA user_version = 10350");
  }
  try
  {
    Schema::open(dir.file("newer.gpkg"));
    FAIL();
  }
  catch (const StoreError &e)
  {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Schema::open(dir.file("missing.gpkg")), StoreError);
}

TEST(StoreSchemaTest, EventsAreAppendOnly)
{
  test::TempDir dir;
  auto db = Schema::openOrCreate(dir.file("s.gpkg"));
  db->exec("INSERT INTO cases (number, category, state, priority, source, lon, lat, reported_at, last_seq, updated_at) "
           "VALUES ('620902-20261121-000001', '0301', 'reported', 'normal', 'patrol', 98.5, 39.7, "
           "'2026-11-21T01:00:00Z', 1, '2026-11-21T01:00:00Z')");
  db->exec("INSERT INTO case_events (case_id, seq, action, actor, at, to_state) "
           "VALUES (1, 1, 'report', 'w1', '2026-11-21T01:00:00Z', 'reported')");
  EXPECT_THROW(db->exec("UPDATE case_events SET note = 'x'"), StoreError);
  EXPECT_THROW(db->exec("DELETE FROM case_events"), StoreError);
  EXPECT_THROW(db->exec("DELETE FROM cases"), StoreError); // the events reference it
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM case_events"), 1);
}

// ---- revision 5 → 6 ---------------------------------------------------------------------

namespace {
//! Every row of \a sql as text (NULL marked), for comparing a store before and after a migration.
std::vector<std::string> dumpRows(Database &db, const std::string &sql)
{
  std::vector<std::string> out;
  auto q = db.query(sql);
  const int columns = sqlite3_column_count(q->handle());
  while (q.step())
  {
    std::string row;
    for (int i = 0; i < columns; ++i)
      row += (q->isNull(i) ? std::string("NULL") : q->columnText(i)) + "|";
    out.push_back(row);
  }
  return out;
}

} // namespace

class SchemaRevision6Test : public test::StoreFixture
{
};

TEST_F(SchemaRevision6Test, ARevision5StoreKeepsEveryRowAndGetsIsOpenAndHistories)
{
  using S = core::CaseState;
  const auto t = core::beijingTime(2026, 11, 23, 9, 0);
  std::vector<std::string> open, closed;
  for (S state : {S::Reported, S::Accepted, S::Assigned, S::InHandling})
    open.push_back(caseIn(state, t));
  for (S state : {S::Closed, S::Visited, S::Archived})
    closed.push_back(caseIn(state, t));
  const std::string voided = cases->report(reportCommand(t, "0201", test::kMicroC));
  cases->apply(voided, command(core::CaseAction::Void, t + std::chrono::minutes(3), nlohmann::json::object(), "误报"));
  closed.push_back(voided);
  db.reset();
  test::makeOlderStore(dir.file("store.gpkg"), dir.file("rev5.gpkg"), 5);

  // The rev-5 file also has terminals, their frames, orders and a track.
  const std::vector<std::string> tables = {"cases", "case_events", "case_number_counters", "devices", "applied_frames",
                                           "orders", "positions", "worker_positions", "rtree_cases_geom",
                                           "rtree_worker_positions_geom", "grid_microgrid", "supervisions",
                                           "rule_cursors"};
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::string> columns;
  {
    Database old(dir.file("rev5.gpkg"), Database::Mode::ReadWrite);
    ASSERT_EQ(Schema::revision(old), 5);
    ASSERT_NE(old.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'cases_open_warn' AND sql LIKE '%NOT IN%'"), 0);
    DeviceRegistry(old).add("HS-1", "worker-7", t);
    DeviceRegistry(old).markApplied("HS-1", 1, t, "x");
    PositionStore(old).record({"HS-1", "worker-7", t, {98.51, 39.74}, 5.0});
    old.exec("INSERT INTO orders (device_id, kind, case_id, message, created_at) VALUES ('HS-1', 'assign', 1, 'go', "
             "'2026-11-23T01:00:00Z')");
    for (const std::string &table : tables)
    {
      columns[table] = test::columnList(old, table);
      before[table] = dumpRows(old, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2");
    }
  }

  auto migrated = std::make_unique<Database>(dir.file("rev5.gpkg"), Database::Mode::ReadWrite);
  Schema::migrate(*migrated, 6); // revision 7 (the track's index) has a test of its own below
  EXPECT_EQ(Schema::revision(*migrated), 6);
  EXPECT_EQ(migrated->scalarInt("PRAGMA user_version"), 10306);
  for (const std::string &table : tables)
    EXPECT_EQ(dumpRows(*migrated, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2"), before[table])
      << table;
  EXPECT_EQ(dumpRows(*migrated, "SELECT number FROM cases WHERE is_open = 1 ORDER BY number").size(), open.size());
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM cases WHERE is_open <> "
                                "(state NOT IN ('closed','visited','archived','voided','merged'))"),
            0);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM sqlite_master WHERE name LIKE 'cases_open_%' AND type = 'index' "
                                "AND sql LIKE '%WHERE is_open = 1'"),
            5);
  EXPECT_TRUE(hasTable(*migrated, "case_histories"));
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM gpkg_contents WHERE table_name = 'case_histories'"), 1);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM case_event_log"), migrated->scalarInt("SELECT count(*) FROM case_events"));
  auto check = migrated->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);

  // The migrated store works: its projections agree with their events, the open-case queries
  // find the open cases through the partial indexes, and a case that closes leaves them.
  CaseStore store(*migrated, *workflow, clock.get());
  EXPECT_TRUE(store.verifyProjections().empty());
  CaseFilter openOnly;
  openOnly.openOnly = true;
  EXPECT_EQ(store.count(openOnly), static_cast<std::int64_t>(open.size()));
  std::string plan;
  {
    auto q = migrated->query("EXPLAIN QUERY PLAN SELECT id FROM cases WHERE is_open = 1 AND deadline < '2099'");
    while (q.step())
      plan += q->columnText(3) + "\n";
  }
  EXPECT_NE(plan.find("cases_open"), std::string::npos) << plan;
  store.apply(open.back(), command(core::CaseAction::Feedback, t + std::chrono::hours(1)));
  store.apply(open.back(), command(core::CaseAction::Close, t + std::chrono::hours(2)));
  EXPECT_EQ(store.count(openOnly), static_cast<std::int64_t>(open.size() - 1));
  EXPECT_EQ(migrated->scalarInt("SELECT is_open FROM cases WHERE number = '" + open.back() + "'"), 0);
  EXPECT_TRUE(store.verifyProjections().empty());
}

// ---- revision 6 → 7 ---------------------------------------------------------------------

TEST(SchemaRevision7Test, TheTrackIndexTurnsTimeFirstWithEveryRowKeptAndThePublishedMarkSet)
{
  test::TempDir dir;
  const auto path = dir.file("rev6.gpkg");
  const auto t = core::beijingTime(2026, 11, 23, 9, 0);
  const std::vector<std::string> tables = {"devices", "positions", "worker_positions", "rtree_worker_positions_geom",
                                           "gd_store_info"};
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::string> columns;
  std::int64_t firstBehind = 0;
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 6);
    ASSERT_EQ(Schema::revision(old), 6);
    DeviceRegistry(old).add("HS-1", "worker-1", t);
    DeviceRegistry(old).add("HS-2", "worker-2", t);
    DeviceRegistry(old).add("HS-3", "worker-3", t);
    PositionStore positions(old);
    // worker-1 is up to date; worker-2's newest fix never reached worker_positions (a crash
    // within the 250 ms the gateway publishes latest positions in); worker-3 has none at all.
    positions.record({"HS-1", "worker-1", t, {98.51, 39.74}, 5.0});
    positions.record({"HS-2", "worker-2", t, {98.52, 39.75}, 5.0});
    positions.recordTrack({"HS-2", "worker-2", t + std::chrono::seconds(5), {98.53, 39.76}, 4.0});
    firstBehind = old.scalarInt("SELECT max(id) FROM positions");
    positions.record({"HS-1", "worker-1", t + std::chrono::seconds(6), {98.50, 39.73}, std::nullopt});
    positions.recordTrack({"HS-3", "worker-3", t + std::chrono::seconds(7), {98.54, 39.77}, 3.0});
    for (const std::string &table : tables)
    {
      columns[table] = test::columnList(old, table);
      before[table] = dumpRows(old, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2");
    }
  }

  auto migrated = std::make_unique<Database>(path, Database::Mode::ReadWrite);
  Schema::migrate(*migrated, 7); // revision 8 (positions.seq) has a test of its own below
  EXPECT_EQ(Schema::revision(*migrated), 7);
  EXPECT_EQ(migrated->scalarInt("PRAGMA user_version"), 10307);
  for (const std::string &table : tables)
  {
    std::vector<std::string> rows = before[table];
    if (table == "gd_store_info")
    {
      // The one row the migration adds: the mark, just below worker-2's unpublished fix.
      rows.push_back("track_published_id|" + std::to_string(firstBehind - 1) + "|");
      rows.erase(std::remove_if(rows.begin(), rows.end(), [](const std::string &r) { return r.rfind("schema_revision|", 0) == 0; }),
                 rows.end());
      rows.push_back("schema_revision|7|");
      std::sort(rows.begin(), rows.end());
    }
    EXPECT_EQ(dumpRows(*migrated, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2"), rows) << table;
  }
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'positions_worker_at'"), 0);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'positions_at' AND sql LIKE '%(at)'"), 1);
  auto check = migrated->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");

  // The first gateway start catches up from the mark: worker-2 and worker-3 move, worker-1 stays.
  PositionStore positions(*migrated);
  EXPECT_EQ(positions.publishedThrough(), firstBehind - 1);
  EXPECT_EQ(positions.catchUpLatest(), 2u);
  const std::int64_t last = migrated->scalarInt("SELECT max(id) FROM positions");
  EXPECT_EQ(positions.publishedThrough(), last);
  const auto latest = positions.latest();
  ASSERT_EQ(latest.size(), 3u);
  EXPECT_EQ(latest[0].at, t + std::chrono::seconds(6));
  EXPECT_EQ(latest[1].at, t + std::chrono::seconds(5));
  EXPECT_DOUBLE_EQ(latest[1].point.lat, 39.76);
  EXPECT_EQ(latest[2].at, t + std::chrono::seconds(7));
  EXPECT_EQ(positions.catchUpLatest(), 0u); // nothing above the mark now
  positions.markPublishedThrough(1);        // the mark never moves back
  EXPECT_EQ(positions.publishedThrough(), last);

  // A worker's track is read through the time index.
  const auto track = positions.track("worker-2", t - std::chrono::hours(1), t + std::chrono::hours(1));
  ASSERT_EQ(track.size(), 2u);
  EXPECT_EQ(track[1].at, t + std::chrono::seconds(5));
  std::string plan;
  {
    auto q = migrated->query("EXPLAIN QUERY PLAN SELECT id FROM positions WHERE worker_id = 'w' AND at >= '2026' AND at < '2027'");
    while (q.step())
      plan += q->columnText(3) + "\n";
  }
  EXPECT_NE(plan.find("positions_at"), std::string::npos) << plan;
}

// ---- revision 7 → 8 ---------------------------------------------------------------------

TEST(SchemaRevision8Test, TheTrackGetsItsFramesSeqsWithEveryRowKeptAndLastSeqStillRight)
{
  test::TempDir dir;
  const auto path = dir.file("rev7.gpkg");
  const auto t = core::beijingTime(2026, 11, 23, 9, 0);
  const std::vector<std::string> tables = {"devices", "applied_frames", "positions", "worker_positions",
                                           "rtree_worker_positions_geom", "gd_store_info"};
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::string> columns;
  std::int64_t mark = 0;
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 7);
    ASSERT_EQ(Schema::revision(old), 7);
    DeviceRegistry devices(old);
    devices.add("HS-1", "worker-1", t);
    devices.add("HS-2", "worker-2", t);
    devices.add("HS-3", "worker-3", t);
    // As a revision-7 gateway left it: last_seq written with every frame, a report in
    // applied_frames, and HS-2's newest fix above the published mark.
    PositionStore positions(old);
    positions.record({"HS-1", "worker-1", t, {98.51, 39.74}, 5.0});
    devices.advanceLastSeq("HS-1", 1);
    ASSERT_TRUE(devices.markApplied("HS-1", 2, t, "620902-20261123-000001"));
    positions.record({"HS-2", "worker-2", t, {98.52, 39.75}, 5.0});
    devices.advanceLastSeq("HS-2", 1);
    mark = old.scalarInt("SELECT max(id) FROM positions");
    positions.markPublishedThrough(mark);
    positions.recordTrack({"HS-2", "worker-2", t + std::chrono::seconds(5), {98.53, 39.76}, 4.0});
    devices.advanceLastSeq("HS-2", 2);
    for (const std::string &table : tables)
    {
      columns[table] = test::columnList(old, table);
      before[table] = dumpRows(old, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2");
    }
  }

  auto migrated = std::make_unique<Database>(path, Database::Mode::ReadWrite);
  Schema::migrate(*migrated, 8); // revision 9 (emergencies.incident_type) has a test of its own below
  EXPECT_EQ(Schema::revision(*migrated), 8);
  EXPECT_EQ(migrated->scalarInt("PRAGMA user_version"), 10308);
  for (const std::string &table : tables)
  {
    std::vector<std::string> rows = before[table];
    if (table == "gd_store_info")
    {
      rows.erase(std::remove_if(rows.begin(), rows.end(), [](const std::string &r) { return r.rfind("schema_revision|", 0) == 0; }),
                 rows.end());
      rows.push_back("schema_revision|8|");
      std::sort(rows.begin(), rows.end());
    }
    EXPECT_EQ(dumpRows(*migrated, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2"), rows) << table;
  }
  // The one new column: the fixes stored before it have no seq.
  EXPECT_EQ(test::columnList(*migrated, "positions"), columns["positions"] + ", seq");
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM positions WHERE seq IS NULL"), 3);
  EXPECT_EQ(PositionStore(*migrated).publishedThrough(), mark);
  auto check = migrated->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");

  // Every last_seq is still what it was, whichever way it is read, and a gateway's start
  // (recoverLastSeq) finds nothing to raise.
  DeviceRegistry devices(*migrated);
  const std::map<std::string, std::int64_t> expected = {{"HS-1", 2}, {"HS-2", 2}, {"HS-3", 0}};
  for (const auto &[device, seq] : expected)
    EXPECT_EQ(devices.durableLastSeq(device), seq) << device;
  for (const DeviceInfo &info : devices.list())
    EXPECT_EQ(info.lastSeq, expected.at(info.id)) << info.id;
  EXPECT_EQ(devices.recoverLastSeq(mark), 0u);

  // New fixes carry their frame's seq.
  const TrackPoint fix{"HS-3", "worker-3", t + std::chrono::seconds(9), {98.54, 39.77}, std::nullopt, 7};
  const std::int64_t id = PositionStore(*migrated).recordTracks(&fix, 1);
  EXPECT_EQ(migrated->scalarInt("SELECT seq FROM positions WHERE id = " + std::to_string(id)), 7);
  EXPECT_EQ(devices.durableLastSeq("HS-3"), 7);
}

// ---- revision 8 → 9 ---------------------------------------------------------------------

// Issue 13: emergencies get their type. A revision-8 store's emergencies, timeline and alert
// orders are kept as they were; the old emergencies are "unspecified" (''), and new ones keep
// the type they are declared with.
TEST(SchemaRevision9Test, EmergenciesGetAnIncidentTypeWithEveryRowKept)
{
  test::TempDir dir;
  const auto path = dir.file("rev8.gpkg");
  const std::vector<std::string> tables = {"emergencies", "emergency_timeline", "rtree_emergencies_geom",
                                           "gpkg_contents"};
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::string> columns;
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 8);
    ASSERT_EQ(Schema::revision(old), 8);
    // As a revision-8 console declared them (the columns of that revision, nothing else).
    auto insert = old.query("INSERT INTO emergencies (geom, number, title, lon, lat, radius_m, declared_by, declared_at, "
                            "conference_url, closed_by, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->bindBlob(1, geopackage::encodePoint({98.505, 39.71}));
    insert->bindFrom(2, "YJ20261121-001", "突发事件", 98.505, 39.71, 500.0, "值班长 孙七", "2026-11-21T01:30:00Z",
                     "https://meet.example.gov.cn/join?room=YJ20261121-001", "值班长 孙七", "2026-11-21T03:00:00Z");
    insert.run();
    old.exec("INSERT INTO emergency_timeline (emergency_id, at, actor, kind, message, data) VALUES "
             "(1, '2026-11-21T01:30:00Z', '值班长 孙七', 'declared', 'emergency YJ20261121-001 declared', '{\"radius_m\":500}'), "
             "(1, '2026-11-21T03:00:00Z', '值班长 孙七', 'closed', '险情排除', '{}')");
    for (const std::string &table : tables)
    {
      columns[table] = test::columnList(old, table);
      before[table] = dumpRows(old, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2");
    }
  }

  auto migrated = Schema::open(path);
  EXPECT_EQ(Schema::revision(*migrated), 9);
  EXPECT_EQ(migrated->scalarInt("PRAGMA user_version"), 10309);
  for (const std::string &table : tables)
    EXPECT_EQ(dumpRows(*migrated, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2"), before[table])
      << table;
  EXPECT_EQ(test::columnList(*migrated, "emergencies"), columns["emergencies"] + ", incident_type");
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM emergencies WHERE incident_type = ''"), 1);
  auto check = migrated->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);

  // The column is NOT NULL with '' for unspecified, and takes a type.
  EXPECT_THROW(migrated->exec("UPDATE emergencies SET incident_type = NULL"), StoreError);
  migrated->exec("INSERT INTO emergencies (number, lon, lat, radius_m, declared_by, declared_at, incident_type) "
                 "VALUES ('YJ20261121-002', 98.5, 39.7, 300, 'op', '2026-11-21T04:00:00Z', 'fire')");
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM emergencies WHERE incident_type = 'fire'"), 1);
}
