#include "core/case.h"

#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(Case, ProjectionFromEventsEqualsIncrementalApply)
{
    const TimePoint t0 = beijingTime(2026, 11, 23, 9);
    Case c = test::reportedCase("620902-20261123-000001", "0301", t0);
    test::step(c, CaseAction::Register, t0 + std::chrono::minutes(1));
    test::step(c, CaseAction::Accept, t0 + std::chrono::minutes(2));
    test::step(c, CaseAction::Assign, t0 + std::chrono::minutes(3), {.lead = "fire"});
    const Case rebuilt = Case::fromEvents(c.events());
    EXPECT_EQ(rebuilt.state(), CaseState::Assigned);
    EXPECT_EQ(rebuilt.number(), "620902-20261123-000001");
    EXPECT_EQ(rebuilt.leadDepartment(), "fire");
    EXPECT_EQ(rebuilt.categoryCode(), "0301");
    EXPECT_EQ(rebuilt.reportedAt(), t0);
    EXPECT_DOUBLE_EQ(rebuilt.location().lon, 98.5121);
    EXPECT_EQ(rebuilt.reporters().size(), 1u);
    EXPECT_EQ(rebuilt.events().size(), 4u);
}

TEST(Case, RefusesEventsThatDoNotFollow)
{
    const TimePoint t0 = beijingTime(2026, 11, 23, 9);
    Case c = test::reportedCase("620902-20261123-000001", "0301", t0);
    CaseEvent e;
    e.action = CaseAction::Close;
    e.from = CaseState::Handled;
    e.to = CaseState::Closed;
    EXPECT_THROW(c.apply(e), std::invalid_argument);
    Case empty;
    EXPECT_THROW(empty.apply(e), std::invalid_argument);
}
