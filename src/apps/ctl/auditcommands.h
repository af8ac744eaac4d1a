#pragma once
// griddispatch-ctl audit …: the audit administrator's commands (issue 17), and the audit rows
// ctl writes for its own changing commands, as the OS user on this host.

#include "apps/common/commandline.h"

#include <iosfwd>
#include <optional>
#include <string>

namespace gd::apps::ctl {

void declareAuditOptions(CommandLine &cli);
const char *auditCommandsHelp();
int runAuditCommand(const CommandLine &cli, std::ostream &out, std::ostream &err);

/**
 * What a ctl command changes, as an audit action and its object ("device_add", "T-1"); nullopt
 * for a command that only reads (and for audit seal/archive, which record themselves).
 */
struct AuditedCommand
{
    std::string action;
    std::string object;
    std::string detail;
    std::string store; //!< the store it changes (--db, or copy's --to)
};
std::optional<AuditedCommand> auditedCommand(const CommandLine &cli);

/**
 * Appends the row for \a command to its store's audit log: actor the OS user, host this
 * machine's name, outcome from the exit code (0 ok, 2 refused, else failed), \a error the reason.
 * Returns false (having said why on \a err) when the store cannot be opened to record it.
 */
bool recordCommand(const AuditedCommand &command, int exitCode, const std::string &error, std::ostream &err);

} // namespace gd::apps::ctl
