#pragma once
// griddispatch-ctl's supervision (督办) and emergency (一键直达) subcommands, kept apart from the
// other subcommands: `supervise run|list|rank|urge|history` and
// `emergency declare|list|nearby|dispatch|alert|acks|note|conference|close|timeline`.

#include "apps/common/commandline.h"

#include <iosfwd>

namespace gd::apps::ctl {

//! Declares the options only these subcommands use (the shared ones are declared by declareOptions()).
void declareSupervisionOptions(CommandLine &cli);

//! The help lines of these subcommands, for the program's --help.
const char *supervisionCommandsHelp();

/**
 * Runs `supervise ...` or `emergency ...` (the first positional word). Returns the exit code:
 * 0 done, 1 a refusal or a problem with the data, 2 a bad command line (message on \a err).
 * Store and configuration errors propagate to the caller's handlers.
 */
int runSupervisionCommand(const CommandLine &cli, std::ostream &out, std::ostream &err);

} // namespace gd::apps::ctl
