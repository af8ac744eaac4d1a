#pragma once
// The subcommands of griddispatch-ctl. Each returns the process exit code: 0 done,
// 1 the command ran into a problem (bad data, refused import), 2 a bad command line.

#include "apps/common/commandline.h"

#include <iosfwd>

namespace gd::apps::ctl {

//! Declares every option the subcommands understand on \a cli.
void declareOptions(CommandLine &cli);

//! Runs the subcommand named by the first positional word; messages go to \a err.
int run(const CommandLine &cli, std::ostream &out, std::ostream &err);

} // namespace gd::apps::ctl
