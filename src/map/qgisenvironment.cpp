#include "map/qgisenvironment.h"

#include <qgsapplication.h>
#include <qgsproviderregistry.h>

namespace gd::map {

QgisEnvironment::QgisEnvironment()
{
  QgsApplication::setPrefixPath(prefixPath(), true);
  QgsApplication::initQgis();
}

QgisEnvironment::~QgisEnvironment()
{
  QgsApplication::exitQgis();
}

QString QgisEnvironment::prefixPath()
{
  const QString fromEnvironment = qEnvironmentVariable("QGIS_PREFIX_PATH");
  return fromEnvironment.isEmpty() ? QStringLiteral(GD_QGIS_PREFIX) : fromEnvironment;
}

QStringList QgisEnvironment::requiredProviders()
{
  return {QStringLiteral("ogr"), QStringLiteral("memory"), QStringLiteral("postgres"),
          QStringLiteral("spatialite")};
}

QStringList QgisEnvironment::missingProviders()
{
  const QStringList available = QgsProviderRegistry::instance()->providerList();
  QStringList missing;
  for (const QString &provider : requiredProviders())
    if (!available.contains(provider))
      missing << provider;
  return missing;
}

} // namespace gd::map
