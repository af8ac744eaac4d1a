#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::apps {

/**
 * A small GNU-style command line: `--name value`, `--name=value`, boolean `--flag`,
 * and positional words. Unknown options are errors that name the option, so a typo
 * never silently changes what a command does.
 */
class CommandLine
{
  public:
    struct Option
    {
      std::string name;        //!< without the leading dashes
      std::string valueName;   //!< empty for a boolean flag
      std::string help;
    };

    CommandLine(std::string program, std::string synopsis, std::string description);

    //! Declares an option; call before parse().
    void addOption(const std::string &name, const std::string &valueName, const std::string &help);
    //! Declares a boolean flag; call before parse().
    void addFlag(const std::string &name, const std::string &help);

    /**
     * Parses argv (without argv[0]). Returns false and fills error() on a bad command line.
     * --help and --version are always understood.
     */
    bool parse(const std::vector<std::string> &args);
    bool parse(int argc, char **argv);

    bool has(const std::string &name) const;
    std::optional<std::string> value(const std::string &name) const;
    std::string value(const std::string &name, const std::string &fallback) const;
    const std::vector<std::string> &positional() const { return mPositional; }

    bool helpRequested() const { return has("help"); }
    bool versionRequested() const { return has("version"); }

    std::string helpText() const;
    std::string versionText() const;
    const std::string &error() const { return mError; }

    /**
     * Handles --help / --version / parse errors the same way in every program.
     * Returns an exit code when the program should stop now, std::nullopt to go on.
     */
    std::optional<int> handleStandard(bool parsed) const;

  private:
    const Option *find(std::string_view name) const;

    std::string mProgram;
    std::string mSynopsis;
    std::string mDescription;
    std::vector<Option> mOptions;
    std::map<std::string, std::string> mValues;
    std::vector<std::string> mPositional;
    std::string mError;
};

} // namespace gd::apps
