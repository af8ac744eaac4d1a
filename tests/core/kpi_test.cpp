#include "core/kpi.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;
using test::step;
using A = CaseAction;

namespace {

TimePoint bj(unsigned m, unsigned d, int h, int min = 0)
{
    return beijingTime(2026, m, d, h, min);
}

const std::string kTownship1 = "620902001001001001";
const std::string kTownship2 = "620902002001001001";

Case assigned(const std::string &number, const std::string &category, unsigned m, unsigned d, const std::string &grid,
              const std::string &lead)
{
    Case c = test::reportedCase(number, category, bj(m, d, 9), grid);
    step(c, A::Register, bj(m, d, 9, 10));
    step(c, A::Accept, bj(m, d, 9, 20));
    step(c, A::Assign, bj(m, d, 10), {.lead = lead});
    step(c, A::StartHandling, bj(m, d, 10, 30));
    return c;
}

/*
 * November 2026, hand-computed:
 *  A 0301 reported 2 Nov, handling due 5 Nov 18:00, feedback 4 Nov (on time), closed 4 Nov, visit satisfied 5 Nov
 *  B 0301 reported 9 Nov, due 12 Nov 18:00, feedback 13 Nov (late), closed 13 Nov, visit unsatisfied 16 Nov,
 *         rework, feedback + close 17 Nov, visit basically satisfied 18 Nov
 *  C 0301 reported 16 Nov, due 19 Nov 18:00, still in handling → late and overdue
 *  D 0101 (township 2, community lead) reported 2 Nov, due 16 Nov 18:00 (10 wd), feedback 10 Nov mediation success,
 *         closed 10 Nov, visit satisfied 11 Nov
 *  E 0101 (township 2) reported 20 Nov, due 4 Dec (outside), feedback 25 Nov mediation failed, closed 25 Nov
 *  F 0301 reported 3 Nov, voided → excluded everywhere
 *  G 0301 reported 20 Oct, due 23 Oct, feedback and close 2 Nov, never visited (visit due 5 Nov) → overdue
 */
std::vector<Case> november()
{
    std::vector<Case> cases;
    Case a = assigned("620902-20261102-000001", "0301", 11, 2, kTownship1, "fire");
    step(a, A::Feedback, bj(11, 4, 10));
    step(a, A::Close, bj(11, 4, 11));
    step(a, A::Visit, bj(11, 5, 10), {.satisfaction = Satisfaction::Satisfied});
    cases.push_back(a);

    Case b = assigned("620902-20261109-000001", "0301", 11, 9, kTownship1, "fire");
    step(b, A::Feedback, bj(11, 13, 10));
    step(b, A::Close, bj(11, 13, 11));
    step(b, A::Visit, bj(11, 16, 10), {.satisfaction = Satisfaction::Unsatisfied});
    step(b, A::Rework, bj(11, 16, 11), {}, "仍有杂物");
    step(b, A::Feedback, bj(11, 17, 10));
    step(b, A::Close, bj(11, 17, 11));
    step(b, A::Visit, bj(11, 18, 10), {.satisfaction = Satisfaction::BasicallySatisfied});
    cases.push_back(b);

    cases.push_back(assigned("620902-20261116-000001", "0301", 11, 16, kTownship1, "fire"));

    Case d = assigned("620902-20261102-000002", "0101", 11, 2, kTownship2, "community");
    step(d, A::Feedback, bj(11, 10, 10), {.mediation = Mediation::Success});
    step(d, A::Close, bj(11, 10, 11));
    step(d, A::Visit, bj(11, 11, 10), {.satisfaction = Satisfaction::Satisfied});
    cases.push_back(d);

    Case e = assigned("620902-20261120-000001", "0101", 11, 20, kTownship2, "community");
    step(e, A::Feedback, bj(11, 25, 10), {.mediation = Mediation::Failed});
    step(e, A::Close, bj(11, 25, 11));
    cases.push_back(e);

    Case f = test::reportedCase("620902-20261103-000001", "0301", bj(11, 3, 9), kTownship1);
    step(f, A::Void, bj(11, 3, 10), {}, "误报");
    cases.push_back(f);

    Case g = assigned("620902-20261020-000001", "0301", 10, 20, kTownship1, "fire");
    step(g, A::Feedback, bj(11, 2, 10));
    step(g, A::Close, bj(11, 2, 11));
    cases.push_back(g);
    return cases;
}

KpiCalculator calculator()
{
    return KpiCalculator(test::catalog(), test::calendar(),
                         KpiConfig::parse(test::readConfig("kpi.conf"), test::configPath("kpi.conf")));
}

} // namespace

