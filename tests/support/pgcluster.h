#pragma once
// A throwaway PostgreSQL 15 cluster for tests (issue 16): initdb in a temporary directory,
// pg_ctl start on a Unix socket in that directory and a free TCP port on loopback, trust
// authentication for the test user only; stopped (immediate) and removed by the destructor.
// As root the server runs as the `postgres` system user (PostgreSQL refuses to run as root);
// otherwise as the caller. No service, no port or socket shared with anything else.
//
// For the failover tests a cluster can also be a streaming standby of another one (made with
// pg_basebackup, as a center would make it), be killed as a crash would, and be promoted.
//
// A process killed before its destructors run (ctest's timeout sends SIGKILL) would leave its
// server running for good: pg_ctl starts it as a daemon, no child of the test. So every cluster
// has a watchdog, a small shell of its own session (not a descendant of the test, which ctest
// kills with its whole tree), that stops the server and removes the directory within a second
// or two once its owner process is gone. It ends by itself once the directory is removed.
//
// For the TLS tests a cluster can be set up as a center's server is (README "A center's
// database"): ssl = on with a server certificate signed by a CA made for it, and TCP allowed
// only as `hostssl … scram-sha-256` with a password.

#include <memory>
#include <sys/types.h>
#include <string>
#include <vector>

namespace gd::test {

class PgCluster
{
  public:
    //! Fast: fsync and full-page writes off (a test cluster's durability is usually not what is
    //! measured). Durable: PostgreSQL's defaults (fsync, full-page writes, synchronous_commit
    //! on), for tests that measure what is lost, so that they do not cheat.
    enum class Durability
    {
        Fast,
        Durable
    };

    /**
     * How clients may connect. Trust: trust on the socket and on 127.0.0.1, no TLS (the
     * default). TlsPassword: ssl = on with a certificate for localhost and 127.0.0.1 signed by
     * a CA made for this cluster (caCertificate()); on 127.0.0.1 only `hostssl … scram-sha-256`
     * (so a connection without TLS or without the password() is refused); the Unix socket stays
     * trust, for psql().
     */
    enum class Security
    {
        Trust,
        TlsPassword
    };

    //! Starts the cluster (Fast). Throws std::runtime_error naming the step and its output.
    PgCluster();
    explicit PgCluster(Durability durability, Security security = Security::Trust);
    //! As above, but the watchdog stops the cluster once process \a owner is gone instead of
    //! this one: the ctest fixture's cluster outlives the fixture's process, not the ctest run.
    PgCluster(Durability durability, pid_t owner);
    ~PgCluster();
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;

    //! A streaming standby of the running \a primary: pg_basebackup -R over the primary's
    //! socket (with a replication slot of its own), in its own directory on its own port,
    //! started, and returned once the primary's pg_stat_replication shows it streaming. When
    //! \a synchronous, the primary's synchronous_standby_names is set to the standby's
    //! applicationName() (ALTER SYSTEM, reload) and this returns once it is the sync standby:
    //! from then on every commit acknowledged by the primary is on the standby too.
    //! It has the primary's Durability. Throws std::runtime_error (the standby removed).
    static std::unique_ptr<PgCluster> standbyOf(PgCluster &primary, bool synchronous);

    //! A libpq URI naming every cluster in \a clusters on 127.0.0.1 in order, asking for a
    //! read-write session (target_session_attrs=read-write) with a 2 s connect timeout:
    //! postgresql://127.0.0.1:P1,127.0.0.1:P2/db?user=…&target_session_attrs=read-write&connect_timeout=2
    static std::string multiHostConninfo(const std::vector<const PgCluster *> &clusters,
                                         const std::string &database = "postgres");

    //! A libpq connection string to database \a database (default: the maintenance database).
    std::string conninfo(const std::string &database = "postgres") const;
    //! Creates database \a name with PostGIS enabled; returns its conninfo().
    std::string createPostgisDatabase(const std::string &name) const;
    //! Runs \a sql through psql on \a database; returns its output (unaligned, tuples only).
    std::string psql(const std::string &sql, const std::string &database = "postgres") const;
    //! Stops the server now (`pg_ctl stop -m immediate`: as a crash would), keeping its files.
    void stopImmediately();
    //! Kills the server harder than stopImmediately(): SIGKILL to the postmaster (its pid from
    //! postmaster.pid) and to every process it had started, as when the host loses power; no
    //! process is told anything. Returns once they are all gone. Keeps the files; start() works.
    void kill();
    //! Starts it again on the same port and files.
    void start();
    //! Ends recovery of a standby (`pg_ctl promote -w`): it accepts writes when this returns.
    void promote();
    //! Whether the server is a standby still in recovery (pg_is_in_recovery()).
    bool isInRecovery() const;

    //! The CA certificate (PEM) that signed the server's certificate (TlsPassword; empty otherwise).
    const std::string &caCertificate() const { return mCaCertificate; }
    //! The test user's password over TCP (TlsPassword; empty otherwise). No quote, space, @ or %.
    const std::string &password() const { return mPassword; }
    //! User name every cluster's clients log in as.
    static std::string user();

    int port() const { return mPort; }
    const std::string &directory() const { return mDir; }
    //! The name a standby streams under (pg_stat_replication.application_name, its slot's
    //! name); empty for a primary.
    const std::string &applicationName() const { return mApplicationName; }

  private:
    struct Empty
    {
    };
    //! Makes the directory, starts its watchdog and picks the port; no data directory, nothing started.
    PgCluster(Durability durability, pid_t owner, Empty);
    //! The cluster of the public constructors: owned by process \a owner, clients as \a security says.
    PgCluster(Durability durability, pid_t owner, Security security);
    //! Starts the watchdog described above for process mOwner.
    void startWatchdog() const;

    //! Writes the CA, the server's certificate and key, and a pg_hba.conf of hostssl only.
    void setUpTls();
    std::string run(const std::string &command) const;
    std::string asServerUser(const std::string &command) const;
    std::string dataDir() const { return mDir + "/data"; }

    std::string mDir;
    std::string mBin;
    std::string mApplicationName;
    Durability mDurability = Durability::Fast;
    pid_t mOwner = 0;
    Security mSecurity = Security::Trust;
    std::string mCaCertificate;
    std::string mServerCertificate;
    std::string mServerKey;
    std::string mPassword;
    int mPort = 0;
    bool mRunning = false;
};

} // namespace gd::test
