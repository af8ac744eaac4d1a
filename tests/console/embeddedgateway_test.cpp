// The console's embedded gateway (issue 14, defect 4): it offers TLS like griddispatch-gateway,
// and listens in plain TCP on an address other than loopback only when told to.
#include "console/embeddedgateway.h"

#include "store/database.h"
#include "store/deviceregistry.h"
#include "store/schema.h"
#include "store/timetext.h"

#include "support/selfsignedcert.h"
#include "support/testclient.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

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
