#pragma once
// Map styles inside the store file, where QGIS desktop looks for a layer's default style
// (the GeoPackage "layer_styles" table QGIS itself writes): a store opened in QGIS desktop
// looks as it does in the console.

#include <filesystem>
#include <string>

namespace gd::store {

class Database;

/**
 * Writes the .qml files of \a mapsDir that belong to store layers (grid_district.qml …
 * grid_microgrid.qml, pois.qml) into layer_styles as each layer's default style, replacing
 * the ones written before. Creates and registers the table when missing. Returns how many
 * styles were written. Throws std::runtime_error naming a file that cannot be read.
 */
int installMapStyles(Database &db, const std::filesystem::path &mapsDir);

//! The maps/ directory: the source tree's in a build tree, else the installed one.
std::filesystem::path defaultMapsDir();

} // namespace gd::store
