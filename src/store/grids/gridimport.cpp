#include "store/grids/gridimport.h"

#include "store/database.h"
#include "store/grids/gridstore.h"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

namespace gd::store {

namespace {

struct DatasetCloser
{
  void operator()(GDALDataset *ds) const { GDALClose(ds); }
};

struct Feature
{
  std::string layer;
  long long fid = 0;
  std::string code;
  std::string name;
  std::string parent;
  std::unique_ptr<OGRGeometry> geometry; // EPSG:4490, lon/lat order
  OGREnvelope raw;                       // in the file's CRS, before reprojection
  bool projectedSource = false;          // the file's CRS is in metres (or feet), not degrees
};

std::string where(const Feature &f)
{
  return f.layer + " feature " + std::to_string(f.fid) + (f.code.empty() ? "" : " (code " + f.code + ")");
}

core::Ring toRing(const OGRLinearRing *ring)
{
  core::Ring out;
  if (!ring)
    return out;
  out.reserve(static_cast<std::size_t>(ring->getNumPoints()) + 1);
  for (int i = 0; i < ring->getNumPoints(); ++i)
    out.push_back({ring->getX(i), ring->getY(i)});
  if (!out.empty() && !(out.front() == out.back()))
    out.push_back(out.front());
  return out;
}

core::Polygon toPolygon(const OGRPolygon *polygon)
{
  core::Polygon out;
  out.outer = toRing(polygon->getExteriorRing());
  for (int i = 0; i < polygon->getNumInteriorRings(); ++i)
    out.holes.push_back(toRing(polygon->getInteriorRing(i)));
  return out;
}

core::MultiPolygon toMultiPolygon(const OGRGeometry *g)
{
  core::MultiPolygon out;
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon)
    out.push_back(toPolygon(g->toPolygon()));
  else if (type == wkbMultiPolygon)
    for (const OGRPolygon *p : *g->toMultiPolygon())
      out.push_back(toPolygon(p));
  return out;
}

double area(const OGRGeometry *g)
{
  const auto type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon)
    return g->toPolygon()->get_Area();
  if (type == wkbMultiPolygon)
    return g->toMultiPolygon()->get_Area();
  if (type == wkbGeometryCollection)
    return g->toGeometryCollection()->get_Area();
  return 0;
}

// The People's Republic's extent with a margin (73.5..135.1 E, 3.8..53.6 N): a district
// outside it was read in the wrong CRS or with its axes swapped.
constexpr double kChinaMinLon = 73.0, kChinaMaxLon = 136.0, kChinaMinLat = 3.0, kChinaMaxLat = 54.0;
// The smallest county-level district is tens of square kilometres; 1 km² leaves room for a
// test district and still catches a file in degrees read as metres (a 1 m square).
constexpr double kMinDistrictKm2 = 1.0;

bool inChina(const OGREnvelope &e)
{
  return e.MinX >= kChinaMinLon && e.MaxX <= kChinaMaxLon && e.MinY >= kChinaMinLat && e.MaxY <= kChinaMaxLat;
}

std::string number(double v)
{
  std::ostringstream out;
  out.precision(7);
  out << v;
  return out.str();
}

std::string envelopeText(const OGREnvelope &e)
{
  return "lon " + number(e.MinX) + ".." + number(e.MaxX) + ", lat " + number(e.MinY) + ".." + number(e.MaxY);
}

// Area of a lon/lat geometry in km², on a sphere: good to a few per cent, enough for "implausibly small".
double areaKm2(const OGRGeometry *lonLat)
{
  OGREnvelope e;
  lonLat->getEnvelope(&e);
  const double kmPerDegree = 111.32;
  const double midLat = (e.MinY + e.MaxY) / 2 * M_PI / 180;
  return area(lonLat) * kmPerDegree * kmPerDegree * std::cos(midLat);
}

