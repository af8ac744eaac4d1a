#pragma once
// Read-only tables of the console's docks: whole-row selection, no editing, last column
// stretched; cells that can be selected but not edited, optionally carrying a key.

#include <QHeaderView>
#include <QStringList>
#include <QTableWidget>
#include <QVariant>

namespace gd::console {

inline QTableWidget *readOnlyTable(const QStringList &headers, QWidget *parent)
{
  auto *t = new QTableWidget(0, headers.size(), parent);
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->hide();
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->horizontalHeader()->setStretchLastSection(true);
  t->setWordWrap(false);
  return t;
}

inline QTableWidgetItem *readOnlyCell(const QString &text, const QVariant &key = {})
{
  auto *cell = new QTableWidgetItem(text);
  cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
  if (key.isValid())
    cell->setData(Qt::UserRole, key);
  return cell;
}

} // namespace gd::console
