#include "map/layerpanel.h"

#include "map/caselayer.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"

#include <qgscategorizedsymbolrenderer.h>
#include <qgsrenderer.h>
#include <qgslegendsymbolitem.h>
#include <qgsmarkersymbol.h>
#include <qgsmapcanvas.h>
#include <qgsmaplayer.h>
#include <qgsrulebasedrenderer.h>
#include <qgssymbol.h>
#include <qgssymbollayerutils.h>
#include <qgsvectorlayer.h>

#include <QAction>
#include <QButtonGroup>
#include <QGroupBox>
#include <QHeaderView>
#include <QLocale>
#include <QRadioButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gd::map {

namespace {

constexpr int kKeyRole = Qt::UserRole;
const QSize kIconSize(18, 18);

QIcon iconOf(const QgsSymbol *symbol)
{
  return symbol ? QgsSymbolLayerUtils::symbolPreviewIcon(symbol, kIconSize, 1) : QIcon();
}

//! The symbol of category \a value of a categorized renderer, or nullptr.
const QgsSymbol *categorySymbol(QgsFeatureRenderer *renderer, const QString &value)
{
  auto *categorized = dynamic_cast<QgsCategorizedSymbolRenderer *>(renderer);
  if (!categorized)
    return nullptr;
  const int index = categorized->categoryIndexForValue(value);
  return index < 0 ? nullptr : categorized->categories().at(index).symbol();
}

QString scaleText(double denominator)
{
  return QStringLiteral("1:%1").arg(QLocale().toString(denominator, 'f', 0));
}

} // namespace

LayerPanel::LayerPanel(QgsMapCanvas *canvas, QWidget *parent)
  : QWidget(parent)
  , mCanvas(canvas)
  , mTree(new QTreeWidget(this))
  , mViewBox(new QGroupBox(tr("Open cases at district zoom"), this))
{
  setObjectName(QStringLiteral("layerPanel"));
  mTree->setObjectName(QStringLiteral("layerTree"));
  mTree->setHeaderHidden(true);
  mTree->setIconSize(kIconSize);
  mTree->setRootIsDecorated(true);
  mTree->setUniformRowHeights(true);
  mViewBox->setObjectName(QStringLiteral("districtViewBox"));
  mViewBox->setLayout(new QVBoxLayout);
  mViewBox->hide();
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(mTree, 1);
  layout->addWidget(mViewBox);

  connect(mTree, &QTreeWidget::itemChanged, this, &LayerPanel::itemChanged);
  connect(mCanvas, &QgsMapCanvas::layersChanged, this, &LayerPanel::canvasLayersChanged);
  connect(mCanvas, &QgsMapCanvas::scaleChanged, this, &LayerPanel::updateScaleHints);
  canvasLayersChanged();
}

LayerPanel::~LayerPanel() = default;

void LayerPanel::setDistrictViewActions(const QList<QAction *> &actions)
{
  qDeleteAll(mViewButtons);
  mViewButtons.clear();
  auto *group = new QButtonGroup(mViewBox);
  for (QAction *action : actions)
  {
    auto *button = new QRadioButton(action->text().remove(QLatin1Char('&')), mViewBox);
    button->setChecked(action->isChecked());
    group->addButton(button);
    mViewBox->layout()->addWidget(button);
    mViewButtons << button;
    const QPointer<QAction> weak(action);
    connect(button, &QRadioButton::toggled, this, [weak](bool on) {
      if (on && weak && !weak->isChecked())
        weak->trigger();
    });
    connect(action, &QAction::toggled, button, [this, button](bool on) {
      if (on)
      {
        const QSignalBlocker blocker(button);
        button->setChecked(true);
        // The summary layer may have changed its renderer without the layer list changing.
        QMetaObject::invokeMethod(this, &LayerPanel::rebuild, Qt::QueuedConnection);
      }
    });
  }
  mViewBox->setVisible(!actions.isEmpty());
}

QStringList LayerPanel::entries() const
{
  QStringList keys = mItems.keys();
  keys.sort();
  return keys;
}

bool LayerPanel::setEntryChecked(const QString &key, bool checked)
{
  QTreeWidgetItem *item = mItems.value(key);
  if (!item)
    return false;
  item->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
  return true;
}

