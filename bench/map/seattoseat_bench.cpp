// Seat to seat, to a finished render (issue 16): a change made by one seat must be on a finished
// map render in another console within 300 ms (p99) with four consoles watching and 1,000
// changes a second. One program, three roles, run as separate processes by
// bench/map/seat_to_seat.sh:
//
//   seattoseat_bench --prepare --store STORE
//       makes STORE (a GeoPackage file or a PostgreSQL database holding no store) a store with
//       the demo district, as a console's store has;
//   seattoseat_bench --seat --store STORE --ready FILE --stop FILE --out FILE
//       one console: QMainWindow + QgsMapCanvas (1920x1080, offscreen unless QT_QPA_PLATFORM says
//       otherwise) with the console's MapViewController, opened the console's way
//       (readStoreOverview, StoreLoader, then StoreWatcher::startFrom on its own connection:
//       LISTEN gd_changes on PostgreSQL, 20 ms polls on a GeoPackage) and every batch applied
//       with MapViewController::applyChanges, which redraws without cancelling a render under
//       way. A case is visible once a render that started after its batch was applied has
//       finished; the seat then takes CLOCK_REALTIME and subtracts the writer's stamp. It writes
//       FILE (--ready) once its first render is done, and stops when the --stop file appears;
//       the latencies (ms, one a line) go to --out; with --split FILE, per case on a finished
//       render "stamp woke read delivered applied started finished" (CLOCK_REALTIME ns: the
//       writer's stamp, the watcher woken for the read that found it, that read's end, the
//       batch on the GUI thread, applied to the layers, the render that shows it started,
//       finished);
//   seattoseat_bench --writer --store STORE --rate N --seconds S
//       one writer reporting N new cases a second (ten per transaction every 10 ms, as
//       liveupdatewriter does: a gateway's group commit at this rate), each titled with the
//       CLOCK_REALTIME instant its transaction began, so what a seat measures is from before
//       the change was written to its render (the writer's own insert and COMMIT included; the
//       writer prints how long those took); with --commits FILE, "stamp committed" (ns) a
//       transaction, so the script can split each case's way at the COMMIT.
//
// All processes on one machine: one clock.
#include "console/mapview/mapviewcontroller.h"
#include "console/session/storeaccess.h"
#include "console/session/storeloader.h"
#include "console/session/storewatcher.h"
#include "core/caseworkflow.h"
#include "core/demodistrict.h"
#include "liveupdatewriter.h"
#include "map/qgisenvironment.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/grids/gridstore.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <qgsapplication.h>
#include <qgsmapcanvas.h>

#include <QFile>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace gd;

