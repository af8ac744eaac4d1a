// TLS to the database (issue 16): a cluster set up as README "A center's database" says
// (ssl = on with a server certificate a CA signed, hostssl … scram-sha-256 on 127.0.0.1), and
// store::Database and the real griddispatch-ctl connecting to it with sslmode=verify-full.
// A client given another CA is refused, the error says it is the certificate and never holds
// the password; sslmode=require to a server without TLS fails, saying so.

#include "../ctlrun.h"
#include "pgcluster.h"
#include "store/database.h"
#include "store/storeerror.h"
#include "store/storelocation.h"
#include "../tempdir.h"
#include "testcertificates.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>

namespace gd::store {
namespace {

using gd::test::PgCluster;

//! Sets an environment variable for its lifetime (libpq reads PGPASSWORD at each connect).
class ScopedEnv
{
  public:
    ScopedEnv(const char *name, const std::string &value)
      : mName(name)
    {
      if (const char *old = std::getenv(name))
        mOld = old;
      ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv()
    {
      if (mOld)
        ::setenv(mName, mOld->c_str(), 1);
      else
        ::unsetenv(mName);
    }

  private:
    const char *mName;
    std::optional<std::string> mOld;
};

class PgTls : public ::testing::Test
{
  protected:
    static void SetUpTestSuite()
    {
      cluster = std::make_unique<PgCluster>(PgCluster::Durability::Fast, PgCluster::Security::TlsPassword);
      cluster->createPostgisDatabase("center");
    }
    static void TearDownTestSuite() { cluster.reset(); }

    //! libpq keywords for the center database over TCP with \a sslmode and \a rootCert, no password.
    static std::string keywords(const std::string &sslmode, const std::string &rootCert)
    {
      return "host=127.0.0.1 port=" + std::to_string(cluster->port()) + " dbname=center user=" + PgCluster::user() +
             " sslmode=" + sslmode + " sslrootcert=" + rootCert + " connect_timeout=5";
    }
    //! The same as a URI with the password in it.
    static std::string uriWithPassword(const std::string &sslmode, const std::string &rootCert)
    {
      return "postgresql://" + PgCluster::user() + ":" + cluster->password() + "@127.0.0.1:" +
             std::to_string(cluster->port()) + "/center?sslmode=" + sslmode + "&sslrootcert=" + rootCert +
             "&connect_timeout=5";
    }

    //! Whether the connection of \a db is encrypted, as the server sees it.
    static bool encrypted(Database &db)
    {
      return db.scalarInt("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", -1) == 1;
    }

