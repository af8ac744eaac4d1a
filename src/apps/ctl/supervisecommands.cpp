#include "apps/ctl/supervisecommands.h"
#include "apps/ctl/ctloptions.h"

#include "core/kpi.h"
#include "core/slaclock.h"
#include "core/supervisionrules.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/cases/departmentnotices.h"
#include "store/supervision/emergencystore.h"
#include "store/grids/gridstore.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/config/supervisionconfig.h"
#include "store/supervision/supervisionrunner.h"
#include "store/supervision/supervisionstore.h"
#include "store/supervision/supervisionwall.h"
#include "store/timetext.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace gd::apps::ctl {

namespace {

using nlohmann::json;


//! The configuration and store connection a command works with.
struct Context
{
  std::unique_ptr<store::ConfigDirectory> config;
  store::SupervisionSettings settings;
  std::unique_ptr<core::Workflow> workflow;
  std::unique_ptr<core::SlaClock> clock;
  std::unique_ptr<store::Database> db;
};

Context open(const CommandLine &cli, bool forWriting)
{
  Context c;
  const std::filesystem::path dir = cli.value("config").value_or(store::ConfigDirectory::defaultPath().string());
  c.config = store::ConfigDirectory::load(dir);
  c.settings = store::SupervisionSettings::load(dir);
  c.workflow = std::make_unique<core::Workflow>(&c.config->departments);
  c.clock = std::make_unique<core::SlaClock>(c.config->catalog, c.config->calendar);
  const store::StoreLocation location = dbLocation(cli);
  const std::string name = location.display();
  if (!location.isPostgres() && !std::filesystem::exists(location.path()))
    throw store::StoreError(0, "store " + name + " does not exist (create it with 'griddispatch-ctl init')");
  if (forWriting)
    c.db = store::Schema::open(location);
  else
  {
    c.db = std::make_unique<store::Database>(location, store::Database::Mode::ReadOnly);
    if (store::Schema::revision(*c.db) != store::Schema::kRevision)
      throw store::StoreError(0, name + " is not at this program's schema revision; run 'griddispatch-ctl init --db " +
                                   name + "' to migrate it");
  }
  return c;
}

double numberOption(const CommandLine &cli, const std::string &name)
{
  const auto text = cli.value(name);
  if (!text)
    throw UsageError("--" + name + " is required");
  try
  {
    std::size_t used = 0;
    const double v = std::stod(*text, &used);
    if (used == text->size())
      return v;
  }
  catch (const std::exception &)
  {
  }
  throw UsageError("--" + name + " '" + *text + "' is not a number");
}

std::string required(const CommandLine &cli, const std::string &name, const std::string &what)
{
  const auto v = cli.value(name);
  if (!v || v->empty())
    throw UsageError("--" + name + " is required (" + what + ")");
  return *v;
}

std::vector<std::string> splitList(const std::string &text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}

std::string beijing(const std::optional<core::TimePoint> &t)
{
  return t ? core::formatRfc3339(*t, 480) : std::string();
}

//! The one positional argument after "<group> <verb>".
std::string argument(const CommandLine &cli, const std::string &what)
{
  if (cli.positional().size() != 3)
    throw UsageError(cli.positional()[0] + " " + cli.positional()[1] + " needs exactly one " + what);
  return cli.positional()[2];
}

json firingJson(const store::RuleFiringRecord &f)
{
  return {{"case", f.caseNumber},     {"rule", f.rule},       {"occurrence", f.occurrence}, {"fired_at", beijing(f.firedAt)},
          {"action", core::caseActionName(f.action)}, {"event_seq", f.eventSeq}, {"reason", f.reason}};
}

json supervisionJson(const store::SupervisionRecord &r)
{
  return {{"case", r.caseNumber}, {"kind", store::supervisionKindName(r.kind)}, {"actor", r.actor}, {"at", beijing(r.at)},
          {"opinion", r.opinion}, {"deadline", beijing(r.deadline)}, {"event_seq", r.eventSeq}};
}

// ---- supervise ------------------------------------------------------------------------

int superviseRun(const CommandLine &cli, std::ostream &out)
{
  Context c = open(cli, true);
  const core::SupervisionRules rules(c.settings.supervision, c.config->calendar);
  const store::SupervisionRunner runner(rules, *c.workflow, *c.clock);
  const core::TimePoint now = timeOption(cli, "now", store::nowUtc());
  store::RuleRunResult all;
  for (;;)
  {
    store::RuleRunResult run = runner.run(*c.db, now);
    all.fired.insert(all.fired.end(), run.fired.begin(), run.fired.end());
    all.refused.insert(all.refused.end(), run.refused.begin(), run.refused.end());
    if (!run.more)
      break;
  }
  if (cli.has("json"))
  {
    json fired = json::array();
    for (const auto &f : all.fired)
      fired.push_back(firingJson(f));
    out << json{{"now", beijing(now)}, {"fired", fired}, {"refused", all.refused}}.dump(2) << "\n";
    return 0;
  }
  for (const auto &f : all.fired)
    out << f.caseNumber << "  " << f.rule << "  " << core::caseActionName(f.action) << "  " << f.reason << "\n";
  for (const auto &r : all.refused)
    out << "not applied: " << r << "\n";
  out << all.fired.size() << " rule firing(s) at " << beijing(now) << "\n";
  return 0;
}

store::WallScope wallScope(const CommandLine &cli)
{
  store::WallScope scope;
  scope.gridPrefix = cli.value("grid", "");
  if (!scope.gridPrefix.empty())
  {
    std::string why;
    if (!core::GridCode::parse(scope.gridPrefix, &why))
      throw UsageError("--grid: " + why);
  }
  scope.department = cli.value("dept", "");
  scope.overdueOnly = cli.has("overdue");
  if (const auto limit = cli.value("limit"))
  {
    try
    {
      scope.limit = std::stoi(*limit);
    }
    catch (const std::exception &)
    {
      scope.limit = -1;
    }
    if (scope.limit <= 0)
      throw UsageError("--limit '" + *limit + "' must be a positive whole number");
  }
  return scope;
}

int superviseList(const CommandLine &cli, std::ostream &out)
{
  Context c = open(cli, false);
  const core::TimePoint now = timeOption(cli, "now", store::nowUtc());
  const store::WallScope scope = wallScope(cli);
  store::SupervisionWall wall(*c.db);
  const auto list = wall.cases(now, scope);
  const auto counts = wall.counts(now, scope);
  if (cli.has("json"))
  {
    json cases = json::array();
    for (const auto &w : list)
    {
      json j = {{"number", w.record.number},
                {"light", core::trafficLightName(w.light)},
                {"deadline", beijing(w.record.deadline)},
                {"seconds_to_deadline", w.untilDeadline.count()},
                {"stage", w.record.stage},
                {"state", core::caseStateName(w.record.state)},
                {"category", w.record.category},
                {"title", w.record.title},
                {"grid", w.record.gridCode},
                {"township", w.record.townshipCode},
                {"lead_department", w.record.leadDepartment},
                {"worker", w.record.workerId},
                {"supervised", w.record.supervised},
                {"urge_count", w.record.urgeCount},
                {"supervisions", w.supervisionCount}};
      if (w.lastSupervision)
        j["last_supervision"] = supervisionJson(*w.lastSupervision);
      cases.push_back(j);
    }
    out << json{{"now", beijing(now)}, {"overdue", counts.overdue}, {"yellow", counts.yellow}, {"cases", cases}}.dump(2)
        << "\n";
    return 0;
  }
  for (const auto &w : list)
  {
    const long long s = w.untilDeadline.count();
    const long long a = s < 0 ? -s : s;
    std::ostringstream left;
    left << (s < 0 ? "-" : "") << a / 3600 << "h" << std::setw(2) << std::setfill('0') << (a % 3600) / 60 << "m";
    out << std::left << std::setw(24) << w.record.number << std::setw(8) << core::trafficLightName(w.light) << std::setw(10)
        << left.str() << std::setw(26) << beijing(w.record.deadline) << std::setw(18)
        << (w.record.leadDepartment.empty() ? "-" : w.record.leadDepartment) << std::setw(20)
        << (w.record.gridCode.empty() ? "-" : w.record.gridCode) << w.record.title
        << (w.lastSupervision ? "  [督办 " + w.lastSupervision->actor + ": " + w.lastSupervision->opinion + "]" : "") << "\n";
  }
  out << counts.overdue << " overdue, " << counts.yellow << " about to be (yellow) at " << beijing(now) << "\n";
  return 0;
}

int superviseRank(const CommandLine &cli, std::ostream &out)
{
  Context c = open(cli, false);
  const std::string by = cli.value("by", "department");
  if (by != "department" && by != "township")
    throw UsageError("--by must be department or township");
  const core::TimePoint to = timeOption(cli, "to", store::nowUtc());
  const core::TimePoint from = timeOption(cli, "from", to - std::chrono::hours(24 * 30));
  if (!(from < to))
    throw UsageError("--from must be before --to");
  const core::KpiCalculator kpi(c.config->catalog, c.config->calendar, c.config->kpi);
  const auto rows = store::SupervisionWall(*c.db).ranking(
    kpi, by == "department" ? store::RankingBy::Department : store::RankingBy::Township, from, to, cli.value("grid", ""),
    cli.value("dept", ""));
  if (cli.has("json"))
  {
    json list = json::array();
    for (const auto &r : rows)
      list.push_back({{"key", r.key},
                      {"overdue", r.overdue},
                      {"on_time", {{"numerator", r.onTimeRate.numerator}, {"denominator", r.onTimeRate.denominator}}},
                      {"on_time_rate", r.onTimeRate.value() ? json(*r.onTimeRate.value()) : json(nullptr)},
                      {"received", r.received}});
    out << json{{"by", by}, {"from", beijing(from)}, {"to", beijing(to)}, {"ranking", list}}.dump(2) << "\n";
    return 0;
  }
  int place = 0;
  for (const auto &r : rows)
  {
    out << std::right << std::setw(3) << ++place << "  " << std::left << std::setw(20) << r.key << "overdue " << std::setw(6)
        << r.overdue << "on time ";
    if (r.onTimeRate.value())
      out << std::fixed << std::setprecision(1) << 100.0 * *r.onTimeRate.value() << " % (" << r.onTimeRate.numerator << " / "
          << r.onTimeRate.denominator << ")";
    else
      out << "-";
    out << "  received " << r.received << "\n";
  }
  return 0;
}

int superviseUrge(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  if (cli.positional().size() < 3)
    throw UsageError("supervise urge needs one or more case NUMBERs");
  Context c = open(cli, true);
  store::UrgeRequest request;
  request.numbers.assign(cli.positional().begin() + 2, cli.positional().end());
  request.kind = cli.has("supervise") ? store::SupervisionKind::Supervise : store::SupervisionKind::Urge;
  request.actor = required(cli, "actor", "who urges");
  request.opinion = cli.value("opinion", "");
  if (cli.has("deadline"))
    request.deadline = timeOption(cli, "deadline", {});
  request.now = timeOption(cli, "now", store::nowUtc());
  const auto outcomes = store::SupervisionStore(*c.db, *c.workflow, c.clock.get()).urge(request);
  bool allDone = true;
  json list = json::array();
  for (const auto &o : outcomes)
  {
    allDone = allDone && o.done;
    list.push_back({{"case", o.caseNumber},
                    {"done", o.done},
                    {"refusal", o.refusal},
                    {"reason", o.reason},
                    {"orders", o.orderIds},
                    {"devices", o.devices},
                    {"notice", o.noticeId},
                    {"record", o.recordId}});
    if (cli.has("json"))
      continue;
    if (o.done)
      out << o.caseNumber << ": " << (request.kind == store::SupervisionKind::Urge ? "urged" : "supervised") << ", "
          << o.devices.size() << " terminal(s) ordered" << (o.noticeId ? ", department notified" : "") << "\n";
    else
      err << "griddispatch-ctl: supervise urge: " << o.caseNumber << ": " << o.reason << "\n";
  }
  if (cli.has("json"))
    out << list.dump(2) << "\n";
  return allDone ? 0 : 1;
}

int superviseHistory(const CommandLine &cli, std::ostream &out)
{
  const std::string number = argument(cli, "case NUMBER");
  Context c = open(cli, false);
  const auto records = store::SupervisionStore(*c.db, *c.workflow, c.clock.get()).records(number);
  const auto firings = store::SupervisionRunner::firings(*c.db, number);
  if (cli.has("json"))
  {
    json r = json::array(), f = json::array();
    for (const auto &s : records)
      r.push_back(supervisionJson(s));
    for (const auto &x : firings)
      f.push_back(firingJson(x));
    out << json{{"case", number}, {"supervisions", r}, {"rule_firings", f}}.dump(2) << "\n";
    return 0;
  }
  for (const auto &s : records)
    out << beijing(s.at) << "  " << store::supervisionKindName(s.kind) << "  " << s.actor << "  " << s.opinion
        << (s.deadline ? "  (by " + beijing(s.deadline) + ")" : "") << "\n";
  for (const auto &x : firings)
    out << beijing(x.firedAt) << "  rule " << x.rule << "  " << x.reason << "\n";
  return 0;
}

// The notices departments are sent (派遣, 催办, 督办, 应急) and their acknowledgement, which a
// department records here (or an operator on its behalf in the console); the case shows it.
json noticeJson(const store::DepartmentNotice &n)
{
  return {{"id", n.id},
          {"department", n.department},
          {"kind", store::noticeKindName(n.kind)},
          {"case", n.caseNumber},
          {"incident", n.incident},
          {"message", n.message},
          {"sent_at", beijing(n.createdAt)},
          {"acknowledged_by", n.acknowledgedBy},
          {"acknowledged_at", beijing(n.acknowledgedAt)}};
}

int superviseNotices(const CommandLine &cli, std::ostream &out)
{
  const auto dept = cli.value("dept");
  if (cli.positional().size() != 3 && !dept)
    throw UsageError("supervise notices needs a case NUMBER or --dept CODE");
  Context c = open(cli, false);
  store::DepartmentNotices notices(*c.db);
  const auto list = cli.positional().size() == 3 ? notices.forCase(cli.positional()[2]) : notices.pending(*dept);
  if (cli.has("json"))
  {
    json all = json::array();
    for (const auto &n : list)
      all.push_back(noticeJson(n));
    out << all.dump(2) << "\n";
    return 0;
  }
  for (const auto &n : list)
    out << n.id << "  " << store::noticeKindName(n.kind) << "  " << n.department << "  " << (n.caseNumber.empty() ? n.incident : n.caseNumber)
        << "  sent " << beijing(n.createdAt)
        << (n.acknowledgedAt ? "  acknowledged by " + n.acknowledgedBy + " " + beijing(n.acknowledgedAt) : std::string("  not acknowledged"))
        << "\n";
  return 0;
}

int superviseAck(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const std::string text = argument(cli, "notice ID");
  std::int64_t id = 0;
  try
  {
    std::size_t used = 0;
    id = std::stoll(text, &used);
    if (used != text.size())
      throw std::invalid_argument(text);
  }
  catch (const std::exception &)
  {
    throw UsageError("supervise ack: '" + text + "' is not a notice id (a whole number; see 'supervise notices')");
  }
  const auto actor = cli.value("actor");
  if (!actor || actor->empty())
    throw UsageError("--actor is required: who at the department acknowledges the notice");
  Context c = open(cli, true);
  store::DepartmentNotices notices(*c.db);
  if (!notices.acknowledge(id, *actor, timeOption(cli, "now", store::nowUtc())))
  {
    err << "griddispatch-ctl: supervise ack: there is no notice " << id << "\n";
    return 1;
  }
  const auto notice = notices.find(id);
  out << "notice " << id << " (" << notice->department << ", " << (notice->caseNumber.empty() ? notice->incident : notice->caseNumber)
      << ") acknowledged by " << notice->acknowledgedBy << " " << beijing(notice->acknowledgedAt) << "\n";
  return 0;
}

// ---- emergency ------------------------------------------------------------------------

store::EmergencyStore emergencies(Context &c)
{
  return store::EmergencyStore(*c.db, *c.workflow, c.clock.get(), &c.config->departments, &c.settings.conference);
}

json emergencyJson(const store::Emergency &e)
{
  return {{"incident", e.incident},       {"case", e.caseNumber},          {"title", e.title},
          {"lon", e.centre.lon},          {"lat", e.centre.lat},           {"radius_m", e.radiusM},
          {"declared_by", e.declaredBy},  {"declared_at", beijing(e.declaredAt)}, {"conference_url", e.conferenceUrl},
          {"closed_at", beijing(e.closedAt)}};
}

json alertJson(const store::AlertDelivery &d)
{
  return {{"order", d.orderId},          {"device", d.deviceId}, {"worker", d.workerId},
          {"distance_m", d.distanceM},   {"sent_at", beijing(d.sentAt)}, {"acked_at", beijing(d.ackedAt)}};
}

int emergencyDeclare(const CommandLine &cli, std::ostream &out)
{
  Context c = open(cli, true);
  store::EmergencyDeclaration d;
  d.incident = cli.value("incident", "");
  d.caseNumber = cli.value("case", "");
  d.title = cli.value("title", "");
  d.centre = {numberOption(cli, "lon"), numberOption(cli, "lat")};
  d.radiusM = numberOption(cli, "radius");
  d.actor = required(cli, "actor", "who declares");
  d.at = timeOption(cli, "now", store::nowUtc());
  const store::Emergency e = emergencies(c).declare(d);
  if (cli.has("json"))
    out << emergencyJson(e).dump(2) << "\n";
  else
    out << "emergency " << e.incident << " declared: " << e.title << ", radius " << e.radiusM << " m"
        << (e.conferenceUrl.empty() ? std::string() : "\nconference: " + e.conferenceUrl) << "\n";
  return 0;
}

int emergencyList(const CommandLine &cli, std::ostream &out)
{
  Context c = open(cli, false);
  const auto list = emergencies(c).openEmergencies();
  if (cli.has("json"))
  {
    json j = json::array();
    for (const auto &e : list)
      j.push_back(emergencyJson(e));
    out << j.dump(2) << "\n";
    return 0;
  }
  for (const auto &e : list)
    out << std::left << std::setw(20) << e.incident << beijing(e.declaredAt) << "  " << e.radiusM << " m  " << e.title << "\n";
  out << list.size() << " open emergenc" << (list.size() == 1 ? "y" : "ies") << "\n";
  return 0;
}

int emergencyNearby(const CommandLine &cli, std::ostream &out)
{
  Context c = open(cli, false);
  const core::GridTree tree = store::GridStore(*c.db).load();
  const core::TimePoint now = timeOption(cli, "now", store::nowUtc());
  auto store = emergencies(c);
  const core::RadiusResult r =
    cli.positional().size() == 3
      ? store.nearby(cli.positional()[2], tree, now)
      : store.nearby(core::GeoPoint{numberOption(cli, "lon"), numberOption(cli, "lat")}, numberOption(cli, "radius"), tree, now);
  if (cli.has("json"))
  {
    json workers = json::array(), sites = json::array(), areas = json::array();
    for (const auto &w : r.workers)
      workers.push_back({{"worker", w.fix.workerId}, {"name", w.fix.name}, {"phone", w.fix.phone}, {"grid", w.fix.gridCode},
                         {"device", w.fix.deviceId}, {"distance_m", w.distanceM}, {"fix_age_s", w.fixAge.count()},
                         {"online", w.online}});
    for (const auto &s : r.sites)
      sites.push_back({{"id", s.site.id}, {"kind", s.site.kind}, {"name", s.site.name}, {"distance_m", s.distanceM},
                       {"risk", s.risk}, {"stream_url", s.site.streamUrl}});
    for (const auto &a : r.areas)
      areas.push_back({{"code", a.code}, {"name", a.name}, {"level", core::gridLevelName(a.level)},
                       {"distance_m", a.distanceM}, {"contains_centre", a.containsCentre}});
    out << json{{"workers", workers}, {"sites", sites}, {"areas", areas}}.dump(2) << "\n";
    return 0;
  }
  out << "workers:\n";
  for (const auto &w : r.workers)
    out << "  " << std::left << std::setw(24) << w.fix.workerId << std::right << std::setw(6) << std::fixed
        << std::setprecision(0) << w.distanceM << " m  " << (w.online ? "online " : "offline") << "  fix "
        << w.fixAge.count() << " s ago  " << w.fix.name << " " << w.fix.phone << "\n";
  out << "sites:\n";
  for (const auto &s : r.sites)
    out << "  " << std::left << std::setw(16) << s.site.kind << std::right << std::setw(6) << std::fixed
        << std::setprecision(0) << s.distanceM << " m  " << (s.risk ? "RISK " : "") << s.site.name
        << (s.site.streamUrl.empty() ? "" : "  " + s.site.streamUrl) << "\n";
  out << "areas:\n";
  for (const auto &a : r.areas)
    out << "  " << std::left << std::setw(12) << core::gridLevelName(a.level) << std::setw(20) << a.code << std::right
        << std::setw(6) << std::fixed << std::setprecision(0) << a.distanceM << " m  " << a.name << "\n";
  return 0;
}

int emergencyDispatch(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, true);
  const auto departments = splitList(required(cli, "depts", "the departments, comma-separated"));
  const auto result = emergencies(c).dispatch(incident, departments, cli.value("message", ""),
                                              required(cli, "actor", "who dispatches"), timeOption(cli, "now", store::nowUtc()));
  if (cli.has("json"))
    out << json{{"incident", incident},
                {"notices", result.noticeIds},
                {"case_action", result.caseAction ? json(std::string(core::caseActionName(*result.caseAction))) : json(nullptr)}}
             .dump(2)
        << "\n";
  else
    out << incident << ": dispatched to " << departments.size() << " department(s)"
        << (result.caseAction ? ", case " + std::string(core::caseActionName(*result.caseAction)) + " recorded" : std::string())
        << "\n";
  return 0;
}