TEST(Kpi, HandlingDeadlines)
{
    const auto cases = november();
    const KpiCalculator k = calculator();
    EXPECT_EQ(*k.handlingDeadline(cases[0], bj(12, 1, 0)), bj(11, 5, 18));
    EXPECT_EQ(*k.handlingDeadline(cases[1], bj(12, 1, 0)), bj(11, 12, 18));
    EXPECT_EQ(*k.handlingDeadline(cases[3], bj(12, 1, 0)), bj(11, 16, 18));
    EXPECT_EQ(*k.handlingDeadline(cases[4], bj(12, 1, 0)), bj(12, 4, 18));
}

TEST(Kpi, NovemberByHand)
{
    const KpiReport r = calculator().compute(november(), bj(11, 1, 0), bj(12, 1, 0));
    EXPECT_EQ(r.received, 5);
    EXPECT_DOUBLE_EQ(r.closureRate.numerator, 4);   // A B D E
    EXPECT_DOUBLE_EQ(r.closureRate.denominator, 5); // A B C D E
    EXPECT_DOUBLE_EQ(r.onTimeRate.numerator, 3);    // A D E (E finished on 25 Nov, due in December)
    EXPECT_DOUBLE_EQ(r.onTimeRate.denominator, 5);  // A B C D E (B late, C open and overdue; G decided in October)
    EXPECT_DOUBLE_EQ(r.reworkRate.numerator, 1);    // B
    EXPECT_DOUBLE_EQ(r.reworkRate.denominator, 5);  // A B D E G closed in November
    EXPECT_DOUBLE_EQ(r.satisfactionRate.numerator, 2.8); // 1 + 0 + 0.8 + 1
    EXPECT_DOUBLE_EQ(r.satisfactionRate.denominator, 4);
    EXPECT_DOUBLE_EQ(r.mediationRate.numerator, 1); // D success, E failed
    EXPECT_DOUBLE_EQ(r.mediationRate.denominator, 2);
    EXPECT_EQ(r.overdue, 2); // C in handling, G never visited
    // 100 × (0.2·0.8 + 0.3·0.6 + 0.1·(1 − 0.2) + 0.3·0.7 + 0.1·0.5) / 1.0 − 1 × 2
    EXPECT_NEAR(r.composite, 66.0, 1e-9);
}

TEST(Kpi, ScopesByGridSubtreeAndDepartment)
{
    const KpiCalculator k = calculator();
    KpiScope township1;
    township1.grid = GridCode::parse("620902001");
    const KpiReport t1 = k.compute(november(), bj(11, 1, 0), bj(12, 1, 0), township1);
    EXPECT_EQ(t1.received, 3);
    EXPECT_DOUBLE_EQ(t1.closureRate.numerator, 2);
    EXPECT_DOUBLE_EQ(t1.mediationRate.denominator, 0);
    EXPECT_FALSE(t1.mediationRate.value());
    KpiScope community;
    community.department = "community";
    const KpiReport dc = k.compute(november(), bj(11, 1, 0), bj(12, 1, 0), community);
    EXPECT_EQ(dc.received, 2);
    EXPECT_DOUBLE_EQ(*dc.mediationRate.value(), 0.5);
    EXPECT_DOUBLE_EQ(*dc.onTimeRate.value(), 1.0); // D only
    EXPECT_EQ(dc.overdue, 0);
}

TEST(Kpi, APastPeriodIgnoresLaterEvents)
{
    // October: G was reported, due 23 Oct, and nothing else happened before 1 Nov.
    const KpiReport r = calculator().compute(november(), beijingTime(2026, 10, 1), bj(11, 1, 0));
    EXPECT_EQ(r.received, 1);
    EXPECT_DOUBLE_EQ(r.closureRate.numerator, 0);
    EXPECT_DOUBLE_EQ(r.onTimeRate.numerator, 0);
    EXPECT_DOUBLE_EQ(r.onTimeRate.denominator, 1);
    EXPECT_EQ(r.overdue, 1);
}

