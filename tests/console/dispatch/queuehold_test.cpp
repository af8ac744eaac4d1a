// The queue holds still under the pointer, in the console on a real store with cases arriving
// live from another connection: a shift-click selects the rows the operator saw, arrivals wait
// behind "N new cases" until it is clicked or the pointer leaves, a selection drag holds them
// too, and a case already in the queue changes where it stands.
#include "../uitestsupport.h"
#include "console/dispatch/queuehold.h"

#include "console/dispatch/casequeuefilter.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/dispatch/caseservice.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/shell/translations.h"
#include "../consolefixture.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEnterEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTranslator>

#include <functional>
#include <thread>

using gd::console::CaseQueueModel;
using gd::console::MainWindow;
using gd::console::QueueHold;

namespace {

using gd::consoletest::waitFor;

class QueueHoldTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
      store = gd::consoletest::makeConsoleStore(4);
      for (int i = 0; i < 6; ++i)
        gd::consoletest::reportCase(store, QStringLiteral("楼道堆放杂物%1").arg(i), i * 5);
      window = std::make_unique<MainWindow>();
      QString error;
      ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
      ASSERT_TRUE(window->session()->waitForCases());
      window->resize(1600, 900);
      window->show();
      view = window->dispatch()->caseQueueView();
      hold = window->dispatch()->queueHold();
      // Newest number first: every arrival lands at the top and pushes the rest down, the
      // worst case for a pointer resting on a row.
      view->sortByColumn(CaseQueueModel::Number, Qt::DescendingOrder);
      ASSERT_EQ(rows().size(), 6);
    }

    void TearDown() override { window.reset(); }

    //! The case numbers in the order the queue shows them.
    QStringList rows() const
    {
      QStringList out;
      for (int r = 0; r < window->dispatch()->caseQueueProxy()->rowCount(); ++r)
        out << window->dispatch()->caseQueueProxy()->numberAt(r);
      return out;
    }

    //! The pointer comes onto the queue, or leaves it (what the window system tells the view).
    void pointerOnQueue()
    {
      const QPointF at(view->width() / 2.0, view->height() / 2.0);
      QEnterEvent enter(at, at, view->mapToGlobal(at.toPoint()));
      QApplication::sendEvent(view, &enter);
    }
    void pointerOffQueue()
    {
      QEvent leave(QEvent::Leave);
      QApplication::sendEvent(view, &leave);
    }

    QPoint rowCentre(int row) const { return view->visualRect(window->dispatch()->caseQueueProxy()->index(row, 0)).center(); }

    QStringList selected() const
    {
      QStringList out;
      for (const QModelIndex &index : view->selectionModel()->selectedRows())
        out << window->dispatch()->caseQueueProxy()->numberAt(index.row());
      out.sort();
      return out;
    }

    //! Cases reported from the field, on a connection of their own; waits until the console has them.
    QStringList arrive(int count)
    {
      QStringList out;
      for (int i = 0; i < count; ++i)
        out << gd::consoletest::reportCase(store, QStringLiteral("新案件%1").arg(i), 60 + i);
      const int before = hold->heldNewCases() + window->dispatch()->caseQueueModel()->rowCount();
      EXPECT_TRUE(waitFor([&] { return hold->heldNewCases() + window->dispatch()->caseQueueModel()->rowCount() == before + count; }));
      return out;
    }

    gd::consoletest::ConsoleStore store;
    std::unique_ptr<MainWindow> window;
    QTableView *view = nullptr;
    QueueHold *hold = nullptr;
};

} // namespace

TEST_F(QueueHoldTest, AShiftClickSelectsTheRowsTheOperatorSawWhileCasesArrive)
{
  const QStringList before = rows();
  pointerOnQueue();
  QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, rowCentre(1));
  arrive(3);
  // Nothing moved: the same cases in the same rows, and the bar says what waits.
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(hold->barText(), QStringLiteral("3 new case(s)"));
  EXPECT_TRUE(hold->bar()->isVisible());
  QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ShiftModifier, rowCentre(3));
  QStringList meant{before[1], before[2], before[3]};
  meant.sort();
  EXPECT_EQ(selected(), meant);
  EXPECT_EQ(window->dispatch()->caseQueueModel()->rowCount(), 6);
}

