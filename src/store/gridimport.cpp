#include "store/gridimport.h"

#include "store/database.h"
#include "store/gridstore.h"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <map>
#include <memory>
#include <mutex>

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

  std::unique_ptr<GDALDataset, DatasetCloser> ds(
    GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds)
  {
    problems.push_back(file.string() + ": cannot open as a vector file (GeoPackage, GeoJSON, Shapefile, ...): " +
                       CPLGetLastErrorMsg());
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
      std::unique_ptr<OGRGeometry> copy(g->clone());
      if (copy->transform(transform.get()) != OGRERR_NONE)
      {
        problems.push_back(where(feature) + ": cannot reproject its geometry to EPSG:4490");
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
    const double parentArea = area(parent->geometry.get());
    const double tolerance = parentArea * mOptions.areaTolerance;
    for (const Feature *kid : kids)
    {
      std::unique_ptr<OGRGeometry> outside(kid->geometry->Difference(parent->geometry.get()));
      if (outside && area(outside.get()) > tolerance)
        problems.push_back(where(*kid) + ": lies partly outside its parent " + parentCode);
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
        if (overlap && area(overlap.get()) > tolerance)
          problems.push_back(where(*kids[i]) + ": overlaps its sibling " + kids[j]->code);
      }
    }
    std::unique_ptr<OGRGeometry> covered(kids.front()->geometry->clone());
    for (std::size_t i = 1; i < kids.size() && covered; ++i)
      covered.reset(covered->Union(kids[i]->geometry.get()));
    if (covered)
    {
      std::unique_ptr<OGRGeometry> gap(parent->geometry->Difference(covered.get()));
      if (gap && area(gap.get()) > tolerance)
        problems.push_back(where(*parent) + ": its children leave a gap of " +
                           std::to_string(100.0 * area(gap.get()) / parentArea) + " % of its area uncovered");
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
  GridStore(db).replaceAll(tree);
  report.imported = true;
  return report;
}

} // namespace gd::store
