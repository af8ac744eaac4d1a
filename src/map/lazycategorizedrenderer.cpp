#include "map/lazycategorizedrenderer.h"

#include <qgsfeature.h>
#include <qgsrendercontext.h>
#include <qgssymbol.h>

namespace gd::map {

LazyCategorizedRenderer::LazyCategorizedRenderer(const QString &field, const QgsCategoryList &categories)
  : QgsCategorizedSymbolRenderer(field, categories)
{}

void LazyCategorizedRenderer::startRender(QgsRenderContext &context, const QgsFields &fields)
{
  mStarted.clear();
  mAttrNum = fields.lookupField(mAttrName);
  mLazy = mAttrNum >= 0;
  if (!mLazy)
  {
    QgsCategorizedSymbolRenderer::startRender(context, fields);
    return;
  }
  QgsFeatureRenderer::startRender(context, fields);
  mFields = fields;
  rebuildHash();
}

void LazyCategorizedRenderer::stopRender(QgsRenderContext &context)
{
  if (!mLazy)
  {
    QgsCategorizedSymbolRenderer::stopRender(context);
    return;
  }
  for (QgsSymbol *symbol : std::as_const(mStarted))
    symbol->stopRender(context);
  mStarted.clear();
  QgsFeatureRenderer::stopRender(context);
}

QgsSymbol *LazyCategorizedRenderer::symbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  return originalSymbolForFeature(feature, context);
}

QgsSymbol *LazyCategorizedRenderer::originalSymbolForFeature(const QgsFeature &feature, QgsRenderContext &context) const
{
  if (!mLazy)
    return QgsCategorizedSymbolRenderer::originalSymbolForFeature(feature, context);
  const QVariant value = feature.attribute(mAttrNum);
  auto it = mSymbolHash.constFind(value.isNull() ? QString() : value.toString());
  if (it == mSymbolHash.constEnd())
    it = mSymbolHash.constFind(QString()); // the "all other values" category, if any
  if (it == mSymbolHash.constEnd() || !*it)
    return nullptr;
  QgsSymbol *symbol = *it;
  if (!mStarted.contains(symbol))
  {
    symbol->startRender(context, mFields);
    mStarted.insert(symbol);
  }
  return symbol;
}

LazyCategorizedRenderer *LazyCategorizedRenderer::clone() const
{
  auto *copy = new LazyCategorizedRenderer(mAttrName, mCategories);
  copy->setUsingSymbolLevels(usingSymbolLevels());
  copyRendererData(copy);
  return copy;
}

} // namespace gd::map
