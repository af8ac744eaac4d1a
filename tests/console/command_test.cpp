// Supervision and command through the console's own docks and windows, offscreen, on a real
// store: the wall with countdowns, urging many cases (orders to terminals, records on the
// wall), ranking drill-down; one-key emergency from a case with what is near, dispatch to
// several departments, the alert to exactly the terminals inside the radius and their
// acknowledgements arriving live, the conference link, the timeline export; the big screen's
// figures and tour; the conference view's rings; the supervision rules firing once.

#include "consolefixture.h"

#include "console/caseservice.h"
#include "console/commandservice.h"
#include "console/commandviews.h"
#include "console/emergencypanel.h"
#include "console/mainwindow.h"
#include "console/supervisionpanel.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimeZone>

#include <gtest/gtest.h>

using gd::console::ActionOutcome;
using gd::console::EmergencyPanel;
using gd::console::IntakeForm;
using gd::console::MainWindow;
using gd::console::SupervisionPanel;

namespace {

class CommandTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
      store = gd::consoletest::makeConsoleStore(20);
      window = std::make_unique<MainWindow>();
      window->setOperatorName(QStringLiteral("督办员乙"));
      QString error;
      ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
      ASSERT_TRUE(window->waitForCases());
      ASSERT_NE(window->commandService(), nullptr);
      window->resize(1600, 900);
      window->show();
      window->emergencyPanel()->setUrlOpener([this](const QUrl &url) { opened << url; });
    }

    void TearDown() override { window.reset(); }

    //! A case reported at \a terminal's home, registered; returns its number.
    QString intake(const gd::consoletest::Terminal &terminal, const QString &title)
    {
      IntakeForm f;
      f.caller = QStringLiteral("王五");
      f.phone = QStringLiteral("13800138000");
      f.category = QStringLiteral("0301");
      f.title = title;
      f.description = title;
      f.lon = terminal.lon;
      f.lat = terminal.lat;
      ActionOutcome outcome;
      window->caseService()->post([&](gd::console::CaseService &service) { outcome = service.intake(f); });
      window->caseService()->drain();
      EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
      return outcome.number;
    }

    //! Dispatches \a number to \a lead with \a terminal's worker.
    void dispatch(const QString &number, const QString &lead, const gd::consoletest::Terminal &terminal)
    {
      ActionOutcome outcome;
      window->caseService()->post([&](gd::console::CaseService &service) {
        outcome = service.dispatch(number, lead, {}, terminal.workerId);
      });
      window->caseService()->drain();
      ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
    }

    //! Reloads the wall and waits for the load that reflects the panel's clock (a load
    //! already under way when asked is followed by another).
    void reloadWall()
    {
      SupervisionPanel *wall = window->supervisionPanel();
      QSignalSpy reloaded(wall, &SupervisionPanel::reloaded);
      wall->reload();
      for (int i = 0; i < 50 && qAbs(wall->view().at.secsTo(wall->now())) > 1; ++i)
        reloaded.wait(200);
      settle();
      ASSERT_LE(qAbs(wall->view().at.secsTo(wall->now())), 1);
    }

    //! Runs one emergency command and returns whether it succeeded.
    bool command(const std::function<void()> &run)
    {
      QSignalSpy finished(window->emergencyPanel(), &EmergencyPanel::commandFinished);
      run();
      EXPECT_TRUE(finished.wait(10000));
      if (finished.isEmpty())
        return false;
      const bool ok = finished.takeFirst().at(0).toBool();
      settle();
      return ok;
    }

    void settle()
    {
      for (int i = 0; i < 3; ++i)
      {
        window->commandService()->drain();
        QCoreApplication::processEvents();
      }
    }

    gd::consoletest::ConsoleStore store;
    std::unique_ptr<MainWindow> window;
    QList<QUrl> opened;
};

} // namespace

