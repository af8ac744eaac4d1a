#include "apps/common/configpath.h"

#include "core/buildinfo.h"

namespace gd::apps {

std::filesystem::path defaultConfigFile(std::string_view name)
{
  const std::filesystem::path source = std::filesystem::path(core::kSourceDir) / "resources" / "config" / name;
  if (std::filesystem::exists(source))
    return source;
  return std::filesystem::path(core::kInstallDataDir) / "config" / name;
}

} // namespace gd::apps