// What the topology checks ignore: the slivers that a boundary shared by two files' worth of
// vertices leaves after reprojection — and the product's own demo district leaves between its
// lon/lat polygons, whose vertices were placed on straight lines in a plane (a straight edge in
// metres is not quite straight in degrees: centimetres over a kilometre, a few m² per grid).
// A part of a gap, overlap or spill counts when it is at least 1 m² and on average at least
// 10 cm wide; real mistakes (a missing micro-grid, a shifted boundary) are metres wide.
constexpr double kNoiseAreaM2 = 1.0;
constexpr double kNoiseWidthM = 0.10;

template<typename F> void forEachPolygon(const OGRGeometry *g, const F &f)
{
  if (!g)
    return;
  switch (wkbFlatten(g->getGeometryType()))
  {
    case wkbPolygon:
      f(g->toPolygon());
      break;
    case wkbMultiPolygon:
      for (const OGRPolygon *p : *g->toMultiPolygon())
        f(p);
      break;
    case wkbGeometryCollection:
      for (const OGRGeometry *part : *g->toGeometryCollection())
        forEachPolygon(part, f);
      break;
    default: // points and lines left by a difference have no area
      break;
  }
}

// Square metres of the parts of a lon/lat geometry that are neither specks nor slivers (see above).
double significantM2(const OGRGeometry *g)
{
  double total = 0;
  forEachPolygon(g, [&](const OGRPolygon *p) {
    OGREnvelope e;
    p->getEnvelope(&e);
    const double my = 111'320.0;
    const double mx = my * std::cos((e.MinY + e.MaxY) / 2 * M_PI / 180);
    double perimeter = 0;
    auto ringLength = [&](const OGRLinearRing *ring) {
      if (!ring)
        return;
      for (int i = 1; i < ring->getNumPoints(); ++i)
        perimeter += std::hypot((ring->getX(i) - ring->getX(i - 1)) * mx, (ring->getY(i) - ring->getY(i - 1)) * my);
    };
    ringLength(p->getExteriorRing());
    for (int i = 0; i < p->getNumInteriorRings(); ++i)
      ringLength(p->getInteriorRing(i));
    const double m2 = p->get_Area() * mx * my;
    if (m2 < kNoiseAreaM2 || perimeter <= 0 || 2 * m2 / perimeter < kNoiseWidthM)
      return;
    total += m2;
  });
  return total;
}

void registerDrivers()
{
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

} // namespace

GridImporter::GridImporter(GridImportOptions options)
  : mOptions(std::move(options))
{}