int emergencyAlert(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, true);
  const auto deliveries = emergencies(c).broadcastAlert(incident, cli.value("message", ""), required(cli, "actor", "who alerts"),
                                                        timeOption(cli, "now", store::nowUtc()));
  if (cli.has("json"))
  {
    json list = json::array();
    for (const auto &d : deliveries)
      list.push_back(alertJson(d));
    out << list.dump(2) << "\n";
  }
  else
    out << incident << ": alert sent to " << deliveries.size() << " terminal(s)\n";
  return 0;
}

int emergencyAcks(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, false);
  const auto alerts = emergencies(c).alerts(incident);
  if (cli.has("json"))
  {
    json list = json::array();
    for (const auto &d : alerts)
      list.push_back(alertJson(d));
    out << list.dump(2) << "\n";
    return 0;
  }
  std::size_t acked = 0;
  for (const auto &d : alerts)
  {
    acked += d.ackedAt ? 1 : 0;
    out << std::left << std::setw(20) << d.deviceId << std::setw(24) << d.workerId
        << (d.ackedAt ? "acked " + beijing(d.ackedAt) : std::string("waiting")) << "\n";
  }
  out << acked << " of " << alerts.size() << " acknowledged\n";
  return 0;
}

int emergencyNote(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, true);
  emergencies(c).addNote(incident, required(cli, "actor", "who writes"), timeOption(cli, "now", store::nowUtc()),
                         required(cli, "message", "the note"));
  out << incident << ": note added\n";
  return 0;
}

