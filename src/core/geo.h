#pragma once
// Coordinates and coordinate systems: the store keeps CGCS2000 (EPSG:4490); field
// terminals may send WGS84, GCJ-02 (most Chinese phone map SDKs) or BD-09 (Baidu).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

//! A position in degrees of longitude and latitude.
struct GeoPoint
{
    double lon = 0;
    double lat = 0;
    friend bool operator==(const GeoPoint &, const GeoPoint &) = default;
};

//! A closed ring: first == last.
using Ring = std::vector<GeoPoint>;

//! A polygon with an outer ring and optional holes.
struct Polygon
{
    Ring outer;
    std::vector<Ring> holes;
};

using MultiPolygon = std::vector<Polygon>;

//! Coordinate reference systems a position may arrive in.
enum class Crs
{
    Wgs84,
    Cgcs2000,
    Gcj02,
    Bd09
};

//! Parses "WGS84", "CGCS2000", "GCJ02" or "BD09" (case-insensitive; "GCJ-02"/"BD-09" accepted too).
std::optional<Crs> parseCrs(std::string_view name);

//! Returns the canonical name: "WGS84", "CGCS2000", "GCJ02", "BD09".
std::string_view crsName(Crs crs);

/**
 * Converts \a p from \a from to CGCS2000.
 * WGS84 and CGCS2000 differ by centimetres, far below handset accuracy, so they are
 * treated as identical. GCJ-02 and BD-09 are inverted by fixed-point iteration (< 0.5 m).
 * Outside mainland China GCJ-02 equals WGS84 (no offset is applied there).
 */
GeoPoint toCgcs2000(GeoPoint p, Crs from);

//! Converts a CGCS2000 position \a p to \a to.
GeoPoint fromCgcs2000(GeoPoint p, Crs to);

//! Forward WGS84 -> GCJ-02 obfuscation ("火星坐标").
GeoPoint wgs84ToGcj02(GeoPoint p);
//! GCJ-02 -> BD-09.
GeoPoint gcj02ToBd09(GeoPoint p);
//! BD-09 -> GCJ-02 (Baidu's published closed-form inverse; ~1e-6 degree accurate).
GeoPoint bd09ToGcj02(GeoPoint p);

//! True when \a p lies in the rough mainland-China box where GCJ-02 applies its offset.
bool insideChina(GeoPoint p);

//! Great-circle distance in metres (haversine on a sphere of radius 6,371,008.8 m).
double distanceMeters(GeoPoint a, GeoPoint b);

//! True when the ring is closed (first == last) and has at least 4 points.
bool isClosedRing(const Ring &ring);

} // namespace gd::core