GridImportReport GridImporter::read(const std::filesystem::path &file, core::GridTree &tree) const
{
  registerDrivers();
  GridImportReport report;
  report.source = file.string();
  auto &problems = report.problems;

  // OGR says nothing (an empty message) about a missing or empty file: say it here.
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status))
  {
    problems.push_back(file.string() + ": no such file");
    return report;
  }
  if (std::filesystem::is_regular_file(status) && std::filesystem::file_size(file, ec) == 0 && !ec)
  {
    problems.push_back(file.string() + ": the file is empty (0 bytes)");
    return report;
  }
  CPLErrorReset();
  std::unique_ptr<GDALDataset, DatasetCloser> ds(
    GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds)
  {
    const std::string why = CPLGetLastErrorMsg();
    problems.push_back(file.string() + ": cannot open as a vector file (GeoPackage, GeoJSON, Shapefile, ...): " +
                       (why.empty() ? std::string("no GDAL driver recognises its content") : why));
    return report;
  }

  OGRSpatialReference target;
  target.importFromEPSG(4490);
  target.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

  std::vector<Feature> features;
  for (OGRLayer *layer : ds->GetLayers())
  {
    const std::string layerName = layer->GetName();
    OGRFeatureDefn *defn = layer->GetLayerDefn();
    const int codeIndex = defn->GetFieldIndex(mOptions.codeField.c_str());
    const int nameIndex = defn->GetFieldIndex(mOptions.nameField.c_str());
    const int parentIndex = mOptions.parentField.empty() ? -1 : defn->GetFieldIndex(mOptions.parentField.c_str());
    if (codeIndex < 0)
    {
      problems.push_back(layerName + ": no code field '" + mOptions.codeField + "' (choose it with --code-field)");
      continue;
    }
    if (nameIndex < 0)
    {
      problems.push_back(layerName + ": no name field '" + mOptions.nameField + "' (choose it with --name-field)");
      continue;
    }
    if (!mOptions.parentField.empty() && parentIndex < 0)
    {
      problems.push_back(layerName + ": no parent field '" + mOptions.parentField + "'");
      continue;
    }
    const OGRSpatialReference *sourceSrs = layer->GetSpatialRef();
    std::unique_ptr<OGRCoordinateTransformation> transform;
    if (!sourceSrs)
    {
      problems.push_back(layerName + ": the layer has no coordinate reference system; cannot reproject to EPSG:4490");
      continue;
    }
    {
      OGRSpatialReference source(*sourceSrs);
      source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      const char *authority = source.GetAuthorityName(nullptr);
      const char *authorityCode = source.GetAuthorityCode(nullptr);
      report.sourceCrs = authority && authorityCode ? std::string(authority) + ":" + authorityCode
                                                    : std::string(source.GetName() ? source.GetName() : "unknown");
      transform.reset(OGRCreateCoordinateTransformation(&source, &target));
      if (!transform)
      {
        problems.push_back(layerName + ": cannot transform from " + report.sourceCrs + " to EPSG:4490: " +
                           CPLGetLastErrorMsg());
        continue;
      }
    }
    layer->ResetReading();
    while (std::unique_ptr<OGRFeature> f{layer->GetNextFeature()})
    {
      ++report.features;
      Feature feature;
      feature.layer = layerName;
      feature.fid = f->GetFID();
      feature.code = f->IsFieldSetAndNotNull(codeIndex) ? f->GetFieldAsString(codeIndex) : "";
      feature.name = f->IsFieldSetAndNotNull(nameIndex) ? f->GetFieldAsString(nameIndex) : "";
      if (parentIndex >= 0 && f->IsFieldSetAndNotNull(parentIndex))
        feature.parent = f->GetFieldAsString(parentIndex);
      OGRGeometry *g = f->GetGeometryRef();
      if (!g || g->IsEmpty())
      {
        problems.push_back(where(feature) + ": no geometry");
        continue;
      }
      const auto type = wkbFlatten(g->getGeometryType());
      if (type != wkbPolygon && type != wkbMultiPolygon)
      {
        problems.push_back(where(feature) + ": geometry is " + OGRGeometryTypeToName(g->getGeometryType()) +
                           ", expected a polygon or multipolygon");
        continue;
      }
      g->getEnvelope(&feature.raw);
      feature.projectedSource = sourceSrs->IsProjected();
      if (!std::isfinite(feature.raw.MinX) || !std::isfinite(feature.raw.MaxX) || !std::isfinite(feature.raw.MinY) ||
          !std::isfinite(feature.raw.MaxY))
      {
        problems.push_back(where(feature) + ": a coordinate is not a finite number");
        continue;
      }
      std::unique_ptr<OGRGeometry> copy(g->clone());
      if (copy->transform(transform.get()) != OGRERR_NONE)
      {
        const OGREnvelope &r = feature.raw;
        const bool swapped = !feature.projectedSource && r.MinY >= kChinaMinLon && r.MaxY <= kChinaMaxLon &&
                             r.MinX >= kChinaMinLat && r.MaxX <= kChinaMaxLat;
        problems.push_back(where(feature) + ": cannot reproject its geometry to EPSG:4490 (coordinates x " +
                           number(r.MinX) + ".." + number(r.MaxX) + ", y " + number(r.MinY) + ".." + number(r.MaxY) +
                           " in " + report.sourceCrs + ")" + (swapped ? "; latitude and longitude look swapped" : ""));
        continue;
      }
      // Before any topology: a grid outside China means the CRS label or the axis order is
      // wrong, and every area computed from it would be nonsense (1e300 "gaps of 100 %").
      OGREnvelope e;
      copy->getEnvelope(&e);
      if (!inChina(e))
      {
        std::string hint;
        const OGREnvelope &r = feature.raw;
        OGREnvelope swapped;
        swapped.MinX = e.MinY, swapped.MaxX = e.MaxY, swapped.MinY = e.MinX, swapped.MaxY = e.MaxX;
        if (feature.projectedSource && std::fabs(r.MinX) <= 180 && std::fabs(r.MaxX) <= 180 &&
            std::fabs(r.MinY) <= 90 && std::fabs(r.MaxY) <= 90)
          hint = "; its coordinates look like degrees but the file says " + report.sourceCrs +
                 " (metres): label the file with its real CRS, e.g. EPSG:4490";
        else if (inChina(swapped))
          hint = "; latitude and longitude look swapped";
        else
          hint = "; is the file's CRS (" + report.sourceCrs + ") right?";
        problems.push_back(where(feature) + ": lies outside China (" + envelopeText(e) + " after reprojecting from " +
                           report.sourceCrs + ")" + hint);
        continue;
      }
      if (!copy->IsValid())
      {
        problems.push_back(where(feature) + ": invalid polygon (self-intersecting or badly nested rings)");
        continue;
      }
      feature.geometry = std::move(copy);
      features.push_back(std::move(feature));
    }
  }

  // A whole tree read in a wrong CRS can land inside China yet shrink to nothing.
  for (const Feature &f : features)
  {
    const auto code = core::GridCode::parse(f.code);
    if (!code || code->level() != core::GridLevel::District)
      continue;
    const double km2 = areaKm2(f.geometry.get());
    if (km2 < kMinDistrictKm2)
    {
      std::string hint;
      const OGREnvelope &r = f.raw;
      if (f.projectedSource && std::fabs(r.MaxX - r.MinX) < 10 && std::fabs(r.MaxY - r.MinY) < 10)
        hint = ": its coordinates span " + number(r.MaxX - r.MinX) + " x " + number(r.MaxY - r.MinY) + " units of " +
               report.sourceCrs + " (metres); are they degrees?";
      problems.push_back(where(f) + ": the district covers only " + number(km2) +
                         " km², implausibly small for a district (at least " + number(kMinDistrictKm2) + " km²)" +
                         hint);
    }
  }
  if (!report.ok()) // the topology of misplaced geometries says nothing useful
    return report;

  // Codes: well-formed, unique, parent present, parent field consistent.
  std::map<std::string, const Feature *> byCode;
  for (const Feature &f : features)
  {
    std::string why;
    auto code = core::GridCode::parse(f.code, &why);
    if (!code)
    {
      problems.push_back(where(f) + ": bad code: " + why);
      continue;
    }
    if (f.name.empty())
      problems.push_back(where(f) + ": empty name (field '" + mOptions.nameField + "')");
    if (!byCode.emplace(f.code, &f).second)
      problems.push_back(where(f) + ": duplicate code " + f.code + " (also " + where(*byCode[f.code]) + ")");
    ++report.perLevel[static_cast<int>(code->level())];
  }
  std::map<std::string, std::vector<const Feature *>> children;
  for (const auto &[codeText, f] : byCode)
  {
    const auto code = core::GridCode::parse(codeText);
    const auto parent = code->parent();
    if (!f->parent.empty() && (!parent || f->parent != parent->str()))
      problems.push_back(where(*f) + ": code does not match its parent " + f->parent + " (field '" +
                         mOptions.parentField + "'): expected " + (parent ? parent->str() : std::string("none")));
    if (!parent)
      continue;
    if (!byCode.count(parent->str()))
    {
      problems.push_back(where(*f) + ": parent " + parent->str() + " is not in the file");
      continue;
    }
    children[parent->str()].push_back(f);
  }

  // Geometry: children within their parent, siblings neither overlapping nor leaving gaps.
  for (const auto &[parentCode, kids] : children)
  {
    const Feature *parent = byCode[parentCode];
    const double parentM2 = areaKm2(parent->geometry.get()) * 1e6;
    const double tolerance = parentM2 * mOptions.areaTolerance;
    auto share = [&](double m2) { return number(m2) + " m², " + number(100.0 * m2 / parentM2) + " % of its area"; };
    for (const Feature *kid : kids)
    {
      std::unique_ptr<OGRGeometry> outside(kid->geometry->Difference(parent->geometry.get()));
      if (const double m2 = significantM2(outside.get()); m2 > tolerance)
        problems.push_back(where(*kid) + ": lies partly outside its parent " + parentCode + " (" + number(m2) +
                           " m²)");
    }
    for (std::size_t i = 0; i < kids.size(); ++i)
    {
      OGREnvelope a;
      kids[i]->geometry->getEnvelope(&a);
      for (std::size_t j = i + 1; j < kids.size(); ++j)
      {
        OGREnvelope b;
        kids[j]->geometry->getEnvelope(&b);
        if (!a.Intersects(b))
          continue;
        std::unique_ptr<OGRGeometry> overlap(kids[i]->geometry->Intersection(kids[j]->geometry.get()));
        if (const double m2 = significantM2(overlap.get()); m2 > tolerance)
          problems.push_back(where(*kids[i]) + ": overlaps its sibling " + kids[j]->code + " (" + number(m2) + " m²)");
      }
    }
    std::unique_ptr<OGRGeometry> covered(kids.front()->geometry->clone());
    for (std::size_t i = 1; i < kids.size() && covered; ++i)
      covered.reset(covered->Union(kids[i]->geometry.get()));
    if (covered)
    {
      std::unique_ptr<OGRGeometry> gap(parent->geometry->Difference(covered.get()));
      if (const double m2 = significantM2(gap.get()); m2 > tolerance)
        problems.push_back(where(*parent) + ": its children leave a gap of " + share(m2) + " uncovered");
    }
  }

  if (!report.ok())
    return report;
  core::GridTree built;
  for (const auto &[codeText, f] : byCode) // code order: parents before children
  {
    core::GridNode node{*core::GridCode::parse(codeText), f->name, toMultiPolygon(f->geometry.get()), std::nullopt, {}, 0};
    const std::string refused = built.add(std::move(node));
    if (!refused.empty())
      problems.push_back(where(*f) + ": " + refused);
  }
  for (const std::string &problem : built.validate())
    problems.push_back(problem);
  if (report.ok())
    tree = std::move(built);
  return report;
}