TEST_F(CommandTest, TheWallCountsDownAndUrgesManyCasesAtOnce)
{
  const auto &t = store.terminals;
  const QString a = intake(t[0], QStringLiteral("楼道堆物"));
  const QString b = intake(t[1], QStringLiteral("电动车楼道充电"));
  const QString c = intake(t[2], QStringLiteral("消防通道占用"));
  dispatch(a, QStringLiteral("fire"), t[0]);
  dispatch(b, QStringLiteral("housing"), t[1]);

  SupervisionPanel *wall = window->supervisionPanel();
  // Ten days on (three working days and more), nobody having acted, all three have slipped.
  wall->setNow(QDateTime::currentDateTime().addDays(10));
  reloadWall();
  EXPECT_EQ(wall->view().overdue, 3) << wall->view().error.toStdString();
  ASSERT_EQ(wall->view().rows.size(), 3u);
  for (int row = 0; row < 3; ++row)
  {
    EXPECT_EQ(wall->view().rows[static_cast<size_t>(row)].light, QStringLiteral("red"));
    EXPECT_TRUE(wall->countdownText(row).contains(QStringLiteral("overdue"))) << wall->countdownText(row).toStdString();
  }
  // Before then the same cases count down.
  wall->setNow(QDateTime::currentDateTime());
  reloadWall();
  EXPECT_EQ(wall->view().overdue, 0);

  // Overdue by department, and the department ranking drills down to its cases.
  wall->setNow(QDateTime::currentDateTime().addDays(10));
  reloadWall();
  bool fireListed = false;
  for (const auto &load : wall->view().byDepartment)
    fireListed = fireListed || (load.department == QLatin1String("fire") && load.overdue == 1);
  EXPECT_TRUE(fireListed);
  int fireRow = -1;
  for (int row = 0; row < static_cast<int>(wall->rankingView().rows.size()); ++row)
    if (wall->rankingView().rows[static_cast<size_t>(row)].key == QLatin1String("fire"))
      fireRow = row;
  ASSERT_GE(fireRow, 0) << wall->rankingView().error.toStdString();
  EXPECT_EQ(wall->rankingView().rows[static_cast<size_t>(fireRow)].overdue, 1);
  {
    QSignalSpy reloaded(wall, &SupervisionPanel::reloaded);
    wall->drillDown(fireRow);
    ASSERT_TRUE(reloaded.wait(10000));
  }
  EXPECT_EQ(wall->filter().department, QStringLiteral("fire"));
  ASSERT_EQ(wall->view().rows.size(), 1u);
  EXPECT_EQ(wall->view().rows.front().number, a);

  // Any subtree can be the scope: the community case a was reported in is listed, and shows a.
  std::optional<gd::console::CaseDetail> detailA;
  window->caseService()->post([&](gd::console::CaseService &service) { detailA = service.detail(a); });
  window->caseService()->drain();
  ASSERT_TRUE(detailA.has_value());
  const QString community = detailA->grid.left(12);
  EXPECT_GE(wall->findChild<QComboBox *>(QStringLiteral("wallTownship"))->findData(community), 0);
  gd::console::WallFilter inCommunity;
  inCommunity.gridPrefix = community;
  wall->setFilter(inCommunity);
  reloadWall();
  bool aListed = false;
  for (const auto &row : wall->view().rows)
    aListed = aListed || row.number == a;
  EXPECT_TRUE(aListed);

  // Urge all three: the two assigned ones are urged with orders to their workers' terminals;
  // the one not yet dispatched cannot be, and says why.
  wall->setFilter({});
  reloadWall();
  wall->selectNumbers({a, b, c});
  ASSERT_EQ(wall->selectedNumbers().size(), 3);
  QSignalSpy urged(wall, &SupervisionPanel::urged);
  QSignalSpy reloaded(wall, &SupervisionPanel::reloaded);
  ASSERT_TRUE(wall->urgeSelected(false, QStringLiteral("请今日办结"), QDateTime::currentDateTime().addSecs(3600)));
  ASSERT_TRUE(urged.wait(10000));
  const auto results = urged.takeFirst().at(0).value<std::vector<gd::console::UrgeResult>>();
  ASSERT_EQ(results.size(), 3u);
  int done = 0;
  for (const auto &r : results)
  {
    if (r.number == c)
    {
      EXPECT_FALSE(r.done);
      EXPECT_FALSE(r.reason.isEmpty());
    }
    else
    {
      EXPECT_TRUE(r.done) << r.reason.toStdString();
      EXPECT_EQ(r.orders, 1);
      EXPECT_TRUE(r.departmentNotified);
      ++done;
    }
  }
  EXPECT_EQ(done, 2);
  EXPECT_TRUE(gd::consoletest::pendingOrders(store.path(), t[0].device).contains(QStringLiteral("urge:") + a));
  EXPECT_TRUE(gd::consoletest::pendingOrders(store.path(), t[1].device).contains(QStringLiteral("urge:") + b));
  ASSERT_TRUE(reloaded.wait(10000));
  for (const auto &row : wall->view().rows)
    if (row.number == a)
    {
      EXPECT_EQ(row.supervisionCount, 1);
      EXPECT_TRUE(row.lastSupervision.contains(QStringLiteral("请今日办结"))) << row.lastSupervision.toStdString();
      EXPECT_TRUE(row.lastSupervision.contains(QStringLiteral("督办员乙")));
    }
  std::vector<gd::console::SupervisionEntry> records;
  window->commandService()->post([&](gd::console::CommandService &service) { records = service.records(a); });
  window->commandService()->drain();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records.front().opinion, QStringLiteral("请今日办结"));
  EXPECT_TRUE(records.front().deadline.isValid());

  // Double-clicking a wall row opens the case.
  QSignalSpy shown(window.get(), &MainWindow::caseShown);
  emit wall->caseActivated(b);
  ASSERT_TRUE(shown.wait(5000));
  EXPECT_EQ(window->currentCase(), b);
}

