#include "core/casenumber.h"

#include <cstdio>
#include <stdexcept>

namespace gd::core {

namespace {

bool allDigits(std::string_view s)
{
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return !s.empty();
}

} // namespace

CaseNumber::CaseNumber(std::string_view adminCode, Date date, int sequence)
    : mAdminCode(adminCode)
    , mDate(date)
    , mSequence(sequence)
{
    if (adminCode.size() != 6 || !allDigits(adminCode))
        throw std::invalid_argument("case number: admin code '" + std::string(adminCode) + "' must be 6 digits");
    if (!date.ok() || int(date.year()) < 1000 || int(date.year()) > 9999)
        throw std::invalid_argument("case number: invalid date");
    if (sequence < 1 || sequence > 999999)
        throw std::invalid_argument("case number: daily sequence " + std::to_string(sequence) + " is outside 1..999999");
}

CaseNumber CaseNumber::make(std::string_view adminCode, TimePoint reportedAt, int sequence)
{
    return CaseNumber(adminCode, beijingDate(reportedAt), sequence);
}

std::optional<CaseNumber> CaseNumber::parse(std::string_view text, std::string *whyNot)
{
    const auto refuse = [&](std::string reason) -> std::optional<CaseNumber> {
        if (whyNot)
            *whyNot = "case number '" + std::string(text) + "' " + std::move(reason);
        return std::nullopt;
    };
    if (text.size() != 22 || text[6] != '-' || text[15] != '-')
        return refuse("must look like 620902-20261121-000017");
    const std::string_view admin = text.substr(0, 6), ymd = text.substr(7, 8), seq = text.substr(16, 6);
    if (!allDigits(admin) || !allDigits(ymd) || !allDigits(seq))
        return refuse("must contain digits and two dashes only");
    const int y = std::stoi(std::string(ymd.substr(0, 4)));
    const unsigned m = unsigned(std::stoi(std::string(ymd.substr(4, 2))));
    const unsigned d = unsigned(std::stoi(std::string(ymd.substr(6, 2))));
    const Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
    if (!date.ok())
        return refuse("has an invalid date");
    const int sequence = std::stoi(std::string(seq));
    if (sequence < 1)
        return refuse("has daily sequence 000000; sequences start at 1");
    return CaseNumber(admin, date, sequence);
}

std::string CaseNumber::toString() const
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s-%04d%02u%02u-%06d", mAdminCode.c_str(), int(mDate.year()), unsigned(mDate.month()),
                  unsigned(mDate.day()), mSequence);
    return buf;
}

} // namespace gd::core
