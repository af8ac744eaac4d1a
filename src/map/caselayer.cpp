#include "map/caselayer.h"

#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsmarkersymbol.h>
#include <qgsmarkersymbollayer.h>
#include <qgspallabeling.h>
#include <qgsproperty.h>
#include <qgsrulebasedrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextbuffersettings.h>
#include <qgstextformat.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <QObject>

namespace gd::map {

namespace {

enum PinField
{
  FieldNumber,
  FieldFamily,
  FieldCategory,
  FieldTitle,
  FieldState,
  FieldLight,
  FieldPriority,
  FieldGrid
};

// Shape by category family: 矛盾纠纷 circle, 治安 square, 风险隐患 triangle, 民生诉求 hexagon,
// 特殊人群 pentagon, 突发事件 star. Colour by SLA light.
// (QGIS expressions know only the searched CASE WHEN form.)
const char *kShapeExpression = "CASE WHEN \"family\" = '01' THEN 'circle' WHEN \"family\" = '02' THEN 'square' "
                               "WHEN \"family\" = '03' THEN 'triangle' WHEN \"family\" = '04' THEN 'hexagon' "
                               "WHEN \"family\" = '05' THEN 'pentagon' WHEN \"family\" = '06' THEN 'star' "
                               "ELSE 'circle' END";
const char *kColorExpression = "CASE WHEN \"light\" = 'red' THEN '#d7191c' WHEN \"light\" = 'yellow' THEN '#f5a300' "
                               "WHEN \"light\" = 'green' THEN '#1a9850' ELSE '#8c8c8c' END";
const char *kSizeExpression = "CASE WHEN \"priority\" = 'emergency' THEN 5.2 WHEN \"priority\" = 'urgent' THEN 4.0 "
                              "ELSE 3.2 END";

QgsMarkerSymbol *pinSymbol(bool withHalo)
{
  QgsSymbolLayerList layers;
  if (withHalo)
  {
    // A translucent ring that makes overdue and emergency pins findable on a busy map.
    auto *halo = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, 7.5);
    halo->setColor(QColor(215, 25, 28, 70));
    halo->setStrokeColor(QColor(215, 25, 28, 200));
    halo->setStrokeWidth(0.4);
    halo->setDataDefinedProperty(QgsSymbolLayer::PropertySize,
                                 QgsProperty::fromExpression(QStringLiteral("(%1) + 3.5").arg(QLatin1String(kSizeExpression))));
    layers << halo;
  }
  auto *pin = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, 3.2);
  pin->setStrokeColor(QColor(255, 255, 255));
  pin->setStrokeWidth(0.35);
  pin->setDataDefinedProperty(QgsSymbolLayer::PropertyName, QgsProperty::fromExpression(QString::fromLatin1(kShapeExpression)));
  pin->setDataDefinedProperty(QgsSymbolLayer::PropertyFillColor, QgsProperty::fromExpression(QString::fromLatin1(kColorExpression)));
  pin->setDataDefinedProperty(QgsSymbolLayer::PropertySize, QgsProperty::fromExpression(QString::fromLatin1(kSizeExpression)));
  layers << pin;
  return new QgsMarkerSymbol(layers);
}

void stylePins(QgsVectorLayer &layer)
{
  auto *root = new QgsRuleBasedRenderer::Rule(nullptr);
  // Overdue and emergency cases: at every zoom, drawn last (on top).
  auto *ordinary = new QgsRuleBasedRenderer::Rule(pinSymbol(false), 0, static_cast<int>(LiveCaseLayer::kAggregateFromScale),
                                                  QStringLiteral("NOT (\"light\" = 'red' OR \"priority\" = 'emergency')"),
                                                  QObject::tr("Open cases"));
  auto *alarming = new QgsRuleBasedRenderer::Rule(pinSymbol(true), 0, 0,
                                                  QStringLiteral("\"light\" = 'red' OR \"priority\" = 'emergency'"),
                                                  QObject::tr("Overdue or emergency"));
  root->appendChild(ordinary);
  root->appendChild(alarming);
  layer.setRenderer(new QgsRuleBasedRenderer(root));
}

