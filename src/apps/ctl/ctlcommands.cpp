#include "apps/ctl/ctlcommands.h"
#include "apps/ctl/auditcommands.h"
#include "apps/ctl/backupcommands.h"
#include "core/csvtext.h"
#include "apps/ctl/ctloptions.h"
#include "apps/ctl/importcommands.h"
#include "apps/ctl/supervisecommands.h"
#include <cstdio>
#include "store/grids/gridstore.h"
#include "store/grids/layerstyles.h"
#include "store/grids/demostore.h"
#include "core/demodistrict.h"

#include "core/configerror.h"
#include "core/kpi.h"
#include "core/slaclock.h"
#include "core/workcalendar.h"
#include "store/audit/auditlog.h"
#include "store/cases/caseeventjson.h"
#include "store/cases/casestore.h"
#include "store/cases/departmentnotices.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "apps/ctl/accountcommands.h"
#include "store/grids/gridimport.h"
#include "store/grids/gridstore.h"
#include "store/schema.h"
#include "store/storecopy.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <streambuf>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace gd::apps::ctl {

namespace {

using nlohmann::json;

std::string scheduleMark(const store::CaseRecord &r, const core::WorkCalendar &calendar);

std::unique_ptr<store::Database> openForReading(const CommandLine &cli)
{
  const store::StoreLocation location = dbLocation(cli);
  const std::string name = location.display();
  if (!location.isPostgres() && !std::filesystem::exists(location.path()))
    throw store::StoreError(0, "store " + name + " does not exist (create it with 'griddispatch-ctl init')");
  auto db = std::make_unique<store::Database>(location, store::Database::Mode::ReadOnly);
  if (!location.isPostgres() && std::filesystem::file_size(location.path()) == 0)
    throw store::StoreError(0, "store " + name + " is empty (0 bytes): it is not a GridDispatch store");
  const int revision = store::Schema::revision(*db);
  if (revision == 0)
    throw store::StoreError(0, location.isPostgres()
                                 ? "the database " + name + " holds no GridDispatch store (create it with 'griddispatch-ctl init')"
                                 : "store " + name + " is an empty SQLite database, not a GridDispatch store");
  if (revision < store::Schema::kRevision)
    throw store::StoreError(0, name + " has schema revision " + std::to_string(revision) +
                                 "; run 'griddispatch-ctl init --db " + name + "' to migrate it");
  if (revision > store::Schema::kRevision)
    throw store::StoreError(0, name + " was written by a newer GridDispatch (schema revision " +
                                 std::to_string(revision) + ")");
  store::Schema::checkIntegrity(*db);
  return db;
}

std::unique_ptr<store::ConfigDirectory> loadConfig(const CommandLine &cli)
{
  const std::filesystem::path dir = cli.value("config").value_or(store::ConfigDirectory::defaultPath().string());
  return store::ConfigDirectory::load(dir);
}

int intOption(const CommandLine &cli, const std::string &name, int fallback)
{
  const auto text = cli.value(name);
  if (!text)
    return fallback;
  try
  {
    std::size_t used = 0;
    const int value = std::stoi(*text, &used);
    if (used == text->size() && value >= 0)
      return value;
  }
  catch (const std::exception &)
  {
  }
  throw UsageError("--" + name + " '" + *text + "' is not a non-negative whole number");
}

std::string beijing(const std::optional<core::TimePoint> &t)
{
  return t ? core::formatRfc3339(*t, 480) : std::string();
}

store::CaseFilter filterFrom(const CommandLine &cli)
{
  store::CaseFilter f;
  if (const auto states = cli.value("state"))
  {
    std::istringstream in(*states);
    std::string name;
    while (std::getline(in, name, ','))
    {
      const auto state = core::parseCaseState(name);
      if (!state)
        throw UsageError("--state: unknown state '" + name +
                         "' (reported, registered, accepted, assigned, in_handling, handled, closed, visited, "
                         "archived, parked, voided, merged)");
      f.states.push_back(*state);
    }
  }
  f.openOnly = cli.has("open");
  f.category = cli.value("category", "");
  f.gridPrefix = cli.value("grid", "");
  if (!f.gridPrefix.empty())
  {
    std::string why;
    if (!core::GridCode::parse(f.gridPrefix, &why))
      throw UsageError("--grid: " + why);
  }
  f.department = cli.value("dept", "");
  f.source = cli.value("source", "");
  if (const auto p = cli.value("priority"))
  {
    f.priority = core::parsePriority(*p);
    if (!f.priority)
      throw UsageError("--priority '" + *p + "' must be normal, urgent or emergency");
  }
  if (cli.has("overdue"))
    f.overdueAt = timeOption(cli, "now", store::nowUtc());
  if (cli.has("from"))
    f.reportedFrom = timeOption(cli, "from", {});
  if (cli.has("to"))
    f.reportedTo = timeOption(cli, "to", {});
  f.text = cli.value("text", "");
  f.limit = intOption(cli, "limit", 1000);
  return f;
}

json recordJson(const store::CaseRecord &r, core::TimePoint now)
{
  return json{{"number", r.number},
              {"state", core::caseStateName(r.state)},
              {"category", r.category},
              {"priority", core::priorityName(r.priority)},
              {"source", r.source},
              {"title", r.title},
              {"address", r.address},
              {"lon", r.point.lon},
              {"lat", r.point.lat},
              {"grid", r.gridCode},
              {"district", r.districtCode},
              {"township", r.townshipCode},
              {"community", r.communityCode},
              {"grid_level3", r.gridLevelCode},
              {"micro_grid", r.microGridCode},
              {"lead_department", r.leadDepartment},
              {"worker", r.workerId},
              {"reported_at", beijing(r.reportedAt)},
              {"stage", r.stage},
              {"deadline", beijing(r.deadline)},
              {"light", core::trafficLightName(r.light(now))},
              {"supervised", r.supervised},
              {"last_seq", r.lastSeq}};
}

// ---- commands -------------------------------------------------------------------------

int cmdInit(const CommandLine &cli, std::ostream &out)
{
  const store::StoreLocation location = dbLocation(cli);
  bool existed = false;
  if (location.isPostgres())
    existed = store::Schema::revision(*std::make_unique<store::Database>(location, store::Database::Mode::ReadOnly)) > 0;
  else
    existed = std::filesystem::exists(location.path());
  auto db = store::Schema::openOrCreate(location);
  // The console's look for QGIS desktop too (its default style of each layer).
  const int styles = store::installMapStyles(*db, store::defaultMapsDir());
  out << (existed ? "store " : "created store ") << location.display()
      << (location.isPostgres() ? " (PostgreSQL + PostGIS, schema revision " : " (GeoPackage 1.3, schema revision ")
      << store::Schema::kRevision << ", " << styles << " map styles)\n";
  return 0;
}

// copy --from STORE --to STORE: a whole store into a new one, across backends; then both digests.
int cmdCopy(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const auto fromText = cli.value("from");
  const auto toText = cli.value("to");
  if (!fromText || !toText)
    throw UsageError("copy needs --from STORE and --to STORE (a FILE.gpkg or a postgresql://… database)");
  store::StoreLocation from;
  store::StoreLocation to;
  try
  {
    from = store::StoreLocation::parse(*fromText);
    to = store::StoreLocation::parse(*toText);
  }
  catch (const store::StoreError &e)
  {
    throw UsageError(e.what());
  }
  auto source = store::Schema::open(from);
  auto target = store::Schema::openOrCreate(to);
  const auto started = std::chrono::steady_clock::now();
  const auto copied = store::copyStore(*source, *target, [&](const std::string &table, std::int64_t rows) {
    if (!cli.has("json"))
      out << "  " << table << ": " << rows << " row(s)\n" << std::flush;
  });
  store::installMapStyles(*target, store::defaultMapsDir());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The proof: the same digest of every table read back from both ends.
  const auto sourceDigest = store::storeDigest(*source);
  const auto targetDigest = store::storeDigest(*target);
  std::vector<std::string> differences;
  for (std::size_t i = 0; i < sourceDigest.size(); ++i)
    if (sourceDigest[i].rows != targetDigest[i].rows || sourceDigest[i].sha256 != targetDigest[i].sha256)
      differences.push_back(sourceDigest[i].table + ": " + std::to_string(sourceDigest[i].rows) + " row(s) there, " +
                            std::to_string(targetDigest[i].rows) + " here, digests " +
                            (sourceDigest[i].sha256 == targetDigest[i].sha256 ? "equal" : "differ"));
  std::int64_t rows = 0;
  for (const auto &t : copied)
    rows += t.rows;
  if (cli.has("json"))
    out << json{{"from", from.display()}, {"to", to.display()},      {"rows", rows},
                {"seconds", seconds},     {"equal", differences.empty()}, {"differences", differences}}
             .dump(2)
        << "\n";
  else if (differences.empty())
    out << "copied " << rows << " row(s) from " << from.display() << " to " << to.display() << " in "
        << static_cast<long long>(seconds * 1000) << " ms; every table's digest is equal on both\n";
  if (differences.empty())
    return 0;
  err << "griddispatch-ctl: copy: the copy differs from its source:\n";
  for (const auto &d : differences)
    err << "  " << d << "\n";
  return 1;
}

int cmdImportGrids(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  if (cli.positional().size() != 2)
    throw UsageError("import-grids needs exactly one FILE");
  store::GridImportOptions options;
  options.codeField = cli.value("code-field", "code");
  options.nameField = cli.value("name-field", "name");
  options.parentField = cli.value("parent-field", "");
  auto db = store::Schema::open(dbLocation(cli));
  const auto report = store::GridImporter(options).import(cli.positional()[1], *db);
  if (cli.has("json"))
  {
    out << json{{"file", report.source},
                {"crs", report.sourceCrs},
                {"features", report.features},
                {"districts", report.perLevel[0]},
                {"townships", report.perLevel[1]},
                {"communities", report.perLevel[2]},
                {"grids", report.perLevel[3]},
                {"micro_grids", report.perLevel[4]},
                {"imported", report.imported},
                {"workers_carried", report.workersCarried},
                {"leaders_carried", report.leadersCarried},
                {"problems", report.problems}}
               .dump(2)
        << "\n";
  }
  else
  {
    out << report.source << ": " << report.features << " features"
        << (report.sourceCrs.empty() ? "" : " in " + report.sourceCrs) << "\n";
    static const char *kLevels[] = {"districts", "townships", "communities", "grids", "micro-grids"};
    for (int i = 0; i < 5; ++i)
      out << "  " << kLevels[i] << ": " << report.perLevel[i] << "\n";
  }
  if (!report.ok())
  {
    err << "griddispatch-ctl: import-grids: " << report.problems.size()
        << " problem(s); nothing was imported:\n";
    for (const auto &p : report.problems)
      err << "  " << p << "\n";
    return 1;
  }
  if (!cli.has("json"))
    out << "imported into " << dbLocation(cli).display() << " (reprojected to EPSG:4490); kept " << report.workersCarried
        << " grid worker(s) and " << report.leadersCarried << " grid leader(s) of the grids whose code stays\n";
  return 0;
}

int cmdCategories(const CommandLine &cli, std::ostream &out)
{
  const auto config = loadConfig(cli);
  if (cli.has("json"))
  {
    json list = json::array();
    for (const auto &c : config->catalog.categories())
    {
      json limits = json::object();
      for (const auto &l : c.limits)
        limits[std::string(core::stageName(l.stage))] = std::to_string(l.amount) + std::string(core::limitUnitName(l.unit));
      list.push_back({{"code", c.code},
                      {"family", c.familyCode},
                      {"name_zh", c.nameZh},
                      {"name_en", c.nameEn},
                      {"lead_department", c.leadDepartment},
                      {"priority", core::priorityName(c.priority)},
                      {"limits", limits}});
    }
    out << list.dump(2) << "\n";
    return 0;
  }
  for (const auto &family : config->catalog.families())
  {
    out << family.code << "  " << family.nameZh << " / " << family.nameEn << "\n";
    for (const auto &c : config->catalog.categories())
    {
      if (c.familyCode != family.code)
        continue;
      out << "  " << c.code << "  " << c.nameZh << " / " << c.nameEn << "  [" << c.leadDepartment << ", "
          << core::priorityName(c.priority) << "; limits";
      for (const auto &l : c.limits)
        out << " " << core::stageName(l.stage) << " " << l.amount << core::limitUnitName(l.unit);
      out << "]\n";
    }
  }
  return 0;
}

int cmdCases(const CommandLine &cli, std::ostream &out)
{
  auto db = openForReading(cli);
  core::Workflow workflow;
  store::CaseStore cases(*db, workflow);
  const store::CaseFilter filter = filterFrom(cli);
  const core::TimePoint now = timeOption(cli, "now", store::nowUtc());
  const auto records = cases.query(filter);
  if (cli.has("json"))
  {
    const auto config = loadConfig(cli);
    json list = json::array();
    for (const auto &r : records)
    {
      list.push_back(recordJson(r, now));
      list.back()["deadline_without_schedule"] = !scheduleMark(r, config->calendar).empty();
    }
    out << list.dump(2) << "\n";
    return 0;
  }
  for (const auto &r : records)
    out << std::left << std::setw(24) << r.number << std::setw(12) << core::caseStateName(r.state) << std::setw(6)
        << r.category << std::setw(20) << (r.gridCode.empty() ? "-" : r.gridCode) << std::setw(18)
        << (r.leadDepartment.empty() ? "-" : r.leadDepartment) << std::setw(8) << core::trafficLightName(r.light(now))
        << (r.deadline ? beijing(r.deadline) : std::string("-")) << "  " << r.title << "\n";
  out << records.size() << " case(s)" << (static_cast<int>(records.size()) == filter.limit ? " (limit reached; use --limit)" : "")
      << "\n";
  return 0;
}

int cmdCase(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  if (cli.positional().size() != 2)
    throw UsageError("case needs exactly one NUMBER");
  const std::string number = cli.positional()[1];
  auto db = openForReading(cli);
  core::Workflow workflow;
  store::CaseStore cases(*db, workflow);
  const auto record = cases.find(number);
  if (!record)
  {
    err << "griddispatch-ctl: case: no case '" << number << "' in " << dbLocation(cli).display() << "\n";
    return 1;
  }
  const core::TimePoint now = timeOption(cli, "now", store::nowUtc());
  const auto events = cases.events(number);
  const auto config = loadConfig(cli);
  if (cli.has("json"))
  {
    json j = recordJson(*record, now);
    // Marked when the deadline was counted across a year whose holiday schedule is missing.
    j["deadline_without_schedule"] = !scheduleMark(*record, config->calendar).empty();
    j["description"] = record->description;
    j["reporter"] = {{"name", record->reporterName}, {"phone", record->reporterPhone}};
    j["events"] = json::array();
    int seq = 0;
    for (const auto &e : events)
      j["events"].push_back({{"seq", ++seq},
                             {"action", core::caseActionName(e.action)},
                             {"actor", e.actor},
                             {"at", beijing(e.at)},
                             {"from", seq == 1 ? std::string() : std::string(core::caseStateName(e.from))},
                             {"to", core::caseStateName(e.to)},
                             {"note", e.note},
                             {"data", store::caseDetailsToJson(e.details)}});
    out << j.dump(2) << "\n";
    return 0;
  }
  out << record->number << "  " << record->title << "\n"
      << "  state      " << core::caseStateName(record->state) << " (" << core::trafficLightName(record->light(now))
      << ")\n"
      << "  category   " << record->category << ", " << core::priorityName(record->priority) << ", source "
      << record->source << "\n"
      << "  grid       " << (record->gridCode.empty() ? "(outside every grid)" : record->gridCode) << "\n"
      << "  lead       " << (record->leadDepartment.empty() ? "-" : record->leadDepartment) << "\n"
      << "  reported   " << beijing(record->reportedAt) << "\n"
      << "  deadline   " << (record->deadline ? beijing(record->deadline) + " (" + record->stage + ")" : "-")
      << scheduleMark(*record, config->calendar) << "\n"
      << "  address    " << record->address << "\n"
      << "events:\n";
  int seq = 0;
  for (const auto &e : events)
    out << "  " << std::setw(3) << ++seq << "  " << beijing(e.at) << "  " << std::setw(15) << core::caseActionName(e.action)
        << " " << std::setw(12) << core::caseStateName(e.to) << " " << e.actor << (e.note.empty() ? "" : "  " + e.note)
        << "\n";
  return 0;
}

int cmdOverdue(const CommandLine &cli, std::ostream &out)
{
  auto db = openForReading(cli);
  core::Workflow workflow;
  store::CaseStore cases(*db, workflow);
  const auto level = core::parseGridLevel(cli.value("level", "township"));
  if (!level)
    throw UsageError("--level must be district, township, community, grid or micro_grid");
  const auto counts = cases.overdueByGrid(timeOption(cli, "now", store::nowUtc()), cli.value("grid", ""), *level);
  if (cli.has("json"))
  {
    json list = json::array();
    for (const auto &c : counts)
      list.push_back({{"grid", c.gridCode}, {"overdue", c.count}});
    out << list.dump(2) << "\n";
    return 0;
  }
  for (const auto &c : counts)
    out << std::left << std::setw(20) << (c.gridCode.empty() ? "(no grid)" : c.gridCode) << c.count << "\n";
  return 0;
}

int cmdKpi(const CommandLine &cli, std::ostream &out)
{
  const auto config = loadConfig(cli);
  auto db = openForReading(cli);
  core::Workflow workflow;
  store::CaseStore cases(*db, workflow);
  const core::TimePoint to = timeOption(cli, "to", store::nowUtc());
  const core::TimePoint from = timeOption(cli, "from", to - std::chrono::hours(24 * 30));
  if (!(from < to))
    throw UsageError("--from must be before --to");
  core::KpiScope scope;
  const std::string grid = cli.value("grid", "");
  if (!grid.empty())
  {
    std::string why;
    scope.grid = core::GridCode::parse(grid, &why);
    if (!scope.grid)
      throw UsageError("--grid: " + why);
  }
  scope.department = cli.value("dept", "");
  const auto list = cases.casesForPeriod(from, to, grid);
  const core::KpiCalculator calculator(config->catalog, config->calendar, config->kpi);
  const core::KpiReport report = calculator.compute(list, from, to, scope);
  // 响应率 per department (docs/kpi.md): the dispatches of the period, as they stand at its end
  // (or now, for a period not over yet).
  const auto responses = store::DepartmentNotices(*db).responseRates(
    config->calendar, config->kpi.signWithinWorkingHours, from, to, std::min(to, store::nowUtc()), scope.department);
  auto ratio = [](const core::KpiRatio &r) {
    return json{{"numerator", r.numerator}, {"denominator", r.denominator},
                {"value", r.value() ? json(*r.value()) : json(nullptr)}};
  };
  json responseJson = json::object();
  for (const auto &[department, tally] : responses)
    responseJson[department] = json{{"on_time", tally.onTime}, {"late", tally.late}, {"overdue", tally.overdue},
                                    {"waiting", tally.waiting}, {"value", tally.rate() ? json(*tally.rate()) : json(nullptr)}};
  if (cli.has("json"))
  {
    out << json{{"from", beijing(from)},
                {"to", beijing(to)},
                {"grid", grid},
                {"department", scope.department},
                {"received", report.received},
                {"closure_rate", ratio(report.closureRate)},
                {"on_time_rate", ratio(report.onTimeRate)},
                {"rework_rate", ratio(report.reworkRate)},
                {"satisfaction_rate", ratio(report.satisfactionRate)},
                {"mediation_rate", ratio(report.mediationRate)},
                {"overdue", report.overdue},
                {"composite", report.composite},
                {"response_rate", responseJson}}
               .dump(2)
        << "\n";
    return 0;
  }
  // English names pad the column (setw counts bytes, not Chinese characters); the 中文 name follows.
  auto line = [&](const char *name, const char *nameZh, const core::KpiRatio &r) {
    out << "  " << std::left << std::setw(22) << name;
    if (r.value())
      out << std::fixed << std::setprecision(1) << 100.0 * *r.value() << " %  (" << r.numerator << " / " << r.denominator
          << ")";
    else
      out << "-";
    out << "  " << nameZh << "\n";
  };
  out << "KPI " << beijing(from) << " .. " << beijing(to) << (grid.empty() ? "" : " grid " + grid)
      << (scope.department.empty() ? "" : " department " + scope.department) << "\n"
      << "  received              " << report.received << "\n";
  line("closure rate", "办结率", report.closureRate);
  line("on-time rate", "按期办结率", report.onTimeRate);
  line("rework rate", "返工率", report.reworkRate);
  line("satisfaction rate", "满意率", report.satisfactionRate);
  line("mediation success", "调解成功率", report.mediationRate);
  out << "  overdue               " << report.overdue << "\n"
      << "  composite             " << std::fixed << std::setprecision(1) << report.composite << "\n";
  if (!responses.empty())
    out << "  response rate (响应率: signed within " << config->kpi.signWithinWorkingHours << " working hours)\n";
  for (const auto &[department, tally] : responses)
  {
    out << "    " << std::left << std::setw(20) << department;
    if (tally.rate())
      out << std::fixed << std::setprecision(1) << 100.0 * *tally.rate() << " %  (" << tally.onTime << " / "
          << tally.denominator() << ")";
    else
      out << "-";
    out << "  late " << tally.late << ", overdue " << tally.overdue << ", waiting " << tally.waiting << "\n";
  }
  return 0;
}

int cmdExport(const CommandLine &cli, std::ostream &out)
{
  auto db = openForReading(cli);
  core::Workflow workflow;
  store::CaseStore cases(*db, workflow);
  store::CaseFilter filter = filterFrom(cli);
  if (!cli.has("limit"))
    filter.limit = -1; // SQLite: no limit
  const core::TimePoint now = timeOption(cli, "now", store::nowUtc());
  std::ofstream file;
  std::ostream *sink = &out;
  if (const auto path = cli.value("out"))
  {
    file.open(*path, std::ios::binary);
    if (!file)
      throw std::runtime_error("cannot write " + *path);
    sink = &file;
  }
  // Names, not ids (issue 17): the department's and the worker's names beside their codes.
  const auto config = loadConfig(cli);
  std::unordered_map<std::string, std::string> workerNames;
  const core::GridTree grids = store::GridStore(*db).load();
  for (int level = 0; level <= 4; ++level)
    for (const core::GridNode *node : grids.nodesAt(static_cast<core::GridLevel>(level)))
      for (const core::GridPerson &person : node->workers)
        workerNames.emplace(person.id, person.name);
  const auto departmentName = [&](const std::string &code) {
    const core::Department *d = code.empty() ? nullptr : config->departments.find(code);
    return d ? d->nameZh : code;
  };
  const auto workerName = [&](const std::string &id) {
    const auto it = workerNames.find(id);
    return it == workerNames.end() ? id : it->second;
  };
  *sink << "number,state,category,priority,source,title,address,lon,lat,grid,district,township,community,grid_level3,"
           "micro_grid,lead_department,lead_department_name,worker,worker_name,reported_at,closed_at,stage,deadline,"
           "light,supervised\n";
  const auto records = cases.query(filter);
  for (const auto &r : records)
  {
    std::ostringstream lon, lat;
    lon << std::setprecision(10) << r.point.lon;
    lat << std::setprecision(10) << r.point.lat;
    *sink << core::csvField(r.number) << ',' << core::caseStateName(r.state) << ',' << r.category << ','
          << core::priorityName(r.priority) << ',' << core::csvField(r.source) << ',' << core::csvField(r.title) << ','
          << core::csvField(r.address) << ',' << lon.str() << ',' << lat.str() << ',' << r.gridCode << ',' << r.districtCode
          << ',' << r.townshipCode << ',' << r.communityCode << ',' << r.gridLevelCode << ',' << r.microGridCode << ','
          << core::csvField(r.leadDepartment) << ',' << core::csvField(departmentName(r.leadDepartment)) << ','
          << core::csvField(r.workerId) << ',' << core::csvField(workerName(r.workerId)) << ',' << beijing(r.reportedAt) << ','
          << beijing(r.closedAt) << ',' << r.stage << ',' << beijing(r.deadline) << ','
          << core::trafficLightName(r.light(now)) << ',' << (r.supervised ? 1 : 0) << '\n';
  }
  if (sink == &file)
    out << "exported " << records.size() << " case(s) to " << *cli.value("out") << "\n";
  return 0;
}

int cmdVerify(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  auto db = openForReading(cli);
  std::vector<std::string> problems = store::Schema::integrityProblems(*db);
  for (const std::string &p : store::Schema::appendOnlyProblems(*db))
    problems.push_back(p);
  core::Workflow workflow;
  store::CaseStore cases(*db, workflow);
  for (const std::string &p : cases.verifyProjections(100))
    problems.push_back(p);
  // Grid references: a case or a worker whose grid code no longer exists (a bad import, a
  // hand edit). A store without any grids yet has nothing to check against.
  store::GridStore grids(*db);
  if (const auto codes = grids.storedCodes(); !codes.empty())
    for (const std::string &p : grids.orphanedReferences(codes, 100))
      problems.push_back("orphaned reference: " + p);
  // The audit log's SM3 chain (its seals' MACs need the key: `audit verify --key FILE`).
  if (const auto audit = store::audit::AuditLog(*db).verify(); audit.problem)
    problems.push_back("audit log: " + audit.problem->kind + ": " + audit.problem->what);
  const auto [count, events] = cases.caseAndEventCounts();
  // The digest of the data, equal on two stores holding the same (a copy and its source).
  const auto digests = store::storeDigest(*db);
  std::string combined;
  for (const auto &t : digests)
    combined += t.table + ":" + std::to_string(t.rows) + ":" + t.sha256 + "\n";
  const std::string dataDigest = store::sha256Hex(combined);
  if (cli.has("json"))
  {
    json tables = json::array();
    for (const auto &t : digests)
      tables.push_back({{"table", t.table}, {"rows", t.rows}, {"sha256", t.sha256}});
    out << json{{"cases", count},   {"events", events},         {"ok", problems.empty()},
                {"problems", problems}, {"data_digest", dataDigest}, {"tables", tables}}
             .dump(2)
        << "\n";
  }
  else if (problems.empty())
    out << "ok: " << count << " case(s), " << events
        << " event(s); every case equals the replay of its events, every hash chain holds\n"
        << "data digest " << dataDigest << " (equal on a copy and its source)\n";
  if (problems.empty())
    return 0;
  if (!cli.has("json"))
  {
    err << "griddispatch-ctl: verify: " << problems.size() << " problem(s):\n";
    for (const auto &p : problems)
      err << "  " << p << "\n";
  }
  return 1;
}

int cmdDevice(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const auto &args = cli.positional();
  if (args.size() < 2)
    throw UsageError("device needs add ID --worker W, list, or revoke ID");
  const std::string &verb = args[1];
  if (verb == "list")
  {
    auto db = openForReading(cli);
    const auto devices = store::DeviceRegistry(*db).list();
    if (cli.has("json"))
    {
      json list = json::array();
      for (const auto &d : devices)
        list.push_back({{"id", d.id},
                        {"worker", d.workerId},
                        {"revoked", d.revoked},
                        {"last_seq", d.lastSeq},
                        {"created_at", beijing(d.createdAt)}});
      out << list.dump(2) << "\n";
      return 0;
    }
    // Columns as wide as their longest entry, two spaces apart: a long worker id once ran
    // into the status column.
    std::size_t idWidth = 2, workerWidth = 6;
    for (const auto &d : devices)
    {
      idWidth = std::max(idWidth, d.id.size());
      workerWidth = std::max(workerWidth, d.workerId.size());
    }
    for (const auto &d : devices)
      out << std::left << std::setw(static_cast<int>(idWidth + 2)) << d.id
          << std::setw(static_cast<int>(workerWidth + 2)) << d.workerId << std::setw(9)
          << (d.revoked ? "revoked" : "active") << "last_seq " << d.lastSeq << "  created " << beijing(d.createdAt)
          << "\n";
    out << devices.size() << " device(s)\n";
    return 0;
  }
  if (verb == "add")
  {
    if (args.size() != 3)
      throw UsageError("device add needs exactly one ID");
    const auto worker = cli.value("worker");
    if (!worker)
      throw UsageError("device add needs --worker W (the worker who carries the terminal)");
    auto db = store::Schema::open(dbLocation(cli));
    store::Transaction tx(*db);
    const std::string token = store::DeviceRegistry(*db).add(args[2], *worker, store::nowUtc());
    tx.commit();
    if (cli.has("json"))
      out << json{{"id", args[2]}, {"worker", *worker}, {"token", token}}.dump(2) << "\n";
    else
      out << "device " << args[2] << " (worker " << *worker << ") provisioned.\n"
          << "token: " << token << "\n"
          << "Configure it on the terminal now: it is shown only once and cannot be recovered.\n";
    return 0;
  }
  if (verb == "revoke")
  {
    if (args.size() != 3)
      throw UsageError("device revoke needs exactly one ID");
    auto db = store::Schema::open(dbLocation(cli));
    if (!store::DeviceRegistry(*db).revoke(args[2]))
    {
      err << "griddispatch-ctl: device revoke: no device '" << args[2] << "'\n";
      return 1;
    }
    out << "device " << args[2] << " revoked\n";
    return 0;
  }
  throw UsageError("device: unknown action '" + verb + "' (add, list or revoke)");
}

// calendar status | calendar import FILE.ics [--year Y] [--replace]
int cmdCalendar(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const auto &args = cli.positional();
  if (args.size() < 2)
    throw UsageError("calendar needs status, or import FILE.ics");
  const std::filesystem::path dir = cli.value("config").value_or(store::ConfigDirectory::defaultPath().string());
  const core::Date today = core::beijingDate(timeOption(cli, "now", store::nowUtc()));
  if (args[1] == "status")
  {
    const auto config = store::ConfigDirectory::load(dir);
    const auto &calendar = config->calendar;
    std::string years;
    for (int y : calendar.coveredYears())
      years += (years.empty() ? "" : ", ") + std::to_string(y);
    const std::string warning = calendar.missingScheduleWarning(today);
    if (cli.has("json"))
    {
      out << json{{"covered_years", calendar.coveredYears()},
                  {"missing_years", calendar.missingYears(today)},
                  {"warning", warning}}
                 .dump(2)
          << "\n";
    }
    else
    {
      out << "holiday schedules loaded: " << (years.empty() ? "none" : years) << " (" << (dir / "calendar").string()
          << ")\n";
      if (warning.empty())
        out << "ok: this year's schedule is loaded" << (unsigned(today.month()) == 12 ? " and next year's too" : "")
            << "\n";
    }
    if (!warning.empty())
    {
      err << "griddispatch-ctl: calendar: warning: " << warning << "\n";
      return 3; // a state the administrator must act on, distinct from an error
    }
    return 0;
  }
  if (args[1] == "import")
  {
    if (args.size() != 3)
      throw UsageError("calendar import needs exactly one FILE (an iCalendar .ics file)");
    const std::filesystem::path file = args[2];
    std::ifstream in(file, std::ios::binary);
    if (!in)
      throw std::runtime_error("cannot read " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    const auto config = store::ConfigDirectory::load(dir);
    int year = int(today.year()) + (unsigned(today.month()) == 12 ? 1 : 0);
    if (const auto y = cli.value("year"))
    {
      year = intOption(cli, "year", 0);
      if (year < 2000 || year > 2100)
        throw UsageError("--year '" + *y + "' is not a year from 2000 to 2100");
    }
    const std::filesystem::path target = dir / "calendar" / (std::to_string(year) + ".cal");
    if (std::filesystem::exists(target) && !cli.has("replace"))
    {
      err << "griddispatch-ctl: calendar import: " << target.string()
          << " exists already; nothing was changed (use --replace to overwrite it)\n";
      return 1;
    }
    const std::string header = std::to_string(year) + " public holidays and make-up working days, imported from " +
                               file.filename().string() + " on " + core::formatDate(today) +
                               " by griddispatch-ctl calendar import.\nFormat: see 2025.cal.";
    const std::string yearFile = config->calendar.yearFileFromIcs(text.str(), year, file.string(), header);
    // Checked as the console will read it, before it is written.
    core::WorkCalendar check;
    check.addYear(yearFile, target.string());
    const std::filesystem::path temporary = target.string() + ".new";
    {
      std::ofstream outFile(temporary, std::ios::binary);
      outFile << yearFile;
      outFile.close();
      if (!outFile)
        throw std::runtime_error("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, target);
    out << "imported the " << year << " holiday schedule from " << file.string() << " into " << target.string()
        << ":\n"
        << yearFile;
    return 0;
  }
  throw UsageError("calendar: unknown action '" + args[1] + "' (status or import)");
}

//! " (counted without the YYYY holiday schedule)" when the running stage's deadline is.
std::string scheduleMark(const store::CaseRecord &r, const core::WorkCalendar &calendar)
{
  if (!r.deadline)
    return std::string();
  const int missing = calendar.firstUncoveredYear(r.stageStartedAt.value_or(r.reportedAt), *r.deadline);
  return missing ? " (counted without the " + std::to_string(missing) + " holiday schedule: weekends only)"
                 : std::string();
}

} // namespace

void declareOptions(CommandLine &cli)
{
  cli.addOption("db", "STORE", "the store: a GeoPackage file, or a PostgreSQL database as a libpq URI "
                              "(postgresql://host1,host2/db?target_session_attrs=read-write) or keywords; a password "
                              "is better kept in ~/.pgpass than in the URI");
  cli.addFlag("json", "machine-readable output");
  cli.addOption("config", "DIR", "configuration directory (default: the installed resources/config)");
  cli.addOption("code-field", "NAME", "import-grids: attribute with the grid code (default code)");
  cli.addOption("name-field", "NAME", "import-grids: attribute with the grid name (default name)");
  cli.addOption("parent-field", "NAME", "import-grids: attribute with the parent code, checked against the code");
  cli.addOption("state", "S[,S...]", "cases/export: only these states");
  cli.addFlag("open", "cases/export: only open cases");
  cli.addOption("category", "CODE", "cases/export: category (4 digits) or family (2 digits)");
  cli.addOption("grid", "CODE", "cases/export/kpi/overdue: grid subtree");
  cli.addOption("dept", "CODE", "cases/export/kpi: lead department");
  cli.addOption("source", "SOURCE", "cases/export: patrol, hotline, police, video, citizen, sensor");
  cli.addOption("priority", "P", "cases/export: normal, urgent or emergency");
  cli.addFlag("overdue", "cases/export: only overdue open cases (at --now)");
  cli.addOption("now", "TIME", "the 'now' of overdue checks and traffic lights (RFC 3339; default: the clock)");
  cli.addOption("from", "TIME", "cases/export: reported at or after; kpi: period start (RFC 3339 or YYYY-MM-DD); "
                                "copy: the store copied (FILE.gpkg or postgresql://…); restore: the backup file");
  cli.addOption("to", "TIME", "cases/export: reported before; kpi: period end; copy: the new store written");
  cli.addOption("text", "TEXT", "cases/export: substring of number, title, address or description");
  cli.addOption("limit", "N", "cases: at most N rows (default 1000)");
  cli.addOption("level", "LEVEL", "overdue: group by district, township, community, grid or micro_grid");
  cli.addOption("worker", "ID", "device add: the worker carrying the terminal");
  cli.addOption("out", "FILE", "export: write the CSV here instead of standard output; backup: the directory");
  cli.addOption("seed", "N", "demo-district: the seed (the same seed gives the same district)");
  cli.addOption("terminals", "N", "demo-district: provision N terminals for griddispatch-sim");
  cli.addOption("credentials", "FILE", "demo-district: where to write the terminals' credentials");
  cli.addOption("year", "YYYY", "calendar import: the year to take from the file (default: this year, from "
                                "December the next)");
  cli.addFlag("replace", "calendar import: overwrite the year's schedule file");
  declareSupervisionOptions(cli);
  declareAuditOptions(cli);
  declareBackupOptions(cli);
  declareAccountOptions(cli);
}

// demo-district: the demo district (and terminals for the simulator) in a new store.
int cmdDemoDistrict(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  core::DemoDistrictOptions options;
  if (const auto seed = cli.value("seed"))
  {
    try
    {
      std::size_t used = 0;
      options.seed = std::stoull(*seed, &used);
      if (used != seed->size())
        throw std::invalid_argument(*seed);
    }
    catch (const std::exception &)
    {
      throw UsageError("--seed needs a whole number, got '" + *seed + "'");
    }
  }
  int terminals = 0;
  if (const auto n = cli.value("terminals"))
  {
    try
    {
      terminals = std::stoi(*n);
    }
    catch (const std::exception &)
    {
      terminals = -1;
    }
    if (terminals < 0 || terminals > 20000)
      throw UsageError("--terminals needs a number from 0 to 20000, got '" + *n + "'");
  }
  const auto credentialsPath = cli.value("credentials");
  if (terminals > 0 && !credentialsPath)
    throw UsageError("--terminals needs --credentials FILE (where the simulator finds the tokens)");

  // Everything that can be refused is checked before the store is touched: a refused demo
  // once left a half-built store (schema, no district) behind.
  const core::DemoDistrict district = core::generateDemoDistrict(options);
  std::size_t districtWorkers = 0;
  for (const core::GridNode *grid : district.tree.nodesAt(core::GridLevel::Grid))
    districtWorkers += grid->workers.size();
  if (static_cast<std::size_t>(terminals) > districtWorkers)
    throw UsageError("--terminals " + std::to_string(terminals) + ": the demo district has " +
                     std::to_string(districtWorkers) + " grid workers, one terminal each at most");
  const std::filesystem::path path = dbPath(cli);
  const bool existed = std::filesystem::exists(path);
  // A store this command created is removed again when anything below fails.
  struct RemoveUnlessKept
  {
    std::filesystem::path path;
    bool keep;
    ~RemoveUnlessKept()
    {
      if (keep)
        return;
      std::error_code ignored;
      for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(path.string() + suffix, ignored);
    }
  } cleanup{path, existed};
  auto db = store::Schema::openOrCreate(path);
  if (store::GridStore(*db).count(core::GridLevel::District) > 0)
  {
    cleanup.keep = true;
    err << "griddispatch-ctl: demo-district: " << dbLocation(cli).display()
        << " already has grids; nothing was changed (use a new file for the demo)\n";
    return 1;
  }

  std::vector<store::DemoTerminal> provisioned;
  {
    store::Transaction tx(*db);
    store::writeDemoDistrict(*db, district);
    store::installMapStyles(*db, store::defaultMapsDir());
    try
    {
      provisioned = store::provisionDemoTerminals(*db, district, terminals);
    }
    catch (const std::invalid_argument &e)
    {
      throw UsageError(std::string("--terminals: ") + e.what());
    }
    tx.commit();
  }
  if (credentialsPath)
    store::writeSimCredentials(*credentialsPath, provisioned);
  db.reset();
  cleanup.keep = true;
  std::size_t workers = 0;
  for (const core::GridNode *grid : district.tree.nodesAt(core::GridLevel::Grid))
    workers += grid->workers.size();
  const auto count = [&](core::GridLevel level) { return district.tree.nodesAt(level).size(); };
  if (cli.has("json"))
    out << json{{"db", dbLocation(cli).display()},         {"seed", options.seed},
                {"townships", count(core::GridLevel::Township)}, {"communities", count(core::GridLevel::Community)},
                {"grids", count(core::GridLevel::Grid)},          {"micro_grids", count(core::GridLevel::MicroGrid)},
                {"pois", district.pois.size()},                   {"workers", workers},
                {"terminals", terminals}}
             .dump(2)
        << "\n";
  else
    out << "demo district " << district.tree.nodesAt(core::GridLevel::District).front()->name << " (seed " << options.seed
        << ") written to " << dbLocation(cli).display() << ": " << count(core::GridLevel::Township) << " townships, "
        << count(core::GridLevel::Community) << " communities, " << count(core::GridLevel::Grid) << " grids, "
        << count(core::GridLevel::MicroGrid) << " micro-grids, " << district.pois.size() << " points of interest, "
        << workers << " grid workers, " << terminals << " terminals\n";
  return 0;
}

namespace {

// Copies what a command writes to its error stream, for the audit row's reason, as it goes out.
class TeeBuffer : public std::streambuf
{
  public:
    explicit TeeBuffer(std::ostream &target)
      : mTarget(target)
    {
    }
    //! The last non-empty line written.
    std::string lastLine() const
    {
      std::string text = mText;
      while (!text.empty() && text.back() == '\n')
        text.pop_back();
      const auto at = text.rfind('\n');
      return at == std::string::npos ? text : text.substr(at + 1);
    }

  protected:
    int overflow(int c) override
    {
      if (c == traits_type::eof())
        return traits_type::not_eof(c);
      mText += static_cast<char>(c);
      mTarget.put(static_cast<char>(c));
      return c;
    }
    std::streamsize xsputn(const char *s, std::streamsize n) override
    {
      mText.append(s, static_cast<std::size_t>(n));
      mTarget.write(s, n);
      return n;
    }
    int sync() override
    {
      mTarget.flush();
      return 0;
    }

  private:
    std::ostream &mTarget;
    std::string mText;
};

int runCommand(const CommandLine &cli, std::ostream &out, std::ostream &err);

} // namespace

int run(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  // A changing command leaves a row in its store's audit log, as the OS user on this host,
  // whatever its outcome (issue 17). It is written after the command, in a transaction of its
  // own: the commands' stores are opened, written and closed in many ways, and a refused or
  // failed command must be recorded too, which its rolled-back transaction could not.
  const auto audited = auditedCommand(cli);
  if (!audited)
    return runCommand(cli, out, err);
  TeeBuffer tee(err);
  std::ostream teed(&tee);
  const int exitCode = runCommand(cli, out, teed);
  teed.flush();
  if (!recordCommand(*audited, exitCode, exitCode == 0 ? std::string() : tee.lastLine(), err) && exitCode == 0)
    return 1; // done but not audited: the administrator must know
  return exitCode;
}

namespace {

int runCommand(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  if (cli.positional().empty())
  {
    err << "griddispatch-ctl: no command given\nTry 'griddispatch-ctl --help'.\n";
    return 2;
  }
  const std::string command = cli.positional().front();
  try
  {
    if (command == "init")
      return cmdInit(cli, out);
    if (command == "import-grids")
      return cmdImportGrids(cli, out, err);
    if (command == "import-cases")
      return runImportCommand(cli, out, err);
    if (command == "categories")
      return cmdCategories(cli, out);
    if (command == "cases")
      return cmdCases(cli, out);
    if (command == "case")
      return cmdCase(cli, out, err);
    if (command == "overdue")
      return cmdOverdue(cli, out);
    if (command == "kpi")
      return cmdKpi(cli, out);
    if (command == "export")
      return cmdExport(cli, out);
    if (command == "device")
      return cmdDevice(cli, out, err);
    if (command == "verify")
      return cmdVerify(cli, out, err);
    if (command == "copy")
      return cmdCopy(cli, out, err);
    if (command == "demo-district")
      return cmdDemoDistrict(cli, out, err);
    if (command == "calendar")
      return cmdCalendar(cli, out, err);
    if (command == "account")
      return runAccountCommand(cli, std::cin, out, err);
    if (command == "seat")
      return runSeatCommand(cli, std::cin, out, err);
    if (command == "supervise" || command == "emergency")
      return runSupervisionCommand(cli, out, err);
    if (command == "audit")
      return runAuditCommand(cli, out, err);
    if (command == "backup")
      return runBackupCommand(cli, out, err);
    if (command == "restore")
      return runRestoreCommand(cli, out, err);
    err << "griddispatch-ctl: unknown command '" << command << "'\nTry 'griddispatch-ctl --help'.\n";
    return 2;
  }
  catch (const UsageError &e)
  {
    err << "griddispatch-ctl: " << command << ": " << e.what() << "\n";
    return 2;
  }
  catch (const store::StoreRefusal &e)
  {
    err << "griddispatch-ctl: " << command << ": " << e.what() << "\n";
    return 1;
  }
  catch (const store::StoreError &e)
  {
    // Every store error names the file (SQLite's own messages do not).
    // A connection string is shown without its password.
    const std::string what = e.what();
    const std::string given = cli.value("db", "");
    const std::string file = store::StoreLocation::looksLikeConnectionString(given) ? store::StoreLocation::redact(given) : given;
    err << "griddispatch-ctl: " << command << ": "
        << (file.empty() || what.find(file) != std::string::npos ? "" : "store " + file + ": ") << what << "\n";
    return 1;
  }
  catch (const core::ConfigError &e)
  {
    err << "griddispatch-ctl: " << command << ": configuration error: " << e.what() << "\n";
    return 1;
  }
  catch (const std::exception &e)
  {
    err << "griddispatch-ctl: " << command << ": " << e.what() << "\n";
    return 1;
  }
}

} // namespace

} // namespace gd::apps::ctl
