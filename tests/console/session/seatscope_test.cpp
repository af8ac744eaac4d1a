// A console at a township seat (issue 17): its open-case queue and map, the district view's
// counts, a case's detail, search and the change feed the watcher reads show only its
// township's cases, and a step on a case outside it is refused with the township's name; a
// department handler needs a department's seat. On both backends; on PostgreSQL also the
// whole console path through the seat's own database role (readSeat, StoreLoader's read, the
// case service, the watcher).
#include "../uitestsupport.h"
#include "console/dispatch/caseservice.h"
#include "console/login/logincontroller.h"
#include "console/session/storeaccess.h"
#include "console/session/storewatcher.h"
#include "maptestdistrict.h"
#include "core/caseworkflow.h"
#include "store/accounts/seatstore.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <gtest/gtest.h>

#include <QCoreApplication>

#include <set>

using gd::console::ActionRequest;
using gd::console::CaseService;
using gd::console::StoreChanges;
using gd::console::StoreWatcher;
using gd::consoletest::waitFor;

namespace {

class SeatScopeTest : public testing::Test
{
  protected:
    void SetUp() override
    {
      mStore = gd::maptest::makeStore();
      mConfig = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
      mWorkflow = std::make_unique<gd::core::Workflow>(&mConfig->departments);
      mDb = gd::store::Schema::open(gd::store::StoreLocation::parse(mStore->path.toStdString()));
      mCases = std::make_unique<gd::store::CaseStore>(*mDb, *mWorkflow);
      const auto townships = mStore->district.tree.nodesAt(gd::core::GridLevel::Township);
      ASSERT_GE(townships.size(), 2u);
      mTownship = townships[0];
      for (const gd::core::GridNode *micro : mStore->district.tree.nodesAt(gd::core::GridLevel::MicroGrid))
        (mTownship->code.contains(micro->code) ? mInside : mOutside).push_back(micro);
      ASSERT_FALSE(mInside.empty());
      ASSERT_FALSE(mOutside.empty());
      mScope = {mTownship->code.str(), ""};
    }

    //! Starts \a watcher: a case reported outside the scope never arrives, one inside does.
    void expectTheWatcherSeesOnlyTheScope(StoreWatcher &watcher)
    {
      QObject context; // the connection ends with this function
      std::set<QString> seen;
      QObject::connect(&watcher, &StoreWatcher::changed, &context, [&](const StoreChanges &changes) {
        for (const auto &pin : changes.cases)
          seen.insert(pin.number);
      });
      watcher.start();
      ASSERT_TRUE(waitFor([&] { return watcher.polls() > 0; }));
      const QString later = QString::fromStdString(report(*mOutside.back()));
      const QString mine = QString::fromStdString(report(*mInside.back()));
      ASSERT_TRUE(waitFor([&] { return seen.count(mine) > 0; })) << watcher.lastError().toStdString();
      EXPECT_EQ(seen.count(later), 0u);
    }

    std::string report(const gd::core::GridNode &grid)
    {
      const gd::core::GeoPoint at = grid.area.front().outer.front();
      gd::core::CaseCommand command;
      command.action = gd::core::CaseAction::Report;
      command.actor = "test";
      command.at = gd::store::nowUtc();
      command.details = {.category = "0301", .lon = at.lon, .lat = at.lat, .grid = grid.code.str(), .title = "楼道堆放杂物"};
      return mCases->report(command, "620902");
    }

    //! The numbers of every open case the console's first read of \a path gives.
    std::set<QString> openCases(const QString &path, const gd::store::CaseScope &scope)
    {
      std::set<QString> numbers;
      gd::console::readOpenCases(path, 100, [&](const gd::console::OpenCaseChunk &chunk) {
        for (const auto &row : chunk.rows)
          numbers.insert(row.number);
      }, {}, scope);
      return numbers;
    }

    std::unique_ptr<gd::maptest::StoreFixture> mStore;
    std::unique_ptr<gd::store::ConfigDirectory> mConfig;
    std::unique_ptr<gd::core::Workflow> mWorkflow;
    std::unique_ptr<gd::store::Database> mDb;
    std::unique_ptr<gd::store::CaseStore> mCases;
    const gd::core::GridNode *mTownship = nullptr;
    std::vector<const gd::core::GridNode *> mInside, mOutside;
    gd::store::CaseScope mScope;
};

} // namespace

