#include "core/caseevent.h"

#include "core/caseworkflow.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(CaseEvent, JsonRoundTrip)
{
    CaseEvent e;
    e.caseNumber = "620902-20261123-000001";
    e.action = CaseAction::Assign;
    e.actor = "operator-7";
    e.at = beijingTime(2026, 11, 23, 10, 15);
    e.from = CaseState::Accepted;
    e.to = CaseState::Assigned;
    e.note = "请消防大队牵头";
    e.data = {{"lead", "fire"}, {"assisting", {"community"}}};
    const nlohmann::json j = caseEventToJson(e);
    EXPECT_EQ(j["action"], "assign");
    EXPECT_EQ(j["from"], "accepted");
    EXPECT_EQ(j["at"], "2026-11-23T10:15:00+08:00");
    const CaseEvent back = caseEventFromJson(nlohmann::json::parse(j.dump()));
    EXPECT_EQ(back.caseNumber, e.caseNumber);
    EXPECT_EQ(back.action, e.action);
    EXPECT_EQ(back.actor, e.actor);
    EXPECT_EQ(back.at, e.at);
    EXPECT_EQ(back.from, e.from);
    EXPECT_EQ(back.to, e.to);
    EXPECT_EQ(back.note, e.note);
    EXPECT_EQ(back.data, e.data);
}

TEST(CaseEvent, BadJsonNamesTheField)
{
    nlohmann::json j = caseEventToJson(CaseEvent{"n", CaseAction::Note, "a", beijingTime(2026, 1, 5), CaseState::Accepted,
                                                 CaseState::Accepted, "", nlohmann::json::object()});
    j["at"] = "2026-01-05 09:00";
    try {
        caseEventFromJson(j);
        FAIL();
    } catch (const std::invalid_argument &e) {
        EXPECT_NE(std::string(e.what()).find("\"at\""), std::string::npos);
    }
    j["at"] = "2026-01-05T09:00:00+08:00";
    j["action"] = "dance";
    EXPECT_THROW(caseEventFromJson(j), std::invalid_argument);
    EXPECT_THROW(caseEventFromJson(nlohmann::json::array()), std::invalid_argument);
}
