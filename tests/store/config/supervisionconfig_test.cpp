// supervision.conf and conference.conf read from a configuration directory.
#include "store/config/supervisionconfig.h"

#include "core/configerror.h"
#include "../tempdir.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace gd;
using namespace gd::store;

namespace {

void write(const std::filesystem::path &path, const std::string &text)
{
  std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST(SupervisionSettings, TheShippedDirectoryHasRulesAndAConferenceLink)
{
  const auto settings = SupervisionSettings::load(std::filesystem::path(GD_SOURCE_DIR) / "resources" / "config");
  ASSERT_TRUE(settings.supervision.escalateOverdue);
  EXPECT_EQ(settings.supervision.superviseRework, 2);
  EXPECT_NE(settings.supervision.source.find("supervision.conf"), std::string::npos);
  EXPECT_TRUE(settings.conference.enabled());
}

TEST(SupervisionSettings, MissingFilesTurnTheFeaturesOff)
{
  test::TempDir dir;
  const auto settings = SupervisionSettings::load(dir.path());
  EXPECT_FALSE(settings.supervision.escalateOverdue);
  EXPECT_EQ(settings.supervision.superviseRework, 0);
  EXPECT_FALSE(settings.conference.enabled());
}

TEST(SupervisionSettings, ErrorsNameTheFileAndLine)
{
  test::TempDir dir;
  write(dir.file("supervision.conf"), "# rules\nescalate_overdue 4wh\nsupervise_rework two\n");
  try
  {
    SupervisionSettings::load(dir.path());
    FAIL() << "a bad supervise_rework was accepted";
  }
  catch (const core::ConfigError &e)
  {
    EXPECT_EQ(e.source(), dir.file("supervision.conf").string());
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(std::string(e.what()).find(dir.file("supervision.conf").string() + ":3: supervise_rework 'two'"), 0u) << e.what();
  }
  write(dir.file("supervision.conf"), "escalate_overdue 2wd\n");
  write(dir.file("conference.conf"), "\n\nmeeting_link https://meet.example.gov.cn/join?room=fixed\n");
  try
  {
    SupervisionSettings::load(dir.path());
    FAIL() << "a link without {incident} was accepted";
  }
  catch (const core::ConfigError &e)
  {
    EXPECT_EQ(std::string(e.what()).find(dir.file("conference.conf").string() + ":3: the meeting link must contain {incident}"), 0u)
      << e.what();
  }
}
