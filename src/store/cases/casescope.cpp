#include "store/cases/casescope.h"

#include <algorithm>
#include <stdexcept>

namespace gd::store {

void CaseScope::check() const
{
  if (!std::all_of(grid.begin(), grid.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw std::invalid_argument("a seat's grid scope is a grid code (digits only), not '" + grid + "'");
  if (!std::all_of(department.begin(), department.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
      }))
    throw std::invalid_argument("a seat's department is a department code ([A-Za-z0-9_-]), not '" + department + "'");
}

std::string CaseScope::sqlCondition(std::string_view alias) const
{
  check(); // what is embedded below is digits and code characters only
  if (all())
    return "1 = 1";
  const std::string p = alias.empty() ? std::string() : std::string(alias) + ".";
  std::string sql = "(";
  if (!grid.empty())
    sql += p + "grid_code LIKE '" + grid + "%'";
  if (!department.empty())
  {
    if (!grid.empty())
      sql += " AND ";
    // assisting_depts is "a,b,c" (CaseStore::project).
    // '_' in a code is LIKE's any-character: escaped.
    std::string pattern;
    for (char c : department)
      pattern += c == '_' ? std::string("\\_") : std::string(1, c);
    sql += "(" + p + "lead_dept = '" + department + "' OR ',' || coalesce(" + p + "assisting_depts, '') || ',' LIKE '%," +
           pattern + ",%' ESCAPE '\\')";
  }
  return sql + ")";
}

bool CaseScope::admits(std::string_view gridCode, std::string_view lead, std::string_view assisting) const
{
  if (!grid.empty() && gridCode.substr(0, grid.size()) != grid)
    return false;
  if (department.empty() || lead == department)
    return true;
  const std::string list = "," + std::string(assisting) + ",";
  return list.find("," + department + ",") != std::string::npos;
}

} // namespace gd::store
