#pragma once

#include <stdexcept>
#include <string>

namespace gd::core {

/**
 * A configuration text that cannot be used.
 * what() reads "<source>:<line>: <problem>" so an administrator can go straight to the line.
 * Line 0 means the problem concerns the whole source (e.g. a missing mandatory entry).
 */
class ConfigError : public std::runtime_error
{
  public:
    ConfigError(std::string source, int line, std::string problem);

    //! The name the caller gave the text (usually the file path).
    const std::string &source() const { return mSource; }
    //! 1-based line number, 0 for the whole source.
    int line() const { return mLine; }
    //! The problem without the location prefix.
    const std::string &problem() const { return mProblem; }

  private:
    std::string mSource;
    int mLine = 0;
    std::string mProblem;
};

} // namespace gd::core
