#pragma once
// Windows that fit the screen they open on: a console runs on 1366×768 laptops as well as on
// 1920×1080 desks and wall outputs, and a window taller or wider than its screen hides its
// bottom (status bar, tabs, clock) where no one can reach it.

#include <QMargins>
#include <QRect>
#include <QSize>

class QScreen;
class QScrollArea;
class QWidget;

namespace gd::console {

/**
 * Returns \a wanted shrunk to \a available (but never below \a minimum) and moved so that it
 * lies within \a available as far as its size allows. \a frame is what the window manager adds
 * around the window (title bar, borders): the window plus its frame must fit.
 */
QRect fitRect(const QRect &wanted, const QRect &available, const QSize &minimum = {}, const QMargins &frame = {});

//! The screen \a window is on, or will open on: the one holding its centre, else its parent's, else the primary screen.
QScreen *screenOf(const QWidget *window);

//! What the window manager adds around top-level \a window: measured once it is shown, an estimate before.
QMargins frameMarginsOf(const QWidget *window);

//! Moves and shrinks top-level \a window so that it and its frame lie within its screen's available geometry.
void fitToScreen(QWidget *window);

/**
 * Sets the geometry of top-level \a window (not shown yet) to \a preferred size, or smaller
 * when its screen has no room for that, centred on the screen of \a anchor (its own when null).
 */
void placeFitted(QWidget *window, const QSize &preferred, const QWidget *anchor = nullptr);

/**
 * Shows top-level \a window at \a preferred size, or smaller when its screen has no room for
 * that, centred on the screen of \a anchor (its own when null).
 */
void showFitted(QWidget *window, const QSize &preferred, const QWidget *anchor = nullptr);

/**
 * Returns \a panel in a frameless scroll area that lets a dock be shorter (and narrower) than
 * the panel needs: the panel scrolls instead of the dock forcing the window's minimum size up.
 */
QScrollArea *scrollable(QWidget *panel, QWidget *parent);

} // namespace gd::console
