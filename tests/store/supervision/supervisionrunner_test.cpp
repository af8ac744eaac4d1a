// The supervision rules on a real store file: each firing happens once and only once — run
// after run, after the store is reopened, and with two connections running at the same time.
#include "store/supervision/supervisionrunner.h"

#include "store/supervision/supervisionscheduler.h"
#include "store/supervision/supervisionstore.h"
#include "../storefixture.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

using namespace gd;
using namespace gd::store;
using namespace gd::store::test;
using A = core::CaseAction;

namespace {

core::TimePoint bj(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0)
{
  return core::beijingTime(y, m, d, h, min, s);
}

class SupervisionRunnerTest : public StoreFixture
{
  protected:
    void SetUp() override
    {
      StoreFixture::SetUp();
      useRules("escalate_overdue 4wh\nsupervise_rework 2\n");
    }

    void useRules(const std::string &text)
    {
      runner.reset();
      rules = std::make_unique<core::SupervisionRules>(core::SupervisionConfig::parse(text, "supervision.conf"),
                                                       config->calendar);
      runner = std::make_unique<SupervisionRunner>(*rules, *workflow, *clock);
    }

    //! A 0301 case assigned at \a at (handle 3wd), reported in \a grid.
    std::string assigned(core::TimePoint at, const std::string &grid = kMicroA)
    {
      const std::string number = cases->report(reportCommand(at - std::chrono::minutes(60), "0301", grid));
      cases->apply(number, command(A::Register, at - std::chrono::minutes(50)));
      cases->apply(number, command(A::Accept, at - std::chrono::minutes(40)));
      cases->apply(number, command(A::Assign, at, {{"lead", "fire"}, {"worker", "worker-7"}}));
      return number;
    }

    std::int64_t eventsOf(const std::string &number, A action)
    {
      std::int64_t n = 0;
      for (const auto &e : cases->events(number))
        n += e.action == action ? 1 : 0;
      return n;
    }

    std::unique_ptr<core::SupervisionRules> rules;
    std::unique_ptr<SupervisionRunner> runner;
};

} // namespace

// Assigned 2026-09-30 10:00 (3wd over the National Day holidays): deadline 10-10 18:00 (a 调休
// Saturday); 4 working hours later is Monday 10-12 15:00.
TEST_F(SupervisionRunnerTest, EscalationFiresOnceWhenTheSpanRunsOutAndAgainOnlyForANewStage)
{
  const std::string number = assigned(bj(2026, 9, 30, 10));
  EXPECT_TRUE(runner->run(*db, bj(2026, 10, 10, 18, 0, 1)).fired.empty()); // overdue, but not by 4 working hours
  EXPECT_TRUE(runner->run(*db, bj(2026, 10, 12, 14, 59, 59)).fired.empty());

  const auto first = runner->run(*db, bj(2026, 10, 12, 15));
  ASSERT_EQ(first.fired.size(), 1u);
  EXPECT_EQ(first.fired[0].caseNumber, number);
  EXPECT_EQ(first.fired[0].rule, "escalate_overdue");
  EXPECT_EQ(first.fired[0].occurrence, "handle@2026-09-30T02:00:00Z");
  EXPECT_EQ(first.fired[0].action, A::Escalate);
  const auto record = cases->find(number);
  EXPECT_EQ(record->state, core::CaseState::Accepted);
  EXPECT_EQ(record->responsibleGrid, "620902001001001");
  const core::CaseEvent event = cases->events(number).back();
  EXPECT_EQ(event.action, A::Escalate);
  EXPECT_EQ(event.actor, "rule:escalate_overdue");
  EXPECT_EQ(event.at, bj(2026, 10, 12, 15));
  EXPECT_NE(event.note.find("the handle stage is overdue by more than 4 working hours"), std::string::npos) << event.note;
  EXPECT_EQ(event.details.rule, "escalate_overdue");
  EXPECT_EQ(first.fired[0].eventSeq, record->lastSeq);
  EXPECT_FALSE(first.more);

  // Again and again: nothing more for that stage.
  for (int minutes : {0, 1, 30, 60})
    EXPECT_TRUE(runner->run(*db, bj(2026, 10, 12, 15) + std::chrono::minutes(minutes)).fired.empty());
  EXPECT_EQ(eventsOf(number, A::Escalate), 1);

  // Escalation restarted the dispatch stage; left undispatched, that stage is late in turn and
  // the case goes one more level up, once.
  const auto second = runner->run(*db, bj(2026, 10, 20, 9));
  ASSERT_EQ(second.fired.size(), 1u);
  EXPECT_EQ(second.fired[0].occurrence, "dispatch@2026-10-12T07:00:00Z");
  EXPECT_EQ(cases->find(number)->responsibleGrid, "620902001001");
  EXPECT_TRUE(runner->run(*db, bj(2026, 10, 20, 9)).fired.empty());
  EXPECT_EQ(eventsOf(number, A::Escalate), 2);
  const auto firings = SupervisionRunner::firings(*db, number);
  ASSERT_EQ(firings.size(), 2u);
  EXPECT_EQ(firings[1].reason, second.fired[0].reason);
  EXPECT_EQ(SupervisionRunner::recentFirings(*db, bj(2026, 10, 20, 0)).size(), 1u);
  EXPECT_EQ(cases->verifyProjections(), std::vector<std::string>());
}

