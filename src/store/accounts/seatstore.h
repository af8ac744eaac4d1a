#pragma once
// Seats (issue 17): a console's place in the center, with the part of the district it sees —
// a grid subtree (a township center sees its township) and, for a department seat, its
// department. Table seats of schema revision 17 (schema.cpp).
//
// On PostgreSQL each seat has a login role of its own (createLoginRole()), a member of the
// store's console group role, which has exactly the grants a console needs; row-level security
// (pgschema.cpp, revision 17) holds that role to the seat's scope whatever SQL it sends, so a
// console's credentials used in psql read and change nothing outside its scope. A console finds
// its seat from the role it logged in as (sessionSeat()). On a GeoPackage there are no roles:
// the console is told its seat (`griddispatch --seat ID`) and the scope is the program's only
// (anyone who has the file has all of it: docs/security.md).

#include "core/timeutil.h"
#include "store/cases/casescope.h"

#include <optional>
#include <string>
#include <vector>

namespace gd::store {

class Database;

struct Seat
{
  std::string id;
  std::string displayName;
  std::string gridScope;   //!< a grid code; empty: the whole district
  std::string department;  //!< a department code; empty: none
  std::string loginRole;   //!< PostgreSQL: the role its console logs in as; empty on a GeoPackage
  core::TimePoint createdAt{};
  bool disabled = false;

  CaseScope scope() const { return {gridScope, department}; }
};

//! What createLoginRole() made: the role and its password (shown once, never stored).
struct SeatCredentials
{
  std::string role;
  std::string password;
};

class SeatStore
{
  public:
    explicit SeatStore(Database &db);

    /**
     * Adds \a seat (created now). Throws StoreRefusal "bad_value" for an id not of
     * [A-Za-z0-9_-] (1–32), a grid scope that is no grid code or names no grid of the store, or
     * a department code of other characters; "duplicate" for an id already there.
     */
    void add(const Seat &seat);
    std::vector<Seat> list();
    std::optional<Seat> find(const std::string &id);
    /**
     * Disables the seat: its scope admits nothing from now on; on PostgreSQL its role may no
     * longer log in (NOLOGIN) either. Throws StoreRefusal "unknown_seat".
     */
    void disable(const std::string &id);

    /**
     * PostgreSQL: the seat whose login role this connection logged in as (session_user), or
     * nullopt (the store's owner, an administrator). SQLite: nullopt.
     */
    std::optional<Seat> sessionSeat();

    /**
     * PostgreSQL only: creates the login role of seat \a id with a new random password, a
     * member of the store's console group role (made, with its grants, on first use), and
     * records the role with the seat. Role names are the database's name followed by
     * "_seat_<id>" and "_console" (roles are the cluster's, shared by its databases). Needs a
     * connection whose role may create roles (CREATEROLE) and owns the tables. Runs in the
     * open transaction or its own. Throws StoreRefusal "unknown_seat", "bad_value" (a name past
     * 63 bytes, a role that exists already), StoreError.
     */
    SeatCredentials createLoginRole(const std::string &id);

    //! The console group role's name on this database (PostgreSQL).
    std::string consoleGroupRole();

  private:
    Database &mDb;
};

} // namespace gd::store
