#pragma once

#include "map/casepin.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QgsGeometry;
class QgsMapLayer;
class QgsMarkerSymbol;
class QgsVectorLayer;

namespace gd::map {

/**
 * The live case layers: one pin per open case, and per grid the count of its open cases.
 *
 * All are memory layers changed in place through their providers, so a batch of changes
 * repaints without reloading anything. Pins are coloured by SLA traffic light, shaped by
 * category family and sized by priority. Zoomed out beyond 1:40,000 the ordinary pins give
 * way to per-grid counts (or a heatmap, or a choropleth), while overdue and emergency pins —
 * kept in a layer of their own — stay visible at every zoom.
 *
 * Drawing cost is kept low at both ends: every render prepares few symbols (one per shape for
 * pins, whose colour and size come from precomputed fields; 14 size classes for the count
 * bubbles, whose digits come from a field) and evaluates no expression per feature; the
 * layers carry spatial indexes, so a zoomed-in render reads only the pins in view; the
 * ordinary-pin layer is skipped entirely at district zoom; and the count digits are a
 * font-marker symbol rather than labels, so a live batch never makes the labelling engine
 * place the grid labels again. GUI thread only.
 */
class LiveCaseLayer
{
  public:
    LiveCaseLayer();
    ~LiveCaseLayer();

    //! The scale denominator beyond which ordinary pins are replaced by per-grid counts.
    static constexpr double kAggregateFromScale = 40000;
    //! Beyond this, per-grid counts (1,400 in a district) give way to per-community ones.
    static constexpr double kCommunityCountsFromScale = 80000;

    //! How open cases are summarised when zoomed out to the district.
    enum class DistrictView
    {
      Counts,     //!< a bubble per grid with its number of open cases
      Heatmap,    //!< a heatmap weighted by each grid's open cases
      Choropleth, //!< grids shaded by the choropleth measure
    };
    //! What the choropleth shades grids by.
    enum class Measure
    {
      Open,
      Overdue,
      NewToday,
    };

    /**
     * Returns the symbol of a pin of category \a family ("01" … "06"), SLA \a light and
     * \a priority as the map draws it, for legends; \a alert adds the overdue / emergency halo.
     */
    static std::unique_ptr<QgsMarkerSymbol> legendSymbol(const QString &family, const QString &light,
                                                         const QString &priority, bool alert);

    //! The ordinary pins (shown from 1:40,000 inwards).
    QgsVectorLayer *pinLayer() const { return mPins.get(); }
    //! The overdue and emergency pins (shown at every scale).
    QgsVectorLayer *alertLayer() const { return mAlerts.get(); }
    //! Both pin layers, alerts (drawn on top) first.
    QList<QgsMapLayer *> pinLayers() const;
    QgsVectorLayer *countLayer() const { return mCounts.get(); }
    QgsVectorLayer *communityCountLayer() const { return mCommunityCounts.get(); }
    QgsVectorLayer *choroplethLayer() const { return mChoropleth.get(); }

    //! The layers to draw for the current district view, top first (pins always included).
    QList<QgsMapLayer *> layers() const;

    void setDistrictView(DistrictView view);
    DistrictView districtView() const { return mView; }
    void setChoroplethMeasure(Measure measure);
    Measure choroplethMeasure() const { return mMeasure; }

    /**
     * Sets the grids (网格) by code with their areas (CGCS2000): counts are drawn at a point
     * inside each, the choropleth shades the areas. Counts of unknown grids are kept, not drawn.
     */
    void setGrids(const QHash<QString, QgsGeometry> &grids);

    //! Sets the communities (村/社区) by code with their areas, for the district-overview counts.
    void setCommunities(const QHash<QString, QgsGeometry> &communities);

    //! The number of open cases counted for community \a code.
    int countInCommunity(const QString &code) const { return mCountByCommunity.value(code).open; }

    /**
     * Applies a batch: \a upserts are added or replace the pin of the same number, \a removed
     * numbers (closed, voided, merged cases) disappear.
     *
     * The layers ask for a deferred repaint only: a canvas that restarted its render on every
     * batch would, at ten batches a second, never finish one. The owner refreshes the canvas
     * (MainWindow::requestMapRefresh() waits for a running render to complete first).
     */
    void apply(const std::vector<CasePin> &upserts, const QStringList &removed = QStringList());

    /**
     * Shows \a counts — the store's own count of open cases per grid — while the pins are still
     * being loaded: until finishLoading(), apply() adds pins without recounting, so the district
     * view (counts, choropleth, heatmap) is complete before the first pin arrives.
     */
    void showStoreCounts(const std::vector<GridCaseCount> &counts);
    //! Ends loading: the counts are taken from the pins again, which now hold every open case.
    void finishLoading();
    //! Returns true between showStoreCounts() and finishLoading().
    bool isLoading() const { return mLoading; }

    //! The pin of case \a number, if shown.
    std::optional<CasePin> pin(const QString &number) const;
    //! The number of open cases counted for \a grid.
    int countInGrid(const QString &grid) const { return mCountByGrid.value(grid).open; }
    //! The number of overdue (red) open cases counted for \a grid.
    int overdueInGrid(const QString &grid) const { return mCountByGrid.value(grid).overdue; }
    //! The number of open cases of \a grid reported today (Beijing time).
    int newTodayInGrid(const QString &grid) const { return mCountByGrid.value(grid).newToday; }
    int pinCount() const { return mPinsByNumber.size(); }
    //! Sums the open and overdue cases of every grid under (or equal to) \a code.
    void countsUnder(const QString &code, int *open, int *overdue) const;

  private:
    void updateCount(const QString &grid);

    void updateCommunityCount(const QString &community);
    static bool isAlerting(const CasePin &pin);
    void styleChoropleth();

    std::unique_ptr<QgsVectorLayer> mPins;
    std::unique_ptr<QgsVectorLayer> mAlerts;
    std::unique_ptr<QgsVectorLayer> mCounts;
    std::unique_ptr<QgsVectorLayer> mChoropleth;
    std::unique_ptr<QgsVectorLayer> mCommunityCounts;
    DistrictView mView = DistrictView::Counts;
    bool mLoading = false;
    Measure mMeasure = Measure::Open;
    struct Entry
    {
      CasePin pin;
      qint64 fid = 0;
      bool alerting = false; //!< which layer holds the pin
    };
    QHash<QString, Entry> mPinsByNumber;
    struct GridCount
    {
      int open = 0;
      int overdue = 0;
      int newToday = 0;
    };
    QHash<QString, GridCount> mCountByGrid;
    //! Replaces every grid's count by \a counts and redraws the summaries.
    void replaceCounts(const QHash<QString, GridCount> &counts);
    QHash<QString, GridCount> mCountByCommunity;
    QHash<QString, std::pair<double, double>> mCommunityAnchors;
    QHash<QString, qint64> mCommunityCountFid;
    QHash<QString, qint64> mCountFidByGrid;
    QHash<QString, std::pair<double, double>> mAnchors;
    QHash<QString, qint64> mChoroplethFidByGrid;
};

} // namespace gd::map
