#pragma once
// A throwaway PostgreSQL 15 cluster for tests (issue 16): initdb in a temporary directory,
// pg_ctl start on a Unix socket in that directory and a free TCP port on loopback, trust
// authentication for the test user only; stopped (immediate) and removed by the destructor.
// As root the server runs as the `postgres` system user (PostgreSQL refuses to run as root);
// otherwise as the caller. No service, no port or socket shared with anything else.

#include <string>

namespace gd::test {

class PgCluster
{
  public:
    //! Starts the cluster. Throws std::runtime_error naming the step and its output.
    PgCluster();
    ~PgCluster();
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;

    //! A libpq connection string to database \a database (default: the maintenance database).
    std::string conninfo(const std::string &database = "postgres") const;
    //! Creates database \a name with PostGIS enabled; returns its conninfo().
    std::string createPostgisDatabase(const std::string &name) const;
    //! Runs \a sql through psql on \a database; returns its output (unaligned, tuples only).
    std::string psql(const std::string &sql, const std::string &database = "postgres") const;
    //! Stops the server now (`pg_ctl stop -m immediate`: as a crash would), keeping its files.
    void stopImmediately();
    //! Starts it again on the same port and files.
    void start();

    int port() const { return mPort; }
    const std::string &directory() const { return mDir; }

  private:
    std::string run(const std::string &command) const;
    std::string asServerUser(const std::string &command) const;

    std::string mDir;
    std::string mBin;
    int mPort = 0;
    bool mRunning = false;
};

} // namespace gd::test
