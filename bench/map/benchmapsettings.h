#pragma once
// The map benchmarks' view: 1920x1080 at 96 dpi in the canvas CRS (CGCS2000 / 3-degree
// Gauss-Kruger CM 99E, EPSG:4542), antialiased on white, as the console's canvas draws.

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsmapsettings.h>
#include <qgsproject.h>

namespace gd::bench {

//! Settings that show \a extent4490 (lon/lat, EPSG:4490) grown by \a margin (1.05: 5 % around it).
inline QgsMapSettings mapSettings1080(const QList<QgsMapLayer *> &layers, const QgsRectangle &extent4490, double margin = 1.0)
{
  QgsMapSettings settings;
  settings.setLayers(layers);
  settings.setDestinationCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4542")));
  settings.setOutputSize(QSize(1920, 1080));
  settings.setOutputDpi(96);
  settings.setBackgroundColor(Qt::white);
  settings.setFlag(Qgis::MapSettingsFlag::Antialiasing, true);
  const QgsCoordinateTransform toMap(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")), settings.destinationCrs(),
                                     QgsProject::instance()->transformContext());
  QgsRectangle extent = toMap.transformBoundingBox(extent4490);
  if (margin != 1.0)
    extent.scale(margin);
  settings.setExtent(extent);
  return settings;
}

} // namespace gd::bench