int emergencyConference(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, true);
  out << emergencies(c).joinConference(incident, required(cli, "actor", "who joins"), timeOption(cli, "now", store::nowUtc()))
      << "\n";
  return 0;
}

int emergencyClose(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, true);
  emergencies(c).close(incident, required(cli, "actor", "who closes"), timeOption(cli, "now", store::nowUtc()),
                       cli.value("message", ""));
  out << incident << ": closed\n";
  return 0;
}

int emergencyTimeline(const CommandLine &cli, std::ostream &out)
{
  const std::string incident = argument(cli, "INCIDENT");
  Context c = open(cli, false);
  const std::string format = cli.value("format", cli.has("json") ? "json" : "csv");
  if (format != "csv" && format != "json")
    throw UsageError("--format must be csv or json");
  auto store = emergencies(c);
  const std::string text = format == "csv" ? store.timelineCsv(incident) : store.timelineJson(incident);
  if (const auto path = cli.value("out"))
  {
    std::ofstream file(*path, std::ios::binary);
    if (!(file << text))
      throw std::runtime_error("cannot write " + *path);
    out << "timeline of " << incident << " written to " << *path << "\n";
  }
  else
    out << text;
  return 0;
}

int supervise(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const auto &args = cli.positional();
  const std::string verb = args.size() > 1 ? args[1] : std::string();
  if (verb == "run")
    return superviseRun(cli, out);
  if (verb == "list")
    return superviseList(cli, out);
  if (verb == "rank")
    return superviseRank(cli, out);
  if (verb == "urge")
    return superviseUrge(cli, out, err);
  if (verb == "history")
    return superviseHistory(cli, out);
  if (verb == "notices")
    return superviseNotices(cli, out);
  if (verb == "ack")
    return superviseAck(cli, out, err);
  throw UsageError(verb.empty() ? "supervise needs run, list, rank, urge, history, notices or ack"
                                : "supervise: unknown action '" + verb + "' (run, list, rank, urge, history, notices or ack)");
}

