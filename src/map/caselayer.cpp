#include "map/caselayer.h"

#include "map/mapstyles.h"
#include "map/lazycategorizedrenderer.h"
#include "map/scaleswitchrenderer.h"

#include <qgscolorramp.h>
#include <qgsfeature.h>
#include <qgsfillsymbol.h>
#include <qgsfillsymbollayer.h>
#include <qgsgraduatedsymbolrenderer.h>
#include <qgsheatmaprenderer.h>
#include <qgsrendererrange.h>
#include <qgsgeometry.h>
#include <qgsmarkersymbol.h>
#include <qgsmarkersymbollayer.h>
#include <qgspallabeling.h>
#include <qgsproperty.h>
#include <qgscategorizedsymbolrenderer.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextbuffersettings.h>
#include <qgstextformat.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <QDateTime>
#include <QObject>

#include <cmath>

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
  FieldGrid,
  FieldLook
};

const QStringList kFamilies{QStringLiteral("01"), QStringLiteral("02"), QStringLiteral("03"),
                            QStringLiteral("04"), QStringLiteral("05"), QStringLiteral("06")};
const QStringList kLights{QStringLiteral("green"), QStringLiteral("yellow"), QStringLiteral("red"), QStringLiteral("none")};
const QStringList kPriorities{QStringLiteral("normal"), QStringLiteral("urgent"), QStringLiteral("emergency")};

// Shape by category family: 矛盾纠纷 circle, 治安 square, 风险隐患 triangle, 民生诉求 hexagon,
// 特殊人群 pentagon, 突发事件 star.
QgsSimpleMarkerSymbolLayerBase::Shape shapeOf(const QString &family)
{
  const int index = kFamilies.indexOf(family);
  static const QgsSimpleMarkerSymbolLayerBase::Shape shapes[] = {
    QgsSimpleMarkerSymbolLayerBase::Circle,  QgsSimpleMarkerSymbolLayerBase::Square,
    QgsSimpleMarkerSymbolLayerBase::Triangle, QgsSimpleMarkerSymbolLayerBase::Hexagon,
    QgsSimpleMarkerSymbolLayerBase::Pentagon, QgsSimpleMarkerSymbolLayerBase::Star};
  return index < 0 ? QgsSimpleMarkerSymbolLayerBase::Circle : shapes[index];
}

QColor colorOf(const QString &light)
{
  if (light == QLatin1String("red"))
    return QColor(0xd7, 0x19, 0x1c);
  if (light == QLatin1String("yellow"))
    return QColor(0xf5, 0xa3, 0x00);
  if (light == QLatin1String("green"))
    return QColor(0x1a, 0x98, 0x50);
  return QColor(0x8c, 0x8c, 0x8c);
}

double sizeOf(const QString &priority)
{
  return priority == QLatin1String("emergency") ? 5.2 : priority == QLatin1String("urgent") ? 4.0 : 3.2;
}

//! The style key of a pin: one renderer category per family × light × priority.
QString lookOf(const QString &family, const QString &light, const QString &priority)
{
  const QString knownFamily = kFamilies.contains(family) ? family : QStringLiteral("00");
  const QString knownLight = kLights.contains(light) ? light : QStringLiteral("none");
  const QString knownPriority = kPriorities.contains(priority) ? priority : QStringLiteral("normal");
  return knownFamily + QLatin1Char('|') + knownLight + QLatin1Char('|') + knownPriority;
}

QgsMarkerSymbol *pinSymbol(const QString &family, const QString &light, const QString &priority, bool withHalo)
{
  QgsSymbolLayerList layers;
  const double size = sizeOf(priority);
  if (withHalo)
  {
    // A translucent ring that makes overdue and emergency pins findable on a busy map.
    auto *halo = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, size + 3.5);
    halo->setColor(QColor(215, 25, 28, 70));
    halo->setStrokeColor(QColor(215, 25, 28, 200));
    halo->setStrokeWidth(0.4);
    layers << halo;
  }
  auto *pin = new QgsSimpleMarkerSymbolLayer(shapeOf(family), size);
  pin->setColor(colorOf(light));
  pin->setStrokeColor(QColor(255, 255, 255));
  pin->setStrokeWidth(0.35);
  layers << pin;
  return new QgsMarkerSymbol(layers);
}

