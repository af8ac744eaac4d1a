#pragma once

#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QAction;
class QGroupBox;
class QRadioButton;
class QTreeWidget;
class QTreeWidgetItem;
class QgsMapCanvas;
class QgsMapLayer;

namespace gd::map {

/**
 * The map's legend and layer switches, for a dock: the case layers, field workers, points of
 * interest by kind (cameras, alarm pillars, hazardous-chemical firms, gas companies, petrol
 * stations, police posts, governance centers), the five grid levels and any base map, each
 * with its symbols, plus the choice of what open cases look like at district zoom.
 *
 * The panel works on whatever layers the canvas's owner sets: it finds each by the role the
 * map layers are tagged with (setLayerRole()), so the owner keeps composing the layer list as
 * it likes and never hands the panel its objects. A layer switched off is left out of the
 * canvas's layers — also when the owner sets them again — and comes back in its place when
 * switched on; a point-of-interest kind is switched by its renderer rule, the way QGIS
 * toggles legend categories. Entries out of the current scale range are greyed.
 */
class LayerPanel : public QWidget
{
    Q_OBJECT

  public:
    //! Creates a panel over the layers of \a canvas (which must outlive the panel's use).
    explicit LayerPanel(QgsMapCanvas *canvas, QWidget *parent = nullptr);
    ~LayerPanel() override;

    /**
     * Shows \a actions (checkable, in one exclusive group: counts, heatmap, choropleth by
     * measure …) as the switch of what open cases look like at district zoom. The panel
     * triggers them and follows their checked state, so a menu holding the same actions and
     * the panel always agree. Ownership stays with the caller.
     */
    void setDistrictViewActions(const QList<QAction *> &actions);

    /**
     * Returns the keys of the entries that can be switched: "layer:<role>" for a layer
     * (e.g. "layer:grid_grid", "layer:workers"), "poi:<kind>" for a kind of point of interest.
     */
    QStringList entries() const;

    //! Switches entry \a key on or off as a click on its box does; false for an unknown key.
    bool setEntryChecked(const QString &key, bool checked);
    //! Returns whether entry \a key is switched on (false for an unknown key).
    bool isEntryChecked(const QString &key) const;

    //! Returns the tree of entries (for tests and styling).
    QTreeWidget *tree() const { return mTree; }

  private:
    void canvasLayersChanged();
    void rebuild();
    void applyLayerVisibility();
    void itemChanged(QTreeWidgetItem *item, int column);
    void updateScaleHints();
    QString keyOf(QgsMapLayer *layer) const;
    QTreeWidgetItem *addLayerItem(QTreeWidgetItem *parent, QgsMapLayer *layer, const QString &title);
    void addPoiKinds(QTreeWidgetItem *layerItem, QgsMapLayer *layer);
    void addLegend(QTreeWidgetItem *layerItem, QgsMapLayer *layer);

    QgsMapCanvas *mCanvas = nullptr;
    QTreeWidget *mTree = nullptr;
    QGroupBox *mViewBox = nullptr;
    QList<QRadioButton *> mViewButtons;
    //! The layers the canvas's owner set, in its order (some may be left out while switched off).
    QList<QPointer<QgsMapLayer>> mLayers;
    QSet<QString> mHiddenLayers; //!< entry keys of layers switched off
    QHash<QString, QTreeWidgetItem *> mItems;
    bool mApplying = false;
    bool mBuilding = false;
};

} // namespace gd::map
