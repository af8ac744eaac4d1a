#include "core/slaclock.h"

#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;
using test::step;
using A = CaseAction;
using std::chrono::seconds;

namespace {

TimePoint bj(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0)
{
    return beijingTime(y, m, d, h, min, s);
}

SlaClock makeClock()
{
    return SlaClock(test::catalog(), test::calendar());
}

} // namespace

TEST(SlaClock, LightBoundaries)
{
    EXPECT_EQ(SlaClock::lightFor(79, 100), TrafficLight::Green);
    EXPECT_EQ(SlaClock::lightFor(80, 100), TrafficLight::Yellow); // exactly 80 % is yellow
    EXPECT_EQ(SlaClock::lightFor(100, 100), TrafficLight::Yellow); // the deadline itself is yellow
    EXPECT_EQ(SlaClock::lightFor(101, 100), TrafficLight::Red);
    EXPECT_EQ(SlaClock::lightFor(5, 0), TrafficLight::None);
}

TEST(SlaClock, AcceptStageInWorkingHours)
{
    // 0301: accept within 2 working hours. Reported Monday 09:00 → deadline 11:00; 80 % at 10:36.
    const Case c = test::reportedCase("620902-20261123-000001", "0301", bj(2026, 11, 23, 9));
    const SlaClock sla = makeClock();
    const auto now = sla.current(c, bj(2026, 11, 23, 10));
    ASSERT_TRUE(now);
    EXPECT_EQ(now->stage, Stage::Accept);
    EXPECT_EQ(now->budgetSeconds, 7200);
    EXPECT_EQ(now->usedSeconds, 3600);
    EXPECT_EQ(*now->deadline, bj(2026, 11, 23, 11));
    EXPECT_EQ(sla.light(c, bj(2026, 11, 23, 10, 35, 59)), TrafficLight::Green);
    EXPECT_EQ(sla.light(c, bj(2026, 11, 23, 10, 36)), TrafficLight::Yellow);
    EXPECT_EQ(sla.light(c, bj(2026, 11, 23, 11)), TrafficLight::Yellow);
    EXPECT_EQ(sla.light(c, bj(2026, 11, 23, 11, 0, 1)), TrafficLight::Red);
}

TEST(SlaClock, DeadlineSkipsLunchAndNight)
{
    const SlaClock sla = makeClock();
    const Case lunch = test::reportedCase("620902-20261123-000002", "0301", bj(2026, 11, 23, 11));
    EXPECT_EQ(*sla.current(lunch, bj(2026, 11, 23, 11))->deadline, bj(2026, 11, 23, 15, 30));
    // Reported Friday 17:00: one hour Friday, one hour Monday morning.
    const Case weekend = test::reportedCase("620902-20261120-000001", "0301", bj(2026, 11, 20, 17));
    EXPECT_EQ(*sla.current(weekend, bj(2026, 11, 21, 12))->deadline, bj(2026, 11, 23, 9, 30));
    // Saturday night the working clock stands still: 1 h of 2 used, green.
    EXPECT_EQ(sla.light(weekend, bj(2026, 11, 22, 23)), TrafficLight::Green);
    // After the deadline instant it is red even though no working time passes at night.
    EXPECT_EQ(sla.light(weekend, bj(2026, 11, 23, 9, 30, 1)), TrafficLight::Red);
}

TEST(SlaClock, HandleStageInWorkingDaysAcrossNationalDay)
{
    // Assigned Wednesday 30 Sep 2026 10:00; 3 working days: 8 Oct, 9 Oct, Saturday 10 Oct (调休).
    Case c = test::reportedCase("620902-20260930-000001", "0301", bj(2026, 9, 30, 9));
    step(c, A::Register, bj(2026, 9, 30, 9, 10));
    step(c, A::Accept, bj(2026, 9, 30, 9, 20));
    step(c, A::Assign, bj(2026, 9, 30, 10), {.lead = "fire"});
    const SlaClock sla = makeClock();
    const auto s = sla.current(c, bj(2026, 10, 5, 12));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->stage, Stage::Handle);
    EXPECT_EQ(*s->deadline, bj(2026, 10, 10, 18));
    EXPECT_EQ(s->budgetSeconds, (2 * 3600 + 3 * 3600 + 1800) + 3 * 7 * 3600); // rest of 30 Sep + 3 days
    EXPECT_EQ(s->usedSeconds, 5 * 3600 + 1800); // the holiday does not count
    EXPECT_EQ(s->light, TrafficLight::Green);
    EXPECT_EQ(sla.light(c, bj(2026, 10, 9, 18)), TrafficLight::Green);   // 19.5 h of 26.5 h = 73.6 %
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 12)), TrafficLight::Yellow); // 23 h = 86.8 %
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 18)), TrafficLight::Yellow);
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 18, 0, 1)), TrafficLight::Red);
    // The previous stages are finished in the history.
    const auto history = sla.history(c, bj(2026, 10, 5, 12));
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].stage, Stage::Accept);
    EXPECT_EQ(*history[0].ended, bj(2026, 9, 30, 9, 20)); // register stays in the accept stage
    EXPECT_EQ(history[1].stage, Stage::Dispatch);
}

