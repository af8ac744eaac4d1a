#include "store/config/supervisionconfig.h"

#include "store/config/configdir.h"

#include <stdexcept>

namespace gd::store {

namespace {

std::optional<std::string> readIfPresent(const std::filesystem::path &path)
{
  if (!std::filesystem::exists(path))
    return std::nullopt;
  return readConfigFile(path);
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
  const auto emergencyFile = dir / "emergency.conf";
  if (const auto text = readIfPresent(emergencyFile))
    settings.incidentTypes = core::IncidentTypes::parse(*text, emergencyFile.string());
  return settings;
}

} // namespace gd::store
