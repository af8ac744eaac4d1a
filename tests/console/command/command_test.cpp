// Supervision and command through the console's own docks and windows, offscreen, on a real
// store: the wall with countdowns, urging many cases (orders to terminals, records on the
// wall), ranking drill-down; one-key emergency from a case with what is near, dispatch to
// several departments, the alert to exactly the terminals inside the radius and their
// acknowledgements arriving live, the conference link, the timeline export; the big screen's
// figures and tour; the conference view's rings; the supervision rules firing once.

#include "../uitestsupport.h"
#include "../consolefixture.h"

#include "console/dispatch/actiondialog.h"
#include "console/dispatch/caseservice.h"
#include "console/command/commandservice.h"
#include "console/command/commandviews.h"
#include "console/command/emergencypanel.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/command/supervisionpanel.h"
#include "console/shell/translations.h"
#include "map/caselayer.h"
#include "store/accounts/accountstore.h"
#include "store/audit/auditlog.h"
#include "store/config/accountsettings.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsmapcanvas.h>
#include <qgsmaptool.h>
#include <qgsvectordataprovider.h>
#include <qgsmaprenderersequentialjob.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTranslator>
#include <QSet>

#include <gtest/gtest.h>

using gd::console::ActionOutcome;
using gd::console::EmergencyPanel;
using gd::console::IntakeForm;
using gd::console::CommandController;
using gd::console::DispatchController;
using gd::console::MainWindow;
using gd::console::SupervisionPanel;

namespace {

using gd::consoletest::ChineseUi;

bool hasChinese(const QString &text)
{
  for (const QChar c : text)
    if (c.unicode() >= 0x3000)
      return true;
  return false;
}

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
      ASSERT_TRUE(window->session()->waitForCases());
      ASSERT_NE(window->session()->commandService(), nullptr);
      window->resize(1600, 900);
      window->show();
      window->command()->emergencyPanel()->setUrlOpener([this](const QUrl &url) { opened << url; });
    }

    void TearDown() override { window.reset(); }

    //! A case reported at \a terminal's home, registered; returns its number.
    QString intake(const gd::consoletest::Terminal &terminal, const QString &title,
                   const QString &category = QStringLiteral("0301"))
    {
      IntakeForm f;
      f.caller = QStringLiteral("王五");
      f.phone = QStringLiteral("13800138000");
      f.category = category;
      f.title = title;
      f.description = title;
      f.lon = terminal.lon;
      f.lat = terminal.lat;
      ActionOutcome outcome;
      window->session()->caseService()->post([&](gd::console::CaseService &service) { outcome = service.intake(f); });
      window->session()->caseService()->drain();
      EXPECT_TRUE(outcome.ok) << outcome.message.toStdString();
      return outcome.number;
    }

    //! Dispatches \a number to \a lead with \a terminal's worker.
    void dispatch(const QString &number, const QString &lead, const gd::consoletest::Terminal &terminal)
    {
      ActionOutcome outcome;
      window->session()->caseService()->post([&](gd::console::CaseService &service) {
        outcome = service.dispatch(number, lead, {}, terminal.workerId);
      });
      window->session()->caseService()->drain();
      ASSERT_TRUE(outcome.ok) << outcome.message.toStdString();
    }

    //! Reloads the wall and waits for the load that reflects the panel's clock (a load
    //! already under way when asked is followed by another).
    void reloadWall()
    {
      SupervisionPanel *wall = window->command()->supervisionPanel();
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
      QSignalSpy finished(window->command()->emergencyPanel(), &EmergencyPanel::commandFinished);
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
        window->session()->commandService()->drain();
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

  SupervisionPanel *wall = window->command()->supervisionPanel();
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
  window->session()->caseService()->post([&](gd::console::CaseService &service) { detailA = service.detail(a); });
  window->session()->caseService()->drain();
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
  window->session()->commandService()->post([&](gd::console::CommandService &service) { records = service.records(a); });
  window->session()->commandService()->drain();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records.front().opinion, QStringLiteral("请今日办结"));
  EXPECT_TRUE(records.front().deadline.isValid());

  // Double-clicking a wall row opens the case.
  QSignalSpy shown(window->dispatch(), &DispatchController::caseShown);
  emit wall->caseActivated(b);
  ASSERT_TRUE(shown.wait(5000));
  EXPECT_EQ(window->dispatch()->currentCase(), b);
}

