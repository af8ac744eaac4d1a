#include "store/schema.h"

#include "store/database.h"
#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/geopackage.h"
#include "store/feed/positionstore.h"
#include "store/storeerror.h"
#include "store/writer.h"
#include "olderstore.h"
#include "storefixture.h"
#include "tempdir.h"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>

#include <sys/stat.h>

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

  // The migrated store works (brought to the current revision, as every program opens it):
  // its projections agree with their events, the open-case queries find the open cases
  // through the partial indexes, and a case that closes leaves them.
  check->reset(); // no statement may be open while the later revisions change the schema
  Schema::migrate(*migrated);
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
  Schema::migrate(*migrated, 8); // revisions 9, 10 and 11 have tests of their own below
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

// ---- revision 8 → 9: the hash chain over case histories (issue 14) -----------------------

class SchemaRevision9Test : public test::StoreFixture
{
};

TEST_F(SchemaRevision9Test, ARevision8StoreKeepsEveryRowAndEveryHistoryGetsItsChain)
{
  using S = core::CaseState;
  const auto t = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string open = caseIn(S::Assigned, t);
  const std::string archived = caseIn(S::Archived, t);
  // An imported closed case: its whole history in one case_histories row.
  core::Case imported = core::Case::fromEvents(cases->events(archived));
  imported.setNumber("620902-20261122-000001");
  cases->importCases({imported});
  ASSERT_EQ(db->scalarInt("SELECT count(*) FROM case_histories"), 1);
  db.reset();
  test::makeOlderStore(dir.file("store.gpkg"), dir.file("rev8.gpkg"), 8);
  const std::vector<std::string> tables = {"cases", "case_events", "case_histories", "case_number_counters"};
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::string> columns;
  {
    Database old(dir.file("rev8.gpkg"), Database::Mode::ReadWrite);
    ASSERT_EQ(Schema::revision(old), 8);
    // makeOlderStore copies no histories: this one as a revision-8 import wrote it.
    old.query("ATTACH DATABASE ? AS cur").bindAll(dir.file("store.gpkg").string()).run();
    old.exec("INSERT INTO main.case_histories (case_id, event_count, events) "
             "SELECT case_id, event_count, events FROM cur.case_histories");
    old.exec("DETACH DATABASE cur");
    for (const std::string &table : tables)
    {
      columns[table] = test::columnList(old, table);
      before[table] = dumpRows(old, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2");
    }
    ASSERT_EQ(before["case_histories"].size(), 1u);
  }

  auto migrated = Schema::open(dir.file("rev8.gpkg"));
  EXPECT_EQ(Schema::revision(*migrated), Schema::kRevision);
  for (const std::string &table : tables)
    EXPECT_EQ(dumpRows(*migrated, "SELECT " + columns[table] + " FROM " + table + " ORDER BY 1, 2"), before[table])
      << table;
  EXPECT_EQ(test::columnList(*migrated, "case_events"), columns["case_events"] + ", chain");
  EXPECT_EQ(test::columnList(*migrated, "case_histories"), columns["case_histories"] + ", chain");
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM case_events WHERE length(chain) <> 32"), 0);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM case_histories WHERE length(chain) <> 32"), 0);
  // The triggers lifted for the migration are back, and the store verifies.
  EXPECT_TRUE(Schema::appendOnlyProblems(*migrated).empty());
  EXPECT_THROW(migrated->exec("UPDATE case_events SET note = 'x' WHERE id = 1"), StoreError);
  CaseStore store(*migrated, *workflow, clock.get());
  const auto problems = store.verifyProjections();
  EXPECT_TRUE(problems.empty()) << problems.front();
  // A new event continues the chain; an event edited by hand afterwards breaks it there.
  store.apply(open, command(core::CaseAction::StartHandling, t + std::chrono::hours(1)));
  EXPECT_TRUE(store.verifyProjections().empty());
  migrated->exec("DROP TRIGGER case_events_no_update");
  migrated->query("UPDATE case_events SET note = 'rewritten' WHERE seq = 2 AND case_id = "
                  "(SELECT id FROM cases WHERE number = ?)")
    .bindAll(open)
    .run();
  const auto forged = store.verifyProjections();
  ASSERT_FALSE(forged.empty());
  EXPECT_EQ(forged.front(), open + ": event seq 2 does not match its hash chain: it (or an event before it) was "
                                   "edited, inserted or removed by hand");
  EXPECT_EQ(Schema::appendOnlyProblems(*migrated).size(), 1u);
}

