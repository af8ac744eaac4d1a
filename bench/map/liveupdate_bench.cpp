// Live-update benchmark (issue: the GIS map). A writer thread commits new cases to a store
// file at a steady rate (default 1,000 a second) while the console's pipeline runs as in the
// product: StoreWatcher (own thread, own connection) → coalesced batches on the GUI thread
// (≤ 10 Hz) → LiveCaseLayer → QgsMapCanvas refresh (rendered by QGIS's parallel job).
// Prints how long a committed change takes to be on a finished canvas render (p50/p99/max)
// and how long the GUI thread was ever kept from its event loop (a 10 ms probe timer's
// lateness), beside a baseline: the same canvas with no changes arriving.
//
//   liveupdate_bench [--rate N] [--seconds S]
// GD_BENCH_HALOS=1 draws the boundary halos, GD_BENCH_ALL_LABELS=1 leaves every layer's labels
// on (out of range too), as before this was measured.
#include "console/session/storewatcher.h"
#include "core/demodistrict.h"
#include "map/caselayer.h"
#include "map/gridlayers.h"
#include "map/mapstyles.h"
#include "map/qgisenvironment.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/schema.h"

#include "liveupdatewriter.h"

#include <qgsapplication.h>
#include <qgsfeatureiterator.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsvectorlayer.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace {

double percentile(std::vector<double> values, double p)
{
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

struct Probe
{
  std::vector<double> lateness;
  QElapsedTimer clock;
  qint64 last = 0;
};

//! Runs the event loop for \a seconds with a 10 ms probe; returns lateness samples (ms).
std::vector<double> probeFor(double seconds)
{
  Probe probe;
  probe.clock.start();
  QTimer timer;
  timer.setTimerType(Qt::PreciseTimer);
  timer.setInterval(10);
  QObject::connect(&timer, &QTimer::timeout, [&probe] {
    const qint64 now = probe.clock.nsecsElapsed();
    if (probe.last)
      probe.lateness.push_back(std::max(0.0, static_cast<double>(now - probe.last) / 1e6 - 10.0));
    probe.last = now;
  });
  timer.start();
  QEventLoop loop;
  QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
  loop.exec();
  return probe.lateness;
}

} // namespace

