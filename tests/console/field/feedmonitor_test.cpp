// The feed monitor (接入监控) of a console that runs no gateway itself, on a store served by the
// center's gateways: it shows every gateway with its terminals, totals them in the status bar,
// and names a gateway that went silent. Real gateways (GatewayService, as griddispatch-gateway
// runs it) on a real store, real terminals over TCP, the window offscreen; the silent gateway
// is the row a killed gateway leaves (its last beat, long ago).
#include "console/mainwindow.h"
#include "console/field/fieldcontroller.h"
#include "console/session/consolesession.h"

#include "ingest/gatewayservice.h"
#include "store/database.h"
#include "store/feed/gatewayroster.h"
#include "store/schema.h"
#include "store/timetext.h"

#include "../consolefixture.h"
#include "support/testclient.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTableWidget>

#include <functional>

using gd::console::MainWindow;

namespace {

bool pumpUntil(const std::function<bool()> &done, int ms = 15000)
{
  QElapsedTimer timer;
  timer.start();
  while (!done())
  {
    if (timer.elapsed() > ms)
      return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  }
  return true;
}

std::unique_ptr<gd::ingest::GatewayService> startGateway(const QString &store)
{
  gd::feed::GatewayConfig config;
  config.host = "127.0.0.1";
  gd::ingest::GatewayServiceOptions options;
  options.rulesEvery = std::chrono::milliseconds(0);
  auto service = std::make_unique<gd::ingest::GatewayService>(store.toStdString(), config, options);
  service->start();
  return service;
}

} // namespace

TEST(FeedMonitor, ShowsEveryGatewayOfTheCenterWithItsTerminalsAndNamesASilentOne)
{
  const auto store = gd::consoletest::makeConsoleStore(3);
  auto a = startGateway(store.path());
  auto b = startGateway(store.path());
  gd::feed::test::TestClient one(a->gateway().port()), two(b->gateway().port()), three(b->gateway().port());
  ASSERT_EQ(one.login(store.terminals[0].device.toStdString(), store.terminals[0].token.toStdString())["type"], "welcome");
  ASSERT_EQ(two.login(store.terminals[1].device.toStdString(), store.terminals[1].token.toStdString())["type"], "welcome");
  ASSERT_EQ(three.login(store.terminals[2].device.toStdString(), store.terminals[2].token.toStdString())["type"], "welcome");
  {
    // What a gateway killed an hour ago left behind: its last beat.
    gd::store::Database db(store.path().toStdString(), gd::store::Database::Mode::ReadWrite);
    gd::store::GatewayBeat beat;
    beat.instance = "gw-dead:4242:abcd";
    beat.host = "gw-dead";
    beat.listen = "10.1.2.3:7401";
    beat.seenAt = gd::store::nowUtc() - std::chrono::hours(1);
    beat.startedAt = beat.seenAt - std::chrono::hours(3);
    beat.terminalsOnline = 900;
    gd::store::GatewayRoster(db).beat(beat);
  }

  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store.path(), &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  ASSERT_EQ(window.session()->gateway(), nullptr); // this console runs none
  auto *status = window.statusBar()->findChild<QLabel *>(QStringLiteral("feedStatus"));
  auto *table = window.findChild<QTableWidget *>(QStringLiteral("feedGateways"));
  ASSERT_NE(status, nullptr);
  ASSERT_NE(table, nullptr);

  // Two running gateways with 1 + 2 terminals; the dead one's 900 are not counted.
  EXPECT_TRUE(pumpUntil([&] {
    window.field()->readGateways();
    return QRegularExpression(QStringLiteral("^Feed: 2 gateway\\S* — terminals online: 3 ·")).match(status->text()).hasMatch();
  })) << status->text().toStdString();
  EXPECT_TRUE(status->toolTip().contains(QStringLiteral("gw-dead · 10.1.2.3:7401"))) << status->toolTip().toStdString();
  EXPECT_FALSE(status->styleSheet().isEmpty()); // red: a gateway is silent
  ASSERT_EQ(table->rowCount(), 3);
  int running = 0, silent = 0;
  for (int row = 0; row < table->rowCount(); ++row)
  {
    const QString state = table->item(row, 1)->text();
    if (state == QLatin1String("running"))
      ++running;
    else if (state.startsWith(QLatin1String("silent since ")))
    {
      ++silent;
      EXPECT_TRUE(table->item(row, 0)->text().startsWith(QLatin1String("gw-dead"))) << table->item(row, 0)->text().toStdString();
      EXPECT_EQ(table->item(row, 2)->text(), QLatin1String("0"));
    }
  }
  EXPECT_EQ(running, 2);
  EXPECT_EQ(silent, 1);

  // A gateway stopped cleanly: gone from the count at once, shown as stopped.
  b->stop();
  EXPECT_TRUE(pumpUntil([&] {
    window.field()->readGateways();
    return QRegularExpression(QStringLiteral("^Feed: 1 gateway\\S* — terminals online: 1 ·")).match(status->text()).hasMatch();
  })) << status->text().toStdString();
  bool stoppedShown = false;
  for (int row = 0; row < table->rowCount(); ++row)
    stoppedShown = stoppedShown || table->item(row, 1)->text().startsWith(QLatin1String("stopped "));
  EXPECT_TRUE(stoppedShown);
}