/**
 * One static symbol per look, so that a pin is drawn from the symbol's cached image and
 * nothing is evaluated per pin. Each layer gets only the looks it can hold (42 each: red or
 * emergency pins are alerts, the others ordinary), since every render prepares every symbol
 * of its renderer before the first pin: 84 of them cost more than the pins in a zoomed view.
 */
/**
 * The alert pins beyond 1:80,000, where the district is seen whole: an overdue case is a small
 * red dot without halo or outline — still the only red on the map but for the count bubbles,
 * and cheap enough that 26,000 of them (a district with a long backlog) draw in tens of
 * milliseconds rather than half a second, where their halos would merge into one red blot
 * anyway. An emergency keeps its halo at every zoom: there are few, and each must be found.
 */
QgsFeatureRenderer *farAlertRenderer()
{
  auto *dot = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, 2.2);
  dot->setColor(colorOf(QStringLiteral("red")));
  dot->setStrokeStyle(Qt::NoPen);
  auto *emergency = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, sizeOf(QStringLiteral("emergency")) + 3.5);
  emergency->setColor(QColor(215, 25, 28, 70));
  emergency->setStrokeColor(QColor(215, 25, 28, 200));
  emergency->setStrokeWidth(0.4);
  auto *emergencyPin = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Star, sizeOf(QStringLiteral("emergency")));
  emergencyPin->setColor(colorOf(QStringLiteral("red")));
  emergencyPin->setStrokeColor(QColor(255, 255, 255));
  emergencyPin->setStrokeWidth(0.35);
  QgsCategoryList categories;
  categories << QgsRendererCategory(QStringLiteral("emergency"), new QgsMarkerSymbol(QgsSymbolLayerList() << emergency << emergencyPin),
                                    QObject::tr("Emergency"))
             << QgsRendererCategory(QStringLiteral("urgent"), new QgsMarkerSymbol(QgsSymbolLayerList() << dot->clone()),
                                    QObject::tr("Overdue"))
             << QgsRendererCategory(QStringLiteral("normal"), new QgsMarkerSymbol(QgsSymbolLayerList() << dot), QObject::tr("Overdue"));
  return new QgsCategorizedSymbolRenderer(QStringLiteral("priority"), categories);
}

void stylePins(QgsVectorLayer &layer, bool alerts)
{
  QgsCategoryList categories;
  QStringList families = kFamilies;
  families << QStringLiteral("00");
  for (const QString &family : std::as_const(families))
    for (const QString &light : kLights)
      for (const QString &priority : kPriorities)
      {
        const bool alerting = light == QLatin1String("red") || priority == QLatin1String("emergency");
        if (alerting != alerts)
          continue;
        const QString look = lookOf(family, light, priority);
        categories << QgsRendererCategory(look, pinSymbol(family, light, priority, alerts), look);
      }
  // Symbols are prepared as their first pin is drawn: a zoomed-in view or a live redraw uses few.
  auto *renderer = new LazyCategorizedRenderer(QStringLiteral("look"), categories);
  if (alerts)
    layer.setRenderer(new ScaleSwitchRenderer(renderer, farAlertRenderer(), LiveCaseLayer::kCommunityCountsFromScale));
  else
    layer.setRenderer(renderer);
}

// Count bubbles: a bubble whose area grows with the count, so a busy grid reads as busy without
// hiding its neighbours, with the count in it. One static symbol per size class and overdue or
// not (14), the digits a font marker whose character is the feature's "label": so drawing a
// bubble evaluates nothing but a field, and a render prepares 14 symbols, not one per count.
constexpr int kMaxShownCount = 99;

QString countLabel(int open)
{
  return open > kMaxShownCount ? QStringLiteral("99+") : QString::number(open);
}

//! The size class of a count: 1, 2–4, 5–9, 10–19, 20–49, 50–99, 100 and more.
int sizeClassOf(int open)
{
  return open <= 1 ? 0 : open <= 4 ? 1 : open <= 9 ? 2 : open <= 19 ? 3 : open <= 49 ? 4 : open <= 99 ? 5 : 6;
}

constexpr int kSizeClasses = 7;

double bubbleSize(int sizeClass)
{
  static const double sizes[kSizeClasses] = {4.8, 6.0, 7.4, 8.6, 10.0, 11.0, 11.0};
  return sizes[std::clamp(sizeClass, 0, kSizeClasses - 1)];
}

