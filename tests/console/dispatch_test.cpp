// The operator's day driven through the console's own actions, offscreen, on a real store:
// intake, duplicate suggestion and attach, dispatch in three actions with the assign order to
// the worker's terminal, the whole loop, every exception, bulk steps, selection kept in step
// across queue, map and detail, a case changing under the operator, and the shortcut help.
#include "console/mainwindow.h"

#include "console/actiondialog.h"
#include "console/casedetailpanel.h"
#include "console/casequeuefilter.h"
#include "console/casequeuemodel.h"
#include "console/helpoverlay.h"
#include "console/intakedialog.h"
#include "consolefixture.h"

#include <gtest/gtest.h>
#include <qgsvectorlayer.h>

#include <QAction>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>

using gd::console::ActionDialog;
using gd::console::ActionOutcome;
using gd::console::IntakeForm;
using gd::console::MainWindow;

namespace {

class DispatchTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
      store = gd::consoletest::makeConsoleStore(20);
      window = std::make_unique<MainWindow>();
      window->setOperatorName(QStringLiteral("调度员甲"));
      QString error;
      ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
      ASSERT_TRUE(window->waitForCases());
      window->resize(1600, 900);
      window->show();
    }

    void TearDown() override { window.reset(); }

    IntakeForm form(const gd::consoletest::Terminal &at, const QString &title = QStringLiteral("楼道堆放杂物堵塞消防通道"))
    {
      IntakeForm f;
      f.caller = QStringLiteral("李四");
      f.phone = QStringLiteral("13800138000");
      f.address = QStringLiteral("幸福小区3号楼");
      f.category = QStringLiteral("0301");
      f.title = title;
      f.description = QStringLiteral("三单元楼道堆满纸箱");
      f.lon = at.lon;
      f.lat = at.lat;
      return f;
    }

    //! Takes a call through the intake form and its Register button; returns the new number.
    QString intake(const IntakeForm &f)
    {
      gd::console::IntakeDialog *dialog = window->openIntake();
      EXPECT_NE(dialog, nullptr);
      dialog->setForm(f);
      QSignalSpy finished(window.get(), &MainWindow::stepFinished);
      dialog->findChild<QPushButton *>(QStringLiteral("submitButton"))->click();
      EXPECT_TRUE(finished.wait(5000));
      const auto outcome = finished.takeFirst().at(0).value<ActionOutcome>();
      EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
      return outcome.number;
    }

    void select(const QString &number)
    {
      QSignalSpy shown(window.get(), &MainWindow::caseShown);
      window->selectCase(number);
      ASSERT_TRUE(shown.wait(5000));
      ASSERT_EQ(window->caseDetailPanel()->detail().number, number);
    }

    //! Triggers step \a name, lets \a fill complete its dialog, presses OK; returns the outcome.
    ActionOutcome step(const QString &name, const std::function<void(ActionDialog *)> &fill = {})
    {
      QAction *action = window->stepAction(name);
      EXPECT_NE(action, nullptr) << name.toStdString();
      EXPECT_TRUE(action->isEnabled()) << name.toStdString() << " is not offered";
      QSignalSpy opened(window.get(), &MainWindow::stepDialogOpened);
      action->trigger();
      if (!opened.wait(5000))
        return ActionOutcome{};
      auto *dialog = opened.takeFirst().at(0).value<ActionDialog *>();
      if (fill)
        fill(dialog);
      QSignalSpy finished(window.get(), &MainWindow::stepFinished);
      QSignalSpy shown(window.get(), &MainWindow::caseShown);
      dialog->accept();
      EXPECT_TRUE(finished.wait(5000));
      const auto outcome = finished.takeFirst().at(0).value<ActionOutcome>();
      settle();
      return outcome;
    }

    //! Lets every queued load finish and reach the window (the detail shows the case as stored).
    void settle()
    {
      window->caseService()->drain();
      QCoreApplication::processEvents();
      window->caseService()->drain();
      QCoreApplication::processEvents();
    }

    static void note(ActionDialog *dialog, const QString &text)
    {
      dialog->findChild<QPlainTextEdit *>(QStringLiteral("noteEdit"))->setPlainText(text);
    }

    QString state() const { return window->caseDetailPanel()->detail().state; }

    gd::consoletest::ConsoleStore store;
    std::unique_ptr<MainWindow> window;
};

} // namespace

