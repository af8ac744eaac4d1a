#pragma once

#include <QDateTime>
#include <QSortFilterProxyModel>
#include <QStringList>

namespace gd::console {

class CaseQueueModel;

//! What the case queue shows; empty fields do not filter.
struct CaseQueueCriteria
{
  QStringList states;     //!< state names; empty: every state
  QString category;       //!< a 4-digit category or a 2-digit family
  QString gridPrefix;     //!< a grid code of any level: its whole subtree
  QString department;     //!< lead department code
  QString source;         //!< "patrol", "hotline" …
  QString priority;       //!< "normal", "urgent", "emergency"
  bool overdueOnly = false;
  bool dueSoonOrOverdue = false; //!< yellow or red
  QDateTime reportedFrom; //!< reported at or after
  QDateTime reportedTo;   //!< reported before
  QString text;           //!< in the number, category, title, address, grid or department (any case)

  bool operator==(const CaseQueueCriteria &other) const = default;
};

/**
 * The case queue's sorting and filtering over CaseQueueModel. Filtering reads the row values
 * directly (codes, not display text), so 100,000 rows filter in milliseconds; sorting uses
 * CaseQueueModel::SortRole so deadlines sort as times. Rows arriving from the feed are placed
 * into the sorted, filtered view as they come (dynamic sort and filter).
 */
class CaseQueueFilter : public QSortFilterProxyModel
{
    Q_OBJECT

  public:
    explicit CaseQueueFilter(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    //! Replaces the criteria and re-filters.
    void setCriteria(const CaseQueueCriteria &criteria);
    const CaseQueueCriteria &criteria() const { return mCriteria; }

    //! Sets only the free text (the search field as the operator types).
    void setText(const QString &text);

    //! Case number at proxy row \a row.
    QString numberAt(int row) const;
    //! Proxy row of case \a number, or -1 when it is filtered out or unknown.
    int proxyRowOf(const QString &number) const;

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

  private:
    CaseQueueModel *mModel = nullptr;
    CaseQueueCriteria mCriteria;
};

} // namespace gd::console