TEST_F(CommandTest, OneKeyEmergencyFromACase)
{
  const auto &t = store.terminals;
  const QString number = intake(t[0], QStringLiteral("燃气泄漏"));
  // Worker 0 stands at the case; worker 5 is far away; worker 3 sent no fix at all.
  gd::consoletest::recordFix(store.path(), t[0], t[0].lon + 0.0005, t[0].lat);
  gd::consoletest::recordFix(store.path(), t[5], t[0].lon + 0.2, t[0].lat + 0.1);
  EmergencyPanel *panel = window->command()->emergencyPanel();
  panel->setRadius(800);

  // Ctrl+E with no case selected says what to do and declares nothing.
  window->command()->declareEmergencyFromCase();
  settle();
  EXPECT_TRUE(panel->current().incident.isEmpty());

  QSignalSpy shown(window->dispatch(), &DispatchController::caseShown);
  window->dispatch()->selectCase(number);
  ASSERT_TRUE(shown.wait(5000));
  QSignalSpy changed(panel, &EmergencyPanel::emergencyChanged);
  ASSERT_TRUE(command([&] { window->command()->declareEmergencyFromCase(); })) << panel->lastMessage().toStdString();
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
  gd::console::ConferenceView *view = window->command()->showConferenceView(true, QSize(1280, 720));
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
  EXPECT_TRUE(text.contains(QStringLiteral("Declared"))) << text.toStdString();
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
  QSignalSpy refreshed(window->command(), &CommandController::bigScreenRefreshed);
  gd::console::BigScreen *big = window->command()->showBigScreen(true, QSize(1920, 1080));
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
  window->command()->showBigScreen(false);
  EXPECT_FALSE(big->isVisible());
}

TEST_F(CommandTest, TheBigScreensOnTimeRateCountsACaseClosedOnTimeToday)
{
  // A case taken, dispatched, handled and closed within the hour: today's 按期办结率 is 1/1,
  // not "—" (which it read while only cases whose deadline fell today counted).
  const auto &t = store.terminals.front();
  const QString number = intake(t, QStringLiteral("楼道堆放杂物"));
  dispatch(number, QStringLiteral("fire"), t);
  for (const char *step : {"start_handling", "feedback", "close"})
  {
    gd::console::ActionOutcome outcome;
    window->session()->caseService()->post([&](gd::console::CaseService &service) {
      outcome = service.perform(number, {QString::fromLatin1(step), QStringLiteral("已清理"), {}});
    });
    window->session()->caseService()->drain();
    ASSERT_TRUE(outcome.ok) << step << ": " << outcome.message.toStdString();
  }
  gd::console::TodayFigures figures;
  window->session()->commandService()->post([&](gd::console::CommandService &service) { figures = service.today(QDateTime::currentDateTime()); });
  window->session()->commandService()->drain();
  EXPECT_TRUE(figures.error.isEmpty()) << figures.error.toStdString();
  EXPECT_EQ(figures.closedToday, 1);
  EXPECT_EQ(figures.onTimeNumerator, 1);
  EXPECT_EQ(figures.onTimeDenominator, 1);
  QSignalSpy refreshed(window->command(), &CommandController::bigScreenRefreshed);
  gd::console::BigScreen *big = window->command()->showBigScreen(true, QSize(1920, 1080));
  ASSERT_NE(big, nullptr);
  ASSERT_TRUE(refreshed.wait(10000));
  const QStringList tiles = big->tileTexts();
  ASSERT_EQ(tiles.size(), 4);
  EXPECT_EQ(tiles[1], QStringLiteral("1"));      // closed today
  EXPECT_EQ(tiles[3], QStringLiteral("100.0%")); // on time today
  window->command()->showBigScreen(false);
}

TEST_F(CommandTest, SupervisionRulesFireOnceFromTheConsole)
{
  const auto &t = store.terminals;
  const QString a = intake(t[0], QStringLiteral("占道经营"));
  dispatch(a, QStringLiteral("housing"), t[0]);
  const QDateTime later = QDateTime::currentDateTime().addDays(10);
  gd::console::RulesRun first;
  gd::console::RulesRun second;
  window->session()->commandService()->post([&](gd::console::CommandService &service) {
    first = service.runRules(later);
    second = service.runRules(later);
  });
  window->session()->commandService()->drain();
  ASSERT_TRUE(first.error.isEmpty()) << first.error.toStdString();
  ASSERT_EQ(first.fired.size(), 1u);
  EXPECT_EQ(first.fired.front().number, a);
  EXPECT_EQ(first.fired.front().rule, QStringLiteral("escalate_overdue"));
  EXPECT_FALSE(first.fired.front().reason.isEmpty());
  EXPECT_TRUE(second.fired.empty());
  // The console's own timer path reports into the feed log.
  QSignalSpy ran(window->command(), &CommandController::rulesRan);
  window->session()->runRulesNow();
  ASSERT_TRUE(ran.wait(10000));
  EXPECT_EQ(ran.takeFirst().at(0).toInt(), 0);
}