TEST_F(SupervisionRunnerTest, NothingFiresTwiceAfterTheStoreIsReopened)
{
  const std::string number = assigned(bj(2026, 9, 30, 10));
  ASSERT_EQ(runner->run(*db, bj(2026, 10, 12, 16)).fired.size(), 1u);
  cases.reset();
  db.reset();
  db = Schema::open(store->location());
  cases = std::make_unique<CaseStore>(*db, *workflow, clock.get());
  SupervisionRunner fresh(*rules, *workflow, *clock);
  EXPECT_TRUE(fresh.run(*db, bj(2026, 10, 12, 16)).fired.empty());
  EXPECT_EQ(eventsOf(number, A::Escalate), 1);
}

TEST_F(SupervisionRunnerTest, TwoConnectionsRunningAtOnceFireEachRuleOnce)
{
  std::vector<std::string> numbers;
  for (int i = 0; i < 30; ++i)
    numbers.push_back(assigned(bj(2026, 9, 30, 10) + std::chrono::minutes(i), i % 2 ? kMicroA : kMicroC));
  std::atomic<int> fired{0};
  std::atomic<int> errors{0};
  const auto worker = [&](int seed) {
    try
    {
      auto own = Schema::open(store->location());
      SupervisionRunner mine(*rules, *workflow, *clock);
      for (int round = 0; round < 15; ++round)
      {
        // Small batches so the two runners interleave over the candidates.
        const auto result = mine.run(*own, bj(2026, 10, 14, 9) + std::chrono::seconds(seed), 4);
        fired += static_cast<int>(result.fired.size());
      }
    }
    catch (const std::exception &)
    {
      ++errors;
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(fired.load(), 30);
  for (const std::string &number : numbers)
    EXPECT_EQ(eventsOf(number, A::Escalate), 1) << number;
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rule_firings"), 30);
  EXPECT_EQ(cases->verifyProjections(), std::vector<std::string>());
}

TEST_F(SupervisionRunnerTest, ALimitedRunSaysThereIsMore)
{
  for (int i = 0; i < 7; ++i)
    assigned(bj(2026, 9, 30, 10) + std::chrono::minutes(i));
  const auto first = runner->run(*db, bj(2026, 10, 14, 9), 5);
  EXPECT_EQ(first.fired.size(), 5u);
  EXPECT_TRUE(first.more);
  const auto rest = runner->run(*db, bj(2026, 10, 14, 9), 5);
  EXPECT_EQ(rest.fired.size(), 2u);
  EXPECT_FALSE(rest.more);
}

TEST_F(SupervisionRunnerTest, ReworkSupervisionFiresOnceFromTheThreshold)
{
  useRules("supervise_rework 2\n");
  const core::TimePoint t = bj(2026, 11, 23, 9);
  const std::string number = assigned(t);
  const std::string once = assigned(t, kMicroB);
  const auto rework = [&](const std::string &n, int hour) {
    cases->apply(n, command(A::StartHandling, t + std::chrono::hours(hour)));
    cases->apply(n, command(A::Feedback, t + std::chrono::hours(hour) + std::chrono::minutes(10)));
    cases->apply(n, command(A::Rework, t + std::chrono::hours(hour) + std::chrono::minutes(20), {{"to", "assigned"}}));
  };
  rework(number, 1);
  rework(once, 1);
  EXPECT_TRUE(runner->run(*db, t + std::chrono::hours(2)).fired.empty());
  rework(number, 3);
  const auto result = runner->run(*db, t + std::chrono::hours(4));
  ASSERT_EQ(result.fired.size(), 1u);
  EXPECT_EQ(result.fired[0].caseNumber, number);
  EXPECT_EQ(result.fired[0].action, A::Supervise);
  EXPECT_TRUE(cases->find(number)->supervised);
  const core::CaseEvent event = cases->events(number).back();
  EXPECT_EQ(event.actor, "rule:supervise_rework");
  EXPECT_NE(event.note.find("sent back for rework 2 times"), std::string::npos) << event.note;
  // The wall shows it as a supervision by the rule.
  const auto records = SupervisionStore(*db, *workflow, clock.get()).records(number);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].actor, "rule:supervise_rework");
  EXPECT_EQ(records[0].opinion, event.note);

  // A third rework, more runs: still one.
  rework(number, 5);
  EXPECT_TRUE(runner->run(*db, t + std::chrono::hours(6)).fired.empty());
  EXPECT_TRUE(runner->run(*db, t + std::chrono::hours(7)).fired.empty());
  EXPECT_EQ(eventsOf(number, A::Supervise), 1);

  // A lower threshold reads the log again: the case reworked once is now due, the other not again.
  useRules("supervise_rework 1\n");
  const auto lowered = runner->run(*db, t + std::chrono::hours(8));
  ASSERT_EQ(lowered.fired.size(), 1u);
  EXPECT_EQ(lowered.fired[0].caseNumber, once);
  EXPECT_EQ(eventsOf(number, A::Supervise), 1);
  EXPECT_TRUE(runner->run(*db, t + std::chrono::hours(9)).fired.empty());
}

