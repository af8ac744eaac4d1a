// The bulk import (CaseStore::importCases / CaseImporter): an imported case reads back
// exactly like one built event by event, a bulk import leaves every index and the R-tree
// right, and a failed or killed import leaves the store as it was. On both backends: where the
// GeoPackage has SQLite machinery (sqlite_master, the R-tree, PRAGMAs), PostgreSQL's own
// counterpart is read (pg_indexes and pg_trigger, the GiST index, amcheck).

#include "store/grids/caseimport.h"

#include "core/casenumber.h"
#include "store/postgres/pgconnection.h"
#include "store/storeerror.h"
#include "../storefixture.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using A = core::CaseAction;
using S = core::CaseState;
using nlohmann::json;

namespace {

const core::TimePoint kMonday9 = core::beijingTime(2026, 11, 23, 9, 0); // a working Monday

//! SQLite's storage class (1 integer, 2 real, 3 text, 4 blob) of a PostgreSQL column type.
int storageClass(Oid type)
{
  switch (type)
  {
    case 16: // boolean
    case 20: // bigint
    case 21: // smallint
    case 23: // integer
      return SQLITE_INTEGER;
    case 700: // real
    case 701: // double precision
    case 1700: // numeric
      return SQLITE_FLOAT;
    case 17: // bytea
      return SQLITE_BLOB;
    default:
      return SQLITE_TEXT;
  }
}

//! Every row of \a sql as text, NULL and the storage class marked, for comparing two stores.
std::vector<std::string> rows(Database &db, const std::string &sql)
{
  std::vector<std::string> out;
  if (db.isPostgres())
  {
    PGresult *result = PQexec(db.postgres()->handle(), sql.c_str());
    if (PQresultStatus(result) != PGRES_TUPLES_OK)
    {
      const std::string message = PQresultErrorMessage(result);
      PQclear(result);
      throw std::runtime_error(sql + ": " + message);
    }
    for (int r = 0; r < PQntuples(result); ++r)
    {
      std::string row;
      for (int i = 0; i < PQnfields(result); ++i)
      {
        row += PQgetisnull(result, r, i) ? std::string("NULL")
                                         : std::to_string(storageClass(PQftype(result, i))) + ":" + PQgetvalue(result, r, i);
        row += '|';
      }
      out.push_back(row);
    }
    PQclear(result);
    return out;
  }
  auto q = db.query(sql);
  const int columns = sqlite3_column_count(q->handle());
  while (q.step())
  {
    std::string row;
    for (int i = 0; i < columns; ++i)
    {
      const int type = sqlite3_column_type(q->handle(), i);
      row += type == SQLITE_NULL ? "NULL" : std::to_string(type) + ":" + q->columnText(i);
      row += '|';
    }
    out.push_back(row);
  }
  return out;
}

// Every column but the id, which depends on insertion order only.
std::string caseRows(Database &db)
{
  return std::string("SELECT ") + std::string(db.dialect("hex(geom)", "encode(ST_AsEWKB(geom), 'hex')")) +
  ", number, category, state, priority, source, title, description, address, reporter_name, "
  "reporter_phone, lon, lat, grid_code, district_code, township_code, community_code, grid_level3_code, "
  "microgrid_code, responsible_grid, lead_dept, assisting_depts, worker_id, reported_at, accepted_at, assigned_at, "
  "handled_at, closed_at, stage, stage_started_at, warn_at, deadline, supervised, urge_count, satisfaction, "
  "merged_into, last_seq, updated_at, is_open FROM cases ORDER BY number";
}
// Every event wherever it is kept: case_events, or the history row of an imported closed case.
const char *kEventRows = "SELECT c.number, e.seq, e.action, e.actor, e.at, e.from_state, e.to_state, e.note, e.data "
                         "FROM case_event_log e JOIN cases c ON c.id = e.case_id ORDER BY c.number, e.seq";
// The schema as the database keeps it: every table, index and trigger with its SQL.
std::string schemaRows(Database &db)
{
  return std::string(db.dialect(
    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name",
    "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
    "UNION ALL SELECT 'trigger', t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
    "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace "
    "UNION ALL SELECT 'table', table_name, table_name, string_agg(column_name || ' ' || data_type, ', ' "
    "ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = current_schema() "
    "GROUP BY table_name ORDER BY 1, 2"));
}

// Every case the spatial index holds: the R-tree's rows, or the numbers of the cases the GiST
// index finds in the whole world (a PostgreSQL identity skips the ids of rolled-back inserts,
// which CaseStore's upserts are, so ids do not compare across stores there; numbers do).
std::string spatialRows(Database &db)
{
  return std::string(db.dialect("SELECT * FROM rtree_cases_geom ORDER BY id",
                                "SELECT number FROM cases WHERE geom && ST_MakeEnvelope(-180, -90, 180, 90, 4490) "
                                "ORDER BY number"));
}

//! A case built without a store: the workflow decides, Case::apply projects.
class CaseBuilder
{
  public:
    CaseBuilder(const core::Workflow &workflow, const std::string &number)
      : mWorkflow(workflow)
      , mCase(number)
    {}
    CaseBuilder &then(A action, core::TimePoint at, json data = json::object(), std::string note = std::string())
    {
      core::CaseCommand c;
      c.action = action;
      c.actor = "legacy-import";
      c.at = at;
      c.details = caseDetailsFromJson(data);
      c.note = std::move(note);
      core::CaseEvent e = mWorkflow.apply(mCase, c);
      e.caseNumber = mCase.number();
      mCase.apply(e);
      return *this;
    }
    const core::Case &result() const { return mCase; }

