// Windows that fit their screen (issue 13, item 4) and the command views' keys (item 10),
// offscreen: the offscreen platform's one screen has a known available geometry, and a
// window's layout says what it needs at least, in zh_CN as an operator runs it.

#include "../uitestsupport.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/command/commandviews.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/shell/translations.h"
#include "console/shell/windowfit.h"

#include <qgsmapcanvas.h>

#include <QAbstractItemDelegate>
#include <QApplication>
#include <QDockWidget>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QScreen>
#include <QSettings>
#include <QStyleOptionViewItem>
#include <QStatusBar>
#include <QTableView>
#include <QTest>
#include <QTranslator>

#include <gtest/gtest.h>

using gd::console::CaseQueueModel;
using gd::console::MainWindow;

namespace {

using gd::consoletest::ChineseUi;

// What a desktop leaves a window at each screen size: a 40-pixel panel, and the window
// manager's title bar and borders (the estimate windowfit uses before a window is framed).
const QMargins kFrame(4, 30, 4, 4);
QSize usable(int width, int height)
{
  return QSize(width, height - 40).shrunkBy(kFrame);
}

std::vector<gd::console::CaseQueueRow> someRows(int count)
{
  std::vector<gd::console::CaseQueueRow> rows;
  for (int i = 1; i <= count; ++i)
  {
    gd::console::CaseQueueRow row;
    row.number = QStringLiteral("620902-20261207-%1").arg(i, 6, 10, QLatin1Char('0'));
    row.category = i % 3 == 0 ? QStringLiteral("0401 井盖缺失") : i % 3 == 1 ? QStringLiteral("0407 供水供电供气中断") : QStringLiteral("0303 危险化学品安全隐患");
    row.grid = QStringLiteral("620902001002003");
    row.source = QStringLiteral("patrol");
    row.state = QStringLiteral("assigned");
    row.leadDepartment = QStringLiteral("城市管理局");
    row.deadline = QDateTime::currentDateTime().addSecs(3600 * i);
    row.light = QStringLiteral("green");
    rows.push_back(row);
  }
  return rows;
}

} // namespace

TEST(WindowFit, ShrinksAndMovesAGeometryIntoTheScreen)
{
  const QRect screen(0, 0, 1366, 728);
  // 1600×1210, as the window opened on a 1080-line screen: now as large as the room, title bar on screen.
  const QRect fitted = gd::console::fitRect(QRect(-50, 40, 1600, 1210), screen, {}, kFrame);
  EXPECT_EQ(fitted, QRect(4, 30, 1358, 694));
  EXPECT_TRUE(screen.contains(fitted.marginsAdded(kFrame)));
  // A window that fits stays where it is; one partly off the right edge moves in.
  EXPECT_EQ(gd::console::fitRect(QRect(100, 100, 800, 500), screen, {}, kFrame), QRect(100, 100, 800, 500));
  EXPECT_EQ(gd::console::fitRect(QRect(1000, 100, 800, 500), screen, {}, kFrame), QRect(562, 100, 800, 500));
  // Never below the minimum size the window can take.
  EXPECT_EQ(gd::console::fitRect(QRect(0, 0, 1600, 1210), screen, QSize(1000, 800), kFrame).size(), QSize(1358, 800));
}

TEST(WindowFit, ClampsAWindowToItsScreensAvailableGeometry)
{
  QWidget window;
  window.setGeometry(200, 100, 4000, 3000);
  gd::console::fitToScreen(&window);
  const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
  EXPECT_TRUE(available.contains(window.geometry().marginsAdded(kFrame)))
    << window.geometry().width() << "x" << window.geometry().height() << " on " << available.width() << "x" << available.height();
}

TEST(WindowFit, RestoredGeometryLargerThanTheScreenIsClamped)
{
  const QString name = QStringLiteral("windowfit-test-%1").arg(QCoreApplication::applicationPid());
  {
    MainWindow saved;
    saved.setOperatorName(name);
    saved.setGeometry(0, 0, 2600, 1900);
    saved.show();
    saved.close(); // saves the operator's layout
  }
  MainWindow window;
  window.setOperatorName(name);
  window.showOnScreen();
  QSettings().remove(QStringLiteral("operators/%1").arg(name));
  const QRect available = QGuiApplication::primaryScreen()->availableGeometry().marginsRemoved(kFrame);
  // As large as the screen lets it be, and no larger than the window must be.
  EXPECT_LE(window.width(), std::max(available.width(), window.minimumSize().width()));
  EXPECT_LE(window.height(), std::max(available.height(), window.minimumSize().height()));
  EXPECT_LT(window.width(), 2600);
  EXPECT_LT(window.height(), 1900);
}