QString countLook(int open, int overdue)
{
  return (overdue > 0 ? QStringLiteral("overdue|") : QStringLiteral("ok|")) + QString::number(sizeClassOf(open));
}

QgsMarkerSymbol *countSymbol(int sizeClass, bool overdue)
{
  const double size = bubbleSize(sizeClass);
  auto *bubble = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, size);
  bubble->setColor(overdue ? QColor(200, 40, 30, 215) : QColor(42, 90, 170, 205));
  bubble->setStrokeColor(QColor(255, 255, 255));
  bubble->setStrokeWidth(0.4);
  const bool threeCharacters = sizeClass == kSizeClasses - 1; // "99+"
  // The class's smallest count: what a legend shows (on the map the feature's label is drawn).
  static const char *const smallest[kSizeClasses] = {"1", "2", "5", "10", "20", "50", "99+"};
  auto *digits = new QgsFontMarkerSymbolLayer(QStringLiteral("DejaVu Sans"), QString::fromLatin1(smallest[sizeClass]),
                                              threeCharacters ? size * 0.42 : size * 0.55, Qt::white);
  digits->setFontStyle(QStringLiteral("Bold"));
  digits->setDataDefinedProperty(QgsSymbolLayer::PropertyCharacter, QgsProperty::fromField(QStringLiteral("label")));
  return new QgsMarkerSymbol(QgsSymbolLayerList() << bubble << digits);
}

void styleCounts(QgsVectorLayer &layer)
{
  QgsCategoryList categories;
  const QString sizes[kSizeClasses] = {QStringLiteral("1"),     QStringLiteral("2–4"),   QStringLiteral("5–9"),
                                       QStringLiteral("10–19"), QStringLiteral("20–49"), QStringLiteral("50–99"),
                                       QStringLiteral("≥ 100")};
  for (const bool overdue : {false, true})
    for (int sizeClass = 0; sizeClass < kSizeClasses; ++sizeClass)
      categories << QgsRendererCategory((overdue ? QStringLiteral("overdue|") : QStringLiteral("ok|")) + QString::number(sizeClass),
                                        countSymbol(sizeClass, overdue), sizes[sizeClass]);
  layer.setRenderer(new LazyCategorizedRenderer(QStringLiteral("look"), categories));
  layer.setLabelsEnabled(false);
  layer.setScaleBasedVisibility(true);
  layer.setMaximumScale(LiveCaseLayer::kAggregateFromScale); // only when zoomed out beyond 1:40,000
  layer.setMinimumScale(0);
}

QgsAttributes pinAttributes(const CasePin &pin)
{
  return QgsAttributes() << pin.number << pin.family << pin.category << pin.title << pin.state << pin.light
                         << pin.priority << pin.grid << lookOf(pin.family, pin.light, pin.priority);
}

const QString kPinFields = QStringLiteral(
  "Point?crs=EPSG:4490&field=number:string(32)&field=family:string(2)&field=category:string(8)"
  "&field=title:string(200)&field=state:string(16)&field=light:string(8)"
  "&field=priority:string(12)&field=grid:string(18)&field=look:string(32)");

const QString kCountFields = QStringLiteral(
  "Point?crs=EPSG:4490&field=grid:string(18)&field=open:integer&field=overdue:integer&field=look:string(12)"
  "&field=label:string(3)");

} // namespace

