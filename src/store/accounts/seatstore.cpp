#include "store/accounts/seatstore.h"

#include "core/gridcode.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/timetext.h"
#include "store/writescope.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>

namespace gd::store {

namespace {

constexpr const char *kColumns = "id, display_name, grid_scope, department, login_role, created_at, disabled";

Seat readSeat(const Statement &s)
{
  Seat seat;
  seat.id = s.columnText(0);
  seat.displayName = s.columnText(1);
  seat.gridScope = s.columnText(2);
  seat.department = s.columnText(3);
  seat.loginRole = s.columnText(4);
  seat.createdAt = fromDbTime(s.columnText(5)).value_or(core::TimePoint{});
  seat.disabled = s.columnInt(6) != 0;
  return seat;
}

bool codeCharacters(const std::string &text)
{
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
  });
}

// A role name for SQL: lower-case letters, digits and '_' only (what the database name and the
// seat id are cut down to), so it never needs quoting and cannot carry SQL.
std::string roleName(std::string text)
{
  for (char &c : text)
  {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      c = '_';
  }
  return text;
}

// 24 characters of [A-Za-z0-9] (~143 bits) from OpenSSL's generator.
std::string newPassword()
{
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  while (out.size() < 24)
  {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1)
      throw StoreError(0, "no random bytes for a seat's password");
    if (byte < 248) // 248 = 4 × 62: no bias
      out.push_back(kAlphabet[byte % 62]);
  }
  return out;
}

// The console's tables and what it does to each (the rest it only reads). No DELETE but the
// account's own old passwords, no TRUNCATE, no DDL; the append-only tables' triggers and the
// audit trail's revoked UPDATE hold for the group as for everyone.
constexpr const char *kConsoleGrants = R"sql(
GRANT SELECT ON ALL TABLES IN SCHEMA %1$I TO %2$I;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %1$I TO %2$I;
GRANT INSERT ON cases, case_events, case_number_counters, department_notices, orders, supervisions, emergencies,
  emergency_timeline, emergency_orders, rule_firings, rule_cursors, audit_log, password_history, extension_requests TO %2$I;
GRANT UPDATE ON cases, case_number_counters, department_notices, orders, emergencies, rule_firings, rule_cursors,
  accounts, extension_requests TO %2$I;
GRANT DELETE ON password_history TO %2$I;
)sql";

} // namespace

SeatStore::SeatStore(Database &db)
  : mDb(db)
{}