int emergency(const CommandLine &cli, std::ostream &out)
{
  const auto &args = cli.positional();
  const std::string verb = args.size() > 1 ? args[1] : std::string();
  if (verb == "declare")
    return emergencyDeclare(cli, out);
  if (verb == "list")
    return emergencyList(cli, out);
  if (verb == "nearby")
    return emergencyNearby(cli, out);
  if (verb == "dispatch")
    return emergencyDispatch(cli, out);
  if (verb == "alert")
    return emergencyAlert(cli, out);
  if (verb == "acks")
    return emergencyAcks(cli, out);
  if (verb == "note")
    return emergencyNote(cli, out);
  if (verb == "conference")
    return emergencyConference(cli, out);
  if (verb == "close")
    return emergencyClose(cli, out);
  if (verb == "timeline")
    return emergencyTimeline(cli, out);
  throw UsageError("emergency needs declare, list, nearby, dispatch, alert, acks, note, conference, close or timeline" +
                   (verb.empty() ? std::string() : " (not '" + verb + "')"));
}

} // namespace

void declareSupervisionOptions(CommandLine &cli)
{
  cli.addOption("actor", "NAME", "supervise urge / ack / emergency: who does it (recorded with the event)");
  cli.addOption("opinion", "TEXT", "supervise urge: the supervision opinion (督办意见), also the order's message");
  cli.addOption("deadline", "TIME", "supervise urge: the response deadline (限期)");
  cli.addFlag("supervise", "supervise urge: 督办 (supervision flag) instead of 催办");
  cli.addOption("by", "WHAT", "supervise rank: department (default) or township");
  cli.addOption("lon", "DEG", "emergency declare/nearby: centre longitude (CGCS2000)");
  cli.addOption("lat", "DEG", "emergency declare/nearby: centre latitude (CGCS2000)");
  cli.addOption("radius", "METRES", "emergency declare/nearby: radius");
  cli.addOption("case", "NUMBER", "emergency declare: the case the emergency is declared from");
  cli.addOption("title", "TEXT", "emergency declare: what happened");
  cli.addOption("incident", "NUMBER", "emergency declare: the incident number (default: YJ<date>-<n>)");
  cli.addOption("depts", "A,B,...", "emergency dispatch: the departments to dispatch to, first one leads");
  cli.addOption("message", "TEXT", "emergency dispatch/alert/note/close: the message");
  cli.addOption("format", "FORMAT", "emergency timeline: csv (default) or json");
}