// ---- issue 13: emergencies ------------------------------------------------------------------

// A plain click with 定点应急 did nothing (only a drag did): it declares at the point clicked,
// with the dock's radius.
TEST_F(CommandTest, APlainClickWithTheEmergencyToolDeclaresThereWithTheDocksRadius)
{
  EmergencyPanel *panel = window->command()->emergencyPanel();
  panel->setRadius(750);
  QgsMapCanvas *canvas = window->mapCanvas();
  auto *tool = window->findChild<QAction *>(QStringLiteral("actionEmergencyTool"));
  ASSERT_NE(tool, nullptr);
  tool->trigger();
  ASSERT_EQ(canvas->mapTool()->action(), tool);
  const QPoint at(canvas->viewport()->width() / 2 + 7, canvas->viewport()->height() / 2 - 5);
  const QgsPointXY mapAt = canvas->getCoordinateTransform()->toMapCoordinates(at);
  const QgsPointXY lonLat = QgsCoordinateTransform(canvas->mapSettings().destinationCrs(),
                                                   QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                                   QgsProject::instance())
                              .transform(mapAt);
  ASSERT_TRUE(command([&] { QTest::mouseClick(canvas->viewport(), Qt::LeftButton, Qt::NoModifier, at); }))
    << panel->lastMessage().toStdString();
  ASSERT_FALSE(panel->current().incident.isEmpty());
  EXPECT_EQ(panel->current().radiusM, 750);
  EXPECT_TRUE(panel->current().caseNumber.isEmpty());
  EXPECT_NEAR(panel->current().lon, lonLat.x(), 1e-6);
  EXPECT_NEAR(panel->current().lat, lonLat.y(), 1e-6);

  // A drag still declares with the radius dragged out (measured on the map as it is now: the
  // declaration zoomed it to the emergency).
  settle();
  const QPoint edge = at + QPoint(60, 0);
  const double dragged = canvas->getCoordinateTransform()->toMapCoordinates(at).distance(
    canvas->getCoordinateTransform()->toMapCoordinates(edge));
  ASSERT_TRUE(command([&] {
    QTest::mousePress(canvas->viewport(), Qt::LeftButton, Qt::NoModifier, at);
    QMouseEvent move(QEvent::MouseMove, edge, Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(canvas->viewport(), &move);
    QTest::mouseRelease(canvas->viewport(), Qt::LeftButton, Qt::NoModifier, edge);
  })) << panel->lastMessage().toStdString();
  EXPECT_NEAR(panel->current().radiusM, dragged, 1.0);
}

// There was no incident type: every incident was "突发事件". The type is declared with the
// emergency (from its case's category, or as chosen in the dock) and shown wherever it is.
TEST_F(CommandTest, AnEmergencyHasItsTypeInTheDockTimelineBigScreenAndConferenceView)
{
  const auto &t = store.terminals;
  const QString fireCase = intake(t[0], QStringLiteral("仓库起火"), QStringLiteral("0601"));
  EmergencyPanel *panel = window->command()->emergencyPanel();
  auto *types = panel->findChild<QComboBox *>(QStringLiteral("incidentTypeCombo"));
  ASSERT_NE(types, nullptr);
  for (int i = 0; i < 20 && types->findData(QStringLiteral("mass")) < 0; ++i)
    settle();
  ASSERT_GE(types->findData(QStringLiteral("fire")), 0);
  ASSERT_GE(types->findData(QStringLiteral("mass")), 0);

  // From a fire case: the case's category decides, whatever the dock says.
  panel->setIncidentType(QStringLiteral("disaster"));
  QSignalSpy shown(window->dispatch(), &DispatchController::caseShown);
  window->dispatch()->selectCase(fireCase);
  ASSERT_TRUE(shown.wait(5000));
  ASSERT_TRUE(command([&] { window->command()->declareEmergencyFromCase(); })) << panel->lastMessage().toStdString();
  EXPECT_EQ(panel->current().incidentType, QStringLiteral("fire"));
  EXPECT_EQ(panel->current().typeName, QStringLiteral("Fire"));
  const QString fireIncident = panel->current().incident;
  EXPECT_TRUE(panel->findChild<QLabel *>(QStringLiteral("emergencyHeader"))->text().contains(QStringLiteral("Fire")));
  ASSERT_FALSE(panel->timeline().empty());
  EXPECT_TRUE(panel->timeline().front().message.contains(QStringLiteral("Fire"))) << panel->timeline().front().message.toStdString();

  // At a point: the type chosen in the dock, which also titles it.
  panel->setIncidentType(QStringLiteral("mass"));
  ASSERT_TRUE(command([&] { panel->declareAt(t[3].lon, t[3].lat, 0); })) << panel->lastMessage().toStdString();
  EXPECT_EQ(panel->current().incidentType, QStringLiteral("mass"));
  EXPECT_EQ(panel->current().title, QStringLiteral("Mass incident"));
  const QString massIncident = panel->current().incident;
  auto *open = panel->findChild<QComboBox *>(QStringLiteral("openEmergencies"));
  bool listed = false;
  for (int i = 0; i < open->count(); ++i)
    listed = listed || (open->itemData(i).toString() == fireIncident && open->itemText(i).contains(QStringLiteral("Fire")));
  EXPECT_TRUE(listed);

  // The conference view's headline names it.
  gd::console::ConferenceView *view = window->command()->showConferenceView(true, QSize(1280, 720));
  EXPECT_TRUE(view->findChild<QLabel *>(QStringLiteral("conferenceHeadline"))->text().contains(QStringLiteral("Mass incident")));

  // Untyped and untitled: the type's name titles it, shown once, not the store's "突发事件"
  // (it was "Unspecified emergency · 突发事件" in an English UI).
  panel->setIncidentType(QString());
  ASSERT_TRUE(command([&] { panel->declareAt(t[5].lon, t[5].lat, 0); })) << panel->lastMessage().toStdString();
  EXPECT_EQ(panel->current().typeName, QStringLiteral("Unspecified emergency"));
  EXPECT_EQ(panel->current().title, panel->current().typeName);
  const QString header = panel->findChild<QLabel *>(QStringLiteral("emergencyHeader"))->text();
  EXPECT_FALSE(header.contains(QStringLiteral("突发事件"))) << header.toStdString();
  EXPECT_EQ(header.count(QStringLiteral("Unspecified emergency")), 1) << header.toStdString();

  // A type that is not configured is refused, saying so.
  panel->setIncidentType(QStringLiteral("mass"));
  gd::console::CommandReply reply;
  window->session()->commandService()->post([&](gd::console::CommandService &service) {
    reply = service.declareAt(t[4].lon, t[4].lat, 500, {}, QStringLiteral("meteor"));
  });
  window->session()->commandService()->drain();
  EXPECT_FALSE(reply.ok);
  EXPECT_TRUE(reply.message.contains(QStringLiteral("meteor"))) << reply.message.toStdString();
  (void)massIncident;
}

// The big screen did not show an active emergency: it shows every open one in a blinking
// banner, with the newest one's rings on the map, and goes back to the district once closed.
TEST_F(CommandTest, TheBigScreenShowsTheOpenEmergencyProminently)
{
  const auto &t = store.terminals;
  QSignalSpy refreshed(window->command(), &CommandController::bigScreenRefreshed);
  gd::console::BigScreen *big = window->command()->showBigScreen(true, QSize(1920, 1080));
  ASSERT_TRUE(refreshed.wait(10000));
  EXPECT_FALSE(big->emergencyShown());
  EXPECT_FALSE(big->rings().isShown());

  EmergencyPanel *panel = window->command()->emergencyPanel();
  panel->setIncidentType(QStringLiteral("fire"));
  panel->setRadius(600);
  ASSERT_TRUE(command([&] { panel->declareAt(t[2].lon, t[2].lat, 0, QStringLiteral("东关街仓库起火")); }));
  // Declaring refreshes the wall at once, not at its next 30-second round.
  for (int i = 0; i < 50 && !big->emergencyShown(); ++i)
    refreshed.wait(200);
  ASSERT_TRUE(big->emergencyShown());
  const QString text = big->emergencyText();
  EXPECT_TRUE(text.contains(panel->current().incident)) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("Fire"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("东关街仓库起火"))) << text.toStdString();
  EXPECT_TRUE(big->rings().isShown());
  EXPECT_TRUE(big->canvas()->extent().contains(big->rings().extent()));
  // Large: the banner's type is at least the body type of a 1080-line wall.
  EXPECT_GE(big->findChild<QLabel *>(QStringLiteral("bigScreenEmergency"))->font().pixelSize(), 30);

  ASSERT_TRUE(command([&] { panel->closeEmergency(QStringLiteral("明火扑灭")); }));
  for (int i = 0; i < 50 && big->emergencyShown(); ++i)
    refreshed.wait(200);
  EXPECT_FALSE(big->emergencyShown());
  EXPECT_FALSE(big->rings().isShown());
  window->command()->showBigScreen(false);
  big->canvas()->waitWhileRendering();
}

