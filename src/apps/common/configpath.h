#pragma once

#include <filesystem>
#include <string_view>

namespace gd::apps {

/**
 * Returns the path of configuration file \a name (e.g. "catalog.conf"): the source tree's
 * resources/config in a build tree, else the installed share/griddispatch/config.
 */
std::filesystem::path defaultConfigFile(std::string_view name);

} // namespace gd::apps