TEST_F(DispatchTest, FromANewCaseToAssignedInThreeOperatorActions)
{
  const auto &terminal = store.terminals.front();
  const QString number = intake(form(terminal));
  ASSERT_FALSE(number.isEmpty());

  // 1: select the case.
  select(number);
  EXPECT_EQ(state(), QStringLiteral("registered"));
  // 2: Ctrl+D.
  QAction *dispatch = window->stepAction(QStringLiteral("dispatch"));
  EXPECT_EQ(dispatch->shortcut(), QKeySequence(QStringLiteral("Ctrl+D")));
  QSignalSpy opened(window.get(), &MainWindow::stepDialogOpened);
  dispatch->trigger();
  ASSERT_TRUE(opened.wait(5000));
  auto *dialog = opened.takeFirst().at(0).value<ActionDialog *>();
  // The suggestion is preselected and OK is the default button: Enter accepts it.
  EXPECT_EQ(dialog->lead(), QStringLiteral("fire"));
  EXPECT_TRUE(dialog->missing().isEmpty());
  EXPECT_FALSE(dialog->worker().isEmpty());
  const QString worker = dialog->worker();
  // 3: Enter.
  QSignalSpy finished(window.get(), &MainWindow::stepFinished);
  QSignalSpy shown(window.get(), &MainWindow::caseShown);
  dialog->accept();
  ASSERT_TRUE(finished.wait(5000));
  EXPECT_TRUE(finished.takeFirst().at(0).value<ActionOutcome>().ok);
  ASSERT_TRUE(shown.wait(5000));

  const auto &detail = window->caseDetailPanel()->detail();
  EXPECT_EQ(detail.state, QStringLiteral("assigned"));
  EXPECT_EQ(detail.leadDepartment, QStringLiteral("fire"));
  EXPECT_EQ(detail.workerId, worker);
  const QStringList timeline = window->caseDetailPanel()->timelineTexts();
  ASSERT_EQ(timeline.size(), 4);
  EXPECT_TRUE(timeline[3].contains(QStringLiteral("调度员甲"))) << timeline[3].toStdString();
  // Offered next: what an assigned case allows, and nothing it refuses.
  const QStringList steps = window->caseDetailPanel()->visibleSteps();
  EXPECT_TRUE(steps.contains(QStringLiteral("start_handling")));
  EXPECT_TRUE(steps.contains(QStringLiteral("return")));
  EXPECT_FALSE(steps.contains(QStringLiteral("close")));
  EXPECT_FALSE(steps.contains(QStringLiteral("dispatch")));
  EXPECT_FALSE(window->stepAction(QStringLiteral("close"))->isEnabled());
}

TEST_F(DispatchTest, AssignmentSendsAnOrderToTheWorkersTerminal)
{
  const auto &terminal = store.terminals.front();
  const QString number = intake(form(terminal));
  select(number);
  const ActionOutcome outcome = step(QStringLiteral("dispatch"), [&](ActionDialog *dialog) {
    auto *workers = dialog->findChild<QComboBox *>(QStringLiteral("workerCombo"));
    const int index = workers->findData(terminal.workerId);
    ASSERT_GE(index, 0);
    workers->setCurrentIndex(index);
    auto *assisting = dialog->findChild<QListWidget *>(QStringLiteral("assistingList"));
    for (int i = 0; i < assisting->count(); ++i)
      if (assisting->item(i)->data(Qt::UserRole).toString() == QLatin1String("housing"))
        assisting->item(i)->setCheckState(Qt::Checked);
  });
  ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
  EXPECT_EQ(outcome.ordersSent, 1);
  EXPECT_EQ(gd::consoletest::pendingOrders(store.path(), terminal.device), QStringList{QStringLiteral("assign:") + number});
  EXPECT_EQ(window->caseDetailPanel()->detail().assistingNames.size(), 1);
}