LiveCaseLayer::LiveCaseLayer()
  : mPins(std::make_unique<QgsVectorLayer>(kPinFields, QObject::tr("Cases"), QStringLiteral("memory")))
  , mAlerts(std::make_unique<QgsVectorLayer>(kPinFields, QObject::tr("Overdue or emergency cases"), QStringLiteral("memory")))
  , mCounts(std::make_unique<QgsVectorLayer>(kCountFields, QObject::tr("Open cases per grid"), QStringLiteral("memory")))
  , mChoropleth(std::make_unique<QgsVectorLayer>(
      QStringLiteral("MultiPolygon?crs=EPSG:4490&field=grid:string(18)&field=open:integer&field=overdue:integer"
                     "&field=new_today:integer"),
      QObject::tr("Grids by open cases"), QStringLiteral("memory")))
  , mCommunityCounts(
      std::make_unique<QgsVectorLayer>(kCountFields, QObject::tr("Open cases per community"), QStringLiteral("memory")))
{
  setLayerRole(*mPins, style::kCases);
  setLayerRole(*mAlerts, QStringLiteral("case_alerts"));
  setLayerRole(*mCounts, style::kCaseCounts);
  setLayerRole(*mCommunityCounts, QStringLiteral("case_community_counts"));
  setLayerRole(*mChoropleth, QStringLiteral("case_choropleth"));
  stylePins(*mPins, false);
  stylePins(*mAlerts, true);
  mPins->setScaleBasedVisibility(true);
  mPins->setMinimumScale(kAggregateFromScale); // ordinary pins only when zoomed in past 1:40,000
  styleCounts(*mCounts);
  // Per-grid counts between 1:40,000 and 1:80,000; per-community counts beyond.
  mCounts->setMinimumScale(kCommunityCountsFromScale);
  styleCounts(*mCommunityCounts);
  mCommunityCounts->setMaximumScale(kCommunityCountsFromScale);
  styleChoropleth();
  // No spatial index on these layers: a render holds a copy of the provider's index, so the
  // next batch would make the GUI thread copy the whole R-tree, entry by entry (measured:
  // hundreds of ms at 1,000 changes a second). The static grid and POI layers have one.
  // Summaries are for the district zoom; closer in, the pins themselves are shown.
  mChoropleth->setScaleBasedVisibility(true);
  mChoropleth->setMaximumScale(kAggregateFromScale);
}

LiveCaseLayer::~LiveCaseLayer() = default;

std::unique_ptr<QgsMarkerSymbol> LiveCaseLayer::legendSymbol(const QString &family, const QString &light,
                                                             const QString &priority, bool alert)
{
  return std::unique_ptr<QgsMarkerSymbol>(pinSymbol(family, light, priority, alert));
}

void LiveCaseLayer::setGrids(const QHash<QString, QgsGeometry> &grids)
{
  mAnchors.clear();
  mChoropleth->dataProvider()->truncate();
  mChoroplethFidByGrid.clear();
  QgsFeatureList features;
  for (auto it = grids.constBegin(); it != grids.constEnd(); ++it)
  {
    const QgsPointXY anchor = it.value().pointOnSurface().asPoint();
    mAnchors.insert(it.key(), {anchor.x(), anchor.y()});
    QgsFeature feature(mChoropleth->fields());
    const GridCount count = mCountByGrid.value(it.key());
    feature.setAttributes(QgsAttributes() << it.key() << count.open << count.overdue << count.newToday);
    feature.setGeometry(it.value());
    features << feature;
  }
  mChoropleth->dataProvider()->addFeatures(features);
  for (const QgsFeature &feature : std::as_const(features))
    mChoroplethFidByGrid.insert(feature.attribute(0).toString(), feature.id());
  mChoropleth->updateExtents();
  const QStringList counted = mCountByGrid.keys();
  for (const QString &grid : counted)
    updateCount(grid);
  mCounts->triggerRepaint();
  mChoropleth->triggerRepaint();
}

QList<QgsMapLayer *> LiveCaseLayer::pinLayers() const
{
  return {mAlerts.get(), mPins.get()};
}

QList<QgsMapLayer *> LiveCaseLayer::layers() const
{
  QList<QgsMapLayer *> list = pinLayers();
  if (mView == DistrictView::Choropleth)
    list << mChoropleth.get();
  else if (mView == DistrictView::Heatmap)
    list << mCounts.get();
  else
    list << mCommunityCounts.get() << mCounts.get();
  return list;
}

bool LiveCaseLayer::isAlerting(const CasePin &pin)
{
  return pin.light == QLatin1String("red") || pin.priority == QLatin1String("emergency");
}

void LiveCaseLayer::setDistrictView(DistrictView view)
{
  mView = view;
  if (view == DistrictView::Heatmap)
  {
    auto *heatmap = new QgsHeatmapRenderer();
    heatmap->setWeightExpression(QStringLiteral("\"open\""));
    heatmap->setRadius(14);
    heatmap->setRadiusUnit(QgsUnitTypes::RenderMillimeters);
    auto *ramp = new QgsGradientColorRamp(QColor(255, 255, 178, 0), QColor(189, 0, 38, 230));
    ramp->setStops({QgsGradientStop(0.25, QColor(254, 204, 92, 140)), QgsGradientStop(0.6, QColor(253, 141, 60, 200))});
    heatmap->setColorRamp(ramp);
    mCounts->setRenderer(heatmap);
    mCounts->setLabelsEnabled(false);
    mCounts->setMinimumScale(0); // the heatmap covers the whole district zoom range
  }
  else if (view == DistrictView::Counts)
  {
    styleCounts(*mCounts);
    mCounts->setMinimumScale(kCommunityCountsFromScale);
  }
  mCounts->triggerRepaint();
  mChoropleth->triggerRepaint();
}

