#pragma once

#include <qgsrenderer.h>

#include <memory>

namespace gd::map {

/**
 * A renderer that draws with one renderer zoomed in and another beyond a scale.
 *
 * The choice is made once per render (in startRender, from the render's scale), so a feature
 * evaluates nothing more than the chosen renderer would on its own, and every render keeps
 * its own copy (renderers are cloned per render job). The case layers use it to draw overdue
 * pins as plain red dots, without the halo, where tens of thousands of them would otherwise
 * pile up at district zoom.
 *
 * Legends and saved styles are the near renderer's: a style file written from the layer is
 * the zoomed-in look (QGIS desktop knows no such renderer).
 */
class ScaleSwitchRenderer : public QgsFeatureRenderer
{
  public:
    /**
     * Draws with \a near down to (and including) scale 1:\a farFromScale, with \a far beyond.
     * Ownership of both is transferred.
     */
    ScaleSwitchRenderer(QgsFeatureRenderer *near, QgsFeatureRenderer *far, double farFromScale);
    ~ScaleSwitchRenderer() override;

    QgsFeatureRenderer *nearRenderer() const { return mNear.get(); }
    QgsFeatureRenderer *farRenderer() const { return mFar.get(); }
    double farFromScale() const { return mFarFromScale; }

    QgsSymbol *symbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    QgsSymbol *originalSymbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    QgsSymbolList symbolsForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    QgsSymbolList originalSymbolsForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    QSet<QString> legendKeysForFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    bool willRenderFeature(const QgsFeature &feature, QgsRenderContext &context) const override;
    void startRender(QgsRenderContext &context, const QgsFields &fields) override;
    void stopRender(QgsRenderContext &context) override;
    QSet<QString> usedAttributes(const QgsRenderContext &context) const override;
    QgsFeatureRenderer *clone() const override;
    bool renderFeature(const QgsFeature &feature, QgsRenderContext &context, int layer = -1, bool selected = false,
                       bool drawVertexMarker = false) override;
    QgsSymbolList symbols(QgsRenderContext &context) const override;
    QgsLegendSymbolList legendSymbolItems() const override;
    QDomElement save(QDomDocument &doc, const QgsReadWriteContext &context) override;
    QString dump() const override;
    QgsFeatureRenderer::Capabilities capabilities() override;

  private:
    //! The renderer for \a context's scale (the one chosen at startRender while rendering).
    QgsFeatureRenderer *active(const QgsRenderContext &context) const;

    std::unique_ptr<QgsFeatureRenderer> mNear;
    std::unique_ptr<QgsFeatureRenderer> mFar;
    double mFarFromScale;
    QgsFeatureRenderer *mActive = nullptr; //!< set between startRender and stopRender
};

} // namespace gd::map
