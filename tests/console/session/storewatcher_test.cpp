// The watcher sees what another connection commits to the store — new cases, closed cases,
// worker positions — and hands it to the GUI thread in coalesced batches.
#include "../uitestsupport.h"
#include "console/session/storewatcher.h"
#include "console/session/storeaccess.h"
#include "console/session/storeloader.h"

#include "maptestdistrict.h"
#include "storebackend.h"

#include "core/caseworkflow.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/feed/positionstore.h"
#include "store/timetext.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <thread>

using gd::console::StoreChanges;
using gd::console::StoreWatcher;

namespace {

using gd::consoletest::waitFor;

class StoreWatcherTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mStore = gd::maptest::makeStore();
      mConfig = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
      mWorkflow = std::make_unique<gd::core::Workflow>(&mConfig->departments);
      mDb = std::make_unique<gd::store::Database>(gd::store::StoreLocation::parse(mStore->path.toStdString()));
      mCases = std::make_unique<gd::store::CaseStore>(*mDb, *mWorkflow);
    }

    std::string report(const gd::core::GridNode &grid, const char *priority = "normal")
    {
      const gd::core::GeoPoint at = grid.area.front().outer.front();
      gd::core::CaseCommand command;
      command.action = gd::core::CaseAction::Report;
      command.actor = "test";
      command.at = gd::store::nowUtc();
      command.details = {.category = "0301", .lon = at.lon, .lat = at.lat, .grid = grid.code.str(), .title = "楼道堆放杂物",
                         .priority = gd::core::parsePriority(priority)};
      return mCases->report(command, "620902");
    }

    std::unique_ptr<gd::maptest::StoreFixture> mStore;
    std::unique_ptr<gd::store::ConfigDirectory> mConfig;
    std::unique_ptr<gd::core::Workflow> mWorkflow;
    std::unique_ptr<gd::store::Database> mDb;
    std::unique_ptr<gd::store::CaseStore> mCases;
};

} // namespace

TEST_F(StoreWatcherTest, SeesNewAndClosedCasesCommittedElsewhere)
{
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
  std::vector<StoreChanges> batches;
  QObject::connect(&watcher, &StoreWatcher::changed, [&](const StoreChanges &changes) { batches.push_back(changes); });
  watcher.start();
  ASSERT_TRUE(waitFor([&] { return watcher.polls() > 0; }));

  const auto &grids = mStore->district.tree.nodesAt(gd::core::GridLevel::MicroGrid);
  const QString number = QString::fromStdString(report(*grids[4]));
  auto seen = [&](const QString &wanted) {
    for (const StoreChanges &batch : batches)
      for (const auto &pin : batch.cases)
        if (pin.number == wanted)
          return true;
    return false;
  };
  ASSERT_TRUE(waitFor([&] { return seen(number); })) << watcher.lastError().toStdString();
  for (const StoreChanges &batch : batches)
  {
    ASSERT_EQ(batch.cases.size(), batch.rows.size());
    for (std::size_t i = 0; i < batch.cases.size(); ++i)
      if (batch.cases[i].number == number)
      {
        EXPECT_EQ(batch.cases[i].state, QStringLiteral("reported"));
        EXPECT_EQ(batch.cases[i].family, QStringLiteral("03"));
        // The code, then the catalog's name for it (English here: the test runs in the C locale).
        EXPECT_EQ(batch.rows[i].category, QStringLiteral("0301 Fire passage blocked by clutter"));
      }
  }

  gd::core::CaseCommand voiding;
  voiding.action = gd::core::CaseAction::Void;
  voiding.actor = "test";
  voiding.at = gd::store::nowUtc();
  voiding.note = "重复上报";
  mCases->apply(number.toStdString(), voiding);
  ASSERT_TRUE(waitFor([&] {
    for (const StoreChanges &batch : batches)
      if (batch.closedCases.contains(number))
        return true;
    return false;
  }));
}

TEST_F(StoreWatcherTest, CoalescesABurstIntoFewBatches)
{
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(100));
  std::set<QString> received;
  int deliveries = 0;
  QObject::connect(&watcher, &StoreWatcher::changed, [&](const StoreChanges &changes) {
    ++deliveries;
    for (const auto &pin : changes.cases)
      received.insert(pin.number);
  });
  watcher.start();
  ASSERT_TRUE(waitFor([&] { return watcher.polls() > 0; }));

  const auto &grids = mStore->district.tree.nodesAt(gd::core::GridLevel::MicroGrid);
  std::set<QString> reported;
  {
    gd::store::Transaction transaction(*mDb);
    for (int i = 0; i < 300; ++i)
      reported.insert(QString::fromStdString(report(*grids[static_cast<std::size_t>(i) % grids.size()])));
    transaction.commit();
  }
  ASSERT_TRUE(waitFor([&] { return received.size() == reported.size(); })) << received.size();
  EXPECT_EQ(received, reported);
  // 300 cases in one commit: a handful of deliveries, not 300 repaints.
  EXPECT_LE(deliveries, 3);
}

