// griddispatch-ctl audit … and the audit rows ctl's changing commands leave (issue 17): the
// real program on a store on either backend.

#include "audit/audittamper.h"
#include "ctlrun.h"
#include "storefixture.h"

#include <nlohmann/json.hpp>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using nlohmann::json;

namespace {

class CtlAuditTest : public StoreFixture
{
  protected:
    CtlResult ctl(const std::string &args)
    {
      return runCtl(args + " --db '" + store->dbArgument() + "'", dir.file("stderr.txt"));
    }

    json auditRows(const std::string &filters = "")
    {
      const CtlResult r = ctl("audit list --json " + filters);
      EXPECT_EQ(r.exitCode, 0) << r.err;
      return json::parse(r.out);
    }

    static std::string osUser() { return ::getpwuid(::geteuid())->pw_name; }
    static std::string hostName()
    {
      char host[256] = {};
      ::gethostname(host, sizeof host - 1);
      return host;
    }
};

} // namespace

TEST_F(CtlAuditTest, ChangingCommandsLeaveRowsWithTheOsUserAndHostWhateverTheirOutcome)
{
  const auto expectExit = [this](const std::string &args, int code) {
    const CtlResult r = ctl(args);
    EXPECT_EQ(r.exitCode, code) << args << ": " << r.err;
  };
  expectExit("device add pad-1 --worker w-1", 0);
  expectExit("device revoke pad-1", 0);
  expectExit("device revoke pad-9", 1);
  expectExit("export --out '" + dir.file("cases.csv").string() + "'", 0);
  expectExit("supervise run", 0);
  expectExit("import-grids '" + dir.file("missing.gpkg").string() + "'", 1);
  // Reading changes nothing and is not recorded.
  expectExit("device list", 0);
  expectExit("cases", 0);

  const json rows = auditRows();
  ASSERT_EQ(rows.size(), 6u) << rows.dump(2);
  const std::vector<std::tuple<std::string, std::string, std::string>> expected = {
    {"device_add", "pad-1", "ok"},   {"device_revoke", "pad-1", "ok"},
    {"device_revoke", "pad-9", "failed"}, {"export", dir.file("cases.csv").string(), "ok"},
    {"supervision_change", "", "ok"},  {"grid_import", dir.file("missing.gpkg").string(), "failed"}};
  for (std::size_t i = 0; i < expected.size(); ++i)
  {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i]["action"], std::get<0>(expected[i]));
    EXPECT_EQ(rows[i]["object"], std::get<1>(expected[i]));
    EXPECT_EQ(rows[i]["outcome"], std::get<2>(expected[i]));
    EXPECT_EQ(rows[i]["actor_id"], osUser());
    EXPECT_EQ(rows[i]["host"], hostName());
  }
  EXPECT_NE(rows[0]["detail"].get<std::string>().find("--worker w-1"), std::string::npos) << rows[0]["detail"];
  EXPECT_NE(rows[2]["reason"].get<std::string>().find("no device 'pad-9'"), std::string::npos) << rows[2]["reason"];
  EXPECT_EQ(auditRows("--action device_revoke").size(), 2u);
  EXPECT_EQ(ctl("audit verify").exitCode, 0);
}

TEST_F(CtlAuditTest, VerifyNamesTheTamperedRowSealsHoldOnlyUnderTheKeyAndInspectorsGetCsv)
{
  const std::string key = dir.file("audit.key").string();
  CtlResult r = ctl("audit keygen --out '" + key + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  struct stat st{};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ctl("audit keygen --out '" + key + "'").exitCode, 1); // never overwritten
  const std::string wrong = dir.file("wrong.key").string();
  ASSERT_EQ(ctl("audit keygen --out '" + wrong + "'").exitCode, 0);

  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(ctl("device add pad-" + std::to_string(i) + " --worker w").exitCode, 0);
  r = ctl("audit seal --key '" + key + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("seal 1 through row 4"), std::string::npos) << r.out;
  r = ctl("audit verify --key '" + key + "'");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("holds"), std::string::npos) << r.out;
  r = ctl("audit verify --key '" + wrong + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find("DOES NOT HOLD"), std::string::npos) << r.out;

  r = ctl("audit export --out '" + dir.file("audit.csv").string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::ifstream csv(dir.file("audit.csv"));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "id,at,actor_id,actor_name,host,action,object,detail,outcome,reason,link");
  std::string line;
  int lines = 0;
  while (std::getline(csv, line))
    ++lines;
  EXPECT_EQ(lines, 4);
  EXPECT_EQ(auditRows("--action audit_export").size(), 1u); // the export is itself recorded

  // Archiving rows younger than 180 days is refused.
  r = ctl("audit archive --before 2026-12-01 --out '" + dir.file("a.audit").string() + "' --key '" + key + "'");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("180 days"), std::string::npos) << r.err;

  tamperAudit(*store, "UPDATE audit_log SET object = 'pad-X' WHERE id = 2");
  r = ctl("audit verify");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("edited: row 2"), std::string::npos) << r.err;
  // The store's whole check says so too.
  r = ctl("verify");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("audit log: edited: row 2"), std::string::npos) << r.err;
}

TEST_F(CtlAuditTest, ACopyCarriesTheAuditChainLinkByLinkAndRecordsItself)
{
  const std::string key = dir.file("audit.key").string();
  ASSERT_EQ(ctl("audit keygen --out '" + key + "'").exitCode, 0);
  ASSERT_EQ(ctl("device add pad-1 --worker w").exitCode, 0);
  ASSERT_EQ(ctl("audit seal --key '" + key + "'").exitCode, 0);
  // Into a new GeoPackage file (from a file or a database, as this run's store is).
  const std::string copy = dir.file("copy.gpkg").string();
  CtlResult r = runCtl("copy --from '" + store->dbArgument() + "' --to '" + copy + "'", dir.file("stderr.txt"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = runCtl("audit verify --key '" + key + "' --json --db '" + copy + "'", dir.file("stderr.txt"));
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["last"], 3); // device_add, the seal's row, and the copy's own row in the copy
  EXPECT_EQ(report["seals"][0]["holds"], true);
  r = runCtl("audit list --json --action store_copy --db '" + copy + "'", dir.file("stderr.txt"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json rows = json::parse(r.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["object"], copy);
  EXPECT_EQ(rows[0]["actor_id"], osUser());
}
