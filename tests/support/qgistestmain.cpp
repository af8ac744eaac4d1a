// main() for tests that need QGIS: an offscreen QgsApplication with providers loaded,
// shared by every test of the executable (QGIS can be initialised once per process).
#include "map/qgisenvironment.h"

#include <gtest/gtest.h>
#include <qgsapplication.h>

int main(int argc, char **argv)
{
  qputenv("QT_QPA_PLATFORM", "offscreen");
  testing::InitGoogleTest(&argc, argv);
  QgsApplication app(argc, argv, true);
  gd::map::QgisEnvironment qgis;
  return RUN_ALL_TESTS();
}
