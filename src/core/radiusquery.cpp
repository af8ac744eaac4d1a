#include "core/radiusquery.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

namespace gd::core {

namespace {

// The sphere of distanceMeters(): metres per degree of latitude.
constexpr double kMetresPerDegree = 6371008.8 * std::numbers::pi / 180.0;

//! A local tangent plane at an origin: x east, y north, in metres (equirectangular; the error is
//! (d/R)² relative, below a millimetre per kilometre at incident radii).
struct LocalPlane
{
    GeoPoint origin;
    double cosLat = 1;

    explicit LocalPlane(GeoPoint o)
        : origin(o)
        , cosLat(std::cos(o.lat * std::numbers::pi / 180.0))
    {
    }
    double x(GeoPoint p) const { return (p.lon - origin.lon) * kMetresPerDegree * cosLat; }
    double y(GeoPoint p) const { return (p.lat - origin.lat) * kMetresPerDegree; }
    GeoPoint toGeo(double px, double py) const
    {
        return {origin.lon + px / (kMetresPerDegree * cosLat), origin.lat + py / kMetresPerDegree};
    }
};

struct Box
{
    double minX = std::numeric_limits<double>::max();
    double minY = std::numeric_limits<double>::max();
    double maxX = std::numeric_limits<double>::lowest();
    double maxY = std::numeric_limits<double>::lowest();
};

Box boxOf(const MultiPolygon &area)
{
    Box b;
    for (const Polygon &poly : area)
        for (const GeoPoint &p : poly.outer) {
            b.minX = std::min(b.minX, p.lon);
            b.maxX = std::max(b.maxX, p.lon);
            b.minY = std::min(b.minY, p.lat);
            b.maxY = std::max(b.maxY, p.lat);
        }
    return b;
}

bool overlaps(const Box &a, const GeoBox &b)
{
    return a.minX <= b.east && a.maxX >= b.west && a.minY <= b.north && a.maxY >= b.south;
}

//! Even-odd test of the origin against one polygon's rings (holes flip it back): orientation-free.
bool originInside(const LocalPlane &plane, const Polygon &poly)
{
    bool inside = false;
    const auto ring = [&](const Ring &r) {
        const std::size_t n = r.size();
        for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
            const double xi = plane.x(r[i]), yi = plane.y(r[i]);
            const double xj = plane.x(r[j]), yj = plane.y(r[j]);
            if ((yi > 0) != (yj > 0) && 0 < (xj - xi) * (0 - yi) / (yj - yi) + xi)
                inside = !inside;
        }
    };
    if (poly.outer.size() < 3)
        return false;
    ring(poly.outer);
    for (const Ring &hole : poly.holes)
        if (hole.size() >= 3)
            ring(hole);
    return inside;
}

} // namespace

bool isRiskSite(std::string_view kind)
{
    return kind == "hazchem_firm" || kind == "gas_company" || kind == "petrol_station";
}

GeoBox boxAround(GeoPoint centre, double radiusM)
{
    // A little slack so that a point exactly on the circle is never cut by rounding.
    const double dLat = radiusM / kMetresPerDegree * 1.001 + 1e-9;
    const double cosLat = std::max(1e-6, std::cos(std::min(89.9, std::fabs(centre.lat)) * std::numbers::pi / 180.0));
    const double dLon = dLat / cosLat;
    return {centre.lon - dLon, centre.lat - dLat, centre.lon + dLon, centre.lat + dLat};
}

