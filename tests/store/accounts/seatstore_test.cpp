// Seats (issue 17): `seat add` on both backends, and on PostgreSQL the seat's own database role,
// held to its scope by row-level security whatever SQL it sends: through a raw libpq connection
// with the credentials a console holds it reads, changes and adds nothing outside its township,
// deletes and rewrites no event or audit row, and the store's own code (cases, the change feed,
// the open cases, the audit trail) works through it.
#include "store/accounts/seatstore.h"

#include "store/audit/auditlog.h"
#include "store/cases/changefeed.h"
#include "store/cases/opencases.h"
#include "store/storeerror.h"
#include "../storefixture.h"

#include <libpq-fe.h>

#include <gtest/gtest.h>

#include <sstream>

using namespace gd;
using namespace gd::store;

namespace {

const core::TimePoint kNow = core::beijingTime(2026, 11, 23, 9, 0);

class SeatStoreTest : public test::StoreFixture
{
  protected:
    void SetUp() override
    {
      test::StoreFixture::SetUp();
      // Two townships of the district: seats name one, and `seat add` checks it exists.
      db->exec("INSERT INTO grid_township (code, name) VALUES ('620902001', '东北街道'), ('620902002', '东南街道')");
    }

    //! The seat's login over TCP with its password, as a console on another machine makes it.
    std::string seatConninfo(const SeatCredentials &login, const std::string &password = {})
    {
      std::istringstream words(store->location().conninfo());
      std::string word, out;
      while (words >> word)
      {
        const std::string key = word.substr(0, word.find('='));
        if (key == "host" || key == "user" || key == "password" || key == "sslmode")
          continue;
        out += word + " ";
      }
      return out + "host=127.0.0.1 user=" + login.role +
             " password=" + (password.empty() ? login.password : password);
    }

    std::string reason(const std::function<void()> &step)
    {
      try
      {
        step();
      }
      catch (const StoreRefusal &e)
      {
        return e.reason();
      }
      return "done";
    }
};

//! A raw libpq connection: what psql does with the same credentials.
class Raw
{
  public:
    explicit Raw(const std::string &conninfo)
      : mConnection(PQconnectdb(conninfo.c_str()))
    {}
    ~Raw() { PQfinish(mConnection); }
    bool connected() const { return PQstatus(mConnection) == CONNECTION_OK; }
    std::string error() const { return PQerrorMessage(mConnection); }

    //! "ok <rows affected or first value>" or "error <SQLSTATE>".
    std::string run(const std::string &sql)
    {
      PGresult *r = PQexec(mConnection, sql.c_str());
      std::string out;
      const ExecStatusType status = PQresultStatus(r);
      if (status == PGRES_TUPLES_OK)
        out = "ok " + std::string(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
      else if (status == PGRES_COMMAND_OK)
        out = "ok " + std::string(PQcmdTuples(r));
      else
        out = "error " + std::string(PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "?");
      PQclear(r);
      return out;
    }

  private:
    PGconn *mConnection;
};

} // namespace

TEST_F(SeatStoreTest, AddsListsAndDisablesSeats)
{
  SeatStore seats(*db);
  seats.add({"ne", "东北街道指挥席", "620902001", "", "", {}, false});
  seats.add({"fire", "消防救援席", "", "fire", "", {}, false});
  const auto list = seats.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "fire");
  EXPECT_EQ(list[0].scope().department, "fire");
  EXPECT_EQ(list[1].gridScope, "620902001");
  EXPECT_EQ(list[1].displayName, "东北街道指挥席");
  EXPECT_NE(list[1].createdAt, core::TimePoint{});
  seats.disable("ne");
  EXPECT_TRUE(seats.find("ne")->disabled);
  EXPECT_FALSE(seats.sessionSeat()); // the store's owner sits at no seat
  EXPECT_EQ(reason([&] { seats.disable("nobody"); }), "unknown_seat");
}

TEST_F(SeatStoreTest, RefusesABadSeat)
{
  SeatStore seats(*db);
  EXPECT_EQ(reason([&] { seats.add({"x", "X", "620902009", "", "", {}, false}); }), "bad_value"); // no such grid
  EXPECT_EQ(reason([&] { seats.add({"x", "X", "62090200", "", "", {}, false}); }), "bad_value");  // no grid code
  EXPECT_EQ(reason([&] { seats.add({"a b", "X", "", "", "", {}, false}); }), "bad_value");
  EXPECT_EQ(reason([&] { seats.add({"x", "X", "", "fire';--", "", {}, false}); }), "bad_value");
  EXPECT_EQ(reason([&] { seats.add({"x", "", "", "", "", {}, false}); }), "bad_value");
  seats.add({"x", "X", "", "", "", {}, false});
  EXPECT_EQ(reason([&] { seats.add({"x", "X", "", "", "", {}, false}); }), "duplicate");
  if (!db->isPostgres())
  {
    EXPECT_EQ(reason([&] { seats.createLoginRole("x"); }), "bad_value"); // a file has no roles
  }
}

