// The case queue's filter bar, alone and in the console on a real store with cases arriving
// live: the free text finds a case by its number or title, and clearing it, "Reset filters",
// F5 and "All states" bring every row back (they used to leave the queue empty for good).
#include "../uitestsupport.h"
#include "console/dispatch/queuefilterbar.h"

#include "console/dispatch/casequeuefilter.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "../consolefixture.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <functional>
#include <thread>

using gd::console::CaseQueueCriteria;
using gd::console::MainWindow;
using gd::console::QueueFilterBar;

namespace {

using gd::consoletest::waitFor;

QComboBox *stateBox(const QueueFilterBar &bar)
{
  return bar.findChild<QComboBox *>(QStringLiteral("stateFilter"));
}

} // namespace

TEST(QueueFilterBar, AllStatesFiltersNoStateWhateverElseChanges)
{
  QueueFilterBar bar;
  std::vector<CaseQueueCriteria> emitted;
  QObject::connect(&bar, &QueueFilterBar::criteriaChanged, [&](const CaseQueueCriteria &c) { emitted.push_back(c); });
  // Typing re-reads every widget: "All states" must read as no state at all, not as {""}.
  bar.textEdit()->setText(QStringLiteral("620902"));
  ASSERT_FALSE(emitted.empty());
  EXPECT_TRUE(emitted.back().states.isEmpty()) << emitted.back().states.join(QLatin1Char('|')).toStdString();
  EXPECT_EQ(emitted.back().text, QStringLiteral("620902"));

  QComboBox *states = stateBox(bar);
  states->setCurrentIndex(states->findText(gd::console::CaseQueueModel::stateTitle(QStringLiteral("assigned"))));
  EXPECT_EQ(emitted.back().states, QStringList{QStringLiteral("assigned")});
  states->setCurrentIndex(0);
  EXPECT_TRUE(emitted.back().states.isEmpty());

  bar.reset();
  EXPECT_EQ(emitted.back(), CaseQueueCriteria());
  EXPECT_EQ(bar.criteria(), CaseQueueCriteria());

  // Criteria shown and read back are the same, with and without a state.
  CaseQueueCriteria c;
  c.states = QStringList{QStringLiteral("handled"), QStringLiteral("closed")};
  c.text = QStringLiteral("井盖");
  bar.setCriteria(c);
  EXPECT_EQ(bar.criteria(), c);
  c.states.clear();
  bar.setCriteria(c);
  EXPECT_EQ(bar.criteria(), c);
}

namespace {

class QueueFilterTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
      store = gd::consoletest::makeConsoleStore(4);
      for (int i = 0; i < 5; ++i)
        numbers << gd::consoletest::reportCase(store, titles[i], i * 7);
      window = std::make_unique<MainWindow>();
      QString error;
      ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
      ASSERT_TRUE(window->session()->waitForCases());
      window->resize(1600, 900);
      window->show();
      ASSERT_EQ(shown().size(), 5);
    }

    void TearDown() override { window.reset(); }

    //! The case numbers the queue shows, sorted.
    QStringList shown() const
    {
      QStringList out;
      for (int r = 0; r < window->dispatch()->caseQueueProxy()->rowCount(); ++r)
        out << window->dispatch()->caseQueueProxy()->numberAt(r);
      out.sort();
      return out;
    }

    QStringList all() const
    {
      QStringList out = numbers;
      out.sort();
      return out;
    }

    //! Types \a text into the filter as the operator does (after selecting what is there).
    void type(const QString &text)
    {
      QLineEdit *edit = window->dispatch()->queueFilterBar()->textEdit();
      edit->selectAll();
      QTest::keyClick(edit, Qt::Key_Backspace);
      // Latin keys one by one; Chinese as an input method commits it, at once.
      bool latin = true;
      for (const QChar c : text)
        latin = latin && c.unicode() < 0x80;
      if (latin)
        QTest::keyClicks(edit, text);
      else
        edit->insert(text);
    }

    QAction *actionWithShortcut(const QKeySequence &key) const
    {
      for (QAction *action : window->findChildren<QAction *>())
        if (action->shortcut() == key)
          return action;
      return nullptr;
    }

    const QStringList titles{QStringLiteral("井盖缺失"), QStringLiteral("楼道堆放杂物"), QStringLiteral("路灯不亮"),
                             QStringLiteral("占道经营"), QStringLiteral("噪声扰民")};
    gd::consoletest::ConsoleStore store;
    std::unique_ptr<MainWindow> window;
    QStringList numbers;
};

} // namespace

