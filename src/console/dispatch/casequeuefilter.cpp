#include "console/dispatch/casequeuefilter.h"

#include "console/dispatch/casequeuemodel.h"

namespace gd::console {

CaseQueueFilter::CaseQueueFilter(QObject *parent)
  : QSortFilterProxyModel(parent)
{
  setSortRole(CaseQueueModel::SortRole);
  setDynamicSortFilter(true);
}

void CaseQueueFilter::setSourceModel(QAbstractItemModel *model)
{
  mModel = qobject_cast<CaseQueueModel *>(model);
  QSortFilterProxyModel::setSourceModel(model);
}

void CaseQueueFilter::setCriteria(const CaseQueueCriteria &criteria)
{
  if (criteria == mCriteria)
    return;
  mCriteria = criteria;
  // invalidate(), not invalidateFilter(): the latter removes and inserts rows range by range,
  // which for a scattered 20,000 of 100,000 rows costs seconds in the view; a new criterion
  // is a new list anyway.
  invalidate();
}

void CaseQueueFilter::setText(const QString &text)
{
  if (text == mCriteria.text)
    return;
  mCriteria.text = text;
  invalidate();
}

QString CaseQueueFilter::numberAt(int row) const
{
  const QModelIndex source = mapToSource(index(row, 0));
  return source.isValid() && mModel ? mModel->row(source.row()).number : QString();
}

int CaseQueueFilter::proxyRowOf(const QString &number) const
{
  if (!mModel)
    return -1;
  const int sourceRow = mModel->rowOf(number);
  if (sourceRow < 0)
    return -1;
  return mapFromSource(mModel->index(sourceRow, 0)).row();
}

bool CaseQueueFilter::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
  if (!mModel)
    return QSortFilterProxyModel::lessThan(left, right);
  // Compared on the row values, never through QVariant and display text: 100,000 rows take
  // some two million comparisons per sort.
  const CaseQueueRow &a = mModel->row(left.row());
  const CaseQueueRow &b = mModel->row(right.row());
  auto byDeadline = [&] { return a.deadlineKey != b.deadlineKey ? a.deadlineKey < b.deadlineKey : a.number < b.number; };
  switch (static_cast<CaseQueueModel::Column>(left.column()))
  {
    case CaseQueueModel::Number:
      return a.number < b.number;
    case CaseQueueModel::Category:
      return a.categoryCode != b.categoryCode ? a.categoryCode < b.categoryCode : byDeadline();
    case CaseQueueModel::Grid:
      return a.gridCode != b.gridCode ? a.gridCode < b.gridCode : byDeadline();
    case CaseQueueModel::Source:
      return a.source != b.source ? a.source < b.source : byDeadline();
    case CaseQueueModel::State:
      return a.state != b.state ? a.state < b.state : byDeadline();
    case CaseQueueModel::LeadDepartment:
      return a.departmentCode != b.departmentCode ? a.departmentCode < b.departmentCode : byDeadline();
    case CaseQueueModel::Deadline:
    case CaseQueueModel::Remaining:
    case CaseQueueModel::ColumnCount:
      break;
  }
  return byDeadline();
}

bool CaseQueueFilter::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
  if (!mModel)
    return true;
  const CaseQueueRow &row = mModel->row(sourceRow);
  const CaseQueueCriteria &c = mCriteria;
  if (!c.states.isEmpty() && !c.states.contains(row.state))
    return false;
  if (!c.category.isEmpty() && !row.categoryCode.startsWith(c.category))
    return false;
  if (!c.gridPrefix.isEmpty() && !row.gridCode.startsWith(c.gridPrefix))
    return false;
  if (!c.department.isEmpty() && row.departmentCode != c.department)
    return false;
  if (!c.source.isEmpty() && row.source != c.source)
    return false;
  if (!c.priority.isEmpty() && row.priority != c.priority)
    return false;
  if (c.overdueOnly && row.light != QLatin1String("red"))
    return false;
  if (c.dueSoonOrOverdue && row.light != QLatin1String("red") && row.light != QLatin1String("yellow"))
    return false;
  if (c.reportedFrom.isValid() && row.reportedAt < c.reportedFrom)
    return false;
  if (c.reportedTo.isValid() && row.reportedAt >= c.reportedTo)
    return false;
  if (!c.text.isEmpty())
  {
    const QString &t = c.text;
    const bool found = row.number.contains(t, Qt::CaseInsensitive) || row.category.contains(t, Qt::CaseInsensitive)
                       || row.title.contains(t, Qt::CaseInsensitive) || row.address.contains(t, Qt::CaseInsensitive)
                       || row.gridCode.startsWith(t) || row.leadDepartment.contains(t, Qt::CaseInsensitive);
    if (!found)
      return false;
  }
  return true;
}

} // namespace gd::console
