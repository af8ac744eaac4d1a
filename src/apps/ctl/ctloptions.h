#pragma once
// What every griddispatch-ctl subcommand reads from its command line, in one place.

#include "apps/common/commandline.h"
#include "core/timeutil.h"
#include "store/storelocation.h"

#include <filesystem>
#include <stdexcept>
#include <string>

namespace gd::apps::ctl {

//! A bad command line or argument: exit code 2, message names the option.
class UsageError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

//! The --db path (a GeoPackage file only); throws UsageError when it is missing or a database.
std::filesystem::path dbPath(const CommandLine &cli);
//! The --db store: a GeoPackage file or a PostgreSQL connection string; throws UsageError when missing or malformed.
store::StoreLocation dbLocation(const CommandLine &cli);

/**
 * The --NAME time (RFC 3339, or a date meaning its Beijing midnight), or \a fallback when not
 * given; throws UsageError naming the option when it is not a time.
 */
core::TimePoint timeOption(const CommandLine &cli, const std::string &name, core::TimePoint fallback);

} // namespace gd::apps::ctl