TEST_F(CommandTest, OneKeyEmergencyFromACase)
{
  const auto &t = store.terminals;
  const QString number = intake(t[0], QStringLiteral("燃气泄漏"));
  // Worker 0 stands at the case; worker 5 is far away; worker 3 sent no fix at all.
  gd::consoletest::recordFix(store.path(), t[0], t[0].lon + 0.0005, t[0].lat);
  gd::consoletest::recordFix(store.path(), t[5], t[0].lon + 0.2, t[0].lat + 0.1);
  EmergencyPanel *panel = window->emergencyPanel();
  panel->setRadius(800);

  // Ctrl+E with no case selected says what to do and declares nothing.
  window->declareEmergencyFromCase();
  settle();
  EXPECT_TRUE(panel->current().incident.isEmpty());

  QSignalSpy shown(window.get(), &MainWindow::caseShown);
  window->selectCase(number);
  ASSERT_TRUE(shown.wait(5000));
  QSignalSpy changed(panel, &EmergencyPanel::emergencyChanged);
  ASSERT_TRUE(command([&] { window->declareEmergencyFromCase(); })) << panel->lastMessage().toStdString();
  if (changed.isEmpty())
  {
    ASSERT_TRUE(changed.wait(5000));
  }
  const QString incident = panel->current().incident;
  ASSERT_FALSE(incident.isEmpty());
  EXPECT_EQ(panel->current().caseNumber, number);
  EXPECT_EQ(panel->current().radiusM, 800);
  QStringList near;
  for (const auto &w : panel->nearby().workers)
    near << w.workerId;
  EXPECT_TRUE(near.contains(t[0].workerId));
  EXPECT_FALSE(near.contains(t[5].workerId));
  EXPECT_FALSE(panel->nearby().areas.empty());

  // Two departments at once.
  ASSERT_TRUE(command([&] {
    panel->dispatchTo({QStringLiteral("police"), QStringLiteral("fire")}, QStringLiteral("立即赶赴现场"));
  })) << panel->lastMessage().toStdString();
  // An alert reaches exactly the terminal inside the radius.
  ASSERT_TRUE(command([&] { panel->broadcast(QStringLiteral("附近燃气泄漏，请协助疏散")); }))
    << panel->lastMessage().toStdString();
  ASSERT_EQ(panel->alerts().size(), 1u);
  EXPECT_EQ(panel->alerts().front().device, t[0].device);
  EXPECT_FALSE(panel->alerts().front().ackedAt.isValid());
  EXPECT_TRUE(gd::consoletest::pendingOrders(store.path(), t[0].device).contains(QStringLiteral("alert:") + number));
  EXPECT_TRUE(gd::consoletest::pendingOrders(store.path(), t[5].device).isEmpty());

  // The terminal acknowledges: the dock shows it without anyone reloading.
  ASSERT_TRUE(gd::consoletest::acknowledgeOrder(store.path(), t[0].device, panel->alerts().front().orderId));
  for (int i = 0; i < 60 && !panel->alerts().front().ackedAt.isValid(); ++i)
    QSignalSpy(panel, &EmergencyPanel::timelineChanged).wait(100);
  EXPECT_TRUE(panel->alerts().front().ackedAt.isValid());

  // The conference: the configured link with the incident number, opened in the browser.
  ASSERT_TRUE(command([&] { panel->joinConference(); })) << panel->lastMessage().toStdString();
  ASSERT_EQ(opened.size(), 1);
  EXPECT_TRUE(opened.front().toString().contains(incident)) << opened.front().toString().toStdString();

  // The conference view: the incident with its rings, the resources, the timeline.
  gd::console::ConferenceView *view = window->showConferenceView(true, QSize(1280, 720));
  ASSERT_NE(view, nullptr);
  EXPECT_TRUE(view->rings().isShown());
  EXPECT_FALSE(view->resourceTexts().isEmpty());
  EXPECT_GE(view->timelineTexts().size(), 4) << view->timelineTexts().join('\n').toStdString();

  // Everything done is on the timeline, and exports.
  QStringList kinds;
  for (const auto &e : panel->timeline())
    kinds << e.kind;
  for (const char *kind : {"declared", "dispatched", "alert", "ack", "conference"})
    EXPECT_TRUE(kinds.contains(QLatin1String(kind))) << kind << " in " << kinds.join(',').toStdString();
  QTemporaryDir dir;
  const QString csv = dir.filePath(QStringLiteral("timeline.csv"));
  ASSERT_TRUE(command([&] { panel->exportTimeline(csv); })) << panel->lastMessage().toStdString();
  QFile file(csv);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  const QString text = QString::fromUtf8(file.readAll());
  EXPECT_TRUE(text.contains(QStringLiteral("declared")));
  EXPECT_TRUE(text.contains(QStringLiteral("附近燃气泄漏")));
  // A file that cannot be written says so, and the emergency is unchanged.
  EXPECT_FALSE(command([&] { panel->exportTimeline(dir.filePath(QStringLiteral("no/such/dir/t.csv"))); }));
  EXPECT_TRUE(panel->current().open);

  ASSERT_TRUE(command([&] { panel->closeEmergency(QStringLiteral("险情排除")); }));
  EXPECT_FALSE(panel->current().open);
  // A closed emergency takes no more alerts.
  EXPECT_FALSE(command([&] { panel->broadcast(QStringLiteral("再次提醒")); }));
}

