#include "console/dispatch/casequeuemodel.h"
#include "console/common/datetimetext.h"

#include <QHash>
#include <QColor>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <cstdlib>
#include <limits>

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
  if (!index.isValid() || index.row() >= rowCount())
    return QVariant();
  const CaseQueueRow &row = mRows[static_cast<std::size_t>(index.row())];
  const auto column = static_cast<Column>(index.column());
  if (role == Qt::DecorationRole && column == Deadline)
  {
    // The SLA light, drawn once per colour.
    static const QHash<QString, QColor> colours{{QStringLiteral("green"), QColor(46, 160, 67)},
                                                {QStringLiteral("yellow"), QColor(230, 170, 0)},
                                                {QStringLiteral("red"), QColor(215, 38, 38)}};
    const auto it = colours.constFind(row.light);
    if (it == colours.constEnd())
      return QVariant();
    static QHash<QString, QIcon> icons;
    if (!icons.contains(row.light))
    {
      QPixmap pixmap(12, 12);
      pixmap.fill(Qt::transparent);
      QPainter painter(&pixmap);
      painter.setRenderHint(QPainter::Antialiasing);
      painter.setBrush(*it);
      painter.setPen(Qt::NoPen);
      painter.drawEllipse(1, 1, 10, 10);
      icons.insert(row.light, QIcon(pixmap));
    }
    return icons.value(row.light);
  }
  if (role == Qt::ForegroundRole && column == Remaining && row.light == QLatin1String("red"))
    return QColor(215, 38, 38);
  if (role == Qt::ToolTipRole && column == Deadline && !row.light.isEmpty())
    return lightTitle(row.light);
  if (role == SortRole)
  {
    switch (column)
    {
      case Deadline:
      case Remaining:
        // Cases without a running clock sort after every deadline.
        return row.deadlineKey;
      default:
        return data(index, Qt::DisplayRole);
    }
  }
  if (role != Qt::DisplayRole)
    return QVariant();
  switch (column)
  {
    case Number:
      return row.number;
    case Category:
      return row.category;
    case Grid:
      return row.grid;
    case Source:
      return sourceTitle(row.source);
    case State:
      return stateTitle(row.state);
    case LeadDepartment:
      return row.leadDepartment;
    case Deadline:
      return row.deadline.isValid() ? minuteText(row.deadline) : QString();
    case Remaining:
      return row.deadline.isValid() ? remainingText(row.deadlineKey - nowSecs()) : QString();
    case ColumnCount:
      break;
  }
  return QVariant();
}

QString CaseQueueModel::lightTitle(const QString &light)
{
  if (light == QLatin1String("green"))
    return tr("On time");
  if (light == QLatin1String("yellow"))
    return tr("Due soon (over 80 % of the time used)");
  if (light == QLatin1String("red"))
    return tr("Overdue");
  return tr("No time limit running");
}

QString CaseQueueModel::remainingText(const QDateTime &deadline, const QDateTime &now)
{
  return deadline.isValid() ? remainingText(now.secsTo(deadline)) : QString();
}

QString CaseQueueModel::remainingText(qint64 seconds)
{
  const bool overdue = seconds < 0;
  seconds = std::abs(seconds);
  const qint64 days = seconds / 86400;
  const qint64 hours = (seconds % 86400) / 3600;
  const qint64 minutes = (seconds % 3600) / 60;
  QString span;
  if (days > 0)
    span = tr("%1 d %2 h").arg(days).arg(hours);
  else if (hours > 0)
    span = tr("%1 h %2 min").arg(hours).arg(minutes);
  else
    span = tr("%1 min").arg(minutes);
  return overdue ? tr("overdue %1").arg(span) : span;
}

void CaseQueueModel::setNow(const QDateTime &now)
{
  mNow = now;
  tick();
}

qint64 CaseQueueModel::nowSecs() const
{
  // Seconds since the epoch, not a local QDateTime: converting "now" to local time reads
  // the zone file (tzset) on every call, once per painted cell.
  return mNow.isValid() ? mNow.toSecsSinceEpoch() : QDateTime::currentSecsSinceEpoch();
}

void CaseQueueModel::tick()
{
  if (!mRows.empty())
    emit dataChanged(index(0, Remaining), index(rowCount() - 1, Remaining), {Qt::DisplayRole, Qt::ForegroundRole});
}

