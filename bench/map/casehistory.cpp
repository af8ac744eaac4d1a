#include "casehistory.h"

#include "casetemplate.h"

#include "core/casenumber.h"
#include "core/caseworkflow.h"
#include "core/gridindex.h"
#include "core/slaclock.h"
#include "core/timeutil.h"
#include "store/grids/caseimport.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/grids/gridstore.h"
#include "store/schema.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>

namespace gd::bench {

CaseHistoryReport writeCaseHistory(const store::StoreLocation &location, const core::DemoDistrict &district, std::size_t count,
                                   int openPercent, unsigned seed)
{
  const auto started = std::chrono::steady_clock::now();
  if (!location.isPostgres())
    std::filesystem::remove(location.path());
  auto db = store::Schema::openOrCreate(location);
  store::writeDemoDistrict(*db, district);

  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  const core::Workflow workflow(&config->departments);
  const core::SlaClock clock(config->catalog, config->calendar);
  store::CaseStore cases(*db, workflow, &clock);

  std::vector<CaseTemplate> templates;
  for (int steps = 1; steps <= 9; ++steps)
    templates.push_back(mainPathTemplate(workflow, steps));

  const core::GridIndex microGrids(district.tree, core::GridLevel::MicroGrid);
  const core::GridNode &root = *district.tree.nodesAt(core::GridLevel::District).front();
  double minLon = 1e9, maxLon = -1e9, minLat = 1e9, maxLat = -1e9;
  for (const core::GeoPoint &p : root.area.front().outer)
  {
    minLon = std::min(minLon, p.lon);
    maxLon = std::max(maxLon, p.lon);
    minLat = std::min(minLat, p.lat);
    maxLat = std::max(maxLat, p.lat);
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> lon(minLon, maxLon), lat(minLat, maxLat);
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::map<std::string, int> perDay;
  const auto &categories = config->catalog.categories();

  CaseHistoryReport report;
  std::size_t made = 0;
  core::Case current("620902-20260105-000001");
  auto next = [&]() -> const core::Case * {
    if (made == count)
      return nullptr;
    const bool open = static_cast<int>(rng() % 100) < openPercent;
    int steps;
    core::TimePoint reported;
    if (open)
    {
      steps = 1 + static_cast<int>(rng() % 5); // reported … in handling
      reported = now - std::chrono::minutes(rng() % (60 * 24 * 30));
    }
    else
    {
      const auto r = rng() % 100;
      steps = r < 82 ? 9 : r < 92 ? 8 : 7; // archived, visited, closed
      reported = now - std::chrono::hours(24 * 365) +
                 std::chrono::seconds(static_cast<long long>((24.0 * 3600 * 330) * static_cast<double>(made) / static_cast<double>(count)));
    }
    core::GeoPoint at{};
    const core::GridNode *micro = nullptr;
    while (!micro)
    {
      at = {lon(rng), lat(rng)};
      micro = microGrids.lookup(at);
    }
    const CaseTemplate &tpl = templates[static_cast<std::size_t>(steps - 1)];
    const core::Category &category = categories[rng() % categories.size()];
    const std::string day = core::formatDate(core::beijingDate(reported));
    const std::string number = core::CaseNumber::make("620902", reported, ++perDay[day]).toString();
    std::vector<core::CaseEvent> events = tpl.events;
    for (core::CaseEvent &e : events)
    {
      e.caseNumber = number;
      e.at = reported + (e.at - tpl.base);
      if (e.action == core::CaseAction::Report)
      {
        e.details.category = category.code;
        e.details.grid = micro->code.str();
        e.details.lon = at.lon;
        e.details.lat = at.lat;
      }
      if (e.action == core::CaseAction::Assign)
        e.details.lead = category.leadDepartment;
    }
    current = core::Case::fromEvents(events);
    ++made;
    report.open += open ? 1 : 0;
    return &current;
  };
  store::CaseImportOptions options;
  options.expectedCases = count;
  options.exclusive = true;
  store::CaseImporter(*db, cases, options).run(next);
  report.cases = made;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

bool hasCaseHistory(const store::StoreLocation &location)
{
  if (!location.isPostgres() && !std::filesystem::exists(location.path()))
    return false;
  try
  {
    auto db = store::Schema::open(location);
    return store::GridStore(*db).count(core::GridLevel::District) > 0;
  }
  catch (const std::exception &)
  {
    return false; // an empty database: no store in it yet
  }
}

std::int64_t storeBytes(const store::StoreLocation &location)
{
  if (!location.isPostgres())
  {
    std::error_code error;
    const auto size = std::filesystem::file_size(location.path(), error);
    return error ? 0 : static_cast<std::int64_t>(size);
  }
  store::Database db(location, store::Database::Mode::ReadOnly);
  auto q = db.query("SELECT pg_database_size(current_database())");
  return q.step() ? q->columnInt(0) : 0;
}

} // namespace gd::bench