TEST_F(DispatchTest, TheWholeLoopThroughTheConsolesActions)
{
  const QString number = intake(form(store.terminals.front()));
  select(number);
  ASSERT_TRUE(step(QStringLiteral("dispatch")).ok);
  ASSERT_TRUE(step(QStringLiteral("start_handling")).ok);
  EXPECT_EQ(state(), QStringLiteral("in_handling"));
  ASSERT_TRUE(step(QStringLiteral("feedback"), [](ActionDialog *d) {
                d->findChild<QLineEdit *>(QStringLiteral("resultEdit"))->setText(QStringLiteral("已清理"));
              }).ok);
  ASSERT_TRUE(step(QStringLiteral("close")).ok);
  // An unsatisfied visit: archive is not offered, rework is.
  ASSERT_TRUE(step(QStringLiteral("visit"), [](ActionDialog *d) {
                auto *combo = d->findChild<QComboBox *>(QStringLiteral("satisfactionCombo"));
                combo->setCurrentIndex(combo->findData(QStringLiteral("unsatisfied")));
              }).ok);
  EXPECT_FALSE(window->caseDetailPanel()->visibleSteps().contains(QStringLiteral("archive")));
  // Rework needs to say what is to be redone.
  QSignalSpy opened(window.get(), &MainWindow::stepDialogOpened);
  window->stepAction(QStringLiteral("rework"))->trigger();
  ASSERT_TRUE(opened.wait(5000));
  auto *rework = opened.takeFirst().at(0).value<ActionDialog *>();
  EXPECT_FALSE(rework->missing().isEmpty());
  rework->reject();
  ASSERT_TRUE(step(QStringLiteral("rework"), [](ActionDialog *d) { note(d, QStringLiteral("杂物又堆回来了")); }).ok);
  EXPECT_EQ(state(), QStringLiteral("in_handling"));
  ASSERT_TRUE(step(QStringLiteral("feedback")).ok);
  ASSERT_TRUE(step(QStringLiteral("close")).ok);
  ASSERT_TRUE(step(QStringLiteral("visit")).ok); // satisfied is the default
  ASSERT_TRUE(step(QStringLiteral("archive")).ok);
  EXPECT_EQ(state(), QStringLiteral("archived"));
  EXPECT_TRUE(window->caseDetailPanel()->visibleSteps().isEmpty()) << window->caseDetailPanel()->visibleSteps().join(",").toStdString();
  EXPECT_EQ(window->caseDetailPanel()->timelineTexts().size(), 13);
}

