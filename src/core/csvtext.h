#pragma once
// CSV as the exports write it (RFC 4180): a field with a comma, a quote or a line break is
// quoted, its quotes doubled.

#include <string>
#include <string_view>

namespace gd::core {

//! \a text as one CSV field.
std::string csvField(std::string_view text);

} // namespace gd::core
