#include "apps/common/commandline.h"

#include "core/buildinfo.h"

#include <iostream>
#include <sstream>

namespace gd::apps {

CommandLine::CommandLine(std::string program, std::string synopsis, std::string description)
  : mProgram(std::move(program))
  , mSynopsis(std::move(synopsis))
  , mDescription(std::move(description))
{
  addFlag("help", "show this help and exit");
  addFlag("version", "show the version and exit");
}

void CommandLine::addOption(const std::string &name, const std::string &valueName, const std::string &help)
{
  mOptions.push_back({name, valueName, help});
}

void CommandLine::addFlag(const std::string &name, const std::string &help)
{
  mOptions.push_back({name, std::string(), help});
}

const CommandLine::Option *CommandLine::find(std::string_view name) const
{
  for (const Option &option : mOptions)
    if (option.name == name)
      return &option;
  return nullptr;
}

bool CommandLine::parse(int argc, char **argv)
{
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  return parse(args);
}

bool CommandLine::parse(const std::vector<std::string> &args)
{
  mValues.clear();
  mPositional.clear();
  mError.clear();
  bool onlyPositional = false;
  for (std::size_t i = 0; i < args.size(); ++i)
  {
    const std::string &arg = args[i];
    if (onlyPositional || arg.size() < 3 || arg.compare(0, 2, "--") != 0)
    {
      if (arg == "--")
      {
        onlyPositional = true;
        continue;
      }
      mPositional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); eq != std::string::npos)
    {
      inlineValue = name.substr(eq + 1);
      name.resize(eq);
    }
    const Option *option = find(name);
    if (!option)
    {
      mError = "unknown option --" + name;
      return false;
    }
    if (option->valueName.empty())
    {
      if (inlineValue)
      {
        mError = "option --" + name + " takes no value";
        return false;
      }
      mValues[name] = "1";
      continue;
    }
    if (inlineValue)
    {
      mValues[name] = *inlineValue;
    }
    else if (i + 1 < args.size())
    {
      mValues[name] = args[++i];
    }
    else
    {
      mError = "option --" + name + " needs a value (" + option->valueName + ")";
      return false;
    }
  }
  return true;
}

bool CommandLine::has(const std::string &name) const
{
  return mValues.count(name) != 0;
}

std::optional<std::string> CommandLine::value(const std::string &name) const
{
  const auto it = mValues.find(name);
  if (it == mValues.end())
    return std::nullopt;
  return it->second;
}

std::string CommandLine::value(const std::string &name, const std::string &fallback) const
{
  return value(name).value_or(fallback);
}

std::string CommandLine::helpText() const
{
  std::ostringstream out;
  out << "Usage: " << mProgram << ' ' << mSynopsis << "\n\n" << mDescription << "\n\nOptions:\n";
  for (const Option &option : mOptions)
  {
    std::string left = "  --" + option.name + (option.valueName.empty() ? "" : " " + option.valueName);
    if (left.size() < 28)
      left.resize(28, ' ');
    else
      left += "\n" + std::string(28, ' ');
    out << left << option.help << '\n';
  }
  return out.str();
}

std::string CommandLine::versionText() const
{
  return mProgram + " (GridDispatch) " + core::kVersion + "\n";
}

std::optional<int> CommandLine::handleStandard(bool parsed) const
{
  if (!parsed)
  {
    std::cerr << mProgram << ": " << mError << "\nTry '" << mProgram << " --help'.\n";
    return 2;
  }
  if (helpRequested())
  {
    std::cout << helpText();
    return 0;
  }
  if (versionRequested())
  {
    std::cout << versionText();
    return 0;
  }
  return std::nullopt;
}

} // namespace gd::apps