// ---- issue 14, defect 8: files and stores -------------------------------------------------

namespace {

std::string fileBytes(const std::filesystem::path &path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

unsigned modeOf(const std::filesystem::path &path)
{
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0)
    return 0;
  return st.st_mode & 0777;
}

} // namespace

TEST(StoreFilesTest, ANewStoreAndItsWalAndShmAreReadableByTheOwnerOnly)
{
  test::TempDir dir;
  const auto path = dir.file("store.gpkg");
  {
    auto db = Schema::openOrCreate(path);
    db->exec("INSERT INTO gd_store_info (key, value) VALUES ('probe', '1')");
    ASSERT_TRUE(std::filesystem::exists(path.string() + "-wal"));
    EXPECT_EQ(modeOf(path), 0600u);
    EXPECT_EQ(modeOf(path.string() + "-wal"), 0600u);
    EXPECT_EQ(modeOf(path.string() + "-shm"), 0600u);
  }
  // An administrator gives a console group read access: the -wal and -shm follow the store.
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto db = Schema::open(path);
  db->exec("INSERT INTO gd_store_info (key, value) VALUES ('probe2', '1')");
  EXPECT_EQ(modeOf(path.string() + "-wal"), 0640u);
  EXPECT_EQ(modeOf(path.string() + "-shm"), 0640u);
}