// The big screen (and the conference view) showed the operator's selection highlight: they
// draw with map settings of their own that never draw a selection.
TEST_F(CommandTest, TheBigScreenDoesNotShowTheOperatorsSelection)
{
  QgsMapCanvas *canvas = window->mapCanvas();
  gd::console::BigScreen *big = window->command()->showBigScreen(true, QSize(1280, 720));
  gd::console::ConferenceView *view = window->command()->showConferenceView(true, QSize(1280, 720));
  // A point the operator has selected, drawn as a big marker in the map's CRS.
  QgsVectorLayer probe(QStringLiteral("Point?crs=%1").arg(canvas->mapSettings().destinationCrs().authid()),
                       QStringLiteral("probe"), QStringLiteral("memory"));
  const QgsPointXY centre = canvas->extent().center();
  QgsFeature point;
  point.setGeometry(QgsGeometry::fromPointXY(centre));
  ASSERT_TRUE(probe.dataProvider()->addFeature(point));
  probe.updateExtents();
  probe.selectAll();
  ASSERT_EQ(probe.selectedFeatureCount(), 1);
  const QColor magenta(255, 0, 255);
  auto magentaPixels = [&](QgsMapSettings settings) {
    settings.setLayers({&probe});
    settings.setSelectionColor(magenta);
    settings.setOutputSize(QSize(320, 180));
    settings.setExtent(QgsRectangle(centre.x() - 300, centre.y() - 300, centre.x() + 300, centre.y() + 300));
    QgsMapRendererSequentialJob job(settings);
    job.start();
    job.waitForFinished();
    const QImage image = job.renderedImage();
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x)
      {
        const QColor c = image.pixelColor(x, y);
        n += (c.red() > 200 && c.green() < 60 && c.blue() > 200) ? 1 : 0;
      }
    return n;
  };
  // The operator's own map draws it in the selection colour (so the measure can see one) ...
  EXPECT_GT(magentaPixels(canvas->mapSettings()), 0);
  // ... the big screen and the conference view do not.
  EXPECT_EQ(magentaPixels(big->canvas()->mapSettings()), 0);
  EXPECT_EQ(magentaPixels(view->canvas()->mapSettings()), 0);
}

