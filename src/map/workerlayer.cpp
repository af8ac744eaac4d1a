#include "map/workerlayer.h"

#include "map/mapstyles.h"

#include <qgscategorizedsymbolrenderer.h>
#include <qgsconfig.h>
#include <qgsfeature.h>
#include <qgsgeometry.h>
#include <qgsmarkersymbol.h>
#include <qgsmarkersymbollayer.h>
#include <qgspallabeling.h>
#include <qgstextbuffersettings.h>
#include <qgstextformat.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <QObject>

namespace gd::map {

namespace {

QgsMarkerSymbol *workerSymbol(const QColor &fill, const QColor &stroke, bool hollow)
{
  // A person-sized marker: a head over shoulders reads better than a dot among case pins.
  auto *body = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::SemiCircle, 4.2);
  body->setColor(hollow ? QColor(255, 255, 255, 220) : fill);
  body->setStrokeColor(stroke);
  body->setStrokeWidth(0.45);
  body->setOffset(QPointF(0, 0.9));
  auto *head = new QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase::Circle, 2.0);
  head->setColor(hollow ? QColor(255, 255, 255, 220) : fill);
  head->setStrokeColor(stroke);
  head->setStrokeWidth(0.45);
  head->setOffset(QPointF(0, -1.2));
  return new QgsMarkerSymbol(QgsSymbolLayerList() << body << head);
}

} // namespace

QString workerStatusName(WorkerPin::Status status)
{
  switch (status)
  {
    case WorkerPin::Status::Online:
      return QStringLiteral("online");
    case WorkerPin::Status::Stationary:
      return QStringLiteral("stationary");
    case WorkerPin::Status::Offline:
      return QStringLiteral("offline");
  }
  return QStringLiteral("offline");
}

WorkerLayer::WorkerLayer()
  : mLayer(std::make_unique<QgsVectorLayer>(
      QStringLiteral("Point?crs=EPSG:4490&field=worker:string(32)&field=name:string(32)&field=phone:string(16)"
                     "&field=grid:string(18)&field=status:string(12)&field=last_fix:long"),
      QObject::tr("Grid workers"), QStringLiteral("memory")))
{
  QgsCategoryList categories;
  categories << QgsRendererCategory(QStringLiteral("online"), workerSymbol(QColor(25, 110, 210), Qt::white, false), QObject::tr("Online"))
             << QgsRendererCategory(QStringLiteral("stationary"), workerSymbol(QColor(240, 160, 0), Qt::white, false),
                                    QObject::tr("Stationary"))
             << QgsRendererCategory(QStringLiteral("offline"), workerSymbol(Qt::white, QColor(130, 130, 130), true),
                                    QObject::tr("Offline"));
  mLayer->setRenderer(new QgsCategorizedSymbolRenderer(QStringLiteral("status"), categories));
  setLayerRole(*mLayer, QStringLiteral("workers"));

  // Name and how old the last fix is, once zoomed in enough to tell workers apart.
  QgsPalLayerSettings label;
  label.isExpression = true;
  label.fieldName = QStringLiteral("\"name\" || ' · ' || format('%1', round((epoch(now()) / 1000 - \"last_fix\") / 60))")
                      .arg(QObject::tr("%1 min ago"));
#if _QGIS_VERSION_INT >= 32600
  label.placement = Qgis::LabelPlacement::OrderedPositionsAroundPoint;
#else
  label.placement = QgsPalLayerSettings::OrderedPositionsAroundPoint;
#endif
  QgsTextFormat format;
  format.setFont(QFont(QStringLiteral("Noto Sans CJK SC")));
  format.setSize(8);
  format.setColor(QColor(20, 50, 100));
  QgsTextBufferSettings buffer;
  buffer.setEnabled(true);
  buffer.setSize(0.8);
  buffer.setColor(Qt::white);
  format.setBuffer(buffer);
  label.setFormat(format);
  label.scaleVisibility = true;
  label.minimumScale = 20000;
  mLayer->setLabeling(new QgsVectorLayerSimpleLabeling(label));
  mLayer->setLabelsEnabled(true);
}

WorkerLayer::~WorkerLayer() = default;

void WorkerLayer::apply(const std::vector<WorkerPin> &pins)
{
  QgsVectorDataProvider *provider = mLayer->dataProvider();
  QgsFeatureList added;
  QgsChangedAttributesMap attributes;
  QgsGeometryMap geometries;
  for (const WorkerPin &pin : pins)
  {
    const QgsAttributes values = QgsAttributes() << pin.workerId << pin.name << pin.phone << pin.grid
                                                 << workerStatusName(pin.status) << pin.lastFix;
    const QgsGeometry geometry = QgsGeometry::fromPointXY(QgsPointXY(pin.lon, pin.lat));
    auto it = mWorkers.find(pin.workerId);
    if (it == mWorkers.end() || it->fid < 0)
    {
      QgsFeature feature(mLayer->fields());
      feature.setAttributes(values);
      feature.setGeometry(geometry);
      added << feature;
      mWorkers.insert(pin.workerId, {pin, -1});
      continue;
    }
    it->pin = pin;
    QgsAttributeMap changed;
    for (int i = 0; i < values.size(); ++i)
      changed.insert(i, values.at(i));
    attributes.insert(it->fid, changed);
    geometries.insert(it->fid, geometry);
  }
  if (!attributes.isEmpty())
    provider->changeAttributeValues(attributes);
  if (!geometries.isEmpty())
    provider->changeGeometryValues(geometries);
  if (!added.isEmpty())
  {
    provider->addFeatures(added);
    for (const QgsFeature &feature : std::as_const(added))
      mWorkers[feature.attribute(0).toString()].fid = feature.id();
  }
  mLayer->updateExtents();
  mLayer->triggerRepaint(true); // deferred: see LiveCaseLayer::apply()
}

std::optional<WorkerPin> WorkerLayer::worker(const QString &workerId) const
{
  const auto it = mWorkers.constFind(workerId);
  if (it == mWorkers.constEnd())
    return std::nullopt;
  return it->pin;
}

} // namespace gd::map
