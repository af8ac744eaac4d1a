#pragma once

#include "core/gridtree.h"

#include <cstddef>
#include <set>
#include <string>
#include <vector>

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

    //! Every grid code stored, over the five layers.
    std::set<std::string> storedCodes();

    /**
     * References to grid codes that \a codes does not hold: the grid columns of cases
     * (grid_code, district_code .. microgrid_code, responsible_grid) and grid_workers.grid_code.
     * One line per missing code and column, e.g. "cases.grid_code 620902001001001: 12 case(s)
     * (first 20260101...)", at most \a limit lines; \a casesOut / \a workersOut get the totals.
     */
    std::vector<std::string> orphanedReferences(const std::set<std::string> &codes, std::size_t limit,
                                                std::size_t *casesOut = nullptr, std::size_t *workersOut = nullptr);

  private:
    Database &mDb;
};

} // namespace gd::store
