#pragma once

#include <qgsmaptool.h>
#include <qgspointxy.h>

#include <QPoint>

#include <memory>

class QgsRubberBand;

namespace gd::map {

/**
 * Select by radius: press at the centre, drag out the radius, release. The circle follows the
 * mouse; the radius is measured in metres on the canvas's projected CRS. A plain click (the
 * mouse moved less than a few pixels) is pointClicked(), not a radius: a receiver that has a
 * default radius (the emergency tool) applies it there.
 */
class RadiusSelectTool : public QgsMapTool
{
    Q_OBJECT

  public:
    explicit RadiusSelectTool(QgsMapCanvas *canvas);
    ~RadiusSelectTool() override;

    void canvasPressEvent(QgsMapMouseEvent *event) override;
    void canvasMoveEvent(QgsMapMouseEvent *event) override;
    void canvasReleaseEvent(QgsMapMouseEvent *event) override;
    void deactivate() override;

  signals:
    //! \a centre is in the canvas's CRS; \a radiusMeters in metres.
    void radiusSelected(const QgsPointXY &centre, double radiusMeters);
    //! A plain click at \a point (the canvas's CRS), without dragging out a radius.
    void pointClicked(const QgsPointXY &point);

  private:
    void updateCircle(const QgsPointXY &edge);

    std::unique_ptr<QgsRubberBand> mRubberBand;
    QgsPointXY mCentre;
    QPoint mPressPixel;
    bool mDragging = false;
};

} // namespace gd::map
