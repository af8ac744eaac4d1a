// griddispatch-ctl end to end: the real program on a temporary store.

#include "gridfixtures.h"
#include "store/deviceregistry.h"
#include "store/positionstore.h"
#include "storefixture.h"

#include "core/case.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sys/wait.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

struct Result
{
  int exitCode = -1;
  std::string out;
  std::string err;
};

class StoreCtlTest : public StoreFixture
{
  protected:
    Result ctl(const std::string &args) { return ctlOn(db->path(), args); }

    Result ctlOn(const std::filesystem::path &store, const std::string &args)
    {
      const std::string errFile = dir.file("stderr.txt").string();
      const std::string command = std::string(GD_CTL_PATH) + " " + args + " --db '" + store.string() + "' 2>'" +
                                  errFile + "'";
      Result r;
      FILE *pipe = popen(command.c_str(), "r");
      char buffer[4096];
      while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe))
        r.out.append(buffer, n);
      const int status = pclose(pipe);
      r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      std::ifstream in(errFile);
      r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      return r;
    }
};

//! A case as one line of an import file: its events as core::caseEventToJson() writes them.
std::string caseLine(const core::Case &c)
{
  nlohmann::json events = nlohmann::json::array();
  for (const core::CaseEvent &e : c.events())
    events.push_back(core::caseEventToJson(e));
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
  int rows = 0;
  while (std::getline(csv, line))
    ++rows;
  EXPECT_EQ(rows, 2);

  r = ctl("overdue --json --level township --now 2026-12-01T00:00:00+08:00");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)[0]["grid"], "620902001");

  r = ctl("kpi --json --from 2026-11-01 --to 2026-12-01");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["received"], 2);
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
