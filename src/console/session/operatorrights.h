#pragma once
// Who is at the console and what they may do (issue 17): the logged-in account, its roles, the
// center's permission matrix, and the seat's scope (a grid subtree, a department). A console
// on a store without accounts (the demo, an old store) has no matrix: everything is allowed,
// as before accounts existed. Features ask may() before they show or do a thing.

#include "core/roles.h"
#include "store/cases/casescope.h"

#include <QString>

#include <optional>

namespace gd::console {

struct OperatorRights
{
  QString accountId;            //!< empty on a store without accounts
  QString displayName;
  core::RoleSet roles;
  std::optional<core::PermissionMatrix> permissions; //!< nullopt: no accounts, everything allowed
  QString gridScope;            //!< grid code of the seat's subtree; empty: the whole district
  QString department;           //!< department code of a department seat; empty: none

  bool enforced() const { return permissions.has_value(); }
  bool may(core::Action action) const { return !permissions || permissions->may(roles, action); }
  bool hasRole(core::Role role) const { return roles.count(role) != 0; }
  //! The seat's scope as the store's readers and CaseStore take it.
  store::CaseScope caseScope() const { return {gridScope.toStdString(), department.toStdString()}; }
};

} // namespace gd::console
