#pragma once

#include <qgsmaptool.h>
#include <qgspointxy.h>

#include <memory>

class QgsRubberBand;

namespace gd::map {

/**
 * Select by radius: press at the centre, drag out the radius, release. The circle follows the
 * mouse; the radius is measured in metres on the canvas's projected CRS.
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

  private:
    void updateCircle(const QgsPointXY &edge);

    std::unique_ptr<QgsRubberBand> mRubberBand;
    QgsPointXY mCentre;
    bool mDragging = false;
};

} // namespace gd::map