TEST_F(SeatStoreTest, ASeatsDatabaseRoleSeesAndChangesNothingOutsideItsScope)
{
  if (!db->isPostgres())
    GTEST_SKIP() << "a GeoPackage has no database roles: whoever has the file has all of it (docs/security.md)";
  const std::string inside = caseIn(core::CaseState::Assigned, kNow, "fire", test::kMicroA);
  const std::string outside = caseIn(core::CaseState::Assigned, kNow, "fire", test::kMicroC);
  audit::AuditLog(*db).record({{"admin", "管理员", "host"}, "login_ok", "admin", "", audit::Outcome::Ok, "", kNow});
  SeatStore seats(*db);
  seats.add({"ne", "东北街道指挥席", "620902001", "", "", {}, false});
  const SeatCredentials login = seats.createLoginRole("ne");
  EXPECT_NE(login.role.find("_seat_ne"), std::string::npos);
  EXPECT_EQ(seats.find("ne")->loginRole, login.role);

  Raw psql(seatConninfo(login));
  ASSERT_TRUE(psql.connected()) << psql.error();
  const std::string outsideId = std::to_string(db->scalarInt("SELECT id FROM cases WHERE number = '" + outside + "'"));
  const std::string insideId = std::to_string(db->scalarInt("SELECT id FROM cases WHERE number = '" + inside + "'"));
  // Reading: only its township's case, its events and its history.
  EXPECT_EQ(psql.run("SELECT count(*) FROM cases"), "ok 1");
  EXPECT_EQ(psql.run("SELECT number FROM cases"), "ok " + inside);
  EXPECT_EQ(psql.run("SELECT count(*) FROM cases WHERE number = '" + outside + "'"), "ok 0");
  EXPECT_EQ(psql.run("SELECT count(*) FROM case_events WHERE case_id = " + outsideId), "ok 0");
  EXPECT_EQ(psql.run("SELECT count(*) FROM case_events WHERE case_id = " + insideId), "ok 4");
  EXPECT_EQ(psql.run("SELECT count(*) FROM case_event_log"), "ok 4");
  // Changing: an UPDATE outside touches nothing, an INSERT outside is refused by the policy.
  EXPECT_EQ(psql.run("UPDATE cases SET title = 'x' WHERE number = '" + outside + "'"), "ok 0");
  EXPECT_EQ(psql.run("UPDATE cases SET grid_code = '620902002001001001' WHERE number = '" + inside + "'"), "error 42501");
  EXPECT_EQ(psql.run("INSERT INTO cases (number, category, state, priority, source, lon, lat, grid_code, reported_at, "
                     "last_seq, updated_at) VALUES ('X-1', '0301', 'reported', 'normal', 'patrol', 98.5, 39.7, "
                     "'620902002001001001', '2026-11-23T01:00:00Z', 1, '2026-11-23T01:00:00Z')"),
            "error 42501");
  EXPECT_EQ(psql.run("INSERT INTO case_events (case_id, seq, action, actor, at, to_state) VALUES (" + outsideId +
                     ", 9, 'note', 'x', '2026-11-23T01:00:00Z', 'assigned')"),
            "error 42501");
  EXPECT_EQ(psql.run("INSERT INTO supervisions (case_id, kind, actor, at, event_seq) VALUES (" + outsideId +
                     ", 'urge', 'x', '2026-11-23T01:00:00Z', 9)"),
            "error 42501");
  // No delete or rewrite of the events, the histories or the audit trail, even inside its scope.
  EXPECT_EQ(psql.run("DELETE FROM case_events WHERE case_id = " + insideId), "error 42501");
  EXPECT_EQ(psql.run("UPDATE case_events SET note = 'x' WHERE case_id = " + insideId), "error 42501");
  EXPECT_EQ(psql.run("TRUNCATE case_events"), "error 42501");
  EXPECT_EQ(psql.run("DELETE FROM audit_log"), "error 42501");
  EXPECT_EQ(psql.run("UPDATE audit_log SET detail = 'x'"), "error 42501");
  EXPECT_EQ(psql.run("DELETE FROM cases WHERE number = '" + inside + "'"), "error 42501");
  // Nor a wider scope of its own, nor DDL, nor a way round the policies.
  EXPECT_EQ(psql.run("UPDATE seats SET grid_scope = ''"), "error 42501");
  EXPECT_EQ(psql.run("ALTER TABLE cases DISABLE ROW LEVEL SECURITY"), "error 42501");
  EXPECT_EQ(psql.run("DROP POLICY seat_read ON cases"), "error 42501");
  EXPECT_EQ(psql.run("CREATE TABLE mine (x int)"), "error 42501");
  EXPECT_EQ(psql.run("SET ROLE " + seats.consoleGroupRole()), "ok "); // the group is no wider
  EXPECT_EQ(psql.run("SELECT count(*) FROM cases"), "ok 1");
  EXPECT_EQ(psql.run("RESET ROLE"), "ok ");
  // What the owner sees is unchanged.
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM case_events"), 8);
  EXPECT_EQ(db->scalarInt("SELECT count(*) FROM audit_log"), 1);
  EXPECT_EQ(cases->find(outside)->title, "楼道堆放杂物");

  // A disabled seat's role logs in no more.
  seats.disable("ne");
  EXPECT_FALSE(Raw(seatConninfo(login)).connected());
}