TEST_F(QueueFilterTest, TheTextFindsACaseByNumberOrTitleAndClearingBringsEveryRowBack)
{
  type(numbers[2]);
  EXPECT_EQ(shown(), QStringList{numbers[2]});
  type(titles[3]);
  EXPECT_EQ(shown(), QStringList{numbers[3]});
  // The clear button of the field, as the operator clears it.
  window->dispatch()->queueFilterBar()->textEdit()->clear();
  EXPECT_EQ(shown(), all());

  type(numbers[1]);
  EXPECT_EQ(shown(), QStringList{numbers[1]});
  window->dispatch()->queueFilterBar()->findChild<QToolButton *>(QStringLiteral("resetFiltersButton"))->click();
  EXPECT_EQ(shown(), all());
  EXPECT_TRUE(window->dispatch()->queueFilterBar()->textEdit()->text().isEmpty());

  // Ctrl+Shift+F resets as well; F5 leaves the rows where they are.
  type(titles[0]);
  EXPECT_EQ(shown(), QStringList{numbers[0]});
  QAction *reset = actionWithShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+F")));
  ASSERT_NE(reset, nullptr);
  reset->trigger();
  EXPECT_EQ(shown(), all());
  QAction *reload = actionWithShortcut(QKeySequence(Qt::Key_F5));
  ASSERT_NE(reload, nullptr);
  reload->trigger();
  QCoreApplication::processEvents();
  EXPECT_EQ(shown(), all());

  // One state, then "All states" again after typing.
  QComboBox *states = stateBox(*window->dispatch()->queueFilterBar());
  states->setCurrentIndex(states->findText(gd::console::CaseQueueModel::stateTitle(QStringLiteral("assigned"))));
  EXPECT_TRUE(shown().isEmpty()); // every case is just reported
  type(titles[4]);
  states->setCurrentIndex(0);
  EXPECT_EQ(shown(), QStringList{numbers[4]});
  type(QString());
  EXPECT_EQ(shown(), all());
}

TEST_F(QueueFilterTest, CasesArrivingLiveAreFilteredAndAllShownOnceTheFilterIsCleared)
{
  type(QStringLiteral("井盖"));
  EXPECT_EQ(shown(), QStringList{numbers[0]});
  // Two more arrive from the field while the filter is on: one matches, one does not.
  const QString matching = gd::consoletest::reportCase(store, QStringLiteral("井盖破损"), 40);
  const QString other = gd::consoletest::reportCase(store, QStringLiteral("垃圾满溢"), 50);
  ASSERT_TRUE(waitFor([&] { return window->dispatch()->caseQueueModel()->rowCount() == 7; }));
  QStringList expected{numbers[0], matching};
  expected.sort();
  EXPECT_EQ(shown(), expected);
  // Found by its exact number too.
  type(other);
  EXPECT_EQ(shown(), QStringList{other});
  window->dispatch()->queueFilterBar()->textEdit()->clear();
  numbers << matching << other;
  EXPECT_EQ(shown(), all());
  // And the next arrival with no filter on is shown at once.
  numbers << gd::consoletest::reportCase(store, QStringLiteral("树木倒伏"), 60);
  ASSERT_TRUE(waitFor([&] { return window->dispatch()->caseQueueModel()->rowCount() == 8; }));
  EXPECT_EQ(shown(), all());
}