QString CaseQueueModel::stateTitle(const QString &state)
{
  static const QHash<QString, const char *> titles{
    {QStringLiteral("reported"), QT_TR_NOOP("Reported")},       {QStringLiteral("registered"), QT_TR_NOOP("Registered")},
    {QStringLiteral("accepted"), QT_TR_NOOP("Accepted")},       {QStringLiteral("assigned"), QT_TR_NOOP("Assigned")},
    {QStringLiteral("in_handling"), QT_TR_NOOP("In handling")}, {QStringLiteral("handled"), QT_TR_NOOP("Handled")},
    {QStringLiteral("closed"), QT_TR_NOOP("Closed")},           {QStringLiteral("visited"), QT_TR_NOOP("Visited")},
    {QStringLiteral("archived"), QT_TR_NOOP("Archived")},       {QStringLiteral("parked"), QT_TR_NOOP("Parked")},
    {QStringLiteral("voided"), QT_TR_NOOP("Voided")},           {QStringLiteral("merged"), QT_TR_NOOP("Merged")},
  };
  const auto it = titles.constFind(state);
  return it == titles.constEnd() ? state : tr(*it);
}

QString CaseQueueModel::sourceTitle(const QString &source)
{
  static const QHash<QString, const char *> titles{
    {QStringLiteral("patrol"), QT_TR_NOOP("Grid patrol")},   {QStringLiteral("hotline"), QT_TR_NOOP("12345 hotline")},
    {QStringLiteral("police"), QT_TR_NOOP("110 police")},    {QStringLiteral("video"), QT_TR_NOOP("Video analytics")},
    {QStringLiteral("citizen"), QT_TR_NOOP("Citizen")},      {QStringLiteral("sensor"), QT_TR_NOOP("Sensor")},
  };
  const auto it = titles.constFind(source);
  return it == titles.constEnd() ? source : tr(*it);
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
    case Remaining:
      return tr("Time left");
    case ColumnCount:
      break;
  }
  return QVariant();
}

namespace {

void setKeys(CaseQueueRow &row)
{
  row.deadlineKey = row.deadline.isValid() ? row.deadline.toSecsSinceEpoch() : std::numeric_limits<qint64>::max();
}

} // namespace

void CaseQueueModel::setRows(std::vector<CaseQueueRow> rows)
{
  beginResetModel();
  mRows = std::move(rows);
  for (CaseQueueRow &row : mRows)
    setKeys(row);
  mRowByNumber.clear();
  for (std::size_t i = 0; i < mRows.size(); ++i)
    mRowByNumber.insert(mRows[i].number, static_cast<int>(i));
  endResetModel();
}

int CaseQueueModel::rowOf(const QString &number) const
{
  return mRowByNumber.value(number, -1);
}

void CaseQueueModel::applyChanges(const std::vector<CaseQueueRow> &upserts, const QStringList &removedNumbers)
{
  // Removals first, from the bottom up so earlier indexes stay valid; each is one
  // beginRemoveRows so a sorted proxy keeps its order without a reset.
  std::vector<int> removedRows;
  for (const QString &number : removedNumbers)
    if (const int row = rowOf(number); row >= 0)
      removedRows.push_back(row);
  std::sort(removedRows.begin(), removedRows.end());
  removedRows.erase(std::unique(removedRows.begin(), removedRows.end()), removedRows.end());
  for (auto it = removedRows.rbegin(); it != removedRows.rend(); ++it)
  {
    mRowByNumber.remove(mRows[static_cast<std::size_t>(*it)].number);
    beginRemoveRows(QModelIndex(), *it, *it);
    mRows.erase(mRows.begin() + *it);
    endRemoveRows();
  }
  if (!removedRows.empty())
  {
    // Shift the surviving rows' positions in place: rebuilding the hash of 100,000
    // numbers freed and allocated every node and was most of a live batch's time.
    for (auto entry = mRowByNumber.begin(); entry != mRowByNumber.end(); ++entry)
      entry.value() -= static_cast<int>(std::upper_bound(removedRows.begin(), removedRows.end(), entry.value()) - removedRows.begin());
  }

  std::vector<CaseQueueRow> added;
  for (const CaseQueueRow &row : upserts)
  {
    const int existing = rowOf(row.number);
    if (existing < 0)
    {
      added.push_back(row);
      continue;
    }
    mRows[static_cast<std::size_t>(existing)] = row;
    setKeys(mRows[static_cast<std::size_t>(existing)]);
    emit dataChanged(index(existing, 0), index(existing, ColumnCount - 1));
  }
  if (!added.empty())
  {
    const int first = static_cast<int>(mRows.size());
    beginInsertRows(QModelIndex(), first, first + static_cast<int>(added.size()) - 1);
    for (CaseQueueRow &row : added)
    {
      mRowByNumber.insert(row.number, static_cast<int>(mRows.size()));
      setKeys(row);
      mRows.push_back(std::move(row));
    }
    endInsertRows();
  }
}

} // namespace gd::console
