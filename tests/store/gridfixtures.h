#pragma once
// Small grid trees for tests: rectangles on a lattice, written as GeoJSON in any CRS.
// Every ring lists all lattice points along its edges (step 0.5 units), so neighbours and
// parents share exactly the same vertices and stay exact after reprojection.

#include "core/gridtree.h"

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace gd::store::test {

struct GridRect
{
  std::string code;
  std::string name;
  double x0, y0, x1, y1; // lattice units
  std::string parent;    // written as "parent" when not empty
};

//! The good five-level tree: district D [0,4]x[0,2], two townships, three micro-grids.
inline std::vector<GridRect> goodGridTree()
{
  return {
    {"620902", "肃州区", 0, 0, 4, 2, ""},
    {"620902001", "东北街街道", 0, 0, 2, 2, "620902"},
    {"620902002", "西北街街道", 2, 0, 4, 2, "620902"},
    {"620902001001", "东关社区", 0, 0, 2, 2, "620902001"},
    {"620902002001", "西关社区", 2, 0, 4, 2, "620902002"},
    {"620902001001001", "东关一网格", 0, 0, 2, 2, "620902001001"},
    {"620902002001001", "西关一网格", 2, 0, 4, 2, "620902002001"},
    {"620902001001001001", "东关一网格一组", 0, 0, 1, 2, "620902001001001"},
    {"620902001001001002", "东关一网格二组", 1, 0, 2, 2, "620902001001001"},
    {"620902002001001001", "西关一网格一组", 2, 0, 4, 2, "620902002001001"},
  };
}

using LatticeToCrs = std::function<std::pair<double, double>(double u, double v)>;

//! Lon/lat near Jiuquan: one unit = 0.01 degree.
inline std::pair<double, double> lonLat(double u, double v)
{
  return {98.50 + u * 0.01, 39.70 + v * 0.01};
}

inline std::vector<std::pair<double, double>> latticeRing(const GridRect &r)
{
  std::vector<std::pair<double, double>> pts;
  const double step = 0.5;
  for (double x = r.x0; x < r.x1; x += step)
    pts.push_back({x, r.y0});
  for (double y = r.y0; y < r.y1; y += step)
    pts.push_back({r.x1, y});
  for (double x = r.x1; x > r.x0; x -= step)
    pts.push_back({x, r.y1});
  for (double y = r.y1; y > r.y0; y -= step)
    pts.push_back({r.x0, y});
  pts.push_back(pts.front());
  return pts;
}

inline core::MultiPolygon latticePolygon(const GridRect &r)
{
  core::Polygon p;
  for (const auto &[u, v] : latticeRing(r))
  {
    const auto [lon, lat] = lonLat(u, v);
    p.outer.push_back({lon, lat});
  }
  return {p};
}

/**
 * GeoJSON text of \a rects; coordinates through \a toCrs; \a crsUrn such as
 * "urn:ogc:def:crs:EPSG::4521" (empty: no crs member, i.e. WGS84 by the GeoJSON rules).
 */
inline std::string gridGeoJson(const std::vector<GridRect> &rects, const LatticeToCrs &toCrs, const std::string &crsUrn,
                               const std::string &codeField = "code", const std::string &nameField = "name")
{
  std::ostringstream out;
  out.precision(12);
  out << "{\"type\":\"FeatureCollection\",";
  if (!crsUrn.empty())
    out << "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"" << crsUrn << "\"}},";
  out << "\"features\":[";
  for (std::size_t i = 0; i < rects.size(); ++i)
  {
    const GridRect &r = rects[i];
    out << (i ? "," : "") << "{\"type\":\"Feature\",\"properties\":{\"" << codeField << "\":\"" << r.code << "\",\""
        << nameField << "\":\"" << r.name << "\",\"parent\":\"" << r.parent << "\"},"
        << "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[";
    const auto ring = latticeRing(r);
    for (std::size_t k = 0; k < ring.size(); ++k)
    {
      const auto [x, y] = toCrs(ring[k].first, ring[k].second);
      out << (k ? "," : "") << "[" << x << "," << y << "]";
    }
    out << "]]}}";
  }
  out << "]}";
  return out.str();
}

inline void writeFile(const std::string &path, const std::string &text)
{
  std::ofstream(path, std::ios::binary) << text;
}

//! The good tree as a core::GridTree in lon/lat.
inline core::GridTree goodTree()
{
  core::GridTree tree;
  for (const GridRect &r : goodGridTree())
    tree.add(core::GridNode{*core::GridCode::parse(r.code), r.name, latticePolygon(r), std::nullopt, {}, 0});
  return tree;
}

} // namespace gd::store::test
