#pragma once

#include <qgsfeature.h>
#include <qgsmaptoolidentify.h>

#include <QList>
#include <QPointer>

namespace gd::map {

/**
 * Identify on click: the topmost feature under the cursor among the given layers (cases
 * before workers before points of interest before the finest grid level drawn at this scale).
 */
class IdentifyTool : public QgsMapToolIdentify
{
    Q_OBJECT

  public:
    explicit IdentifyTool(QgsMapCanvas *canvas);

    //! The layers to look in, in priority order.
    void setIdentifyLayers(const QList<QgsMapLayer *> &layers);

    /**
     * Identifies at canvas pixel \a point. Returns true and emits identified() when a
     * feature is there, emits nothingIdentified() otherwise.
     */
    bool identifyAt(const QPoint &point);

    void canvasReleaseEvent(QgsMapMouseEvent *event) override;

  signals:
    void identified(QgsMapLayer *layer, const QgsFeature &feature);
    void nothingIdentified();

  private:
    QList<QPointer<QgsMapLayer>> mLayers;
};

} // namespace gd::map