  private:
    const core::Workflow &mWorkflow;
    core::Case mCase;
};

json reportData(const std::string &grid, double lon, double lat)
{
  return {{"category", "0301"}, {"lon", lon}, {"lat", lat}, {"grid", grid}, {"title", "legacy"}, {"source", "hotline"}};
}

//! \a count cases on consecutive days from 2025-12-01: most archived, every tenth still open.
std::vector<core::Case> legacyCases(const core::Workflow &workflow, int count, int firstSequence = 1)
{
  std::vector<core::Case> out;
  const char *grids[] = {kMicroA, kMicroB, kMicroC};
  for (int i = 0; i < count; ++i)
  {
    const core::TimePoint at = core::beijingTime(2025, 12, 1, 9) + std::chrono::minutes(7 * i);
    const std::string number = core::CaseNumber::make(kDistrict, at, firstSequence + i).toString();
    CaseBuilder b(workflow, number);
    b.then(A::Report, at, reportData(grids[i % 3], 98.4 + 0.0001 * (i % 997), 39.6 + 0.0001 * (i % 991)));
    if (i % 10 == 3)
    {
      b.then(A::Register, at + std::chrono::minutes(5));
    }
    else
    {
      b.then(A::Register, at + std::chrono::minutes(5))
        .then(A::Accept, at + std::chrono::minutes(9))
        .then(A::Assign, at + std::chrono::minutes(20), {{"lead", "fire"}, {"worker", "worker-7"}})
        .then(A::StartHandling, at + std::chrono::minutes(30))
        .then(A::Feedback, at + std::chrono::hours(3))
        .then(A::Close, at + std::chrono::hours(4))
        .then(A::Visit, at + std::chrono::hours(30), {{"satisfaction", "satisfied"}})
        .then(A::Archive, at + std::chrono::hours(31));
    }
    out.push_back(b.result());
  }
  return out;
}

//! The cases of \a db rebuilt from their events, in id order.
std::vector<core::Case> loadAll(CaseStore &store)
{
  std::vector<core::Case> out;
  for (const std::string &number : store.numbers())
    out.push_back(*store.load(number));
  return out;
}

struct Snapshot
{
  std::vector<std::string> schema, cases, events, counters, rtree;
  bool operator==(const Snapshot &) const = default;
};

Snapshot snapshot(Database &db)
{
  return {rows(db, schemaRows(db)), rows(db, caseRows(db)), rows(db, kEventRows),
          rows(db, "SELECT * FROM case_number_counters ORDER BY 1, 2"), rows(db, spatialRows(db))};
}

/**
 * "ok" when the store's structures are sound: SQLite's integrity check, or on PostgreSQL
 * amcheck's check of every B-tree index of the case tables against their rows.
 */
std::string integrity(Database &db)
{
  std::string out;
  if (db.isPostgres())
  {
    db.exec("CREATE EXTENSION IF NOT EXISTS amcheck");
    for (const std::string &row : rows(db, "SELECT i.indexrelid::regclass::text FROM pg_index i "
                                           "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                                           "WHERE a.amname = 'btree' AND i.indrelid IN ('cases'::regclass, "
                                           "'case_events'::regclass, 'case_histories'::regclass)"))
    {
      const std::string index = row.substr(2, row.size() - 3); // "3:name|"
      try
      {
        rows(db, "SELECT bt_index_check('" + index + "', true)");
      }
      catch (const std::exception &e)
      {
        out += index + ": " + e.what() + "\n";
      }
    }
    return out.empty() ? "ok" : out;
  }
  auto q = db.query("PRAGMA integrity_check");
  while (q.step())
    out += q->columnText(0);
  return out;
}

/**
 * "ok" when the spatial index of the cases is right: SQLite's rtreecheck, or on PostgreSQL the
 * GiST index (seq scans switched off) finding every case with a geometry.
 */
std::string rtreeCheck(Database &db)
{
  if (db.isPostgres())
  {
    db.exec("SET enable_seqscan = off");
    const std::int64_t indexed = db.scalarInt("SELECT count(*) FROM cases WHERE geom && ST_MakeEnvelope(-180, -90, 180, 90, 4490)");
    db.exec("RESET enable_seqscan");
    const std::int64_t stored = db.scalarInt("SELECT count(*) FROM cases WHERE geom IS NOT NULL");
    return indexed == stored ? "ok" : std::to_string(indexed) + " of " + std::to_string(stored) + " cases indexed";
  }
  auto q = db.query("SELECT rtreecheck('rtree_cases_geom')");
  return q.step() ? q->columnText(0) : std::string("no result");
}

} // namespace

class CaseImportTest : public StoreFixture
{
  protected:
    //! A second store with the fixture's configuration (a file, or a database of the test cluster).
    std::unique_ptr<Database> otherStore(const std::string &name)
    {
      otherStores.push_back(std::make_unique<TestStore>(dir.file(name)));
      return Schema::openOrCreate(otherStores.back()->location());
    }