// On PostgreSQL a gateway or a busy seat commits a hundred times a second, and the window takes a
// batch ten times a second: the watcher read the store the poll interval after each
// notification, five reads (four statements each) for every batch from every seat, what they
// found waiting for the batch anyway. It now reads when the batch is due: one read a batch.
TEST_F(StoreWatcherTest, OnPostgreSQLAStreamOfCommitsIsReadOnceForEachBatch)
{
  if (!gd::store::test::storesOnPostgres())
    GTEST_SKIP() << "a GeoPackage file is polled at its interval";
  // A long delivery interval, so that the commits below fall in one or two of them.
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(1500));
  std::set<QString> received;
  int deliveries = 0;
  QObject::connect(&watcher, &StoreWatcher::changed, [&](const StoreChanges &changes) {
    ++deliveries;
    for (const auto &pin : changes.cases)
      received.insert(pin.number);
  });
  watcher.start();
  ASSERT_TRUE(waitFor([&] { return watcher.polls() > 0; }));
  const auto &grids = mStore->district.tree.nodesAt(gd::core::GridLevel::MicroGrid);
  const QString first = QString::fromStdString(report(*grids[0]));
  ASSERT_TRUE(waitFor([&] { return received.count(first) > 0; })) << watcher.lastError().toStdString();
  const int deliveriesBefore = deliveries;
  const quint64 pollsBefore = watcher.polls();

  std::set<QString> reported;
  for (int i = 1; i <= 20; ++i)
  {
    reported.insert(QString::fromStdString(report(*grids[static_cast<std::size_t>(i) % grids.size()])));
    QCoreApplication::processEvents();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(waitFor([&] {
    return std::includes(received.begin(), received.end(), reported.begin(), reported.end());
  })) << received.size();
  const int batches = deliveries - deliveriesBefore;
  const quint64 reads = watcher.polls() - pollsBefore;
  // One read for each batch, and one more if a quarter second passed without a commit (the
  // clock's lights); twenty commits 20 ms apart were read about twenty times before.
  EXPECT_LE(reads, static_cast<quint64>(batches) + 2) << batches << " batches";
}

TEST_F(StoreWatcherTest, SeesWorkerPositions)
{
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
  std::vector<gd::map::WorkerPin> workers;
  QObject::connect(&watcher, &StoreWatcher::changed, [&](const StoreChanges &changes) {
    workers.insert(workers.end(), changes.workers.begin(), changes.workers.end());
  });
  watcher.start();
  ASSERT_TRUE(waitFor([&] { return watcher.polls() > 0; }));
  // A second ahead of the watcher's position cursor, in the store's own time text (on both backends).
  mDb->query("INSERT INTO worker_positions (worker_id, device_id, at, lon, lat, accuracy_m) "
             "VALUES ('W620902001001001001', 'HS-1', ?, 98.51, 39.74, 8)")
    .bindAll(gd::store::toDbTime(gd::store::nowUtc() + std::chrono::seconds(1)))
    .run();
  ASSERT_TRUE(waitFor([&] { return !workers.empty(); })) << watcher.lastError().toStdString();
  EXPECT_EQ(workers.back().workerId, QStringLiteral("W620902001001001001"));
  EXPECT_EQ(workers.back().status, gd::map::WorkerPin::Status::Online);
  EXPECT_DOUBLE_EQ(workers.back().lon, 98.51);
}

