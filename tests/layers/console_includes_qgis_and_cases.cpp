// A console file may include QGIS and the case headers together: core's events and commands
// are typed, so QGIS's own older nlohmann/json_fwd.hpp (pulled in by qgsgeometry.h) meets no
// nlohmann/json.hpp. This probe must build.
#include <qgsgeometry.h>

#include "core/case.h"
#include "core/caseworkflow.h"
#include "store/cases/casestore.h"

int probeCaseWithGeometry()
{
  gd::core::CaseCommand command;
  command.details.lon = QgsGeometry::fromWkt(QStringLiteral("POINT(98.5 39.7)")).asPoint().x();
  return command.details.lon ? 0 : 1;
}
