#include "core/conference.h"

#include "core/configerror.h"
#include "core/configtext.h"

#include <cctype>

namespace gd::core {

using namespace configtext;

namespace {

constexpr std::string_view kIncident = "{incident}";
constexpr std::string_view kCase = "{case}";

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    if (text.size() < prefix.size())
        return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
            return false;
    return true;
}

std::string replaceAll(std::string text, std::string_view what, const std::string &with)
{
    for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + with.size()))
        text.replace(pos, what.size(), with);
    return text;
}

} // namespace

std::string urlEncode(std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0f]);
        }
    }
    return out;
}

std::string ConferenceConfig::checkTemplate(std::string_view t)
{
    std::size_t schemeEnd = 0;
    if (startsWithNoCase(t, "https://"))
        schemeEnd = 8;
    else if (startsWithNoCase(t, "http://"))
        schemeEnd = 7;
    else
        return "the meeting link must start with http:// or https://";
    const std::size_t hostEnd = t.find_first_of("/?#", schemeEnd);
    const std::string_view host = t.substr(schemeEnd, hostEnd == std::string_view::npos ? t.size() - schemeEnd : hostEnd - schemeEnd);
    if (host.empty() || host.find('{') != std::string_view::npos)
        return "the meeting link needs a fixed host name after " + std::string(t.substr(0, schemeEnd));
    for (const char ch : t) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
            return "the meeting link may not contain spaces, control characters, quotes, angle brackets or backslashes";
    }
    if (t.find(kIncident) == std::string_view::npos)
        return "the meeting link must contain {incident} (where the incident number goes)";
    for (std::size_t open = t.find('{'); open != std::string_view::npos; open = t.find('{', open + 1)) {
        const std::size_t close = t.find('}', open);
        if (close == std::string_view::npos)
            return "the meeting link has a '{' without its '}'";
        const std::string_view placeholder = t.substr(open, close - open + 1);
        if (placeholder != kIncident && placeholder != kCase)
            return "unknown placeholder " + std::string(placeholder) + "; only {incident} and {case} are filled in";
    }
    return std::string();
}

ConferenceConfig ConferenceConfig::parse(std::string_view text, const std::string &sourceName)
{
    ConferenceConfig config;
    int seen = 0;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto words = splitWords(line.text);
        if (words[0] != "meeting_link")
            fail("unknown entry '" + std::string(words[0]) + "'; expected meeting_link");
        if (seen)
            fail("'meeting_link' is given twice (first on line " + std::to_string(seen) + "); keep one");
        seen = line.number;
        if (words.size() != 2)
            fail("'meeting_link' takes one URL without spaces, e.g. https://meet.example.gov.cn/join?room={incident}");
        if (const std::string why = checkTemplate(words[1]); !why.empty())
            fail(why);
        config.linkTemplate = std::string(words[1]);
    }
    return config;
}

std::string ConferenceConfig::link(std::string_view incident, std::string_view caseNumber) const
{
    if (!enabled())
        return std::string();
    return replaceAll(replaceAll(linkTemplate, kCase, urlEncode(caseNumber)), kIncident, urlEncode(incident));
}

} // namespace gd::core