// Overdue 火灾 and 群体性事件 cases raised no alarm beyond colour: they blink on the wall and
// in the status bar and on the big screen until the operator acknowledges them; other overdue
// cases stay red without an alarm (supervision.conf alarm_overdue says which).
TEST_F(CommandTest, OverdueFireCasesRaiseAnAlarmUntilAcknowledged)
{
  const auto &t = store.terminals;
  const QString fire = intake(t[0], QStringLiteral("仓库冒烟"), QStringLiteral("0601"));
  const QString clutter = intake(t[1], QStringLiteral("楼道堆物"));
  SupervisionPanel *wall = window->command()->supervisionPanel();
  auto *indicator = window->statusBar()->findChild<QPushButton *>(QStringLiteral("alarmIndicator"));
  ASSERT_NE(indicator, nullptr);
  wall->setNow(QDateTime::currentDateTime());
  reloadWall();
  EXPECT_FALSE(wall->alarmShown());
  EXPECT_FALSE(indicator->isVisibleTo(window.get()));

  wall->setNow(QDateTime::currentDateTime().addDays(10));
  reloadWall();
  ASSERT_EQ(wall->view().overdue, 2);
  ASSERT_EQ(wall->view().alarms.size(), 1u);
  EXPECT_EQ(wall->view().alarms.front().number, fire);
  EXPECT_TRUE(wall->alarmShown());
  EXPECT_TRUE(wall->alarmText().contains(fire)) << wall->alarmText().toStdString();
  EXPECT_FALSE(wall->alarmText().contains(clutter));
  EXPECT_TRUE(indicator->isVisibleTo(window.get()));
  EXPECT_TRUE(window->statusBar()->currentMessage().contains(fire)) << window->statusBar()->currentMessage().toStdString();
  // The wall blinks: its background changes from one second to the next.
  auto *banner = wall->findChild<QWidget *>(QStringLiteral("wallAlarm"));
  QSet<QRgb> colours;
  for (int i = 0; i < 25; ++i)
  {
    colours.insert(banner->palette().color(QPalette::Window).rgb());
    QTest::qWait(100);
  }
  EXPECT_EQ(colours.size(), 2);
  // The hall's big screen shows it too.
  gd::console::BigScreen *big = window->command()->showBigScreen(true, QSize(1920, 1080));
  EXPECT_TRUE(big->alarmText().contains(fire)) << big->alarmText().toStdString();

  // Acknowledged: gone everywhere, and a reload does not bring it back.
  wall->findChild<QPushButton *>(QStringLiteral("acknowledgeAlarmButton"))->click();
  EXPECT_FALSE(wall->alarmShown());
  EXPECT_FALSE(indicator->isVisibleTo(window.get()));
  EXPECT_TRUE(big->alarmText().isEmpty());
  EXPECT_TRUE(window->statusBar()->currentMessage().contains(QStringLiteral("督办员乙")));
  reloadWall();
  EXPECT_FALSE(wall->alarmShown());
  EXPECT_TRUE(wall->unacknowledgedAlarms().empty());

  // Another case that must not wait alarms again.
  const QString mass = intake(t[2], QStringLiteral("群众聚集"), QStringLiteral("0603"));
  reloadWall();
  EXPECT_TRUE(wall->alarmShown());
  EXPECT_TRUE(wall->alarmText().contains(mass));
  EXPECT_FALSE(wall->alarmText().contains(fire));
}