TEST(WindowFit, MainWindowFitsA1366x768ScreenWithEveryDockShown)
{
  ChineseUi chinese;
  MainWindow window;
  window.resize(usable(1366, 768));
  window.show();
  window.dispatch()->caseQueueModel()->applyChanges(someRows(40), {});
  QCoreApplication::processEvents();
  int docks = 0;
  for (QDockWidget *dock : window.findChildren<QDockWidget *>())
    // The department dock appears only once a store opens (a department seat's inbox, or the
    // center's extension requests): without a store it has nothing to show.
    if (dock->objectName() != QLatin1String("layerDock") && dock->objectName() != QLatin1String("departmentDock"))
    {
      EXPECT_TRUE(dock->isVisible()) << dock->objectName().toStdString();
      ++docks;
    }
  EXPECT_GE(docks, 8);
  const QSize minimum = window.minimumSizeHint();
  // Well under the screen: the window can be made smaller than a 1366×768 laptop leaves it.
  EXPECT_LE(minimum.width(), 1100);
  EXPECT_LE(minimum.height(), 600);
  EXPECT_EQ(window.size(), usable(1366, 768));
  // The status bar with the SLA clock is on screen, the clock not cut.
  QStatusBar *bar = window.statusBar();
  ASSERT_TRUE(bar->isVisible());
  EXPECT_LE(bar->geometry().bottom(), window.height());
  QLabel *clock = nullptr;
  for (QLabel *label : bar->findChildren<QLabel *>())
    if (label->text().startsWith(QStringLiteral("SLA 时钟")) || label->text().contains(QStringLiteral("时钟")))
      clock = label;
  ASSERT_NE(clock, nullptr);
  EXPECT_TRUE(clock->isVisible());
  EXPECT_GE(clock->width(), clock->sizeHint().width()) << clock->text().toStdString();
  EXPECT_LE(clock->mapTo(&window, clock->rect().bottomRight()).y(), window.height());
  // The queue shows rows, not one.
  const int rowHeight = window.dispatch()->caseQueueView()->verticalHeader()->defaultSectionSize();
  EXPECT_GE(window.dispatch()->caseQueueView()->viewport()->height() / rowHeight, 8);
}

TEST(WindowFit, QueueShowsFifteenRowsAt1920x1080AndWholeCaseNumbersCategoriesAndGrids)
{
  ChineseUi chinese;
  MainWindow window;
  window.resize(usable(1920, 1080));
  window.show();
  window.dispatch()->caseQueueModel()->applyChanges(someRows(40), {});
  QCoreApplication::processEvents();
  QTableView *view = window.dispatch()->caseQueueView();
  const int rowHeight = view->verticalHeader()->defaultSectionSize();
  EXPECT_GE(view->viewport()->height() / rowHeight, 15) << view->viewport()->height() << " / " << rowHeight;
  // The case number, category and grid columns are as wide as their contents.
  QStyleOptionViewItem option;
  option.initFrom(view);
  for (int column : {CaseQueueModel::Number, CaseQueueModel::Category, CaseQueueModel::Grid})
    for (int row = 0; row < 40; ++row)
    {
      const QModelIndex index = view->model()->index(row, column);
      EXPECT_GE(view->columnWidth(column), view->itemDelegate()->sizeHint(option, index).width())
        << column << ": " << index.data().toString().toStdString();
    }
  EXPECT_GE(view->columnWidth(CaseQueueModel::Number),
            view->fontMetrics().horizontalAdvance(QStringLiteral("620902-20261207-000040")));
}

TEST(WindowFit, ConferenceViewIsNoLargerThanItsScreen)
{
  MainWindow window;
  window.resize(usable(1366, 768));
  window.show();
  gd::console::ConferenceView *view = window.command()->showConferenceView(true);
  ASSERT_NE(view, nullptr);
  const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
  EXPECT_TRUE(available.contains(view->geometry().marginsAdded(kFrame)))
    << view->width() << "x" << view->height() << " on " << available.width() << "x" << available.height();
}

// Item 10: F10, F11 and Esc while the conference view or the big screen has the focus.
TEST(CommandViewKeys, F10F11AndEscWorkInTheConferenceViewAndTheBigScreen)
{
  MainWindow window;
  window.resize(usable(1366, 768));
  window.show();
  gd::console::ConferenceView *conference = window.command()->showConferenceView(true);
  ASSERT_NE(conference, nullptr);
  QApplication::setActiveWindow(conference);
  ASSERT_EQ(QApplication::activeWindow(), conference);

  // F11 in the conference view opens the big screen.
  QTest::keyClick(conference, Qt::Key_F11);
  ASSERT_NE(window.command()->bigScreen(), nullptr);
  EXPECT_TRUE(window.command()->bigScreen()->isVisible());
  // F11 in the big screen closes it again; Esc there leaves it too.
  QApplication::setActiveWindow(window.command()->bigScreen());
  QTest::keyClick(window.command()->bigScreen()->canvas(), Qt::Key_F11);
  EXPECT_FALSE(window.command()->bigScreen()->isVisible());
  window.command()->showBigScreen(true, QSize(800, 450));
  QApplication::setActiveWindow(window.command()->bigScreen());
  QTest::keyClick(window.command()->bigScreen()->canvas(), Qt::Key_Escape);
  EXPECT_FALSE(window.command()->bigScreen()->isVisible());

  // F10 in the conference view closes it; Esc with the focus on its map leaves it.
  QApplication::setActiveWindow(conference);
  QTest::keyClick(conference, Qt::Key_F10);
  EXPECT_FALSE(conference->isVisible());
  window.command()->showConferenceView(true);
  QApplication::setActiveWindow(conference);
  QTest::keyClick(conference->canvas(), Qt::Key_Escape);
  EXPECT_FALSE(conference->isVisible());
}
