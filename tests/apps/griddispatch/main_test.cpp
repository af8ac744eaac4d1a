// The console as a process, as an operator (or systemd, or a shell) runs it: `griddispatch
// --demo` killed with SIGTERM starts again at once, five times in a row, and each new
// simulator's reports are stored; its simulator dies with it even on SIGKILL and inherits
// neither the gateway's listening socket nor the store; --focus waits for the queue.
// Real programs, real signals, a temporary HOME and store, the offscreen Qt platform.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string program(const std::string &name)
{
  return std::string(GD_BINARY_DIR) + "/src/apps/" + name;
}

std::string readFile(const fs::path &path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

//! Runs a command to its end; its stdout.
std::string output(const std::string &command)
{
  std::string out;
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return out;
  std::array<char, 4096> buffer{};
  while (const std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

//! A port nothing listens on now (the kernel's pick), for the console's gateway.
int freePort()
{
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
      || ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
    return 0;
  ::close(fd);
  return ntohs(address.sin_port);
}

//! The command lines of running processes that mention \a needle: pid -> arguments.
std::vector<std::pair<pid_t, std::string>> processesMentioning(const std::string &needle)
{
  std::vector<std::pair<pid_t, std::string>> found;
  for (const auto &entry : fs::directory_iterator("/proc"))
  {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos)
      continue;
    std::string command = readFile(entry.path() / "cmdline");
    std::replace(command.begin(), command.end(), '\0', ' ');
    // A zombie has no command line: it holds nothing and waits for its parent.
    if (command.find(needle) != std::string::npos)
      found.emplace_back(static_cast<pid_t>(std::stol(name)), command);
  }
  return found;
}

//! The socket inode of the TCP listener on 127.0.0.1:\a port, or an empty string.
std::string listenerInode(int port)
{
  std::istringstream table(readFile("/proc/net/tcp"));
  std::string line;
  std::getline(table, line); // header
  char wanted[16];
  std::snprintf(wanted, sizeof wanted, ":%04X", port);
  while (std::getline(table, line))
  {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
    if (state == "0A" && local.size() > 5 && local.substr(local.size() - 5) == wanted)
      return inode;
  }
  return {};
}

//! What \a pid's descriptors point at ("socket:[123]", "/tmp/x/demo.gpkg", ...).
std::vector<std::string> descriptorsOf(pid_t pid)
{
  std::vector<std::string> targets;
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec))
  {
    std::error_code linkError;
    const fs::path target = fs::read_symlink(entry.path(), linkError);
    if (!linkError)
      targets.push_back(target.string());
  }
  return targets;
}

//! Polls \a done every 250 ms; false after \a timeout.
bool waitUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout)
{
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done())
  {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(250ms);
  }
  return true;
}

//! What the store holds of the field: the sum of every device's last_seq, and the cases.
struct StoreCounts
{
  long long seqSum = 0;
  int cases = 0;
  std::string firstCase;
};

class ConsoleProcess : public testing::Test
{
  protected:
    void SetUp() override
    {
      char pattern[] = "/tmp/gd-console-process-XXXXXX";
      ASSERT_NE(::mkdtemp(pattern), nullptr);
      mDir = pattern;
      mStore = (mDir / "demo.gpkg").string();
      mPort = freePort();
      ASSERT_NE(mPort, 0);
    }

    void TearDown() override
    {
      for (const pid_t pid : mStarted)
        if (::kill(pid, 0) == 0)
        {
          ::kill(pid, SIGKILL);
          ::waitpid(pid, nullptr, 0);
        }
      for (const auto &[pid, command] : processesMentioning(mDir.string()))
        ::kill(pid, SIGKILL);
      std::error_code ignored;
      fs::remove_all(mDir, ignored);
    }