TEST_F(StoreWatcherTest, CountsFirstThenEveryOpenCaseInChunksAndNothingMissedAfter)
{
  const auto &grids = mStore->district.tree.nodesAt(gd::core::GridLevel::MicroGrid);
  std::vector<std::string> numbers;
  {
    gd::store::Transaction transaction(*mDb);
    for (int i = 0; i < 40; ++i)
      numbers.push_back(report(*grids[static_cast<std::size_t>(i * 7) % grids.size()]));
    transaction.commit();
  }
  gd::core::CaseCommand voiding;
  voiding.action = gd::core::CaseAction::Void;
  voiding.actor = "test";
  voiding.at = gd::store::nowUtc();
  voiding.note = "重复上报";
  mCases->apply(numbers[0], voiding);
  // One emergency: shown at every zoom, so its pin comes first.
  const QString emergency = QString::fromStdString(report(*grids[5], "emergency"));

  // The store's own count per grid, before any case is read.
  const gd::console::StoreOverview overview = gd::console::readStoreOverview(mStore->path);
  std::map<QString, int> counted;
  int total = 0;
  for (const gd::map::GridCaseCount &count : overview.counts)
  {
    counted[count.grid] = count.open;
    total += count.open;
  }
  EXPECT_EQ(total, 40);

  gd::console::StoreLoader loader(mStore->path, 7);
  std::vector<gd::map::CasePin> pins;
  std::size_t rows = 0;
  std::vector<gd::console::CaseQueueRow> rowsSeen;
  int chunks = 0;
  std::optional<gd::console::OpenCaseCursor> cursor;
  QObject::connect(&loader, &gd::console::StoreLoader::casesRead, [&](const gd::console::OpenCaseChunk &chunk) {
    ++chunks;
    EXPECT_LE(chunk.pins.size(), 7u);
    EXPECT_LE(chunk.rows.size(), 7u);
    if (chunks == 1)
    {
      // The emergency's pin first (the district view is complete with it), alone, without its row.
      EXPECT_TRUE(chunk.hasAlertPins());
      ASSERT_EQ(chunk.pins.size(), 1u);
      EXPECT_EQ(chunk.pins.front().number, emergency);
      EXPECT_EQ(chunk.pins.front().priority, QStringLiteral("emergency"));
      EXPECT_TRUE(chunk.rows.empty());
    }
    else if (chunks == 2)
    {
      EXPECT_TRUE(chunk.alerts); // its queue row
      EXPECT_TRUE(chunk.pins.empty());
      ASSERT_EQ(chunk.rows.size(), 1u);
    }
    else
    {
      EXPECT_FALSE(chunk.alerts);
      EXPECT_EQ(chunk.pins.size(), chunk.rows.size());
    }
    pins.insert(pins.end(), chunk.pins.begin(), chunk.pins.end());
    rows += chunk.rows.size();
    rowsSeen.insert(rowsSeen.end(), chunk.rows.begin(), chunk.rows.end());
  });
  QObject::connect(&loader, &gd::console::StoreLoader::finished,
                   [&](const gd::console::OpenCaseCursor &at, int) { cursor = at; });
  loader.start();
  ASSERT_TRUE(waitFor([&] { return cursor.has_value(); }));
  EXPECT_TRUE(loader.isDone());
  EXPECT_EQ(chunks, 2 + 6); // the emergency's pin, its row, then 39 cases 7 a chunk
  EXPECT_EQ(pins.size(), 40u);
  EXPECT_EQ(rows, 40u);
  // The aggregated count still equals the cases of each grid (the store counts by the grid
  // code a case carries; a pin lies in the grid its point is in, which finishLoading counts
  // by: the two differ only for a case reported on a boundary, as these test cases are).
  std::map<QString, int> loaded;
  for (const gd::console::CaseQueueRow &row : rowsSeen)
    ++loaded[row.gridCode.left(15)];
  EXPECT_EQ(loaded, counted);

  // A case reported after the read, before the watcher starts, still reaches the map.
  const QString late = QString::fromStdString(report(*grids[3]));
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
  bool seen = false;
  QObject::connect(&watcher, &StoreWatcher::changed, [&](const StoreChanges &changes) {
    for (const auto &pin : changes.cases)
      seen = seen || pin.number == late;
  });
  watcher.startFrom(cursor->eventId, cursor->readAtSecs);
  EXPECT_TRUE(waitFor([&] { return seen; })) << watcher.lastError().toStdString();
}

namespace {

// A center's database goes away (a restart, a network cut): the watcher says so, connects again
// by itself, says so, and what another seat committed meanwhile arrives from its cursor.
TEST_F(StoreWatcherTest, ALostDatabaseIsSaidAndTheWatcherCatchesUpAfterReconnecting)
{
  if (!gd::store::test::storesOnPostgres())
    GTEST_SKIP() << "a GeoPackage file cannot be disconnected";
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
  std::vector<std::pair<bool, QString>> states;
  std::set<QString> seen;
  QObject::connect(&watcher, &StoreWatcher::connectionChanged,
                   [&](bool connected, const QString &detail) { states.emplace_back(connected, detail); });
  QObject::connect(&watcher, &StoreWatcher::changed, [&](const StoreChanges &changes) {
    for (const auto &pin : changes.cases)
      seen.insert(pin.number);
  });
  watcher.start();
  ASSERT_TRUE(waitFor([&] { return watcher.polls() > 0; })); // its cursor is taken: what follows is after it
  const auto *grid = mStore->district.tree.nodesAt(gd::core::GridLevel::Grid).front();
  const QString first = QString::fromStdString(report(*grid));
  ASSERT_TRUE(waitFor([&] { return seen.count(first) > 0; }, 5000));

  // Every session on the store's database is ended by the server (ours too).
  gd::store::test::adminSql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                            mStore->databaseName + "' AND pid <> pg_backend_pid()");
  ASSERT_TRUE(waitFor([&] { return !states.empty(); }, 5000)) << "the lost connection was not said";
  EXPECT_FALSE(states.front().first);
  EXPECT_NE(states.front().second.indexOf(QStringLiteral("was lost")), -1) << states.front().second.toStdString();
  EXPECT_TRUE(watcher.isReconnecting() || states.size() > 1);

  // Another seat writes; the watcher reconnects and reads it from its cursor.
  mDb->reconnect();
  const QString second = QString::fromStdString(report(*grid));
  ASSERT_TRUE(waitFor([&] { return seen.count(second) > 0; }, 10000)) << "the change made meanwhile never arrived";
  ASSERT_TRUE(waitFor([&] { return states.size() >= 2; }, 5000));
  EXPECT_TRUE(states.back().first);
  EXPECT_FALSE(watcher.isReconnecting());
  watcher.stop();
}

} // namespace

