#pragma once
// The console's built-in map styles. A center restyles in QGIS desktop and drops the .qml
// into maps/ (or the installed share/griddispatch/maps); a file there wins over the built-in.

#include <QString>
#include <QStringList>

class QgsMapLayer;
class QgsVectorLayer;

namespace gd::map {

//! Style names, which are also the .qml file names in maps/.
namespace style {
inline const QString kDistrict = QStringLiteral("grid_district");
inline const QString kTownship = QStringLiteral("grid_township");
inline const QString kCommunity = QStringLiteral("grid_community");
inline const QString kGrid = QStringLiteral("grid_grid");
inline const QString kMicroGrid = QStringLiteral("grid_microgrid");
inline const QString kCases = QStringLiteral("cases");
inline const QString kCaseCounts = QStringLiteral("case_counts");
inline const QString kPois = QStringLiteral("pois");
} // namespace style

/**
 * Tags \a layer with what it shows (a style name such as style::kGrid, or one of the live
 * layers' roles: "cases", "case_alerts", "case_counts", …), as a custom layer property, so
 * that a legend finds each layer on the canvas without being handed the objects.
 * \see layerRole()
 */
void setLayerRole(QgsMapLayer &layer, const QString &role);

//! Returns the role \a layer was tagged with, or an empty string. \see setLayerRole()
QString layerRole(const QgsMapLayer &layer);

/**
 * Applies the style called \a name to \a layer: the .qml of that name in \a styleDir when it
 * exists and loads, else the built-in one. Returns the .qml path used, or an empty string for
 * the built-in style; \a error receives why a .qml present was not usable.
 */
QString applyStyle(QgsVectorLayer &layer, const QString &name, const QString &styleDir, QString *error = nullptr);

//! Applies the built-in style \a name; returns false for an unknown name.
bool applyBuiltInStyle(QgsVectorLayer &layer, const QString &name);

/**
 * Writes the built-in styles as QGIS style files (<name>.qml) into \a dir, for restyling in
 * QGIS desktop. Returns the files written; on failure \a error says which and why.
 */
QStringList exportBuiltInStyles(const QString &dir, QString *error = nullptr);

//! Returns the maps/ directory: $GRIDDISPATCH_MAPS, the source tree's maps/, or the installed one.
QString defaultStyleDir();

/**
 * Turns each labelled layer's labels on only where they can show at scale 1:\a scale (the
 * layer and its labels both in their scale ranges), and back on when they can again.
 *
 * Why: QGIS reuses its cached label image only while the layers it finds "labelled" are the
 * ones that placed labels in the last render, and it counts a labelled layer that is out of its
 * scale range as labelled. With the grid and micro-grid layers out of range at district zoom,
 * every live batch made the canvas draw every boundary and place every label again. Call it
 * whenever the scale changes, before the render.
 */
void setLabelsForScale(const QList<QgsMapLayer *> &layers, double scale);

} // namespace gd::map