TEST_F(SupervisionRunnerTest, RulesSwitchedOffFireNothing)
{
  useRules("escalate_overdue off\nsupervise_rework off\n");
  assigned(bj(2026, 9, 30, 10));
  const auto result = runner->run(*db, bj(2026, 12, 1, 9));
  EXPECT_TRUE(result.fired.empty());
  EXPECT_TRUE(result.refused.empty());
}

TEST_F(SupervisionRunnerTest, ReworksInAnImportedHistoryCountTowardsTheThreshold)
{
  // A case from a legacy system, reworked once, closed and visited unsatisfied, imported whole:
  // its events are one JSON array in case_histories (json_each on SQLite, json_array_elements
  // on PostgreSQL). One more rework here makes two.
  useRules("supervise_rework 2\n");
  const core::TimePoint t = bj(2026, 11, 2, 9);
  core::Case legacy;
  {
    auto scratch = Schema::openOrCreate(dir.file("legacy.gpkg"));
    CaseStore old(*scratch, *workflow, clock.get());
    const std::string n = old.report(reportCommand(t));
    const std::vector<std::pair<A, nlohmann::json>> steps = {
      {A::Register, {}}, {A::Accept, {}}, {A::Assign, {{"lead", "fire"}, {"worker", "worker-7"}}},
      {A::StartHandling, {}}, {A::Feedback, {}}, {A::Rework, {{"to", "in_handling"}}}, {A::Feedback, {}},
      {A::Close, {}}, {A::Visit, {{"satisfaction", "unsatisfied"}}}};
    int minute = 0;
    for (const auto &[action, data] : steps)
      old.apply(n, command(action, t + std::chrono::minutes(++minute), data.is_null() ? nlohmann::json::object() : data));
    legacy = *old.load(n);
  }
  cases->importCases({legacy});
  ASSERT_EQ(db->scalarInt("SELECT count(*) FROM case_histories"), 1);
  const std::string fresh = assigned(t, kMicroB); // reworked once here, never before
  const auto rework = [&](const std::string &n) {
    cases->apply(n, command(A::StartHandling, t + std::chrono::hours(1)));
    cases->apply(n, command(A::Feedback, t + std::chrono::hours(2)));
    cases->apply(n, command(A::Rework, t + std::chrono::hours(3), {{"to", "in_handling"}}));
  };
  rework(fresh);
  cases->apply(legacy.number(), command(A::Rework, t + std::chrono::hours(3), {{"to", "in_handling"}}));
  const auto result = runner->run(*db, t + std::chrono::hours(4));
  ASSERT_EQ(result.fired.size(), 1u);
  EXPECT_EQ(result.fired[0].caseNumber, legacy.number());
  const std::string note = cases->events(legacy.number()).back().note;
  EXPECT_NE(note.find("sent back for rework 2 times"), std::string::npos) << note;
}

