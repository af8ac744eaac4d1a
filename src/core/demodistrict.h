#pragma once
// The demo district: a realistic, nested five-level grid tree with people and points of
// interest, generated deterministically from a seed, so demos, tests and benchmarks all
// run on the same district without shipping a data file.

#include "core/geo.h"
#include "core/gridtree.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gd::core {

//! A point of interest of the demo district (camera, alarm pillar, hazardous firm …).
struct DemoPoi
{
    std::string kind;      //!< camera, alarm_pillar, hazchem_firm, gas_company, petrol_station, police_post, governance_center
    std::string name;
    GeoPoint point;
    std::string gridCode;  //!< the micro-grid (or, for governance centers, the node) it belongs to
    std::string streamUrl; //!< cameras only
    std::vector<std::pair<std::string, std::string>> attributes;
};

struct DemoDistrictOptions
{
    std::uint64_t seed = 1;
    std::string adminCode = "620902";   //!< 酒泉市肃州区 (GB/T 2260)
    std::string name = "肃州区";
    GeoPoint centre{98.51, 39.74};
    double radiusMeters = 16000;        //!< mean radius of the district outline
    int townships = 10;
    int communities = 60;
    int grids = 1400;
    int microGrids = 5000;
};

struct DemoDistrict
{
    GridTree tree;
    std::vector<DemoPoi> pois;
};

/**
 * Generates the demo district: an irregular outline cut into townships, communities, grids
 * and micro-grids by nested Voronoi partitions (each level's seeds relaxed once towards their
 * cell centroids, then clipped to the parent's area), so siblings neither overlap nor leave
 * gaps and every child lies inside its parent. Codes follow the unit-grid convention; names
 * are Chinese; every grid has a leader, grid workers with phones and a household count.
 * The same options always give the same district.
 */
DemoDistrict generateDemoDistrict(const DemoDistrictOptions &options = DemoDistrictOptions());

} // namespace gd::core
