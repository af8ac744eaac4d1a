#include "console/casequeuemodel.h"

#include <QLocale>

namespace gd::console {

CaseQueueModel::CaseQueueModel(QObject *parent)
  : QAbstractTableModel(parent)
{
}

int CaseQueueModel::rowCount(const QModelIndex &parent) const
{
  return parent.isValid() ? 0 : static_cast<int>(mRows.size());
}

int CaseQueueModel::columnCount(const QModelIndex &parent) const
{
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CaseQueueModel::data(const QModelIndex &index, int role) const
{
  if (!index.isValid() || index.row() >= rowCount() || role != Qt::DisplayRole)
    return QVariant();
  const CaseQueueRow &row = mRows[static_cast<std::size_t>(index.row())];
  switch (static_cast<Column>(index.column()))
  {
    case Number:
      return row.number;
    case Category:
      return row.category;
    case Grid:
      return row.grid;
    case Source:
      return row.source;
    case State:
      return row.state;
    case LeadDepartment:
      return row.leadDepartment;
    case Deadline:
      return QLocale().toString(row.deadline, QLocale::ShortFormat);
    case ColumnCount:
      break;
  }
  return QVariant();
}

QVariant CaseQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
    return QAbstractTableModel::headerData(section, orientation, role);
  switch (static_cast<Column>(section))
  {
    case Number:
      return tr("Case number");
    case Category:
      return tr("Category");
    case Grid:
      return tr("Grid");
    case Source:
      return tr("Source");
    case State:
      return tr("State");
    case LeadDepartment:
      return tr("Lead department");
    case Deadline:
      return tr("Deadline");
    case ColumnCount:
      break;
  }
  return QVariant();
}

void CaseQueueModel::setRows(std::vector<CaseQueueRow> rows)
{
  beginResetModel();
  mRows = std::move(rows);
  endResetModel();
}

} // namespace gd::console