int main(int argc, char **argv)
{
  int rate = 1000;
  double seconds = 20;
  for (int i = 1; i < argc; ++i)
  {
    if (!std::strcmp(argv[i], "--rate") && i + 1 < argc)
      rate = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc)
      seconds = std::atof(argv[++i]);
    else
    {
      std::fprintf(stderr, "usage: liveupdate_bench [--rate N] [--seconds S]\n");
      return 2;
    }
  }
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QgsApplication app(argc, argv, true);
  gd::map::QgisEnvironment qgis;

  QTemporaryDir tmp;
  const QString path = tmp.filePath(QStringLiteral("live.gpkg"));
  const gd::core::DemoDistrict district = gd::core::generateDemoDistrict();
  {
    auto db = gd::store::Schema::openOrCreate(path.toStdString());
    gd::store::writeDemoDistrict(*db, district);
  }

  // As the console does: grids built from the tree, never read from the file through OGR.
  auto grids = gd::map::GridLayers::fromTree(district.tree, gd::map::defaultStyleDir());
  gd::map::LiveCaseLayer cases;
  cases.setGrids(grids->areas(gd::core::GridLevel::Grid));
  cases.setCommunities(grids->areas(gd::core::GridLevel::Community));
  QgsMapCanvas canvas;
  canvas.resize(1920, 1080);
  canvas.setDestinationCrs(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4542")));
  canvas.setCachingEnabled(true); // as MainWindow
  QList<QgsMapLayer *> layers = cases.layers();
  layers << grids->layers();
  canvas.setLayers(layers);
  canvas.show();
  canvas.setExtent(canvas.mapSettings().layerExtentToOutputExtent(grids->layer(gd::core::GridLevel::District),
                                                                  grids->layer(gd::core::GridLevel::District)->extent()));
  // As MainWindow: no halos without a base map, labels on only where they show at this scale
  // (GD_BENCH_HALOS=1 / GD_BENCH_ALL_LABELS=1 leave either as the styles have it, for comparison).
  grids->setBoundaryHalos(qEnvironmentVariableIsSet("GD_BENCH_HALOS"));
  if (!qEnvironmentVariableIsSet("GD_BENCH_ALL_LABELS"))
    gd::map::setLabelsForScale(canvas.layers(), canvas.scale());
  canvas.refresh();
  canvas.waitWhileRendering();

  // Baseline: the same canvas, nothing arriving, one refresh a second.
  QTimer idleRefresh;
  QObject::connect(&idleRefresh, &QTimer::timeout, &canvas, &QgsMapCanvas::refresh);
  idleRefresh.start(1000);
  const std::vector<double> idleLateness = probeFor(std::min(5.0, seconds / 2));
  idleRefresh.stop();

  // The pipeline under load.
  gd::bench::LiveUpdateWriter writer(path.toStdString(), district, rate);
  // As MainWindow does: a batch is applied at once; the canvas is refreshed at once when idle,
  // else right after the render under way completes. A case is on screen when a render that
  // started after it was applied has finished.
  std::vector<double> latencies;
  std::vector<QString> applied;  // applied, not yet in a started render
  std::vector<QString> inRender; // in the render under way
  bool refreshPending = false;
  auto requestRefresh = [&] {
    if (canvas.isDrawing())
    {
      refreshPending = true;
      return;
    }
    refreshPending = false;
    canvas.refresh();
  };
  gd::console::StoreWatcher watcher(path);
  QObject::connect(&watcher, &gd::console::StoreWatcher::changed, [&](const gd::console::StoreChanges &changes) {
    cases.apply(changes.cases, changes.closedCases);
    for (const auto &pin : changes.cases)
      applied.push_back(pin.number);
    requestRefresh();
  });
  std::vector<double> renderMs;
  QElapsedTimer renderClock;
  QObject::connect(&canvas, &QgsMapCanvas::renderStarting, [&] {
    renderClock.start();
    inRender.insert(inRender.end(), applied.begin(), applied.end());
    applied.clear();
  });
  QObject::connect(&canvas, &QgsMapCanvas::mapCanvasRefreshed, [&] {
    renderMs.push_back(static_cast<double>(renderClock.nsecsElapsed()) / 1e6);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const QString &number : inRender)
      if (const qint64 committed = writer.committedAtMs(number); committed > 0)
        latencies.push_back(static_cast<double>(nowMs - committed));
    inRender.clear();
    if (refreshPending)
      requestRefresh();
  });
  watcher.start();
  writer.start();
  const std::vector<double> loadLateness = probeFor(seconds);
  writer.stop();
  watcher.stop();

  std::printf("GridDispatch live map updates: %d changes/s for %.0f s, demo district, canvas 1920x1080\n", rate, seconds);
  std::printf("committed cases %zu (writer achieved %.0f/s), seen on a finished render %zu\n", writer.committed(),
              static_cast<double>(writer.committed()) / seconds, latencies.size());
  std::printf("commit -> on canvas:   p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms   (target p99 <= 300 ms)\n",
              percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1.0));
  std::printf("GUI thread blocked:    p99 %6.1f ms   max %6.1f ms under load; baseline idle p99 %5.1f ms max %5.1f ms"
              "   (target max <= 50 ms)\n",
              percentile(loadLateness, 0.99), percentile(loadLateness, 1.0), percentile(idleLateness, 0.99),
              percentile(idleLateness, 1.0));
  std::printf("canvas renders: %zu, p50 %.1f ms, p99 %.1f ms (caching on: only the live layers redraw)\n", renderMs.size(),
              percentile(renderMs, 0.5), percentile(renderMs, 0.99));
  std::printf("open case pins at the end: %d\n", cases.pinCount());
  return 0;
}