TEST_F(SeatStoreTest, TheStoreWorksThroughASeatsRole)
{
  if (!db->isPostgres())
    GTEST_SKIP() << "a GeoPackage has no database roles";
  const std::string inside = caseIn(core::CaseState::Registered, kNow, "fire", test::kMicroA);
  const std::string outside = caseIn(core::CaseState::Registered, kNow, "fire", test::kMicroC);
  SeatStore seats(*db);
  seats.add({"ne", "东北街道指挥席", "620902001", "", "", {}, false});
  const SeatCredentials login = seats.createLoginRole("ne");

  auto seatDb = Schema::open(StoreLocation::parse(seatConninfo(login)));
  const auto seat = SeatStore(*seatDb).sessionSeat();
  ASSERT_TRUE(seat);
  EXPECT_EQ(seat->id, "ne");
  CaseStore seatCases(*seatDb, *workflow, clock.get());
  seatCases.setScope(seat->scope());
  ChangeFeed feed(*seatDb, seat->scope());
  std::int64_t cursor = feed.newestEventId();
  // A report (one statement on PostgreSQL: counter, row and first event), steps, the audit trail.
  const std::string reported = seatCases.report(reportCommand(kNow, "0301", test::kMicroB));
  seatCases.apply(inside, command(core::CaseAction::Accept, kNow));
  seatCases.apply(inside, command(core::CaseAction::Assign, kNow, {{"lead", "fire"}, {"worker", "worker-7"}}));
  audit::AuditLog(*seatDb).record({{"op", "值班员", "host"}, "case_accept", inside, "", audit::Outcome::Ok, "", kNow});
  EXPECT_EQ(feed.casesChangedSince(cursor), (std::vector<std::string>{inside, reported}));
  const OpenCaseSnapshot open = OpenCaseReader(*seatDb, seat->scope()).read(kNow);
  EXPECT_EQ(open.alerts.size() + open.others.size(), 2u);
  // Outside: the role does not even learn the case exists.
  EXPECT_EQ(reason([&] { seatCases.apply(outside, command(core::CaseAction::Accept, kNow)); }), "unknown_case");
  EXPECT_EQ(reason([&] { seatCases.report(reportCommand(kNow, "0301", test::kMicroC)); }), "out_of_scope");
  // Without the program's scope the database still holds it.
  CaseStore unscoped(*seatDb, *workflow, clock.get());
  EXPECT_EQ(unscoped.count({}), 2);
  EXPECT_THROW(unscoped.report(reportCommand(kNow, "0301", test::kMicroC)), StoreError);
  EXPECT_EQ(cases->count({}), 3);
  EXPECT_TRUE(audit::AuditLog(*db).verify().ok());
}

TEST_F(SeatStoreTest, ADepartmentSeatsRoleSeesItsDepartmentsCasesAndCanHandThemBack)
{
  if (!db->isPostgres())
    GTEST_SKIP() << "a GeoPackage has no database roles";
  const std::string led = caseIn(core::CaseState::Assigned, kNow, "fire", test::kMicroA);
  const std::string others = caseIn(core::CaseState::Assigned, kNow, "police", test::kMicroC);
  SeatStore seats(*db);
  seats.add({"fire", "消防救援席", "", "fire", "", {}, false});
  const SeatCredentials login = seats.createLoginRole("fire");
  Raw psql(seatConninfo(login));
  ASSERT_TRUE(psql.connected()) << psql.error();
  EXPECT_EQ(psql.run("SELECT number FROM cases"), "ok " + led);
  EXPECT_EQ(psql.run("UPDATE cases SET title = 'x' WHERE number = '" + others + "'"), "ok 0");

  auto seatDb = Schema::open(StoreLocation::parse(seatConninfo(login)));
  CaseStore seatCases(*seatDb, *workflow, clock.get());
  seatCases.setScope(SeatStore(*seatDb).sessionSeat()->scope());
  seatCases.apply(led, command(core::CaseAction::StartHandling, kNow));
  // A return takes the case off the department: written through the role; the department still
  // reads the case it handed back (its own work), and may change it no more.
  seatCases.apply(led, command(core::CaseAction::Return, kNow, nlohmann::json::object(), "不属于本部门职责"));
  EXPECT_EQ(cases->find(led)->state, core::CaseState::Accepted);
  EXPECT_EQ(cases->find(led)->leadDepartment, "");
  EXPECT_EQ(psql.run("SELECT count(*) FROM cases"), "ok 1");
  EXPECT_EQ(psql.run("SELECT count(*) FROM cases WHERE number = '" + others + "'"), "ok 0");
  EXPECT_FALSE(seatCases.find(led)); // the program's scope: the queue holds what it leads or assists in
  EXPECT_EQ(psql.run("UPDATE cases SET title = 'x' WHERE number = '" + led + "'"), "ok 0");
}