    //! PostgreSQL: waits until no other connection to the store is left (a killed client's
    //! backend ends its transaction, committing or rolling back, before it goes).
    void waitForOtherConnectionsToEnd(Database &db)
    {
      if (!db.isPostgres())
        return;
      for (int i = 0; i < 3000 && db.scalarInt("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                                "current_database() AND pid <> pg_backend_pid()") > 0;
           ++i)
        usleep(10000);
    }

    std::vector<std::unique_ptr<TestStore>> otherStores;
};

TEST_F(CaseImportTest, ImportedCasesReadBackExactlyLikeCasesBuiltEventByEvent)
{
  // Cases through the ordinary path, in every shape the workflow makes: all states, parked,
  // merged (both sides), voided, escalated, supervised and urged, reworked, extended, text
  // that JSON must escape, non-ASCII text and numbers of every kind in the event data.
  for (S state : {S::Reported, S::Registered, S::Accepted, S::Assigned, S::InHandling, S::Handled, S::Closed,
                  S::Visited, S::Archived})
    caseIn(state, kMonday9);
  const std::string parked = caseIn(S::Accepted, kMonday9);
  cases->apply(parked, command(A::Park, kMonday9 + std::chrono::hours(1), json::object(), "等待 \"业主\"\n回复\t"));
  const std::string source = cases->report(reportCommand(kMonday9, "0301", kMicroB, "重复 \\ 报案"));
  const std::string target = caseIn(S::Registered, kMonday9);
  cases->merge(source, target, command(A::Merge, kMonday9 + std::chrono::minutes(30)));
  const std::string voided = cases->report(reportCommand(kMonday9, "0201", kMicroC));
  cases->apply(voided, command(A::Void, kMonday9 + std::chrono::minutes(3), json::object(), "误报"));
  const std::string escalated = caseIn(S::Accepted, kMonday9);
  cases->apply(escalated, command(A::Escalate, kMonday9 + std::chrono::hours(2)));
  const std::string busy = caseIn(S::InHandling, kMonday9);
  cases->apply(busy, command(A::Supervise, kMonday9 + std::chrono::hours(3), {{"level", 2}, {"ratio", 0.125}}));
  cases->apply(busy, command(A::Urge, kMonday9 + std::chrono::hours(4), {{"count", -3}, {"big", 18446744073709551615u},
                                                                          {"flag", true}, {"none", nullptr}}));
  cases->apply(busy, command(A::Extend, kMonday9 + std::chrono::hours(5),
                             {{"approver", "supervisor-1"}, {"amount", 1.5}, {"unit", "wd"}}));
  const std::string reworked = caseIn(S::Handled, kMonday9);
  cases->apply(reworked, command(A::Close, kMonday9 + std::chrono::hours(6)));
  cases->apply(reworked, command(A::Visit, kMonday9 + std::chrono::hours(7), {{"satisfaction", "unsatisfied"}}));
  cases->apply(reworked, command(A::Rework, kMonday9 + std::chrono::hours(8), {{"to", "assigned"}}));
  const std::string assisted = caseIn(S::Accepted, kMonday9);
  cases->apply(assisted, command(A::Assign, kMonday9 + std::chrono::hours(1),
                                 {{"lead", "fire"}, {"assisting", {"police_station", "health"}}, {"worker", "w-9"}}));
  ASSERT_TRUE(cases->verifyProjections().empty());
  const std::vector<core::Case> all = loadAll(*cases);

  // Row by row (the case rows in id order, so the ids agree as well) and in bulk.
  auto rowByRow = otherStore("row-by-row.gpkg");
  CaseStore(*rowByRow, *workflow, clock.get()).importCases(all);
  auto bulk = otherStore("bulk.gpkg");
  CaseImportOptions options;
  options.bulkFrom = 1;
  options.expectedCases = all.size();
  CaseStore bulkStore(*bulk, *workflow, clock.get());
  std::size_t next = 0;
  const CaseImportReport report = CaseImporter(*bulk, bulkStore, options).run([&]() -> const core::Case * {
    return next < all.size() ? &all[next++] : nullptr;
  });
  // PostgreSQL keeps its indexes through an import and has no R-tree to pack.
  EXPECT_EQ(report.bulk, !storesOnPostgres());
  EXPECT_EQ(report.rtreePacked, !storesOnPostgres());
  EXPECT_EQ(report.cases, static_cast<std::int64_t>(all.size()));

  const Snapshot original = snapshot(*db);
  for (Database *imported : {rowByRow.get(), bulk.get()})
  {
    const Snapshot copy = snapshot(*imported);
    EXPECT_EQ(copy.cases, original.cases);
    EXPECT_EQ(copy.events, original.events);
    EXPECT_EQ(copy.counters, original.counters);
    EXPECT_EQ(copy.rtree, original.rtree);
    EXPECT_EQ(copy.schema, original.schema); // every index and trigger is back, as it was written
    // The ids in the same order (and the same ids in a GeoPackage, whose rowids have no gaps).
    const std::string ids(db->dialect("SELECT id, number FROM cases ORDER BY id", "SELECT number FROM cases ORDER BY id"));
    EXPECT_EQ(rows(*imported, ids), rows(*db, ids));
    EXPECT_TRUE(CaseStore(*imported, *workflow, clock.get()).verifyProjections().empty());
    EXPECT_EQ(integrity(*imported), "ok");
    EXPECT_EQ(rtreeCheck(*imported), "ok");
    if (!storesOnPostgres()) // PostgreSQL checks foreign keys always
    {
      EXPECT_EQ(imported->scalarInt("PRAGMA foreign_keys"), 1);
    }
  }
}

TEST_F(CaseImportTest, AClosedImportedCaseKeepsItsHistoryInOneRowAndTakesLaterEvents)
{
  const std::vector<core::Case> legacy = legacyCases(*workflow, 4); // cases 0, 1, 2 archived; 3 registered
  CaseBuilder closedOnly(*workflow, core::CaseNumber::make(kDistrict, kMonday9, 900).toString());
  closedOnly.then(A::Report, kMonday9, reportData(kMicroA, 98.5, 39.7))
    .then(A::Register, kMonday9 + std::chrono::minutes(5))
    .then(A::Accept, kMonday9 + std::chrono::minutes(9))
    .then(A::Assign, kMonday9 + std::chrono::minutes(20), {{"lead", "fire"}, {"worker", "worker-7"}})
    .then(A::StartHandling, kMonday9 + std::chrono::minutes(30))
    .then(A::Feedback, kMonday9 + std::chrono::hours(3))
    .then(A::Close, kMonday9 + std::chrono::hours(4));
  std::vector<core::Case> all = legacy;
  all.push_back(closedOnly.result());
  cases->importCases(all);

  // One history row per case that is no longer open; the open case's events are rows.
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM case_histories"), 4);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM case_events"), 2);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM cases WHERE is_open = 1"), 1);
  const std::string closed = all.back().number();
  EXPECT_EQ(cases->events(closed).size(), 7u);

