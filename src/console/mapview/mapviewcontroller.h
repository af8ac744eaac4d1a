#pragma once
// The map view: the canvas and its layers (district, grids, points of interest, live cases,
// field workers, base map), redraws without cancelling one under way, the map tools and
// identify, search, the grid under the pointer, the district-view and base-map menus and the
// layer panel.

#include "map/caselayer.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <memory>

class QgsFeature;
class QgsMapCanvas;
class QgsMapLayer;
class QgsMapTool;
class QgsMapToolEmitPoint;
class QgsPointXY;
class QgsRectangle;
class QgsVectorLayer;
class QLabel;
class QLineEdit;
class QMainWindow;
class QMenu;
class QTextBrowser;
class QUrl;

namespace gd::core {
class GridIndex;
class GridTree;
} // namespace gd::core

namespace gd::map {
class GridLayers;
class IdentifyTool;
class PoiLayers;
class RadiusSelectTool;
class WorkerLayer;
} // namespace gd::map

namespace gd::console {

struct OpenCaseChunk;
struct StoreChanges;
struct StoreOverview;

class MapViewController : public QObject
{
    Q_OBJECT

  public:
    //! Sets up \a canvas in \a window: its tools, toolbars, the details and layer docks, and the
    //! entries of \a viewMenu.
    MapViewController(QMainWindow *window, QgsMapCanvas *canvas, QMenu *viewMenu);
    //! Lets every render job end, then takes the layers off the canvas before they go.
    ~MapViewController() override;

    QgsMapCanvas *canvas() const { return mCanvas; }

    //! Replaces the layers with those of a newly opened store (cases arrive later); \a grids
    //! (the session's, the same as the overview's) must live until the next showStore().
    void showStore(const StoreOverview &overview, const core::GridTree &grids);
    //! Adds a chunk of the first read's pins.
    void addCases(const OpenCaseChunk &chunk);
    //! Every case of the first read is in: summaries are complete.
    void finishLoading();
    //! Applies live changes to the case and worker layers (redrawn once, see requestRefresh()).
    void applyChanges(const StoreChanges &changes);

    /**
     * Redraws the map with what the live layers hold now: at once when the canvas is idle,
     * else as soon as the render under way completes (never cancelling it).
     */
    void requestRefresh();
    void zoomToDistrict();
    //! Zooms to \a extent of \a layer, no closer than \a minimumScale.
    void zoomToLayerExtent(QgsVectorLayer *layer, const QgsRectangle &extent, double minimumScale);
    //! Zooms to a point given in lon/lat (CGCS2000).
    void zoomToLonLat(double lon, double lat);
    //! The map's centre in lon/lat (CGCS2000).
    QgsPointXY centreLonLat() const;
    //! Lon/lat (CGCS2000) to canvas coordinates.
    QgsPointXY fromLonLat(double lon, double lat) const;
    //! Canvas coordinates to lon/lat (CGCS2000).
    QgsPointXY toLonLat(const QgsPointXY &mapPoint) const;

    /**
     * Finds \a text as a case number, a grid code, a grid name or a place name, zooms there
     * and selects it. Returns what was found (e.g. "grid 620902001002003"), or an empty string.
     * A case found is announced with caseClicked.
     */
    QString search(const QString &text);
    //! Selects case \a number's pin; \a pan zooms to it, else it is only brought into view.
    void selectPin(const QString &number, bool pan);
    //! Returns the numbers of the cases selected on the map.
    QStringList selectedCaseNumbers() const;
    //! Selects the cases within \a radiusMeters of \a centre (canvas CRS); returns how many.
    int selectCasesWithin(const QgsPointXY &centre, double radiusMeters);
    //! Selects the cases inside \a extent (canvas CRS); returns how many.
    int selectCasesIn(const QgsRectangle &extent);
    //! Switches how open cases are summarised at district zoom (counts, heatmap, choropleth).
    void setDistrictView(map::LiveCaseLayer::DistrictView view,
                         map::LiveCaseLayer::Measure measure = map::LiveCaseLayer::Measure::Open);

    /**
     * Shows a base map under everything: an XYZ tile URL template ("https://…/{z}/{x}/{y}.png",
     * e.g. a 天地图 WMTS endpoint in XYZ form) or a local raster file. An empty \a source
     * removes it. Returns false and sets \a error when the source cannot be used; the map is
     * then left as it was. The console is fully usable without a base map.
     */
    bool setBaseMap(const QString &source, QString *error);
    QgsMapLayer *baseMapLayer() const;

    /**
     * Lets the operator click a place: the next click on the map is handed to \a picked in
     * lon/lat, then the tool before it is back.
     */
    void pickPoint(QObject *context, std::function<void(double lon, double lat)> picked);

    //! What the status bar says of the grid under the pointer.
    QString hoverText() const;
    //! The status bar's label of the grid under the pointer.
    QLabel *hoverLabel() const { return mHoverLabel; }
    //! The HTML the details dock shows for the last identified feature.
    QString detailsHtml() const;
    //! The search box in the toolbar (Ctrl+L).
    QLineEdit *searchEdit() const { return mSearchEdit; }

    QgsVectorLayer *districtLayer() const { return mDistrictLayer.get(); }
    map::GridLayers *gridLayers() const { return mGrids.get(); }
    map::PoiLayers *poiLayers() const { return mPois.get(); }
    map::LiveCaseLayer *caseLayer() const { return mCases.get(); }
    map::WorkerLayer *workerLayer() const { return mWorkers.get(); }
    map::IdentifyTool *identifyTool() const { return mIdentifyTool; }

  signals:
    //! A case was clicked on the map or found by the search.
    void caseClicked(const QString &number);
    //! Something the operator should read in the status bar.
    void message(const QString &text, int timeoutMs);

  private:
    void setUpTools(QMainWindow *window);
    void setUpViewMenu(QMainWindow *window, QMenu *viewMenu);
    void chooseBaseMap();
    void updateLayers();
    void showIdentified(QgsMapLayer *layer, const QgsFeature &feature);
    void openLink(const QUrl &url);
    void showGridUnderPointer(const QgsPointXY &point);

    QMainWindow *mWindow;
    QgsMapCanvas *mCanvas;
    std::unique_ptr<QgsVectorLayer> mDistrictLayer;
    std::unique_ptr<map::GridLayers> mGrids;
    std::unique_ptr<map::PoiLayers> mPois;
    std::unique_ptr<map::LiveCaseLayer> mCases;
    std::unique_ptr<map::WorkerLayer> mWorkers;
    std::unique_ptr<QgsMapLayer> mBaseMap;
    std::unique_ptr<core::GridIndex> mHoverIndex;
    bool mAlertsShown = false;
    bool mRefreshPending = false;
    map::IdentifyTool *mIdentifyTool = nullptr;
    map::RadiusSelectTool *mRadiusTool = nullptr;
    QgsMapTool *mPanTool = nullptr;
    QgsMapTool *mRectangleTool = nullptr;
    QgsMapToolEmitPoint *mPickTool = nullptr;
    QPointer<QgsMapTool> mToolBeforePick;
    QTextBrowser *mDetails = nullptr;
    QLineEdit *mSearchEdit = nullptr;
    QLabel *mHoverLabel = nullptr;
    qint64 mLastHoverMs = 0;
};

} // namespace gd::console