GridImportReport GridImporter::import(const std::filesystem::path &file, Database &db) const
{
  core::GridTree tree;
  GridImportReport report = read(file, tree);
  if (!report.ok())
    return report;
  // The check and the replacement in one transaction: no case or worker can appear between them.
  std::optional<Transaction> tx;
  if (!db.inTransaction())
    tx.emplace(db, Transaction::Kind::Immediate);
  GridStore grids(db);
  // A boundary file carries no people: the leaders, households and workers of every grid whose
  // code stays are carried over, not dropped.
  const core::GridTree old = grids.load();
  core::GridTree merged;
  for (const core::GridNode *node : tree.nodes())
  {
    core::GridNode copy = *node;
    if (const core::GridNode *before = old.find(node->code))
    {
      if (!copy.leader && before->leader)
      {
        copy.leader = before->leader;
        ++report.leadersCarried;
      }
      if (copy.workers.empty() && !before->workers.empty())
      {
        copy.workers = before->workers;
        report.workersCarried += before->workers.size();
      }
      if (copy.households == 0)
        copy.households = before->households;
    }
    merged.add(std::move(copy));
  }
  std::set<std::string> codes;
  for (const core::GridNode *node : merged.nodes())
    codes.insert(node->code.str());
  // A case or a worker whose grid code the file drops would point nowhere: refuse, naming them.
  std::size_t cases = 0, workers = 0;
  const auto orphans = grids.orphanedReferences(codes, 20, &cases, &workers);
  if (!orphans.empty())
  {
    report.problems.push_back(std::to_string(cases) + " case(s) and " + std::to_string(workers) +
                              " grid worker(s) in the store refer to grid codes this file does not have; keep "
                              "those codes in the file (renumbering grids is not supported by an import):");
    for (const std::string &line : orphans)
      report.problems.push_back("  " + line);
    return report; // the transaction rolls back: nothing was written
  }
  grids.replaceAll(merged);
  if (tx)
    tx->commit();
  report.imported = true;
  return report;
}

} // namespace gd::store