  // A later event (the return visit) goes to case_events after the history, seq 8.
  cases->apply(closed, command(A::Visit, kMonday9 + std::chrono::hours(30), {{"satisfaction", "satisfied"}}));
  const auto events = cases->events(closed);
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(events.front().action, A::Report);
  EXPECT_EQ(events.back().action, A::Visit);
  EXPECT_EQ(cases->find(closed)->state, S::Visited);
  EXPECT_EQ(rows(*db, "SELECT e.seq, e.action FROM case_event_log e JOIN cases c ON c.id = e.case_id "
                      "WHERE c.number = '" + closed + "' AND e.seq >= 7 ORDER BY e.seq"),
            (std::vector<std::string>{"1:7|3:close|", "1:8|3:visit|"}));
  EXPECT_EQ(cases->load(closed)->state(), S::Visited);
  EXPECT_TRUE(cases->verifyProjections().empty());
  // KPI periods read the history as well.
  const auto period = cases->casesForPeriod(kMonday9, kMonday9 + std::chrono::hours(48));
  const auto inPeriod = std::find_if(period.begin(), period.end(), [&](const core::Case &c) { return c.number() == closed; });
  ASSERT_NE(inPeriod, period.end());
  EXPECT_EQ(inPeriod->events().size(), 8u);
  EXPECT_EQ(inPeriod->state(), S::Visited);

