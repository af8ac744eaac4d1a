#include "store/config/accountsettings.h"

#include "store/config/configdir.h"

#include <stdexcept>

namespace gd::store {

AccountSettings AccountSettings::load(const std::filesystem::path &dir)
{
  AccountSettings settings;
  const auto accountsFile = dir / "accounts.conf";
  if (std::filesystem::exists(accountsFile))
    settings.accounts = core::AccountsConfig::parse(readConfigFile(accountsFile), accountsFile.string());
  // No matrix would mean nobody may do anything, or (worse) a guess: the file must be there.
  const auto permissionsFile = dir / "permissions.conf";
  if (!std::filesystem::exists(permissionsFile))
    throw std::runtime_error(permissionsFile.string() + ": missing: the permission matrix is required "
                             "(copy the shipped permissions.conf and adapt it)");
  settings.permissions = core::PermissionMatrix::parse(readConfigFile(permissionsFile), permissionsFile.string());
  return settings;
}

} // namespace gd::store
