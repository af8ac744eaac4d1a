#pragma once
// Keeps the case queue still while the operator points at it.
//
// Live cases arrive several times a second; the queue is sorted, so each arrival moved the
// rows under the pointer and a shift-click selected cases the operator never meant. While
// the pointer is over the queue (or a selection drag is under way), arrivals and departures
// are held and a small bar over the queue says how many; clicking the bar, or the pointer
// leaving the queue, puts them in. Cases already in the queue are updated where they stand:
// their cells change, their rows do not move (the proxy's dynamic sorting and filtering
// pause) until the hold ends.

#include "console/dispatch/casequeuemodel.h"

#include <QObject>
#include <QSet>
#include <QStringList>

#include <map>
#include <vector>

class QAbstractItemView;
class QPushButton;

namespace gd::console {

class CaseQueueFilter;

class QueueHold : public QObject
{
    Q_OBJECT

  public:
    //! Holds \a model's changes as shown by \a view through \a proxy; all must outlive it.
    QueueHold(QAbstractItemView *view, CaseQueueModel *model, CaseQueueFilter *proxy, QObject *parent = nullptr);

    /**
     * A batch from the store: applied to the model at once when the queue is not held;
     * while it is, updates of cases in the queue are applied in place and everything that
     * would add, remove or move rows waits.
     */
    void apply(const std::vector<CaseQueueRow> &upserts, const QStringList &removedNumbers);

    //! Whether changes are held now (pointer over the queue, or a drag under way).
    bool isHolding() const { return mHovered || mDragging; }
    //! New cases waiting.
    int heldNewCases() const { return static_cast<int>(mHeldRows.size()); }
    //! Cases waiting to leave the queue.
    int heldRemovals() const { return mHeldRemovals.size(); }

    //! Puts in everything held (the bar's click; the pointer leaving the queue).
    void release();
    //! Forgets everything held (another store is opened).
    void clear();

    //! The "N new cases" bar over the queue.
    QPushButton *bar() const { return mBar; }
    //! The bar's text as shown (empty when hidden), for tests.
    QString barText() const;

  signals:
    //! What is held changed (counts as the bar shows them).
    void heldChanged(int newCases, int removals);
    //! What was held is in the queue now.
    void released();

  protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

  private:
    void freeze();
    void updateBar();
    void placeBar();

    QAbstractItemView *mView;
    CaseQueueModel *mModel;
    CaseQueueFilter *mProxy;
    QPushButton *mBar = nullptr;
    std::map<QString, CaseQueueRow> mHeldRows; //!< new cases by number, newest state
    QSet<QString> mHeldRemovals;
    QSet<QString> mUpdatedInPlace; //!< re-sorted and re-filtered when the hold ends
    bool mHovered = false;
    bool mDragging = false;
    bool mFrozen = false; //!< the proxy's dynamic sorting paused by this hold
};

} // namespace gd::console
