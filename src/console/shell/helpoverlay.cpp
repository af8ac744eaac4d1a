#include "console/shell/helpoverlay.h"

#include <QAction>
#include <QEvent>
#include <QKeyEvent>
#include <QPainter>

#include <algorithm>
#include <iterator>

namespace gd::console {

HelpOverlay::HelpOverlay(QWidget *parent)
  : QWidget(parent)
{
  setObjectName(QStringLiteral("helpOverlay"));
  setFocusPolicy(Qt::StrongFocus);
  hide();
  parent->installEventFilter(this);
}

void HelpOverlay::addGroup(const QString &group, const QList<QAction *> &actions)
{
  std::vector<Entry> entries;
  for (QAction *action : actions)
  {
    if (action->shortcut().isEmpty())
      continue;
    QString text = action->text();
    text.remove(QLatin1Char('&'));
    text.remove(QStringLiteral("…"));
    entries.push_back({text, action->shortcut().toString(QKeySequence::NativeText), action});
  }
  if (!entries.empty())
    mGroups.emplace_back(group, std::move(entries));
}

QStringList HelpOverlay::lines() const
{
  QStringList out;
  for (const auto &[group, entries] : mGroups)
    for (const Entry &entry : entries)
      if (entry.shown())
        out << QStringLiteral("%1: %2 — %3").arg(group, entry.text, entry.shortcut);
  return out;
}

void HelpOverlay::toggle()
{
  if (isVisible())
  {
    hide();
    return;
  }
  setGeometry(parentWidget()->rect());
  raise();
  show();
  setFocus();
}

bool HelpOverlay::eventFilter(QObject *watched, QEvent *event)
{
  if (watched == parentWidget() && event->type() == QEvent::Resize && isVisible())
    setGeometry(parentWidget()->rect());
  return QWidget::eventFilter(watched, event);
}

void HelpOverlay::paintEvent(QPaintEvent *)
{
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(rect(), QColor(10, 20, 35, 215));
  QFont titleFont = font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
  titleFont.setBold(true);
  QFont groupFont = font();
  groupFont.setPointSizeF(groupFont.pointSizeF() * 1.15);
  groupFont.setBold(true);
  QFont bodyFont = font();
  bodyFont.setPointSizeF(bodyFont.pointSizeF() * 1.1);

  const int margin = 40;
  painter.setPen(Qt::white);
  painter.setFont(titleFont);
  painter.drawText(QRect(margin, 20, width() - 2 * margin, 50), Qt::AlignLeft | Qt::AlignVCenter, tr("Keyboard shortcuts"));
  painter.setFont(bodyFont);
  painter.setPen(QColor(190, 200, 215));
  painter.drawText(QRect(margin, 62, width() - 2 * margin, 24), Qt::AlignLeft, tr("F1 or Esc closes this help."));

  // Columns of groups, filled top to bottom.
  const QFontMetrics body(bodyFont);
  const int lineHeight = body.height() + 6;
  const int columnWidth = 380;
  int x = margin;
  int y = 100;
  for (const auto &[group, all] : mGroups)
  {
    // A step the seat's role may not do is hidden (issue 17): so is its shortcut here.
    std::vector<Entry> entries;
    std::copy_if(all.begin(), all.end(), std::back_inserter(entries), [](const Entry &e) { return e.shown(); });
    if (entries.empty())
      continue;
    const int needed = lineHeight * (static_cast<int>(entries.size()) + 2);
    if (y + needed > height() - margin && y > 100)
    {
      x += columnWidth + 30;
      y = 100;
    }
    painter.setFont(groupFont);
    painter.setPen(QColor(120, 190, 255));
    painter.drawText(QRect(x, y, columnWidth, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, group);
    y += lineHeight + 2;
    painter.setFont(bodyFont);
    for (const Entry &entry : entries)
    {
      painter.setPen(Qt::white);
      painter.drawText(QRect(x, y, columnWidth - 130, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, entry.text);
      const QRect keyRect(x + columnWidth - 125, y + 2, 120, lineHeight - 4);
      painter.setPen(QColor(255, 255, 255, 60));
      painter.setBrush(QColor(255, 255, 255, 30));
      painter.drawRoundedRect(keyRect, 4, 4);
      painter.setPen(QColor(255, 230, 150));
      painter.drawText(keyRect, Qt::AlignCenter, entry.shortcut);
      y += lineHeight;
    }
    y += lineHeight / 2;
  }
}

void HelpOverlay::mousePressEvent(QMouseEvent *)
{
  hide();
}

void HelpOverlay::keyPressEvent(QKeyEvent *event)
{
  if (event->key() == Qt::Key_Escape || event->key() == Qt::Key_F1)
  {
    hide();
    return;
  }
  QWidget::keyPressEvent(event);
}

} // namespace gd::console