bool LayerPanel::isEntryChecked(const QString &key) const
{
  const QTreeWidgetItem *item = mItems.value(key);
  return item && item->checkState(0) == Qt::Checked;
}

QString LayerPanel::keyOf(QgsMapLayer *layer) const
{
  const QString role = layerRole(*layer);
  return QStringLiteral("layer:") + (role.isEmpty() ? layer->id() : role);
}

void LayerPanel::canvasLayersChanged()
{
  if (mApplying)
    return;
  // The owner set the layers: remember them all, then leave out those switched off.
  mLayers.clear();
  for (QgsMapLayer *layer : mCanvas->layers())
    mLayers << layer;
  rebuild();
  applyLayerVisibility();
}

void LayerPanel::applyLayerVisibility()
{
  QList<QgsMapLayer *> shown;
  for (const QPointer<QgsMapLayer> &layer : std::as_const(mLayers))
    if (layer && !mHiddenLayers.contains(keyOf(layer)))
      shown << layer;
  if (shown == mCanvas->layers())
    return;
  mApplying = true;
  mCanvas->setLayers(shown);
  mApplying = false;
  mCanvas->refresh();
}

QTreeWidgetItem *LayerPanel::addLayerItem(QTreeWidgetItem *parent, QgsMapLayer *layer, const QString &title)
{
  auto *item = new QTreeWidgetItem(parent, QStringList(title));
  const QString key = keyOf(layer);
  item->setData(0, kKeyRole, key);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
  item->setCheckState(0, mHiddenLayers.contains(key) ? Qt::Unchecked : Qt::Checked);
  mItems.insert(key, item);
  addLegend(item, layer);
  return item;
}

void LayerPanel::addPoiKinds(QTreeWidgetItem *layerItem, QgsMapLayer *layer)
{
  auto *vector = qobject_cast<QgsVectorLayer *>(layer);
  auto *renderer = vector ? dynamic_cast<QgsRuleBasedRenderer *>(vector->renderer()) : nullptr;
  if (!renderer)
    return;
  // In the order of PoiLayers::kinds() (risk sites first), each with its rule's symbol.
  for (const QString &kind : PoiLayers::kinds())
  {
    QgsRuleBasedRenderer::Rule *rule = renderer->rootRule()->findRuleByKey(kind);
    if (!rule)
      continue;
    auto *item = new QTreeWidgetItem(layerItem, QStringList(PoiLayers::kindTitle(kind)));
    const QString key = QStringLiteral("poi:") + kind;
    item->setData(0, kKeyRole, key);
    item->setIcon(0, iconOf(rule->symbol()));
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(0, rule->active() ? Qt::Checked : Qt::Unchecked);
    mItems.insert(key, item);
  }
}

