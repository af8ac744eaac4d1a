#pragma once

#include "core/geo.h"
#include "core/gridcode.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gd::core {

//! A person responsible for a grid (网格长 / 网格员).
struct GridPerson
{
    std::string id;
    std::string name;
    std::string phone;
};

//! One node of the five-level grid tree.
struct GridNode
{
    GridCode code;
    std::string name;
    MultiPolygon area; //!< CGCS2000 lon/lat
    std::optional<GridPerson> leader; //!< 网格长
    std::vector<GridPerson> workers;  //!< 网格员
    int households = 0;

    GridLevel level() const { return code.level(); }
};

/**
 * The grid tree 区县 → 乡镇/街道 → 村/社区 → 网格 → 微网格. Nodes are kept by code; parents
 * must be added before children.
 */
class GridTree
{
  public:
    /**
     * Adds \a node. Returns the reason it was refused (duplicate code, missing parent,
     * a second district with another admin code is fine), or an empty string on success.
     */
    std::string add(GridNode node);

    /**
     * Checks the whole tree: every ring closed, households not negative, every non-district
     * node has its parent, micro-grid areas lie within their parent's bounding box.
     * Returns one message per problem, naming the code.
     */
    std::vector<std::string> validate() const;

    //! The node with \a code, or nullptr.
    const GridNode *find(const GridCode &code) const;
    const GridNode *find(std::string_view code) const;
    //! Direct children of \a code, in code order.
    std::vector<const GridNode *> children(const GridCode &code) const;
    //! Ancestors of \a code from the parent up to the district (nodes present in the tree).
    std::vector<const GridNode *> ancestors(const GridCode &code) const;
    //! \a code and all its descendants, in code order (pre-order).
    std::vector<const GridNode *> subtree(const GridCode &code) const;
    //! All nodes at \a level, in code order.
    std::vector<const GridNode *> nodesAt(GridLevel level) const;
    //! All nodes in code order.
    std::vector<const GridNode *> nodes() const;
    std::size_t size() const { return mNodes.size(); }

  private:
    std::map<std::string, GridNode, std::less<>> mNodes; // code order == pre-order of the tree
};

} // namespace gd::core
