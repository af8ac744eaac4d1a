// The configuration directory: every file read, and problems named by file and line.

#include "store/config/configdir.h"

#include "core/configerror.h"
#include "../tempdir.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

const std::filesystem::path kDefault = std::filesystem::path(GD_SOURCE_DIR) / "resources" / "config";

class ConfigDirectoryTest : public ::testing::Test
{
  protected:
    //! The project's configuration with routing.conf replaced by \a rules ("" removes the file).
    std::filesystem::path withRouting(const std::string &rules)
    {
      const auto config = dir.file("config");
      std::filesystem::remove_all(config);
      std::filesystem::copy(kDefault, config, std::filesystem::copy_options::recursive);
      if (rules.empty())
        std::filesystem::remove(config / "routing.conf");
      else
        std::ofstream(config / "routing.conf") << rules;
      return config;
    }

    TempDir dir;
};

} // namespace

TEST_F(ConfigDirectoryTest, TheProjectsConfigurationLoads)
{
  const auto config = ConfigDirectory::load(kDefault);
  EXPECT_FALSE(config->catalog.categories().empty());
  // The shipped routing.conf only explains itself: every category goes to its default department.
  EXPECT_TRUE(config->routing.rules().empty());
  EXPECT_EQ(config->routing.suggest("0301", "620902001001001001").department, "fire");
}

TEST_F(ConfigDirectoryTest, RoutingRulesOverrideTheCategoryDefault)
{
  const auto path = withRouting("# township 620902001 sends neighbour disputes to its judicial office\n"
                                "620902001 | 0101 | judicial_office\n"
                                "620902001 | 03   | township\n");
  const auto config = ConfigDirectory::load(path);
  ASSERT_EQ(config->routing.rules().size(), 2u);
  const auto dispute = config->routing.suggest("0101", "620902001002003004");
  EXPECT_EQ(dispute.department, "judicial_office");
  EXPECT_EQ(dispute.reason, "rule " + (path / "routing.conf").string() + ":2 (grid 620902001, 0101)");
  EXPECT_EQ(config->routing.suggest("0301", "620902001002").department, "township");
  EXPECT_EQ(config->routing.suggest("0301", "620902002001").department, "fire"); // another township
  EXPECT_TRUE(ConfigDirectory::load(withRouting(""))->routing.rules().empty()); // the file is optional
}

TEST_F(ConfigDirectoryTest, BadRoutingRulesNameTheFileAndLine)
{
  const auto expectError = [&](const std::string &rules, int line, const std::string &problem) {
    const auto path = withRouting(rules);
    try
    {
      ConfigDirectory::load(path);
      FAIL() << "accepted: " << rules;
    }
    catch (const core::ConfigError &e)
    {
      EXPECT_EQ(e.source(), (path / "routing.conf").string());
      EXPECT_EQ(e.line(), line) << e.what();
      EXPECT_NE(e.problem().find(problem), std::string::npos) << e.what();
    }
  };
  expectError("620902 | 01 | justice\n\n620902 | 77 | police\n", 3, "'77'");
  expectError("620902 | 01 | justice\n620902001 | * | no_such_office\n", 2, "department 'no_such_office' is not in");
  expectError("62090 | 01 | justice\n", 1, "62090");
  expectError("620902 | 01\n", 1, "3 fields");
}
