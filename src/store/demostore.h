#pragma once

#include "core/demodistrict.h"

namespace gd::store {

class Database;

/**
 * Writes \a district into the store \a db: its grid tree replaces the store's grids and its
 * points of interest are added, all or nothing (in the caller's transaction when one is open).
 */
void writeDemoDistrict(Database &db, const core::DemoDistrict &district);

} // namespace gd::store