    //! Starts griddispatch with \a arguments, HOME and XDG paths in the test's directory and
    //! stdout and stderr into \a log.
    pid_t start(const std::vector<std::string> &arguments, const fs::path &log)
    {
      const std::string executable = program("griddispatch/griddispatch");
      std::vector<std::string> args{executable};
      args.insert(args.end(), arguments.begin(), arguments.end());
      const pid_t pid = ::fork();
      if (pid == 0)
      {
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::setenv("HOME", mDir.c_str(), 1);
        ::setenv("XDG_CONFIG_HOME", (mDir / "config").c_str(), 1);
        ::setenv("XDG_DATA_HOME", (mDir / "data").c_str(), 1);
        ::setenv("XDG_CACHE_HOME", (mDir / "cache").c_str(), 1);
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        ::setenv("LANG", "C.UTF-8", 1);
        std::vector<char *> argv;
        for (std::string &a : args)
          argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(executable.c_str(), argv.data());
        ::_exit(127);
      }
      mStarted.push_back(pid);
      return pid;
    }

    pid_t startDemo(const fs::path &log)
    {
      return start({"--demo", "--db", mStore, "--listen", "127.0.0.1:" + std::to_string(mPort), "--terminals", "100", "--lang", "en"}, log);
    }

    //! Waits for \a pid to end; its wait status, or -1 when it still runs after \a timeout.
    static int waitExit(pid_t pid, std::chrono::milliseconds timeout)
    {
      int status = -1;
      waitUntil([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, timeout);
      return status;
    }

    static bool running(pid_t pid)
    {
      int status = 0;
      return ::waitpid(pid, &status, WNOHANG) == 0;
    }

    StoreCounts counts() const
    {
      StoreCounts c;
      if (!fs::exists(mStore))
        return c;
      const std::string devices = output(program("ctl/griddispatch-ctl") + " device list --json --db " + mStore + " 2>/dev/null");
      static const std::regex seq("\"last_seq\":\\s*([0-9]+)");
      for (auto it = std::sregex_iterator(devices.begin(), devices.end(), seq); it != std::sregex_iterator(); ++it)
        c.seqSum += std::stoll((*it)[1]);
      const std::string cases = output(program("ctl/griddispatch-ctl") + " cases --json --limit 1000000 --db " + mStore + " 2>/dev/null");
      static const std::regex number("\"number\":\\s*\"([^\"]+)\"");
      for (auto it = std::sregex_iterator(cases.begin(), cases.end(), number); it != std::sregex_iterator(); ++it)
      {
        if (c.cases == 0)
          c.firstCase = (*it)[1];
        ++c.cases;
      }
      return c;
    }

    //! The simulator the console started (found by the credentials file it reads).
    std::vector<std::pair<pid_t, std::string>> simulators() const
    {
      return processesMentioning(mStore + ".credentials");
    }

    fs::path mDir;
    std::string mStore;
    int mPort = 0;
    std::vector<pid_t> mStarted;
};

} // namespace

TEST_F(ConsoleProcess, RestartsAtOnceAfterSigtermFiveTimesStoringEachNewSimulatorsReports)
{
  StoreCounts before;
  for (int round = 1; round <= 5; ++round)
  {
    SCOPED_TRACE("round " + std::to_string(round));
    const fs::path log = mDir / ("console-" + std::to_string(round) + ".log");
    const pid_t console = startDemo(log);
    // The first round also generates the demo district.
    StoreCounts now;
    const bool stored = waitUntil(
      [&] {
        if (!running(console))
          return true;
        now = counts();
        return now.seqSum >= before.seqSum + 50 && now.cases > before.cases;
      },
      120s);
    ASSERT_TRUE(stored && running(console)) << "the store went from last_seq sum " << before.seqSum << " and " << before.cases
                                            << " cases to " << now.seqSum << " and " << now.cases << "; console log:\n"
                                            << readFile(log);

    // The simulator holds neither the gateway's listening socket nor the store.
    const auto sims = simulators();
    ASSERT_EQ(sims.size(), 1u) << readFile(log);
    const std::string listener = listenerInode(mPort);
    ASSERT_FALSE(listener.empty());
    for (const std::string &target : descriptorsOf(sims.front().first))
    {
      EXPECT_NE(target, "socket:[" + listener + "]") << "griddispatch-sim inherited the gateway's listening socket";
      EXPECT_EQ(target.find("demo.gpkg"), std::string::npos) << "griddispatch-sim holds " << target;
    }

    ASSERT_EQ(::kill(console, SIGTERM), 0);
    const int status = waitExit(console, 30s);
    // (Killed by the signal, as before, it left an orphaned simulator holding the port.)
    EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status << "; console log:\n"
                                                                                << readFile(log);
    EXPECT_TRUE(simulators().empty()) << "griddispatch-sim outlived the console: " << simulators().front().second;
    // Shut down in order: the simulator's last frames acknowledged, none of them a duplicate.
    const std::string text = readFile(log);
    EXPECT_NE(text.find("SIGTERM: shutting down"), std::string::npos) << text;
    EXPECT_TRUE(std::regex_search(text, std::regex("feed: [1-9][0-9]* frames stored, 0 duplicates"))) << text;
    before = counts();
  }
}

