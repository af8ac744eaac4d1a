// District-view benchmark over a long case history (issue: the GIS map): a store with
// 1,000,000 cases (by default 3 % open, as bench_store_cases), opened and drawn the way the
// console does it (MainWindow::openStore) — grids, points of interest and the store's own
// per-grid counts read first (console::readStoreOverview), the district view drawn, while a
// reader thread (console::StoreLoader, its own connection) reads every open case and the GUI
// thread applies them in chunks to the live layer and the case queue, overdue and emergency
// cases first — at 1920×1080, beside plain QGIS (QgsMapRendererSequentialJob on the
// GeoPackage through OGR) drawing the same cases in the same run:
//   - plain QGIS, open cases as a heatmap (the cases layer filtered to is_open = 1, the
//     QGIS way to summarise a crowd of points at district zoom), and
//   - plain QGIS, every stored case as a point (what opening the store in QGIS gives).
// Cold is a fresh process each time (the program runs itself), from opening the store until
// the district view the operator sees is complete: the counts and every overdue or emergency
// pin (drawn at every zoom) on a finished render. The time until the counts alone are on
// screen, until every open case is on the map and in the queue, and the longest the GUI thread
// was held by one chunk are printed beside it. Warm is another render of the same view in that
// process; a second open of the store in it is the console's File ▸ Open again.
//
// With --db, the same console modes run on a PostgreSQL store in the same run (issue 16: the
// GeoPackage's figures are its baseline); plain QGIS reads the GeoPackage only.
//
//   districtview_bench [--cases N] [--open-percent P] [--runs N] [--cold N] [--store STORE] [--db CONNINFO]
//                      [--console-only]
#include "casehistory.h"
#include "benchmapsettings.h"

#include "console/dispatch/casequeuefilter.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/session/storeaccess.h"
#include "console/session/storeloader.h"
#include "core/demodistrict.h"
#include "map/caselayer.h"
#include "map/gridlayers.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "map/qgisenvironment.h"
#include "store/schema.h"

#include <qgsapplication.h>
#include <qgscolorramp.h>
#include <qgscoordinatetransform.h>
#include <qgsheatmaprenderer.h>
#include <qgsmaprendererparalleljob.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsmapsettings.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>

