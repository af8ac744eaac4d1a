#include "core/supervisionrules.h"

#include "core/configerror.h"
#include "core/slaclock.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

namespace {

TimePoint bj(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0)
{
    return beijingTime(y, m, d, h, min, s);
}

SupervisionRules rulesFrom(const std::string &text)
{
    return SupervisionRules(SupervisionConfig::parse(text, "supervision.conf"), test::calendar());
}

//! The message of the ConfigError \a text raises (empty when it parses).
std::string errorOf(const std::string &text)
{
    try {
        SupervisionConfig::parse(text, "sup.conf");
    } catch (const ConfigError &e) {
        return e.what();
    }
    return {};
}

// The case every boundary test uses: 0301 (handle limit 3wd) assigned Wednesday 2026-09-30
// 10:00, the day before the National Day holidays (10-01 … 10-07); 10-10 (a Saturday) is a
// 调休 working day. Working days after 09-30: 10-08, 10-09, 10-10 -> deadline 10-10 18:00.
Case assignedBeforeNationalDay(const std::string &grid = "620902001001001001")
{
    Case c = test::reportedCase("620902-20260930-000001", "0301", bj(2026, 9, 30, 9), grid);
    test::step(c, CaseAction::Register, bj(2026, 9, 30, 9, 10));
    test::step(c, CaseAction::Accept, bj(2026, 9, 30, 9, 20));
    test::step(c, CaseAction::Assign, bj(2026, 9, 30, 10), {.lead = "fire", .worker = "W1"});
    return c;
}

} // namespace

TEST(OverdueClassification, YellowExactlyAtEightyPercentRedOneSecondAfterTheDeadlineAcrossNationalDay)
{
    const Case c = assignedBeforeNationalDay();
    const SlaClock sla(test::catalog(), test::calendar());
    const auto clock = sla.current(c, bj(2026, 10, 5, 12));
    ASSERT_TRUE(clock);
    EXPECT_EQ(clock->stage, Stage::Handle);
    // Budget: 5.5 h on 09-30 + 3 × 7 h = 26.5 working hours; nothing counts during the holidays.
    EXPECT_EQ(clock->budgetSeconds, 95400);
    EXPECT_EQ(clock->usedSeconds, 5 * 3600 + 1800);
    EXPECT_EQ(*clock->deadline, bj(2026, 10, 10, 18));
    EXPECT_EQ(sla.light(c, bj(2026, 10, 7, 23, 59, 59)), TrafficLight::Green);

    // 80 % = 76,320 s: 5.5 h + 7 h + 7 h leaves 1.7 h on 10-10 from 08:30 -> 10:12:00.
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 10, 11, 59)), TrafficLight::Green);
    EXPECT_EQ(sla.current(c, bj(2026, 10, 10, 10, 12))->usedSeconds * 5, clock->budgetSeconds * 4);
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 10, 12)), TrafficLight::Yellow);
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 18)), TrafficLight::Yellow);
    EXPECT_EQ(sla.light(c, bj(2026, 10, 10, 18, 0, 1)), TrafficLight::Red);
    // Red stays red through the night, when the working clock stands still.
    EXPECT_EQ(sla.light(c, bj(2026, 10, 11, 3)), TrafficLight::Red);
}

TEST(SupervisionConfig, TheShippedFileParses)
{
    const SupervisionConfig config =
        SupervisionConfig::parse(test::readConfig("supervision.conf"), test::configPath("supervision.conf"));
    ASSERT_TRUE(config.escalateOverdue);
    EXPECT_EQ(clockSpanText(*config.escalateOverdue), "4wh");
    EXPECT_EQ(config.escalateStages, (std::vector<Stage>{Stage::Dispatch, Stage::Handle}));
    EXPECT_EQ(config.superviseRework, 2);
    EXPECT_GT(config.escalateLine, 0);
}

TEST(SupervisionConfig, EmptyMeansEveryRuleOffAndOffIsAccepted)
{
    EXPECT_FALSE(SupervisionConfig::parse("# nothing\n", "s").escalateOverdue);
    const auto off = SupervisionConfig::parse("escalate_overdue off\nsupervise_rework off\n", "s");
    EXPECT_FALSE(off.escalateOverdue);
    EXPECT_EQ(off.superviseRework, 0);
}

