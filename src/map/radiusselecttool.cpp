#include "map/radiusselecttool.h"

#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>
#include <qgsrubberband.h>

namespace gd::map {

RadiusSelectTool::RadiusSelectTool(QgsMapCanvas *canvas)
  : QgsMapTool(canvas)
{
  setCursor(Qt::CrossCursor);
}

RadiusSelectTool::~RadiusSelectTool() = default;

void RadiusSelectTool::canvasPressEvent(QgsMapMouseEvent *event)
{
  mCentre = event->mapPoint();
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
  const double radius = mCentre.distance(event->mapPoint());
  mRubberBand.reset();
  if (radius > 0)
    emit radiusSelected(mCentre, radius);
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
