#pragma once

#include <QString>
#include <QStringList>

namespace gd::map {

/**
 * Brings QGIS up inside an existing QgsApplication and takes it down again.
 *
 * QGIS finds its data and provider plugins relative to a prefix. Debian installs QGIS under
 * /usr, and without the prefix only the providers built into libqgis_core load; postgres and
 * spatialite live in /usr/lib/qgis/plugins. The prefix is the one CMake found at build time
 * unless the environment variable QGIS_PREFIX_PATH names another.
 *
 * Construct exactly one, after the QgsApplication and before any layer.
 */
class QgisEnvironment
{
  public:
    QgisEnvironment();
    ~QgisEnvironment();

    QgisEnvironment(const QgisEnvironment &) = delete;
    QgisEnvironment &operator=(const QgisEnvironment &) = delete;

    //! Returns the prefix QGIS was initialised with.
    static QString prefixPath();

    //! Returns the data providers the console relies on.
    static QStringList requiredProviders();

    //! Returns the required providers the registry does not have; empty when all loaded.
    static QStringList missingProviders();
};

} // namespace gd::map