TEST(SlaClock, ParkedTimeDoesNotCount)
{
    Case c = test::reportedCase("620902-20261123-000003", "0301", bj(2026, 11, 23, 9));
    step(c, A::Park, bj(2026, 11, 23, 9, 30), {}, "报告人联系不上");
    const SlaClock sla = makeClock();
    const auto paused = sla.current(c, bj(2026, 11, 23, 13));
    ASSERT_TRUE(paused);
    EXPECT_TRUE(paused->paused);
    EXPECT_FALSE(paused->deadline);
    EXPECT_EQ(paused->usedSeconds, 1800);
    EXPECT_EQ(paused->light, TrafficLight::Green);
    step(c, A::Resume, bj(2026, 11, 23, 14, 30));
    const auto resumed = sla.current(c, bj(2026, 11, 23, 15));
    EXPECT_EQ(resumed->usedSeconds, 3600);
    EXPECT_EQ(*resumed->deadline, bj(2026, 11, 23, 16)); // 1.5 working hours left at 14:30
}

TEST(SlaClock, ExtensionAddsToTheStage)
{
    Case c = test::reportedCase("620902-20261123-000004", "0301", bj(2026, 11, 23, 9));
    step(c, A::Register, bj(2026, 11, 23, 9, 5));
    step(c, A::Accept, bj(2026, 11, 23, 9, 10));
    step(c, A::Assign, bj(2026, 11, 23, 10), {.lead = "fire"});
    const SlaClock sla = makeClock();
    EXPECT_EQ(*sla.current(c, bj(2026, 11, 24, 9))->deadline, bj(2026, 11, 26, 18));
    step(c, A::Extend, bj(2026, 11, 24, 9), {.approver = "主任", .amount = 2, .unit = LimitUnit::WorkingDays});
    EXPECT_EQ(*sla.current(c, bj(2026, 11, 24, 9))->deadline, bj(2026, 11, 30, 18));
    step(c, A::Extend, bj(2026, 11, 24, 9, 1), {.approver = "主任", .amount = 3, .unit = LimitUnit::WorkingHours});
    EXPECT_EQ(*sla.current(c, bj(2026, 11, 24, 9, 1))->deadline, bj(2026, 12, 1, 11, 30));
}

TEST(SlaClock, ReturnRestartsTheDispatchStage)
{
    Case c = test::reportedCase("620902-20261123-000005", "0301", bj(2026, 11, 23, 9));
    step(c, A::Register, bj(2026, 11, 23, 9, 5));
    step(c, A::Accept, bj(2026, 11, 23, 9, 10));
    step(c, A::Assign, bj(2026, 11, 23, 10), {.lead = "fire"});
    step(c, A::Return, bj(2026, 11, 24, 15), {}, "非本部门职责");
    const auto s = makeClock().current(c, bj(2026, 11, 24, 16));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->stage, Stage::Dispatch);
    EXPECT_EQ(s->started, bj(2026, 11, 24, 15));
    EXPECT_EQ(*s->deadline, bj(2026, 11, 25, 9, 30)); // 4 working hours: 3 today, 1 tomorrow
}

TEST(SlaClock, NaturalHoursRunAtNight)
{
    // 0601 fire: accept within 1 natural hour, Saturday night.
    const Case c = test::reportedCase("620902-20261121-000001", "0601", bj(2026, 11, 21, 22));
    const SlaClock sla = makeClock();
    EXPECT_EQ(*sla.current(c, bj(2026, 11, 21, 22))->deadline, bj(2026, 11, 21, 23));
    EXPECT_EQ(sla.light(c, bj(2026, 11, 21, 22, 47, 59)), TrafficLight::Green);
    EXPECT_EQ(sla.light(c, bj(2026, 11, 21, 22, 48)), TrafficLight::Yellow);
    EXPECT_EQ(sla.light(c, bj(2026, 11, 21, 23, 0, 1)), TrafficLight::Red);
}

TEST(SlaClock, NoClockAfterTheVisit)
{
    Case c = test::reportedCase("620902-20261123-000006", "0301", bj(2026, 11, 23, 9));
    const SlaClock sla = makeClock();
    step(c, A::Register, bj(2026, 11, 23, 9, 1));
    step(c, A::Accept, bj(2026, 11, 23, 9, 2));
    step(c, A::Assign, bj(2026, 11, 23, 9, 3), {.lead = "fire"});
    step(c, A::StartHandling, bj(2026, 11, 23, 9, 4));
    step(c, A::Feedback, bj(2026, 11, 23, 11));
    EXPECT_EQ(sla.current(c, bj(2026, 11, 23, 12))->stage, Stage::Visit);
    step(c, A::Close, bj(2026, 11, 23, 12));
    step(c, A::Visit, bj(2026, 11, 24, 10), {.satisfaction = Satisfaction::Satisfied});
    EXPECT_FALSE(sla.current(c, bj(2026, 11, 25, 10)));
    EXPECT_EQ(sla.light(c, bj(2026, 11, 25, 10)), TrafficLight::None);
    EXPECT_EQ(sla.history(c, bj(2026, 11, 25, 10)).size(), 4u);
    // Looking back at a moment in the past sees the clock as it was.
    EXPECT_EQ(sla.current(c, bj(2026, 11, 23, 9, 1, 30))->stage, Stage::Accept);
}
