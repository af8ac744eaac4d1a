// Runs the four installed programs as a user would: --help and --version answer, and a bad
// option is refused with a message and exit code 2.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>
#include <sys/wait.h>

namespace {

struct Result
{
  int exitCode = -1;
  std::string output;
};

Result run(const std::string &command)
{
  Result result;
  FILE *pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe)
    return result;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string program(const std::string &name)
{
  return std::string(GD_BINARY_DIR) + "/src/apps/" + name;
}

class Programs : public testing::TestWithParam<std::string>
{
};

} // namespace

TEST_P(Programs, VersionNamesProgramAndVersion)
{
  const std::string name = GetParam();
  const Result result = run(program(name) + " --version");
  EXPECT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find(name.substr(name.find('/') + 1) + " (GridDispatch) "), std::string::npos) << result.output;
}

TEST_P(Programs, HelpDescribesOptions)
{
  const Result result = run(program(GetParam()) + " --help");
  EXPECT_EQ(result.exitCode, 0) << result.output;
  EXPECT_NE(result.output.find("Usage: "), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("--help"), std::string::npos) << result.output;
}

TEST_P(Programs, RefusesUnknownOption)
{
  const Result result = run(program(GetParam()) + " --no-such-option");
  EXPECT_EQ(result.exitCode, 2) << result.output;
  EXPECT_NE(result.output.find("unknown option --no-such-option"), std::string::npos) << result.output;
}

std::vector<std::string> programs()
{
  std::vector<std::string> names{"ctl/griddispatch-ctl", "gateway/griddispatch-gateway", "sim/griddispatch-sim"};
#ifdef GD_WITH_GUI
  names.emplace_back("griddispatch/griddispatch");
#endif
  return names;
}

std::string testName(const testing::TestParamInfo<std::string> &param)
{
  std::string name = param.param.substr(param.param.find('/') + 1);
  for (char &c : name)
    if (c == '-')
      c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(All, Programs, testing::ValuesIn(programs()), testName);