TEST_F(DispatchTest, EveryExceptionThroughTheConsolesActions)
{
  const QString a = intake(form(store.terminals.front()));
  select(a);
  ASSERT_TRUE(step(QStringLiteral("dispatch")).ok);
  ASSERT_TRUE(step(QStringLiteral("return"), [](ActionDialog *d) { note(d, QStringLiteral("不属于消防职责")); }).ok);
  EXPECT_EQ(state(), QStringLiteral("accepted"));
  const QString grid = window->caseDetailPanel()->detail().responsibleGrid;
  ASSERT_TRUE(step(QStringLiteral("escalate"), [](ActionDialog *d) { note(d, QStringLiteral("网格无法协调")); }).ok);
  EXPECT_LT(window->caseDetailPanel()->detail().responsibleGrid.size(), grid.size());
  ASSERT_TRUE(step(QStringLiteral("assign")).ok);
  const QDateTime deadline = window->caseDetailPanel()->detail().deadline;
  ASSERT_TRUE(step(QStringLiteral("extend"), [](ActionDialog *d) {
                d->findChild<QLineEdit *>(QStringLiteral("approverEdit"))->setText(QStringLiteral("主任王"));
                d->findChild<QSpinBox *>(QStringLiteral("amountSpin"))->setValue(2);
                note(d, QStringLiteral("需协调物业"));
              }).ok);
  EXPECT_GT(window->caseDetailPanel()->detail().deadline, deadline);
  ASSERT_TRUE(step(QStringLiteral("park"), [](ActionDialog *d) { note(d, QStringLiteral("等待诉讼结果")); }).ok);
  EXPECT_EQ(state(), QStringLiteral("parked"));
  EXPECT_TRUE(window->caseDetailPanel()->visibleSteps().contains(QStringLiteral("resume")));
  EXPECT_FALSE(window->caseDetailPanel()->visibleSteps().contains(QStringLiteral("start_handling")));
  ASSERT_TRUE(step(QStringLiteral("resume")).ok);
  EXPECT_EQ(state(), QStringLiteral("assigned"));

  const QString b = intake(form(store.terminals[1]));
  select(b);
  ASSERT_TRUE(step(QStringLiteral("void"), [](ActionDialog *d) { note(d, QStringLiteral("误报")); }).ok);
  EXPECT_EQ(state(), QStringLiteral("voided"));

  const QString c = intake(form(store.terminals[2]));
  const QString d = intake(form(store.terminals[2], QStringLiteral("消防通道被堵")));
  select(d);
  const ActionOutcome merged = step(QStringLiteral("merge"), [&c](ActionDialog *dialog) {
    auto *target = dialog->findChild<QComboBox *>(QStringLiteral("targetCombo"));
    // The likely duplicate is offered first.
    EXPECT_EQ(target->itemText(0), c);
    target->setCurrentText(c);
  });
  ASSERT_TRUE(merged.ok) << merged.message.toStdString();
  EXPECT_EQ(state(), QStringLiteral("merged"));
  select(c);
  EXPECT_EQ(window->caseDetailPanel()->detail().reporters.size(), 2u);
}

TEST_F(DispatchTest, ACaseThatLeavesTheQueueStaysOnScreen)
{
  const QString a = intake(form(store.terminals.front()));
  const QString b = intake(form(store.terminals[5], QStringLiteral("电动车楼道充电")));
  for (int i = 0; i < 150 && (window->caseQueueModel()->rowOf(a) < 0 || window->caseQueueModel()->rowOf(b) < 0); ++i)
    QSignalSpy(window.get(), &MainWindow::caseShown).wait(100);
  ASSERT_GE(window->caseQueueModel()->rowOf(a), 0);
  select(b);
  ASSERT_EQ(window->selectedCaseNumbers(), QStringList{b});
  ASSERT_TRUE(step(QStringLiteral("void"), [](ActionDialog *d) { note(d, QStringLiteral("误报")); }).ok);
  // The watcher takes the voided case out of the open queue; Qt then makes another row
  // current, which must not replace the case the operator just acted on.
  for (int i = 0; i < 150 && window->caseQueueModel()->rowOf(b) >= 0; ++i)
    QSignalSpy(window.get(), &MainWindow::caseShown).wait(100);
  ASSERT_LT(window->caseQueueModel()->rowOf(b), 0);
  settle();
  EXPECT_EQ(window->caseDetailPanel()->detail().number, b);
  EXPECT_EQ(state(), QStringLiteral("voided"));
  EXPECT_TRUE(window->selectedCaseNumbers().isEmpty()) << window->selectedCaseNumbers().join(",").toStdString();
}