  // Histories are append-only, like events.
  EXPECT_THROW(db->exec("UPDATE case_histories SET event_count = 1"), StoreError);
  EXPECT_THROW(db->exec("DELETE FROM case_histories"), StoreError);
}

TEST_F(CaseImportTest, BulkImportLeavesIndexesRtreeAndCountersRight)
{
  // A store in use: a few cases already there, reported the ordinary way.
  const std::string before = caseIn(S::Assigned, kMonday9);
  caseIn(S::Archived, kMonday9);
  const auto schemaBefore = rows(*db, schemaRows(*db));
  const std::int64_t cacheBefore = storesOnPostgres() ? 0 : db->scalarInt("PRAGMA cache_size");

  const std::vector<core::Case> legacy = legacyCases(*workflow, 3000);
  CaseImportOptions options;
  options.bulkFrom = 1000; // no expected count: switches to bulk part-way, as a streamed file does
  std::size_t next = 0;
  const CaseImportReport report = CaseImporter(*db, *cases, options).run([&]() -> const core::Case * {
    return next < legacy.size() ? &legacy[next++] : nullptr;
  });
  EXPECT_EQ(report.bulk, !storesOnPostgres());
  EXPECT_EQ(report.rtreePacked, !storesOnPostgres());
  EXPECT_EQ(report.cases, 3000);
  EXPECT_EQ(report.events, db->scalarInt("SELECT count(*) FROM case_event_log") - 13);

  EXPECT_EQ(rows(*db, schemaRows(*db)), schemaBefore);
  // The rows phase ran on a small page cache (pages written back as they go); the writer's own is back.
  if (!storesOnPostgres())
  {
    EXPECT_EQ(db->scalarInt("PRAGMA cache_size"), cacheBefore);
  }
  EXPECT_EQ(integrity(*db), "ok");
  EXPECT_EQ(db->scalarInt(db->dialect("SELECT count(*) FROM pragma_foreign_key_check",
                                      "SELECT count(*) FROM case_events e WHERE NOT EXISTS "
                                      "(SELECT 1 FROM cases c WHERE c.id = e.case_id)")),
            0);
  EXPECT_TRUE(cases->verifyProjections().empty());

  // The R-tree holds every case, old and new, and answers a window as a scan of the table does.
  EXPECT_EQ(rtreeCheck(*db), "ok");
  EXPECT_EQ(rows(*db, spatialRows(*db)).size(), 3002u);
  // (The window's edges lie between the points: the R-tree keeps float32 boxes rounded outwards.)
  EXPECT_EQ(rows(*db, std::string(db->dialect("SELECT id FROM rtree_cases_geom WHERE minx BETWEEN 98.41005 AND 98.43005 "
                                              "AND miny BETWEEN 39.61005 AND 39.65005 ORDER BY id",
                                              "SELECT id FROM cases WHERE geom && ST_MakeEnvelope(98.41005, 39.61005, "
                                              "98.43005, 39.65005, 4490) ORDER BY id"))),
            rows(*db, "SELECT id FROM cases WHERE lon BETWEEN 98.41005 AND 98.43005 "
                      "AND lat BETWEEN 39.61005 AND 39.65005 ORDER BY id"));

  // The rebuilt indexes answer the console's queries (every tenth legacy case is open, registered).
  CaseFilter open;
  open.states = {S::Registered};
  EXPECT_EQ(cases->count(open), 300);
  CaseFilter overdue;
  overdue.overdueAt = kMonday9 + std::chrono::hours(24 * 30);
  overdue.limit = 10000;
  const auto overdueList = cases->query(overdue);
  EXPECT_EQ(overdueList.size(), 301u); // the 300 legacy cases and the assigned one
  EXPECT_TRUE(std::is_sorted(overdueList.begin(), overdueList.end(),
                             [](const CaseRecord &a, const CaseRecord &b) { return *a.deadline < *b.deadline; }));
  EXPECT_EQ(db->scalarInt(std::string("SELECT count(*) FROM cases ") +
                          std::string(db->dialect("INDEXED BY cases_open_deadline ", "")) + "WHERE is_open = 1 "
                          "AND deadline < '2099-01-01T00:00:00Z'"),
            301);
  EXPECT_TRUE(cases->find(before));

  // Counters raised: a new report on an imported day continues after the imported numbers.
  const core::TimePoint lastDay = core::beijingTime(2025, 12, 1, 9) + std::chrono::minutes(7 * 2999);
  const int imported = core::CaseNumber::parse(legacy.back().number())->sequence();
  const std::string number = cases->report(reportCommand(lastDay + std::chrono::minutes(1)));
  EXPECT_EQ(core::CaseNumber::parse(number)->sequence(), imported + 1) << number;
}

