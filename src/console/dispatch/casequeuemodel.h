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
  QString category;       //!< "0301 消防通道": code and name
  QString grid;           //!< the 网格 (level-3) code
  QString source;         //!< source name ("patrol" …)
  QString state;          //!< state name ("assigned" …)
  QString leadDepartment; //!< the lead department's name
  QDateTime deadline;     //!< the running stage's deadline (invalid when none runs)
  QString light;          //!< SLA traffic light: green, yellow, red or none
  // What the filters look at, beside what is shown:
  QString categoryCode;   //!< "0301"
  QString gridCode;       //!< the micro-grid (or deepest grid) code; subtree filters match its prefix
  QString departmentCode; //!< lead department code
  QString priority;       //!< "normal", "urgent", "emergency"
  QDateTime reportedAt;
  QString title;
  QString address;
  //! The deadline in seconds since the epoch (max without one), set by the model: sorting
  //! 100,000 rows compares it ~2 million times, and QDateTime's zone arithmetic is too slow.
  qint64 deadlineKey = 0;
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
    //! What a dispatcher reads first comes first: at 1366 px the queue dock shows four or five
    //! columns, and the state and the time left must be among them.
    enum Column
    {
      Number, //!< stays first: index(row, 0) is the row's case
      State,
      Remaining,
      Category,
      Grid,
      LeadDepartment,
      Deadline,
      Source,
      ColumnCount
    };

    //! Sorting keys (what the proxy sorts on: times as numbers, not their display text).
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit CaseQueueModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    //! Returns the operator-facing (translated) name of workflow state \a state ("assigned" …).
    static QString stateTitle(const QString &state);
    //! Returns the operator-facing (translated) name of SLA light \a light ("red" …).
    static QString lightTitle(const QString &light);
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
    //! Returns row \a row (0 <= row < rowCount()).
    const CaseQueueRow &row(int row) const { return mRows[static_cast<std::size_t>(row)]; }

    /**
     * The remaining time to \a deadline at \a now in words ("3 h 20 min", "overdue 2 d 4 h"),
     * or an empty string without a deadline.
     */
    static QString remainingText(const QDateTime &deadline, const QDateTime &now);
    //! The same for \a seconds left (negative when overdue).
    static QString remainingText(qint64 seconds);

    //! The instant remaining times are measured from (the current time unless set, for tests).
    void setNow(const QDateTime &now);
    //! Re-evaluates the remaining times (called every few seconds by the window).
    void tick();

  private:
    qint64 nowSecs() const;

    std::vector<CaseQueueRow> mRows;
    QDateTime mNow;
    QHash<QString, int> mRowByNumber;
};

} // namespace gd::console