void LayerPanel::addLegend(QTreeWidgetItem *layerItem, QgsMapLayer *layer)
{
  auto *vector = qobject_cast<QgsVectorLayer *>(layer);
  if (!vector || !vector->renderer())
    return;
  QgsFeatureRenderer *renderer = vector->renderer();
  const QString role = layerRole(*layer);
  auto child = [layerItem](const QgsSymbol *symbol, const QString &text) {
    if (!symbol)
      return;
    auto *item = new QTreeWidgetItem(layerItem, QStringList(text));
    item->setIcon(0, iconOf(symbol));
    item->setFlags(Qt::ItemIsEnabled);
  };

  auto pin = [](const char *family, const char *light, const char *priority, bool alert) {
    return LiveCaseLayer::legendSymbol(QLatin1String(family), QLatin1String(light), QLatin1String(priority), alert);
  };
  if (role == style::kCases)
  {
    // Colour by SLA light, shape by category family, size by priority.
    layerItem->setIcon(0, iconOf(pin("01", "green", "normal", false).get()));
    child(pin("01", "green", "normal", false).get(), tr("Within the time limit"));
    child(pin("01", "yellow", "normal", false).get(), tr("Time limit nearly reached"));
    child(pin("01", "none", "normal", false).get(), tr("No time limit"));
    const QString families[] = {tr("Disputes"),            tr("Public order"),   tr("Risks and hazards"),
                                tr("Livelihood requests"), tr("Special groups"), tr("Emergencies")};
    for (int i = 0; i < 6; ++i)
      child(LiveCaseLayer::legendSymbol(QStringLiteral("0%1").arg(i + 1), QStringLiteral("none"), QStringLiteral("normal"), false)
              .get(),
            families[i]);
    child(pin("01", "none", "urgent", false).get(), tr("Larger: urgent"));
  }
  else if (role == QLatin1String("case_alerts"))
  {
    layerItem->setIcon(0, iconOf(pin("01", "red", "normal", true).get()));
    child(pin("01", "red", "normal", true).get(), tr("Overdue"));
    child(pin("01", "green", "emergency", true).get(), tr("Emergency"));
  }
  else if (role == style::kCaseCounts || role == QLatin1String("case_community_counts"))
  {
    // 14 categories (size classes, with overdue or not): two say what the bubbles mean.
    if (const QgsSymbol *ok = categorySymbol(renderer, QStringLiteral("ok|2")))
    {
      layerItem->setIcon(0, iconOf(ok));
      child(ok, tr("Open cases"));
      child(categorySymbol(renderer, QStringLiteral("overdue|2")), tr("Open cases, some overdue"));
    }
  }
  else
  {
    const QgsLegendSymbolList items = renderer->legendSymbolItems();
    if (items.size() == 1)
      layerItem->setIcon(0, iconOf(items.front().symbol()));
    else if (items.size() <= 12)
      for (const QgsLegendSymbolItem &item : items)
        child(item.symbol(), item.label());
  }
}

void LayerPanel::rebuild()
{
  // Keep what the operator expanded or collapsed.
  QHash<QString, bool> expanded;
  for (QTreeWidgetItemIterator it(mTree); *it; ++it)
    expanded.insert((*it)->data(0, kKeyRole).toString().isEmpty() ? (*it)->text(0) : (*it)->data(0, kKeyRole).toString(),
                    (*it)->isExpanded());
  mBuilding = true;
  mTree->clear();
  mItems.clear();

  QTreeWidgetItem *casesGroup = nullptr;
  QTreeWidgetItem *gridGroup = nullptr;
  QList<QgsMapLayer *> others;
  auto group = [this](QTreeWidgetItem *&item, const QString &title) {
    if (!item)
    {
      item = new QTreeWidgetItem(mTree, QStringList(title));
      item->setFlags(Qt::ItemIsEnabled);
      QFont font = item->font(0);
      font.setBold(true);
      item->setFont(0, font);
    }
    return item;
  };
  // Top to bottom as the canvas draws them; grid levels from the district down.
  QList<QgsMapLayer *> gridLayers;
  for (const QPointer<QgsMapLayer> &layer : std::as_const(mLayers))
  {
    if (!layer)
      continue;
    const QString role = layerRole(*layer);
    if (role == style::kCases || role.startsWith(QLatin1String("case_")))
      addLayerItem(group(casesGroup, tr("Cases")), layer, layer->name());
    else if (role.startsWith(QLatin1String("grid_")))
      gridLayers << layer;
    else
      others << layer;
  }
  for (QgsMapLayer *layer : std::as_const(others))
  {
    const QString role = layerRole(*layer);
    auto *top = new QTreeWidgetItem(QStringList(layer->name()));
    mTree->addTopLevelItem(top);
    const QString key = keyOf(layer);
    top->setData(0, kKeyRole, key);
    top->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    top->setCheckState(0, mHiddenLayers.contains(key) ? Qt::Unchecked : Qt::Checked);
    mItems.insert(key, top);
    if (role == style::kPois)
      addPoiKinds(top, layer);
    else
      addLegend(top, layer);
  }
  if (!gridLayers.isEmpty())
  {
    group(gridGroup, tr("Grid levels"));
    const QStringList order{style::kDistrict, style::kTownship, style::kCommunity, style::kGrid, style::kMicroGrid};
    std::stable_sort(gridLayers.begin(), gridLayers.end(), [&order](QgsMapLayer *a, QgsMapLayer *b) {
      return order.indexOf(layerRole(*a)) < order.indexOf(layerRole(*b));
    });
    for (QgsMapLayer *layer : std::as_const(gridLayers))
      addLayerItem(gridGroup, layer, layer->name());
  }
  // Base maps and anything else the owner added go last (they are drawn below).
  if (casesGroup)
    mTree->insertTopLevelItem(0, mTree->takeTopLevelItem(mTree->indexOfTopLevelItem(casesGroup)));

  for (QTreeWidgetItemIterator it(mTree); *it; ++it)
  {
    const QString key = (*it)->data(0, kKeyRole).toString().isEmpty() ? (*it)->text(0) : (*it)->data(0, kKeyRole).toString();
    // Groups and the POI kinds open; a layer's legend open only if the operator opened it.
    const bool byDefault = !(*it)->parent() || key == QStringLiteral("layer:") + style::kPois;
    (*it)->setExpanded(expanded.value(key, byDefault));
  }
  mBuilding = false;
  updateScaleHints();
}