TEST_F(DispatchTest, DuplicateSuggestionsWhileTypingAndAttach)
{
  const auto &terminal = store.terminals.front();
  const QString first = intake(form(terminal));
  gd::console::IntakeDialog *dialog = window->openIntake();
  QSignalSpy duplicates(window.get(), &MainWindow::duplicatesShown);
  IntakeForm again = form(terminal, QStringLiteral("消防通道堵塞"));
  again.caller = QStringLiteral("王五");
  *again.lon += 0.0002;
  dialog->setForm(again);
  ASSERT_TRUE(duplicates.wait(5000));
  const QStringList numbers = duplicates.takeFirst().at(0).toStringList();
  ASSERT_FALSE(numbers.isEmpty());
  EXPECT_EQ(numbers.front(), first);
  dialog->selectDuplicate(first);
  QSignalSpy finished(window.get(), &MainWindow::stepFinished);
  QSignalSpy shown(window.get(), &MainWindow::caseShown);
  dialog->findChild<QPushButton *>(QStringLiteral("attachButton"))->click();
  ASSERT_TRUE(finished.wait(5000));
  EXPECT_TRUE(finished.takeFirst().at(0).value<ActionOutcome>().ok);
  ASSERT_TRUE(shown.wait(5000));
  EXPECT_EQ(window->currentCase(), first);
  EXPECT_EQ(window->caseDetailPanel()->detail().reporters.size(), 2u);
}

TEST_F(DispatchTest, AnIncompleteIntakeSaysWhatIsMissing)
{
  gd::console::IntakeDialog *dialog = window->openIntake();
  IntakeForm f = form(store.terminals.front());
  f.lon.reset();
  f.lat.reset();
  dialog->setForm(f);
  QSignalSpy finished(window.get(), &MainWindow::stepFinished);
  dialog->findChild<QPushButton *>(QStringLiteral("submitButton"))->click();
  ASSERT_TRUE(finished.wait(5000));
  EXPECT_FALSE(finished.takeFirst().at(0).value<ActionOutcome>().ok);
  EXPECT_TRUE(dialog->findChild<QLabel *>(QStringLiteral("problemLabel"))->text().contains(QStringLiteral("location")));
  EXPECT_TRUE(dialog->isVisible());
}

TEST_F(DispatchTest, SelectionIsTheSameInQueueMapAndDetail)
{
  const QString a = intake(form(store.terminals.front()));
  const QString b = intake(form(store.terminals[5], QStringLiteral("电动车楼道充电")));
  // Wait until the watcher has brought both into the queue.
  for (int i = 0; i < 150 && (window->caseQueueModel()->rowOf(a) < 0 || window->caseQueueModel()->rowOf(b) < 0); ++i)
    QSignalSpy(window.get(), &MainWindow::caseShown).wait(100);
  ASSERT_GE(window->caseQueueModel()->rowOf(a), 0);
  ASSERT_GE(window->caseQueueModel()->rowOf(b), 0);

  // Picking it in the queue selects it on the map and opens it (b, the last intake, is open now).
  QSignalSpy shown(window.get(), &MainWindow::caseShown);
  const int row = window->caseQueueProxy()->proxyRowOf(a);
  ASSERT_GE(row, 0);
  window->caseQueueView()->setCurrentIndex(window->caseQueueProxy()->index(row, 0));
  settle();
  for (int i = 0; i < 50 && window->caseDetailPanel()->detail().number != a; ++i)
    shown.wait(100);
  EXPECT_EQ(window->caseDetailPanel()->detail().number, a);
  EXPECT_EQ(window->selectedCaseNumbers(), QStringList{a});

  // By number (the search box) selects it in the queue.
  window->search(b);
  settle();
  for (int i = 0; i < 50 && window->caseDetailPanel()->detail().number != b; ++i)
    shown.wait(100);
  EXPECT_EQ(window->caseDetailPanel()->detail().number, b);
  EXPECT_EQ(window->caseQueueProxy()->numberAt(window->caseQueueView()->currentIndex().row()), b);
  EXPECT_EQ(window->selectedCaseNumbers(), QStringList{b});
}

