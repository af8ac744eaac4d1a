#pragma once
// The incident's video conference (视频会商): the center's own conference system is reached
// through its web portal; a configured link template is filled with the incident number (and
// optionally the case number), and the link travels in the orders and notices of the incident.
// Configuration: resources/config/conference.conf (documented at its top).

#include <string>
#include <string_view>

namespace gd::core {

//! Percent-encodes \a text for a URL query or path (RFC 3986: only A-Z a-z 0-9 - . _ ~ stay; UTF-8 bytes as %XX).
std::string urlEncode(std::string_view text);

struct ConferenceConfig
{
    //! e.g. "https://meet.example.gov.cn/join?room={incident}"; empty: no conference system configured.
    std::string linkTemplate;

    /**
     * Parses "meeting_link <template>" (at most once; an empty file leaves conferencing off).
     * The template must be an http or https URL with a host, contain {incident}, and use no
     * placeholder other than {incident} and {case}. Throws ConfigError naming the line.
     */
    static ConferenceConfig parse(std::string_view text, const std::string &sourceName);

    //! Why \a linkTemplate cannot be used, or an empty string when it can.
    static std::string checkTemplate(std::string_view linkTemplate);

    bool enabled() const { return !linkTemplate.empty(); }
    /**
     * The meeting link of incident \a incident: {incident} and {case} replaced by the
     * URL-encoded numbers ({case} by nothing when there is no case). Empty when not enabled().
     */
    std::string link(std::string_view incident, std::string_view caseNumber = {}) const;
};

} // namespace gd::core
