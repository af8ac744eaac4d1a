#pragma once

#include <qgscategorizedsymbolrenderer.h>

#include <QSet>

namespace gd::map {

/**
 * A categorized renderer that prepares a category's symbol the first time a feature of that
 * category is drawn, not every symbol at the start of every render.
 *
 * QgsCategorizedSymbolRenderer starts every category's symbol (for markers: renders its cached
 * image) before the first feature. The pin layers have 42 categories each, and a render at grid
 * zoom or a live batch's redraw shows a handful of them: preparing all cost more than drawing the
 * pins. The classification must be a field (not an expression). Saved styles are plain
 * categorized renderers, so QGIS desktop reads them.
 */
class LazyCategorizedRenderer : public QgsCategorizedSymbolRenderer
{
  public:
    LazyCategorizedRenderer(const QString &field, const QgsCategoryList &categories);

    QgsSymbol *symbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    QgsSymbol *originalSymbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    void startRender(QgsRenderContext &context, const QgsFields &fields) override;
    void stopRender(QgsRenderContext &context) override;
    LazyCategorizedRenderer *clone() const override;

  private:
    QgsFields mFields;
    bool mLazy = false;                     //!< false: the field was not found, the base class renders
    mutable QSet<QgsSymbol *> mStarted;     //!< symbols prepared in this render
};

} // namespace gd::map