const char *supervisionCommandsHelp()
{
  return "  supervise run             apply the supervision rules (supervision.conf) now (--now)\n"
         "  supervise list            the supervision wall: overdue and yellow open cases (--grid,\n"
         "                            --dept, --overdue, --now, --limit)\n"
         "  supervise rank            rank departments or townships by overdue and on-time rate\n"
         "                            (--by department|township, --from, --to, --grid, --dept)\n"
         "  supervise urge NUMBER...  urge (催办; --supervise: 督办) cases: --actor, --opinion, --deadline\n"
         "  supervise history NUMBER  supervision records and rule firings of a case\n"
         "  supervise notices NUMBER  the notices departments were sent about a case and who acknowledged\n"
         "                            them (--dept CODE instead: a department's unacknowledged notices)\n"
         "  supervise ack ID --actor NAME   record that NAME at the department acknowledged notice ID\n"
         "  emergency declare         declare an emergency: --lon --lat --radius --actor [--case] [--title]\n"
         "  emergency list            open emergencies\n"
         "  emergency nearby INCIDENT workers, sites and areas within the radius (or --lon --lat --radius)\n"
         "  emergency dispatch INCIDENT --depts A,B --actor   notify departments at once\n"
         "  emergency alert INCIDENT --actor   alert every terminal within the radius\n"
         "  emergency acks INCIDENT   which terminals acknowledged the alert\n"
         "  emergency note|conference|close INCIDENT --actor   record a note, join the conference, close\n"
         "  emergency timeline INCIDENT   export the timeline (--format csv|json, --out FILE)";
}

int runSupervisionCommand(const CommandLine &cli, std::ostream &out, std::ostream &err)
{
  const std::string group = cli.positional().front();
  try
  {
    return group == "supervise" ? supervise(cli, out, err) : emergency(cli, out);
  }
  catch (const UsageError &e)
  {
    err << "griddispatch-ctl: " << group << ": " << e.what() << "\n";
    return 2;
  }
}

} // namespace gd::apps::ctl
