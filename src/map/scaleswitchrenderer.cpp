#include "map/scaleswitchrenderer.h"

#include <qgsrendercontext.h>

namespace gd::map {

ScaleSwitchRenderer::ScaleSwitchRenderer(QgsFeatureRenderer *near, QgsFeatureRenderer *far, double farFromScale)
  : QgsFeatureRenderer(QStringLiteral("gdScaleSwitch"))
  , mNear(near)
  , mFar(far)
  , mFarFromScale(farFromScale)
{}

ScaleSwitchRenderer::~ScaleSwitchRenderer() = default;

QgsFeatureRenderer *ScaleSwitchRenderer::active(const QgsRenderContext &context) const
{
  if (mActive)
    return mActive;
  return context.rendererScale() > mFarFromScale ? mFar.get() : mNear.get();
}

QgsSymbol *ScaleSwitchRenderer::symbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return active(context)->symbolForFeature(feature, context);
}

QgsSymbol *ScaleSwitchRenderer::originalSymbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return active(context)->originalSymbolForFeature(feature, context);
}

QgsSymbolList ScaleSwitchRenderer::symbolsForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return active(context)->symbolsForFeature(feature, context);
}

QgsSymbolList ScaleSwitchRenderer::originalSymbolsForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return active(context)->originalSymbolsForFeature(feature, context);
}

QSet<QString> ScaleSwitchRenderer::legendKeysForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return active(context)->legendKeysForFeature(feature, context);
}

bool ScaleSwitchRenderer::willRenderFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return active(context)->willRenderFeature(feature, context);
}

void ScaleSwitchRenderer::startRender(QgsRenderContext &context, const QgsFields &fields)
{
  QgsFeatureRenderer::startRender(context, fields);
  mActive = context.rendererScale() > mFarFromScale ? mFar.get() : mNear.get();
  mActive->startRender(context, fields);
}

void ScaleSwitchRenderer::stopRender(QgsRenderContext &context)
{
  if (mActive)
    mActive->stopRender(context);
  mActive = nullptr;
  QgsFeatureRenderer::stopRender(context);
}

QSet<QString> ScaleSwitchRenderer::usedAttributes(const QgsRenderContext &context) const
{
  // Asked before startRender: whatever either may need.
  return mNear->usedAttributes(context) + mFar->usedAttributes(context);
}

QgsFeatureRenderer *ScaleSwitchRenderer::clone() const
{
  auto *copy = new ScaleSwitchRenderer(mNear->clone(), mFar->clone(), mFarFromScale);
  copyRendererData(copy);
  return copy;
}

bool ScaleSwitchRenderer::renderFeature(const QgsFeature &feature, QgsRenderContext &context, int layer, bool selected,
                                        bool drawVertexMarker)
{
  return active(context)->renderFeature(feature, context, layer, selected, drawVertexMarker);
}

QgsSymbolList ScaleSwitchRenderer::symbols(QgsRenderContext &context) const
{
  return active(context)->symbols(context);
}

QgsLegendSymbolList ScaleSwitchRenderer::legendSymbolItems() const
{
  return mNear->legendSymbolItems();
}

QDomElement ScaleSwitchRenderer::save(QDomDocument &doc, const QgsReadWriteContext &context)
{
  return mNear->save(doc, context);
}

QgsFeatureRenderer::Capabilities ScaleSwitchRenderer::capabilities()
{
  return mNear->capabilities() | mFar->capabilities() | QgsFeatureRenderer::ScaleDependent;
}

QString ScaleSwitchRenderer::dump() const
{
  return QStringLiteral("ScaleSwitch (beyond 1:%1)\n  near: %2\n  far: %3")
    .arg(mFarFromScale)
    .arg(mNear->dump(), mFar->dump());
}

} // namespace gd::map