TEST_F(CaseImportTest, AFailedImportLeavesTheStoreAsItWas)
{
  caseIn(S::Assigned, kMonday9);
  std::vector<core::Case> legacy = legacyCases(*workflow, 2500);
  CaseStore(*db, *workflow, clock.get()).importCases({legacy[0]});
  const Snapshot before = snapshot(*db);

  // A number already in the store, deep into a bulk import: nothing of it stays.
  CaseImportOptions options;
  options.bulkFrom = 100;
  std::size_t next = 1;
  legacy[2000] = legacy[0];
  try
  {
    CaseImporter(*db, *cases, options).run([&]() -> const core::Case * {
      return next < legacy.size() ? &legacy[next++] : nullptr;
    });
    FAIL() << "a duplicate number was imported";
  }
  catch (const CaseImportError &e)
  {
    EXPECT_EQ(e.caseIndex(), 1999u);
    EXPECT_EQ(e.number(), legacy[0].number());
    EXPECT_NE(std::string(e.what()).find(legacy[0].number()), std::string::npos) << e.what();
  }
  EXPECT_EQ(snapshot(*db), before);
  if (!storesOnPostgres())
  {
    EXPECT_EQ(db->scalarInt("PRAGMA foreign_keys"), 1);
  }

  // The source fails (a bad line in a file): the same. Once switching to bulk part-way, once
  // with the size announced, so the import is bulk from its first case (indexes dropped, small
  // page cache, writeback thread): all of it undone, and the writer's page cache back.
  const CaseImporter::Source badLine = [&]() -> const core::Case * {
    if (next == 1500)
      throw std::runtime_error("line 1501: bad input");
    return next < 2000 ? &legacy[next++] : nullptr;
  };
  CaseImportOptions announced = options;
  announced.expectedCases = 2000;
  for (const CaseImportOptions &o : {options, announced})
  {
    next = 1;
    EXPECT_THROW(CaseImporter(*db, *cases, o).run(badLine), std::runtime_error);
    EXPECT_EQ(snapshot(*db), before);
  }
  if (!storesOnPostgres())
  {
    EXPECT_EQ(db->scalarInt("PRAGMA cache_size"), -262144); // the writer's, as Database sets it
  }

  // Inside the caller's transaction: rolled back with it.
  {
    Transaction tx(*db);
    std::vector<core::Case> rest(legacy.begin() + 1, legacy.begin() + 2000);
    cases->importCases(rest);
    EXPECT_EQ(db->scalarInt("SELECT count(*) FROM cases"), 2001);
  }
  EXPECT_EQ(snapshot(*db), before);
  EXPECT_EQ(integrity(*db), "ok");
  EXPECT_EQ(rtreeCheck(*db), "ok");
}