TEST_F(CommandTest, TheBigScreenShowsTodaysFiguresAndToursTheTownships)
{
  const auto &t = store.terminals;
  for (int i = 0; i < 4; ++i)
    intake(t[static_cast<size_t>(i)], QStringLiteral("今日新报"));
  QSignalSpy refreshed(window.get(), &MainWindow::bigScreenRefreshed);
  gd::console::BigScreen *big = window->showBigScreen(true, QSize(1920, 1080));
  ASSERT_NE(big, nullptr);
  ASSERT_TRUE(refreshed.wait(10000));
  const QStringList tiles = big->tileTexts();
  ASSERT_EQ(tiles.size(), 4);
  EXPECT_EQ(tiles[0], QStringLiteral("4")); // new today
  EXPECT_EQ(tiles[1], QStringLiteral("0")); // closed today
  EXPECT_EQ(tiles[2], QStringLiteral("0")); // overdue now
  EXPECT_EQ(big->tickerText(), QStringLiteral("No overdue case."));
  // Large type: the headline figures are at least a tenth of the screen's height.
  EXPECT_GE(big->findChild<QLabel *>(QStringLiteral("tileValue0"))->font().pixelSize(), 1080 / 12);
  // The tour: each township in turn, then the whole district.
  const QString first = big->currentArea();
  big->nextTownship();
  EXPECT_NE(big->currentArea(), first);
  window->showBigScreen(false);
  EXPECT_FALSE(big->isVisible());
}

TEST_F(CommandTest, SupervisionRulesFireOnceFromTheConsole)
{
  const auto &t = store.terminals;
  const QString a = intake(t[0], QStringLiteral("占道经营"));
  dispatch(a, QStringLiteral("housing"), t[0]);
  const QDateTime later = QDateTime::currentDateTime().addDays(10);
  gd::console::RulesRun first;
  gd::console::RulesRun second;
  window->commandService()->post([&](gd::console::CommandService &service) {
    first = service.runRules(later);
    second = service.runRules(later);
  });
  window->commandService()->drain();
  ASSERT_TRUE(first.error.isEmpty()) << first.error.toStdString();
  ASSERT_EQ(first.fired.size(), 1u);
  EXPECT_EQ(first.fired.front().number, a);
  EXPECT_EQ(first.fired.front().rule, QStringLiteral("escalate_overdue"));
  EXPECT_FALSE(first.fired.front().reason.isEmpty());
  EXPECT_TRUE(second.fired.empty());
  // The console's own timer path reports into the feed log.
  QSignalSpy ran(window.get(), &MainWindow::rulesRan);
  window->runRulesNow();
  ASSERT_TRUE(ran.wait(10000));
  EXPECT_EQ(ran.takeFirst().at(0).toInt(), 0);
}
