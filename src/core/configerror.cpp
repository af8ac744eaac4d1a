#include "core/configerror.h"

namespace gd::core {

ConfigError::ConfigError(std::string source, int line, std::string problem)
    : std::runtime_error(source + ":" + std::to_string(line) + ": " + problem)
    , mSource(std::move(source))
    , mLine(line)
    , mProblem(std::move(problem))
{
}

} // namespace gd::core