// ---- issue 13: language ---------------------------------------------------------------------

// In zh_CN the dispatch dialog said "建议依据：category 0401 default": the reason is words.
// In English it said "Assisting (联动联处)": one language at a time.
TEST_F(CommandTest, TheRoutingReasonIsWordsInTheUiLanguage)
{
  const auto &t = store.terminals;
  const QString number = intake(t[0], QStringLiteral("路灯损坏"), QStringLiteral("0401"));
  std::optional<gd::console::CaseDetail> detail;
  gd::console::ActionContext context;
  auto load = [&] {
    window->session()->caseService()->post([&](gd::console::CaseService &service) {
      detail = service.detail(number);
      context.departments = service.departments();
      context.suggestion = service.suggestLead(detail->category, detail->grid);
    });
    window->session()->caseService()->drain();
  };
  auto labels = [](QWidget *dialog) {
    QStringList texts;
    for (const QLabel *label : dialog->findChildren<QLabel *>())
      texts << label->text();
    return texts;
  };
  load();
  EXPECT_EQ(context.suggestion.reason, QStringLiteral("the default department of category “Damaged municipal facility”"));
  {
    gd::console::ActionDialog dialog(QStringLiteral("dispatch"), *detail, context);
    const QStringList texts = labels(&dialog);
    EXPECT_TRUE(texts.contains(QStringLiteral("Assisting departments"))) << texts.join('|').toStdString();
    for (const QString &text : texts)
      EXPECT_TRUE(text.contains(number) || !hasChinese(text)) << text.toStdString(); // the case's own title and grid are data
  }
  ChineseUi zh;
  load();
  EXPECT_EQ(context.suggestion.reason, QStringLiteral("类别『市政设施损坏』的默认部门"));
  gd::console::ActionDialog dialog(QStringLiteral("dispatch"), *detail, context);
  EXPECT_TRUE(labels(&dialog).contains(QStringLiteral("建议依据：类别『市政设施损坏』的默认部门")))
    << labels(&dialog).join('|').toStdString();
}

