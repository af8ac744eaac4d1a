#include "core/geo.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

namespace gd::core {

namespace {

constexpr double kPi = std::numbers::pi;
// Krasovsky 1940 ellipsoid, as used by the GCJ-02 algorithm.
constexpr double kKrasovskyA = 6378245.0;
constexpr double kKrasovskyEe = 0.00669342162296594323;
constexpr double kXPi = kPi * 3000.0 / 180.0;
constexpr double kEarthRadius = 6371008.8;

double transformLat(double x, double y)
{
    double ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * std::sqrt(std::fabs(x));
    ret += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    ret += (20.0 * std::sin(y * kPi) + 40.0 * std::sin(y / 3.0 * kPi)) * 2.0 / 3.0;
    ret += (160.0 * std::sin(y / 12.0 * kPi) + 320.0 * std::sin(y * kPi / 30.0)) * 2.0 / 3.0;
    return ret;
}

double transformLon(double x, double y)
{
    double ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * std::sqrt(std::fabs(x));
    ret += (20.0 * std::sin(6.0 * x * kPi) + 20.0 * std::sin(2.0 * x * kPi)) * 2.0 / 3.0;
    ret += (20.0 * std::sin(x * kPi) + 40.0 * std::sin(x / 3.0 * kPi)) * 2.0 / 3.0;
    ret += (150.0 * std::sin(x / 12.0 * kPi) + 300.0 * std::sin(x / 30.0 * kPi)) * 2.0 / 3.0;
    return ret;
}

// Inverts a forward transform f by fixed-point iteration: w <- w - (f(w) - target).
// The GCJ/BD offsets vary slowly (Jacobian ~ identity), so this converges in a few steps.
template <typename Forward> GeoPoint invert(GeoPoint target, GeoPoint start, Forward forward)
{
    GeoPoint w = start;
    for (int i = 0; i < 30; ++i) {
        const GeoPoint f = forward(w);
        const double dLon = f.lon - target.lon;
        const double dLat = f.lat - target.lat;
        w.lon -= dLon;
        w.lat -= dLat;
        if (std::fabs(dLon) < 1e-10 && std::fabs(dLat) < 1e-10)
            break;
    }
    return w;
}

GeoPoint gcj02ToWgs84(GeoPoint p)
{
    if (!insideChina(p))
        return p;
    return invert(p, p, wgs84ToGcj02);
}

GeoPoint bd09ToGcj02Exact(GeoPoint p)
{
    return invert(p, bd09ToGcj02(p), gcj02ToBd09);
}

} // namespace

std::optional<Crs> parseCrs(std::string_view name)
{
    std::string upper;
    for (char c : name)
        if (c != '-' && c != '_' && c != ' ')
            upper.push_back(char(std::toupper(static_cast<unsigned char>(c))));
    if (upper == "WGS84" || upper == "EPSG:4326")
        return Crs::Wgs84;
    if (upper == "CGCS2000" || upper == "EPSG:4490")
        return Crs::Cgcs2000;
    if (upper == "GCJ02")
        return Crs::Gcj02;
    if (upper == "BD09" || upper == "BD09LL")
        return Crs::Bd09;
    return std::nullopt;
}

std::string_view crsName(Crs crs)
{
    switch (crs) {
    case Crs::Wgs84: return "WGS84";
    case Crs::Cgcs2000: return "CGCS2000";
    case Crs::Gcj02: return "GCJ02";
    case Crs::Bd09: return "BD09";
    }
    return "WGS84";
}

bool insideChina(GeoPoint p)
{
    return p.lon >= 72.004 && p.lon <= 137.8347 && p.lat >= 0.8293 && p.lat <= 55.8271;
}

GeoPoint wgs84ToGcj02(GeoPoint p)
{
    if (!insideChina(p))
        return p;
    double dLat = transformLat(p.lon - 105.0, p.lat - 35.0);
    double dLon = transformLon(p.lon - 105.0, p.lat - 35.0);
    const double radLat = p.lat / 180.0 * kPi;
    double magic = std::sin(radLat);
    magic = 1 - kKrasovskyEe * magic * magic;
    const double sqrtMagic = std::sqrt(magic);
    dLat = (dLat * 180.0) / ((kKrasovskyA * (1 - kKrasovskyEe)) / (magic * sqrtMagic) * kPi);
    dLon = (dLon * 180.0) / (kKrasovskyA / sqrtMagic * std::cos(radLat) * kPi);
    return {p.lon + dLon, p.lat + dLat};
}

GeoPoint gcj02ToBd09(GeoPoint p)
{
    const double z = std::sqrt(p.lon * p.lon + p.lat * p.lat) + 0.00002 * std::sin(p.lat * kXPi);
    const double theta = std::atan2(p.lat, p.lon) + 0.000003 * std::cos(p.lon * kXPi);
    return {z * std::cos(theta) + 0.0065, z * std::sin(theta) + 0.006};
}

GeoPoint bd09ToGcj02(GeoPoint p)
{
    const double x = p.lon - 0.0065;
    const double y = p.lat - 0.006;
    const double z = std::sqrt(x * x + y * y) - 0.00002 * std::sin(y * kXPi);
    const double theta = std::atan2(y, x) - 0.000003 * std::cos(x * kXPi);
    return {z * std::cos(theta), z * std::sin(theta)};
}

GeoPoint toCgcs2000(GeoPoint p, Crs from)
{
    switch (from) {
    case Crs::Wgs84:
    case Crs::Cgcs2000: return p;
    case Crs::Gcj02: return gcj02ToWgs84(p);
    case Crs::Bd09: return gcj02ToWgs84(bd09ToGcj02Exact(p));
    }
    return p;
}

GeoPoint fromCgcs2000(GeoPoint p, Crs to)
{
    switch (to) {
    case Crs::Wgs84:
    case Crs::Cgcs2000: return p;
    case Crs::Gcj02: return wgs84ToGcj02(p);
    case Crs::Bd09: return gcj02ToBd09(wgs84ToGcj02(p));
    }
    return p;
}

double distanceMeters(GeoPoint a, GeoPoint b)
{
    const double toRad = kPi / 180.0;
    const double dLat = (b.lat - a.lat) * toRad;
    const double dLon = (b.lon - a.lon) * toRad;
    const double s = std::sin(dLat / 2) * std::sin(dLat / 2)
                     + std::cos(a.lat * toRad) * std::cos(b.lat * toRad) * std::sin(dLon / 2) * std::sin(dLon / 2);
    return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(s)));
}

bool isClosedRing(const Ring &ring)
{
    return ring.size() >= 4 && ring.front() == ring.back();
}

} // namespace gd::core
