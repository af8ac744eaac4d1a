#pragma once
// A scripted walk through the operator's work for documentation screenshots: the queue, a
// case with its timeline, the intake form, a duplicate suggestion and an assignment, each
// saved as a PNG of the whole screen (dialogs included), then the console quits.

#include <QString>

namespace gd::console {
class MainWindow;
}

namespace gd::apps {

//! Starts the tour on \a window once the event loop runs; screenshots go to \a dir.
//! \a done receives the exit code (0, or 1 when a step failed; the reason goes to stderr).
void startTour(console::MainWindow &window, const QString &dir, int *exitCode);

} // namespace gd::apps
