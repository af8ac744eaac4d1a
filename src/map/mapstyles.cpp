#include "map/mapstyles.h"

#include "map/poilayers.h"

#include "core/buildinfo.h"

#include <qgsconfig.h>
#include <qgsfillsymbol.h>
#include <qgsfillsymbollayer.h>
#include <qgspallabeling.h>
#include <qgssinglesymbolrenderer.h>
#include <qgstextbuffersettings.h>
#include <qgstextformat.h>
#include <qgsvectorlayer.h>
#include <qgsvectorlayerlabeling.h>

#include <QDir>
#include <QFileInfo>

namespace gd::map {

namespace {

struct LevelLook
{
  QColor line;
  double widthMm;
  Qt::PenStyle pen;
  double labelSize;
  QColor labelColor;
  double labelMaxScale; //!< labels only when zoomed in past this scale denominator (0: always)
  bool bold;
};

QgsTextFormat textFormat(double size, const QColor &color, bool bold)
{
  QgsTextFormat format;
  QFont font(QStringLiteral("Noto Sans CJK SC"));
  font.setBold(bold);
  format.setFont(font);
  format.setSize(size);
  format.setColor(color);
  QgsTextBufferSettings buffer;
  buffer.setEnabled(true);
  buffer.setSize(1.0);
  buffer.setColor(QColor(255, 255, 255, 230));
  format.setBuffer(buffer);
  return format;
}

void applyLevelStyle(QgsVectorLayer &layer, const LevelLook &look)
{
  // Boundaries only, no fill: a white halo under the line keeps it readable on any base map
  // and where a finer level's lines run alongside.
  auto *halo = new QgsSimpleFillSymbolLayer(Qt::transparent, Qt::NoBrush, QColor(255, 255, 255, 190), Qt::SolidLine,
                                            look.widthMm + 0.5);
  auto *outline = new QgsSimpleFillSymbolLayer(Qt::transparent, Qt::NoBrush, look.line, look.pen, look.widthMm);
  halo->setPenJoinStyle(Qt::RoundJoin);
  outline->setPenJoinStyle(Qt::RoundJoin);
  layer.setRenderer(new QgsSingleSymbolRenderer(new QgsFillSymbol(QgsSymbolLayerList() << halo << outline)));

  QgsPalLayerSettings label;
  label.fieldName = QStringLiteral("name");
#if _QGIS_VERSION_INT >= 32600
  label.placement = Qgis::LabelPlacement::OverPoint;
#else
  label.placement = QgsPalLayerSettings::OverPoint;
#endif
  label.setFormat(textFormat(look.labelSize, look.labelColor, look.bold));
  label.priority = 10 - static_cast<int>(look.labelSize / 2);
  if (look.labelMaxScale > 0)
  {
    label.scaleVisibility = true;
    label.minimumScale = look.labelMaxScale; // most zoomed-out scale at which labels show
    label.maximumScale = 0;
  }
  layer.setLabeling(new QgsVectorLayerSimpleLabeling(label));
  layer.setLabelsEnabled(true);
}

} // namespace

bool applyBuiltInStyle(QgsVectorLayer &layer, const QString &name)
{
  if (name == style::kDistrict)
    applyLevelStyle(layer, {QColor(120, 20, 20), 1.2, Qt::SolidLine, 15, QColor(120, 20, 20), 0, true});
  else if (name == style::kTownship)
    applyLevelStyle(layer, {QColor(30, 60, 140), 0.8, Qt::SolidLine, 12, QColor(20, 40, 110), 400000, true});
  else if (name == style::kCommunity)
    applyLevelStyle(layer, {QColor(40, 110, 160), 0.5, Qt::DashLine, 10, QColor(30, 80, 120), 90000, false});
  else if (name == style::kGrid)
    applyLevelStyle(layer, {QColor(90, 120, 130), 0.3, Qt::SolidLine, 8.5, QColor(60, 80, 90), 22000, false});
  else if (name == style::kMicroGrid)
    applyLevelStyle(layer, {QColor(150, 160, 165), 0.18, Qt::DotLine, 7.5, QColor(110, 120, 125), 6000, false});
  else if (name == style::kPois)
    PoiLayers::applyBuiltInStyle(layer);
  else
    return false;
  return true;
}

QString applyStyle(QgsVectorLayer &layer, const QString &name, const QString &styleDir, QString *error)
{
  const QString path = QDir(styleDir).filePath(name + QStringLiteral(".qml"));
  if (!styleDir.isEmpty() && QFileInfo::exists(path))
  {
    bool ok = false;
    const QString message = layer.loadNamedStyle(path, ok);
    if (ok)
      return path;
    if (error)
      *error = QStringLiteral("%1: %2").arg(path, message);
  }
  applyBuiltInStyle(layer, name);
  return QString();
}

QStringList exportBuiltInStyles(const QString &dir, QString *error)
{
  QStringList written;
  const std::pair<QString, QString> layers[] = {
    {style::kDistrict, QStringLiteral("MultiPolygon")}, {style::kTownship, QStringLiteral("MultiPolygon")},
    {style::kCommunity, QStringLiteral("MultiPolygon")}, {style::kGrid, QStringLiteral("MultiPolygon")},
    {style::kMicroGrid, QStringLiteral("MultiPolygon")}, {style::kPois, QStringLiteral("Point")}};
  QDir().mkpath(dir);
  for (const auto &[name, geometry] : layers)
  {
    // The fields the styles refer to, so QGIS desktop shows them bound.
    QgsVectorLayer layer(QStringLiteral("%1?crs=EPSG:4490&field=code:string&field=name:string&field=kind:string").arg(geometry),
                         name, QStringLiteral("memory"));
    applyBuiltInStyle(layer, name);
    const QString path = QDir(dir).filePath(name + QStringLiteral(".qml"));
    bool ok = false;
    const QString message = layer.saveNamedStyle(path, ok);
    if (!ok)
    {
      if (error)
        *error = QStringLiteral("%1: %2").arg(path, message);
      return written;
    }
    written << path;
  }
  return written;
}

void setLayerRole(QgsMapLayer &layer, const QString &role)
{
  layer.setCustomProperty(QStringLiteral("griddispatch/role"), role);
}

QString layerRole(const QgsMapLayer &layer)
{
  return layer.customProperty(QStringLiteral("griddispatch/role")).toString();
}

QString defaultStyleDir()
{
  const QString fromEnvironment = qEnvironmentVariable("GRIDDISPATCH_MAPS");
  if (!fromEnvironment.isEmpty())
    return fromEnvironment;
  const QString source = QString::fromUtf8(core::kSourceDir) + QStringLiteral("/maps");
  if (QFileInfo::exists(source))
    return source;
  return QString::fromUtf8(core::kInstallDataDir) + QStringLiteral("/maps");
}

void setLabelsForScale(const QList<QgsMapLayer *> &layers, double scale)
{
  static const QString kWanted = QStringLiteral("griddispatch/labels");
  for (QgsMapLayer *layer : layers)
  {
    auto *vector = qobject_cast<QgsVectorLayer *>(layer);
    if (!vector || !vector->labeling())
      continue;
    if (!vector->customProperty(kWanted).isValid())
      vector->setCustomProperty(kWanted, vector->labelsEnabled()); // what the style asked for
    if (!vector->customProperty(kWanted).toBool())
      continue;
    bool shown = vector->isInScaleRange(scale);
    if (const auto *simple = dynamic_cast<const QgsVectorLayerSimpleLabeling *>(vector->labeling()))
    {
      const QgsPalLayerSettings label = simple->settings();
      if (label.scaleVisibility)
        shown = shown && (label.minimumScale <= 0 || scale <= label.minimumScale) &&
                (label.maximumScale <= 0 || scale >= label.maximumScale);
    }
    vector->setLabelsEnabled(shown);
  }
}

} // namespace gd::map