TEST_F(ConsoleProcess, SimulatorDiesWithAKilledConsole)
{
  const fs::path log = mDir / "console.log";
  const pid_t console = startDemo(log);
  ASSERT_TRUE(waitUntil([&] { return !running(console) || counts().seqSum > 0; }, 120s) && running(console)) << readFile(log);
  ASSERT_EQ(simulators().size(), 1u) << readFile(log);
  // No orderly shutdown can run: the kernel must end the simulator (PR_SET_PDEATHSIG).
  ASSERT_EQ(::kill(console, SIGKILL), 0);
  EXPECT_NE(waitExit(console, 10s), -1);
  EXPECT_TRUE(waitUntil([&] { return simulators().empty(); }, 10s)) << "griddispatch-sim outlived the killed console";

  // And the next console gets the port.
  const fs::path again = mDir / "console-again.log";
  const pid_t next = startDemo(again);
  const long long seqs = counts().seqSum;
  EXPECT_TRUE(waitUntil([&] { return !running(next) || counts().seqSum > seqs; }, 60s) && running(next)) << readFile(again);
  ::kill(next, SIGTERM);
  const int status = waitExit(next, 30s);
  EXPECT_TRUE(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0) << readFile(again);
}

TEST_F(ConsoleProcess, FocusWaitsForTheQueueThenSelectsTheCase)
{
  // A store with a case: the demo's terminals report one.
  const fs::path demoLog = mDir / "demo.log";
  const pid_t demo = startDemo(demoLog);
  StoreCounts c;
  ASSERT_TRUE(waitUntil([&] { return !running(demo) || (c = counts()).cases > 0; }, 120s) && running(demo)) << readFile(demoLog);
  ::kill(demo, SIGTERM);
  ASSERT_NE(waitExit(demo, 30s), -1) << readFile(demoLog);

  const fs::path log = mDir / "focus.log";
  const pid_t console = start({"--db", mStore, "--no-gateway", "--lang", "en", "--focus", c.firstCase}, log);
  // The whole line: the console's stderr may be read between two of its writes.
  const auto focusLine = [](const std::string &text) {
    const auto at = text.find("--focus: ");
    return at != std::string::npos && text.find('\n', at) != std::string::npos;
  };
  EXPECT_TRUE(waitUntil([&] { return focusLine(readFile(log)) || !running(console); }, 60s));
  EXPECT_NE(readFile(log).find("griddispatch: --focus: found case " + c.firstCase), std::string::npos) << readFile(log);
  ::kill(console, SIGTERM);
  EXPECT_NE(waitExit(console, 30s), -1);

  const fs::path missingLog = mDir / "missing.log";
  const pid_t missing = start({"--db", mStore, "--no-gateway", "--lang", "en", "--focus", "NO-SUCH-CASE-77"}, missingLog);
  EXPECT_TRUE(waitUntil([&] { return focusLine(readFile(missingLog)) || !running(missing); }, 60s));
  EXPECT_NE(readFile(missingLog).find("griddispatch: --focus: no case, grid or place matches 'NO-SUCH-CASE-77'"), std::string::npos)
    << readFile(missingLog);
  ::kill(missing, SIGTERM);
  EXPECT_NE(waitExit(missing, 30s), -1);
}
