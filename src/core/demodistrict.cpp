#include "core/demodistrict.h"

// GCC 12 at -O2 reports false "maybe-uninitialized" positives inside Boost.Geometry 1.74's
// envelope and rescale policies once they are inlined here; they are not in our code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace bg = boost::geometry;

namespace gd::core {

namespace {

// Work in metres on a local equirectangular plane around the centre: at district size the
// distortion is far below a grid's width, and Voronoi bisectors need a metric plane.
using XY = bg::model::d2::point_xy<double>;
using Poly = bg::model::polygon<XY>;     // clockwise, closed
using MultiPoly = bg::model::multi_polygon<Poly>;

constexpr double kMetresPerDegreeLat = 110574.0;

class Plane
{
  public:
    explicit Plane(GeoPoint centre)
      : mCentre(centre)
      , mMetresPerDegreeLon(111320.0 * std::cos(centre.lat * std::numbers::pi / 180.0))
    {
    }
    GeoPoint toGeo(const XY &p) const
    {
      // Rounded to 1e-7 degree (~1 cm) so shared vertices of neighbours print identically.
      auto round7 = [](double v) { return std::round(v * 1e7) / 1e7; };
      return {round7(mCentre.lon + p.x() / mMetresPerDegreeLon), round7(mCentre.lat + p.y() / kMetresPerDegreeLat)};
    }

