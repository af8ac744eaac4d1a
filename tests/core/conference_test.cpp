#include "core/conference.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

namespace {

std::string errorOf(const std::string &text)
{
    try {
        ConferenceConfig::parse(text, "conference.conf");
    } catch (const ConfigError &e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST(Conference, UrlEncodingKeepsOnlyUnreservedCharacters)
{
    EXPECT_EQ(urlEncode("YJ20261121-001"), "YJ20261121-001");
    EXPECT_EQ(urlEncode("a b&c=d/e?f#g"), "a%20b%26c%3Dd%2Fe%3Ff%23g");
    EXPECT_EQ(urlEncode("火灾"), "%E7%81%AB%E7%81%BE");
    EXPECT_EQ(urlEncode("~._-"), "~._-");
}

TEST(Conference, TheShippedTemplateMakesTheIncidentsLink)
{
    const ConferenceConfig config = ConferenceConfig::parse(test::readConfig("conference.conf"), "conference.conf");
    ASSERT_TRUE(config.enabled());
    EXPECT_EQ(config.link("YJ20261121-001"), "https://meet.example.gov.cn/join?room=YJ20261121-001");
    EXPECT_EQ(config.link("110/2026 #7"), "https://meet.example.gov.cn/join?room=110%2F2026%20%237");
}

TEST(Conference, CasePlaceholderAndDisabled)
{
    const auto config = ConferenceConfig::parse("meeting_link http://10.1.2.3:8080/m/{incident}?case={case}&x=1\n", "c");
    EXPECT_EQ(config.link("YJ1", "620902-20261121-000001"), "http://10.1.2.3:8080/m/YJ1?case=620902-20261121-000001&x=1");
    EXPECT_EQ(config.link("YJ1"), "http://10.1.2.3:8080/m/YJ1?case=&x=1");
    const auto off = ConferenceConfig::parse("# no conference system yet\n", "c");
    EXPECT_FALSE(off.enabled());
    EXPECT_EQ(off.link("YJ1"), "");
}

TEST(Conference, BadTemplatesAreRefusedNamingTheLine)
{
    EXPECT_NE(errorOf("\nmeeting_link ftp://meet.example/{incident}\n").find("conference.conf:2: the meeting link must start with http"),
              std::string::npos);
    EXPECT_NE(errorOf("meeting_link https://meet.example.gov.cn/join\n").find("conference.conf:1: the meeting link must contain {incident}"),
              std::string::npos);
    EXPECT_NE(errorOf("meeting_link https://meet.example/{room}/{incident}\n").find("unknown placeholder {room}"),
              std::string::npos);
    EXPECT_NE(errorOf("meeting_link https://{incident}.example/\n").find("fixed host"), std::string::npos);
    EXPECT_NE(errorOf("meeting_link https://meet.example/{incident}/{case\n").find("'{' without its '}'"), std::string::npos);
    EXPECT_NE(errorOf("meeting_link https://a/{incident}\nmeeting_link https://b/{incident}\n")
                  .find("conference.conf:2: 'meeting_link' is given twice (first on line 1)"),
              std::string::npos);
    EXPECT_NE(errorOf("meeting_link https://a/ {incident}\n").find("conference.conf:1: 'meeting_link' takes one URL"),
              std::string::npos);
    EXPECT_NE(errorOf("room https://a/{incident}\n").find("conference.conf:1: unknown entry 'room'"), std::string::npos);
    EXPECT_TRUE(errorOf("meeting_link HTTPS://Meet.Example/{incident}\n").empty());
}