void LiveCaseLayer::setChoroplethMeasure(Measure measure)
{
  mMeasure = measure;
  styleChoropleth();
  mChoropleth->triggerRepaint();
}

void LiveCaseLayer::styleChoropleth()
{
  const QString field = mMeasure == Measure::Open      ? QStringLiteral("open")
                        : mMeasure == Measure::Overdue ? QStringLiteral("overdue")
                                                       : QStringLiteral("new_today");
  // Fixed class breaks: an operator compares today's map with yesterday's, which breaks that
  // moved with the data would prevent.
  struct Band
  {
    double from;
    double to;
    QColor color;
    const char *label;
  };
  const Band bands[] = {
    {0, 0, QColor(0, 0, 0, 0), "0"},          {1, 2, QColor(254, 224, 144, 170), "1–2"},
    {3, 5, QColor(253, 174, 97, 190), "3–5"}, {6, 10, QColor(244, 109, 67, 200), "6–10"},
    {11, 1e9, QColor(190, 30, 45, 210), "> 10"},
  };
  auto *renderer = new QgsGraduatedSymbolRenderer(field);
  for (const Band &band : bands)
  {
    auto *fill = new QgsSimpleFillSymbolLayer(band.color, Qt::SolidPattern, QColor(255, 255, 255, 160), Qt::SolidLine, 0.15);
    renderer->addClass(QgsRendererRange(band.from - 0.5, band.to + 0.5, new QgsFillSymbol(QgsSymbolLayerList() << fill),
                                        QString::fromUtf8(band.label)));
  }
  mChoropleth->setRenderer(renderer);
}

void LiveCaseLayer::apply(const std::vector<CasePin> &upserts, const QStringList &removed)
{
  // Per target layer: features to add, attribute and geometry changes, ids to delete.
  struct Changes
  {
    QgsFeatureList added;
    QgsChangedAttributesMap attributes;
    QgsGeometryMap geometries;
    QgsFeatureIds deleted;
  };
  Changes changes[2]; // [0] ordinary pins, [1] alerts
  QgsVectorLayer *targets[2] = {mPins.get(), mAlerts.get()};
  QSet<QString> touchedGrids;

  auto addPin = [&](const CasePin &pin, bool alerting) {
    QgsFeature feature(mPins->fields());
    feature.setAttributes(pinAttributes(pin));
    feature.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(pin.lon, pin.lat)));
    changes[alerting ? 1 : 0].added << feature;
  };

  for (const CasePin &pin : upserts)
  {
    const bool alerting = isAlerting(pin);
    touchedGrids.insert(pin.grid);
    auto it = mPinsByNumber.find(pin.number);
    if (it == mPinsByNumber.end())
    {
      mPinsByNumber.insert(pin.number, {pin, -1, alerting});
      addPin(pin, alerting);
      continue;
    }
    touchedGrids.insert(it->pin.grid);
    if (it->alerting != alerting || it->fid < 0)
    {
      // Moves between the ordinary and the alert layer (or was never stored).
      if (it->fid >= 0)
        changes[it->alerting ? 1 : 0].deleted.insert(it->fid);
      it->fid = -1;
      addPin(pin, alerting);
    }
    else
    {
      QgsAttributeMap attributes;
      const QgsAttributes values = pinAttributes(pin);
      for (int i = 0; i < values.size(); ++i)
        attributes.insert(i, values.at(i));
      changes[alerting ? 1 : 0].attributes.insert(it->fid, attributes);
      changes[alerting ? 1 : 0].geometries.insert(it->fid, QgsGeometry::fromPointXY(QgsPointXY(pin.lon, pin.lat)));
    }
    it->pin = pin;
    it->alerting = alerting;
  }
  for (const QString &number : removed)
  {
    const auto it = mPinsByNumber.find(number);
    if (it == mPinsByNumber.end())
      continue;
    touchedGrids.insert(it->pin.grid);
    if (it->fid >= 0)
      changes[it->alerting ? 1 : 0].deleted.insert(it->fid);
    mPinsByNumber.erase(it);
  }

  for (int i = 0; i < 2; ++i)
  {
    QgsVectorDataProvider *provider = targets[i]->dataProvider();
    if (!changes[i].deleted.isEmpty())
      provider->deleteFeatures(changes[i].deleted);
    if (!changes[i].attributes.isEmpty())
      provider->changeAttributeValues(changes[i].attributes);
    if (!changes[i].geometries.isEmpty())
      provider->changeGeometryValues(changes[i].geometries);
    if (!changes[i].added.isEmpty())
    {
      provider->addFeatures(changes[i].added);
      // The provider gave the new features their ids; remember them for the next change.
      for (const QgsFeature &feature : std::as_const(changes[i].added))
      {
        auto it = mPinsByNumber.find(feature.attribute(FieldNumber).toString());
        if (it != mPinsByNumber.end())
          it->fid = feature.id();
      }
    }
    if (changes[i].deleted.isEmpty() && changes[i].attributes.isEmpty() && changes[i].geometries.isEmpty() &&
        changes[i].added.isEmpty())
      continue; // unchanged: the canvas keeps its cached image of this layer
    targets[i]->updateExtents();
    targets[i]->triggerRepaint(true);
  }

  if (mLoading)
  {
    // The store's counts stand until every pin is in (finishLoading).
    return;
  }

  // Counts: recomputed for the grids this batch touched only.
  // "Today" is the Beijing calendar day, whatever zone the workstation is set to.
  const qint64 nowSeconds = QDateTime::currentSecsSinceEpoch();
  const qint64 todayStart = nowSeconds - (nowSeconds + 8 * 3600) % 86400;
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
    count->newToday += it->pin.reportedAt >= todayStart ? 1 : 0;
  }
  QSet<QString> touchedCommunities;
  for (auto it = recount.constBegin(); it != recount.constEnd(); ++it)
  {
    if (it.value().open == 0)
      mCountByGrid.remove(it.key());
    else
      mCountByGrid.insert(it.key(), it.value());
    updateCount(it.key());
    touchedCommunities.insert(it.key().left(12));
  }
  for (const QString &community : std::as_const(touchedCommunities))
    updateCommunityCount(community);
  mCommunityCounts->triggerRepaint(true);
  mCounts->triggerRepaint(true);
  mChoropleth->triggerRepaint(true);
}