// Timelines showed "worker:W620…" and "device:HS-…": a person's name and role instead (a
// terminal as its worker), in the case's history and in the emergency's timeline; and the
// exported emergency timeline was English in a Chinese console.
TEST_F(CommandTest, TimelinesNamePeopleAndTheExportIsInTheUiLanguage)
{
  ChineseUi zh;
  const auto &t = store.terminals;
  const QString number = intake(t[0], QStringLiteral("燃气泄漏"), QStringLiteral("0302"));
  ASSERT_TRUE(gd::consoletest::noteAs(store.path(), number, QStringLiteral("worker:") + t[0].workerId, QStringLiteral("已到场")));
  ASSERT_TRUE(gd::consoletest::noteAs(store.path(), number, QStringLiteral("device:") + t[1].device, QStringLiteral("照片已传")));
  std::optional<gd::console::CaseDetail> detail;
  window->session()->caseService()->post([&](gd::console::CaseService &service) { detail = service.detail(number); });
  window->session()->caseService()->drain();
  ASSERT_TRUE(detail.has_value());
  QStringList fieldActors;
  for (const auto &entry : detail->timeline)
    if (entry.note == QStringLiteral("已到场") || entry.note == QStringLiteral("照片已传"))
      fieldActors << entry.actor;
  ASSERT_EQ(fieldActors.size(), 2);
  for (const QString &actor : fieldActors)
  {
    EXPECT_TRUE(actor.endsWith(QStringLiteral("（网格员）"))) << actor.toStdString();
    EXPECT_FALSE(actor.contains(t[0].workerId) || actor.contains(t[1].workerId) || actor.contains(t[1].device)
                 || actor.contains(QLatin1Char(':')))
      << actor.toStdString();
  }
  EXPECT_NE(fieldActors[0], fieldActors[1]); // two people

  // The emergency: the terminal's acknowledgement is its worker's.
  gd::consoletest::recordFix(store.path(), t[0], t[0].lon + 0.0003, t[0].lat);
  EmergencyPanel *panel = window->command()->emergencyPanel();
  panel->setRadius(500);
  QSignalSpy shown(window->dispatch(), &DispatchController::caseShown);
  window->dispatch()->selectCase(number);
  ASSERT_TRUE(shown.wait(5000));
  ASSERT_TRUE(command([&] { window->command()->declareEmergencyFromCase(); })) << panel->lastMessage().toStdString();
  ASSERT_TRUE(command([&] { panel->dispatchTo({QStringLiteral("police")}, QString()); })) << panel->lastMessage().toStdString();
  ASSERT_TRUE(command([&] { panel->broadcast(QStringLiteral("请协助疏散")); })) << panel->lastMessage().toStdString();
  ASSERT_EQ(panel->alerts().size(), 1u);
  ASSERT_TRUE(gd::consoletest::acknowledgeOrder(store.path(), t[0].device, panel->alerts().front().orderId));
  ASSERT_TRUE(command([&] { panel->addNote(QStringLiteral("现场已封控")); }));
  std::optional<gd::console::EmergencyEvent> ack; // a copy: the panel's timeline is replaced on reload
  for (const auto &e : panel->timeline())
    if (e.kind == QLatin1String("ack"))
      ack = e;
  ASSERT_TRUE(ack.has_value());
  EXPECT_TRUE(ack->actor.endsWith(QStringLiteral("（网格员）"))) << ack->actor.toStdString();
  EXPECT_FALSE(ack->actor.contains(t[0].device)) << ack->actor.toStdString();
  EXPECT_TRUE(ack->message.startsWith(ack->actor)) << ack->message.toStdString();
  EXPECT_EQ(panel->current().declaredBy, QStringLiteral("督办员乙"));

  QTemporaryDir dir;
  for (const QString &name : {QStringLiteral("t.csv"), QStringLiteral("t.json")})
  {
    const QString path = dir.filePath(name);
    ASSERT_TRUE(command([&] { panel->exportTimeline(path); })) << panel->lastMessage().toStdString();
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const bool csv = name.endsWith(QLatin1String(".csv"));
    for (const char *english : {"declared", "Declared", "dispatched", "Dispatched", "alert", "Alert", "acknowledged",
                                "radius", "terminal", "device:", "worker:", "emergency ", "Note"})
    {
      EXPECT_FALSE(csv && text.contains(QLatin1String(english))) << english << " in\n" << text.toStdString();
    }
    EXPECT_TRUE(text.contains(QStringLiteral("启动"))) << text.toStdString();
    EXPECT_TRUE(text.contains(ack->actor)) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("现场已封控")));
    if (csv)
    {
      EXPECT_TRUE(text.contains(QStringLiteral("时间,事项,操作人,内容"))) << text.toStdString();
    }
  }
}