//! CLOCK_REALTIME in nanoseconds: the one clock every process on the machine shares.
std::int64_t realtimeNs()
{
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double percentile(std::vector<double> values, double p)
{
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

//! The stamp a writer put in a case's title ("… @<ns>"), or 0.
std::int64_t stampOf(const QString &title)
{
  const int at = title.lastIndexOf(QLatin1Char('@'));
  return at < 0 ? 0 : title.mid(at + 1).toLongLong();
}

int prepare(const store::StoreLocation &location)
{
  auto db = store::Schema::openOrCreate(location);
  if (store::GridStore(*db).count(core::GridLevel::District) > 0)
    return 0;
  store::Transaction transaction(*db);
  store::writeDemoDistrict(*db, core::generateDemoDistrict());
  transaction.commit();
  return 0;
}

int writer(const store::StoreLocation &location, int rate, double seconds, const QString &commitsFile)
{
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  const core::Workflow workflow(&config->departments);
  store::Database db(location);
  store::CaseStore cases(db, workflow);
  const core::DemoDistrict district = core::generateDemoDistrict();
  const auto micro = district.tree.nodesAt(core::GridLevel::MicroGrid);
  const int perTick = std::max(1, rate / 100);
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  auto next = start;
  std::size_t n = 0;
  std::vector<double> transactionMs;
  std::vector<std::pair<std::int64_t, std::int64_t>> commits; // stamp, COMMIT returned
  while (std::chrono::steady_clock::now() < end)
  {
    const std::int64_t stamp = realtimeNs();
    {
      store::Transaction transaction(db);
      for (int i = 0; i < perTick; ++i, ++n)
      {
        core::CaseCommand command = gd::bench::benchReport(micro, n);
        command.details.title = "楼道堆放杂物 @" + std::to_string(stamp);
        cases.report(command, "620902");
      }
      transaction.commit();
    }
    const std::int64_t committed = realtimeNs();
    transactionMs.push_back(static_cast<double>(committed - stamp) / 1e6);
    commits.emplace_back(stamp, committed);
    next += std::chrono::milliseconds(10);
    std::this_thread::sleep_until(next);
  }
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("writer: %zu cases in %.1f s (%.0f/s of %d asked), %zu transactions; stamp -> COMMIT returned p50 %.1f ms"
              " p99 %.1f ms max %.1f ms\n",
              n, took, static_cast<double>(n) / took, rate, transactionMs.size(), percentile(transactionMs, 0.5),
              percentile(transactionMs, 0.99), percentile(transactionMs, 1.0));
  if (!commitsFile.isEmpty())
  {
    QFile out(commitsFile);
    if (out.open(QIODevice::WriteOnly | QIODevice::Text))
      for (const auto &[stamp, committed] : commits)
        out.write(QByteArray::number(static_cast<qlonglong>(stamp)) + ' ' + QByteArray::number(static_cast<qlonglong>(committed)) + '\n');
  }
  return 0;
}

int seat(const QString &store, const QString &readyFile, const QString &stopFile, const QString &outFile,
         const QString &splitFile)
{
  QMainWindow window;
  auto *canvas = new QgsMapCanvas(&window);
  window.setCentralWidget(canvas);
  QMenu viewMenu;
  console::MapViewController map(&window, canvas, &viewMenu);
  window.resize(1920, 1080);
  window.show();

  // Opened as the console opens a store (MainWindow::openStore): the overview drawn first, the
  // open cases from the loader, then the watcher from the loader's cursor.
  const console::StoreOverview overview = console::readStoreOverview(store);
  map.showStore(overview, overview.grids);
  map.requestRefresh();
  console::StoreWatcher watcher(store);
  console::StoreLoader loader(store);
  bool loaded = false;
  QObject::connect(&loader, &console::StoreLoader::casesRead, &map, &console::MapViewController::addCases);
  QObject::connect(&loader, &console::StoreLoader::finished, [&](const console::OpenCaseCursor &cursor, int) {
    map.finishLoading();
    watcher.startFrom(cursor.eventId, cursor.readAtSecs);
    loaded = true;
  });
  QObject::connect(&loader, &console::StoreLoader::failed, [](const QString &message) {
    std::fprintf(stderr, "seat: %s\n", message.toUtf8().constData());
    QCoreApplication::exit(1);
  });
  loader.start();

  // One case on its way to a render: the instants that split its latency (CLOCK_REALTIME ns).
  struct Way
  {
    std::int64_t stamp = 0;     // the writer's transaction began
    std::int64_t woke = 0;      // the watcher's thread was woken for the read that found it
    std::int64_t read = 0;      // that read ended
    std::int64_t delivered = 0; // its batch reached the GUI thread
    std::int64_t applied = 0;   // the batch was applied to the layers (MapViewController::applyChanges returned)
    std::int64_t started = 0;   // the render that shows it started
  };
  std::vector<Way> applied;  // applied, not yet in a started render
  std::vector<Way> inRender; // in the render under way
  std::vector<Way> drawn;    // on a finished render, with the end in \c latencies
  std::vector<std::int64_t> drawnAt;
  std::vector<double> waitedMs; // applied → the render that shows it started
  std::set<QString> seen;
  std::vector<double> latencies;
  std::vector<double> deliveredMs; // stamp → the batch handed to the GUI thread (the watcher's part)
  std::vector<double> renderMs;
  std::int64_t renderStartNs = 0;
  bool ready = false;
  QObject::connect(&watcher, &console::StoreWatcher::changed, [&](const console::StoreChanges &changes) {
    const std::int64_t now = realtimeNs();
    const std::size_t firstNew = applied.size();
    for (std::size_t i = 0; i < changes.cases.size(); ++i)
    {
      const map::CasePin &pin = changes.cases[i];
      if (const std::int64_t stamp = stampOf(pin.title); stamp > 0 && seen.insert(pin.number).second)
      {
        Way way;
        way.stamp = stamp;
        if (i < changes.caseTimings.size())
        {
          way.woke = changes.caseTimings[i].wokeNs;
          way.read = changes.caseTimings[i].readNs;
        }
        way.delivered = now;
        applied.push_back(way);
        deliveredMs.push_back(static_cast<double>(now - stamp) / 1e6);
      }
    }
    map.applyChanges(changes);
    const std::int64_t done = realtimeNs();
    for (std::size_t i = firstNew; i < applied.size(); ++i)
      applied[i].applied = done;
  });
  QObject::connect(canvas, &QgsMapCanvas::renderStarting, [&] {
    renderStartNs = realtimeNs();
    for (Way &way : applied)
    {
      way.started = renderStartNs;
      waitedMs.push_back(static_cast<double>(renderStartNs - way.applied) / 1e6);
    }
    inRender.insert(inRender.end(), applied.begin(), applied.end());
    applied.clear();
  });
  QObject::connect(canvas, &QgsMapCanvas::mapCanvasRefreshed, [&] {
    const std::int64_t now = realtimeNs();
    if (ready)
      renderMs.push_back(static_cast<double>(now - renderStartNs) / 1e6);
    for (const Way &way : inRender)
    {
      latencies.push_back(static_cast<double>(now - way.stamp) / 1e6);
      drawn.push_back(way);
      drawnAt.push_back(now);
    }
    inRender.clear();
    if (!ready && loaded)
    {
      ready = true;
      QFile file(readyFile);
      file.open(QIODevice::WriteOnly);
    }
  });
  QTimer stopCheck;
  QObject::connect(&stopCheck, &QTimer::timeout, [&] {
    if (QFileInfo::exists(stopFile))
      QCoreApplication::quit();
  });
  stopCheck.start(50);
  const int rc = QCoreApplication::exec();
  watcher.stop();

  QFile out(outFile);
  if (out.open(QIODevice::WriteOnly | QIODevice::Text))
    for (const double ms : latencies)
      out.write(QByteArray::number(ms, 'f', 3) + '\n');
  // The split: one line a case, "stamp woke read delivered applied started finished" (ns), joined with
  // the writer's commits by seat_to_seat.sh.
  if (!splitFile.isEmpty())
  {
    QFile split(splitFile);
    if (split.open(QIODevice::WriteOnly | QIODevice::Text))
      for (std::size_t i = 0; i < drawn.size(); ++i)
      {
        const Way &w = drawn[i];
        split.write(QByteArray::number(static_cast<qlonglong>(w.stamp)) + ' ' + QByteArray::number(static_cast<qlonglong>(w.woke)) + ' ' +
                    QByteArray::number(static_cast<qlonglong>(w.read)) + ' ' + QByteArray::number(static_cast<qlonglong>(w.delivered)) + ' ' +
                    QByteArray::number(static_cast<qlonglong>(w.applied)) + ' ' +
                    QByteArray::number(static_cast<qlonglong>(w.started)) + ' ' + QByteArray::number(static_cast<qlonglong>(drawnAt[i])) + '\n');
      }
  }
  std::printf("seat %s: %zu cases seen, %zu on a finished render (%zu applied but not yet drawn at the stop);"
              " commit -> finished render p50 %.1f ms p99 %.1f ms max %.1f ms; %zu renders p50 %.1f ms;"
              " of which commit -> batch on the GUI thread p50 %.1f ms p99 %.1f ms,"
              " batch applied -> its render started p50 %.1f ms p99 %.1f ms\n",
              QFileInfo(outFile).completeBaseName().toUtf8().constData(), seen.size(), latencies.size(),
              applied.size() + inRender.size(), percentile(latencies, 0.5), percentile(latencies, 0.99),
              percentile(latencies, 1.0), renderMs.size(), percentile(renderMs, 0.5), percentile(deliveredMs, 0.5),
              percentile(deliveredMs, 0.99), percentile(waitedMs, 0.5), percentile(waitedMs, 0.99));
  return rc;
}

} // namespace

int main(int argc, char **argv)
{
  QString role;
  QString store;
  QString readyFile;
  QString stopFile;
  QString outFile;
  QString splitFile;
  QString commitsFile;
  int rate = 1000;
  double seconds = 15;
  for (int i = 1; i < argc; ++i)
  {
    const auto value = [&] { return QString::fromLocal8Bit(i + 1 < argc ? argv[++i] : ""); };
    if (!std::strcmp(argv[i], "--prepare") || !std::strcmp(argv[i], "--seat") || !std::strcmp(argv[i], "--writer"))
      role = QString::fromLatin1(argv[i] + 2);
    else if (!std::strcmp(argv[i], "--store"))
      store = value();
    else if (!std::strcmp(argv[i], "--ready"))
      readyFile = value();
    else if (!std::strcmp(argv[i], "--stop"))
      stopFile = value();
    else if (!std::strcmp(argv[i], "--out"))
      outFile = value();
    else if (!std::strcmp(argv[i], "--split"))
      splitFile = value();
    else if (!std::strcmp(argv[i], "--commits"))
      commitsFile = value();
    else if (!std::strcmp(argv[i], "--rate"))
      rate = value().toInt();
    else if (!std::strcmp(argv[i], "--seconds"))
      seconds = value().toDouble();
    else
      role.clear(), i = argc;
  }
  if (role.isEmpty() || store.isEmpty() || (role == QLatin1String("seat") && (readyFile.isEmpty() || stopFile.isEmpty() || outFile.isEmpty())))
  {
    std::fprintf(stderr, "usage: seattoseat_bench --prepare --store STORE\n"
                         "       seattoseat_bench --writer --store STORE [--rate N] [--seconds S] [--commits FILE]\n"
                         "       seattoseat_bench --seat --store STORE --ready FILE --stop FILE --out FILE [--split FILE]\n");
    return 2;
  }
  try
  {
    const store::StoreLocation location = console::storeLocation(store);
    if (role == QLatin1String("prepare"))
      return prepare(location);
    if (role == QLatin1String("writer"))
      return writer(location, rate, seconds, commitsFile);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
      qputenv("QT_QPA_PLATFORM", "offscreen");
    QgsApplication app(argc, argv, true);
    map::QgisEnvironment qgis;
    return seat(store, readyFile, stopFile, outFile, splitFile);
  }
  catch (const std::exception &error)
  {
    std::fprintf(stderr, "seattoseat_bench: %s\n", error.what());
    return 1;
  }
}