TEST_F(DispatchTest, BulkUrgeOnSelectedCases)
{
  std::vector<QString> numbers;
  for (int i = 0; i < 3; ++i)
  {
    numbers.push_back(intake(form(store.terminals[static_cast<std::size_t>(i)])));
    select(numbers.back());
    ASSERT_TRUE(step(QStringLiteral("dispatch"), [&](ActionDialog *d) {
                  auto *workers = d->findChild<QComboBox *>(QStringLiteral("workerCombo"));
                  workers->setCurrentIndex(workers->findData(store.terminals[static_cast<std::size_t>(i)].workerId));
                }).ok);
  }
  for (int i = 0; i < 150 && window->caseQueueModel()->rowOf(numbers.back()) < 0; ++i)
    QSignalSpy(window.get(), &MainWindow::caseShown).wait(100);
  select(numbers[0]);
  QItemSelectionModel *selection = window->caseQueueView()->selectionModel();
  for (const QString &number : numbers)
    selection->select(window->caseQueueProxy()->index(window->caseQueueProxy()->proxyRowOf(number), 0),
                      QItemSelectionModel::Select | QItemSelectionModel::Rows);
  QSignalSpy opened(window.get(), &MainWindow::stepDialogOpened);
  window->stepAction(QStringLiteral("urge"))->trigger();
  ASSERT_TRUE(opened.wait(5000));
  auto *dialog = opened.takeFirst().at(0).value<ActionDialog *>();
  EXPECT_EQ(dialog->caseNumbers().size(), 3);
  note(dialog, QStringLiteral("今日下班前办结"));
  QSignalSpy finished(window.get(), &MainWindow::stepFinished);
  dialog->accept();
  while (finished.size() < 3)
    ASSERT_TRUE(finished.wait(5000));
  for (const auto &args : finished)
    EXPECT_TRUE(args.at(0).value<ActionOutcome>().ok);
  for (std::size_t i = 0; i < numbers.size(); ++i)
    EXPECT_EQ(gd::consoletest::pendingOrders(store.path(), store.terminals[i].device),
              (QStringList{QStringLiteral("assign:") + numbers[i], QStringLiteral("urge:") + numbers[i]}));
}

TEST_F(DispatchTest, TheOperatorIsToldWhenTheCaseChangesUnderThem)
{
  const QString number = intake(form(store.terminals.front()));
  select(number);
  EXPECT_TRUE(window->caseDetailPanel()->notice().isEmpty());
  // Another operator (another console on the same store) dispatches it.
  gd::console::CaseService other(store.path(), QStringLiteral("调度员乙"));
  ASSERT_TRUE(other.dispatch(number, QStringLiteral("fire"), {}, {}).ok);
  // The watcher sees the change and the detail reloads.
  for (int i = 0; i < 100 && state() != QLatin1String("assigned"); ++i)
    QSignalSpy(window.get(), &MainWindow::caseShown).wait(100);
  EXPECT_EQ(state(), QStringLiteral("assigned"));
  EXPECT_FALSE(window->caseDetailPanel()->notice().isEmpty());
}

TEST_F(DispatchTest, EveryStepHasAShortcutListedInTheHelp)
{
  const QStringList lines = window->helpOverlay()->lines();
  for (const char *name : {"intake", "dispatch", "register", "accept", "assign", "start_handling", "arrive", "feedback", "close",
                           "visit", "archive", "return", "escalate", "extend", "park", "resume", "merge", "rework",
                           "supervise", "urge", "note", "void"})
  {
    QAction *action = window->stepAction(QString::fromLatin1(name));
    ASSERT_NE(action, nullptr) << name;
    ASSERT_FALSE(action->shortcut().isEmpty()) << name;
    const QString shortcut = action->shortcut().toString(QKeySequence::NativeText);
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [&](const QString &line) { return line.endsWith(shortcut); }))
      << name << " " << shortcut.toStdString();
  }
  // No two actions share a shortcut.
  QHash<QString, QString> seen;
  for (QAction *action : window->findChildren<QAction *>())
  {
    if (action->shortcut().isEmpty())
      continue;
    const QString key = action->shortcut().toString();
    EXPECT_FALSE(seen.contains(key)) << key.toStdString() << ": " << seen.value(key).toStdString() << " and "
                                     << action->text().toStdString();
    seen.insert(key, action->text());
  }
  window->helpOverlay()->toggle();
  EXPECT_TRUE(window->helpOverlay()->isVisible());
  window->helpOverlay()->toggle();
  EXPECT_FALSE(window->helpOverlay()->isVisible());
}
