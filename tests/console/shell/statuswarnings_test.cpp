// The console's status bar says when the open store is damaged (found by the integrity check
// that runs in the background for a large store) and when the working calendar lacks a year's
// holiday schedule — persistently, with what to do in the tooltip, in English and in zh_CN.
#include "console/mainwindow.h"
#include "console/shell/statuswarnings.h"
#include "console/shell/translations.h"
#include "maptestdistrict.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <QCoreApplication>
#include <QDate>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QStatusBar>

#include <atomic>
#include <cstdint>
#include <limits>
#include <thread>

using gd::console::CalendarWarningLabel;
using gd::console::MainWindow;
using gd::console::StoreCheckLabel;
using gd::console::StoreWaitLabel;

namespace {

bool hasLatin(const QString &text)
{
  return text.contains(QRegularExpression(QStringLiteral("[A-Za-z]")));
}

// Writes a page of zeros over the root page of case_events (what issue 14 #8 found opened silently).
void damage(const QString &path)
{
  sqlite3 *db = nullptr;
  ASSERT_EQ(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), SQLITE_OK);
  qint64 page = 0, pageSize = 0;
  sqlite3_stmt *s = nullptr;
  sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE name = 'case_events'", -1, &s, nullptr);
  if (sqlite3_step(s) == SQLITE_ROW)
    page = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, nullptr);
  if (sqlite3_step(s) == SQLITE_ROW)
    pageSize = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  ASSERT_GT(page, 1);
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::ReadWrite));
  ASSERT_TRUE(file.seek((page - 1) * pageSize));
  file.write(QByteArray(static_cast<int>(pageSize), '\0'));
}

struct BackgroundCheckOfEveryStore
{
  BackgroundCheckOfEveryStore() { gd::console::checkStoresInBackground(0); }
  ~BackgroundCheckOfEveryStore() { gd::console::checkStoresInBackground(std::numeric_limits<std::uintmax_t>::max()); }
};

} // namespace

TEST(StatusWarnings, ASoundStoreIsCheckedInTheBackgroundAndTheLabelGoes)
{
  gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English));
  const auto store = gd::maptest::makeStore();
  MainWindow window;
  const BackgroundCheckOfEveryStore background;
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  auto *label = window.findChild<StoreCheckLabel *>(QStringLiteral("storeCheck"));
  ASSERT_NE(label, nullptr);
  ASSERT_TRUE(window.statusBar()->isAncestorOf(label));
  if (!label->isHidden())
  {
    EXPECT_EQ(label->text(), QStringLiteral("Checking the store…"));
  }
  QElapsedTimer waited;
  waited.start();
  while (!label->isHidden() && waited.elapsed() < 20000)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  EXPECT_TRUE(label->isHidden()) << label->text().toStdString();
}

TEST(StatusWarnings, TheCalendarWarningNamesTheMissingYearsAndHowToImportThem)
{
  gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English));
  MainWindow window;
  auto *label = window.findChild<CalendarWarningLabel *>(QStringLiteral("calendarWarning"));
  ASSERT_NE(label, nullptr);
  ASSERT_TRUE(window.statusBar()->isAncestorOf(label));
  // The shipped working calendar has the schedules of 2025 and 2026.
  label->showFor(QDate(2026, 11, 30));
  EXPECT_TRUE(label->isHidden()) << label->text().toStdString();
  // From December on, next year's schedule is needed (deadlines run into it).
  label->showFor(QDate(2026, 12, 7));
  EXPECT_FALSE(label->isHidden());
  EXPECT_EQ(label->text(), QStringLiteral("Holiday schedule of 2027 missing"));
  EXPECT_TRUE(label->toolTip().contains(QStringLiteral("griddispatch-ctl calendar import FILE.ics")))
    << label->toolTip().toStdString();
  // The current year's, and both.
  label->showFor(QDate(2027, 3, 2));
  EXPECT_EQ(label->text(), QStringLiteral("Holiday schedule of 2027 missing"));
  label->showFor(QDate(2027, 12, 1));
  EXPECT_EQ(label->text(), QStringLiteral("Holiday schedule of 2027 and 2028 missing"));
  label->showFor(QDate(2026, 6, 1));
  EXPECT_TRUE(label->isHidden());
}

