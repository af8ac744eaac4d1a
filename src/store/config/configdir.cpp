#include "store/config/configdir.h"

#include "core/buildinfo.h"
#include "core/configerror.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gd::store {

std::string readConfigFile(const std::filesystem::path &path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read configuration file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<ConfigDirectory> ConfigDirectory::load(const std::filesystem::path &dir)
{
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error("configuration directory " + dir.string() + " does not exist");
  auto config = std::make_unique<ConfigDirectory>();
  const auto departmentsFile = dir / "departments.conf";
  config->departments = core::DepartmentDirectory::parse(readConfigFile(departmentsFile), departmentsFile.string());
  const auto catalogFile = dir / "catalog.conf";
  config->catalog = core::CategoryCatalog::parse(readConfigFile(catalogFile), catalogFile.string());
  config->catalog.validateAgainst(config->departments);
  if (const auto kpiFile = dir / "kpi.conf"; std::filesystem::exists(kpiFile))
    config->kpi = core::KpiConfig::parse(readConfigFile(kpiFile), kpiFile.string());
  if (const auto routingFile = dir / "routing.conf"; std::filesystem::exists(routingFile))
  {
    config->routing.parseRules(readConfigFile(routingFile), routingFile.string());
    // Core checks codes against the catalog; whether a department exists is the directory's to say.
    for (const core::RoutingRule &rule : config->routing.rules())
      if (!config->departments.find(rule.department))
        throw core::ConfigError(routingFile.string(), rule.line,
                                "department '" + rule.department + "' is not in " + departmentsFile.string());
  }
  const auto calendarDir = dir / "calendar";
  if (const auto settings = calendarDir / "calendar.conf"; std::filesystem::exists(settings))
    config->calendar.parseSettings(readConfigFile(settings), settings.string());
  if (std::filesystem::is_directory(calendarDir))
  {
    std::vector<std::filesystem::path> years;
    for (const auto &entry : std::filesystem::directory_iterator(calendarDir))
      if (entry.path().extension() == ".cal")
        years.push_back(entry.path());
    std::sort(years.begin(), years.end());
    for (const auto &year : years)
      config->calendar.addYear(readConfigFile(year), year.string());
  }
  return config;
}

std::filesystem::path ConfigDirectory::defaultPath()
{
  const std::filesystem::path source = std::filesystem::path(core::kSourceDir) / "resources" / "config";
  if (std::filesystem::is_directory(source))
    return source;
  return std::filesystem::path(core::kInstallDataDir) / "config";
}

} // namespace gd::store
