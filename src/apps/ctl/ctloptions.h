#pragma once
// What every griddispatch-ctl subcommand reads from its command line, in one place.

#include "apps/common/commandline.h"
#include "core/timeutil.h"

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

//! The --db path; throws UsageError when it is missing.
std::filesystem::path dbPath(const CommandLine &cli);

/**
 * The --NAME time (RFC 3339, or a date meaning its Beijing midnight), or \a fallback when not
 * given; throws UsageError naming the option when it is not a time.
 */
core::TimePoint timeOption(const CommandLine &cli, const std::string &name, core::TimePoint fallback);

} // namespace gd::apps::ctl
