// SimTerminal against the real gateway over loopback: throughput, resume after a drop,
// orders worked through, TLS.
#include "feed/simterminal.h"

#include "feed/gateway.h"
#include "support/memorysink.h"
#include "support/simthread.h"
#include "support/selfsignedcert.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <thread>

using namespace std::chrono_literals;
namespace asio = boost::asio;
using gd::feed::SimTerminal;
using gd::feed::test::MemorySink;
using gd::feed::test::SimThread;

namespace {

class SimTerminalTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mSink.addDevice("sim-1", "token-1");
      mGatewayConfig.host = "127.0.0.1";
    }

    void startGateway()
    {
      mGateway = std::make_unique<gd::feed::Gateway>(mGatewayConfig, mSink);
      mGateway->start();
    }

    gd::feed::SimTerminalConfig terminalConfig()
    {
      gd::feed::SimTerminalConfig config;
      config.port = mGateway->port();
      config.device = "sim-1";
      config.token = "token-1";
      config.framesPerSecond = 0;
      config.reconnectDelay = 50ms;
      config.orderStepDelay = 20ms;
      config.categories = {{"0301", "楼道堆放杂物", 2}, {"0402", "环境卫生", 1}};
      return config;
    }

    void TearDown() override
    {
      if (mTerminal)
        mSim.call([&] { mTerminal->stop(); });
      if (mGateway)
        mGateway->stop();
    }

    MemorySink mSink;
    gd::feed::GatewayConfig mGatewayConfig;
    std::unique_ptr<gd::feed::Gateway> mGateway;
    gd::feed::SimCounters mOtherCounters; //!< a second simulator's (outlives mSim's thread)
    SimThread mSim;
    std::shared_ptr<SimTerminal> mTerminal;
};

} // namespace

TEST_F(SimTerminalTest, GeneratedFramesAreAllAcknowledged)
{
  startGateway();
  auto config = terminalConfig();
  config.framesPerSecond = 400;
  config.reportShare = 0.2;
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, config, mSim.mCounters);
    t->start();
    return t;
  });
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->ackedSeq() >= 50; }));
  mSim.call([&] { mTerminal->stop(); });
  const auto [acked, sent] = mSim.call([&] { return std::pair(mSim.mCounters.acked, mSim.mCounters.sent); });
  EXPECT_GE(acked, 50u);
  EXPECT_GE(sent, acked);
  // Frames still in flight when the terminal stopped are committed; then every seq is there once.
  EXPECT_TRUE(mSink.waitFor([&] { return mSink.storedCount("sim-1") == static_cast<std::size_t>(mSink.lastSeq("sim-1")); }));
  const double p50 = mSim.call([&] { return mSim.mCounters.latencyPercentile(0.5); });
  EXPECT_GT(p50, 0.0);
  EXPECT_FALSE(mSim.call([&] { return mTerminal->caseNumbers().empty(); }));
}

TEST_F(SimTerminalTest, ResumesAfterADropWithFramesInFlight)
{
  startGateway();
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, terminalConfig(), mSim.mCounters);
    t->start();
    return t;
  });
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->online(); }));
  mSink.holdCommits(true);
  mSim.call([&] {
    for (int i = 0; i < 20; ++i)
      i % 4 ? mTerminal->queuePosition() : mTerminal->queueReport();
  });
  ASSERT_TRUE(mSink.waitFor([&] { return mGateway->stats().framesReceived >= 21; }));
  mSim.call([&] {
    mTerminal->dropConnection(); // 20 frames in flight, none acked
    for (int i = 0; i < 10; ++i)
      mTerminal->queuePosition(); // generated while offline
  });
  mSink.holdCommits(false);
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->ackedSeq() == 30 && mTerminal->unacknowledged() == 0; }));
  EXPECT_GE(mSim.call([&] { return mTerminal->welcomes(); }), 2u);
  // Every seq stored exactly once, in order.
  const auto stored = mSink.stored("sim-1");
  ASSERT_EQ(stored.size(), 30u);
  for (std::size_t i = 0; i < stored.size(); ++i)
    EXPECT_EQ(gd::feed::frameSeq(stored[i]), static_cast<std::int64_t>(i + 1));
}

TEST_F(SimTerminalTest, WorksAssignedCasesThroughToResolve)
{
  mSink.addCase("C-77", "sim-1");
  gd::feed::OrderFrame order;
  order.order = 5;
  order.kind = gd::feed::OrderKind::Assign;
  order.caseSummary.number = "C-77";
  mSink.addOrder("sim-1", order);
  startGateway();
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, terminalConfig(), mSim.mCounters);
    t->start();
    return t;
  });
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->casesResolved() == 1 && mTerminal->unacknowledged() == 0; }));
  EXPECT_EQ(mSink.pendingOrderCount("sim-1"), 0u);
  std::vector<gd::feed::UpdateAction> actions;
  for (const auto &frame : mSink.stored("sim-1"))
    if (const auto *u = std::get_if<gd::feed::UpdateFrame>(&frame))
      actions.push_back(u->action);
  EXPECT_EQ(actions, (std::vector<gd::feed::UpdateAction>{gd::feed::UpdateAction::Accept, gd::feed::UpdateAction::Arrive, gd::feed::UpdateAction::Resolve}));
  EXPECT_EQ(mSim.call([&] { return mSim.mCounters.rejected; }), 0u);
}

