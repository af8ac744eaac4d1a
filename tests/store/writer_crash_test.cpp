// Crash safety of the writer: a child process ingests through the Writer and reports every
// acknowledged (committed) change through a pipe; the parent SIGKILLs it mid-stream, reopens
// the store and checks that every acknowledged change is there, that no case is half-written
// (projection == replay of its events) and that SQLite's integrity check passes.

#include "store/writer.h"

#include "store/storeerror.h"
#include "storefixture.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;

namespace {

const core::TimePoint kStart = core::beijingTime(2026, 11, 23, 9, 0);

[[noreturn]] void childMain(const std::filesystem::path &file, int fd, const core::Workflow &workflow,
                            const core::SlaClock &clock)
{
  try
  {
    Writer writer(file, 64);
    std::atomic<int> reported{0};
    std::atomic<int> inFlight{0}; // keeps the queue bounded: the parent kills us at any moment anyway
    std::vector<std::string> numbers; // touched only on the writer thread
    auto send = [fd](const std::string &line) {
      // One write per line: lines up to PIPE_BUF are atomic.
      if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        _exit(3);
    };
    for (int i = 0;; ++i)
    {
      const core::TimePoint at = kStart + std::chrono::seconds(i);
      while (inFlight.load() > 256)
        std::this_thread::yield();
      ++inFlight;
      auto acknowledged = std::make_shared<std::string>();
      if (i % 3 != 2 || reported.load() == 0)
      {
        writer.submit(
          [&, at, acknowledged](Database &db) {
            core::CaseCommand c;
            c.action = core::CaseAction::Report;
            c.actor = "crash-test";
            c.at = at;
            c.details = {.category = "0301", .lon = 98.51, .lat = 39.74, .grid = kMicroA, .title = "t"};
            const std::string number = CaseStore(db, workflow, &clock).report(c);
            numbers.push_back(number);
            *acknowledged = "R " + number + " 1\n";
          },
          [&, acknowledged](std::exception_ptr e) {
            if (!e)
            {
              ++reported;
              send(*acknowledged);
            }
            --inFlight;
          });
      }
      else
      {
        writer.submit(
          [&, at, acknowledged, i](Database &db) {
            // Register one of the reported cases (refused harmlessly when already registered).
            const std::string number = numbers[static_cast<std::size_t>(i) % numbers.size()];
            core::CaseCommand c;
            c.action = core::CaseAction::Register;
            c.actor = "crash-test";
            c.at = at;
            CaseStore store(db, workflow, &clock);
            store.apply(number, c);
            *acknowledged = "E " + number + " " + std::to_string(store.find(number)->lastSeq) + "\n";
          },
          [&, acknowledged](std::exception_ptr e) {
            if (!e)
              send(*acknowledged);
            --inFlight;
          });
      }
    }
  }
  catch (...)
  {
    _exit(2);
  }
}

} // namespace

class StoreWriterCrashTest : public StoreFixture
{
};

TEST_F(StoreWriterCrashTest, EveryAcknowledgedChangeSurvivesSigkill)
{
  const std::filesystem::path file = db->path();
  cases.reset();
  db.reset();

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0)
  {
    close(fds[0]);
    childMain(file, fds[1], *workflow, *clock);
  }
  close(fds[1]);

  // Read acknowledgements until enough have arrived, then kill the child mid-stream.
  std::map<std::string, std::int64_t> acknowledged; // case number -> highest acknowledged seq
  std::string pending;
  std::size_t lines = 0;
  char buffer[4096];
  while (lines < 600)
  {
    const ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n <= 0)
      break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t eol;
    while ((eol = pending.find('\n')) != std::string::npos)
    {
      std::istringstream line(pending.substr(0, eol));
      pending.erase(0, eol + 1);
      std::string kind, number;
      std::int64_t seq = 0;
      line >> kind >> number >> seq;
      acknowledged[number] = std::max(acknowledged[number], seq);
      ++lines;
    }
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended by itself (status " << status << ")";
  ASSERT_GE(lines, 600u) << "the child stopped acknowledging early";

  // Reopen as the restarted gateway would.
  db = Schema::open(file);
  cases = std::make_unique<CaseStore>(*db, *workflow, clock.get());
  auto check = db->query("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check->columnText(0), "ok");
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), 0);

  for (const auto &[number, seq] : acknowledged)
  {
    const auto record = cases->find(number);
    ASSERT_TRUE(record) << "acknowledged case " << number << " is missing";
    EXPECT_GE(record->lastSeq, seq) << number;
  }
  // No half-written case: every projection row equals the replay of its events.
  std::size_t checked = 0;
  for (const std::string &number : cases->numbers())
  {
    const auto stored = cases->find(number);
    const auto events = cases->events(number);
    ASSERT_FALSE(events.empty()) << number << " has a projection but no events";
    const auto replayed = cases->project(*cases->load(number));
    EXPECT_EQ(stored->state, replayed.state) << number;
    EXPECT_EQ(stored->lastSeq, static_cast<std::int64_t>(events.size())) << number;
    EXPECT_EQ(stored->deadline, replayed.deadline) << number;
    ++checked;
  }
  EXPECT_GE(checked, acknowledged.size());
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM case_events e WHERE NOT EXISTS "
                          "(SELECT 1 FROM cases c WHERE c.id = e.case_id)"),
            0);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM (SELECT case_id FROM case_events GROUP BY case_id "
                          "HAVING max(seq) != count(*))"),
            0);
}
