// griddispatch-ctl end to end: the real program on a temporary store.

#include "gridfixtures.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/positionstore.h"
#include "store/cases/departmentnotices.h"
#include "ctlrun.h"
#include "storefixture.h"

#include "core/case.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

using Result = CtlResult;

class StoreCtlTest : public StoreFixture
{
  protected:
    Result ctl(const std::string &args) { return ctlOn(store->dbArgument(), args); }

    Result ctlOn(const std::filesystem::path &store, const std::string &args)
    {
      return runCtl(args + " --db '" + store.string() + "'", dir.file("stderr.txt"));
    }
};

//! A case as one line of an import file: its events as store::caseEventToJson() writes them.
std::string caseLine(const core::Case &c)
{
  nlohmann::json events = nlohmann::json::array();
  for (const core::CaseEvent &e : c.events())
    events.push_back(store::caseEventToJson(e));
  return events.dump() + "\n";
}

} // namespace

TEST_F(StoreCtlTest, ImportGridsReportsProblemsAndImportsNothing)
{
  auto rects = goodGridTree();
  rects[8].x0 = 0.5; // overlap
  const std::string bad = dir.file("bad.geojson").string();
  writeFile(bad, gridGeoJson(rects, lonLat, "urn:ogc:def:crs:EPSG::4490", "BM", "MC"));
  Result r = ctl("import-grids '" + bad + "' --code-field BM --name-field MC");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("overlaps its sibling"), std::string::npos) << r.err;
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_microgrid"), 0);

  const std::string good = dir.file("good.geojson").string();
  writeFile(good, gridGeoJson(goodGridTree(), lonLat, "urn:ogc:def:crs:EPSG::4490", "BM", "MC"));
  r = ctl("import-grids '" + good + "' --code-field BM --name-field MC --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["micro_grids"], 3);
  EXPECT_EQ(report["imported"], true);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_microgrid"), 3);
}

TEST_F(StoreCtlTest, DevicesAreProvisionedListedAndRevoked)
{
  Result r = ctl("device add pad-9 --worker worker-9 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string token = nlohmann::json::parse(r.out)["token"];
  EXPECT_EQ(token.size(), 64u);
  EXPECT_TRUE(DeviceRegistry(*db).authenticate("pad-9", token));
  EXPECT_EQ(ctl("device add pad-9 --worker worker-9").exitCode, 1);
  EXPECT_EQ(ctl("device add pad-10").exitCode, 2); // no --worker
  r = ctl("device list --json");
  ASSERT_EQ(r.exitCode, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out).size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(r.out)[0]["last_seq"], 0);
  // A running gateway writes devices.last_seq only with its published mark: the list shows the
  // durable last_seq all the same (here a fix with seq 5 above the mark, and a report 6).
  const TrackPoint fix{"pad-9", "worker-9", core::beijingTime(2026, 11, 23, 9, 0), {98.51, 39.74}, 5.0, 5};
  PositionStore(*db).recordTracks(&fix, 1);
  ASSERT_TRUE(DeviceRegistry(*db).recordApplied("pad-9", 6, core::beijingTime(2026, 11, 23, 9, 0), "rejected:unknown_case"));
  r = ctl("device list --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)[0]["last_seq"], 6) << r.out;
  r = ctl("device list");
  EXPECT_NE(r.out.find("last_seq 6"), std::string::npos) << r.out;
  EXPECT_EQ(ctl("device revoke pad-9").exitCode, 0);
  EXPECT_FALSE(DeviceRegistry(*db).authenticate("pad-9", token));
  r = ctl("device revoke pad-404");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("pad-404"), std::string::npos);
}

