#pragma once
// griddispatch-ctl import-cases: whole cases with their history from a legacy system, one
// case per line (JSON Lines), kept apart from the other subcommands.

#include "apps/common/commandline.h"

#include <iosfwd>

namespace gd::apps::ctl {

//! The help lines of these subcommands, for the program's --help.
const char *importCommandsHelp();

/**
 * Runs `import-cases FILE` (uses --db, --config and --json, declared by declareOptions()).
 * Returns the exit code: 0 imported, 1 a bad line or a case the store refuses (the message
 * names the file, line and field; nothing is imported), 2 a bad command line.
 * Store and configuration errors propagate to the caller's handlers.
 */
int runImportCommand(const CommandLine &cli, std::ostream &out, std::ostream &err);

} // namespace gd::apps::ctl