void styleCounts(QgsVectorLayer &layer)
{
  auto *bubble = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, 4);
  bubble->setColor(QColor(40, 90, 170, 200));
  bubble->setStrokeColor(QColor(255, 255, 255));
  bubble->setStrokeWidth(0.4);
  // Area grows with the count, so a busy grid reads as busy without hiding its neighbours.
  bubble->setDataDefinedProperty(QgsSymbolLayer::PropertySize,
                                 QgsProperty::fromExpression(QStringLiteral("min(3.2 + 1.4 * sqrt(\"open\"), 11)")));
  bubble->setDataDefinedProperty(
    QgsSymbolLayer::PropertyFillColor,
    QgsProperty::fromExpression(QStringLiteral("CASE WHEN \"overdue\" > 0 THEN '#c8281e' ELSE '#2a5aaa' END")));
  layer.setRenderer(new QgsSingleSymbolRenderer(new QgsMarkerSymbol(QgsSymbolLayerList() << bubble)));

  QgsPalLayerSettings label;
  label.fieldName = QStringLiteral("open");
#if _QGIS_VERSION_INT >= 32600
  label.placement = Qgis::LabelPlacement::OverPoint;
#else
  label.placement = QgsPalLayerSettings::OverPoint;
#endif
  QgsTextFormat format;
  QFont font(QStringLiteral("Noto Sans CJK SC"));
  font.setBold(true);
  format.setFont(font);
  format.setSize(7.5);
  format.setColor(Qt::white);
  label.setFormat(format);
  label.priority = 10;
  layer.setLabeling(new QgsVectorLayerSimpleLabeling(label));
  layer.setLabelsEnabled(true);
  layer.setScaleBasedVisibility(true);
  layer.setMaximumScale(LiveCaseLayer::kAggregateFromScale); // only when zoomed out beyond 1:40,000
  layer.setMinimumScale(0);
}

QgsAttributes pinAttributes(const CasePin &pin)
{
  return QgsAttributes() << pin.number << pin.family << pin.category << pin.title << pin.state << pin.light
                         << pin.priority << pin.grid;
}

} // namespace

LiveCaseLayer::LiveCaseLayer()
  : mPins(std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=EPSG:4490&field=number:string(32)&field=family:string(2)&field=category:string(8)"
                     "&field=title:string(200)&field=state:string(16)&field=light:string(8)"
                     "&field=priority:string(12)&field=grid:string(18)"),
      QObject::tr("Cases"), QStringLiteral("memory")))
  , mCounts(std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=EPSG:4490&field=grid:string(18)&field=open:integer&field=overdue:integer"),
      QObject::tr("Open cases per grid"), QStringLiteral("memory")))
{
  stylePins(*mPins);
  styleCounts(*mCounts);
}

LiveCaseLayer::~LiveCaseLayer() = default;

void LiveCaseLayer::setGridAnchors(const QHash<QString, QgsPointXY> &anchors)
{
  mAnchors.clear();
  for (auto it = anchors.constBegin(); it != anchors.constEnd(); ++it)
    mAnchors.insert(it.key(), {it.value().x(), it.value().y()});
  const QStringList grids = mCountByGrid.keys();
  for (const QString &grid : grids)
    updateCount(grid);
  mCounts->triggerRepaint();
}