  private:
    GeoPoint mCentre;
    double mMetresPerDegreeLon;
};

// A small deterministic generator: the standard distributions are not specified bit-for-bit
// across library versions, and a seed must give the same district everywhere.
class Random
{
  public:
    explicit Random(std::uint64_t seed) : mState(seed * 0x9E3779B97F4A7C15ull + 0xD1B54A32D192ED03ull) {}
    std::uint64_t next()
    {
      // splitmix64
      std::uint64_t z = (mState += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int range(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    template <typename T> const T &pick(const std::vector<T> &items) { return items[next() % items.size()]; }

  private:
    std::uint64_t mState;
};

// Clips a convex polygon (counter-clockwise list of points) to the half-plane of points nearer
// to a than to b (Sutherland–Hodgman against the bisector).
std::vector<XY> clipToNearer(const std::vector<XY> &polygon, const XY &a, const XY &b)
{
  const double nx = b.x() - a.x();
  const double ny = b.y() - a.y();
  const double c = (b.x() * b.x() + b.y() * b.y() - a.x() * a.x() - a.y() * a.y()) / 2.0;
  auto side = [&](const XY &p) { return nx * p.x() + ny * p.y() - c; }; // < 0: nearer to a
  std::vector<XY> out;
  out.reserve(polygon.size() + 1);
  for (std::size_t i = 0; i < polygon.size(); ++i)
  {
    const XY &p = polygon[i];
    const XY &q = polygon[(i + 1) % polygon.size()];
    const double sp = side(p);
    const double sq = side(q);
    if (sp <= 0)
      out.push_back(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0))
    {
      const double t = sp / (sp - sq);
      out.emplace_back(p.x() + t * (q.x() - p.x()), p.y() + t * (q.y() - p.y()));
    }
  }
  return out;
}

Poly toPoly(const std::vector<XY> &ccw)
{
  Poly poly;
  for (auto it = ccw.rbegin(); it != ccw.rend(); ++it) // boost's default polygon is clockwise
    poly.outer().push_back(*it);
  if (!ccw.empty())
    poly.outer().push_back(ccw.back());
  return poly;
}

// Voronoi cells of seeds, each clipped to the parent's area.
std::vector<MultiPoly> voronoiCells(const std::vector<XY> &seeds, const MultiPoly &parent)
{
  bg::model::box<XY> box;
  bg::envelope(parent, box);
  const double margin = 10.0;
  const std::vector<XY> frame{{box.min_corner().x() - margin, box.min_corner().y() - margin},
                              {box.max_corner().x() + margin, box.min_corner().y() - margin},
                              {box.max_corner().x() + margin, box.max_corner().y() + margin},
                              {box.min_corner().x() - margin, box.max_corner().y() + margin}};
  std::vector<MultiPoly> cells;
  cells.reserve(seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i)
  {
    std::vector<XY> cell = frame;
    for (std::size_t j = 0; j < seeds.size() && !cell.empty(); ++j)
      if (j != i)
        cell = clipToNearer(cell, seeds[i], seeds[j]);
    MultiPoly clipped;
    if (cell.size() >= 3)
      bg::intersection(toPoly(cell), parent, clipped);
    // Slivers left by clipping a convex cell against a concave parent are not grids.
    clipped.erase(std::remove_if(clipped.begin(), clipped.end(), [](const Poly &p) { return bg::area(p) < 1.0; }),
                  clipped.end());
    cells.push_back(std::move(clipped));
  }
  return cells;
}

XY randomPointIn(const MultiPoly &area, Random &random)
{
  bg::model::box<XY> box;
  bg::envelope(area, box);
  for (int attempt = 0; attempt < 10000; ++attempt)
  {
    const XY p(random.uniform(box.min_corner().x(), box.max_corner().x()),
               random.uniform(box.min_corner().y(), box.max_corner().y()));
    if (bg::within(p, area))
      return p;
  }
  XY centroid;
  bg::centroid(area, centroid);
  return centroid;
}

// k children of parent: random seeds, one Lloyd relaxation (so cells are of even size but
// not regular), then the final cells. Children that came out empty are dropped.
std::vector<MultiPoly> partition(const MultiPoly &parent, int k, Random &random)
{
  if (k <= 1)
    return {parent};
  std::vector<XY> seeds;
  for (int i = 0; i < k; ++i)
    seeds.push_back(randomPointIn(parent, random));
  std::vector<MultiPoly> cells = voronoiCells(seeds, parent);
  for (std::size_t i = 0; i < seeds.size(); ++i)
    if (!cells[i].empty())
      bg::centroid(cells[i], seeds[i]);
  cells = voronoiCells(seeds, parent);
  cells.erase(std::remove_if(cells.begin(), cells.end(), [](const MultiPoly &m) { return m.empty(); }), cells.end());
  // A stable order that reads naturally on the map: north-west to south-east.
  std::vector<std::pair<double, std::size_t>> order;
  for (std::size_t i = 0; i < cells.size(); ++i)
  {
    XY c;
    bg::centroid(cells[i], c);
    order.emplace_back(-c.y() * 0.7 + c.x() * 0.3, i);
  }
  std::sort(order.begin(), order.end());
  std::vector<MultiPoly> sorted;
  for (const auto &[key, index] : order)
    sorted.push_back(std::move(cells[index]));
  return sorted;
}

MultiPolygon toGeo(const MultiPoly &area, const Plane &plane)
{
  MultiPolygon out;
  for (const Poly &poly : area)
  {
    Polygon polygon;
    // GeoPackage/Simple Features: exterior ring counter-clockwise.
    for (auto it = poly.outer().rbegin(); it != poly.outer().rend(); ++it)
      polygon.outer.push_back(plane.toGeo(*it));
    for (const auto &inner : poly.inners())
    {
      Ring ring;
      for (auto it = inner.rbegin(); it != inner.rend(); ++it)
        ring.push_back(plane.toGeo(*it));
      polygon.holes.push_back(std::move(ring));
    }
    out.push_back(std::move(polygon));
  }
  return out;
}

// Splits total into n parts of at least minimum each, with some randomness.
std::vector<int> split(int total, int n, int minimum, Random &random)
{
  std::vector<double> weights(static_cast<std::size_t>(n));
  double sum = 0;
  for (double &w : weights)
    sum += (w = random.uniform(0.75, 1.25));
  std::vector<int> parts(static_cast<std::size_t>(n), minimum);
  int left = total - minimum * n;
  if (left < 0)
    throw std::invalid_argument("demo district: too few children for the number of parents");
  int given = 0;
  for (std::size_t i = 0; i < parts.size(); ++i)
  {
    const int share = static_cast<int>(std::floor(left * weights[i] / sum));
    parts[i] += share;
    given += share;
  }
  for (int i = 0; given < left; ++i, ++given)
    ++parts[static_cast<std::size_t>(i % n)];
  return parts;
}

std::string threeDigits(int n)
{
  std::string s = std::to_string(n);
  return std::string(3 - std::min<std::size_t>(3, s.size()), '0') + s;
}

// --- names ------------------------------------------------------------------------------

const std::vector<std::string> kTownships{"东北街道", "东南街道", "工业园街道", "新城街道", "西北街道",
                                          "银达镇",   "西洞镇",   "清水镇",     "总寨镇",   "金佛寺镇",
                                          "上坝镇",   "三墩镇",   "下河清镇",   "果园镇",   "泉湖镇"};
const std::vector<std::string> kCommunityStems{"富康", "阳光", "泉湖", "祁连", "鼓楼", "花园", "南苑", "北苑", "西关",
                                               "东关", "滨河", "金泉", "玉门", "酒钢", "明珠", "和平", "幸福", "长城",
                                               "丝路", "春光", "嘉园", "新华", "建设", "文化", "胜利", "紫轩", "怡景",
                                               "兴盛", "临水", "丰乐", "东湖", "西湖", "盛世", "世纪", "锦绣", "康乐"};
const std::vector<std::string> kSurnames{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                                         "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
                                         "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "田", "董", "袁", "蒋"};
const std::vector<std::string> kGivenChars{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
                                           "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华",
                                           "玉", "兰", "建", "国", "文", "红", "志", "海", "燕", "鹏", "辉", "婷"};
const std::vector<std::string> kFirmStems{"祁连", "河西", "酒泉", "肃州", "丝路", "金泉", "瑞丰", "宏达", "天成", "鑫源"};

std::string personName(Random &random)
{
  std::string name = random.pick(kSurnames) + random.pick(kGivenChars);
  if (random.uniform() < 0.6)
    name += random.pick(kGivenChars);
  return name;
}

std::string phone(Random &random)
{
  static const std::array<const char *, 8> prefixes{"133", "139", "135", "138", "153", "177", "186", "189"};
  std::string number = prefixes[random.next() % prefixes.size()];
  for (int i = 0; i < 8; ++i)
    number += static_cast<char>('0' + random.next() % 10);
  return number;
}

std::string chineseOrdinal(int n)
{
  static const std::array<const char *, 11> digits{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  if (n <= 10)
    return digits[static_cast<std::size_t>(n)];
  if (n < 20)
    return std::string("十") + digits[static_cast<std::size_t>(n - 10)];
  const std::string tens = std::string(digits[static_cast<std::size_t>(n / 10)]) + "十";
  return n % 10 == 0 ? tens : tens + digits[static_cast<std::size_t>(n % 10)];
}

MultiPoly outline(const DemoDistrictOptions &options, Random &random)
{
  // A star-shaped outline whose radius wanders smoothly: irregular like a real district.
  constexpr int kVertices = 72;
  std::array<double, 4> phase{};
  for (double &p : phase)
    p = random.uniform(0, 2 * std::numbers::pi);
  std::vector<XY> ccw;
  for (int i = 0; i < kVertices; ++i)
  {
    const double theta = 2 * std::numbers::pi * i / kVertices;
    const double r = options.radiusMeters *
                     (1.0 + 0.12 * std::sin(2 * theta + phase[0]) + 0.08 * std::sin(3 * theta + phase[1]) +
                      0.05 * std::sin(5 * theta + phase[2]) + 0.03 * std::sin(9 * theta + phase[3]));
    ccw.emplace_back(r * std::cos(theta), r * std::sin(theta));
  }
  MultiPoly area{toPoly(ccw)};
  bg::correct(area);
  return area;
}

} // namespace

DemoDistrict generateDemoDistrict(const DemoDistrictOptions &options)
{
  if (options.townships < 1 || options.communities < options.townships || options.grids < options.communities ||
      options.microGrids < options.grids)
    throw std::invalid_argument("demo district: each level needs at least as many nodes as the level above");
  if (options.townships > 999 || options.communities / options.townships > 999)
    throw std::invalid_argument("demo district: at most 999 children per node (three-digit codes)");

  Random random(options.seed);
  const Plane plane(options.centre);
  DemoDistrict result;
  std::string whyNot;
  auto makeNode = [&](const std::string &code, std::string name, const MultiPoly &area) {
    return GridNode{*GridCode::parse(code, &whyNot), std::move(name), toGeo(area, plane), std::nullopt, {}, 0};
  };
  auto insert = [&](GridNode node) -> const GridNode & {
    const std::string code = node.code.str();
    const std::string refused = result.tree.add(std::move(node));
    if (!refused.empty())
      throw std::logic_error("demo district: " + refused);
    return *result.tree.find(code);
  };
  auto addNode = [&](const std::string &code, std::string name, const MultiPoly &area) -> const GridNode & {
    return insert(makeNode(code, std::move(name), area));
  };
  auto addPoi = [&](std::string kind, std::string name, const MultiPoly &area, const std::string &code) -> DemoPoi & {
    result.pois.push_back({std::move(kind), std::move(name), plane.toGeo(randomPointIn(area, random)), code, {}, {}});
    return result.pois.back();
  };

  const MultiPoly districtArea = outline(options, random);
  addNode(options.adminCode, options.name, districtArea);
  DemoPoi &districtCenter = addPoi("governance_center", options.name + "综治中心", districtArea, options.adminCode);
  districtCenter.attributes.emplace_back("level", "district");

  const std::vector<MultiPoly> townships = partition(districtArea, options.townships, random);
  const std::vector<int> communitiesPer = split(options.communities, static_cast<int>(townships.size()), 1, random);
  std::vector<std::pair<std::string, MultiPoly>> communities;
  for (std::size_t t = 0; t < townships.size(); ++t)
  {
    const std::string townshipCode = options.adminCode + threeDigits(static_cast<int>(t) + 1);
    const std::string townshipName = kTownships[t % kTownships.size()] +
                                     (t < kTownships.size() ? std::string() : chineseOrdinal(static_cast<int>(t / kTownships.size()) + 1));
    addNode(townshipCode, townshipName, townships[t]);
    addPoi("governance_center", townshipName + "综治中心", townships[t], townshipCode)
      .attributes.emplace_back("level", "township");
    const bool urban = townshipName.find("街道") != std::string::npos;
    const std::vector<MultiPoly> parts = partition(townships[t], communitiesPer[t], random);
    for (std::size_t c = 0; c < parts.size(); ++c)
    {
      const std::string code = townshipCode + threeDigits(static_cast<int>(c) + 1);
      const std::string stem = kCommunityStems[(t * 7 + c * 5 + random.next() % 3) % kCommunityStems.size()];
      const std::string name = urban ? stem + "社区" : stem + "村";
      addNode(code, name, parts[c]);
      addPoi("governance_center", name + "综治中心", parts[c], code).attributes.emplace_back("level", "community");
      addPoi("police_post", name + "警务室", parts[c], code);
      communities.emplace_back(code, parts[c]);
    }
  }

  const std::vector<int> gridsPer = split(options.grids, static_cast<int>(communities.size()), 1, random);
  std::vector<std::pair<std::string, MultiPoly>> grids;
  for (std::size_t c = 0; c < communities.size(); ++c)
  {
    const auto &[communityCode, communityArea] = communities[c];
    const std::string communityName = result.tree.find(communityCode)->name;
    const std::vector<MultiPoly> parts = partition(communityArea, gridsPer[c], random);
    for (std::size_t g = 0; g < parts.size(); ++g)
    {
      const std::string code = communityCode + threeDigits(static_cast<int>(g) + 1);
      // People and households are kept on the grid (网格) level, where 网格员 work.
      GridNode grid = makeNode(code, communityName + "第" + chineseOrdinal(static_cast<int>(g) + 1) + "网格", parts[g]);
      grid.leader = GridPerson{"L" + code, personName(random), phone(random)};
      const int workers = random.range(1, 2);
      for (int w = 1; w <= workers; ++w)
        grid.workers.push_back({"W" + code + std::to_string(w), personName(random), phone(random)});
      grid.households = random.range(180, 620);
      insert(std::move(grid));
      grids.emplace_back(code, parts[g]);
    }
  }

  const std::vector<int> microPer = split(options.microGrids, static_cast<int>(grids.size()), 1, random);
  for (std::size_t g = 0; g < grids.size(); ++g)
  {
    const auto &[gridCode, gridArea] = grids[g];
    const std::string gridName = result.tree.find(gridCode)->name;

    const std::vector<MultiPoly> parts = partition(gridArea, microPer[g], random);
    for (std::size_t m = 0; m < parts.size(); ++m)
    {
      const std::string code = gridCode + threeDigits(static_cast<int>(m) + 1);
      GridNode micro = makeNode(code, gridName + std::to_string(m + 1) + "号微网格", parts[m]);
      micro.households = random.range(30, 160);
      insert(std::move(micro));
      if (random.uniform() < 0.5)
      {
        DemoPoi &camera = addPoi("camera", gridName + "视频探头" + std::to_string(m + 1), parts[m], code);
        camera.streamUrl = "rtsp://video.demo.griddispatch.invalid/live/" + code;
      }
      if (random.uniform() < 0.025)
        addPoi("alarm_pillar", gridName + "一键报警柱", parts[m], code);
      if (random.uniform() < 0.004)
        addPoi("hazchem_firm", random.pick(kFirmStems) + "化工有限公司", parts[m], code)
          .attributes.emplace_back("risk", "high");
      if (random.uniform() < 0.0015)
        addPoi("gas_company", random.pick(kFirmStems) + "燃气有限公司", parts[m], code);
      if (random.uniform() < 0.005)
        addPoi("petrol_station", random.pick(kFirmStems) + "加油站", parts[m], code);
    }
  }
  return result;
}

} // namespace gd::core
