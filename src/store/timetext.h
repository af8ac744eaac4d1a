#pragma once
// How instants are written in the store: UTC "YYYY-MM-DDTHH:MM:SSZ" in DATETIME columns.
// Fixed width, so text order is time order and range conditions use the indexes; GDAL and
// QGIS read the columns as date-times.

#include "core/timeutil.h"

#include <optional>
#include <string>
#include <string_view>

namespace gd::store {

//! Formats \a t for a DATETIME column.
std::string toDbTime(core::TimePoint t);
//! Appends toDbTime(\a t) to \a out without temporaries (the write paths' hot loop).
void appendDbTime(std::string &out, core::TimePoint t);
//! Parses a DATETIME column value; nullopt when empty or malformed.
std::optional<core::TimePoint> fromDbTime(std::string_view text);
//! The current wall-clock time (the store may read clocks; core never does).
core::TimePoint nowUtc();

} // namespace gd::store
