#include "map/gridlayers.h"

#include "map/mapstyles.h"

#include "core/gridtree.h"

#include <qgsfeature.h>
#include <qgsfillsymbollayer.h>
#include <qgsrendercontext.h>
#include <qgsrenderer.h>
#include <qgssymbol.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsgeometry.h>
#include <qgsmultipolygon.h>
#include <qgspolygon.h>
#include <qgslinestring.h>
#include <qgsvectordataprovider.h>

#include <qgsvectorlayer.h>

#include <QObject>

namespace gd::map {

namespace {

constexpr std::array<core::GridLevel, 5> kLevels{core::GridLevel::District, core::GridLevel::Township,
                                                  core::GridLevel::Community, core::GridLevel::Grid,
                                                  core::GridLevel::MicroGrid};

QString tableName(core::GridLevel level)
{
  switch (level)
  {
    case core::GridLevel::District:
      return style::kDistrict;
    case core::GridLevel::Township:
      return style::kTownship;
    case core::GridLevel::Community:
      return style::kCommunity;
    case core::GridLevel::Grid:
      return style::kGrid;
    case core::GridLevel::MicroGrid:
      return style::kMicroGrid;
  }
  return QString();
}

void setScaleRange(QgsVectorLayer &layer, core::GridLevel level)
{
  if (const double from = GridLayers::visibleFromScale(level); from > 0)
  {
    layer.setScaleBasedVisibility(true);
    layer.setMinimumScale(from);
    layer.setMaximumScale(0);
  }
}

QString layerTitle(core::GridLevel level)
{
  switch (level)
  {
    case core::GridLevel::District:
      return QObject::tr("District");
    case core::GridLevel::Township:
      return QObject::tr("Townships and subdistricts");
    case core::GridLevel::Community:
      return QObject::tr("Villages and communities");
    case core::GridLevel::Grid:
      return QObject::tr("Grids");
    case core::GridLevel::MicroGrid:
      return QObject::tr("Micro-grids");
  }
  return QString();
}

} // namespace

GridLayers::~GridLayers() = default;

double GridLayers::visibleFromScale(core::GridLevel level)
{
  switch (level)
  {
    case core::GridLevel::District:
    case core::GridLevel::Township:
      return 0;
    case core::GridLevel::Community:
      return 250000;
    case core::GridLevel::Grid:
      return 60000;
    case core::GridLevel::MicroGrid:
      return 15000;
  }
  return 0;
}

std::unique_ptr<GridLayers> GridLayers::open(const QString &gpkgPath, const QString &styleDir, QString *error)
{
  std::unique_ptr<GridLayers> result(new GridLayers);
  for (const core::GridLevel level : kLevels)
  {
    const QString table = tableName(level);
    auto layer = std::make_unique<QgsVectorLayer>(QStringLiteral("%1|layername=%2").arg(gpkgPath, table),
                                                  layerTitle(level), QStringLiteral("ogr"));
    if (!layer->isValid())
    {
      if (error)
        *error = QObject::tr("%1 has no layer %2: is it a GridDispatch store?").arg(gpkgPath, table);
      return nullptr;
    }
    QString styleError;
    applyStyle(*layer, table, styleDir, &styleError);
    if (!styleError.isEmpty() && error)
      *error = styleError; // not fatal: the built-in style was used
    setScaleRange(*layer, level);
    setLayerRole(*layer, table);
    result->mLayers[static_cast<std::size_t>(level)] = std::move(layer);
  }
  return result;
}

namespace {

QgsGeometry toGeometry(const core::MultiPolygon &area)
{
  auto multi = std::make_unique<QgsMultiPolygon>();
  auto ring = [](const core::Ring &points) {
    QVector<double> x;
    QVector<double> y;
    x.reserve(static_cast<int>(points.size()));
    y.reserve(static_cast<int>(points.size()));
    for (const core::GeoPoint &p : points)
    {
      x << p.lon;
      y << p.lat;
    }
    return new QgsLineString(x, y);
  };
  for (const core::Polygon &polygon : area)
  {
    auto *part = new QgsPolygon();
    part->setExteriorRing(ring(polygon.outer));
    for (const core::Ring &hole : polygon.holes)
      part->addInteriorRing(ring(hole));
    multi->addGeometry(part);
  }
  return QgsGeometry(std::move(multi));
}

} // namespace

std::unique_ptr<GridLayers> GridLayers::fromTree(const core::GridTree &tree, const QString &styleDir)
{
  std::unique_ptr<GridLayers> result(new GridLayers);
  for (const core::GridLevel level : kLevels)
  {
    auto layer = std::make_unique<QgsVectorLayer>(
      QStringLiteral("MultiPolygon?crs=EPSG:4490&field=code:string(18)&field=name:string(80)&field=parent_code:string(18)"
                     "&field=households:integer&field=leader_name:string(32)&field=leader_phone:string(16)"
                     "&field=workers:string(200)"),
      layerTitle(level), QStringLiteral("memory"));
    QgsFeatureList features;
    for (const core::GridNode *node : tree.nodesAt(level))
    {
      QgsFeature feature(layer->fields());
      QStringList workers;
      for (const core::GridPerson &worker : node->workers)
        workers << QStringLiteral("%1 %2").arg(QString::fromStdString(worker.name), QString::fromStdString(worker.phone));
      const auto parent = node->code.parent();
      feature.setAttributes(QgsAttributes() << QString::fromStdString(node->code.str()) << QString::fromStdString(node->name)
                                            << (parent ? QString::fromStdString(parent->str()) : QString())
                                            << node->households
                                            << (node->leader ? QString::fromStdString(node->leader->name) : QString())
                                            << (node->leader ? QString::fromStdString(node->leader->phone) : QString())
                                            << workers.join(QStringLiteral("、")));
      feature.setGeometry(toGeometry(node->area));
      features << feature;
    }
    layer->dataProvider()->addFeatures(features);
    // Zoomed in, a render reads only the polygons in view (5,000 micro-grids in a district).
    layer->dataProvider()->createSpatialIndex();
    layer->updateExtents();
    applyStyle(*layer, tableName(level), styleDir);
    setScaleRange(*layer, level);
    setLayerRole(*layer, tableName(level));
    result->mLayers[static_cast<std::size_t>(level)] = std::move(layer);
  }
  return result;
}

QgsVectorLayer *GridLayers::layer(core::GridLevel level) const
{
  return mLayers[static_cast<std::size_t>(level)].get();
}

QHash<QString, QgsGeometry> GridLayers::areas(core::GridLevel level) const
{
  QgsVectorLayer *source = layer(level);
  QHash<QString, QgsGeometry> result;
  QgsFeatureIterator it =
    source->getFeatures(QgsFeatureRequest().setSubsetOfAttributes(QStringList{QStringLiteral("code")}, source->fields()));
  QgsFeature feature;
  while (it.nextFeature(feature))
    result.insert(feature.attribute(QStringLiteral("code")).toString(), feature.geometry());
  return result;
}

void GridLayers::setBoundaryHalos(bool shown)
{
  for (const auto &layer : mLayers)
  {
    QgsFeatureRenderer *renderer = layer ? layer->renderer() : nullptr;
    if (!renderer)
      continue;
    QgsRenderContext context;
    bool changed = false;
    for (QgsSymbol *symbol : renderer->symbols(context))
    {
      if (!symbol || symbol->symbolLayerCount() < 2)
        continue;
      // A halo: an unfilled stroke in white under another symbol layer (built-in and shipped styles).
      for (int i = 0; i < symbol->symbolLayerCount() - 1; ++i)
      {
        auto *fill = dynamic_cast<QgsSimpleFillSymbolLayer *>(symbol->symbolLayer(i));
        if (!fill || fill->brushStyle() != Qt::NoBrush)
          continue;
        const QColor stroke = fill->strokeColor();
        if (stroke.red() != 255 || stroke.green() != 255 || stroke.blue() != 255 || fill->enabled() == shown)
          continue;
        fill->setEnabled(shown);
        changed = true;
      }
    }
    if (changed)
      layer->triggerRepaint();
  }
}

QList<QgsMapLayer *> GridLayers::layers() const
{
  QList<QgsMapLayer *> list;
  for (const auto &layer : mLayers)
    list << layer.get();
  return list;
}

} // namespace gd::map
