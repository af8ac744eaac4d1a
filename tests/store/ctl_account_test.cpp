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
