// A console file may include QGIS and any store header it uses: core's events and commands and
// the store's public types are typed, so QGIS's own older nlohmann/json_fwd.hpp (pulled in by
// qgsgeometry.h) meets no nlohmann/json.hpp. Every store header that once exposed
// nlohmann::json is here (a point's attributes, an emergency's timeline details), with the
// console headers of the files that used to be kept apart from QGIS. This probe must build.
#include <qgsgeometry.h>

#include "console/command/commandservice.h"
#include "console/dispatch/caseservice.h"
#include "console/session/storeaccess.h"
#include "core/case.h"
#include "core/caseworkflow.h"
#include "store/cases/casestore.h"
#include "store/grids/poistore.h"
#include "store/supervision/emergencystore.h"

int probeCaseWithGeometry()
{
  const QgsPointXY point = QgsGeometry::fromWkt(QStringLiteral("POINT(98.5 39.7)")).asPoint();
  gd::core::CaseCommand command;
  command.details.lon = point.x();
  gd::store::Poi poi;
  poi.point = {point.x(), point.y()};
  gd::store::TimelineEntry entry;
  entry.message = poi.name;
  return command.details.lon && entry.message.empty() ? 0 : 1;
}
