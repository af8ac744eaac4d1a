#pragma once
// The backend a test's store lives on (issue 16): the same test runs on both. ctest registers
// every store test twice — as itself on a GeoPackage file, and with the prefix "pg:" and the
// label "postgres" with GD_TEST_STORE=postgresql — on one throwaway cluster that the ctest
// fixture `pg_cluster_start` starts for the whole run (its state file, build/pgtest/state, says
// where). Run by hand without it, a test process starts a cluster of its own.

#include "store/storelocation.h"

#include <filesystem>
#include <string>

namespace gd::store::test {

//! True when this run's stores are PostgreSQL databases (GD_TEST_STORE=postgresql).
bool storesOnPostgres();

/**
 * A fresh, empty store location for one test: the file \a file (not created) on SQLite, or a
 * new PostGIS database on the test cluster. The database is dropped by the destructor (its
 * connections closed by force); the file is left to the test's temporary directory.
 */
class TestStore
{
  public:
    explicit TestStore(const std::filesystem::path &file);
    ~TestStore();
    TestStore(const TestStore &) = delete;
    TestStore &operator=(const TestStore &) = delete;

    const store::StoreLocation &location() const { return mLocation; }
    //! What --db is given for this store (a path or a connection string).
    std::string dbArgument() const;
    //! The database's name on the test cluster (empty on SQLite).
    const std::string &databaseName() const { return mDatabase; }

  private:
    store::StoreLocation mLocation;
    std::string mDatabase;
};

//! Runs \a sql on the test cluster's maintenance database (PostgreSQL runs only).
void adminSql(const std::string &sql);
/**
 * Runs \a sql (one or more statements) as the cluster's superuser in the test database
 * \a database (TestStore::databaseName()): what someone with the database's administrator
 * password can do behind the program's back. Returns the first column of the first row.
 */
std::string adminSqlIn(const std::string &database, const std::string &sql);

} // namespace gd::store::test
