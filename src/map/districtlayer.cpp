#include "map/districtlayer.h"

#include <qgsfillsymbol.h>
#include <qgsgeometry.h>
#include <qgsfeature.h>
#include <qgspallabeling.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextformat.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>
#include <qgsconfig.h>

#include <QColor>
#include <QFont>

namespace gd::map {

namespace {

// A simplified outline of Suzhou District, Jiuquan (肃州区), in CGCS2000 lon/lat. Good enough to
// orient an operator before real boundaries are imported; never used for point-in-grid tests.
constexpr double kOutline[][2] = {
  {98.300, 39.560}, {98.420, 39.520}, {98.560, 39.500}, {98.700, 39.540}, {98.790, 39.610},
  {98.830, 39.700}, {98.800, 39.800}, {98.730, 39.880}, {98.620, 39.930}, {98.480, 39.940},
  {98.360, 39.900}, {98.270, 39.820}, {98.240, 39.720}, {98.250, 39.630}, {98.300, 39.560},
};

} // namespace

std::unique_ptr<QgsVectorLayer> createPlaceholderDistrictLayer(const QString &layerName)
{
  auto layer = std::make_unique<QgsVectorLayer>(
    QStringLiteral("Polygon?crs=EPSG:4490&field=code:string(18)&field=name:string(64)"), layerName,
    QStringLiteral("memory"));
  if (!layer->isValid())
    return layer;

  QgsPolylineXY ring;
  for (const auto &vertex : kOutline)
    ring << QgsPointXY(vertex[0], vertex[1]);
  QgsFeature feature(layer->fields());
  feature.setGeometry(QgsGeometry::fromPolygonXY({ring}));
  feature.setAttributes(QgsAttributes() << QVariant(QStringLiteral("620902")) << QVariant(QStringLiteral("肃州区")));
  layer->dataProvider()->addFeatures(QgsFeatureList() << feature);
  layer->updateExtents();

  QVariantMap symbolProperties;
  symbolProperties.insert(QStringLiteral("color"), QStringLiteral("232,240,250,255"));
  symbolProperties.insert(QStringLiteral("outline_color"), QStringLiteral("30,70,140,255"));
  symbolProperties.insert(QStringLiteral("outline_width"), QStringLiteral("0.8"));
  layer->setRenderer(new QgsSingleSymbolRenderer(QgsFillSymbol::createSimple(symbolProperties)));

  QgsPalLayerSettings label;
  label.fieldName = QStringLiteral("name");
#if _QGIS_VERSION_INT >= 32600
  label.placement = Qgis::LabelPlacement::OverPoint;
#else
  label.placement = QgsPalLayerSettings::OverPoint;
#endif
  QgsTextFormat format;
  QFont font(QStringLiteral("Noto Sans CJK SC"));
  font.setBold(true);
  format.setFont(font);
  format.setSize(16);
  format.setColor(QColor(20, 40, 90));
  label.setFormat(format);
  layer->setLabeling(new QgsVectorLayerSimpleLabeling(label));
  layer->setLabelsEnabled(true);
  return layer;
}

} // namespace gd::map
