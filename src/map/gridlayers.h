#pragma once

#include "core/gridcode.h"

#include <QList>
#include <QString>

#include <array>
#include <memory>

class QgsMapLayer;
class QgsVectorLayer;

namespace gd::map {

/**
 * The five grid levels of a store as map layers, read from the store's GeoPackage through
 * QGIS's OGR provider (the same tables QGIS desktop opens), each in its own scale range:
 * district and townships always, communities from 1:250,000, grids from 1:60,000 and
 * micro-grids from 1:15,000 inwards; labels come in a step later than their lines.
 */
class GridLayers
{
  public:
    /**
     * Opens the grid layers of the store at \a gpkgPath, styled from \a styleDir (see
     * applyStyle()). Returns nullptr and sets \a error when the file has no grid layers.
     */
    static std::unique_ptr<GridLayers> open(const QString &gpkgPath, const QString &styleDir, QString *error);

    ~GridLayers();

    //! Returns the layer of \a level (owned by this object).
    QgsVectorLayer *layer(core::GridLevel level) const;

    //! Returns all five layers in drawing order, coarsest (drawn on top) first.
    QList<QgsMapLayer *> layers() const;

    //! Returns the scale denominator below which \a level is shown (0: at every scale).
    static double visibleFromScale(core::GridLevel level);

  private:
    GridLayers() = default;
    std::array<std::unique_ptr<QgsVectorLayer>, 5> mLayers;
};

} // namespace gd::map