TEST(StatusWarnings, ADamagedStoreFoundByTheBackgroundCheckIsSaidInTheStatusBar)
{
  for (const QString &language : {QStringLiteral("en"), QStringLiteral("zh_CN")})
  {
    ASSERT_EQ(gd::console::installTranslations(*QCoreApplication::instance(), QLocale(language)), language);
    const auto store = gd::maptest::makeStore();
    damage(store->path);
    const BackgroundCheckOfEveryStore background; // as for a 1 M-case store
    // The store opens (its check runs on), as the console's first open of it does.
    ASSERT_NO_THROW(gd::store::Schema::open(store->path.toStdString()));
    StoreCheckLabel label;
    label.watch(store->path);
    QElapsedTimer waited;
    waited.start();
    while (!label.toolTip().contains(QStringLiteral("quick_check")) && waited.elapsed() < 20000)
      QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    EXPECT_FALSE(label.isHidden());
    if (language == QLatin1String("en"))
    {
      EXPECT_EQ(label.text(), QStringLiteral("Store damaged: restore it from a backup"));
    }
    else
    {
      EXPECT_EQ(label.text(), QStringLiteral("存储已损坏：请从备份恢复"));
      EXPECT_TRUE(label.toolTip().startsWith(QStringLiteral("完整性检查发现存储 ") + store->path)) << label.toolTip().toStdString();
    }
    // The file and what SQLite found, in the tooltip.
    EXPECT_TRUE(label.toolTip().contains(store->path + QStringLiteral(" is damaged (SQLite quick_check): ")))
      << label.toolTip().toStdString();
    // Opened again (the console's File > Open, a service), the damage found is said at once.
    EXPECT_THROW(gd::store::Schema::open(store->path.toStdString()), gd::store::StoreError);
  }
}

// Issue 14 #5: an action that meets another program's write lock waits (up to 30 s) instead of
// failing, and the status bar says so while it waits, then the label goes.
TEST(StatusWarnings, AWaitForAnotherProgramsWriteLockIsSaidWhileItLasts)
{
  gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English));
  const auto store = gd::maptest::makeStore();
  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store->path, &error)) << error.toStdString();
  auto *label = window.findChild<StoreWaitLabel *>(QStringLiteral("storeWait"));
  ASSERT_NE(label, nullptr);
  ASSERT_TRUE(window.statusBar()->isAncestorOf(label));
  EXPECT_TRUE(label->isHidden());

  // Another program holds the write lock (as griddispatch-ctl or a gateway in a long write).
  sqlite3 *other = nullptr;
  ASSERT_EQ(sqlite3_open(store->path.toUtf8().constData(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  // A writer of this process (what the console's services do) meets it.
  std::atomic<bool> wrote{false};
  std::string failure;
  std::thread writer([&] {
    try
    {
      gd::store::Database db(store->path.toStdString());
      db.exec("BEGIN IMMEDIATE");
      db.exec("COMMIT");
      wrote = true;
    }
    catch (const std::exception &e)
    {
      failure = e.what();
    }
  });
  QElapsedTimer waited;
  waited.start();
  while (label->isHidden() && waited.elapsed() < 5000)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  EXPECT_FALSE(label->isHidden());
  EXPECT_TRUE(label->text().startsWith(QStringLiteral("Waiting for the store: "))) << label->text().toStdString();
  EXPECT_TRUE(label->text().endsWith(QStringLiteral(" of 30 s"))) << label->text().toStdString();
  EXPECT_TRUE(label->toolTip().contains(store->path)) << label->toolTip().toStdString();
  EXPECT_FALSE(wrote);

  // The other program is done: the write goes through and the label goes.
  sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  writer.join();
  EXPECT_TRUE(wrote) << failure;
  waited.restart();
  while (!label->isHidden() && waited.elapsed() < 5000)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  EXPECT_TRUE(label->isHidden()) << label->text().toStdString();
}

// Last: the zh_CN translation once installed stays (installTranslations adds, never removes).
TEST(StatusWarnings, TheCalendarWarningIsAllChineseInZhCn)
{
  ASSERT_EQ(gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QStringLiteral("zh_CN"))), "zh_CN");
  MainWindow window;
  auto *label = window.findChild<CalendarWarningLabel *>(QStringLiteral("calendarWarning"));
  ASSERT_NE(label, nullptr);
  label->showFor(QDate(2027, 12, 1));
  EXPECT_EQ(label->text(), QStringLiteral("缺少 2027 和 2028 年节假日安排"));
  QString tip = label->toolTip();
  EXPECT_TRUE(tip.contains(QStringLiteral("griddispatch-ctl calendar import FILE.ics"))) << tip.toStdString();
  tip.remove(QStringLiteral("griddispatch-ctl calendar import FILE.ics"));
  EXPECT_FALSE(hasLatin(tip)) << tip.toStdString();
  gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English));
}
