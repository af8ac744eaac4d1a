#include "console/casequeuefilter.h"

#include "console/casequeuemodel.h"

namespace gd::console {

CaseQueueFilter::CaseQueueFilter(QObject *parent)
  : QSortFilterProxyModel(parent)
{
  setSortRole(CaseQueueModel::SortRole);
  setDynamicSortFilter(true);
  setSortLocaleAware(true);
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
  invalidateFilter();
}

void CaseQueueFilter::setText(const QString &text)
{
  if (text == mCriteria.text)
    return;
  mCriteria.text = text;
  invalidateFilter();
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
