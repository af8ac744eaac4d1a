#pragma once
// A seat's scope over the cases (issue 17): the grid subtree it belongs to and, for a
// department seat, its department. The store's case readers and CaseStore take one and answer
// only inside it; on PostgreSQL the seat's own database role is held to the same scope by
// row-level security (seats/seatstore.h), so this is what the program asks and the policies are
// what the database enforces. Grid codes nest by prefix (core/gridcode.h: a child's code is
// its parent's plus three digits), so "in the subtree" is "the case's grid code starts with
// the scope's code".

#include <string>
#include <string_view>

namespace gd::store {

struct CaseScope
{
  std::string grid;        //!< a grid code (its subtree); empty: the whole district
  std::string department;  //!< a department code (cases it leads or assists in); empty: any

  //! True when the scope limits nothing (a district seat without department, ctl, the gateway).
  bool all() const { return grid.empty() && department.empty(); }

  /**
   * The scope as an SQL condition over the columns of the cases table under \a alias ("c" or
   * "" for none), "1 = 1" for all(). The codes are embedded as literals: the constructor-side
   * check (valid()) admits digits for the grid and [A-Za-z0-9_-] for the department only.
   */
  std::string sqlCondition(std::string_view alias = {}) const;

  //! True when \a gridCode / \a lead / \a assisting (comma-separated) lie in the scope.
  bool admits(std::string_view gridCode, std::string_view lead, std::string_view assisting) const;

  //! Throws std::invalid_argument when a code holds anything else than what sqlCondition allows.
  void check() const;
};

} // namespace gd::store
