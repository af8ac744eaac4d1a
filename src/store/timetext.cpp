#include "store/timetext.h"

namespace gd::store {

std::string toDbTime(core::TimePoint t)
{
  return core::formatRfc3339(t, 0);
}

std::optional<core::TimePoint> fromDbTime(std::string_view text)
{
  if (text.empty())
    return std::nullopt;
  return core::parseRfc3339(text);
}

core::TimePoint nowUtc()
{
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace gd::store