// What a source throws that is no std::exception (a callback of a library, say) ends the import
// like any failure: rethrown by run() as it was, nothing written, and the preparing thread joined
// rather than the process ended.
TEST_F(CaseImportTest, ASourceThrowingANonStandardExceptionFailsTheImportAndChangesNothing)
{
  caseIn(S::Assigned, kMonday9);
  std::vector<core::Case> legacy = legacyCases(*workflow, 600);
  const Snapshot before = snapshot(*db);
  CaseImportOptions options;
  options.bulkFrom = 100;
  options.expectedCases = 600; // bulk from the first case: the write-back thread runs too
  std::size_t next = 0;
  try
  {
    CaseImporter(*db, *cases, options).run([&]() -> const core::Case * {
      if (next == 500)
        throw 42;
      return &legacy[next++];
    });
    FAIL() << "the import went through";
  }
  catch (int thrown)
  {
    EXPECT_EQ(thrown, 42);
  }
  EXPECT_EQ(snapshot(*db), before);
  EXPECT_EQ(integrity(*db), "ok");
}

// Killed while rows go in (the source stalls half-way), about when the source has run dry
// (the indexes being rebuilt, or the commit under way), and after the import returned: the
// store is untouched or holds the whole import, never a part. Through the WAL and through a
// rollback journal (a migration with the store to itself).
class KilledCaseImportTest : public CaseImportTest, public ::testing::WithParamInterface<bool>
{
};

