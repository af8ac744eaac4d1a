#pragma once

#include "core/accountpolicy.h"
#include "core/roles.h"

#include <filesystem>

namespace gd::store {

/**
 * The account rules of a center, read from its configuration directory (the resources/config
 * layout): accounts.conf (password, lockout, TOTP roles, idle lock, Argon2id cost; optional,
 * defaults otherwise) and permissions.conf (the permission matrix; required). Core parses and
 * validates; this reads the files.
 */
struct AccountSettings
{
  core::AccountsConfig accounts;
  core::PermissionMatrix permissions;

  /**
   * Throws core::ConfigError naming file and line of a bad entry, or std::runtime_error naming
   * permissions.conf when it is missing or a file that cannot be read.
   */
  static AccountSettings load(const std::filesystem::path &dir);
};

} // namespace gd::store
