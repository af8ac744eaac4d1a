#include "store/supervisionconfig.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gd::store {

namespace {

std::optional<std::string> readIfPresent(const std::filesystem::path &path)
{
  if (!std::filesystem::exists(path))
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read configuration file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

SupervisionSettings SupervisionSettings::load(const std::filesystem::path &dir)
{
  SupervisionSettings settings;
  const auto supervisionFile = dir / "supervision.conf";
  if (const auto text = readIfPresent(supervisionFile))
    settings.supervision = core::SupervisionConfig::parse(*text, supervisionFile.string());
  const auto conferenceFile = dir / "conference.conf";
  if (const auto text = readIfPresent(conferenceFile))
    settings.conference = core::ConferenceConfig::parse(*text, conferenceFile.string());
  return settings;
}

} // namespace gd::store
