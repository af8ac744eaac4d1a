// griddispatch-ctl supervise … and emergency … end to end: the real program on a temporary store.

#include "gridfixtures.h"
#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/gridstore.h"
#include "store/feed/positionstore.h"
#include "ctlrun.h"
#include "storefixture.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sys/wait.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using nlohmann::json;

namespace {

using Result = CtlResult;

class CtlSuperviseTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      GridStore(*db).replaceAll(goodTree());
    }

    Result ctl(const std::string &args)
    {
      return runCtl(args + " --db '" + store->dbArgument() + "'", dir.file("stderr.txt"));
    }
};

const core::TimePoint kT0 = core::beijingTime(2026, 11, 16, 9, 0);

} // namespace

TEST_F(CtlSuperviseTest, TheWallUrgesRulesAndRanksFromTheCommandLine)
{
  const std::string late = caseIn(core::CaseState::Assigned, kT0);
  const std::string closed = caseIn(core::CaseState::Closed, kT0);
  DeviceRegistry(*db).add("HS-7", "worker-7", kT0);

  Result r = ctl("supervise list --now 2026-11-25T10:00:00+08:00 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  json wall = json::parse(r.out);
  EXPECT_EQ(wall["overdue"], 1);
  ASSERT_EQ(wall["cases"].size(), 1u);
  EXPECT_EQ(wall["cases"][0]["number"], late);
  EXPECT_EQ(wall["cases"][0]["light"], "red");

  r = ctl("supervise urge " + late + " " + closed + " --actor 督办科 --opinion '请今日反馈' --now 2026-11-25T10:00:00+08:00");
  EXPECT_EQ(r.exitCode, 1); // one of the two was refused
  EXPECT_NE(r.out.find(late + ": urged, 1 terminal(s) ordered, department notified"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(closed + ": cannot urge a case in state 'closed'"), std::string::npos) << r.err;
  r = ctl("supervise urge " + late);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--actor is required"), std::string::npos) << r.err;

  r = ctl("supervise history " + late + " --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["supervisions"][0]["opinion"], "请今日反馈");

  // The shipped rules: escalate after 4 working hours overdue.
  r = ctl("supervise run --now 2026-11-25T10:00:00+08:00 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  json run = json::parse(r.out);
  ASSERT_EQ(run["fired"].size(), 1u);
  EXPECT_EQ(run["fired"][0]["case"], late);
  EXPECT_EQ(run["fired"][0]["action"], "escalate");
  r = ctl("supervise run --now 2026-11-25T10:00:00+08:00");
  EXPECT_NE(r.out.find("0 rule firing(s)"), std::string::npos) << r.out;

  r = ctl("supervise rank --by township --from 2026-11-01 --to 2026-12-01 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["ranking"][0]["key"], "620902001");
  EXPECT_EQ(ctl("supervise rank --by grid").exitCode, 2);
  EXPECT_EQ(ctl("supervise bogus").exitCode, 2);
}

TEST_F(CtlSuperviseTest, AnEmergencyFromDeclarationToTimeline)
{
  DeviceRegistry(*db).add("HS-1", "W1", kT0);
  PositionStore(*db).record({"HS-1", "W1", kT0, {98.505, 39.71}, 5.0});
  Result r = ctl("emergency declare --lon 98.505 --lat 39.711 --radius 300 --title 燃气泄漏 --actor 值班长 "
                 "--now 2026-11-21T09:30:00+08:00 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json e = json::parse(r.out);
  EXPECT_EQ(e["incident"], "YJ20261121-001");
  EXPECT_EQ(e["conference_url"], "https://meet.example.gov.cn/join?room=YJ20261121-001");

  r = ctl("emergency nearby YJ20261121-001 --now 2026-11-21T09:31:00+08:00 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json near = json::parse(r.out);
  ASSERT_EQ(near["workers"].size(), 1u);
  EXPECT_EQ(near["workers"][0]["worker"], "W1");
  EXPECT_EQ(near["areas"][0]["code"], "620902001001");

  EXPECT_EQ(ctl("emergency dispatch YJ20261121-001 --depts fire,police --actor 值班长").exitCode, 0);
  r = ctl("emergency dispatch YJ20261121-001 --depts fire,nosuch --actor 值班长");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("'nosuch' is not in the department directory"), std::string::npos) << r.err;
  r = ctl("emergency alert YJ20261121-001 --actor 值班长 --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)[0]["device"], "HS-1");
  r = ctl("emergency acks YJ20261121-001");
  EXPECT_NE(r.out.find("0 of 1 acknowledged"), std::string::npos) << r.out;
  EXPECT_EQ(ctl("emergency close YJ20261121-001 --actor 值班长").exitCode, 0);
  EXPECT_EQ(ctl("emergency close YJ20261121-001 --actor 值班长").exitCode, 1);

  const std::string csvFile = dir.file("timeline.csv").string();
  r = ctl("emergency timeline YJ20261121-001 --out '" + csvFile + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::ifstream in(csvFile);
  const std::string csv((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(csv.rfind("at,kind,actor,message,data\r\n", 0), 0u) << csv;
  EXPECT_NE(csv.find(",alert,值班长,"), std::string::npos) << csv;
  r = ctl("emergency timeline YJ20261121-001 --format json");
  EXPECT_EQ(json::parse(r.out)["timeline"].size(), 4u);
  r = ctl("emergency declare --lon 98.5 --lat 39.7 --actor x");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--radius is required"), std::string::npos) << r.err;
  r = ctl("emergency timeline YJ19990101-001");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("no emergency 'YJ19990101-001'"), std::string::npos) << r.err;
}

TEST_F(CtlSuperviseTest, ADepartmentAcknowledgesItsNoticeFromTheCommandLine)
{
  const std::string number = caseIn(core::CaseState::Assigned, kT0);
  DepartmentNotice dispatched;
  dispatched.department = "fire";
  dispatched.kind = NoticeKind::Assign;
  dispatched.caseNumber = number;
  dispatched.message = "新派遣";
  const std::int64_t id = DepartmentNotices(*db).create(dispatched, kT0);

  Result r = ctl("supervise notices " + number + " --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  json listed = json::parse(r.out);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(listed[0]["kind"], "assign");
  EXPECT_EQ(listed[0]["acknowledged_by"], "");
  r = ctl("supervise notices --dept fire");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("not acknowledged"), std::string::npos) << r.out;

  r = ctl("supervise ack " + std::to_string(id) + " --actor 李科长 --now 2026-11-16T09:20:00+08:00");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("acknowledged by 李科长 2026-11-16T09:20:00+08:00"), std::string::npos) << r.out;
  const auto acknowledged = DepartmentNotices(*db).find(id);
  EXPECT_EQ(acknowledged->acknowledgedBy, "李科长");
  EXPECT_EQ(acknowledged->acknowledgedAt, core::beijingTime(2026, 11, 16, 9, 20));
  EXPECT_TRUE(DepartmentNotices(*db).pending("fire").empty());

  // Errors say what was wrong.
  r = ctl("supervise ack 999 --actor 李科长");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("there is no notice 999"), std::string::npos) << r.err;
  r = ctl("supervise ack x1 --actor 李科长");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("'x1' is not a notice id"), std::string::npos) << r.err;
  r = ctl("supervise ack " + std::to_string(id));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("--actor is required"), std::string::npos) << r.err;
}