TEST(Kpi, ACaseFinishedOnTimeCountsOnTheDayItWasFinished)
{
    // E: reported 20 Nov, handling due 4 Dec, feedback and close 25 Nov. On 25 Nov it is a case
    // done on time (the day's on-time rate is 1/1, not "no case"); on 4 Dec, the day it was
    // due, it does not count again.
    const auto cases = november();
    const KpiCalculator k = calculator();
    const KpiReport day = k.compute(cases, bj(11, 25, 0), bj(11, 26, 0));
    EXPECT_DOUBLE_EQ(day.onTimeRate.numerator, 1);
    EXPECT_DOUBLE_EQ(day.onTimeRate.denominator, 1);
    const KpiReport dueDay = k.compute(cases, bj(12, 4, 0), bj(12, 5, 0));
    EXPECT_DOUBLE_EQ(dueDay.onTimeRate.denominator, 0);
    // B, late: counted on 12 Nov when its deadline passed, not on 13 Nov when it was finished.
    EXPECT_DOUBLE_EQ(k.compute(cases, bj(11, 12, 0), bj(11, 13, 0)).onTimeRate.denominator, 1);
    EXPECT_DOUBLE_EQ(k.compute(cases, bj(11, 12, 0), bj(11, 13, 0)).onTimeRate.numerator, 0);
    EXPECT_DOUBLE_EQ(k.compute(cases, bj(11, 13, 0), bj(11, 14, 0)).onTimeRate.denominator, 0);
    // 16 Nov: C reported and not yet due, D due but finished on 10 Nov: nothing decided.
    EXPECT_DOUBLE_EQ(k.compute(cases, bj(11, 16, 0), bj(11, 17, 0)).onTimeRate.denominator, 0);
    // 19 Nov: C's deadline passes with C still in handling: late.
    const KpiReport cDue = k.compute(cases, bj(11, 19, 0), bj(11, 20, 0));
    EXPECT_DOUBLE_EQ(cDue.onTimeRate.numerator, 0);
    EXPECT_DOUBLE_EQ(cDue.onTimeRate.denominator, 1);
}

TEST(Kpi, ConfigErrors)
{
    EXPECT_THROW(KpiConfig::parse("weight happiness 1\n", "k"), ConfigError);
    EXPECT_THROW(KpiConfig::parse("weight closure_rate -1\n", "k"), ConfigError);
    EXPECT_THROW(KpiConfig::parse("basically_satisfied 2\n", "k"), ConfigError);
    EXPECT_THROW(KpiConfig::parse("mediation_family 1\n", "k"), ConfigError);
    try {
        KpiConfig::parse("# ok\nweight closure_rate 1\nbogus 1\n", "kpi.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 3);
    }
    const KpiConfig c = KpiConfig::parse("weight on_time_rate 2\nbasically_satisfied 0.5\n", "k");
    EXPECT_DOUBLE_EQ(c.weights.at("on_time_rate"), 2);
    EXPECT_DOUBLE_EQ(c.basicallySatisfiedScore, 0.5);
}

TEST(Kpi, DuplicateEntriesAndNonFiniteWeightsAreRefusedNamingTheLine)
{
    // A NaN weight passed "< 0" and the composite score jumped from 0 to 100.
    for (const char *bad : {"nan", "NaN", "inf", "-inf"}) {
        try {
            KpiConfig::parse(std::string("weight closure_rate 1\nweight on_time_rate ") + bad + "\n", "kpi.conf");
            FAIL() << bad;
        } catch (const ConfigError &e) {
            EXPECT_EQ(e.line(), 2) << bad;
            EXPECT_NE(e.problem().find("must be a finite number"), std::string::npos) << e.problem();
        }
    }
    try {
        KpiConfig::parse("weight closure_rate 1\nweight on_time_rate 2\nweight closure_rate 3\n", "kpi.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 3);
        EXPECT_EQ(e.problem(), "'weight closure_rate' is given twice (also on line 1)");
    }
    try {
        KpiConfig::parse("weight closure_rate 1\noverdue_penalty 1\noverdue_penalty 2\n", "kpi.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.line(), 3);
        EXPECT_EQ(e.problem(), "'overdue_penalty' is given twice (also on line 2)");
    }
}

TEST(Kpi, SignWithinIsAPositiveNumberOfWorkingHoursDefaultTwo)
{
    // 签收时限 (issue 17): the limit a department has to acknowledge a dispatch, for 响应率.
    EXPECT_DOUBLE_EQ(KpiConfig{}.signWithinWorkingHours, 2.0);
    EXPECT_DOUBLE_EQ(KpiConfig::parse("sign_within 4\n", "k").signWithinWorkingHours, 4.0);
    EXPECT_THROW(KpiConfig::parse("sign_within 0\n", "k"), ConfigError);
    EXPECT_THROW(KpiConfig::parse("sign_within two\n", "k"), ConfigError);
    EXPECT_DOUBLE_EQ(KpiConfig::parse(test::readConfig("kpi.conf"), "kpi.conf").signWithinWorkingHours, 2.0);
}