TEST_F(SimTerminalTest, OverTls)
{
  const std::string dir = (std::filesystem::temp_directory_path() / ("gd-sim-tls-" + std::to_string(::getpid()))).string();
  const auto files = gd::feed::test::writeSelfSignedCertificate(dir, "gateway");
  mGatewayConfig.tlsCertFile = files.certFile;
  mGatewayConfig.tlsKeyFile = files.keyFile;
  startGateway();
  mSim.mTls.set_verify_mode(asio::ssl::verify_peer);
  mSim.mTls.load_verify_file(files.certFile);
  auto config = terminalConfig();
  config.tls = true;
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, config, mSim.mCounters);
    t->start();
    t->queueReport();
    return t;
  });
  EXPECT_TRUE(mSim.waitFor([&] { return mTerminal->ackedSeq() == 1; }));
  std::filesystem::remove_all(dir);
}

// A new simulator for devices an earlier one used starts with its counter at 0 while the store
// holds their last_seq: it must go on above welcome.last_seq, not have its frames answered dup.
TEST_F(SimTerminalTest, ANewTerminalGoesOnAboveTheStoresLastSeq)
{
  startGateway();
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, terminalConfig(), mSim.mCounters);
    t->start();
    for (int i = 0; i < 30; ++i)
      t->queuePosition();
    return t;
  });
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->ackedSeq() == 30 && mTerminal->unacknowledged() == 0; }));
  mSim.call([&] { mTerminal->stop(); });
  ASSERT_EQ(mSink.lastSeq("sim-1"), 30);

  // The next simulator: a terminal of its own (its counter at 0), the same device. Frames it
  // generates before the welcome and after it are all stored.
  gd::feed::SimCounters &counters = mOtherCounters;
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, terminalConfig(), counters);
    for (int i = 0; i < 5; ++i)
      t->queuePosition();
    t->queueReport();
    t->start();
    return t;
  });
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->online() && mTerminal->unacknowledged() == 0; }));
  mSim.call([&] {
    for (int i = 0; i < 4; ++i)
      mTerminal->queuePosition();
  });
  ASSERT_TRUE(mSim.waitFor([&] { return mTerminal->unacknowledged() == 0; }));
  EXPECT_TRUE(mSink.waitFor([&] { return mSink.storedCount("sim-1") == 40u; })) << mSink.storedCount("sim-1");
  EXPECT_EQ(mSink.lastSeq("sim-1"), 40);
  EXPECT_EQ(mSim.call([&] { return mTerminal->ackedSeq(); }), 40);
  EXPECT_EQ(mSim.call([&] { return counters.duplicates; }), 0u);
  EXPECT_EQ(mSim.call([&] { return counters.seqResumes; }), 1u);
  EXPECT_EQ(mGateway->stats().duplicates, 0u);
  // The report generated before the welcome got its case: it was stored, under seq 36.
  EXPECT_EQ(mSim.call([&] { return mTerminal->caseNumbers().size(); }), 1u);
  const auto stored = mSink.stored("sim-1");
  ASSERT_EQ(stored.size(), 40u);
  for (std::size_t i = 0; i < stored.size(); ++i)
    EXPECT_EQ(gd::feed::frameSeq(stored[i]), static_cast<std::int64_t>(i + 1));
  EXPECT_TRUE(std::holds_alternative<gd::feed::ReportFrame>(stored[35]));
}

// Issue 14, defect 11: the simulator accepted any certificate that chained to its CA, whatever
// host it named. A certificate for localhost/127.0.0.1 is now refused when the terminal expects
// another host (tlsServerName), and accepted under the name it carries.
TEST_F(SimTerminalTest, OverTlsTheCertificateMustNameTheExpectedHost)
{
  const std::string dir = (std::filesystem::temp_directory_path() / ("gd-sim-tlsname-" + std::to_string(::getpid()))).string();
  const auto files = gd::feed::test::writeSelfSignedCertificate(dir, "gateway");
  mGatewayConfig.tlsCertFile = files.certFile;
  mGatewayConfig.tlsKeyFile = files.keyFile;
  startGateway();
  mSim.mTls.set_verify_mode(asio::ssl::verify_peer);
  mSim.mTls.load_verify_file(files.certFile);
  auto config = terminalConfig();
  config.tls = true;
  config.tlsServerName = "gateway.example.org"; // not in the certificate
  config.reconnectDelay = std::chrono::milliseconds(50);
  auto impostor = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, config, mSim.mCounters);
    t->start();
    t->queueReport();
    return t;
  });
  EXPECT_TRUE(mSim.waitFor([&] { return mSim.mCounters.connectAttempts >= 3; }));
  EXPECT_EQ(mSim.call([&] { return impostor->welcomes(); }), 0u) << "a certificate for another host was accepted";
  EXPECT_EQ(mSim.call([&] { return impostor->ackedSeq(); }), 0);
  mSim.call([&] {
    impostor->stop();
    return 0;
  });

  config.tlsServerName = "localhost"; // what the certificate names
  mTerminal = mSim.call([&] {
    auto t = SimTerminal::create(mSim.mIo, mSim.mTls, config, mSim.mCounters);
    t->start();
    t->queueReport();
    return t;
  });
  EXPECT_TRUE(mSim.waitFor([&] { return mTerminal->ackedSeq() == 1; }));
  std::filesystem::remove_all(dir);
}
