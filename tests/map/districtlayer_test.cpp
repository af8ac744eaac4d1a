#include "map/districtlayer.h"

#include <gtest/gtest.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsmapsettings.h>
#include <qgsvectorlayer.h>

#include <QImage>

TEST(DistrictLayer, IsAValidPolygonLayerInCgcs2000)
{
  const auto layer = gd::map::createPlaceholderDistrictLayer(QStringLiteral("District"));
  ASSERT_TRUE(layer->isValid());
  EXPECT_EQ(layer->geometryType(), QgsWkbTypes::PolygonGeometry);
  EXPECT_EQ(layer->crs().authid(), QStringLiteral("EPSG:4490"));
  EXPECT_EQ(layer->featureCount(), 1);
  EXPECT_TRUE(layer->labelsEnabled());
  // 肃州区 lies around 39.74 N, 98.51 E.
  EXPECT_TRUE(layer->extent().contains(QgsPointXY(98.51, 39.74)));
}

TEST(DistrictLayer, RendersItsFillWhereTheDistrictIs)
{
  const auto layer = gd::map::createPlaceholderDistrictLayer(QStringLiteral("District"));
  QgsMapSettings settings;
  settings.setLayers({layer.get()});
  settings.setDestinationCrs(layer->crs());
  settings.setOutputSize(QSize(400, 300));
  settings.setBackgroundColor(Qt::white);
  QgsRectangle extent = layer->extent();
  extent.scale(1.2);
  settings.setExtent(extent);

  QgsMapRendererSequentialJob job(settings);
  job.start();
  job.waitForFinished();
  const QImage image = job.renderedImage();
  ASSERT_FALSE(image.isNull());

  // The district's fill is at the point the district contains; the corners stay background.
  const QPointF inside = settings.mapToPixel().transform(QgsPointXY(98.40, 39.65)).toQPointF();
  const QColor fill = image.pixelColor(inside.toPoint());
  EXPECT_EQ(fill, QColor(232, 240, 250)) << fill.name().toStdString();
  EXPECT_EQ(image.pixelColor(1, 1), QColor(Qt::white));
}
