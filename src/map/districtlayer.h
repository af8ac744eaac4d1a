#pragma once

#include <QString>

#include <memory>

class QgsVectorLayer;

namespace gd::map {

/**
 * Returns a memory layer holding the outline of the demo district (酒泉市肃州区, CGCS2000),
 * styled and labelled for the canvas.
 *
 * It stands in until a store with imported or generated grids is opened, so the console
 * always shows where it is. Ownership is transferred to the caller.
 */
std::unique_ptr<QgsVectorLayer> createPlaceholderDistrictLayer(const QString &layerName);

} // namespace gd::map
