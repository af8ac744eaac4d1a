#include "map/poilayers.h"

#include "map/mapstyles.h"

#include <qgsconfig.h>
#include <qgsmarkersymbol.h>
#include <qgsmarkersymbollayer.h>
#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsrulebasedrenderer.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>

#include <QObject>

#include <iterator>

namespace gd::map {

namespace {

#if _QGIS_VERSION_INT >= 32400
using Shape = Qgis::MarkerShape;
#else
using Shape = QgsSimpleMarkerSymbolLayerBase::Shape;
#endif

struct PoiLook
{
  const char *kind;
  Shape shape;
  QColor fill;
  double sizeMm;
  double visibleFromScale; //!< 0: every scale
};

// Risk sites stand out (warm colours, larger); infrastructure is quieter.
const PoiLook kLooks[] = {
  {"governance_center", Shape::Star, QColor(200, 30, 30), 4.2, 0},
  {"hazchem_firm", Shape::Diamond, QColor(255, 120, 0), 3.6, 0},
  {"gas_company", Shape::Diamond, QColor(170, 60, 200), 3.4, 0},
  {"petrol_station", Shape::Square, QColor(150, 90, 30), 3.0, 0},
  {"police_post", Shape::Pentagon, QColor(20, 50, 150), 3.2, 120000},
  {"alarm_pillar", Shape::Square, QColor(230, 40, 90), 2.4, 60000},
  {"camera", Shape::Triangle, QColor(30, 140, 200), 2.2, 25000},
};

} // namespace

PoiLayers::~PoiLayers() = default;

QStringList PoiLayers::kinds()
{
  QStringList list;
  for (const PoiLook &look : kLooks)
    list << QString::fromLatin1(look.kind);
  return list;
}

QString PoiLayers::kindTitle(const QString &kind)
{
  if (kind == QLatin1String("governance_center"))
    return QObject::tr("Governance centers");
  if (kind == QLatin1String("hazchem_firm"))
    return QObject::tr("Hazardous-chemical firms");
  if (kind == QLatin1String("gas_company"))
    return QObject::tr("Gas companies");
  if (kind == QLatin1String("petrol_station"))
    return QObject::tr("Petrol stations");
  if (kind == QLatin1String("police_post"))
    return QObject::tr("Police posts");
  if (kind == QLatin1String("alarm_pillar"))
    return QObject::tr("Alarm pillars");
  if (kind == QLatin1String("camera"))
    return QObject::tr("Video cameras");
  return kind;
}

std::unique_ptr<PoiLayers> PoiLayers::open(const QString &gpkgPath, QString *error)
{
  std::unique_ptr<PoiLayers> result(new PoiLayers);
  result->mLayer = std::make_unique<QgsVectorLayer>(QStringLiteral("%1|layername=pois").arg(gpkgPath),
                                                    QObject::tr("Points of interest"), QStringLiteral("ogr"));
  if (!result->mLayer->isValid())
  {
    if (error)
      *error = QObject::tr("%1 has no layer pois: is it a GridDispatch store?").arg(gpkgPath);
    return nullptr;
  }
  applyBuiltInStyle(*result->mLayer);
  setLayerRole(*result->mLayer, style::kPois);
  return result;
}

std::unique_ptr<PoiLayers> PoiLayers::fromPoints(const std::vector<PoiPoint> &points, const QString &styleDir)
{
  std::unique_ptr<PoiLayers> result(new PoiLayers);
  result->mLayer = std::make_unique<QgsVectorLayer>(
    QStringLiteral("Point?crs=EPSG:4490&field=kind:string(24)&field=name:string(120)&field=stream_url:string(255)"),
    QObject::tr("Points of interest"), QStringLiteral("memory"));
  QgsFeatureList features;
  for (const PoiPoint &point : points)
  {
    QgsFeature feature(result->mLayer->fields());
    feature.setAttributes(QgsAttributes() << point.kind << point.name << point.streamUrl);
    feature.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(point.lon, point.lat)));
    features << feature;
  }
  result->mLayer->dataProvider()->addFeatures(features);
  result->mLayer->dataProvider()->createSpatialIndex();
  result->mLayer->updateExtents();
  applyStyle(*result->mLayer, style::kPois, styleDir);
  setLayerRole(*result->mLayer, style::kPois);
  return result;
}

void PoiLayers::applyBuiltInStyle(QgsVectorLayer &layer)
{
  auto *root = new QgsRuleBasedRenderer::Rule(nullptr);
  // Rules draw in order, so the list's first kinds go last (on top).
  for (auto it = std::rbegin(kLooks); it != std::rend(kLooks); ++it)
  {
    const PoiLook &look = *it;
    const QString kind = QString::fromLatin1(look.kind);
    auto *marker = new QgsSimpleMarkerSymbolLayer(look.shape, look.sizeMm);
    marker->setColor(look.fill);
    marker->setStrokeColor(QColor(255, 255, 255));
    marker->setStrokeWidth(0.3);
    // The kind is one of our constants, never operator input.
    auto *rule = new QgsRuleBasedRenderer::Rule(new QgsMarkerSymbol(QgsSymbolLayerList() << marker), 0,
                                                static_cast<int>(look.visibleFromScale),
                                                QStringLiteral("\"kind\" = '%1'").arg(kind), kindTitle(kind));
    rule->setRuleKey(kind);
    root->appendChild(rule);
  }
  layer.setRenderer(new QgsRuleBasedRenderer(root));
}


bool PoiLayers::setKindVisible(const QString &kind, bool visible)
{
  auto *renderer = static_cast<QgsRuleBasedRenderer *>(mLayer->renderer());
  QgsRuleBasedRenderer::Rule *rule = renderer->rootRule()->findRuleByKey(kind);
  if (!rule)
    return false;
  rule->setActive(visible);
  mLayer->triggerRepaint();
  return true;
}

bool PoiLayers::isKindVisible(const QString &kind) const
{
  auto *renderer = static_cast<QgsRuleBasedRenderer *>(mLayer->renderer());
  const QgsRuleBasedRenderer::Rule *rule = renderer->rootRule()->findRuleByKey(kind);
  return rule && rule->active();
}

} // namespace gd::map