TEST_F(StoreCtlTest, CasesCaseAndExport)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string a = caseIn(core::CaseState::Assigned, t0, "fire", kMicroA);
  const std::string b = caseIn(core::CaseState::Closed, t0, "police_station", kMicroC, "0201");
  Result r = ctl("cases --json --overdue --now 2026-12-01T00:00:00+08:00");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["number"], a);
  EXPECT_EQ(list[0]["light"], "red");
  r = ctl("cases --json --grid 620902002 --state closed");
  list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["number"], b);

  r = ctl("case " + a + " --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto one = nlohmann::json::parse(r.out);
  EXPECT_EQ(one["state"], "assigned");
  EXPECT_EQ(one["events"].size(), 4u);
  EXPECT_EQ(one["events"][3]["action"], "assign");
  EXPECT_EQ(ctl("case 620902-20261123-999999").exitCode, 1);

  r = ctl("export --out '" + dir.file("cases.csv").string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::ifstream csv(dir.file("cases.csv"));
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("number,state,category", 0), 0u);
  EXPECT_NE(header.find(",lead_department,lead_department_name,worker,worker_name,"), std::string::npos) << header;
  int rows = 0;
  bool named = false;
  while (std::getline(csv, line))
  {
    ++rows;
    // Names, not ids: the department's name beside its code.
    named = named || line.find(",fire,消防救援大队,") != std::string::npos;
  }
  EXPECT_EQ(rows, 2);
  EXPECT_TRUE(named);

  r = ctl("overdue --json --level township --now 2026-12-01T00:00:00+08:00");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)[0]["grid"], "620902001");

  r = ctl("kpi --json --from 2026-11-01 --to 2026-12-01");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["received"], 2);
}

// 响应率 per department (issue 17, docs/kpi.md): dispatches of the period, signed within
// sign_within working hours, over those signed and those unsigned past the limit.
TEST_F(StoreCtlTest, KpiPrintsTheResponseRatePerDepartment)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  DepartmentNotices notices(*db);
  std::vector<std::int64_t> ids;
  for (const char *department : {"housing", "housing", "water"})
  {
    DepartmentNotice n;
    n.department = department;
    n.kind = NoticeKind::Assign;
    n.caseNumber = caseIn(core::CaseState::Assigned, t0);
    ids.push_back(notices.create(n, t0));
  }
  notices.acknowledge(ids[0], "王五", t0 + std::chrono::minutes(30)); // in time (the limit is 11:00)
  Result r = ctl("kpi --json --from 2026-11-01 --to 2026-12-01");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto rates = nlohmann::json::parse(r.out)["response_rate"];
  EXPECT_EQ(rates["housing"]["on_time"], 1);
  EXPECT_EQ(rates["housing"]["overdue"], 1);
  EXPECT_DOUBLE_EQ(rates["housing"]["value"].get<double>(), 0.5);
  EXPECT_EQ(rates["water"]["overdue"], 1);
  r = ctl("kpi --from 2026-11-01 --to 2026-12-01 --dept water");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("响应率"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("water"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("housing"), std::string::npos) << r.out;
}

TEST_F(StoreCtlTest, VerifyFindsATamperedProjection)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string a = caseIn(core::CaseState::Assigned, t0);
  caseIn(core::CaseState::Archived, t0);
  Result r = ctl("verify");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("ok: 2 case(s), 13 event(s)"), std::string::npos) << r.out;
  db->query("UPDATE cases SET state = 'closed' WHERE number = ?").bindAll(a).run();
  r = ctl("verify");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find(a + ": stored state 'closed' but the events say 'assigned'"), std::string::npos) << r.err;
}

TEST_F(StoreCtlTest, BadArgumentsAreNamed)
{
  Result r = ctl("cases --now yesterday --overdue");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--now"), std::string::npos) << r.err;
  r = ctl("cases --bogus");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
  r = ctl("frobnicate");
  EXPECT_EQ(r.exitCode, 2);
  r = ctl("categories --config /nonexistent");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("/nonexistent"), std::string::npos) << r.err;
}