namespace {

double msSince(const QElapsedTimer &timer)
{
  return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

double median(std::vector<double> values)
{
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

QgsMapSettings districtSettings(const QList<QgsMapLayer *> &layers, const QgsRectangle &extent4490)
{
  return gd::bench::mapSettings1080(layers, extent4490, 1.05);
}

template <typename Job> double render(const QgsMapSettings &settings)
{
  QElapsedTimer timer;
  timer.start();
  Job job(settings);
  job.start();
  job.waitForFinished();
  return msSince(timer);
}

//! One figure per line, "name value", for the parent to collect.
void put(const char *name, double value)
{
  std::printf("%s %.3f\n", name, value);
  std::fflush(stdout);
}

//! The console's way (MainWindow::openStore): the district view first — grids, POIs and the
//! store's per-grid counts — then every open case from a reader thread, applied on this (the
//! GUI) thread one chunk per turn of the event loop, into the live layer and the case queue.
struct Console
{
  std::unique_ptr<gd::map::GridLayers> grids;
  std::unique_ptr<gd::map::PoiLayers> pois;
  std::unique_ptr<gd::map::LiveCaseLayer> cases;
  std::unique_ptr<gd::console::CaseQueueModel> queue;
  std::unique_ptr<gd::console::CaseQueueFilter> queueView;
  QList<QgsMapLayer *> layers;
  int pins = 0;

  double open(const QString &path, bool report,
              gd::map::LiveCaseLayer::DistrictView view = gd::map::LiveCaseLayer::DistrictView::Counts)
  {
    QElapsedTimer total;
    total.start();
    QElapsedTimer step;
    step.start();
    // The reader thread starts at once (as MainWindow::openStore); its chunks are applied when
    // this thread gets back to its event loop, while the counts are drawn.
    gd::console::StoreLoader loader(path);
    const bool lateLoader = qEnvironmentVariableIsSet("GD_BENCH_LATE_LOADER"); // start it after the overview
    if (!lateLoader)
      loader.start();
    gd::console::StoreOverview overview = gd::console::readStoreOverview(path);
    if (lateLoader)
      loader.start();
    const double readMs = msSince(step);
    step.restart();
    layers.clear();
    cases.reset();
    grids = gd::map::GridLayers::fromTree(overview.grids, gd::map::defaultStyleDir());
    pois = gd::map::PoiLayers::fromPoints(overview.pois, gd::map::defaultStyleDir());
    cases = std::make_unique<gd::map::LiveCaseLayer>();
    cases->setGrids(grids->areas(gd::core::GridLevel::Grid));
    cases->setCommunities(grids->areas(gd::core::GridLevel::Community));
    cases->showStoreCounts(overview.counts);
    cases->setDistrictView(view);
    queue = std::make_unique<gd::console::CaseQueueModel>();
    queueView = std::make_unique<gd::console::CaseQueueFilter>();
    queueView->setSourceModel(queue.get());
    queueView->sort(gd::console::CaseQueueModel::Deadline, Qt::AscendingOrder);
    queueView->setDynamicSortFilter(false); // as MainWindow while loading: one sort at the end
    const double buildMs = msSince(step);
    layers << cases->layers() << pois->layer() << grids->layers();

    std::vector<double> applyMs;
    double pinsMs = 0;
    double rowsMs = 0;
    bool alertsIn = false;
    bool allIn = false;
    double alertsInMs = 0;
    double allInMs = 0;
    QObject::connect(&loader, &gd::console::StoreLoader::casesRead, [&](const gd::console::OpenCaseChunk &chunk) {
      QElapsedTimer apply;
      apply.start();
      cases->apply(chunk.pins);
      pinsMs += msSince(apply);
      const double rowsFrom = msSince(apply);
      queue->applyChanges(chunk.rows, {});
      rowsMs += msSince(apply) - rowsFrom;
      applyMs.push_back(msSince(apply));
      if (!chunk.hasAlertPins() && !alertsIn)
      {
        alertsIn = true;
        alertsInMs = msSince(total) - applyMs.back();
      }
    });
    QObject::connect(&loader, &gd::console::StoreLoader::finished, [&] {
      QElapsedTimer apply;
      apply.start();
      queueView->setDynamicSortFilter(true);
      applyMs.push_back(msSince(apply));
      apply.restart();
      cases->finishLoading();
      applyMs.push_back(msSince(apply));
      alertsIn = true;
      if (alertsInMs == 0)
        alertsInMs = msSince(total);
      allIn = true;
      allInMs = msSince(total);
    });

    // As the console's canvas (QgsMapCanvas without parallel rendering: a sequential job, which
    // renders on a thread of its own) in flight while the GUI thread goes on applying chunks.
    auto renderAsync = [&] {
      QgsMapRendererSequentialJob job(settings());
      QEventLoop loop;
      QObject::connect(&job, &QgsMapRendererJob::finished, &loop, &QEventLoop::quit);
      job.start();
      loop.exec();
    };
    step.restart();
    renderAsync();
    const double countsShownMs = msSince(total);
    const double countsRenderMs = msSince(step);
    // The district view is complete once every overdue and emergency pin is drawn as well.
    while (!alertsIn)
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    step.restart();
    renderAsync();
    const double completeMs = msSince(total);
    const double completeRenderMs = msSince(step);
    while (!allIn)
      QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    pins = cases->pinCount();
    if (report)
    {
      put("read_ms", readMs);
      put("build_ms", buildMs);
      put("counts_render_ms", countsRenderMs);
      put("counts_shown_ms", countsShownMs);
      put("alerts_in_ms", alertsInMs);
      put("complete_render_ms", completeRenderMs);
      put("all_loaded_ms", allInMs);
      put("apply_max_ms", applyMs.empty() ? 0 : *std::max_element(applyMs.begin(), applyMs.end()));
      put("apply_chunks", static_cast<double>(applyMs.size()));
      put("apply_pins_ms", pinsMs);
      put("apply_rows_ms", rowsMs);
      put("open_cases", pins);
      put("queue_rows", queue->rowCount());
    }
    return completeMs;
  }

  QgsMapSettings settings() const
  {
    return districtSettings(layers, grids->layer(gd::core::GridLevel::District)->extent());
  }
};

int runChild(const QString &mode, const QString &path, int runs)
{
  if (mode == QLatin1String("ours") || mode == QLatin1String("ours-heatmap"))
  {
    // The district view is a setting the console keeps: chosen before the store opens.
    const auto view = mode == QLatin1String("ours") ? gd::map::LiveCaseLayer::DistrictView::Counts
                                                    : gd::map::LiveCaseLayer::DistrictView::Heatmap;
    Console console;
    put("cold_ms", console.open(path, true, view));
    std::vector<double> warm;
    for (int i = 0; i < runs; ++i)
      warm.push_back(render<QgsMapRendererSequentialJob>(console.settings()));
    put("warm_ms", median(warm));
    put("warm_worst_ms", *std::max_element(warm.begin(), warm.end()));
    put("reopen_ms", console.open(path, false, view));
    return 0;
  }

  // Plain QGIS: the GeoPackage's own tables through OGR, default styles but for the cases.
  if (mode == QLatin1String("plain-all"))
    runs = std::min(runs, 3); // seconds a render: three say enough
  QElapsedTimer cold;
  cold.start();
  std::vector<std::unique_ptr<QgsVectorLayer>> plain;
  auto cases = std::make_unique<QgsVectorLayer>(path + QStringLiteral("|layername=cases"), QStringLiteral("cases"),
                                                QStringLiteral("ogr"));
  if (mode == QLatin1String("plain-heatmap"))
  {
    cases->setSubsetString(QStringLiteral("\"is_open\" = 1"));
    auto *heatmap = new QgsHeatmapRenderer();
    heatmap->setRadius(14);
    heatmap->setRadiusUnit(QgsUnitTypes::RenderMillimeters);
    heatmap->setColorRamp(new QgsGradientColorRamp(QColor(255, 255, 178, 0), QColor(189, 0, 38, 230)));
    cases->setRenderer(heatmap);
  }
  plain.push_back(std::move(cases));
  plain.push_back(std::make_unique<QgsVectorLayer>(path + QStringLiteral("|layername=pois"), QStringLiteral("pois"),
                                                   QStringLiteral("ogr")));
  for (const char *table : {"grid_district", "grid_township", "grid_community", "grid_grid", "grid_microgrid"})
    plain.push_back(std::make_unique<QgsVectorLayer>(path + QStringLiteral("|layername=") + QLatin1String(table),
                                                     QLatin1String(table), QStringLiteral("ogr")));
  QList<QgsMapLayer *> layers;
  for (const auto &layer : plain)
  {
    if (!layer->isValid())
    {
      std::fprintf(stderr, "districtview_bench: %s is not valid\n", layer->name().toUtf8().constData());
      return 1;
    }
    layers << layer.get();
  }
  const QgsMapSettings view = districtSettings(layers, plain[2]->extent()); // grid_district
  render<QgsMapRendererSequentialJob>(view);
  put("cold_ms", msSince(cold));
  std::vector<double> warm;
  for (int i = 0; i < runs; ++i)
    warm.push_back(render<QgsMapRendererSequentialJob>(view));
  put("warm_ms", median(warm));
  put("warm_worst_ms", *std::max_element(warm.begin(), warm.end()));
  return 0;
}

//! Runs this program as a child in \a mode; returns its figures by name.
std::map<std::string, double> child(const QString &mode, const QString &path, int runs)
{
  QProcess process;
  process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  process.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--child"), mode, QStringLiteral("--store"), path, QStringLiteral("--runs"), QString::number(runs)});
  process.waitForFinished(-1);
  std::map<std::string, double> figures;
  for (const QByteArray &line : process.readAllStandardOutput().split('\n'))
  {
    const QList<QByteArray> parts = line.trimmed().split(' ');
    if (parts.size() == 2)
      figures[parts[0].toStdString()] = parts[1].toDouble();
  }
  if (process.exitCode() != 0 || figures.empty())
    std::fprintf(stderr, "districtview_bench: child %s failed\n", mode.toUtf8().constData());
  return figures;
}

} // namespace

int main(int argc, char **argv)
{
  std::size_t cases = 1000000;
  int openPercent = 3;
  int runs = 10;
  int coldRuns = 3;
  bool consoleOnly = false;
  QString storePath;
  QString database;
  QString childMode;
  const char *usage =
    "usage: districtview_bench [--cases N] [--open-percent P] [--runs N] [--cold N] [--store STORE] [--db CONNINFO]"
    " [--console-only]\n"
    "  --store STORE: a GeoPackage file (or a connection string, as the console's --db); used when it holds a store,\n"
    "                 else the history is written there and kept\n"
    "  --db CONNINFO: a PostgreSQL database measured beside the --store file in the same run (the history written\n"
    "                 into it the same way when it holds no store)\n"
    "  --console-only: leave out plain QGIS (its every-case render takes seconds a run)\n";
  for (int i = 1; i < argc; ++i)
  {
    if (!std::strcmp(argv[i], "--cases") && i + 1 < argc)
      cases = static_cast<std::size_t>(std::atoll(argv[++i]));
    else if (!std::strcmp(argv[i], "--open-percent") && i + 1 < argc)
      openPercent = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--cold") && i + 1 < argc)
      coldRuns = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--store") && i + 1 < argc)
      storePath = QString::fromLocal8Bit(argv[++i]);
    else if (!std::strcmp(argv[i], "--db") && i + 1 < argc)
      database = QString::fromLocal8Bit(argv[++i]);
    else if (!std::strcmp(argv[i], "--console-only"))
      consoleOnly = true;
    else if (!std::strcmp(argv[i], "--child") && i + 1 < argc)
      childMode = QString::fromLocal8Bit(argv[++i]);
    else
    {
      std::fputs(usage, stderr);
      return 2;
    }
  }
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QgsApplication app(argc, argv, false);
  gd::map::QgisEnvironment qgis;
  if (!childMode.isEmpty())
  {
    // As the console (StatusWarnings): a large file's integrity check runs beside the open, not
    // before it (it reads the whole 1.6 GB file: seconds even from the page cache).
    gd::store::Schema::setBackgroundCheck(gd::store::Schema::kBackgroundCheckOverBytes);
    return runChild(childMode, storePath, runs);
  }

  QTemporaryDir tmp;
  if (storePath.isEmpty())
    storePath = tmp.filePath(QStringLiteral("history.gpkg"));
  QStringList stores{storePath};
  if (!database.isEmpty())
    stores << database;
  for (const QString &store : stores)
  {
    const gd::store::StoreLocation location = gd::console::storeLocation(store);
    if (gd::bench::hasCaseHistory(location))
      continue;
    std::printf("writing the demo district and %zu cases (%d %% open) to %s …\n", cases, openPercent,
                location.display().c_str());
    std::fflush(stdout);
    const gd::bench::CaseHistoryReport written =
      gd::bench::writeCaseHistory(location, gd::core::generateDemoDistrict(), cases, openPercent);
    std::printf("  %zu cases, %zu open, in %.1f s (not part of the figures)\n", written.cases, written.open, written.seconds);
  }

  // One contender = a mode on a store. Plain QGIS reads the GeoPackage through OGR: it is the
  // baseline, on the file only. Cold runs alternate between the contenders, so a neighbour's
  // build hurts each alike.
  struct Contender
  {
    QString mode;
    QString store;
    QString label;
  };
  std::vector<Contender> contenders;
  for (const QString &store : stores)
  {
    const bool pg = gd::console::storeLocation(store).isPostgres();
    const QString on = pg ? QStringLiteral(" [PostgreSQL]") : QStringLiteral(" [GeoPackage]");
    contenders.push_back({QStringLiteral("ours"), store, QStringLiteral("console, counts (sequential job)") + on});
    contenders.push_back({QStringLiteral("ours-heatmap"), store, QStringLiteral("console, heatmap view") + on});
    if (!pg && !consoleOnly)
    {
      contenders.push_back({QStringLiteral("plain-heatmap"), store, QStringLiteral("plain QGIS, open cases as heatmap (OGR)")});
      contenders.push_back({QStringLiteral("plain-all"), store, QStringLiteral("plain QGIS, every case as a point (OGR)")});
    }
  }
  std::vector<std::vector<std::map<std::string, double>>> results(contenders.size());
  for (int i = 0; i < coldRuns; ++i)
    for (std::size_t c = 0; c < contenders.size(); ++c)
      results[c].push_back(child(contenders[c].mode, contenders[c].store, runs));
  auto figure = [&](std::size_t c, const char *name) {
    std::vector<double> values;
    for (const auto &run : results[c])
      if (const auto it = run.find(name); it != run.end())
        values.push_back(it->second);
    return median(values);
  };
  auto findContender = [&](const QString &mode, const QString &store) -> std::optional<std::size_t> {
    for (std::size_t c = 0; c < contenders.size(); ++c)
      if (contenders[c].mode == mode && contenders[c].store == store)
        return c;
    return std::nullopt;
  };

  std::printf("GridDispatch district view over a case history, 1920x1080; medians of %d fresh processes, warm = median of"
              " %d renders in one\n",
              coldRuns, runs);
  for (const QString &store : stores)
  {
    const gd::store::StoreLocation location = gd::console::storeLocation(store);
    const std::size_t c = *findContender(QStringLiteral("ours"), store);
    std::printf("store %s (%.0f MB), %.0f open cases\n", location.display().c_str(),
                static_cast<double>(gd::bench::storeBytes(location)) / 1e6, figure(c, "open_cases"));
    std::printf("  console, counts: read grids, POIs and per-grid counts %.0f ms + build layers %.0f ms + render %.0f ms"
                " = counts on screen at %.0f ms\n",
                figure(c, "read_ms"), figure(c, "build_ms"), figure(c, "counts_render_ms"), figure(c, "counts_shown_ms"));
    std::printf("  then every overdue/emergency pin applied at %.0f ms + render %.0f ms = COLD (the district view complete:"
                " counts and the pins shown at every zoom)\n",
                figure(c, "alerts_in_ms"), figure(c, "complete_render_ms"));
    std::printf("  every open case on the map and in the queue (%.0f rows) at %.0f ms; GUI thread held at most %.1f ms by a"
                " chunk (%.0f chunks; in all %.0f ms applying pins, %.0f ms queue rows)\n",
                figure(c, "queue_rows"), figure(c, "all_loaded_ms"), figure(c, "apply_max_ms"), figure(c, "apply_chunks"),
                figure(c, "apply_pins_ms"), figure(c, "apply_rows_ms"));
    std::printf("  opening the store again in the same process: %.1f ms\n", figure(c, "reopen_ms"));
  }
  const auto plainHeat = findContender(QStringLiteral("plain-heatmap"), storePath);
  const double plainHeatCold = plainHeat ? figure(*plainHeat, "cold_ms") : 0;
  const double plainHeatWarm = plainHeat ? figure(*plainHeat, "warm_ms") : 0;
  for (std::size_t c = 0; c < contenders.size(); ++c)
  {
    const double cold = figure(c, "cold_ms");
    const double warm = figure(c, "warm_ms");
    std::printf("%-52s cold %8.1f ms  warm %7.1f ms (worst %7.1f)", contenders[c].label.toUtf8().constData(), cold, warm,
                figure(c, "warm_worst_ms"));
    if (contenders[c].mode != QLatin1String("plain-heatmap") && plainHeatWarm > 0 && plainHeatCold > 0)
      std::printf("  ratio to plain heatmap: cold %.2f warm %.2f", cold / plainHeatCold, warm / plainHeatWarm);
    // PostgreSQL's console beside the GeoPackage's console: the baseline.
    if (contenders[c].store != storePath)
      if (const auto same = findContender(contenders[c].mode, storePath); same && figure(*same, "cold_ms") > 0)
        std::printf("  ratio to the GeoPackage: cold %.2f warm %.2f", cold / figure(*same, "cold_ms"),
                    warm / figure(*same, "warm_ms"));
    std::printf("\n");
  }
  return 0;
}