TEST(StoreFilesTest, AZeroByteStoreIsRefusedNotReinitialised)
{
  test::TempDir dir;
  const auto path = dir.file("store.gpkg");
  std::ofstream(path, std::ios::binary).close();
  try
  {
    Schema::open(path);
    FAIL() << "a 0-byte store was opened";
  }
  catch (const StoreError &e)
  {
    EXPECT_EQ(std::string(e.what()).rfind("store " + path.string() + " is empty (0 bytes)", 0), 0u) << e.what();
  }
  EXPECT_EQ(std::filesystem::file_size(path), 0u) << "the refused file must stay as it was";
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST(StoreFilesTest, InitOnAnotherProgramsSqliteFileTouchesNothing)
{
  test::TempDir dir;
  const auto path = dir.file("other.sqlite");
  {
    sqlite3 *other = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "PRAGMA journal_mode = DELETE; CREATE TABLE notes (t TEXT); "
                                  "INSERT INTO notes VALUES ('hello');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(other);
  }
  const std::string before = fileBytes(path);
  ASSERT_EQ(before[18], 1) << "a rollback-journal file to begin with";
  try
  {
    Schema::openOrCreate(path);
    FAIL() << "another program's file was taken for a store";
  }
  catch (const StoreError &e)
  {
    EXPECT_NE(std::string(e.what()).find(path.string() + " is an SQLite database but not a GridDispatch store"),
              std::string::npos)
      << e.what();
  }
  // Not a byte changed: in particular its journal mode (header bytes 18 and 19) is not WAL.
  EXPECT_EQ(fileBytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

namespace {

// Writes a page of zeros (or of random bytes) over the root page of case_events of a new store.
void damageAStore(const std::filesystem::path &path, bool zeros)
{
  std::int64_t page = 0, pageSize = 0;
  {
    auto db = Schema::openOrCreate(path);
    db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    page = db->scalarInt("SELECT rootpage FROM sqlite_master WHERE name = 'case_events'");
    pageSize = db->scalarInt("PRAGMA page_size");
  }
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp((page - 1) * pageSize);
  std::string bytes(static_cast<std::size_t>(pageSize), '\0');
  std::uint32_t x = 12345;
  if (!zeros)
    for (char &c : bytes)
      c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST(StoreFilesTest, ADamagedPageIsFoundWhenTheStoreIsOpened)
{
  for (const bool zeros : {true, false})
  {
    test::TempDir dir;
    const auto path = dir.file("store.gpkg");
    damageAStore(path, zeros);
    try
    {
      Schema::open(path);
      FAIL() << "a store with a page of " << (zeros ? "zeros" : "random bytes") << " opened silently";
    }
    catch (const StoreError &e)
    {
      EXPECT_EQ(std::string(e.what()).rfind(path.string() + " is damaged (SQLite quick_check): ", 0), 0u) << e.what();
    }
  }
}

// ---- revision 9 → 10 --------------------------------------------------------------------

TEST(SchemaRevision10Test, DepartmentNoticesTakeDispatchNoticesWithEveryRowKept)
{
  test::TempDir dir;
  const auto path = dir.file("rev9.gpkg");
  const auto t = core::beijingTime(2026, 11, 23, 9, 0);
  std::vector<std::string> before;
  std::string columns;
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 9);
    // A revision-9 store refuses a dispatch notice: its CHECK knows only three kinds.
    EXPECT_THROW(old.exec("INSERT INTO department_notices (department, kind, created_at) VALUES ('fire', 'assign', '2026-11-23')"),
                 StoreError);
    DepartmentNotices notices(old);
    DepartmentNotice urge;
    urge.department = "fire";
    urge.kind = NoticeKind::Urge;
    urge.message = "催办：请尽快处置";
    notices.create(urge, t);
    urge.department = "housing";
    urge.kind = NoticeKind::Supervise;
    const std::int64_t second = notices.create(urge, t);
    ASSERT_TRUE(notices.acknowledge(second, "王科长", t + std::chrono::minutes(3)));
    columns = test::columnList(old, "department_notices");
    before = dumpRows(old, "SELECT " + columns + " FROM department_notices ORDER BY id");
  }
  auto migrated = Schema::open(path);
  EXPECT_EQ(Schema::revision(*migrated), Schema::kRevision); // through 10 (and on)
  EXPECT_EQ(test::columnList(*migrated, "department_notices"), columns);
  EXPECT_EQ(dumpRows(*migrated, "SELECT " + columns + " FROM department_notices ORDER BY id"), before);
  // A dispatch notice now, numbered after the kept ones, pending until acknowledged.
  DepartmentNotice dispatched;
  dispatched.department = "fire";
  dispatched.kind = NoticeKind::Assign;
  const std::int64_t id = DepartmentNotices(*migrated).create(dispatched, t);
  EXPECT_EQ(id, 3);
  EXPECT_EQ(DepartmentNotices(*migrated).find(id)->kind, NoticeKind::Assign);
  ASSERT_EQ(DepartmentNotices(*migrated).pending("fire").size(), 2u);
  EXPECT_EQ(DepartmentNotices(*migrated).pending("housing").size(), 0u);
  auto check = migrated->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");
}

// A console or a gateway has a large store checked after open (its quick_check reads the whole
// file: seconds at 1 M cases): open returns at once, the damage is still found and said, and no
// writer commits to the file, before the check passed or after it found damage.
TEST(StoreFilesTest, ABackgroundCheckFindsTheDamageAndNoWriterCommitsUntilItPassed)
{
  struct Restore
  {
    ~Restore() { Schema::setBackgroundCheck(std::numeric_limits<std::uintmax_t>::max()); }
  } restore;
  Schema::setBackgroundCheck(0); // every file is "large"
  test::TempDir dir;
  const auto damaged = dir.file("damaged.gpkg");
  damageAStore(damaged, true);
  std::unique_ptr<Database> db;
  ASSERT_NO_THROW(db = Schema::open(damaged));
  const std::string said = damaged.string() + " is damaged (SQLite quick_check): ";
  try
  {
    Schema::waitForIntegrity(damaged);
    FAIL() << "the background check found nothing";
  }
  catch (const StoreError &e)
  {
    EXPECT_EQ(std::string(e.what()).rfind(said, 0), 0u) << e.what();
  }
  EXPECT_EQ(Schema::integrity(damaged).state, Schema::Integrity::Damaged);
  EXPECT_EQ(Schema::integrity(damaged).problem.rfind(said, 0), 0u);
  {
    Writer writer(damaged);
    try
    {
      writer.run([](Database &d) { d.exec("INSERT INTO gd_store_info (key, value) VALUES ('probe', 'x')"); });
      FAIL() << "a writer committed to a store found damaged";
    }
    catch (const StoreError &e)
    {
      EXPECT_EQ(std::string(e.what()).rfind(said, 0), 0u) << e.what();
    }
  }
  db.reset();
  // Opened again, the damage found is said before open returns.
  EXPECT_THROW(Schema::open(damaged), StoreError);
  EXPECT_EQ(Database(damaged, Database::Mode::ReadOnly).scalarInt("SELECT count(*) FROM gd_store_info WHERE key = 'probe'"), 0);

  // A sound store: checked in the background too, and written once the check passed.
  const auto sound = dir.file("sound.gpkg");
  Schema::openOrCreate(sound).reset(); // a new file: nothing to check
  db = Schema::open(sound);
  EXPECT_NE(Schema::integrity(sound).state, Schema::Integrity::Unchecked);
  {
    Writer writer(sound);
    writer.run([](Database &d) { d.exec("INSERT INTO gd_store_info (key, value) VALUES ('probe', 'x')"); });
  }
  EXPECT_EQ(Schema::integrity(sound).state, Schema::Integrity::Passed);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM gd_store_info WHERE key = 'probe'"), 1);
}

// ---- revision 10 → 11 ------------------------------------------------------------------

// Issue 13: emergencies get their type. A revision-10 store's emergencies, timeline and alert
// orders are kept as they were; the old emergencies are "unspecified" (''), and new ones keep
// the type they are declared with.
TEST(SchemaRevision11Test, EmergenciesGetAnIncidentTypeWithEveryRowKept)
{
  test::TempDir dir;
  const auto path = dir.file("rev10.gpkg");
  const std::vector<std::string> tables = {"emergencies", "emergency_timeline", "rtree_emergencies_geom",
                                           "gpkg_contents"};
  std::map<std::string, std::vector<std::string>> before;
  std::map<std::string, std::string> columns;
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 10);
    ASSERT_EQ(Schema::revision(old), 10);
    // As a revision-10 console declared them (the columns of that revision, nothing else).
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
  EXPECT_EQ(Schema::revision(*migrated), Schema::kRevision);
  EXPECT_EQ(migrated->scalarInt("PRAGMA user_version"), Schema::userVersion(Schema::kRevision));
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

TEST(SchemaRevision12Test, DevicesGetSessionsWithEveryDeviceKept)
{
  test::TempDir dir;
  const auto path = dir.file("rev11.gpkg");
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 11);
    old.exec("INSERT INTO devices (id, token_salt, token_hash, worker_id, revoked, last_seq, created_at) "
             "VALUES ('HS-1', x'00', x'01', 'W-1', 0, 42, '2026-11-21T01:30:00Z')");
  }
  auto migrated = Schema::open(path);
  EXPECT_EQ(Schema::revision(*migrated), Schema::kRevision);
  EXPECT_EQ(migrated->scalarInt("SELECT last_seq FROM devices WHERE id = 'HS-1'"), 42);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM device_sessions"), 0);
  EXPECT_EQ(test::columnList(*migrated, "device_sessions"), "device_id, gateway, generation, since");
}

TEST(SchemaRevision13Test, GatewayHeartbeatsStartEmpty)
{
  test::TempDir dir;
  const auto path = dir.file("rev12.gpkg");
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 12);
  }
  auto migrated = Schema::open(path);
  EXPECT_GE(Schema::revision(*migrated), 13);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM gateway_heartbeats"), 0);
  EXPECT_EQ(test::columnList(*migrated, "gateway_heartbeats"),
            "instance, host, listen, started_at, seen_at, stopped_at, terminals_online, frames_stored, duplicates, "
            "rejects, stored_per_second, ack_lag_ms, store_down");
}

