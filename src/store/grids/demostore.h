#pragma once

#include "core/demodistrict.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gd::store {

class Database;

/**
 * Writes \a district into the store \a db: its grid tree replaces the store's grids and its
 * points of interest are added, all or nothing (in the caller's transaction when one is open).
 */
void writeDemoDistrict(Database &db, const core::DemoDistrict &district);

//! A field terminal provisioned for the simulator.
struct DemoTerminal
{
  std::string device;
  std::string token;
  core::GeoPoint home; //!< the centre of its worker's grid, where it patrols (CGCS2000)
};

/**
 * Provisions \a count terminals (HS-00001 …) for grid workers spread over the whole district,
 * in the caller's transaction. Throws std::invalid_argument when the district has fewer
 * workers than \a count.
 */
std::vector<DemoTerminal> provisionDemoTerminals(Database &db, const core::DemoDistrict &district, int count);

/**
 * Writes \a terminals as griddispatch-sim reads them ("DEVICE TOKEN HOME_LON HOME_LAT" a
 * line). Throws std::runtime_error naming the file when it cannot be written.
 */
void writeSimCredentials(const std::filesystem::path &path, const std::vector<DemoTerminal> &terminals);

} // namespace gd::store
