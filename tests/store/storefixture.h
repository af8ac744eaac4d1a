#pragma once
// A fresh store in a temp dir with the project's default configuration, a workflow and an
// SLA clock: what most store tests need.

#include "core/buildinfo.h"
#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "store/cases/caseeventjson.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "storebackend.h"
#include "tempdir.h"

#include <gtest/gtest.h>

namespace gd::store::test {

inline const char *kDistrict = "620902";
inline const char *kMicroA = "620902001001001001";
inline const char *kMicroB = "620902001001001002";
inline const char *kMicroC = "620902002001001001";

class StoreFixture : public ::testing::Test
{
  protected:
    void SetUp() override
    {
      config = ConfigDirectory::load(std::filesystem::path(GD_SOURCE_DIR) / "resources" / "config");
      workflow = std::make_unique<core::Workflow>(&config->departments);
      clock = std::make_unique<core::SlaClock>(config->catalog, config->calendar);
      // A GeoPackage file, or a database on the test cluster when the run is on PostgreSQL.
      store = std::make_unique<gd::store::test::TestStore>(dir.file("store.gpkg"));
      db = Schema::openOrCreate(store->location());
      cases = std::make_unique<CaseStore>(*db, *workflow, clock.get());
    }

    static core::CaseCommand command(core::CaseAction action, core::TimePoint at, nlohmann::json data = nlohmann::json::object(),
                                     std::string note = std::string())
    {
      core::CaseCommand c;
      c.action = action;
      c.actor = "operator-1";
      c.at = at;
      c.note = std::move(note);
      c.details = caseDetailsFromJson(data); // details written as the store keeps them

      return c;
    }

    static core::CaseCommand reportCommand(core::TimePoint at, const std::string &category = "0301",
                                           const std::string &grid = kMicroA, const std::string &title = "楼道堆放杂物")
    {
      return command(core::CaseAction::Report, at,
                     {{"category", category}, {"lon", 98.51}, {"lat", 39.74}, {"grid", grid}, {"title", title},
                      {"source", "patrol"}, {"address", "肃州区 东关街 12号"},
                      {"reporter", {{"name", "张三"}, {"phone", "13800000000"}}}});
    }

    //! Reports and walks a case to \a target along the main path (register, accept, assign to lead, ...).
    std::string caseIn(core::CaseState target, core::TimePoint at, const std::string &lead = "fire",
                       const std::string &grid = kMicroA, const std::string &category = "0301")
    {
      using A = core::CaseAction;
      using S = core::CaseState;
      const std::string number = cases->report(reportCommand(at, category, grid));
      const std::vector<std::pair<A, S>> path = {{A::Register, S::Registered}, {A::Accept, S::Accepted},
                                                 {A::Assign, S::Assigned},     {A::StartHandling, S::InHandling},
                                                 {A::Feedback, S::Handled},    {A::Close, S::Closed},
                                                 {A::Visit, S::Visited},       {A::Archive, S::Archived}};
      if (target == S::Reported)
        return number;
      for (const auto &[action, state] : path)
      {
        nlohmann::json data = nlohmann::json::object();
        if (action == A::Assign)
          data = {{"lead", lead}, {"worker", "worker-7"}};
        if (action == A::Visit)
          data = {{"satisfaction", "satisfied"}};
        cases->apply(number, command(action, at, data));
        if (state == target)
          break;
      }
      return number;
    }

    TempDir dir;
    std::unique_ptr<gd::store::test::TestStore> store; // outlives db: dropped after its connection closed
    std::unique_ptr<ConfigDirectory> config;
    std::unique_ptr<core::Workflow> workflow;
    std::unique_ptr<core::SlaClock> clock;
    std::unique_ptr<Database> db;
    std::unique_ptr<CaseStore> cases;
};

} // namespace gd::store::test
