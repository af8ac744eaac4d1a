#pragma once

#include "core/gridtree.h"

#include <cstddef>

namespace gd::store {

class Database;

/**
 * The five grid layers (grid_district … grid_microgrid), one MULTIPOLYGON feature table per
 * level, and the grid workers of each grid (grid_workers). Works on the connection it is given (not owned).
 */
class GridStore
{
  public:
    explicit GridStore(Database &db);
    /**
     * Replaces every grid with the nodes of \a tree and sets each layer's extent. Runs in the
     * open transaction, or in its own when none is open.
     */
    void replaceAll(const core::GridTree &tree);
    //! The whole grid tree (parents before children), with leaders, workers and households.
    core::GridTree load();
    //! Number of grids at \a level.
    std::size_t count(core::GridLevel level);
    //! The layer (table) name of \a level, e.g. "grid_microgrid".
    static const char *tableName(core::GridLevel level);

  private:
    Database &mDb;
};

} // namespace gd::store