TEST_F(StoreCtlTest, ImportCasesTakesWholeHistoriesAsTheyWereWritten)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string archived = caseIn(core::CaseState::Archived, t0);
  const std::string assigned = caseIn(core::CaseState::Assigned, t0, "police_station", kMicroC, "0201");
  const std::string parked = caseIn(core::CaseState::Accepted, t0);
  cases->apply(parked, command(core::CaseAction::Park, t0 + std::chrono::hours(1), {}, "业主出差, \"下周\" 再约"));

  // Two lines as event lists, one as `case NUMBER --json` prints it (on one line), a blank line.
  Result shown = ctl("case " + parked + " --json");
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  const std::string file = dir.file("legacy.jsonl").string();
  writeFile(file, caseLine(*cases->load(archived)) + "\n" + caseLine(*cases->load(assigned)) +
                    nlohmann::json::parse(shown.out).dump() + "\n");
  const auto legacy = dir.file("legacy.gpkg");
  Schema::openOrCreate(legacy).reset();

  Result r = ctlOn(legacy, "import-cases '" + file + "' --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["cases"], 3);
  EXPECT_EQ(report["events"], db->scalarInt("SELECT count(*) FROM case_event_log"));

  const char *rows = "SELECT number, state, category, grid_code, lead_dept, worker_id, reported_at, deadline, warn_at, "
                     "last_seq, updated_at, (SELECT group_concat(action || '@' || at || ':' || note || data, ';') FROM "
                     "(SELECT * FROM case_event_log e WHERE e.case_id = c.id ORDER BY seq)) FROM cases c ORDER BY number";
  auto copy = Schema::open(legacy);
  auto dump = [&](Database &d) {
    std::vector<std::string> out;
    auto q = d.query(rows);
    while (q.step())
      for (int i = 0; i < 12; ++i)
        out.push_back(q->columnText(i));
    return out;
  };
  EXPECT_EQ(dump(*copy), dump(*db));
  copy.reset();
  r = ctlOn(legacy, "verify");
  EXPECT_EQ(r.exitCode, 0) << r.err;

  // The same file again: every number is taken, and the message says where.
  r = ctlOn(legacy, "import-cases '" + file + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find(file + ":1: case " + archived + " is already in the store"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;
}

TEST_F(StoreCtlTest, ImportCasesNamesTheLineAndFieldOfBadInputAndImportsNothing)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string good = caseLine(*cases->load(caseIn(core::CaseState::Closed, t0)));
  const std::string other = caseLine(*cases->load(caseIn(core::CaseState::Assigned, t0)));
  const auto target = dir.file("target.gpkg");
  Schema::openOrCreate(target).reset();
  const std::string file = dir.file("bad.jsonl").string();

  // Each bad line comes after good ones: nothing of the good ones stays either.
  const auto expectRefused = [&](const std::string &badLine, int line, const std::string &expected) {
    writeFile(file, good + other + badLine);
    const Result r = ctlOn(target, "import-cases '" + file + "'");
    EXPECT_EQ(r.exitCode, 1) << badLine;
    EXPECT_NE(r.err.find(file + ":" + std::to_string(line) + ": " + expected), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;
    auto check = Schema::open(target);
    EXPECT_EQ(check->scalarInt("SELECT count(*) FROM cases"), 0);
    EXPECT_EQ(check->scalarInt("SELECT count(*) FROM case_events"), 0);
  };
  nlohmann::json events = nlohmann::json::parse(good);
  auto edited = [&](std::size_t event, const std::string &field, nlohmann::json value) {
    nlohmann::json copy = events;
    copy[event][field] = std::move(value);
    return copy.dump() + "\n";
  };
  expectRefused("{not json\n", 3, "not JSON");
  expectRefused(edited(1, "at", "yesterday"), 3, "event 2: field \"at\" is not an RFC 3339 time");
  expectRefused(edited(0, "case", "62090-1"), 3, "event 1: field \"case\": case number '62090-1' must look like");
  expectRefused(edited(5, "action", "close"), 3, "event 6 (close): refused (bad_transition)");
  expectRefused(edited(1, "to", "closed"), 3, "event 2 (register): field \"to\" is 'closed'");
  nlohmann::json assign = events;
  assign[3]["data"]["lead"] = "no_such_department";
  expectRefused(assign.dump() + "\n", 3, "event 4 (assign): refused (unknown_department)");
  expectRefused("[]\n", 3, "a case needs at least its report event");
  expectRefused(good, 3, "case " + events[0]["case"].get<std::string>() + " is already in the store or supplied twice");

  EXPECT_EQ(ctlOn(target, "import-cases").exitCode, 2);
  EXPECT_EQ(ctlOn(target, "import-cases '" + dir.file("missing.jsonl").string() + "'").exitCode, 1);
}

TEST_F(StoreCtlTest, ImportGridsNeverOrphansCasesAndVerifyFindsOrphans)
{
  const std::string good = dir.file("good.geojson").string();
  writeFile(good, gridGeoJson(goodGridTree(), lonLat, "urn:ogc:def:crs:EPSG::4490"));
  ASSERT_EQ(ctl("import-grids '" + good + "'").exitCode, 0);
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string c = caseIn(core::CaseState::Assigned, t0, "fire", kMicroC);
  ASSERT_EQ(ctl("verify").exitCode, 0);

  // Township 002 renumbered 003: the case in 620902002001001001 would point at nothing.
  auto rects = goodGridTree();
  for (GridRect &r : rects)
    if (r.code.rfind("620902002", 0) == 0)
      r.code.replace(0, 9, "620902003");
  const std::string renumbered = dir.file("renumbered.geojson").string();
  writeFile(renumbered, gridGeoJson(rects, lonLat, "urn:ogc:def:crs:EPSG::4490"));
  Result r = ctl("import-grids '" + renumbered + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("1 case(s) and 0 grid worker(s)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cases.grid_code 620902002001001001: no such grid; 1 row(s), the first case " + c),
            std::string::npos)
    << r.err;
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM grid_microgrid WHERE code = '620902002001001001'"), 1);

  // The same loss by hand (a grid deleted with the sqlite3 shell): verify names it.
  db->exec("DELETE FROM grid_microgrid WHERE code = '620902002001001001'");
  r = ctl("verify");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("orphaned reference: cases.grid_code 620902002001001001: no such grid; 1 row(s), the first "
                       "case " + c),
            std::string::npos)
    << r.err;
}

TEST_F(StoreCtlTest, VerifyFindsForgeryDoneWithTheSqlite3Shell)
{
  if (std::system("sqlite3 -version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "the sqlite3 shell is not installed";
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string a = caseIn(core::CaseState::Assigned, t0);
  const std::string b = caseIn(core::CaseState::Archived, t0);
  const std::string c = caseIn(core::CaseState::Assigned, t0, "fire", kMicroC);
  core::Case imported = core::Case::fromEvents(cases->events(b)); // a closed case kept as one history row
  imported.setNumber("620902-20261122-000001");
  cases->importCases({imported});
  ASSERT_EQ(ctl("verify").exitCode, 0);
  const std::filesystem::path original = db->path();
  db.reset(); // closes the store (and checkpoints its WAL) so a plain copy is the whole store

  // Each forgery on its own copy, as an administrator would do it with the sqlite3 shell.
  const std::string unlock = "DROP TRIGGER case_events_no_update; DROP TRIGGER case_events_no_delete; "
                             "DROP TRIGGER case_histories_no_update; ";
  const std::string relock =
    "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
    "BEGIN SELECT RAISE(ABORT, 'case_events is append-only: events cannot be updated'); END; "
    "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events "
    "BEGIN SELECT RAISE(ABORT, 'case_events is append-only: events cannot be deleted'); END; "
    "CREATE TRIGGER case_histories_no_update BEFORE UPDATE ON case_histories "
    "BEGIN SELECT RAISE(ABORT, 'case_histories is append-only: histories cannot be updated'); END;";
  const std::string caseIdOf = "(SELECT id FROM cases WHERE number = '";
  const std::vector<std::pair<std::string, std::string>> forgeries = {
    {"DROP TRIGGER case_events_no_delete;",
     "trigger case_events_no_delete is missing: case_events is no longer append-only"},
    {unlock + "UPDATE case_events SET actor = 'nobody', note = '已处理' WHERE seq = 3 AND case_id = " + caseIdOf + a +
       "'); " + relock,
     a + ": event seq 3 does not match its hash chain"},
    {unlock + "UPDATE case_histories SET events = replace(events, 'operator-1', 'nobody'); " + relock,
     "620902-20261122-000001: the imported history (case_histories) does not match its hash chain"},
    {unlock + "DELETE FROM case_events WHERE case_id = " + caseIdOf + b + "'); DELETE FROM cases WHERE number = '" +
       b + "'; " + relock,
     "cases: rows 2..2 are missing: case(s) deleted"},
    {unlock + "DELETE FROM case_events WHERE case_id = " + caseIdOf + c + "'); DELETE FROM cases WHERE number = '" +
       c + "'; " + relock,
     c + ": the number was issued (case_number_counters) but no case holds it"},
    {"UPDATE cases SET title = '无事' WHERE number = '" + a + "';", a + ": stored title '无事' but the events say"},
    {"UPDATE cases SET priority = 'normal' WHERE number = '" + a + "'; UPDATE cases SET priority = 'emergency' "
                                                                    "WHERE number = '" + a + "';",
     a + ": stored priority 'emergency' but the events say"},
  };
  int n = 0;
  for (const auto &[sql, expected] : forgeries)
  {
    const std::filesystem::path copy = dir.file("forged" + std::to_string(++n) + ".gpkg");
    std::filesystem::copy_file(original, copy);
    // The cases layer's GeoPackage R-tree triggers call ST_IsEmpty(), which the plain sqlite3
    // shell lacks: an edit of a case row goes through a connection that has it (ours).
    if (sql.rfind("UPDATE cases", 0) == 0)
      Database(copy).exec(sql);
    else
      ASSERT_EQ(std::system(("sqlite3 '" + copy.string() + "' \"" + sql + "\"").c_str()), 0) << sql;
    const Result r = ctlOn(copy, "verify");
    EXPECT_EQ(r.exitCode, 1) << sql;
    EXPECT_NE(r.err.find(expected), std::string::npos) << sql << "\nlooking for: " << expected << "\nin:\n" << r.err;
  }
}

TEST_F(StoreCtlTest, ReadOnlyCommandsWorkInAReadOnlyPlaceAndErrorsNameTheStore)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string a = caseIn(core::CaseState::Assigned, t0);
  db.reset(); // closed: the WAL is checkpointed into the file and removed
  // A store on a read-only filesystem (a mounted backup): a tmpfs this test mounts, then
  // remounts read-only. Only root may mount; elsewhere the test says why it cannot run.
  const std::filesystem::path mountPoint = dir.file("ro");
  std::filesystem::create_directory(mountPoint);
  if (std::system(("mount -t tmpfs -o size=8m tmpfs '" + mountPoint.string() + "' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): the read-only store is not tested";
  struct Unmount
  {
    std::string path;
    ~Unmount() { (void)std::system(("umount '" + path + "'").c_str()); }
  } unmount{mountPoint.string()};
  const auto store = mountPoint / "store.gpkg";
  std::filesystem::copy_file(dir.file("store.gpkg"), store);
  ASSERT_EQ(std::system(("mount -o remount,ro '" + mountPoint.string() + "'").c_str()), 0);

  Result r = ctlOn(store, "cases --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)[0]["number"], a);
  r = ctlOn(store, "verify");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  // A command that must write says so, naming the file.
  r = ctlOn(store, "device add HS-9 --worker worker-9");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find(store.string()), std::string::npos) << r.err;
}

TEST_F(StoreCtlTest, ADamagedOrEmptyStoreIsNamedByEveryCommand)
{
  const std::filesystem::path empty = dir.file("empty.gpkg");
  std::ofstream(empty).close();
  for (const std::string command : {"cases", "verify", "device add HS-1 --worker w"})
  {
    const Result r = ctlOn(empty, command);
    EXPECT_EQ(r.exitCode, 1) << command;
    EXPECT_NE(r.err.find(empty.string() + " is empty (0 bytes)"), std::string::npos) << command << ": " << r.err;
    EXPECT_EQ(std::filesystem::file_size(empty), 0u) << command;
  }
}

TEST_F(StoreCtlTest, ImportCasesAppliesTheFieldProtocolsLimitsAndTheCatalog)
{
  const auto t0 = core::beijingTime(2026, 11, 23, 9, 0);
  const std::string good = caseLine(*cases->load(caseIn(core::CaseState::Closed, t0)));
  const auto target = dir.file("target.gpkg");
  Schema::openOrCreate(target).reset();
  const std::string file = dir.file("bad.jsonl").string();
  const auto expectRefused = [&](const std::string &badLine, const std::string &expected) {
    writeFile(file, good + badLine);
    const Result r = ctlOn(target, "import-cases '" + file + "' --now 2026-12-07T12:00:00+08:00");
    EXPECT_EQ(r.exitCode, 1) << expected;
    EXPECT_NE(r.err.find(file + ":2: " + expected), std::string::npos) << r.err;
    auto check = Schema::open(target);
    EXPECT_EQ(check->scalarInt("SELECT count(*) FROM cases"), 0);
  };
  // The same case under another number, with one field changed in every event or in the report.
  nlohmann::json events = nlohmann::json::parse(good);
  for (auto &e : events)
    e["case"] = "620902-20261123-000099";
  auto atAll = [&](const std::string &at) {
    nlohmann::json copy = events;
    for (auto &e : copy)
      e["at"] = at;
    return copy.dump() + "\n";
  };
  auto report = [&](const std::string &field, nlohmann::json value) {
    nlohmann::json copy = events;
    copy[0]["data"][field] = std::move(value);
    return copy.dump() + "\n";
  };
  expectRefused(atAll("0001-01-01T09:00:00+08:00"), "event 1: field \"at\" is '0001-01-01T09:00:00+08:00': before 1990");
  expectRefused(atAll("9999-12-31T09:00:00+08:00"), "event 1: field \"at\" is '9999-12-31T09:00:00+08:00': in the future");
  expectRefused(atAll("2026-11-23T23:59:60+08:00"),
                "event 1: field \"at\" is '2026-11-23T23:59:60+08:00': second 60 (a leap second)");
  expectRefused(report("category", "9999"), "event 1: field \"data.category\" is '9999', not a category of the catalog");
  expectRefused(report("title", std::string(1'000'000, 'x')),
                "event 1: field \"data.title\" is 1000000 characters long; at most 200 are allowed");
  expectRefused(report("title", std::string(201, 'x')), "event 1: field \"data.title\" is 201 characters long");
  expectRefused(report("description", std::string("漏水") + std::string(1, '\0') + "严重"),
                "event 1: field \"data.description\" contains a NUL character");
  nlohmann::json note = events;
  note[1]["note"] = std::string(4001, 'n');
  expectRefused(note.dump() + "\n", "event 2: field \"note\" is 4001 characters long; at most 4000 are allowed");
  // At the limits it is taken: a 200-character Chinese title.
  std::string title;
  for (int i = 0; i < 200; ++i)
    title += "字";
  writeFile(file, report("title", title));
  const Result r = ctlOn(target, "import-cases '" + file + "' --now 2026-12-07T12:00:00+08:00");
  EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST_F(StoreCtlTest, CalendarWarnsOfAMissingScheduleMarksDeadlinesAndImportsAnIcsFile)
{
  // A configuration directory of our own: a copy of the shipped one (2025 and 2026).
  const std::filesystem::path configDir = dir.file("config");
  std::filesystem::copy(std::filesystem::path(GD_SOURCE_DIR) / "resources" / "config", configDir,
                        std::filesystem::copy_options::recursive);
  const std::string config = " --config '" + configDir.string() + "'";

  // 2026-12-07: from December on, next year's schedule must be there.
  Result r = ctl("calendar status --now 2026-11-30T09:00:00+08:00" + config);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  r = ctl("calendar status --now 2026-12-07T09:00:00+08:00" + config);
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_NE(r.out.find("holiday schedules loaded: 2025, 2026"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("warning: The holiday schedule of 2027 is not loaded"), std::string::npos) << r.err;

  // A 15-working-day case (0105) in handling from 2026-12-21 runs into 2027: its deadline says
  // it was counted without that year's schedule; one within 2026 does not.
  const auto t0 = core::beijingTime(2026, 12, 21, 10, 0);
  const std::string a = caseIn(core::CaseState::InHandling, t0, "natural_resources", kMicroA, "0105");
  const std::string b = caseIn(core::CaseState::InHandling, t0);
  r = ctl("case " + a + config);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("2027-01-11T18:00:00+08:00 (handle) (counted without the 2027 holiday schedule: weekends only)"),
            std::string::npos)
    << r.out;
  r = ctl("case " + a + " --json" + config);
  EXPECT_EQ(nlohmann::json::parse(r.out)["deadline_without_schedule"], true);
  r = ctl("case " + b + " --json" + config);
  EXPECT_EQ(nlohmann::json::parse(r.out)["deadline_without_schedule"], false);

  // Without 2026.cal, the 2026 schedule comes back from an iCalendar file.
  std::filesystem::remove(configDir / "calendar" / "2026.cal");
  // The 2026 schedule as an iCalendar file (as holiday calendars publish it): imported.
  const std::string ics = dir.file("cn2026.ics").string();
  writeFile(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                 "BEGIN:VEVENT\r\nSUMMARY:元旦放假\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260104\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nSUMMARY:元旦调休\r\nDTSTART;VALUE=DATE:20260104\r\nDTEND;VALUE=DATE:20260105\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nSUMMARY:国庆节放假\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\nEND:VEVENT\r\n"
                 "END:VCALENDAR\r\n");
  r = ctl("calendar import '" + ics + "' --year 2026" + config);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(configDir / "calendar" / "2026.cal"));
  EXPECT_NE(r.out.find("holiday 2026-10-01 2026-10-07 国庆节"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("workday 2026-01-04            元旦调休"), std::string::npos) << r.out;
  // Not twice without --replace; a bad file changes nothing.
  r = ctl("calendar import '" + ics + "' --year 2026" + config);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("exists already"), std::string::npos) << r.err;
  writeFile(ics, "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:元旦放假\nDTSTART;VALUE=DATE:20270101\n"
                 "DTEND;VALUE=DATE:20270104\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:元旦补班\n"
                 "DTSTART;VALUE=DATE:20270102\nEND:VEVENT\nEND:VCALENDAR\n");
  r = ctl("calendar import '" + ics + "' --year 2027" + config);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find(ics + ":7: date 2027-01-02 is both a holiday and a make-up working day"), std::string::npos)
    << r.err;
  EXPECT_FALSE(std::filesystem::exists(configDir / "calendar" / "2027.cal"));
  r = ctl("calendar status --now 2026-12-07T09:00:00+08:00" + config);
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_NE(r.err.find("The holiday schedule of 2027 is not loaded"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("holiday schedules loaded: 2025, 2026"), std::string::npos) << r.out;
}

TEST_F(StoreCtlTest, DeviceListKeepsItsColumnsApartWhateverTheWorkerId)
{
  const std::string worker = "W620902001001001001-long"; // 24 characters: once ran into "active"
  ASSERT_EQ(ctl("device add HS-00001 --worker " + worker).exitCode, 0);
  ASSERT_EQ(ctl("device add a-device-id-longer-than-twenty-four --worker w1").exitCode, 0);
  const Result r = ctl("device list");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(worker + "  "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(worker + "active"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a-device-id-longer-than-twenty-four  "), std::string::npos) << r.out;
  // Every status starts in the same column.
  std::istringstream lines(r.out);
  std::string line;
  std::set<std::size_t> columns;
  while (std::getline(lines, line))
    if (const auto at = line.find("active"); at != std::string::npos)
      columns.insert(at);
  EXPECT_EQ(columns.size(), 1u) << r.out;
}

TEST_F(StoreCtlTest, DemoDistrictWithTooManyTerminalsLeavesNoStoreBehind)
{
  const auto store = dir.file("demo.gpkg");
  const Result r = ctlOn(store, "demo-district --terminals 20000 --credentials '" + dir.file("sim.txt").string() + "'");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--terminals 20000: the demo district has"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(store)) << "a refused demo must not leave a half-built store";
  EXPECT_FALSE(std::filesystem::exists(dir.file("sim.txt")));
}

TEST_F(StoreCtlTest, ImportGridsOfAMissingOrEmptyFileSaysWhy)
{
  Result r = ctl("import-grids '" + dir.file("missing.gpkg").string() + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find(dir.file("missing.gpkg").string() + ": no such file"), std::string::npos) << r.err;
  writeFile(dir.file("empty.gpkg").string(), "");
  r = ctl("import-grids '" + dir.file("empty.gpkg").string() + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find(dir.file("empty.gpkg").string() + ": the file is empty (0 bytes)"), std::string::npos) << r.err;
}

TEST_F(StoreCtlTest, DemoDistrictStoreAndCredentialsAreReadableByTheOwnerOnly)
{
  const auto store = dir.file("demo.gpkg");
  const auto credentials = dir.file("sim.txt");
  const Result r = ctlOn(store, "demo-district --terminals 3 --credentials '" + credentials.string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  struct stat st{};
  ASSERT_EQ(::stat(store.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(credentials.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}