void SeatStore::add(const Seat &seat)
{
  if (seat.id.empty() || seat.id.size() > 32 || !codeCharacters(seat.id))
    throw StoreRefusal("bad_value", "a seat id is 1 to 32 of A-Z a-z 0-9 _ -, not '" + seat.id + "'");
  if (seat.displayName.empty())
    throw StoreRefusal("bad_value", "a seat needs a name (--name)");
  if (!codeCharacters(seat.department))
    throw StoreRefusal("bad_value", "'" + seat.department + "' is not a department code");
  if (!seat.gridScope.empty())
  {
    std::string why;
    const auto code = core::GridCode::parse(seat.gridScope, &why);
    if (!code)
      throw StoreRefusal("bad_value", why);
    // The table names come from the constant list, never from input.
    const std::string table = kGridTables[static_cast<std::size_t>(code->level())].first;
    auto q = mDb.query("SELECT count(*) FROM " + table + " WHERE code = ?");
    q.bindAll(seat.gridScope);
    if (!q.step() || q->columnInt(0) == 0)
      throw StoreRefusal("bad_value", "the store has no grid " + seat.gridScope);
  }
  WriteScope scope(mDb);
  if (find(seat.id))
    throw StoreRefusal("duplicate", "seat '" + seat.id + "' exists already");
  auto q = mDb.query("INSERT INTO seats (id, display_name, grid_scope, department, login_role, created_at, disabled) "
                     "VALUES (?, ?, ?, ?, '', ?, 0)");
  q.bindAll(seat.id, seat.displayName, seat.gridScope, seat.department,
            toDbTime(std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
  q.run();
  scope.commit();
}

std::vector<Seat> SeatStore::list()
{
  std::vector<Seat> out;
  auto q = mDb.query(std::string("SELECT ") + kColumns + " FROM seats ORDER BY id");
  while (q.step())
    out.push_back(readSeat(*q));
  return out;
}

std::optional<Seat> SeatStore::find(const std::string &id)
{
  auto q = mDb.query(std::string("SELECT ") + kColumns + " FROM seats WHERE id = ?");
  q.bindAll(id);
  if (!q.step())
    return std::nullopt;
  return readSeat(*q);
}

void SeatStore::disable(const std::string &id)
{
  WriteScope scope(mDb);
  const std::optional<Seat> seat = find(id);
  if (!seat)
    throw StoreRefusal("unknown_seat", "no seat '" + id + "'");
  mDb.query("UPDATE seats SET disabled = 1 WHERE id = ?").bindAll(id).run();
  // roleName() keeps the stored name to characters that need no quoting.
  if (mDb.isPostgres() && !seat->loginRole.empty())
    mDb.exec("ALTER ROLE " + roleName(seat->loginRole) + " NOLOGIN");
  scope.commit();
}

std::optional<Seat> SeatStore::sessionSeat()
{
  if (!mDb.isPostgres())
    return std::nullopt;
  auto q = mDb.query(std::string("SELECT ") + kColumns + " FROM seats WHERE login_role <> '' AND login_role = session_user");
  if (!q.step())
    return std::nullopt;
  return readSeat(*q);
}

std::string SeatStore::consoleGroupRole()
{
  auto q = mDb.query("SELECT current_database()");
  q.step();
  return roleName(q->columnText(0) + "_console");
}

SeatCredentials SeatStore::createLoginRole(const std::string &id)
{
  if (!mDb.isPostgres())
    throw StoreRefusal("bad_value", "a GeoPackage has no database roles: its console names its seat with --seat");
  WriteScope scope(mDb);
  const std::optional<Seat> seat = find(id);
  if (!seat)
    throw StoreRefusal("unknown_seat", "no seat '" + id + "'");
  if (!seat->loginRole.empty())
    throw StoreRefusal("bad_value", "seat '" + id + "' has its role already (" + seat->loginRole + ")");
  const std::string group = consoleGroupRole();
  SeatCredentials made;
  auto db = mDb.query("SELECT current_database()");
  db.step();
  made.role = roleName(db->columnText(0) + "_seat_" + id);
  if (made.role.size() > 63)
    throw StoreRefusal("bad_value", "the role name " + made.role + " is longer than PostgreSQL's 63 bytes: use a shorter seat id");
  {
    auto exists = mDb.query("SELECT count(*) FROM pg_roles WHERE rolname = ?");
    exists.bindAll(made.role);
    if (exists.step() && exists->columnInt(0) > 0)
      throw StoreRefusal("bad_value", "a database role " + made.role + " exists already");
  }
  made.password = newPassword();
  // Utility statements take no parameters: the names are roleName()'s, the password is
  // [A-Za-z0-9] only. The group is made once per database, with its grants given again at
  // every seat (idempotent), so tables a later revision adds are granted too.
  mDb.exec("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + group + "') THEN CREATE ROLE " +
           group + " NOLOGIN; END IF; END $$");
  const std::string grants = kConsoleGrants;
  for (std::size_t from = 0, end; (end = grants.find(';', from)) != std::string::npos; from = end + 1)
  {
    const std::string statement = grants.substr(from, end - from);
    if (statement.find_first_not_of(" \n") != std::string::npos)
      mDb.exec("DO $$ BEGIN EXECUTE format($f$" + statement + "$f$, current_schema(), '" + group + "'); END $$");
  }
  mDb.exec("DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), '" + group + "'); END $$");
  mDb.exec("CREATE ROLE " + made.role + " LOGIN PASSWORD '" + made.password + "' IN ROLE " + group);
  mDb.query("UPDATE seats SET login_role = ? WHERE id = ?").bindAll(made.role, id).run();
  scope.commit();
  return made;
}

} // namespace gd::store
