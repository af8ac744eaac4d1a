// griddispatch-ctl end to end: the real program on a temporary store.

#include "gridfixtures.h"
#include "store/deviceregistry.h"
#include "storefixture.h"

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
    Result ctl(const std::string &args)
    {
      const std::string errFile = dir.file("stderr.txt").string();
      const std::string command = std::string(GD_CTL_PATH) + " " + args + " --db '" + db->path().string() + "' 2>'" +
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