void LayerPanel::itemChanged(QTreeWidgetItem *item, int column)
{
  if (mBuilding || column != 0)
    return;
  const QString key = item->data(0, kKeyRole).toString();
  const bool on = item->checkState(0) == Qt::Checked;
  if (key.startsWith(QLatin1String("poi:")))
  {
    const QString kind = key.mid(4);
    for (const QPointer<QgsMapLayer> &layer : std::as_const(mLayers))
    {
      auto *vector = qobject_cast<QgsVectorLayer *>(layer.data());
      if (!vector || layerRole(*vector) != style::kPois)
        continue;
      auto *renderer = dynamic_cast<QgsRuleBasedRenderer *>(vector->renderer());
      if (QgsRuleBasedRenderer::Rule *rule = renderer ? renderer->rootRule()->findRuleByKey(kind) : nullptr)
      {
        rule->setActive(on);
        vector->triggerRepaint();
      }
    }
    return;
  }
  if (key.startsWith(QLatin1String("layer:")))
  {
    if (on)
      mHiddenLayers.remove(key);
    else
      mHiddenLayers.insert(key);
    applyLayerVisibility();
  }
}

void LayerPanel::updateScaleHints()
{
  const double scale = mCanvas->scale();
  const QBrush normal = palette().brush(QPalette::Active, QPalette::Text);
  const QBrush dimmed = palette().brush(QPalette::Disabled, QPalette::Text);
  auto hint = [&](QTreeWidgetItem *item, bool shown, double from, double to) {
    item->setForeground(0, shown ? normal : dimmed);
    QString tip;
    if (from > 0 && to > 0)
      tip = tr("Shown between %1 and %2").arg(scaleText(from), scaleText(to));
    else if (from > 0)
      tip = tr("Shown from %1 inwards").arg(scaleText(from));
    else if (to > 0)
      tip = tr("Shown from %1 outwards").arg(scaleText(to));
    item->setToolTip(0, tip);
  };
  const bool wasBuilding = mBuilding;
  mBuilding = true; // changing colours emits itemChanged
  for (const QPointer<QgsMapLayer> &layer : std::as_const(mLayers))
  {
    if (!layer)
      continue;
    if (QTreeWidgetItem *item = mItems.value(keyOf(layer)))
    {
      const bool ranged = layer->hasScaleBasedVisibility();
      hint(item, !ranged || layer->isInScaleRange(scale), ranged ? layer->minimumScale() : 0,
           ranged ? layer->maximumScale() : 0);
    }
    auto *vector = qobject_cast<QgsVectorLayer *>(layer.data());
    auto *renderer = vector && layerRole(*vector) == style::kPois ? dynamic_cast<QgsRuleBasedRenderer *>(vector->renderer()) : nullptr;
    if (!renderer)
      continue;
    for (QgsRuleBasedRenderer::Rule *rule : renderer->rootRule()->children())
      if (QTreeWidgetItem *item = mItems.value(QStringLiteral("poi:") + rule->ruleKey()))
        hint(item, rule->isScaleOK(scale), rule->minimumScale(), rule->maximumScale());
  }
  mBuilding = wasBuilding;
}

} // namespace gd::map
