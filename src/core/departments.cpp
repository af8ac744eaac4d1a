#include "core/departments.h"

#include "core/configerror.h"
#include "core/configtext.h"

namespace gd::core {

using namespace configtext;

std::string_view departmentLevelName(DepartmentLevel level)
{
    switch (level) {
    case DepartmentLevel::City: return "city";
    case DepartmentLevel::District: return "district";
    case DepartmentLevel::Township: return "township";
    case DepartmentLevel::Community: return "community";
    }
    return "district";
}

std::optional<DepartmentLevel> parseDepartmentLevel(std::string_view name)
{
    for (DepartmentLevel l : {DepartmentLevel::City, DepartmentLevel::District, DepartmentLevel::Township,
                              DepartmentLevel::Community})
        if (departmentLevelName(l) == name)
            return l;
    return std::nullopt;
}

DepartmentDirectory DepartmentDirectory::parse(std::string_view text, const std::string &sourceName)
{
    DepartmentDirectory dir;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto fields = splitBars(line.text);
        if (fields.size() != 4)
            fail("a department line has 4 fields '<code> | <level> | <中文名> | <English name>', found "
                 + std::to_string(fields.size()));
        Department d;
        d.code = fields[0];
        if (d.code.empty() || d.code.size() > 32)
            fail("department code must be 1 to 32 characters");
        for (char c : d.code)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
                fail("department code '" + d.code + "' may use only a-z, 0-9 and _");
        if (dir.find(d.code))
            fail("department " + d.code + " is defined twice");
        const auto level = parseDepartmentLevel(fields[1]);
        if (!level)
            fail("department " + d.code + ": level '" + std::string(fields[1])
                 + "' is not city, district, township or community");
        d.level = *level;
        d.nameZh = fields[2];
        d.nameEn = fields[3];
        if (d.nameZh.empty() || d.nameEn.empty())
            fail("department " + d.code + " needs a Chinese and an English name");
        dir.mDepartments.push_back(std::move(d));
    }
    if (dir.mDepartments.empty())
        throw ConfigError(sourceName, 0, "the directory defines no department");
    return dir;
}

const Department *DepartmentDirectory::find(std::string_view code) const
{
    for (const Department &d : mDepartments)
        if (d.code == code)
            return &d;
    return nullptr;
}

} // namespace gd::core