TEST_F(SupervisionRunnerTest, TheSchedulerRunsTheRulesOnItsOwnConnectionUntilTheBacklogIsDone)
{
  for (int i = 0; i < 230; ++i) // more than one run's worth of firings
    assigned(bj(2026, 9, 30, 10) + std::chrono::seconds(i));
  std::atomic<std::size_t> observed{0};
  SupervisionScheduler scheduler(store->location(), *runner, std::chrono::milliseconds(50), [] { return bj(2026, 10, 14, 9); });
  scheduler.setObservers([&](const RuleRunResult &r) { observed += r.fired.size(); }, [](const std::string &) {});
  scheduler.start();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (scheduler.fired() < 230 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(150)); // a few more ticks: nothing more
  scheduler.stop();
  EXPECT_EQ(scheduler.fired(), 230u);
  EXPECT_EQ(observed.load(), 230u);
  EXPECT_EQ(scheduler.failures(), 0u);
  EXPECT_GE(scheduler.runs(), 3u);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rule_firings"), 230);
}

TEST_F(SupervisionRunnerTest, TheSchedulerConnectsAgainAfterItsDatabaseConnectionIsLost)
{
  if (!storesOnPostgres())
    GTEST_SKIP() << "a SQLite file has no connection to lose";
  assigned(bj(2026, 9, 30, 10));
  std::atomic<std::size_t> errors{0};
  // An hour's interval: only runNow() runs it.
  SupervisionScheduler scheduler(store->location(), *runner, std::chrono::hours(1), [] { return bj(2026, 10, 14, 9); });
  scheduler.setObservers([](const RuleRunResult &) {}, [&](const std::string &) { ++errors; });
  const auto waitFor = [](const std::function<bool()> &done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  scheduler.start();
  waitFor([&] { return scheduler.runs() >= 1; });
  ASSERT_EQ(scheduler.fired(), 1u);

  // The server ends every other session of the database (a restart, a failover, an admin).
  db->query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()")
    .run();
  assigned(bj(2026, 9, 30, 11));
  scheduler.runNow();
  waitFor([&] { return scheduler.failures() >= 1; });
  EXPECT_EQ(scheduler.failures(), 1u); // the run on the lost connection
  scheduler.runNow();
  waitFor([&] { return scheduler.fired() >= 2; });
  scheduler.stop();
  EXPECT_EQ(scheduler.fired(), 2u); // the next run, on a new connection
  EXPECT_EQ(scheduler.failures(), 1u);
  EXPECT_EQ(errors.load(), 1u);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM rule_firings"), 2);
}
