#include "core/gridindex.h"

#include <boost/iterator/function_output_iterator.hpp>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace gd::core {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using Value = std::pair<BBox, std::uint32_t>;

//! Rings of one node, flattened into one coordinate array so the exact test walks memory linearly.
struct Shape
{
    const GridNode *node = nullptr;
    BBox box;
    std::vector<double> xy;            // lon, lat, lon, lat, ...
    std::vector<std::uint32_t> rings;  // start index (in points) of each ring; rings.back() == point count
    // Even-odd over all rings of all polygons: holes flip insideness back, disjoint parts add up to one.
    bool contains(double x, double y) const
    {
        bool inside = false;
        for (std::size_t r = 0; r + 1 < rings.size(); ++r) {
            const double *p = xy.data() + 2 * rings[r];
            const std::uint32_t n = rings[r + 1] - rings[r];
            for (std::uint32_t i = 0, j = n - 1; i < n; j = i++) {
                const double xi = p[2 * i], yi = p[2 * i + 1];
                const double xj = p[2 * j], yj = p[2 * j + 1];
                if (((yi > y) != (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi))
                    inside = !inside;
            }
        }
        return inside;
    }
};

} // namespace

struct GridIndex::Impl
{
    std::vector<Shape> shapes; // in code order: the lowest index is the lowest code
    bgi::rtree<Value, bgi::rstar<16>> tree;
};

GridIndex::GridIndex(const GridTree &tree, GridLevel level)
    : mTree(tree)
    , mImpl(std::make_unique<Impl>())
{
    std::vector<Value> values;
    for (const GridNode *node : tree.nodesAt(level)) {
        Shape s;
        s.node = node;
        double minX = std::numeric_limits<double>::max(), minY = minX;
        double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
        const auto addRing = [&](const Ring &ring) {
            if (ring.size() < 3)
                return;
            s.rings.push_back(std::uint32_t(s.xy.size() / 2));
            // Dropping the closing point changes nothing for the even-odd test (its edge is the same).
            const std::size_t n = ring.front() == ring.back() ? ring.size() - 1 : ring.size();
            for (std::size_t i = 0; i < n; ++i) {
                s.xy.push_back(ring[i].lon);
                s.xy.push_back(ring[i].lat);
                minX = std::min(minX, ring[i].lon);
                minY = std::min(minY, ring[i].lat);
                maxX = std::max(maxX, ring[i].lon);
                maxY = std::max(maxY, ring[i].lat);
            }
        };
        for (const Polygon &poly : node->area) {
            addRing(poly.outer);
            for (const Ring &hole : poly.holes)
                addRing(hole);
        }
        if (s.rings.empty())
            continue;
        s.rings.push_back(std::uint32_t(s.xy.size() / 2));
        s.box = BBox(BPoint(minX, minY), BPoint(maxX, maxY));
        values.emplace_back(s.box, std::uint32_t(mImpl->shapes.size()));
        mImpl->shapes.push_back(std::move(s));
    }
    // The range constructor bulk-loads with the packing algorithm (STR-like), better than inserts.
    mImpl->tree = bgi::rtree<Value, bgi::rstar<16>>(values.begin(), values.end());
}

GridIndex::~GridIndex() = default;

std::size_t GridIndex::size() const
{
    return mImpl->shapes.size();
}

const GridNode *GridIndex::lookup(GeoPoint p) const
{
    std::uint32_t best = std::numeric_limits<std::uint32_t>::max();
    const auto &shapes = mImpl->shapes;
    mImpl->tree.query(bgi::intersects(BPoint(p.lon, p.lat)),
                      boost::make_function_output_iterator([&](const Value &v) {
                          if (v.second < best && shapes[v.second].contains(p.lon, p.lat))
                              best = v.second;
                      }));
    return best == std::numeric_limits<std::uint32_t>::max() ? nullptr : shapes[best].node;
}

std::vector<const GridNode *> GridIndex::lookupWithAncestors(GeoPoint p) const
{
    std::vector<const GridNode *> out;
    if (const GridNode *node = lookup(p)) {
        out.push_back(node);
        for (const GridNode *a : mTree.ancestors(node->code))
            out.push_back(a);
    }
    return out;
}

const GridNode *GridIndex::lookupBruteForce(GeoPoint p) const
{
    const BPoint q(p.lon, p.lat);
    for (const Shape &s : mImpl->shapes)
        if (bg::covered_by(q, s.box) && s.contains(p.lon, p.lat))
            return s.node;
    return nullptr;
}

} // namespace gd::core