double distanceToArea(GeoPoint p, const MultiPolygon &area)
{
    const LocalPlane plane(p);
    double bestSquared = std::numeric_limits<double>::max();
    double bestX = 0, bestY = 0;
    for (const Polygon &poly : area) {
        if (originInside(plane, poly))
            return 0;
        const auto ring = [&](const Ring &r) {
            for (std::size_t i = 0; i + 1 < r.size(); ++i) {
                const double ax = plane.x(r[i]), ay = plane.y(r[i]);
                const double bx = plane.x(r[i + 1]), by = plane.y(r[i + 1]);
                const double dx = bx - ax, dy = by - ay;
                const double length2 = dx * dx + dy * dy;
                double t = length2 > 0 ? -(ax * dx + ay * dy) / length2 : 0;
                t = std::clamp(t, 0.0, 1.0);
                const double qx = ax + t * dx, qy = ay + t * dy;
                const double d2 = qx * qx + qy * qy;
                if (d2 < bestSquared) {
                    bestSquared = d2;
                    bestX = qx;
                    bestY = qy;
                }
            }
        };
        ring(poly.outer);
        for (const Ring &hole : poly.holes)
            ring(hole);
    }
    if (bestSquared == std::numeric_limits<double>::max())
        return std::numeric_limits<double>::infinity();
    return distanceMeters(p, plane.toGeo(bestX, bestY));
}

std::vector<NearbySite> RadiusResult::sitesOfKind(std::string_view kind) const
{
    std::vector<NearbySite> out;
    for (const NearbySite &s : sites)
        if (s.site.kind == kind)
            out.push_back(s);
    return out;
}

std::vector<AffectedArea> RadiusResult::areasAt(GridLevel level) const
{
    std::vector<AffectedArea> out;
    for (const AffectedArea &a : areas)
        if (a.level == level)
            out.push_back(a);
    return out;
}

RadiusResult findWithinRadius(const RadiusQuery &query, const std::vector<WorkerFix> &workers,
                              const std::vector<SitePoint> &sites, const GridTree &grids)
{
    if (!(query.radiusM > 0) || !std::isfinite(query.radiusM))
        throw std::invalid_argument("the radius must be a positive number of metres");
    const GeoPoint c = query.centre;
    if (!(c.lon >= -180 && c.lon <= 180 && c.lat >= -90 && c.lat <= 90))
        throw std::invalid_argument("the centre must be a longitude in [-180, 180] and a latitude in [-90, 90]");
    const GeoBox box = boxAround(c, query.radiusM);
    const auto inBox = [&](GeoPoint p) { return p.lon >= box.west && p.lon <= box.east && p.lat >= box.south && p.lat <= box.north; };

    RadiusResult result;
    for (const WorkerFix &w : workers) {
        if (!inBox(w.point))
            continue;
        const double d = distanceMeters(c, w.point);
        if (d > query.radiusM)
            continue;
        NearbyWorker n{w, d, std::max(std::chrono::seconds(0), query.now - w.at), false};
        n.online = n.fixAge <= query.onlineWithin;
        result.workers.push_back(std::move(n));
    }
    std::sort(result.workers.begin(), result.workers.end(), [](const NearbyWorker &a, const NearbyWorker &b) {
        return a.distanceM != b.distanceM ? a.distanceM < b.distanceM : a.fix.workerId < b.fix.workerId;
    });

    for (const SitePoint &s : sites) {
        if (!inBox(s.point))
            continue;
        const double d = distanceMeters(c, s.point);
        if (d <= query.radiusM)
            result.sites.push_back({s, d, isRiskSite(s.kind)});
    }
    std::sort(result.sites.begin(), result.sites.end(), [](const NearbySite &a, const NearbySite &b) {
        return a.distanceM != b.distanceM ? a.distanceM < b.distanceM : a.site.id < b.site.id;
    });

    std::vector<GridLevel> levels = query.areaLevels;
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    for (const GridLevel level : levels) {
        const std::size_t first = result.areas.size();
        for (const GridNode *node : grids.nodesAt(level)) {
            if (node->area.empty() || !overlaps(boxOf(node->area), box))
                continue;
            const double d = distanceToArea(c, node->area);
            if (d <= query.radiusM)
                result.areas.push_back({node->code.str(), node->name, level, d, d == 0});
        }
        std::sort(result.areas.begin() + static_cast<std::ptrdiff_t>(first), result.areas.end(),
                  [](const AffectedArea &a, const AffectedArea &b) {
                      return a.distanceM != b.distanceM ? a.distanceM < b.distanceM : a.code < b.code;
                  });
    }
    return result;
}

} // namespace gd::core