    static std::unique_ptr<PgCluster> cluster;
    gd::store::test::TempDir dir;
};
std::unique_ptr<PgCluster> PgTls::cluster;

TEST_F(PgTls, VerifyFullWithTheCentersCaConnectsEncrypted)
{
  {
    ScopedEnv password("PGPASSWORD", cluster->password());
    Database db(StoreLocation::parse(keywords("verify-full", cluster->caCertificate())));
    EXPECT_TRUE(encrypted(db));
    // A write over it (the store's write path: a transaction with its lock).
    Transaction tx(db);
    db.exec("CREATE TABLE tls_probe (n bigint)");
    db.query("INSERT INTO tls_probe (n) VALUES (?)").bindAll(1).run();
    tx.commit();
    EXPECT_EQ(db.scalarInt("SELECT count(*) FROM tls_probe"), 1);
  }
  // The password in the URI instead.
  Database db(StoreLocation::parse(uriWithPassword("verify-full", cluster->caCertificate())));
  EXPECT_TRUE(encrypted(db));
}

TEST_F(PgTls, WithoutTlsOrWithoutThePasswordTheServerRefuses)
{
  // pg_hba has hostssl lines only: the server is set up as the README asks, not open by accident.
  ScopedEnv password("PGPASSWORD", cluster->password());
  EXPECT_THROW(Database(StoreLocation::parse(keywords("disable", cluster->caCertificate()))), StoreError);
  ScopedEnv wrong("PGPASSWORD", "not-the-password");
  EXPECT_THROW(Database(StoreLocation::parse(keywords("verify-full", cluster->caCertificate()))), StoreError);
}

TEST_F(PgTls, AnotherCaIsRefusedSayingItIsTheCertificateWithoutThePassword)
{
  const gd::test::CertificateFiles other = gd::test::writeCertificateAuthority(dir.file("other").string(), "other-ca");
  const auto expectRefused = [&](const std::string &conninfo) {
    const StoreLocation location = StoreLocation::parse(conninfo);
    EXPECT_EQ(location.display().find(cluster->password()), std::string::npos) << location.display();
    try
    {
      Database db(location);
      ADD_FAILURE() << "a server certificate from another CA was accepted";
    }
    catch (const StoreError &e)
    {
      const std::string message = e.what();
      EXPECT_TRUE(e.isConnectionLost()) << message;
      // libpq's reason, and what to check (the location shown names sslrootcert= itself).
      EXPECT_NE(message.find("certificate verify failed"), std::string::npos) << message;
      EXPECT_NE(message.find("the server's TLS certificate was not accepted: sslrootcert"), std::string::npos)
        << message;
      EXPECT_EQ(message.find(cluster->password()), std::string::npos) << message;
    }
  };
  {
    ScopedEnv password("PGPASSWORD", cluster->password());
    expectRefused(keywords("verify-full", other.certFile));
    expectRefused(keywords("verify-ca", other.certFile));
  }
  expectRefused(uriWithPassword("verify-full", other.certFile));
}

TEST(PgTlsPlain, RequireToAServerWithoutTlsFailsSayingSo)
{
  PgCluster plain; // ssl off, trust on 127.0.0.1
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(plain.port()) + " dbname=postgres user=" +
                               PgCluster::user() + " sslmode=require connect_timeout=5";
  try
  {
    Database db(StoreLocation::parse(conninfo));
    FAIL() << "sslmode=require connected to a server without TLS";
  }
  catch (const StoreError &e)
  {
    const std::string message = e.what();
    EXPECT_TRUE(e.isConnectionLost()) << message;
    EXPECT_NE(message.find("does not support SSL"), std::string::npos) << message;
  }
  // The same server without sslmode: the trust line lets it in unencrypted (the test's baseline).
  Database db(StoreLocation::parse("host=127.0.0.1 port=" + std::to_string(plain.port()) +
                                   " dbname=postgres user=" + PgCluster::user() + " sslmode=disable"));
  EXPECT_EQ(db.scalarInt("SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl"), 0);
}

#ifdef GD_CTL_PATH
TEST_F(PgTls, CtlInitsAndVerifiesAStoreOverVerifyFull)
{
  cluster->psql("CREATE DATABASE ctl_store");
  const std::string db = "postgresql://" + PgCluster::user() + ":" + cluster->password() + "@127.0.0.1:" +
                         std::to_string(cluster->port()) + "/ctl_store?sslmode=verify-full&sslrootcert=" +
                         cluster->caCertificate();
  const auto errFile = dir.file("stderr.txt");
  const gd::store::test::CtlResult init = gd::store::test::runCtl("init --db '" + db + "'", errFile);
  ASSERT_EQ(init.exitCode, 0) << init.out << init.err;
  const gd::store::test::CtlResult verified = gd::store::test::runCtl("verify --db '" + db + "'", errFile);
  EXPECT_EQ(verified.exitCode, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("ok: 0 case(s)"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find("data digest"), std::string::npos) << verified.out;
  for (const auto *r : {&init, &verified})
    EXPECT_EQ((r->out + r->err).find(cluster->password()), std::string::npos) << r->out << r->err;
  // (pg_hba lets TCP in only as hostssl: the two runs above were encrypted.) A CA file that is
  // not there: refused before any password is asked for, and none is printed.
  const gd::store::test::CtlResult wrong =
    gd::store::test::runCtl("verify --db '" + keywords("verify-full", dir.file("absent-ca.crt").string()) + "'", errFile);
  EXPECT_NE(wrong.exitCode, 0);
  EXPECT_NE(wrong.err.find("absent-ca.crt"), std::string::npos) << wrong.err;
  EXPECT_EQ((wrong.out + wrong.err).find(cluster->password()), std::string::npos) << wrong.err;
}
#endif

} // namespace
} // namespace gd::store