TEST(SupervisionConfig, ErrorsNameFileAndLine)
{
    EXPECT_NE(errorOf("# rules\nescalate_overdue 4x\n").find("sup.conf:2: escalate_overdue span '4x'"), std::string::npos);
    EXPECT_NE(errorOf("escalate_overdue 0wh\n").find("sup.conf:1:"), std::string::npos);
    EXPECT_NE(errorOf("escalate_overdue 4 wh\n").find("sup.conf:1: 'escalate_overdue' takes one span"), std::string::npos);
    EXPECT_NE(errorOf("supervise_rework 2\n\nsupervise_rework 3\n").find("sup.conf:3: 'supervise_rework' is given twice"),
              std::string::npos);
    EXPECT_NE(errorOf("supervise_rework 0\n").find("sup.conf:1: supervise_rework '0'"), std::string::npos);
    EXPECT_NE(errorOf("escalate_stages handle visit\n").find("sup.conf:1: stage 'visit' cannot be escalated"),
              std::string::npos);
    EXPECT_NE(errorOf("escalate_stages handle handle\n").find("named twice"), std::string::npos);
    EXPECT_NE(errorOf("auto_close 3wd\n").find("sup.conf:1: unknown entry 'auto_close'"), std::string::npos);
    EXPECT_TRUE(errorOf("escalate_overdue 24h # natural hours\n").empty());
}

// Overdue 火灾 and 群体性事件 cases raise an alarm beyond the wall's colour (issue 13): which
// categories alarm is configuration.
TEST(SupervisionConfig, AlarmOverdueNamesCategoriesAndFamilies)
{
    const SupervisionConfig shipped =
        SupervisionConfig::parse(test::readConfig("supervision.conf"), test::configPath("supervision.conf"));
    EXPECT_TRUE(shipped.alarms("0601"));  // 火灾
    EXPECT_TRUE(shipped.alarms("0603"));  // 群体性事件
    EXPECT_FALSE(shipped.alarms("0301")); // 楼道堆物: red on the wall, no alarm
    for (const std::string &code : shipped.alarmOverdue)
        EXPECT_TRUE(code.size() == 2 ? test::catalog().family(code) != nullptr : test::catalog().find(code) != nullptr)
            << code;

    const auto family = SupervisionConfig::parse("alarm_overdue 06 0201\n", "s");
    EXPECT_TRUE(family.alarms("0604"));
    EXPECT_TRUE(family.alarms("0201"));
    EXPECT_FALSE(family.alarms("0202"));
    EXPECT_FALSE(SupervisionConfig::parse("alarm_overdue off\n", "s").alarms("0601"));
    EXPECT_FALSE(SupervisionConfig::parse("", "s").alarms("0601"));
    EXPECT_NE(errorOf("alarm_overdue 06x\n").find("sup.conf:1: alarm_overdue: '06x' is neither"), std::string::npos);
    EXPECT_NE(errorOf("alarm_overdue\n").find("sup.conf:1: 'alarm_overdue' takes"), std::string::npos);
    EXPECT_NE(errorOf("alarm_overdue 06\nalarm_overdue 02\n").find("sup.conf:2: 'alarm_overdue' is given twice"),
              std::string::npos);
}

TEST(ClockSpan, ParsesTheCatalogsUnitsOnly)
{
    EXPECT_EQ(parseClockSpan("4wh"), (ClockSpan{4, LimitUnit::WorkingHours}));
    EXPECT_EQ(parseClockSpan("2wd"), (ClockSpan{2, LimitUnit::WorkingDays}));
    EXPECT_EQ(parseClockSpan("24h"), (ClockSpan{24, LimitUnit::NaturalHours}));
    EXPECT_FALSE(parseClockSpan("4working_hours"));
    EXPECT_FALSE(parseClockSpan("wh"));
    EXPECT_FALSE(parseClockSpan("-1h"));
    EXPECT_EQ(clockSpanWords({1, LimitUnit::WorkingDays}), "1 working day");
}

TEST(SupervisionRules, EscalationIsDueWhenTheSpanRunsOutOnTheWorkingCalendar)
{
    const SupervisionRules rules = rulesFrom("escalate_overdue 4wh\n");
    // Deadline Saturday 10-10 18:00 (a make-up working day); Sunday is not; 4 working hours from
    // Monday 10-12 08:30: 3.5 h to the lunch break, 0.5 h after it -> 15:00.
    EXPECT_EQ(*rules.escalationDue(bj(2026, 10, 10, 18)), bj(2026, 10, 12, 15));
    const Case c = assignedBeforeNationalDay();
    const auto clock = SlaClock(test::catalog(), test::calendar()).current(c, bj(2026, 10, 12, 15));
    const OverdueStage stage{c.state(), clock->stage, clock->started, *clock->deadline, c.responsibleGrid()};
    EXPECT_FALSE(rules.escalation(stage, bj(2026, 10, 12, 14, 59, 59)));
    const auto firing = rules.escalation(stage, bj(2026, 10, 12, 15));
    ASSERT_TRUE(firing);
    EXPECT_EQ(firing->rule, "escalate_overdue");
    EXPECT_EQ(firing->action, CaseAction::Escalate);
    EXPECT_EQ(firing->occurrence, "handle@2026-09-30T02:00:00Z");
    EXPECT_NE(firing->reason.find("overdue by more than 4 working hours"), std::string::npos) << firing->reason;
    EXPECT_NE(firing->reason.find("620902001001001001"), std::string::npos);
    EXPECT_NE(firing->reason.find("to 网格 620902001001001"), std::string::npos) << firing->reason;
    EXPECT_NE(firing->reason.find("supervision.conf:1"), std::string::npos) << firing->reason;
    // Still due later: the runner's claim, not the rule, makes it happen once.
    EXPECT_TRUE(rules.escalation(stage, bj(2026, 10, 20, 9)));
}

