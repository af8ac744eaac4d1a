// griddispatch-ctl account … end to end: the real program on a temporary store, passwords on
// standard input (never on the command line).

#include "ctlrun.h"
#include "storefixture.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using nlohmann::json;

namespace {

class CtlAccountTest : public StoreFixture
{
  protected:
    std::filesystem::path config;

    void SetUp() override
    {
      StoreFixture::SetUp();
      // The shipped rules, but no second factor: TOTP is enrolled at the console, which a
      // command-line test does not have (the TOTP login is tested in store_accountstore_test).
      config = dir.file("config");
      std::filesystem::create_directories(config);
      std::filesystem::copy_file(GD_SOURCE_DIR "/resources/config/permissions.conf", config / "permissions.conf");
      std::ifstream shipped(GD_SOURCE_DIR "/resources/config/accounts.conf");
      std::ofstream accounts(config / "accounts.conf");
      for (std::string line; std::getline(shipped, line);)
        if (line.rfind("totp_roles", 0) != 0)
          accounts << line << "\n";
    }

    //! `griddispatch-ctl ARGS` with \a input on its standard input.
    CtlResult ctl(const std::string &args, const std::string &input = {})
    {
      const auto inputFile = dir.file("stdin.txt");
      std::ofstream(inputFile) << input;
      return runCtl(args + " --config '" + config.string() + "' --db '" + store->dbArgument() + "' < '" +
                      inputFile.string() + "'",
                    dir.file("stderr.txt"));
    }
};

} // namespace

TEST_F(CtlAccountTest, NoDefaultAccountThenAdministratorsWithSeparateDuties)
{
  auto r = ctl("account list");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("0 account(s)"), std::string::npos) << r.out;

  r = ctl("account create-admin sys --name 系统管理员甲", "Install-Pass-2026\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("must be changed at the first login"), std::string::npos) << r.out;
  r = ctl("account create-admin sys2 --name 又一个", "Install-Pass-2026\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("already has a sysadmin"), std::string::npos) << r.err;
  r = ctl("account create-admin weak --name 弱 --role secadmin", "short\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("at least 12 characters"), std::string::npos) << r.err;
  ASSERT_EQ(ctl("account create-admin sec --name 安全管理员乙 --role secadmin", "Install-Pass-2026\n").exitCode, 0);

  // The first login must change the password before anything else.
  r = ctl("account add zhang.san --name 张三 --as sys", "Install-Pass-2026\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("must change its password first"), std::string::npos) << r.err;
  ASSERT_EQ(ctl("account password --as sys", "Install-Pass-2026\nHarbour-Light-2026\n").exitCode, 0);
  ASSERT_EQ(ctl("account password --as sec", "Install-Pass-2026\nGuard-Own-2026\n").exitCode, 0);

  // The system administrator adds; the password is printed once.
  r = ctl("account add zhang.san --name 张三 --as sys", "Harbour-Light-2026\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("initial password: "), std::string::npos) << r.out;
  // ... but may not give roles: that is the security administrator's duty.
  r = ctl("account roles zhang.san duty_operator,dispatcher --as sys", "Harbour-Light-2026\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("role.assign"), std::string::npos) << r.err;
  r = ctl("account roles zhang.san duty_operator,dispatcher --as sec", "Guard-Own-2026\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  // 三员分立, refused with the reason.
  r = ctl("account roles zhang.san sysadmin,auditadmin --as sec", "Guard-Own-2026\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("三员分立"), std::string::npos) << r.err;
  // A wrong password is refused and counted.
  r = ctl("account disable zhang.san --as sys", "Harbour-Light-2025\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("wrong account or password"), std::string::npos) << r.err;

  r = ctl("account list --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json list = json::parse(r.out);
  ASSERT_EQ(list.size(), 3u);
  const json &zhang = list[2];
  EXPECT_EQ(zhang["id"], "zhang.san");
  EXPECT_EQ(zhang["name"], "张三");
  EXPECT_EQ(zhang["roles"], "duty_operator dispatcher");
  EXPECT_TRUE(zhang["must_change_password"]);
  EXPECT_EQ(list[1]["failed_logins"], 1); // sys: the wrong password above
}

TEST_F(CtlAccountTest, SeatsAreAddedByTheSystemAdministratorAndAudited)
{
  db->exec("INSERT INTO grid_township (code, name) VALUES ('620902001', '东北街道')");
  // A store without accounts: whoever runs ctl on it, as every other command.
  const auto credentials = dir.file("ne.credentials");
  auto r = ctl("seat add ne --name 东北街道指挥席 --grid 620902001 --credentials-out '" + credentials.string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("grid 620902001"), std::string::npos) << r.out;
  if (db->isPostgres())
  {
    // The seat's database login, written once with the owner's rights only, never printed.
    std::ifstream file(credentials);
    std::string role, password;
    std::getline(file, role);
    std::getline(file, password);
    EXPECT_EQ(role.rfind("role=", 0), 0u) << role;
    EXPECT_EQ(password.size(), std::string("password=").size() + 24) << password;
    EXPECT_EQ(std::filesystem::status(credentials).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_EQ(r.out.find(password.substr(9)), std::string::npos);
  }
  else
    EXPECT_FALSE(std::filesystem::exists(credentials)); // a file has no roles: --seat names it
  r = ctl("seat add far --name 远 --grid 620902009");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("no grid 620902009"), std::string::npos) << r.err;
  r = ctl("seat list --json");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json seats = json::parse(r.out);
  ASSERT_EQ(seats.size(), 1u);
  EXPECT_EQ(seats[0]["grid"], "620902001");
  EXPECT_EQ(seats[0]["disabled"], false);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM audit_log WHERE action = 'seat_add' AND object = 'ne' AND outcome = 'ok'"), 1);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM audit_log WHERE action = 'seat_add' AND object = 'far' AND outcome = 'failed'"), 1);

  // With accounts: the system administrator's duty, no one else's.
  ASSERT_EQ(ctl("account create-admin sys --name 系统管理员甲", "Install-Pass-2026\n").exitCode, 0);
  ASSERT_EQ(ctl("account create-admin sec --name 安全管理员乙 --role secadmin", "Install-Pass-2026\n").exitCode, 0);
  ASSERT_EQ(ctl("account password --as sys", "Install-Pass-2026\nHarbour-Light-2026\n").exitCode, 0);
  ASSERT_EQ(ctl("account password --as sec", "Install-Pass-2026\nGuard-Own-2026\n").exitCode, 0);
  EXPECT_EQ(ctl("seat disable ne").exitCode, 2); // needs --as
  r = ctl("seat disable ne --as sec", "Guard-Own-2026\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("not a system administrator"), std::string::npos) << r.err;
  r = ctl("seat disable ne --as sys", "Harbour-Light-2026\n");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(ctl("seat list").out.find("disabled"), std::string::npos);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM audit_log WHERE action = 'seat_disable' AND object = 'ne' AND outcome = 'ok'"), 1);
}