void LiveCaseLayer::showStoreCounts(const std::vector<GridCaseCount> &counts)
{
  mLoading = true;
  QHash<QString, GridCount> byGrid;
  for (const GridCaseCount &count : counts)
    if (count.open > 0)
      byGrid.insert(count.grid, {count.open, count.overdue, count.newToday});
  replaceCounts(byGrid);
}

void LiveCaseLayer::finishLoading()
{
  mLoading = false;
  const qint64 nowSeconds = QDateTime::currentSecsSinceEpoch();
  const qint64 todayStart = nowSeconds - (nowSeconds + 8 * 3600) % 86400;
  QHash<QString, GridCount> byGrid;
  for (auto it = mPinsByNumber.constBegin(); it != mPinsByNumber.constEnd(); ++it)
  {
    GridCount &count = byGrid[it->pin.grid];
    ++count.open;
    count.overdue += it->pin.light == QLatin1String("red") ? 1 : 0;
    count.newToday += it->pin.reportedAt >= todayStart ? 1 : 0;
  }
  replaceCounts(byGrid);
}

void LiveCaseLayer::replaceCounts(const QHash<QString, GridCount> &counts)
{
  QSet<QString> grids;
  for (auto it = mCountByGrid.constBegin(); it != mCountByGrid.constEnd(); ++it)
    grids.insert(it.key());
  for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
    grids.insert(it.key());
  mCountByGrid = counts;
  QSet<QString> communities;
  for (const QString &grid : std::as_const(grids))
  {
    updateCount(grid);
    communities.insert(grid.left(12));
  }
  for (const QString &community : std::as_const(communities))
    updateCommunityCount(community);
  mCommunityCounts->triggerRepaint(true);
  mCounts->triggerRepaint(true);
  mChoropleth->triggerRepaint(true);
}