TEST(SupervisionRules, NaturalAndWorkingDaySpans)
{
    EXPECT_EQ(*rulesFrom("escalate_overdue 24h\n").escalationDue(bj(2026, 9, 30, 18)), bj(2026, 10, 1, 18));
    // 1 working day after Wednesday 09-30: close of business of 10-08 (after the holidays).
    EXPECT_EQ(*rulesFrom("escalate_overdue 1wd\n").escalationDue(bj(2026, 9, 30, 18)), bj(2026, 10, 8, 18));
    EXPECT_FALSE(rulesFrom("supervise_rework 2\n").escalationDue(bj(2026, 9, 30, 18)));
}

TEST(SupervisionRules, MinimumOverdueIsALowerBoundOfTheDueSpan)
{
    for (const char *text : {"escalate_overdue 4wh\n", "escalate_overdue 3wd\n", "escalate_overdue 12h\n", "escalate_overdue 1wd\n"}) {
        const SupervisionRules rules = rulesFrom(text);
        for (TimePoint deadline = bj(2026, 9, 28, 0); deadline < bj(2026, 10, 14, 0); deadline += std::chrono::minutes(37))
            EXPECT_GE((*rules.escalationDue(deadline) - deadline).count(), rules.minimumOverdueSeconds())
                << text << formatRfc3339(deadline);
    }
}

TEST(SupervisionRules, OnlyEscalatableStatesAndWatchedStagesFire)
{
    const TimePoint late = bj(2026, 12, 1, 9);
    const OverdueStage handle{CaseState::InHandling, Stage::Handle, bj(2026, 9, 30, 10), bj(2026, 10, 10, 18),
                              "620902001001001001"};
    EXPECT_TRUE(rulesFrom("escalate_overdue 4wh\n").escalation(handle, late));
    EXPECT_FALSE(rulesFrom("escalate_overdue 4wh\nescalate_stages dispatch\n").escalation(handle, late));
    OverdueStage visit = handle;
    visit.state = CaseState::Handled;
    visit.stage = Stage::Visit;
    EXPECT_FALSE(rulesFrom("escalate_overdue 4wh\n").escalation(visit, late));
    OverdueStage noGrid = handle;
    noGrid.responsibleGrid.clear();
    EXPECT_FALSE(rulesFrom("escalate_overdue 4wh\n").escalation(noGrid, late));
    EXPECT_FALSE(rulesFrom("supervise_rework 2\n").escalation(handle, late));
}

TEST(SupervisionRules, AtDistrictLevelTheCaseIsSupervisedInstead)
{
    const OverdueStage district{CaseState::Accepted, Stage::Dispatch, bj(2026, 11, 2, 9), bj(2026, 11, 2, 13),
                                "620902"};
    const auto firing = rulesFrom("escalate_overdue 2wh\n").escalation(district, bj(2026, 11, 3, 9));
    ASSERT_TRUE(firing);
    EXPECT_EQ(firing->action, CaseAction::Supervise);
    EXPECT_EQ(firing->occurrence, "dispatch@2026-11-02T01:00:00Z");
    EXPECT_NE(firing->reason.find("already at district level"), std::string::npos) << firing->reason;
}

TEST(SupervisionRules, ReworkSupervisionFromTheThreshold)
{
    const SupervisionRules rules = rulesFrom("supervise_rework 2\n");
    EXPECT_FALSE(rules.reworkSupervision(0));
    EXPECT_FALSE(rules.reworkSupervision(1));
    const auto firing = rules.reworkSupervision(2);
    ASSERT_TRUE(firing);
    EXPECT_EQ(firing->action, CaseAction::Supervise);
    EXPECT_EQ(firing->occurrence, "rework");
    EXPECT_NE(firing->reason.find("sent back for rework 2 times"), std::string::npos) << firing->reason;
    EXPECT_EQ(rules.reworkSupervision(3)->occurrence, "rework"); // one firing per case, however many reworks
    EXPECT_FALSE(rulesFrom("escalate_overdue 4wh\n").reworkSupervision(5));
}
