#pragma once

#include "core/gridcode.h"

namespace gd::core {
class GridTree;
}

#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <memory>

class QgsGeometry;
class QgsMapLayer;
class QgsVectorLayer;

namespace gd::map {

/**
 * The five grid levels as map layers, each in its own scale range: district and townships
 * always, communities from 1:250,000, grids from 1:60,000 and micro-grids from 1:15,000
 * inwards; labels come in a step later than their lines.
 *
 * The console builds them from the grid tree it reads through the store, as memory layers.
 * It does not let QGIS's OGR provider read the store file: QGIS opens a GeoPackage read-only
 * with GDAL's NOLOCK=ON, and such a reader fails ("unable to open database file") as soon as
 * the store's writer — the console's own embedded gateway — commits to the WAL. open() reads
 * a GeoPackage through OGR for files nothing else writes (exports, other centers' data).
 */
class GridLayers
{
  public:
    /**
     * Opens the grid layers of the store at \a gpkgPath, styled from \a styleDir (see
     * applyStyle()). Returns nullptr and sets \a error when the file has no grid layers.
     */
    static std::unique_ptr<GridLayers> open(const QString &gpkgPath, const QString &styleDir, QString *error);

    //! Builds the layers from \a tree (memory layers, CGCS2000), styled from \a styleDir.
    static std::unique_ptr<GridLayers> fromTree(const core::GridTree &tree, const QString &styleDir);

    ~GridLayers();

    //! Returns the layer of \a level (owned by this object).
    QgsVectorLayer *layer(core::GridLevel level) const;

    //! Returns the areas of every node of \a level by code (CGCS2000), e.g. for per-grid summaries.
    QHash<QString, QgsGeometry> areas(core::GridLevel level) const;

    //! Returns all five layers in drawing order, coarsest (drawn on top) first.
    QList<QgsMapLayer *> layers() const;

    /**
     * Shows or hides the white halo under every boundary line (the styles' white stroke below
     * the line). It keeps lines readable over a base map; on the console's plain background it
     * is invisible, while rasterising a second, wider antialiased stroke per boundary was a
     * third of a zoomed-in render. The console shows halos only while a base map is shown.
     */
    void setBoundaryHalos(bool shown);

    //! Returns the scale denominator below which \a level is shown (0: at every scale).
    static double visibleFromScale(core::GridLevel level);

  private:
    GridLayers() = default;
    std::array<std::unique_ptr<QgsVectorLayer>, 5> mLayers;
};

} // namespace gd::map
