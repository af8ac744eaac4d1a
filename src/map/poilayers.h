#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

class QgsVectorLayer;

namespace gd::map {

//! A point of interest as the map shows it (a value read from the store).
struct PoiPoint
{
  QString kind;
  QString name;
  double lon = 0; //!< CGCS2000
  double lat = 0;
  QString streamUrl; //!< cameras
};

/**
 * The points of interest of a store (cameras, alarm pillars, hazardous-chemical firms, gas
 * companies, petrol stations, police posts, governance centers) as one map layer over the
 * store's `pois` table, with one renderer rule per kind so that each kind is toggled on its
 * own — the way QGIS toggles categories in its legend — without opening the file once per
 * kind. Risk sites show at every scale; dense kinds such as cameras only once zoomed in.
 */
class PoiLayers
{
  public:
    //! Opens the POI layer of the store at \a gpkgPath; nullptr and \a error when impossible.
    static std::unique_ptr<PoiLayers> open(const QString &gpkgPath, QString *error);
    //! Builds the layer from \a points (a memory layer; see GridLayers for why not OGR).
    static std::unique_ptr<PoiLayers> fromPoints(const std::vector<PoiPoint> &points, const QString &styleDir = QString());

    //! Applies the built-in style (one rule per kind, keyed by kind) to \a layer.
    static void applyBuiltInStyle(QgsVectorLayer &layer);
    ~PoiLayers();

    //! Returns the kinds, in drawing order (top first).
    static QStringList kinds();
    //! Returns the operator-facing (translated) name of \a kind.
    static QString kindTitle(const QString &kind);

    //! Returns the layer (owned by this object).
    QgsVectorLayer *layer() const { return mLayer.get(); }

    //! Shows or hides the points of \a kind; returns false for an unknown kind.
    bool setKindVisible(const QString &kind, bool visible);
    bool isKindVisible(const QString &kind) const;

  private:
    PoiLayers() = default;
    std::unique_ptr<QgsVectorLayer> mLayer;
};

} // namespace gd::map
