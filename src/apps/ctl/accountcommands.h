#pragma once
// griddispatch-ctl's account subcommands (issue 17): `account create-admin|add|list|disable|
// roles|reset-password|password`. Passwords are never taken from the command line: they are
// read from standard input (a prompt without echo on a terminal, one line each from a pipe).

#include "apps/common/commandline.h"

#include <iosfwd>

namespace gd::apps::ctl {

void declareAccountOptions(CommandLine &cli);
const char *accountCommandsHelp();
//! Runs `account …`; \a in gives the passwords and TOTP codes. Exit codes as the other commands.
int runAccountCommand(const CommandLine &cli, std::istream &in, std::ostream &out, std::ostream &err);
//! Runs `seat add|list|disable` (issue 17: a console's grid and department scope).
int runSeatCommand(const CommandLine &cli, std::istream &in, std::ostream &out, std::ostream &err);

} // namespace gd::apps::ctl