TEST_F(QueueHoldTest, TheBarPutsTheNewCasesInAndSoDoesThePointerLeaving)
{
  pointerOnQueue();
  const QStringList first = arrive(2);
  EXPECT_EQ(hold->barText(), QStringLiteral("2 new case(s)"));
  // The bar is over the queue: clicking it keeps the pointer on the queue.
  QTest::mouseClick(hold->bar(), Qt::LeftButton);
  EXPECT_TRUE(hold->barText().isEmpty());
  ASSERT_EQ(rows().size(), 8);
  EXPECT_TRUE(rows().mid(0, 2).contains(first[0]) && rows().mid(0, 2).contains(first[1])) << rows().join(' ').toStdString();

  // Still on the queue: the next one waits again, until the pointer leaves.
  const QStringList second = arrive(1);
  EXPECT_EQ(hold->barText(), QStringLiteral("1 new case(s)"));
  EXPECT_EQ(rows().size(), 8);
  pointerOffQueue();
  EXPECT_TRUE(hold->barText().isEmpty());
  EXPECT_FALSE(hold->bar()->isVisible());
  ASSERT_EQ(rows().size(), 9);
  EXPECT_EQ(rows().front(), second[0]);

  // Off the queue, arrivals go straight in.
  const QStringList third = arrive(1);
  EXPECT_EQ(rows().front(), third[0]);
  EXPECT_TRUE(hold->barText().isEmpty());
}

TEST_F(QueueHoldTest, ASelectionDragHoldsTheRowsUntilTheButtonIsLetGo)
{
  pointerOnQueue();
  const QStringList before = rows();
  QTest::mousePress(view->viewport(), Qt::LeftButton, Qt::NoModifier, rowCentre(0));
  // The drag goes on past the queue's edge: the pointer left, the button is still down.
  pointerOffQueue();
  arrive(2);
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(hold->heldNewCases(), 2);
  QTest::mouseRelease(view->viewport(), Qt::LeftButton, Qt::NoModifier, rowCentre(2));
  EXPECT_EQ(rows().size(), 8);
  EXPECT_EQ(hold->heldNewCases(), 0);
}

TEST_F(QueueHoldTest, ACaseInTheQueueChangesWhereItStandsAndMovesWhenTheHoldEnds)
{
  // Sorted by state, a registered case would move below the reported ones.
  view->sortByColumn(CaseQueueModel::State, Qt::DescendingOrder); // "reported" > "registered"
  const QStringList before = rows();
  const QString first = before.front();
  pointerOnQueue();
  gd::console::ActionOutcome outcome;
  window->session()->caseService()->post([&](gd::console::CaseService &service) {
    outcome = service.perform(first, {QStringLiteral("register"), QString(), {}});
  });
  window->session()->caseService()->drain();
  ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
  const int sourceRow = window->dispatch()->caseQueueModel()->rowOf(first);
  ASSERT_TRUE(waitFor([&] { return window->dispatch()->caseQueueModel()->row(sourceRow).state == QLatin1String("registered"); }));
  // Its cells say so, in the row where it was.
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(window->dispatch()->caseQueueProxy()->index(0, CaseQueueModel::State).data().toString(),
            CaseQueueModel::stateTitle(QStringLiteral("registered")));
  EXPECT_TRUE(hold->barText().isEmpty()); // nothing new is waiting
  pointerOffQueue();
  EXPECT_EQ(rows().back(), first);
  EXPECT_EQ(rows().size(), before.size());
}

TEST_F(QueueHoldTest, ACaseLeavingTheQueueWaitsToo)
{
  const QStringList before = rows();
  const QString leaving = before[1];
  pointerOnQueue();
  gd::console::ActionOutcome outcome;
  window->session()->caseService()->post([&](gd::console::CaseService &service) {
    outcome = service.perform(leaving, {QStringLiteral("void"), QStringLiteral("误报"), {}});
  });
  window->session()->caseService()->drain();
  ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
  ASSERT_TRUE(waitFor([&] { return hold->heldRemovals() == 1; }));
  EXPECT_EQ(rows(), before);
  EXPECT_EQ(hold->barText(), QStringLiteral("1 case(s) left the queue"));
  pointerOffQueue();
  QStringList after = before;
  after.removeAll(leaving);
  EXPECT_EQ(rows(), after);
}

TEST_F(QueueHoldTest, TheBarSpeaksChinese)
{
  gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English)); // loads the resources
  QTranslator zh;
  ASSERT_TRUE(zh.load(QStringLiteral(":/i18n/griddispatch_zh_CN.qm")));
  QCoreApplication::installTranslator(&zh);
  pointerOnQueue();
  arrive(2);
  EXPECT_EQ(hold->barText(), QStringLiteral("2 条新案件"));
  EXPECT_FALSE(hold->bar()->toolTip().isEmpty());
  QCoreApplication::removeTranslator(&zh);
}