// Found in the walkthrough: after a restart the dock showed the open emergency with its list
// blank; the list names the emergency shown.
TEST_F(CommandTest, AfterARestartTheOpenEmergencyIsShownAndNamedInTheList)
{
  const auto &t = store.terminals;
  EmergencyPanel *panel = window->command()->emergencyPanel();
  ASSERT_TRUE(command([&] { panel->declareAt(t[0].lon, t[0].lat, 400); })) << panel->lastMessage().toStdString();
  const QString incident = panel->current().incident;
  window.reset();
  window = std::make_unique<MainWindow>();
  QString error;
  ASSERT_TRUE(window->openStore(store.path(), &error)) << error.toStdString();
  ASSERT_TRUE(window->session()->waitForCases());
  panel = window->command()->emergencyPanel();
  for (int i = 0; i < 50 && panel->current().declaredBy.isEmpty(); ++i)
    QTest::qWait(100);
  settle();
  EXPECT_EQ(panel->current().incident, incident);
  EXPECT_EQ(panel->findChild<QComboBox *>(QStringLiteral("openEmergencies"))->currentData().toString(), incident);
}

// Issue 17 (安全审计, names not ids): the wall's 催办/督办 and the console's emergency commands and
// export are audit rows of the seat's account, in the step's transaction, refusals included;
// the timeline shows the account's name, not its id.
TEST_F(CommandTest, UrgesEmergencyCommandsAndExportsAreAuditedUnderTheAccountsName)
{
  {
    auto db = gd::store::Schema::open(store.path().toStdString());
    gd::store::AccountSettings settings = gd::store::AccountSettings::load(GD_SOURCE_DIR "/resources/config");
    settings.accounts.argon2 = gd::core::Argon2Cost{1024, 1, 1};
    gd::store::AccountStore(*db, settings.accounts, settings.permissions)
      .createAdministrator("li4", "李四", gd::core::Role::SystemAdmin, "Install-Pass-2026", gd::store::nowUtc());
  }
  const auto &t = store.terminals;
  const QString assigned = intake(t[0], QStringLiteral("楼道堆物"));
  dispatch(assigned, QStringLiteral("fire"), t[0]);
  const QString registered = intake(t[1], QStringLiteral("噪声扰民"));

  gd::console::CommandService seat(store.path(), QStringLiteral("li4"));
  const auto urged = seat.urge({{assigned, registered}, false, QStringLiteral("请加快处置"), {}});
  ASSERT_EQ(urged.size(), 2u);
  EXPECT_TRUE(urged[0].done) << urged[0].reason.toStdString();
  EXPECT_FALSE(urged[1].done);
  const auto declared = seat.declareAt(t[2].lon, t[2].lat, 300, QStringLiteral("燃气泄漏"), QString());
  ASSERT_TRUE(declared.ok) << declared.message.toStdString();
  const QString incident = declared.emergency.incident;
  EXPECT_EQ(declared.emergency.declaredBy, QStringLiteral("李四"));
  QTemporaryDir dir;
  ASSERT_TRUE(seat.exportTimeline(incident, dir.filePath(QStringLiteral("t.csv"))).ok);
  EXPECT_FALSE(seat.exportTimeline(incident, dir.filePath(QStringLiteral("no/such/dir/t.csv"))).ok);
  ASSERT_TRUE(seat.close(incident, QStringLiteral("已处置")).ok);
  EXPECT_FALSE(seat.close(incident, QStringLiteral("再次关闭")).ok);
  for (const auto &entry : seat.timeline(incident))
    EXPECT_FALSE(entry.actor.contains(QStringLiteral("li4"))) << entry.actor.toStdString();

  auto db = gd::store::Schema::open(store.path().toStdString());
  std::vector<std::string> seen;
  for (const auto &row : gd::store::audit::AuditLog(*db).list({}))
  {
    if (row.actorId != "li4")
      continue;
    EXPECT_EQ(row.actorName, "李四");
    EXPECT_FALSE(row.host.empty());
    seen.push_back(row.action + " " + row.object + " " + row.outcome);
  }
  const std::vector<std::string> expected = {
    "case_urge " + assigned.toStdString() + " ok",       "case_urge " + registered.toStdString() + " refused",
    "emergency_change " + incident.toStdString() + " ok", "export " + incident.toStdString() + " ok",
    "export " + incident.toStdString() + " failed",       "emergency_change " + incident.toStdString() + " ok",
    "emergency_change " + incident.toStdString() + " refused"};
  EXPECT_EQ(seen, expected);
  EXPECT_TRUE(gd::store::audit::AuditLog(*db).verify().ok());
}
