#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QStringList>
#include <QString>

#include <vector>

namespace gd::console {

//! One row of the case queue: a value copied from the store, never a pointer into it.
struct CaseQueueRow
{
  QString number;
  QString category;
  QString grid;
  QString source;
  QString state;
  QString leadDepartment;
  QDateTime deadline;
  QString light; //!< SLA traffic light: green, yellow, red or none
};

/**
 * The case queue: a table model over case rows.
 *
 * Views sort and filter it through a proxy; rows arrive and change in batches so that a
 * burst from the feed becomes one layout change instead of thousands.
 */
class CaseQueueModel : public QAbstractTableModel
{
    Q_OBJECT

  public:
    enum Column
    {
      Number,
      Category,
      Grid,
      Source,
      State,
      LeadDepartment,
      Deadline,
      ColumnCount
    };

    explicit CaseQueueModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    //! Returns the operator-facing (translated) name of workflow state \a state ("assigned" …).
    static QString stateTitle(const QString &state);
    //! Returns the operator-facing (translated) name of report source \a source ("patrol" …).
    static QString sourceTitle(const QString &source);

    //! Replaces every row at once.
    void setRows(std::vector<CaseQueueRow> rows);

    /**
     * Applies a batch: rows with a known number are updated in place, new ones appended, and
     * \a removedNumbers taken out. Views keep their sorting and filtering through the proxy.
     */
    void applyChanges(const std::vector<CaseQueueRow> &upserts, const QStringList &removedNumbers);

    //! Returns the row index of case \a number, or -1.
    int rowOf(const QString &number) const;

  private:
    std::vector<CaseQueueRow> mRows;
    QHash<QString, int> mRowByNumber;
};

} // namespace gd::console
