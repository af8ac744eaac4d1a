#include "map/radiusselecttool.h"

#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsrubberband.h>

namespace gd::map {

namespace {
//! How far (Manhattan, in pixels) the mouse may move between press and release of a click.
constexpr int kClickSlopPixels = 5;
} // namespace

RadiusSelectTool::RadiusSelectTool(QgsMapCanvas *canvas)
  : QgsMapTool(canvas)
{
  setCursor(Qt::CrossCursor);
}

RadiusSelectTool::~RadiusSelectTool() = default;

void RadiusSelectTool::canvasPressEvent(QgsMapMouseEvent *event)
{
  mCentre = event->mapPoint();
  mPressPixel = event->pixelPoint();
  mDragging = true;
  mRubberBand = std::make_unique<QgsRubberBand>(canvas(), QgsWkbTypes::PolygonGeometry);
  mRubberBand->setColor(QColor(215, 25, 28, 200));
  mRubberBand->setFillColor(QColor(215, 25, 28, 40));
  mRubberBand->setWidth(2);
}

void RadiusSelectTool::canvasMoveEvent(QgsMapMouseEvent *event)
{
  if (mDragging)
    updateCircle(event->mapPoint());
}

void RadiusSelectTool::canvasReleaseEvent(QgsMapMouseEvent *event)
{
  if (!mDragging)
    return;
  mDragging = false;
  mRubberBand.reset();
  // A hand that clicks moves a pixel or two: that is a click at the press point, not a radius.
  if ((event->pixelPoint() - mPressPixel).manhattanLength() < kClickSlopPixels)
  {
    emit pointClicked(mCentre);
    return;
  }
  emit radiusSelected(mCentre, mCentre.distance(event->mapPoint()));
}

void RadiusSelectTool::deactivate()
{
  mRubberBand.reset();
  mDragging = false;
  QgsMapTool::deactivate();
}

void RadiusSelectTool::updateCircle(const QgsPointXY &edge)
{
  const double radius = mCentre.distance(edge);
  mRubberBand->setToGeometry(QgsGeometry::fromPointXY(mCentre).buffer(radius, 36), nullptr);
}

} // namespace gd::map