TEST_P(KilledCaseImportTest, LeavesTheStoreAsItWasOrComplete)
{
  const bool exclusive = GetParam();
  if (exclusive && storesOnPostgres())
    GTEST_SKIP() << "the rollback journal is SQLite's (on PostgreSQL the option changes nothing; the Wal case runs)";
  caseIn(S::Assigned, kMonday9);
  const Snapshot before = snapshot(*db);
  const StoreLocation file = store->location();
  const std::vector<core::Case> legacy = legacyCases(*workflow, 6000);
  cases.reset();
  db.reset();

  enum class Kill { MidRows, AsItEnds, AfterReturn };
  for (const Kill when : {Kill::MidRows, Kill::AsItEnds, Kill::AfterReturn})
  {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0)
    {
      close(fds[0]);
      const auto tell = [&] {
        if (::write(fds[1], "!", 1) != 1)
          _exit(3);
      };
      try
      {
        auto childDb = Schema::open(file);
        if (!childDb->isPostgres())
          childDb->exec("PRAGMA cache_size = 64"); // spills: the killed import has written into the files
        CaseStore store(*childDb, *workflow, clock.get());
        CaseImportOptions options;
        options.bulkFrom = 1000;
        options.exclusive = exclusive;
        std::size_t next = 0;
        CaseImporter(*childDb, store, options).run([&]() -> const core::Case * {
          if (when == Kill::MidRows && next == legacy.size() / 2)
          {
            tell();
            pause();
          }
          if (when == Kill::AsItEnds && next == legacy.size())
            tell();
          return next < legacy.size() ? &legacy[next++] : nullptr;
        });
        if (when == Kill::AfterReturn)
          tell();
        pause();
      }
      catch (...)
      {
        _exit(2);
      }
      _exit(0);
    }
    close(fds[1]);
    char signal = 0;
    ASSERT_EQ(read(fds[0], &signal, 1), 1);
    if (when == Kill::AsItEnds)
      usleep(15000);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;

    db = Schema::open(file); // read-write: rolls back a hot journal
    waitForOtherConnectionsToEnd(*db);
    EXPECT_EQ(integrity(*db), "ok");
    EXPECT_EQ(rtreeCheck(*db), "ok");
    const std::int64_t count = db->scalarInt("SELECT count(*) FROM cases");
    if (when == Kill::MidRows || (when == Kill::AsItEnds && count == 1))
    {
      EXPECT_EQ(snapshot(*db), before);
    }
    else
    {
      EXPECT_EQ(count, 6001);
      EXPECT_EQ(rows(*db, schemaRows(*db)), before.schema);
      EXPECT_TRUE(CaseStore(*db, *workflow, clock.get()).verifyProjections().empty());
      if (!storesOnPostgres())
      {
        auto mode = db->query("PRAGMA journal_mode");
        ASSERT_TRUE(mode.step());
        EXPECT_EQ(mode->columnText(0), "wal");
      }
      return; // the import is in; another round would find its numbers taken
    }
    db.reset();
  }
  FAIL() << "the import that returned is not in the store";
}

INSTANTIATE_TEST_SUITE_P(Journal, KilledCaseImportTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool> &p) { return p.param ? "RollbackJournal" : "Wal"; });

TEST_F(CaseImportTest, AnExclusiveImportUsesARollbackJournalOnlyWhenAlone)
{
  const std::vector<core::Case> legacy = legacyCases(*workflow, 300);
  CaseImportOptions options;
  options.exclusive = true;
  const auto importSlice = [&](std::size_t from, std::size_t to) {
    std::size_t next = from;
    return CaseImporter(*db, *cases, options).run([&]() -> const core::Case * {
      return next < to ? &legacy[next++] : nullptr;
    });
  };
  {
    Database reader(store->location(), Database::Mode::ReadOnly); // a console watching the store
    EXPECT_EQ(reader.scalarInt("SELECT count(*) FROM cases"), 0);
    EXPECT_FALSE(importSlice(0, 100).rollbackJournal);
    EXPECT_EQ(reader.scalarInt("SELECT count(*) FROM cases"), 100);
  }
  // Alone, on PostgreSQL too: the option changes nothing there (the server has no journal to choose).
  EXPECT_EQ(importSlice(100, 300).rollbackJournal, !storesOnPostgres());
  if (!storesOnPostgres())
  {
    auto mode = db->query("PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode->columnText(0), "wal");
  }
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM cases"), 300);
  EXPECT_TRUE(cases->verifyProjections().empty());
}

// A number supplied twice, far into the import (past its first batches of cases): named at its
// second place in the source, and nothing of the import stays.
TEST_F(CaseImportTest, ANumberSuppliedTwiceIsNamedAtItsSecondPlace)
{
  std::vector<core::Case> legacy = legacyCases(*workflow, 5000);
  legacy[4321] = legacy[100];
  const Snapshot before = snapshot(*db);
  std::size_t next = 0;
  try
  {
    CaseImporter(*db, *cases).run([&]() -> const core::Case * { return next < legacy.size() ? &legacy[next++] : nullptr; });
    FAIL() << "a number supplied twice was imported";
  }
  catch (const CaseImportError &e)
  {
    EXPECT_EQ(e.caseIndex(), 4321u);
    EXPECT_EQ(e.number(), legacy[100].number());
    EXPECT_EQ(e.code(), SQLITE_CONSTRAINT_UNIQUE);
    const std::string said = "case " + legacy[100].number() + " is already in the store or supplied twice";
    EXPECT_EQ(std::string(e.what()).substr(0, said.size()), said); // the same words on both backends
  }
  EXPECT_EQ(snapshot(*db), before);
}
