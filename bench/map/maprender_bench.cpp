// Map rendering benchmark (issue: the GIS map). Renders the demo district at 1920×1080 with
// every grid level, the points of interest and N live case pins, as the console draws them,
// beside the same data rendered by plain QGIS (default styles, QgsMapRendererSequentialJob on
// GeoPackage layers) in the same run, and prints the ratio.
//
//   maprender_bench [--pins N] [--runs N] [--dir DIR]
#include "core/demodistrict.h"
#include "core/gridindex.h"
#include "map/caselayer.h"
#include "map/gridlayers.h"
#include "map/mapstyles.h"
#include "map/poilayers.h"
#include "map/qgisenvironment.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/schema.h"
#include "benchmapsettings.h"

#include <qgsapplication.h>
#include <qgscoordinatetransform.h>
#include <qgsfeatureiterator.h>
#include <qgsgeometry.h>
#include <qgsmaprendererparalleljob.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsmapsettings.h>
#include <qgsproject.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorfilewriter.h>
#include <qgsvectorlayer.h>

#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>

#include <sys/resource.h>

namespace {

struct Timing
{
  double cold = 0;
  std::vector<double> warm;
  std::vector<double> cpu; //!< CPU time of the whole process (every thread) per warm render
  double cpuMedian() const
  {
    std::vector<double> sorted = cpu;
    std::sort(sorted.begin(), sorted.end());
    return sorted.empty() ? 0 : sorted[sorted.size() / 2];
  }
  double median() const
  {
    std::vector<double> sorted = warm;
    std::sort(sorted.begin(), sorted.end());
    return sorted.empty() ? 0 : sorted[sorted.size() / 2];
  }
  double worst() const { return warm.empty() ? 0 : *std::max_element(warm.begin(), warm.end()); }
};

QgsMapSettings settingsFor(const QList<QgsMapLayer *> &layers, const QgsRectangle &extent4490)
{
  return gd::bench::mapSettings1080(layers, extent4490);
}

double cpuMs()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return (static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3);
}

template <typename Job> double renderOnce(const QgsMapSettings &settings, double *cpu = nullptr)
{
  const double cpuBefore = cpuMs();
  QElapsedTimer timer;
  timer.start();
  Job job(settings);
  job.start();
  job.waitForFinished();
  if (cpu)
    *cpu = cpuMs() - cpuBefore;
  return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

template <typename Job> Timing measure(const QgsMapSettings &settings, int runs)
{
  Timing timing;
  timing.cold = renderOnce<Job>(settings);
  for (int i = 0; i < runs; ++i)
  {
    double cpu = 0;
    timing.warm.push_back(renderOnce<Job>(settings, &cpu));
    timing.cpu.push_back(cpu);
  }
  return timing;
}

void report(const char *what, const Timing &timing, const Timing *baseline)
{
  std::printf("%-58s cold %7.1f ms   warm median %7.1f ms   worst %7.1f ms   cpu %7.1f ms", what, timing.cold,
              timing.median(), timing.worst(), timing.cpuMedian());
  if (baseline)
    std::printf("   ratio to plain QGIS %.2f", timing.median() / baseline->median());
  std::printf("\n");
}

} // namespace