TEST_F(SeatScopeTest, ATownshipSeatsConsoleShowsAndActsOnlyInItsTownship)
{
  const QString inside = QString::fromStdString(report(*mInside.front()));
  const QString outside = QString::fromStdString(report(*mOutside.front()));

  // The queue and the map (the first read), and the district view's counts.
  EXPECT_EQ(openCases(mStore->path, mScope), std::set<QString>{inside});
  EXPECT_EQ(openCases(mStore->path, {}).size(), 2u);
  const auto overview = gd::console::readStoreOverview(mStore->path, mScope);
  ASSERT_EQ(overview.counts.size(), 1u);
  EXPECT_TRUE(overview.counts[0].grid.startsWith(QString::fromStdString(mTownship->code.str())));

  // Detail, search, steps: through the case service the seat's console uses.
  CaseService service(mStore->path, QStringLiteral("值班员张三"));
  service.setScope(mScope);
  EXPECT_TRUE(service.detail(inside));
  EXPECT_FALSE(service.detail(outside));
  const auto refused = service.perform(outside, ActionRequest{QStringLiteral("register"), {}, {}});
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.message, QStringLiteral("the case is outside this seat's scope (%1)")
                               .arg(QString::fromStdString(mTownship->name)));
  EXPECT_FALSE(service.dispatch(outside, QStringLiteral("fire"), {}, {}).ok);
  // An urge goes through the supervision store: refused all the same once the case may be urged.
  for (const auto action : {gd::core::CaseAction::Register, gd::core::CaseAction::Accept, gd::core::CaseAction::Assign})
  {
    gd::core::CaseCommand step;
    step.action = action;
    step.actor = "test";
    step.at = gd::store::nowUtc();
    if (action == gd::core::CaseAction::Assign)
      step.details.lead = "fire";
    mCases->apply(outside.toStdString(), step);
  }
  const auto urged = service.perform(outside, ActionRequest{QStringLiteral("urge"), QStringLiteral("快"), {}});
  EXPECT_FALSE(urged.ok);
  EXPECT_EQ(urged.message, refused.message);
  EXPECT_EQ(mCases->events(outside.toStdString()).size(), 4u); // nothing of the seat's reached the store
  EXPECT_TRUE(service.perform(inside, ActionRequest{QStringLiteral("register"), {}, {}}).ok);

  // The watcher: a change outside the township never arrives, one inside does.
  StoreWatcher watcher(mStore->path, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
  watcher.setScope(mScope);
  expectTheWatcherSeesOnlyTheScope(watcher);
}

TEST_F(SeatScopeTest, AConsoleFindsItsSeat)
{
  mDb->exec("SELECT 1"); // the store is open
  gd::store::SeatStore seats(*mDb);
  seats.add({"ne", "东北席", mTownship->code.str(), "", "", {}, false});
  seats.add({"off", "停用席", "", "", "", {}, false});
  seats.disable("off");
  EXPECT_FALSE(gd::console::readSeat(mStore->path, {})); // no --seat, no seat role: the whole district
  const auto seat = gd::console::readSeat(mStore->path, QStringLiteral("ne"));
  ASSERT_TRUE(seat);
  EXPECT_EQ(seat->grid, QString::fromStdString(mTownship->code.str()));
  EXPECT_FALSE(seat->fromRole);
  EXPECT_THROW(gd::console::readSeat(mStore->path, QStringLiteral("nobody")), std::runtime_error);
  EXPECT_THROW(gd::console::readSeat(mStore->path, QStringLiteral("off")), std::runtime_error);
}

TEST_F(SeatScopeTest, ADepartmentHandlerNeedsADepartmentsSeat)
{
  using gd::core::Role;
  EXPECT_FALSE(gd::console::LoginController::seatRefusal({Role::DepartmentHandler}, {}).isEmpty());
  EXPECT_TRUE(gd::console::LoginController::seatRefusal({Role::DepartmentHandler}, QStringLiteral("fire")).isEmpty());
  EXPECT_TRUE(gd::console::LoginController::seatRefusal({Role::Dispatcher}, {}).isEmpty());
}

TEST_F(SeatScopeTest, TheConsoleWorksThroughTheSeatsDatabaseRole)
{
  if (!mDb->isPostgres())
    GTEST_SKIP() << "a GeoPackage has no database roles: --seat is the program's limit only (docs/security.md)";
  const QString inside = QString::fromStdString(report(*mInside.front()));
  const QString outside = QString::fromStdString(report(*mOutside.front()));
  gd::store::SeatStore seats(*mDb);
  seats.add({"ne", "东北席", mTownship->code.str(), "", "", {}, false});
  const auto login = seats.createLoginRole("ne");
  // What a seat's console is given: the database and its own login (over TCP, as from another machine).
  const QString path = mStore->path + QStringLiteral(" host=127.0.0.1 user=%1 password=%2")
                                        .arg(QString::fromStdString(login.role), QString::fromStdString(login.password));

  const auto seat = gd::console::readSeat(path, {});
  ASSERT_TRUE(seat);
  EXPECT_TRUE(seat->fromRole);
  EXPECT_EQ(seat->grid, QString::fromStdString(mTownship->code.str()));
  EXPECT_THROW(gd::console::readSeat(path, QStringLiteral("other")), std::runtime_error);
  // Even a read the program does not scope stays in the township: the database holds it.
  EXPECT_EQ(openCases(path, {}), std::set<QString>{inside});
  EXPECT_EQ(gd::console::readStoreOverview(path, {}).counts.size(), 1u);

  CaseService service(path, QStringLiteral("值班员张三"));
  service.setScope({seat->grid.toStdString(), ""});
  EXPECT_TRUE(service.perform(inside, ActionRequest{QStringLiteral("register"), {}, {}}).ok);
  EXPECT_TRUE(service.perform(inside, ActionRequest{QStringLiteral("accept"), {}, {}}).ok);
  const auto dispatched = service.dispatch(inside, QStringLiteral("fire"), {}, {});
  EXPECT_TRUE(dispatched.ok) << dispatched.message.toStdString();
  EXPECT_FALSE(service.detail(outside));
  EXPECT_FALSE(service.perform(outside, ActionRequest{QStringLiteral("register"), {}, {}}).ok);
  EXPECT_EQ(mCases->events(outside.toStdString()).size(), 1u);

  StoreWatcher watcher(path, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
  expectTheWatcherSeesOnlyTheScope(watcher);
}
