#include "map/qgisenvironment.h"

#include <gtest/gtest.h>
#include <qgsapplication.h>
#include <qgscoordinatereferencesystem.h>
#include <qgsproviderregistry.h>

using gd::map::QgisEnvironment;

TEST(QgisEnvironment, LoadsEveryProviderTheConsoleNeeds)
{
  EXPECT_TRUE(QgisEnvironment::missingProviders().isEmpty())
    << "missing: " << QgisEnvironment::missingProviders().join(", ").toStdString()
    << "; loaded: " << QgsProviderRegistry::instance()->providerList().join(", ").toStdString();
}

TEST(QgisEnvironment, UsesTheInstallPrefix)
{
  EXPECT_EQ(QgsApplication::prefixPath(), QgisEnvironment::prefixPath());
  EXPECT_TRUE(QgsApplication::pluginPath().startsWith(QgisEnvironment::prefixPath()))
    << QgsApplication::pluginPath().toStdString();
}

TEST(QgisEnvironment, KnowsCgcs2000)
{
  const QgsCoordinateReferenceSystem crs(QStringLiteral("EPSG:4490"));
  ASSERT_TRUE(crs.isValid());
  EXPECT_TRUE(crs.isGeographic());
}
