#pragma once
// Runs the real griddispatch-ctl (GD_CTL_PATH) as a shell would, for the ctl tests.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

namespace gd::store::test {

struct CtlResult
{
  int exitCode = -1;
  std::string out;
  std::string err;
};

//! `griddispatch-ctl ARGS` (quoted by the caller), its standard error kept in \a errFile.
inline CtlResult runCtl(const std::string &args, const std::filesystem::path &errFile)
{
  const std::string command = std::string(GD_CTL_PATH) + " " + args + " 2>'" + errFile.string() + "'";
  CtlResult r;
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

} // namespace gd::store::test
