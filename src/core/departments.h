#pragma once
// The department directory (部门名录): who can lead or assist a case.
// File format: resources/config/departments.conf (documented at its top).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

//! Administrative level of a department.
enum class DepartmentLevel
{
    City,
    District,
    Township,
    Community
};

std::string_view departmentLevelName(DepartmentLevel level); //!< "city", "district", "township", "community"
std::optional<DepartmentLevel> parseDepartmentLevel(std::string_view name);

struct Department
{
    std::string code; //!< short ASCII code, e.g. "police", "fire", "township"
    std::string nameZh;
    std::string nameEn;
    DepartmentLevel level = DepartmentLevel::District;
};

class DepartmentDirectory
{
  public:
    //! Parses the directory text; throws ConfigError naming \a sourceName and the line.
    static DepartmentDirectory parse(std::string_view text, const std::string &sourceName);

    //! The department with \a code, or nullptr.
    const Department *find(std::string_view code) const;
    const std::vector<Department> &departments() const { return mDepartments; }

  private:
    std::vector<Department> mDepartments;
};

} // namespace gd::core