int main(int argc, char **argv)
{
  int pins = 20000;
  int runs = 10;
  QString dirArg;
  for (int i = 1; i < argc; ++i)
  {
    if (!std::strcmp(argv[i], "--pins") && i + 1 < argc)
      pins = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
      runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc)
      dirArg = QString::fromLocal8Bit(argv[++i]);
    else
    {
      std::fprintf(stderr, "usage: maprender_bench [--pins N] [--runs N] [--dir DIR]\n");
      return 2;
    }
  }
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QgsApplication app(argc, argv, false);
  gd::map::QgisEnvironment qgis;

  QTemporaryDir tmp;
  const QString dir = dirArg.isEmpty() ? tmp.path() : dirArg;
  const QString storePath = dir + QStringLiteral("/district.gpkg");
  QFile::remove(storePath);
  const gd::core::DemoDistrict district = gd::core::generateDemoDistrict();
  {
    auto db = gd::store::Schema::openOrCreate(storePath.toStdString());
    gd::store::writeDemoDistrict(*db, district);
  }

  // Live pins at random points of the district, each in its grid.
  const gd::core::GridIndex index(district.tree, gd::core::GridLevel::Grid);
  std::mt19937_64 random(42);
  const gd::core::GridNode &root = *district.tree.nodesAt(gd::core::GridLevel::District).front();
  double minLon = 1e9, maxLon = -1e9, minLat = 1e9, maxLat = -1e9;
  for (const gd::core::GeoPoint &p : root.area.front().outer)
  {
    minLon = std::min(minLon, p.lon);
    maxLon = std::max(maxLon, p.lon);
    minLat = std::min(minLat, p.lat);
    maxLat = std::max(maxLat, p.lat);
  }
  std::uniform_real_distribution<double> lon(minLon, maxLon), lat(minLat, maxLat), u(0, 1);
  std::vector<gd::map::CasePin> live;
  while (static_cast<int>(live.size()) < pins)
  {
    const gd::core::GeoPoint p{lon(random), lat(random)};
    const gd::core::GridNode *grid = index.lookup(p);
    if (!grid)
      continue;
    const double r = u(random);
    live.push_back({QStringLiteral("620902-20261121-%1").arg(live.size() + 1, 6, 10, QLatin1Char('0')), p.lon, p.lat,
                    QStringLiteral("0%1").arg(1 + static_cast<int>(u(random) * 6)), QStringLiteral("0301"), QString(),
                    QStringLiteral("assigned"),
                    r < 0.7 ? QStringLiteral("green") : r < 0.9 ? QStringLiteral("yellow") : QStringLiteral("red"),
                    u(random) < 0.02 ? QStringLiteral("emergency") : QStringLiteral("normal"),
                    QString::fromStdString(grid->code.str()), 0});
  }

  // As the console draws them: memory layers built from what the store holds.
  QString error;
  auto grids = gd::map::GridLayers::fromTree(district.tree, gd::map::defaultStyleDir());
  // As the console without a base map: boundaries without their white halos
  // (GD_BENCH_HALOS=1 keeps them, as over a base map).
  grids->setBoundaryHalos(qEnvironmentVariableIsSet("GD_BENCH_HALOS"));
  std::vector<gd::map::PoiPoint> poiPoints;
  for (const gd::core::DemoPoi &poi : district.pois)
    poiPoints.push_back({QString::fromStdString(poi.kind), QString::fromStdString(poi.name), poi.point.lon, poi.point.lat,
                         QString::fromStdString(poi.streamUrl)});
  auto pois = gd::map::PoiLayers::fromPoints(poiPoints);
  gd::map::LiveCaseLayer cases;
  const QHash<QString, QgsGeometry> areas = grids->areas(gd::core::GridLevel::Grid);
  cases.setGrids(areas);
  cases.setCommunities(grids->areas(gd::core::GridLevel::Community));
  QElapsedTimer applyTimer;
  applyTimer.start();
  cases.apply(live);
  const double applyMs = static_cast<double>(applyTimer.nsecsElapsed()) / 1e6;

  // Plain QGIS: the same tables, default styles, the pins written to a GeoPackage layer.
  QgsVectorFileWriter::SaveVectorOptions options;
  options.driverName = QStringLiteral("GPKG");
  options.layerName = QStringLiteral("pins");
  const QString pinsPath = dir + QStringLiteral("/baseline_pins.gpkg");
  QFile::remove(pinsPath);
  if (QgsVectorFileWriter::writeAsVectorFormatV3(cases.pinLayer(), pinsPath, QgsProject::instance()->transformContext(),
                                                 options, &error) != QgsVectorFileWriter::NoError)
  {
    std::fprintf(stderr, "maprender_bench: %s\n", error.toUtf8().constData());
    return 1;
  }
  std::vector<std::unique_ptr<QgsVectorLayer>> plain;
  plain.push_back(std::make_unique<QgsVectorLayer>(pinsPath + QStringLiteral("|layername=pins"), QStringLiteral("pins"), QStringLiteral("ogr")));
  plain.push_back(std::make_unique<QgsVectorLayer>(storePath + QStringLiteral("|layername=pois"), QStringLiteral("pois"), QStringLiteral("ogr")));
  for (const char *table : {"grid_district", "grid_township", "grid_community", "grid_grid", "grid_microgrid"})
    plain.push_back(std::make_unique<QgsVectorLayer>(storePath + QStringLiteral("|layername=") + QLatin1String(table),
                                                     QLatin1String(table), QStringLiteral("ogr")));
  QList<QgsMapLayer *> plainLayers;
  for (const auto &layer : plain)
    plainLayers << layer.get();

  QList<QgsMapLayer *> ours;
  ours << cases.layers() << pois->layer() << grids->layers();

  QgsRectangle districtExtent = grids->layer(gd::core::GridLevel::District)->extent();
  districtExtent.scale(1.05);
  const gd::core::GridNode &someGrid = *district.tree.nodesAt(gd::core::GridLevel::Grid)[700];
  QgsRectangle gridExtent = areas.value(QString::fromStdString(someGrid.code.str())).boundingBox();
  gridExtent.scale(4);

  std::printf("GridDispatch map rendering, 1920x1080, demo district (%zu grids, %zu micro-grids, %zu POIs), %d live pins\n",
              district.tree.nodesAt(gd::core::GridLevel::Grid).size(), district.tree.nodesAt(gd::core::GridLevel::MicroGrid).size(),
              district.pois.size(), pins);
  std::printf("applying %d pins to the live layer: %.1f ms\n", pins, applyMs);
  // GD_BENCH_PROFILE=district|grid: only our layers of that view, sequentially, for a profiler
  // (GD_BENCH_SAVE=FILE.png keeps the picture).
  if (const QString profile = qEnvironmentVariable("GD_BENCH_PROFILE"); !profile.isEmpty())
  {
    const QgsMapSettings settings = settingsFor(ours, profile == QLatin1String("grid") ? gridExtent : districtExtent);
    std::printf("scale 1:%.0f\n", settings.scale());
    report("GridDispatch layers (sequential job)", measure<QgsMapRendererSequentialJob>(settings, runs), nullptr);
    if (const QString save = qEnvironmentVariable("GD_BENCH_SAVE"); !save.isEmpty())
    {
      QgsMapRendererSequentialJob job(settings);
      job.start();
      job.waitForFinished();
      job.renderedImage().save(save);
    }
    return 0;
  }
  for (const auto &[label, extent] : {std::pair{"district view", districtExtent}, std::pair{"grid zoom", gridExtent}})
  {
    const Timing plainTiming = measure<QgsMapRendererSequentialJob>(settingsFor(plainLayers, extent), runs);
    const Timing oursSequential = measure<QgsMapRendererSequentialJob>(settingsFor(ours, extent), runs);
    const Timing oursParallel = measure<QgsMapRendererParallelJob>(settingsFor(ours, extent), runs);
    std::printf("-- %s\n", label);
    report("plain QGIS, default styles (sequential job, GeoPackage)", plainTiming, nullptr);
    report("GridDispatch layers (sequential job, as the console's canvas)", oursSequential, &plainTiming);
    report("GridDispatch layers (parallel job, as the big screen)", oursParallel, &plainTiming);
    if (qEnvironmentVariableIsSet("GD_BENCH_BREAKDOWN"))
      for (QgsMapLayer *layer : ours)
      {
        report(("  only " + layer->name().toStdString()).c_str(),
               measure<QgsMapRendererSequentialJob>(settingsFor({layer}, extent), runs), nullptr);
        // The same layer emptied: what a render costs before the first feature (symbols prepared …).
        std::unique_ptr<QgsVectorLayer> empty(static_cast<QgsVectorLayer *>(layer)->clone());
        empty->dataProvider()->truncate();
        report("    same style, no features", measure<QgsMapRendererSequentialJob>(settingsFor({empty.get()}, extent), runs),
               nullptr);
      }
  }
  return 0;
}
