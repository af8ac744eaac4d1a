#pragma once

#include "core/demodistrict.h"

namespace gd::store {

class Database;

/**
 * Writes \a district into the store \a db: its grid tree replaces the store's grids and its
 * points of interest are added, in one transaction (nothing is written when anything fails).
 */
void writeDemoDistrict(Database &db, const core::DemoDistrict &district);

} // namespace gd::store
