// The gateway inside the console, as the operator sees it: the status bar and the feed monitor
// (接入监控) count stored frames apart from duplicates, and show the gateway as soon as it runs.
// It offers TLS like griddispatch-gateway, and listens in plain TCP on an address other than
// loopback only when told to (issue 14, defect 4).
// A real store, the real gateway on loopback, a real TCP terminal, the window offscreen.
#include "console/session/embeddedgateway.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"

#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/schema.h"
#include "store/timetext.h"

#include "../consolefixture.h"
#include "support/selfsignedcert.h"
#include "support/testclient.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QRegularExpression>
#include <QStatusBar>
#include <QThread>

#include <filesystem>
#include <functional>
#include <random>

using gd::console::MainWindow;

namespace {

nlohmann::json position(std::int64_t seq, const gd::consoletest::Terminal &terminal)
{
  return {{"type", "position"}, {"seq", seq}, {"lat", terminal.lat}, {"lon", terminal.lon}, {"crs", "CGCS2000"}};
}

//! Runs the event loop (and \a step between rounds) until \a done holds; false after \a ms.
bool pumpUntil(const std::function<bool()> &done, const std::function<void()> &step = {}, int ms = 8000)
{
  QElapsedTimer timer;
  timer.start();
  while (!done())
  {
    if (timer.elapsed() > ms)
      return false;
    if (step)
      step();
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
  }
  return true;
}

} // namespace

TEST(EmbeddedGateway, FeedMonitorShowsTheGatewayOnceItRuns)
{
  const auto store = gd::consoletest::makeConsoleStore(2);
  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store.path(), &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  auto *summary = window.findChild<QLabel *>(QStringLiteral("feedSummary"));
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(summary->text(), QStringLiteral("No field gateway in this console."));
  ASSERT_TRUE(window.session()->startGateway(QStringLiteral("127.0.0.1"), 0, &error)) << error.toStdString();
  // Before any terminal sent anything (the old summary waited for a stored position).
  const QRegularExpression shown(QStringLiteral("^Gateway 127\\.0\\.0\\.1:%1 · 0 terminal\\S* online\n").arg(window.session()->gateway()->port()));
  EXPECT_TRUE(shown.match(summary->text()).hasMatch()) << summary->text().toStdString();
}

TEST(EmbeddedGateway, StatusCountsStoredFramesApartFromDuplicates)
{
  const auto store = gd::consoletest::makeConsoleStore(2);
  const gd::consoletest::Terminal &terminal = store.terminals.front();
  MainWindow window;
  QString error;
  ASSERT_TRUE(window.openStore(store.path(), &error)) << error.toStdString();
  ASSERT_TRUE(window.session()->waitForCases());
  ASSERT_TRUE(window.session()->startGateway(QStringLiteral("127.0.0.1"), 0, &error)) << error.toStdString();
  auto *status = window.statusBar()->findChild<QLabel *>(QStringLiteral("feedStatus"));
  auto *summary = window.findChild<QLabel *>(QStringLiteral("feedSummary"));
  ASSERT_NE(status, nullptr);
  ASSERT_NE(summary, nullptr);

  gd::feed::test::TestClient client(window.session()->gateway()->port());
  ASSERT_TRUE(client.connected());
  const nlohmann::json welcome = client.login(terminal.device.toStdString(), terminal.token.toStdString());
  ASSERT_EQ(welcome.value("type", ""), "welcome") << welcome.dump();
  const std::int64_t lastSeq = welcome.value("last_seq", std::int64_t{0});
  for (std::int64_t seq = lastSeq + 1; seq <= lastSeq + 5; ++seq)
  {
    ASSERT_TRUE(client.sendFrame(position(seq, terminal)));
    const nlohmann::json ack = client.readFrame();
    ASSERT_EQ(ack.value("type", ""), "ack") << ack.dump();
    ASSERT_FALSE(ack.value("dup", false)) << ack.dump();
  }

  // Then only frames the store already holds, as a terminal whose counter restarted sends:
  // they are acknowledged (dup) but nothing is stored. The status bar must say so.
  int duplicatesSent = 0;
  const auto sendDuplicate = [&] {
    QThread::msleep(5); // a steady trickle, not a flood
    if (!client.sendFrame(position(lastSeq + 1 + duplicatesSent % 5, terminal)))
      return;
    const nlohmann::json ack = client.readFrame();
    EXPECT_TRUE(ack.value("dup", false)) << ack.dump();
    ++duplicatesSent;
  };
  const QRegularExpression onlyDuplicates(QStringLiteral("1 terminal\\S* online · stored 0 frames/s · duplicates [1-9][0-9]*/s"));
  EXPECT_TRUE(pumpUntil([&] { return onlyDuplicates.match(status->text()).hasMatch(); }, sendDuplicate))
    << status->text().toStdString();
  EXPECT_FALSE(status->toolTip().isEmpty()); // the warning: nothing new is stored
  EXPECT_TRUE(summary->text().contains(QLatin1String("Stored: 0 frames/s, 5 since start"))) << summary->text().toStdString();
  EXPECT_TRUE(summary->text().contains(QLatin1String("duplicates (not stored): "))) << summary->text().toStdString();

  // Stored frames again: the rate and the warning follow.
  std::int64_t next = lastSeq + 6;
  const auto sendNew = [&] {
    QThread::msleep(5);
    if (client.sendFrame(position(next, terminal)) && client.readFrame().value("type", "") == "ack")
      ++next;
  };
  EXPECT_TRUE(pumpUntil([&] { return status->text().contains(QLatin1String("duplicates 0/s")) && !status->text().contains(QLatin1String("stored 0 frames/s")); },
                        sendNew))
    << status->text().toStdString();
  EXPECT_TRUE(status->toolTip().isEmpty());
  const gd::console::FeedHealth health = window.session()->gateway()->health();
  EXPECT_EQ(health.framesStored, static_cast<std::uint64_t>(next - lastSeq - 1));
  EXPECT_EQ(health.duplicates, static_cast<std::uint64_t>(duplicatesSent));
}

