#pragma once
// Case numbers (一案一码): "<6-digit admin code>-<yyyymmdd>-<daily sequence, 6 digits>",
// e.g. "620902-20261121-000017". The date is the Beijing date of the report.

#include "core/timeutil.h"

#include <optional>
#include <string>
#include <string_view>

namespace gd::core {

class CaseNumber
{
  public:
    /**
     * Builds a number; \a adminCode must be 6 digits and \a sequence in 1..999999.
     * Throws std::invalid_argument otherwise.
     */
    CaseNumber(std::string_view adminCode, Date date, int sequence);
    //! Same, with the Beijing date of \a reportedAt.
    static CaseNumber make(std::string_view adminCode, TimePoint reportedAt, int sequence);
    //! Parses a number; nullopt (and \a whyNot) when malformed.
    static std::optional<CaseNumber> parse(std::string_view text, std::string *whyNot = nullptr);

    const std::string &adminCode() const { return mAdminCode; }
    Date date() const { return mDate; }
    int sequence() const { return mSequence; }
    std::string toString() const;

    friend bool operator==(const CaseNumber &, const CaseNumber &) = default;

  private:
    std::string mAdminCode;
    Date mDate;
    int mSequence = 0;
};

} // namespace gd::core
