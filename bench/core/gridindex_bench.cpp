// Point → micro-grid lookups per second: GridIndex (packed R-tree + exact test) against a
// brute-force bounding-box scan over the same shapes, measured in the same run.
//
//   gridindex_bench [--cells N] [--lookups M] [--seed S]
// N micro-grids (default 5000) tile a jittered lattice of 8-vertex polygons; M random points
// (default 2,000,000) fall inside the district's box, some outside every micro-grid.

#include "core/gridindex.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

using namespace gd::core;

namespace {

std::string seg(int i)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", (i % 999) + 1);
    return buf;
}

void addOrDie(GridTree &tree, const std::string &code, MultiPolygon area = {})
{
    GridNode node{*GridCode::parse(code), code, std::move(area), std::nullopt, {}, 0};
    if (tree.find(node.code))
        return;
    const std::string why = tree.add(std::move(node));
    if (!why.empty()) {
        std::fprintf(stderr, "%s\n", why.c_str());
        std::exit(1);
    }
}

struct District
{
    GridTree tree;
    double minLon = 0, minLat = 0, maxLon = 0, maxLat = 0;
};

District makeDistrict(int cells)
{
    const int cols = std::max(1, int(std::sqrt(double(cells) * 2)));
    const int rows = (cells + cols - 1) / cols;
    const double dx = 0.002, dy = 0.0015; // ~170 m × 170 m micro-grids at latitude 39.7
    const double x0 = 98.40, y0 = 39.65;
    // Shared vertices (corners and edge midpoints) so neighbouring polygons tile exactly.
    const auto corner = [&](int i, int j) {
        std::seed_seq s{i, j, 1};
        std::mt19937 r(s);
        std::uniform_real_distribution<double> u(-0.2, 0.2);
        const bool border = i == 0 || j == 0 || i == cols || j == rows;
        return GeoPoint{x0 + (i + (border ? 0 : u(r))) * dx, y0 + (j + (border ? 0 : u(r))) * dy};
    };
    const auto midH = [&](int i, int j) { // between corner(i,j) and corner(i+1,j)
        std::seed_seq s{i, j, 2};
        std::mt19937 r(s);
        std::uniform_real_distribution<double> u(-0.15, 0.15);
        const GeoPoint a = corner(i, j), b = corner(i + 1, j);
        const bool border = j == 0 || j == rows;
        return GeoPoint{(a.lon + b.lon) / 2, (a.lat + b.lat) / 2 + (border ? 0 : u(r) * dy)};
    };
    const auto midV = [&](int i, int j) { // between corner(i,j) and corner(i,j+1)
        std::seed_seq s{i, j, 3};
        std::mt19937 r(s);
        std::uniform_real_distribution<double> u(-0.15, 0.15);
        const GeoPoint a = corner(i, j), b = corner(i, j + 1);
        const bool border = i == 0 || i == cols;
        return GeoPoint{(a.lon + b.lon) / 2 + (border ? 0 : u(r) * dx), (a.lat + b.lat) / 2};
    };
    District d;
    d.minLon = x0;
    d.minLat = y0;
    d.maxLon = x0 + cols * dx;
    d.maxLat = y0 + rows * dy;
    addOrDie(d.tree, "620902");
    for (int k = 0; k < cells; ++k) {
        const int i = k % cols, j = k / cols;
        const std::string t = "620902" + seg(k / 500);
        const std::string c = t + seg((k / 100) % 5);
        const std::string g = c + seg((k / 10) % 10);
        const std::string m = g + seg(k % 10);
        addOrDie(d.tree, t);
        addOrDie(d.tree, c);
        addOrDie(d.tree, g);
        const Ring ring{corner(i, j), midH(i, j), corner(i + 1, j), midV(i + 1, j), corner(i + 1, j + 1),
                        midH(i, j + 1), corner(i, j + 1), midV(i, j), corner(i, j)};
        addOrDie(d.tree, m, {Polygon{ring, {}}});
    }
    return d;
}

} // namespace

int main(int argc, char **argv)
{
    int cells = 5000;
    long lookups = 2000000;
    unsigned long long seed = 7;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--cells"))
            cells = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--lookups"))
            lookups = std::atol(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seed"))
            seed = std::strtoull(argv[i + 1], nullptr, 10);
        else {
            std::fprintf(stderr, "usage: %s [--cells N] [--lookups M] [--seed S]\n", argv[0]);
            return 2;
        }
    }
    if (cells < 1 || cells > 400000 || lookups < 1) {
        std::fprintf(stderr, "--cells must be 1..400000 and --lookups positive\n");
        return 2;
    }
    std::mt19937_64 rng(seed);
    const auto t0 = std::chrono::steady_clock::now();
    const District d = makeDistrict(cells);
    const GridIndex index(d.tree);
    const auto t1 = std::chrono::steady_clock::now();

    // A margin around the district so some points fall outside every micro-grid.
    const double mx = (d.maxLon - d.minLon) * 0.02, my = (d.maxLat - d.minLat) * 0.02;
    std::uniform_real_distribution<double> lon(d.minLon - mx, d.maxLon + mx), lat(d.minLat - my, d.maxLat + my);
    std::vector<GeoPoint> points(std::size_t(std::min<long>(lookups, 1 << 20)));
    for (GeoPoint &p : points)
        p = {lon(rng), lat(rng)};

    const auto run = [&](long count, auto &&lookup) {
        std::size_t found = 0;
        const auto start = std::chrono::steady_clock::now();
        for (long n = 0; n < count; ++n)
            found += lookup(points[std::size_t(n) % points.size()]) != nullptr;
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::pair<double, std::size_t>(double(count) / secs, found);
    };
    const auto [indexRate, indexFound] = run(lookups, [&](GeoPoint p) { return index.lookup(p); });
    const long bruteCount = std::max(1000L, lookups / std::max(1, cells / 50));
    const auto [bruteRate, bruteFound] = run(bruteCount, [&](GeoPoint p) { return index.lookupBruteForce(p); });

    // Both must agree on a sample.
    long disagreements = 0;
    for (std::size_t n = 0; n < std::min<std::size_t>(points.size(), 20000); ++n)
        disagreements += index.lookup(points[n]) != index.lookupBruteForce(points[n]);

    std::printf("micro-grids              %zu (8-vertex jittered lattice)\n", index.size());
    std::printf("build (tree + index)     %.1f ms\n",
                std::chrono::duration<double, std::milli>(t1 - t0).count());
    std::printf("GridIndex lookups/s      %.0f   (%ld lookups, %.1f %% inside a micro-grid)\n", indexRate, lookups,
                100.0 * double(indexFound) / double(lookups));
    std::printf("brute-force lookups/s    %.0f   (bounding-box scan of every shape, %ld lookups)\n", bruteRate,
                bruteCount);
    std::printf("speed-up                 %.1fx\n", indexRate / bruteRate);
    std::printf("disagreements            %ld of %zu sampled points\n", disagreements,
                std::min<std::size_t>(points.size(), 20000));
    (void)bruteFound;
    return disagreements == 0 ? 0 : 1;
}
