#pragma once

#include "map/casepin.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

class QgsPointXY;
class QgsVectorLayer;

namespace gd::map {

/**
 * The live case layers: one pin per open case, and per grid the count of its open cases.
 *
 * Both are memory layers changed in place through their providers, so a batch of changes
 * repaints the pins without reloading anything. Pins are coloured by SLA traffic light, shaped
 * by category family and sized by priority. Zoomed out beyond 1:40,000 the ordinary pins give
 * way to per-grid counts, while overdue and emergency pins stay visible at every zoom.
 * GUI thread only.
 */
class LiveCaseLayer
{
  public:
    LiveCaseLayer();
    ~LiveCaseLayer();

    //! The scale denominator beyond which ordinary pins are replaced by per-grid counts.
    static constexpr double kAggregateFromScale = 40000;

    QgsVectorLayer *pinLayer() const { return mPins.get(); }
    QgsVectorLayer *countLayer() const { return mCounts.get(); }

    /**
     * Sets where each grid's count is drawn (a point inside the grid, CGCS2000), by grid
     * code. Counts of grids without an anchor are kept but not drawn.
     */
    void setGridAnchors(const QHash<QString, QgsPointXY> &anchors);

    /**
     * Applies a batch: \a upserts are added or replace the pin of the same number, \a removed
     * numbers (closed, voided, merged cases) disappear. One repaint per batch.
     */
    void apply(const std::vector<CasePin> &upserts, const QStringList &removed = QStringList());

    //! The pin of case \a number, if shown.
    std::optional<CasePin> pin(const QString &number) const;
    //! The number of open cases counted for \a grid.
    int countInGrid(const QString &grid) const { return mCountByGrid.value(grid).open; }
    //! The number of overdue (red) open cases counted for \a grid.
    int overdueInGrid(const QString &grid) const { return mCountByGrid.value(grid).overdue; }
    int pinCount() const { return mPinsByNumber.size(); }

  private:
    void updateCount(const QString &grid);

    std::unique_ptr<QgsVectorLayer> mPins;
    std::unique_ptr<QgsVectorLayer> mCounts;
    struct Entry
    {
      CasePin pin;
      qint64 fid = 0;
    };
    QHash<QString, Entry> mPinsByNumber;
    struct GridCount
    {
      int open = 0;
      int overdue = 0;
    };
    QHash<QString, GridCount> mCountByGrid;
    QHash<QString, qint64> mCountFidByGrid;
    QHash<QString, std::pair<double, double>> mAnchors;
};

} // namespace gd::map
