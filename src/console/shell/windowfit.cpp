#include "console/shell/windowfit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QScrollArea>
#include <QWidget>
#include <QWindow>

#include <algorithm>

namespace gd::console {

namespace {

//! Before a window is shown its frame is unknown: room for a usual title bar and thin borders.
const QMargins kEstimatedFrame(4, 30, 4, 4);

int clampedStart(int start, int length, int availableStart, int availableLength)
{
  // Too long to fit: it starts where the room starts (its title bar stays reachable).
  if (length >= availableLength)
    return availableStart;
  return std::clamp(start, availableStart, availableStart + availableLength - length);
}

} // namespace

QRect fitRect(const QRect &wanted, const QRect &available, const QSize &minimum, const QMargins &frame)
{
  if (!available.isValid())
    return wanted;
  const QRect room = available.marginsRemoved(frame);
  const QSize size(std::max(std::min(wanted.width(), room.width()), minimum.width()),
                   std::max(std::min(wanted.height(), room.height()), minimum.height()));
  return QRect(QPoint(clampedStart(wanted.x(), size.width(), room.x(), room.width()),
                      clampedStart(wanted.y(), size.height(), room.y(), room.height())),
               size);
}

QScreen *screenOf(const QWidget *window)
{
  if (window)
  {
    if (QScreen *screen = QGuiApplication::screenAt(window->geometry().center()); screen && window->isVisible())
      return screen;
    if (const QWindow *handle = window->windowHandle())
      if (handle->screen())
        return handle->screen();
    if (const QWidget *parent = window->parentWidget())
      return screenOf(parent->window());
  }
  return QGuiApplication::primaryScreen();
}

QMargins frameMarginsOf(const QWidget *window)
{
  if (window->isVisible())
  {
    const QRect outer = window->frameGeometry();
    const QRect inner = window->geometry();
    const QMargins measured(inner.left() - outer.left(), inner.top() - outer.top(), outer.right() - inner.right(),
                            outer.bottom() - inner.bottom());
    // A window manager that has not framed the window yet reports no frame: estimate it then.
    if (!measured.isNull())
      return measured;
  }
  return kEstimatedFrame;
}

void fitToScreen(QWidget *window)
{
  QScreen *screen = screenOf(window);
  if (!screen)
    return;
  const QRect fitted = fitRect(window->geometry(), screen->availableGeometry(), window->minimumSize(), frameMarginsOf(window));
  if (fitted != window->geometry())
    window->setGeometry(fitted);
}

void placeFitted(QWidget *window, const QSize &preferred, const QWidget *anchor)
{
  QScreen *screen = screenOf(anchor ? anchor->window() : window);
  if (!screen)
  {
    window->resize(preferred);
    return;
  }
  const QRect available = screen->availableGeometry();
  QRect wanted(QPoint(0, 0), preferred);
  wanted.moveCenter(available.center());
  window->setGeometry(fitRect(wanted, available, window->minimumSize(), frameMarginsOf(window)));
}

void showFitted(QWidget *window, const QSize &preferred, const QWidget *anchor)
{
  placeFitted(window, preferred, anchor);
  window->show();
}

QScrollArea *scrollable(QWidget *panel, QWidget *parent)
{
  auto *area = new QScrollArea(parent);
  area->setObjectName(panel->objectName().isEmpty() ? QStringLiteral("panelScrollArea") : panel->objectName() + QStringLiteral("Scroll"));
  area->setFrameShape(QFrame::NoFrame);
  // The panel fills the dock when the dock is large enough, and scrolls when it is not.
  area->setWidgetResizable(true);
  area->setWidget(panel);
  return area;
}

} // namespace gd::console
