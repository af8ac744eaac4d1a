#pragma once

#include "core/conference.h"
#include "core/incidenttypes.h"
#include "core/supervisionrules.h"

#include <filesystem>

namespace gd::store {

/**
 * The supervision and emergency settings of a center, read from its configuration directory
 * (the resources/config layout, beside catalog.conf): supervision.conf (the automatic rules)
 * (the automatic rules and which overdue categories alarm), conference.conf (the meeting-link
 * template) and emergency.conf (the emergency types). Core parses and validates; this reads files.
 */
struct SupervisionSettings
{
  core::SupervisionConfig supervision;
  core::ConferenceConfig conference;
  core::IncidentTypes incidentTypes;

  /**
   * Loads the three files from \a dir. A file that does not exist leaves its feature off (no
   * rule fires; no conference link; no emergency types). Throws core::ConfigError naming file and line of a bad entry,
   * or std::runtime_error naming a file that exists but cannot be read.
   */
  static SupervisionSettings load(const std::filesystem::path &dir);
};

} // namespace gd::store