void LiveCaseLayer::apply(const std::vector<CasePin> &upserts, const QStringList &removed)
{
  QgsVectorDataProvider *provider = mPins->dataProvider();
  QSet<QString> touchedGrids;
  QgsFeatureList added;
  QgsChangedAttributesMap changedAttributes;
  QgsGeometryMap changedGeometries;
  QgsFeatureIds deleted;

  for (const CasePin &pin : upserts)
  {
    const QgsGeometry geometry = QgsGeometry::fromPointXY(QgsPointXY(pin.lon, pin.lat));
    auto it = mPinsByNumber.find(pin.number);
    if (it == mPinsByNumber.end())
    {
      QgsFeature feature(mPins->fields());
      feature.setAttributes(pinAttributes(pin));
      feature.setGeometry(geometry);
      added << feature;
      mPinsByNumber.insert(pin.number, {pin, -1});
      touchedGrids.insert(pin.grid);
      continue;
    }
    touchedGrids.insert(it->pin.grid);
    touchedGrids.insert(pin.grid);
    it->pin = pin;
    if (it->fid >= 0)
    {
      QgsAttributeMap attributes;
      const QgsAttributes values = pinAttributes(pin);
      for (int i = 0; i < values.size(); ++i)
        attributes.insert(i, values.at(i));
      changedAttributes.insert(it->fid, attributes);
      changedGeometries.insert(it->fid, geometry);
    }
  }
  for (const QString &number : removed)
  {
    const auto it = mPinsByNumber.find(number);
    if (it == mPinsByNumber.end())
      continue;
    touchedGrids.insert(it->pin.grid);
    if (it->fid >= 0)
      deleted.insert(it->fid);
    mPinsByNumber.erase(it);
  }

  if (!deleted.isEmpty())
    provider->deleteFeatures(deleted);
  if (!changedAttributes.isEmpty())
    provider->changeAttributeValues(changedAttributes);
  if (!changedGeometries.isEmpty())
    provider->changeGeometryValues(changedGeometries);
  if (!added.isEmpty())
  {
    provider->addFeatures(added);
    // The provider gave the new features their ids; remember them for the next change.
    for (const QgsFeature &feature : std::as_const(added))
    {
      auto it = mPinsByNumber.find(feature.attribute(FieldNumber).toString());
      if (it != mPinsByNumber.end())
        it->fid = feature.id();
    }
  }

  // Counts: recomputed for the grids this batch touched only.
  QHash<QString, GridCount> recount;
  for (const QString &grid : std::as_const(touchedGrids))
    recount.insert(grid, GridCount());
  for (auto it = mPinsByNumber.constBegin(); it != mPinsByNumber.constEnd(); ++it)
  {
    const auto count = recount.find(it->pin.grid);
    if (count == recount.end())
      continue;
    ++count->open;
    count->overdue += it->pin.light == QLatin1String("red") ? 1 : 0;
  }
  for (auto it = recount.constBegin(); it != recount.constEnd(); ++it)
  {
    if (it.value().open == 0)
      mCountByGrid.remove(it.key());
    else
      mCountByGrid.insert(it.key(), it.value());
    updateCount(it.key());
  }
  mPins->updateExtents();
  mPins->triggerRepaint();
  mCounts->triggerRepaint();
}

void LiveCaseLayer::updateCount(const QString &grid)
{
  QgsVectorDataProvider *provider = mCounts->dataProvider();
  const int open = mCountByGrid.value(grid).open;
  const int overdue = mCountByGrid.value(grid).overdue;
  const auto fidIt = mCountFidByGrid.find(grid);
  const auto anchor = mAnchors.find(grid);
  if (open == 0 || anchor == mAnchors.end())
  {
    if (fidIt != mCountFidByGrid.end())
    {
      provider->deleteFeatures(QgsFeatureIds() << *fidIt);
      mCountFidByGrid.erase(fidIt);
    }
    return;
  }
  if (fidIt != mCountFidByGrid.end())
  {
    QgsAttributeMap attributes;
    attributes.insert(1, open);
    attributes.insert(2, overdue);
    provider->changeAttributeValues({{*fidIt, attributes}});
    return;
  }
  QgsFeature feature(mCounts->fields());
  feature.setAttributes(QgsAttributes() << grid << open << overdue);
  feature.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(anchor->first, anchor->second)));
  QgsFeatureList list{feature};
  provider->addFeatures(list);
  mCountFidByGrid.insert(grid, list.front().id());
}

std::optional<CasePin> LiveCaseLayer::pin(const QString &number) const
{
  const auto it = mPinsByNumber.constFind(number);
  if (it == mPinsByNumber.constEnd())
    return std::nullopt;
  return it->pin;
}

} // namespace gd::map
