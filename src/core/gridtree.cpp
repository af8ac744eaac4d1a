#include "core/gridtree.h"

#include <algorithm>
#include <limits>

namespace gd::core {

namespace {

struct Box
{
    double minLon = std::numeric_limits<double>::max();
    double minLat = std::numeric_limits<double>::max();
    double maxLon = std::numeric_limits<double>::lowest();
    double maxLat = std::numeric_limits<double>::lowest();
    bool empty() const { return minLon > maxLon; }
    void add(GeoPoint p)
    {
        minLon = std::min(minLon, p.lon);
        minLat = std::min(minLat, p.lat);
        maxLon = std::max(maxLon, p.lon);
        maxLat = std::max(maxLat, p.lat);
    }
};

Box boxOf(const MultiPolygon &area)
{
    Box b;
    for (const Polygon &poly : area)
        for (GeoPoint p : poly.outer)
            b.add(p);
    return b;
}

} // namespace

std::string GridTree::add(GridNode node)
{
    const std::string &code = node.code.str();
    if (node.code.isNull())
        return "a grid node needs a code";
    if (mNodes.count(code))
        return "grid " + code + " is already in the tree";
    if (const auto parent = node.code.parent(); parent && !mNodes.count(parent->str()))
        return "grid " + code + " (" + std::string(gridLevelNameZh(node.level())) + ") has no parent " + parent->str()
               + " in the tree; add parents first";
    mNodes.emplace(code, std::move(node));
    return {};
}

std::vector<std::string> GridTree::validate() const
{
    std::vector<std::string> problems;
    for (const auto &[code, node] : mNodes) {
        if (const auto parent = node.code.parent(); parent && !mNodes.count(parent->str()))
            problems.push_back("grid " + code + ": parent " + parent->str() + " is missing");
        if (node.households < 0)
            problems.push_back("grid " + code + ": households is negative");
        if (node.name.empty())
            problems.push_back("grid " + code + ": name is empty");
        for (const Polygon &poly : node.area) {
            if (!isClosedRing(poly.outer))
                problems.push_back("grid " + code + ": an outer ring is not closed or has fewer than 4 points");
            for (const Ring &hole : poly.holes)
                if (!isClosedRing(hole))
                    problems.push_back("grid " + code + ": a hole is not closed or has fewer than 4 points");
        }
        if (const auto parent = node.code.parent(); parent && !node.area.empty()) {
            const auto it = mNodes.find(parent->str());
            if (it != mNodes.end() && !it->second.area.empty()) {
                const Box mine = boxOf(node.area);
                const Box theirs = boxOf(it->second.area);
                const double eps = 1e-9;
                if (mine.minLon < theirs.minLon - eps || mine.minLat < theirs.minLat - eps
                    || mine.maxLon > theirs.maxLon + eps || mine.maxLat > theirs.maxLat + eps)
                    problems.push_back("grid " + code + ": area extends beyond its parent " + parent->str());
            }
        }
    }
    return problems;
}

const GridNode *GridTree::find(const GridCode &code) const
{
    return find(std::string_view(code.str()));
}

const GridNode *GridTree::find(std::string_view code) const
{
    const auto it = mNodes.find(code);
    return it == mNodes.end() ? nullptr : &it->second;
}

std::vector<const GridNode *> GridTree::children(const GridCode &code) const
{
    std::vector<const GridNode *> out;
    const std::size_t childLength = code.str().size() + 3;
    for (auto it = mNodes.upper_bound(code.str()); it != mNodes.end() && code.isAncestorOf(it->second.code); ++it)
        if (it->first.size() == childLength)
            out.push_back(&it->second);
    return out;
}

std::vector<const GridNode *> GridTree::ancestors(const GridCode &code) const
{
    std::vector<const GridNode *> out;
    for (auto p = code.parent(); p; p = p->parent())
        if (const GridNode *n = find(*p))
            out.push_back(n);
    return out;
}

std::vector<const GridNode *> GridTree::subtree(const GridCode &code) const
{
    std::vector<const GridNode *> out;
    for (auto it = mNodes.lower_bound(code.str()); it != mNodes.end() && code.contains(it->second.code); ++it)
        out.push_back(&it->second);
    return out;
}

std::vector<const GridNode *> GridTree::nodesAt(GridLevel level) const
{
    std::vector<const GridNode *> out;
    for (const auto &[code, node] : mNodes)
        if (node.level() == level)
            out.push_back(&node);
    return out;
}

std::vector<const GridNode *> GridTree::nodes() const
{
    std::vector<const GridNode *> out;
    out.reserve(mNodes.size());
    for (const auto &[code, node] : mNodes)
        out.push_back(&node);
    return out;
}

} // namespace gd::core
