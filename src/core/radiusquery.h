#pragma once
// One-key emergency dispatch (一键直达), the "who and what is near" part: around a centre and
// within a radius, the field workers by their latest fix, the points of interest (police posts
// 警务室, cameras, hazardous-chemical firms, gas companies, petrol stations, alarm pillars ...)
// and the grids and communities the circle touches, each with its distance. Plain values in,
// plain values out; the store gathers the inputs.
//
// Distances are great-circle metres as distanceMeters() (core/geo.h) measures them. For an
// area, the distance is to its nearest boundary point (0 when the centre lies inside); that
// point is found in a local tangent plane and then measured with distanceMeters(), so a point
// and an area at the same place report the same distance.

#include "core/geo.h"
#include "core/gridtree.h"
#include "core/timeutil.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

//! A field worker's latest fix with who the worker is.
struct WorkerFix
{
    std::string workerId;
    std::string name;     //!< "" when the worker is in no grid of the tree
    std::string phone;
    std::string gridCode; //!< the grid (网格) the worker serves, "" when unknown
    std::string deviceId; //!< the terminal that sent the fix
    GeoPoint point;       //!< CGCS2000
    TimePoint at{};
};

//! A point of interest (a row of the store's `pois` layer).
struct SitePoint
{
    std::int64_t id = 0;
    std::string kind; //!< police_post, camera, hazchem_firm, gas_company, petrol_station, alarm_pillar, governance_center, ...
    std::string name;
    GeoPoint point;   //!< CGCS2000
    std::string streamUrl; //!< cameras: the live stream
};

struct RadiusQuery
{
    GeoPoint centre; //!< CGCS2000 lon/lat
    double radiusM = 0;
    TimePoint now{};
    //! A worker whose latest fix is at most this old counts as online (terminals send a fix a
    //! minute or more often while on duty; the store cannot see sockets of another process).
    std::chrono::seconds onlineWithin{300};
    //! The grid levels whose areas are reported.
    std::vector<GridLevel> areaLevels{GridLevel::Community, GridLevel::Grid};
};

struct NearbyWorker
{
    WorkerFix fix;
    double distanceM = 0;
    std::chrono::seconds fixAge{0}; //!< now - fix time (0 for a fix stamped after now)
    bool online = false;
};

struct NearbySite
{
    SitePoint site;
    double distanceM = 0;
    bool risk = false; //!< see isRiskSite()
};

struct AffectedArea
{
    std::string code;
    std::string name;
    GridLevel level = GridLevel::Grid;
    double distanceM = 0;       //!< from the centre to the area (0 inside)
    bool containsCentre = false;
};

struct RadiusResult
{
    std::vector<NearbyWorker> workers; //!< nearest first
    std::vector<NearbySite> sites;     //!< nearest first
    std::vector<AffectedArea> areas;   //!< by level (upper first), then nearest first

    //! The sites of \a kind, nearest first.
    std::vector<NearbySite> sitesOfKind(std::string_view kind) const;
    //! The areas at \a level, nearest first.
    std::vector<AffectedArea> areasAt(GridLevel level) const;
};

//! True for the kinds that make a place dangerous near an incident: hazchem_firm, gas_company, petrol_station.
bool isRiskSite(std::string_view kind);

/**
 * Everything within \a query.radiusM of \a query.centre (a distance equal to the radius is
 * inside). Throws std::invalid_argument when the radius is not positive or the centre is not
 * a longitude/latitude.
 */
RadiusResult findWithinRadius(const RadiusQuery &query, const std::vector<WorkerFix> &workers,
                              const std::vector<SitePoint> &sites, const GridTree &grids);

//! Metres from \a p to \a area: 0 inside (holes excluded), else to the nearest boundary point.
double distanceToArea(GeoPoint p, const MultiPolygon &area);

//! The lon/lat box that holds every point within \a radiusM of \a centre: {west, south, east, north}.
struct GeoBox
{
    double west = 0;
    double south = 0;
    double east = 0;
    double north = 0;
};
GeoBox boxAround(GeoPoint centre, double radiusM);

} // namespace gd::core