TEST(SchemaRevision14Test, AStoreGetsAnEmptyAppendOnlyAuditLog)
{
  test::TempDir dir;
  const auto path = dir.file("rev13.gpkg");
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 13);
    old.exec("INSERT INTO devices (id, token_salt, token_hash, worker_id, revoked, last_seq, created_at) "
             "VALUES ('HS-1', x'00', x'01', 'W-1', 0, 42, '2026-11-21T01:30:00Z')");
  }
  auto migrated = Schema::open(path);
  EXPECT_GE(Schema::revision(*migrated), 14);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM devices"), 1);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM audit_log"), 0);
  EXPECT_EQ(test::columnList(*migrated, "audit_log"),
            "id, at, actor_id, actor_name, host, action, object, detail, outcome, reason, link");
  EXPECT_EQ(test::columnList(*migrated, "audit_seals"), "id, kind, through_id, chain, at, sealed_by, archive, mac");
  // The append-only triggers are there, and verify would say if one went missing.
  EXPECT_TRUE(Schema::appendOnlyProblems(*migrated).empty());
  migrated->exec("DROP TRIGGER audit_log_no_update");
  const auto problems = Schema::appendOnlyProblems(*migrated);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("audit_log_no_update"), std::string::npos) << problems[0];
}

TEST(SchemaRevision15Test, AnOlderStoreGetsAccountTablesAndNoAccount)
{
  test::TempDir dir;
  const auto path = dir.file("rev14.gpkg");
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 14);
  }
  auto migrated = Schema::open(path);
  EXPECT_GE(Schema::revision(*migrated), 15);
  // No default account: a migrated store has none, as a new one.
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM accounts"), 0);
  EXPECT_EQ(test::columnList(*migrated, "accounts"),
            "id, display_name, password_hash, password_changed_at, must_change, failed_logins, locked_until, "
            "totp_secret, totp_last_step, disabled, created_at");
  EXPECT_EQ(test::columnList(*migrated, "account_roles"), "account_id, role");
  EXPECT_EQ(test::columnList(*migrated, "password_history"), "id, account_id, changed_at, password_hash");
}

TEST(SchemaRevision16Test, AnOlderStoreGetsTheExtensionRequestsTable)
{
  test::TempDir dir;
  const auto path = dir.file("rev15.gpkg");
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 15);
  }
  auto migrated = Schema::open(path);
  EXPECT_GE(Schema::revision(*migrated), 16);
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM extension_requests"), 0);
  EXPECT_EQ(test::columnList(*migrated, "extension_requests"),
            "id, case_id, department, days, reason, requested_by, requested_at, decision, decided_by, decided_at, "
            "decision_note");
}

TEST(SchemaRevision17Test, AnOlderStoreGetsTheSeatsTableAndNoSeat)
{
  test::TempDir dir;
  const auto path = dir.file("rev16.gpkg");
  {
    Database old(path, Database::Mode::ReadWriteCreate);
    Schema::migrate(old, 16);
  }
  auto migrated = Schema::open(path);
  EXPECT_GE(Schema::revision(*migrated), 17);
  // No seat: a console without --seat sees the whole district, as before seats.
  EXPECT_EQ(migrated->scalarInt("SELECT count(*) FROM seats"), 0);
  EXPECT_EQ(test::columnList(*migrated, "seats"), "id, display_name, grid_scope, department, login_role, created_at, disabled");
}