void LiveCaseLayer::updateCount(const QString &grid)
{
  QgsVectorDataProvider *provider = mCounts->dataProvider();
  const int open = mCountByGrid.value(grid).open;
  const int overdue = mCountByGrid.value(grid).overdue;
  if (const auto choropleth = mChoroplethFidByGrid.constFind(grid); choropleth != mChoroplethFidByGrid.constEnd())
  {
    QgsAttributeMap attributes;
    attributes.insert(1, open);
    attributes.insert(2, overdue);
    attributes.insert(3, mCountByGrid.value(grid).newToday);
    mChoropleth->dataProvider()->changeAttributeValues({{*choropleth, attributes}});
  }
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
  const QString look = countLook(open, overdue);
  if (fidIt != mCountFidByGrid.end())
  {
    QgsAttributeMap attributes;
    attributes.insert(1, open);
    attributes.insert(2, overdue);
    attributes.insert(3, look);
    attributes.insert(4, countLabel(open));
    provider->changeAttributeValues({{*fidIt, attributes}});
    return;
  }
  QgsFeature feature(mCounts->fields());
  feature.setAttributes(QgsAttributes() << grid << open << overdue << look << countLabel(open));
  feature.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(anchor->first, anchor->second)));
  QgsFeatureList list{feature};
  provider->addFeatures(list);
  mCountFidByGrid.insert(grid, list.front().id());
}

void LiveCaseLayer::setCommunities(const QHash<QString, QgsGeometry> &communities)
{
  mCommunityAnchors.clear();
  for (auto it = communities.constBegin(); it != communities.constEnd(); ++it)
  {
    const QgsPointXY anchor = it.value().pointOnSurface().asPoint();
    mCommunityAnchors.insert(it.key(), {anchor.x(), anchor.y()});
  }
  mCommunityCounts->dataProvider()->truncate();
  mCommunityCountFid.clear();
  const QStringList counted = mCountByCommunity.keys();
  for (const QString &community : counted)
    updateCommunityCount(community);
  mCommunityCounts->triggerRepaint();
}

void LiveCaseLayer::updateCommunityCount(const QString &community)
{
  // A grid code (15 digits) starts with its community's code (12 digits).
  GridCount total;
  for (auto it = mCountByGrid.constBegin(); it != mCountByGrid.constEnd(); ++it)
    if (it.key().startsWith(community))
    {
      total.open += it->open;
      total.overdue += it->overdue;
      total.newToday += it->newToday;
    }
  if (total.open == 0)
    mCountByCommunity.remove(community);
  else
    mCountByCommunity.insert(community, total);

  QgsVectorDataProvider *provider = mCommunityCounts->dataProvider();
  const auto fid = mCommunityCountFid.find(community);
  const auto anchor = mCommunityAnchors.constFind(community);
  if (total.open == 0 || anchor == mCommunityAnchors.constEnd())
  {
    if (fid != mCommunityCountFid.end())
    {
      provider->deleteFeatures(QgsFeatureIds() << *fid);
      mCommunityCountFid.erase(fid);
    }
    return;
  }
  const QString look = countLook(total.open, total.overdue);
  if (fid != mCommunityCountFid.end())
  {
    QgsAttributeMap attributes;
    attributes.insert(1, total.open);
    attributes.insert(2, total.overdue);
    attributes.insert(3, look);
    attributes.insert(4, countLabel(total.open));
    provider->changeAttributeValues({{*fid, attributes}});
    return;
  }
  QgsFeature feature(mCommunityCounts->fields());
  feature.setAttributes(QgsAttributes() << community << total.open << total.overdue << look << countLabel(total.open));
  feature.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(anchor->first, anchor->second)));
  QgsFeatureList list{feature};
  provider->addFeatures(list);
  mCommunityCountFid.insert(community, list.front().id());
}

void LiveCaseLayer::countsUnder(const QString &code, int *open, int *overdue) const
{
  *open = 0;
  *overdue = 0;
  for (auto it = mCountByGrid.constBegin(); it != mCountByGrid.constEnd(); ++it)
    if (it.key().startsWith(code) || code.startsWith(it.key()))
    {
      // A grid code prefixes its micro-grids; a coarser code prefixes its grids.
      *open += it->open;
      *overdue += it->overdue;
    }
}

std::optional<CasePin> LiveCaseLayer::pin(const QString &number) const
{
  const auto it = mPinsByNumber.constFind(number);
  if (it == mPinsByNumber.constEnd())
    return std::nullopt;
  return it->pin;
}

} // namespace gd::map
