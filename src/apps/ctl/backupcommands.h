#pragma once
// griddispatch-ctl backup / restore (issue 17, 数据备份恢复): an online backup of a store with
// its manifest, the retention of a store's backups, and a checked restore.

#include "apps/common/commandline.h"

#include <iosfwd>

namespace gd::apps::ctl {

void declareBackupOptions(CommandLine &cli);
const char *backupCommandsHelp();
int runBackupCommand(const CommandLine &cli, std::ostream &out, std::ostream &err);
int runRestoreCommand(const CommandLine &cli, std::ostream &out, std::ostream &err);

} // namespace gd::apps::ctl
