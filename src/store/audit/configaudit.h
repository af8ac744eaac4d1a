#pragma once
// Configuration changes in the audit trail (issue 17: "every … configuration change … audited").
// The configuration is the files of the configuration directory (accounts.conf,
// permissions.conf, departments.conf, the holiday calendars …), edited by hand between starts.
// A gateway or console, when it starts, compares each file's SM3 digest with the one last
// recorded for it in the audit log itself (its newest config_change row) and records a
// config_change row for a file changed, added or removed since, as the OS user on this host.
// The first start on a store records every file once (old digest "none"): the baseline.

#include "store/audit/auditlog.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gd::store::audit {


struct ConfigChange
{
    std::string file;      //!< relative to the configuration directory
    std::string oldDigest; //!< SM3 hex, "none" when the file is new to the log
    std::string newDigest; //!< SM3 hex, "removed" when the file is gone
};

/**
 * Records a config_change row for every file of \a dir whose digest differs from the last one
 * recorded in \a db's audit log (one transaction, so two processes starting together record a
 * change once). Returns the changes recorded.
 */
std::vector<ConfigChange> recordConfigChanges(Database &db, const std::filesystem::path &dir, const Actor &by);

} // namespace gd::store::audit