namespace fs = std::filesystem;
using gd::console::EmbeddedGateway;
using gd::console::EmbeddedGatewayOptions;

namespace {

class EmbeddedGatewayTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mDir = fs::temp_directory_path() / ("gd-embedded-" + std::to_string(std::random_device()()));
      fs::create_directories(mDir);
      mStore = QString::fromStdString((mDir / "store.gpkg").string());
      auto db = gd::store::Schema::openOrCreate(mStore.toStdString());
      mToken = gd::store::DeviceRegistry(*db).add("HS-1", "worker-1", gd::store::nowUtc());
    }
    void TearDown() override { fs::remove_all(mDir); }

    fs::path mDir;
    QString mStore;
    std::string mToken;
};

} // namespace

TEST_F(EmbeddedGatewayTest, PlainTcpOnTheNetworkNeedsAllowPlaintext)
{
  EmbeddedGatewayOptions options;
  options.host = QStringLiteral("0.0.0.0");
  options.port = 0;
  try
  {
    EmbeddedGateway gateway(mStore, options);
    FAIL() << "the embedded gateway listened in plain TCP on 0.0.0.0";
  }
  catch (const std::exception &e)
  {
    EXPECT_NE(std::string(e.what()).find("plain TCP"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--allow-plaintext"), std::string::npos) << e.what();
  }
  options.allowPlaintext = true;
  EmbeddedGateway gateway(mStore, options);
  EXPECT_FALSE(gateway.usesTls());
  gd::feed::test::TestClient client(gateway.port());
  EXPECT_EQ(client.login("HS-1", mToken)["type"], "welcome");
}

TEST_F(EmbeddedGatewayTest, OffersTls)
{
  const auto cert = gd::feed::test::writeSelfSignedCertificate((mDir / "tls").string(), "console");
  EmbeddedGatewayOptions options;
  options.host = QStringLiteral("0.0.0.0");
  options.port = 0;
  options.tlsCertFile = QString::fromStdString(cert.certFile);
  options.tlsKeyFile = QString::fromStdString(cert.keyFile);
  EmbeddedGateway gateway(mStore, options);
  EXPECT_TRUE(gateway.usesTls());
  boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
  tls.set_verify_mode(boost::asio::ssl::verify_peer);
  tls.load_verify_file(cert.certFile);
  gd::feed::test::TestClient client(gateway.port(), &tls);
  ASSERT_TRUE(client.handshakeOk());
  EXPECT_EQ(client.login("HS-1", mToken)["type"], "welcome");
}
