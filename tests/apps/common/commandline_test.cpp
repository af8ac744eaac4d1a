#include "apps/common/commandline.h"

#include <gtest/gtest.h>

using gd::apps::CommandLine;

namespace {

CommandLine makeCli()
{
  CommandLine cli("tool", "[OPTIONS]", "A tool.");
  cli.addOption("db", "FILE", "the store");
  cli.addFlag("json", "machine-readable output");
  return cli;
}

} // namespace

TEST(CommandLine, ParsesOptionsFlagsAndPositionals)
{
  CommandLine cli = makeCli();
  ASSERT_TRUE(cli.parse({"cases", "--db", "a.gpkg", "--json", "--", "--literal"}));
  EXPECT_EQ(cli.value("db"), "a.gpkg");
  EXPECT_TRUE(cli.has("json"));
  EXPECT_EQ(cli.positional(), (std::vector<std::string>{"cases", "--literal"}));
}

TEST(CommandLine, AcceptsInlineValues)
{
  CommandLine cli = makeCli();
  ASSERT_TRUE(cli.parse({"--db=x.gpkg"}));
  EXPECT_EQ(cli.value("db", ""), "x.gpkg");
}

TEST(CommandLine, UnknownOptionIsNamed)
{
  CommandLine cli = makeCli();
  EXPECT_FALSE(cli.parse({"--dbb", "x"}));
  EXPECT_EQ(cli.error(), "unknown option --dbb");
}

TEST(CommandLine, MissingValueIsNamed)
{
  CommandLine cli = makeCli();
  EXPECT_FALSE(cli.parse({"--db"}));
  EXPECT_EQ(cli.error(), "option --db needs a value (FILE)");
}

TEST(CommandLine, FlagRefusesValue)
{
  CommandLine cli = makeCli();
  EXPECT_FALSE(cli.parse({"--json=yes"}));
  EXPECT_EQ(cli.error(), "option --json takes no value");
}

TEST(CommandLine, HelpListsEveryOption)
{
  CommandLine cli = makeCli();
  const std::string help = cli.helpText();
  for (const char *expected : {"Usage: tool [OPTIONS]", "--db FILE", "--json", "--help", "--version", "the store"})
    EXPECT_NE(help.find(expected), std::string::npos) << expected;
}

TEST(CommandLine, StandardHandlingStopsOnHelpAndErrors)
{
  CommandLine cli = makeCli();
  EXPECT_EQ(cli.handleStandard(cli.parse({"--bogus"})), 2);
  testing::internal::CaptureStdout();
  EXPECT_EQ(cli.handleStandard(cli.parse({"--version"})), 0);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("tool (GridDispatch) "), std::string::npos);
  EXPECT_EQ(cli.handleStandard(cli.parse({"--db", "x"})), std::nullopt);
}
