// A window whose map is being redrawn when it closes. QgsMapCanvas::stopRendering() (called by
// every refresh that meets a render under way: live pins make many) lets the old render job run
// on, detached, to its end, with a raw pointer to the canvas's render cache; if the canvas is
// deleted first, the job's end writes into freed memory (seen as a crash in
// QgsMapRendererCache::setCacheImageWithParameters from QgsMapRendererCustomPainterJob::
// futureFinished in command_test; QField fixed the same, opengisch/QField#7862). The console
// waits for such jobs before its canvases go (MainWindow's destructor).
#include "consolefixture.h"

#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"

#include <qgsmapcanvas.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <gtest/gtest.h>

using gd::console::MainWindow;

TEST(CanvasTeardown, AWindowClosedWhileItsMapIsRedrawnLeavesNoRenderJobBehind)
{
  const auto store = gd::consoletest::makeConsoleStore(20);
  for (int round = 0; round < 12; ++round)
  {
    auto window = std::make_unique<MainWindow>();
    QString error;
    ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
    ASSERT_TRUE(window->session()->waitForCases());
    window->resize(1400, 900);
    window->show();
    QgsMapCanvas *canvas = window->mapCanvas();
    // A render under way, then another refresh: the first job is detached, still running.
    canvas->refreshAllLayers();
    QElapsedTimer waited;
    waited.start();
    while (!canvas->isDrawing() && waited.elapsed() < 5000)
      QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    canvas->refreshAllLayers();
    waited.restart();
    while (waited.elapsed() < 2 * round) // each round closes at another point of the render
      QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    window.reset();
    // Whatever the detached jobs still had to deliver arrives now.
    waited.restart();
    while (waited.elapsed() < 300)
      QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  }
  SUCCEED();
}
