#pragma once
// Point -> micro-grid lookup: a packed Boost.Geometry R-tree over bounding boxes, then an
// exact point-in-polygon test on flattened rings.

#include "core/geo.h"
#include "core/gridtree.h"

#include <memory>
#include <optional>
#include <vector>

namespace gd::core {

class GridIndex
{
  public:
    /**
     * Indexes the nodes of \a tree at \a level (micro-grids by default). The tree must
     * outlive the index: results point into it.
     */
    explicit GridIndex(const GridTree &tree, GridLevel level = GridLevel::MicroGrid);
    ~GridIndex();
    GridIndex(const GridIndex &) = delete;
    GridIndex &operator=(const GridIndex &) = delete;

    //! The indexed node containing \a p (CGCS2000), or nullptr outside every one.
    //! On a shared border the lowest code wins, so the answer is deterministic.
    const GridNode *lookup(GeoPoint p) const;
    //! The containing node and all its ancestors, lowest level first; empty outside.
    std::vector<const GridNode *> lookupWithAncestors(GeoPoint p) const;
    //! Brute-force reference: bounding-box scan of every node, then the same exact test.
    const GridNode *lookupBruteForce(GeoPoint p) const;
    std::size_t size() const;

  private:
    struct Impl;
    const GridTree &mTree;
    std::unique_ptr<Impl> mImpl;
};

} // namespace gd::core
