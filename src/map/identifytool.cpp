#include "map/identifytool.h"

#include <qgsmapcanvas.h>
#include <qgsmapmouseevent.h>

namespace gd::map {

IdentifyTool::IdentifyTool(QgsMapCanvas *canvas)
  : QgsMapToolIdentify(canvas)
{
}

void IdentifyTool::setIdentifyLayers(const QList<QgsMapLayer *> &layers)
{
  mLayers.clear();
  for (QgsMapLayer *layer : layers)
    mLayers << layer;
}

bool IdentifyTool::identifyAt(const QPoint &point)
{
  // Only what is drawn at this scale can be identified: a grid level hidden at district zoom
  // must not answer a click meant for the township under it.
  QList<QgsMapLayer *> layers;
  const double scale = canvas()->scale();
  for (const QPointer<QgsMapLayer> &layer : std::as_const(mLayers))
    if (layer && layer->isInScaleRange(scale))
      layers << layer.data();
  for (QgsMapLayer *layer : std::as_const(layers))
  {
    const QList<IdentifyResult> results = identify(point.x(), point.y(), {layer}, TopDownStopAtFirst);
    if (!results.isEmpty())
    {
      emit identified(results.front().mLayer, results.front().mFeature);
      return true;
    }
  }
  emit nothingIdentified();
  return false;
}

void IdentifyTool::canvasReleaseEvent(QgsMapMouseEvent *event)
{
  identifyAt(event->pos());
}

} // namespace gd::map
