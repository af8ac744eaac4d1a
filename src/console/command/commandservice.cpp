#include "console/command/commandservice.h"

#include "console/session/storeaccess.h"

#include "console/common/storetext.h"

#include "core/caseaccess.h"
#include "core/caseworkflow.h"
#include "core/kpi.h"
#include "core/slaclock.h"
#include "store/accounts/accountstore.h"
#include "store/audit/auditlog.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/supervision/emergencystore.h"
#include "store/grids/gridstore.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/config/supervisionconfig.h"
#include "store/supervision/supervisionrunner.h"
#include "store/supervision/supervisionstore.h"
#include "store/supervision/supervisionwall.h"
#include "store/timetext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cstdio>
#include <unistd.h>
#include <unordered_map>

namespace gd::console {

namespace {

//! A store refusal in the operator's words (the store's sentences are English, for logs).
QString refusalText(const store::StoreRefusal &refusal)
{
  const std::string &code = refusal.reason();
  if (code == "unknown_incident")
    return QCoreApplication::translate("gd::console::CommandService", "There is no such emergency.");
  if (code == "closed")
    return QCoreApplication::translate("gd::console::CommandService", "The emergency is already closed.");
  if (code == "unknown_case")
    return QCoreApplication::translate("gd::console::CommandService", "There is no such case.");
  if (code == "unknown_department")
    return QCoreApplication::translate("gd::console::CommandService", "Unknown department: %1").arg(utf8(refusal.what()));
  if (code == "no_conference")
    return QCoreApplication::translate("gd::console::CommandService",
                                       "No conference system is configured (conference.conf has no meeting_link).");
  if (code == "unknown_incident_type")
    return QCoreApplication::translate("gd::console::CommandService", "Unknown emergency type: %1 (see emergency.conf)")
      .arg(utf8(refusal.what()));
  if (code == "duplicate_incident")
    return QCoreApplication::translate("gd::console::CommandService", "That incident number is already taken.");
  return utf8(refusal.what());
}

//! A CSV field (RFC 4180 quoting).
QString csvField(const QString &text)
{
  if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
      && !text.contains(QLatin1Char('\r')))
    return text;
  return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

} // namespace

struct CommandService::Private
{
  QString operatorName;
  std::unique_ptr<store::ConfigDirectory> config;
  store::SupervisionSettings settings;
  std::unique_ptr<core::Workflow> workflow;
  std::unique_ptr<core::SlaClock> clock;
  std::unique_ptr<core::KpiCalculator> kpi;
  std::unique_ptr<store::Database> db;
  core::GridTree grids;
  std::unordered_map<std::string, std::string> workerNames;
  std::unordered_map<std::string, std::string> deviceWorkers; //!< terminal → worker, as looked up
  std::unique_ptr<core::SupervisionRules> rules;
  std::unique_ptr<store::SupervisionRunner> runner;

  std::string actor() const { return str(operatorName); }

  OperatorRights rights; //!< the seat's roles and permission matrix (issue 17)

  //! Why this seat may not do \a what, which needs \a needed, in words; "" when it may.
  QString forbidden(core::Action needed, const QString &what) const
  {
    if (rights.may(needed))
      return {};
    QStringList roles;
    for (const core::Role role : rights.roles)
      roles << utf8(std::string(core::roleNameZh(role)));
    return QCoreApplication::translate("gd::console::CommandService", "Your role (%1) may not %2: it needs the permission %3.")
      .arg(roles.isEmpty() ? QCoreApplication::translate("gd::console::CommandService", "none") : roles.join(QStringLiteral("、")),
           what, latin1(core::actionId(needed)));
  }

  //! A refused command in the audit trail (outcome refused, reason forbidden); never throws.
  void auditForbidden(const std::string &action, const std::string &object) noexcept
  {
    seatAudit->recordQuietly(action, object, "forbidden");
  }

  //! A worker's name from the grid tree ("" when unknown).
  std::string workerNameOf(const std::string &id) const
  {
    const auto it = workerNames.find(id);
    return it == workerNames.end() ? std::string() : it->second;
  }

  //! A terminal's worker ("" when unknown), read once per terminal.
  std::string deviceWorker(const std::string &device)
  {
    if (const auto it = deviceWorkers.find(device); it != deviceWorkers.end())
      return it->second;
    std::string worker;
    try
    {
      if (const auto info = store::DeviceRegistry(*db).find(device))
        worker = info->workerId;
    }
    catch (const std::exception &)
    {
      return {}; // not cached: the next look may succeed
    }
    deviceWorkers.emplace(device, worker);
    return worker;
  }

  std::unique_ptr<store::AccountNames> accountNames; //!< made with the connection
  std::unique_ptr<store::audit::SeatAudit> seatAudit; //!< this seat's audit trail, made with the connection

  //! Who did something, in words: an account by its name (names, not ids: the wall, the
  //! emergency timeline and its export), anyone else as actorTitle() says.
  QString actorText(const std::string &actor)
  {
    if (!accountNames)
      accountNames = std::make_unique<store::AccountNames>(*db);
    if (const std::string name = accountNames->nameOf(actor); !name.empty())
      return utf8(name);
    return actorTitle(actor, [this](const std::string &id) { return workerNameOf(id); },
                      [this](const std::string &device) { return deviceWorker(device); });
  }

  QString typeName(const std::string &code) const
  {
    if (code.empty())
      return QCoreApplication::translate("gd::console::CommandService", "Unspecified emergency");
    const core::IncidentType *type = settings.incidentTypes.find(code);
    return type ? utf8(chineseUi() ? type->nameZh : type->nameEn) : utf8(code);
  }

  EmergencyView viewOf(const store::Emergency &e)
  {
    EmergencyView v;
    v.incident = utf8(e.incident);
    v.caseNumber = utf8(e.caseNumber);
    v.incidentType = utf8(e.incidentType);
    v.typeName = typeName(e.incidentType);
    // Declared without a title: its type is its title (not the store's word, in any language).
    v.title = e.title == store::EmergencyStore::kUntitled ? v.typeName : utf8(e.title);
    v.lon = e.centre.lon;
    v.lat = e.centre.lat;
    v.radiusM = e.radiusM;
    v.declaredBy = actorText(e.declaredBy);
    v.declaredAt = toDateTime(e.declaredAt);
    v.conferenceUrl = utf8(e.conferenceUrl);
    v.open = e.isOpen();
    return v;
  }

  SupervisionEntry entryOf(const store::SupervisionRecord &r)
  {
    return {utf8(r.caseNumber), latin1(store::supervisionKindName(r.kind)), actorText(r.actor), toDateTime(r.at),
            utf8(r.opinion), toDateTime(r.deadline)};
  }

  //! The type code a declaration gets: the one covering the case's \a category, else \a chosen
  //! (checked against emergency.conf).
  std::string incidentTypeFor(const std::string &category, const QString &chosen) const
  {
    if (!category.empty())
      if (const core::IncidentType *type = settings.incidentTypes.forCategory(category))
        return type->code;
    const std::string code = str(chosen.trimmed());
    if (!code.empty() && !settings.incidentTypes.find(code))
      throw store::StoreRefusal("unknown_incident_type", code);
    return code;
  }

  store::EmergencyStore emergencies()
  {
    return store::EmergencyStore(*db, *workflow, clock.get(), &config->departments, &settings.conference);
  }

  QString workerName(const std::string &id) const
  {
    const auto it = workerNames.find(id);
    return it == workerNames.end() ? utf8(id) : utf8(it->second);
  }

  NearbyView nearbyView(const core::RadiusResult &result) const
  {
    NearbyView view;
    for (const core::NearbyWorker &w : result.workers)
      view.workers.push_back({utf8(w.fix.workerId), utf8(w.fix.name.empty() ? w.fix.workerId : w.fix.name),
                              utf8(w.fix.phone), gridNamePath(grids, w.fix.gridCode), utf8(w.fix.deviceId),
                              w.fix.point.lon, w.fix.point.lat, w.distanceM,
                              static_cast<qint64>(w.fixAge.count()), w.online});
    for (const core::NearbySite &s : result.sites)
      view.sites.push_back({utf8(s.site.kind), utf8(s.site.name), utf8(s.site.streamUrl), s.site.point.lon,
                            s.site.point.lat, s.distanceM, s.risk});
    for (const core::AffectedArea &a : result.areas)
      view.areas.push_back({utf8(a.code), gridNamePath(grids, a.code), static_cast<int>(a.level), a.distanceM,
                            a.containsCentre});
    return view;
  }

  //! A timeline entry in the operator's words, from its data (the store's message is English).
  QString timelineText(const store::TimelineEntry &e)
  {
    const store::TimelineDetails &d = e.data;
    auto text = [](const std::optional<std::string> &value) { return utf8(value.value_or(std::string())); };
    const QString message = text(d.message);
    switch (e.kind)
    {
      case store::TimelineKind::Declared:
      {
        QString line = QCoreApplication::translate("gd::console::CommandService", "%1 declared, radius %2")
                         .arg(typeName(str(text(d.incidentType))), distanceText(d.radiusM.value_or(0)));
        if (!text(d.caseNumber).isEmpty())
          line += QCoreApplication::translate("gd::console::CommandService", ", from case %1").arg(text(d.caseNumber));
        return line;
      }
      case store::TimelineKind::Dispatched:
      {
        QStringList names;
        for (const std::string &code : d.departments.value_or(std::vector<std::string>()))
          names << departmentTitle(config->departments, code);
        QString line = QCoreApplication::translate("gd::console::CommandService", "dispatched to %1").arg(names.join(QStringLiteral("、")));
        return message.isEmpty() ? line : line + QStringLiteral("：") + message;
      }
      case store::TimelineKind::Alert:
      {
        const int terminals = d.devices ? static_cast<int>(d.devices->size()) : 0;
        QString line = QCoreApplication::translate("gd::console::CommandService", "alert sent to %n terminal(s)", nullptr, terminals);
        return message.isEmpty() ? line : line + QStringLiteral("：") + message;
      }
      case store::TimelineKind::Ack:
      {
        return QCoreApplication::translate("gd::console::CommandService", "%1 acknowledged the alert on terminal %2")
          .arg(actorText("worker:" + str(text(d.worker))), text(d.device));
      }
      case store::TimelineKind::Conference:
        return QCoreApplication::translate("gd::console::CommandService", "%1 joined the video conference: %2").arg(actorText(e.actor), text(d.conferenceUrl));
      case store::TimelineKind::Closed:
        return e.message.rfind("emergency ", 0) == 0 ? QCoreApplication::translate("gd::console::CommandService", "emergency closed") : utf8(e.message);
      case store::TimelineKind::Note:
        break;
    }
    return utf8(e.message);
  }

  //! Runs an emergency command, turning a refusal into the reply's message.
  template <typename Fn>
  CommandReply guarded(const QString &incident, Fn &&fn)
  {
    CommandReply reply;
    // Every emergency command is emergency.declare's (一键直达): refused here, not only hidden.
    if (const QString why = forbidden(core::Action::EmergencyDeclare, QCoreApplication::translate("gd::console::CommandService", "act on emergencies")); !why.isEmpty())
    {
      reply.message = why;
      auditForbidden("emergency_change", str(incident));
      return reply;
    }
    try
    {
      fn(reply);
      reply.ok = true;
      if (!incident.isEmpty())
        if (auto e = emergencies().find(str(incident)))
          reply.emergency = viewOf(*e);
    }
    catch (const store::StoreRefusal &refusal)
    {
      reply.ok = false;
      reply.message = refusalText(refusal);
    }
    catch (const std::exception &e)
    {
      reply.ok = false;
      reply.message = utf8(e.what());
    }
    return reply;
  }

  /**
   * guarded() for a command that changes something (or writes a file): it runs in one
   * transaction with its audit row (§8.1.4 安全审计: the console's emergency commands and
   * exports, who, which seat, what, outcome); a refused or failed one is recorded as such after
   * the rollback. \a action is the audit vocabulary's ("emergency_change", "export"), \a verb
   * what was done ("declare", "dispatch" …).
   */
  template <typename Fn>
  CommandReply audited(const QString &incident, const std::string &action, const std::string &verb, Fn &&fn)
  {
    return guarded(incident, [&](CommandReply &r) {
      const auto object = [&] { return str(r.emergency.incident.isEmpty() ? incident : r.emergency.incident); };
      try
      {
        store::Transaction transaction(*db);
        fn(r);
        seatAudit->record(action, object(), verb + ": " + str(r.message));
        transaction.commit();
      }
      catch (const store::StoreRefusal &refusal)
      {
        seatAudit->recordQuietly(action, object(), verb + ": " + refusal.what());
        throw;
      }
      catch (const std::exception &e)
      {
        seatAudit->recordQuietly(action, object(), verb + ": " + e.what(), store::audit::Outcome::Failed);
        throw;
      }
    });
  }
};

CommandService::CommandService(const QString &path, const QString &operatorName, const QString &configDir,
                               OperatorRights rights)
  : d(std::make_unique<Private>())
{
  d->rights = std::move(rights);
  d->operatorName = operatorName.isEmpty() ? QStringLiteral("operator") : operatorName;
  const std::filesystem::path dir = configDir.isEmpty() ? store::ConfigDirectory::defaultPath()
                                                        : std::filesystem::path(str(configDir));
  d->config = store::ConfigDirectory::load(dir);
  d->settings = store::SupervisionSettings::load(dir);
  d->settings.incidentTypes.validate(d->config->catalog);
  d->workflow = std::make_unique<core::Workflow>(&d->config->departments);
  d->clock = std::make_unique<core::SlaClock>(d->config->catalog, d->config->calendar);
  d->kpi = std::make_unique<core::KpiCalculator>(d->config->catalog, d->config->calendar, d->config->kpi);
  d->rules = std::make_unique<core::SupervisionRules>(d->settings.supervision, d->config->calendar);
  d->runner = std::make_unique<store::SupervisionRunner>(*d->rules, *d->workflow, *d->clock);
  d->db = store::Schema::open(storeLocation(path));
  d->seatAudit = std::make_unique<store::audit::SeatAudit>(*d->db, d->actor());
  d->grids = store::GridStore(*d->db).load();
  for (int level = 0; level <= 4; ++level)
    for (const core::GridNode *node : d->grids.nodesAt(static_cast<core::GridLevel>(level)))
      for (const core::GridPerson &person : node->workers)
        d->workerNames.emplace(person.id, person.name);
}

CommandService::~CommandService() = default;

WallView CommandService::wall(const WallFilter &filter, const QDateTime &now)
{
  WallView view;
  const core::TimePoint at = toTimePoint(now);
  view.at = toDateTime(at);
  try
  {
    store::WallScope scope;
    scope.gridPrefix = str(filter.gridPrefix);
    scope.department = str(filter.department);
    scope.overdueOnly = filter.overdueOnly;
    scope.limit = filter.limit;
    store::SupervisionWall wall(*d->db);
    const core::CategoryCatalog &catalog = d->config->catalog;
    auto rowOf = [&](const store::WallCase &c) {
      WallRow row;
      const store::CaseRecord &r = c.record;
      row.number = utf8(r.number);
      row.title = utf8(r.title);
      row.category = utf8(r.category);
      const core::Category *category = catalog.find(r.category);
      row.categoryName = category ? utf8(chineseUi() ? category->nameZh : category->nameEn) : utf8(r.category);
      row.state = latin1(core::caseStateName(r.state));
      row.gridName = gridNamePath(d->grids, r.gridCode);
      row.department = utf8(r.leadDepartment);
      row.departmentName = r.leadDepartment.empty() ? QString() : departmentTitle(d->config->departments, r.leadDepartment);
      row.workerName = r.workerId.empty() ? QString() : d->workerName(r.workerId);
      row.light = latin1(core::trafficLightName(c.light));
      row.deadline = toDateTime(r.deadline);
      row.supervisionCount = c.supervisionCount;
      if (c.lastSupervision)
      {
        const store::SupervisionRecord &s = *c.lastSupervision;
        QStringList parts{s.kind == store::SupervisionKind::Urge ? QCoreApplication::translate("gd::console::CommandService", "Urged") : QCoreApplication::translate("gd::console::CommandService", "Supervised"), d->actorText(s.actor),
                          toDateTime(s.at).toString(QStringLiteral("MM-dd HH:mm"))};
        if (!s.opinion.empty())
          parts << utf8(s.opinion);
        if (s.deadline)
          parts << QCoreApplication::translate("gd::console::CommandService", "reply by %1").arg(toDateTime(*s.deadline).toString(QStringLiteral("MM-dd HH:mm")));
        row.lastSupervision = parts.join(QStringLiteral(" · "));
      }
      return row;
    };
    for (const store::WallCase &c : wall.cases(at, scope))
      view.rows.push_back(rowOf(c));
    if (!d->settings.supervision.alarmOverdue.empty())
    {
      store::WallScope alarming;
      alarming.overdueOnly = true;
      alarming.categories = d->settings.supervision.alarmOverdue;
      alarming.limit = 200;
      for (const store::WallCase &c : wall.cases(at, alarming))
        view.alarms.push_back(rowOf(c));
    }
    const store::WallCounts counts = wall.counts(at, scope);
    view.overdue = counts.overdue;
    view.yellow = counts.yellow;
    for (const store::DepartmentCount &count : wall.overdueByDepartment(at, scope.gridPrefix))
      view.byDepartment.push_back({utf8(count.department),
                                   count.department.empty() ? QCoreApplication::translate("gd::console::CommandService", "Not yet dispatched")
                                                            : departmentTitle(d->config->departments, count.department),
                                   count.overdue});
  }
  catch (const std::exception &e)
  {
    view.error = utf8(e.what());
  }
  return view;
}

RankingView CommandService::ranking(RankBy by, const QDateTime &from, const QDateTime &to, const QString &gridPrefix)
{
  RankingView view;
  try
  {
    const auto rows = store::SupervisionWall(*d->db).ranking(
      *d->kpi, by == RankBy::Department ? store::RankingBy::Department : store::RankingBy::Township,
      toTimePoint(from), toTimePoint(to), str(gridPrefix));
    for (const store::RankingRow &r : rows)
    {
      RankingEntry entry;
      entry.key = utf8(r.key);
      if (by == RankBy::Department)
        entry.name = departmentTitle(d->config->departments, r.key);
      else if (const core::GridNode *node = d->grids.find(r.key))
        entry.name = utf8(node->name);
      else
        entry.name = entry.key;
      entry.overdue = r.overdue;
      entry.onTimeRate = r.onTimeRate.value().value_or(-1);
      entry.onTimeNumerator = static_cast<int>(r.onTimeRate.numerator);
      entry.onTimeDenominator = static_cast<int>(r.onTimeRate.denominator);
      entry.received = r.received;
      view.rows.push_back(entry);
    }
  }
  catch (const std::exception &e)
  {
    view.error = utf8(e.what());
  }
  return view;
}

std::vector<UrgeResult> CommandService::urge(const UrgeRequestView &request, const QDateTime &now)
{
  const core::CaseAction step = request.supervise ? core::CaseAction::Supervise : core::CaseAction::Urge;
  if (const QString why = d->forbidden(core::permissionFor(step), request.supervise ? QCoreApplication::translate("gd::console::CommandService", "supervise cases") : QCoreApplication::translate("gd::console::CommandService", "urge cases")); !why.isEmpty())
  {
    std::vector<UrgeResult> refused;
    for (const QString &number : request.numbers)
    {
      d->auditForbidden("case_" + std::string(core::caseActionName(step)), str(number));
      refused.push_back({number, false, why, 0, false});
    }
    return refused;
  }
  store::UrgeRequest r;
  for (const QString &number : request.numbers)
    r.numbers.push_back(str(number));
  r.kind = request.supervise ? store::SupervisionKind::Supervise : store::SupervisionKind::Urge;
  r.actor = d->actor();
  r.opinion = str(request.opinion.trimmed());
  if (request.deadline.isValid())
    r.deadline = toTimePoint(request.deadline);
  r.now = toTimePoint(now);
  std::vector<UrgeResult> results;
  // Each case's 催办/督办 is audited in the transaction that does it (a refused one too, with
  // its reason); a failure rolls everything back and is recorded per case after.
  const std::string auditAction = request.supervise ? "case_supervise" : "case_urge";
  try
  {
    store::Transaction transaction(*d->db);
    const std::vector<store::UrgeOutcome> outcomes = store::SupervisionStore(*d->db, *d->workflow, d->clock.get()).urge(r);
    for (const store::UrgeOutcome &o : outcomes)
      d->seatAudit->record(auditAction, o.caseNumber, r.opinion,
                           o.done ? store::audit::Outcome::Ok : store::audit::Outcome::Refused,
                           o.done ? std::string() : o.refusal + (o.reason.empty() ? std::string() : ": " + o.reason));
    transaction.commit();
    for (const store::UrgeOutcome &o : outcomes)
    {
      UrgeResult result;
      result.number = utf8(o.caseNumber);
      result.done = o.done;
      if (!o.done)
      {
        if (o.refusal == "unknown_case")
          result.reason = QCoreApplication::translate("gd::console::CommandService", "There is no such case.");
        else if (o.refusal == "bad_transition")
          result.reason = request.supervise ? QCoreApplication::translate("gd::console::CommandService", "The case is no longer open.")
                                            : QCoreApplication::translate("gd::console::CommandService", "Only a case assigned or in handling can be urged.");
        else
          result.reason = utf8(o.reason);
      }
      result.orders = static_cast<int>(o.orderIds.size());
      result.departmentNotified = o.noticeId != 0;
      results.push_back(result);
    }
  }
  catch (const std::exception &e)
  {
    results.clear();
    for (const QString &number : request.numbers)
    {
      d->seatAudit->recordQuietly(auditAction, str(number), e.what(), store::audit::Outcome::Failed);
      results.push_back({number, false, utf8(e.what()), 0, false});
    }
  }
  return results;
}

std::vector<SupervisionEntry> CommandService::records(const QString &number)
{
  std::vector<SupervisionEntry> out;
  for (const auto &r : store::SupervisionStore(*d->db, *d->workflow, d->clock.get()).records(str(number)))
    out.push_back(d->entryOf(r));
  return out;
}

std::vector<SupervisionEntry> CommandService::recentRecords(const QDateTime &since, int limit)
{
  std::vector<SupervisionEntry> out;
  for (const auto &r : store::SupervisionStore(*d->db, *d->workflow, d->clock.get()).recent(toTimePoint(since), limit))
    out.push_back(d->entryOf(r));
  return out;
}

TodayFigures CommandService::today(const QDateTime &now)
{
  TodayFigures figures;
  // Through the current second: a case reported this second counts today.
  const core::TimePoint to = toTimePoint(now) + std::chrono::seconds(1);
  figures.at = toDateTime(to - std::chrono::seconds(1));
  // The Beijing day, as the SLA clock and the KPI periods count it.
  const QDateTime midnight = figures.at.date().startOfDay(figures.at.timeZone());
  const core::TimePoint from = toTimePoint(midnight);
  try
  {
    const core::KpiReport report =
      d->kpi->compute(store::CaseStore(*d->db, *d->workflow, d->clock.get()).casesForPeriod(from, to), from, to);
    figures.newToday = report.received;
    figures.onTimeRate = report.onTimeRate.value().value_or(-1);
    figures.onTimeNumerator = static_cast<int>(report.onTimeRate.numerator);
    figures.onTimeDenominator = static_cast<int>(report.onTimeRate.denominator);
    figures.closedToday = static_cast<int>(store::CaseStore(*d->db, *d->workflow, d->clock.get()).closedBetween(from, to));
    const store::WallCounts counts = store::SupervisionWall(*d->db).counts(to - std::chrono::seconds(1));
    figures.overdue = counts.overdue;
    figures.yellow = counts.yellow;
  }
  catch (const std::exception &e)
  {
    figures.error = utf8(e.what());
  }
  return figures;
}

RulesRun CommandService::runRules(const QDateTime &now)
{
  RulesRun run;
  try
  {
    const core::TimePoint at = toTimePoint(now);
    for (int slice = 0; slice < 50; ++slice)
    {
      const store::RuleRunResult result = d->runner->run(*d->db, at, 200);
      for (const store::RuleFiringRecord &f : result.fired)
        run.fired.push_back({utf8(f.caseNumber), utf8(f.rule), utf8(f.reason)});
      for (const std::string &refused : result.refused)
        run.refused << utf8(refused);
      if (!result.more)
        break;
    }
  }
  catch (const std::exception &e)
  {
    run.error = utf8(e.what());
  }
  return run;
}

CommandReply CommandService::declareFromCase(const QString &number, double radiusM, const QString &incidentType,
                                             const QDateTime &now)
{
  QString incident;
  CommandReply reply = d->audited({}, "emergency_change", "declare", [&](CommandReply &r) {
    store::CaseStore cases(*d->db, *d->workflow, d->clock.get());
    const auto record = cases.find(str(number));
    if (!record)
      throw store::StoreRefusal("unknown_case", "no case " + str(number));
    store::EmergencyDeclaration declaration;
    declaration.caseNumber = record->number;
    declaration.incidentType = d->incidentTypeFor(record->category, incidentType);
    declaration.centre = record->point;
    declaration.radiusM = radiusM;
    declaration.actor = d->actor();
    declaration.at = toTimePoint(now);
    r.emergency = d->viewOf(d->emergencies().declare(declaration));
    r.message = QCoreApplication::translate("gd::console::CommandService", "Emergency %1 (%2) declared from case %3.")
                  .arg(r.emergency.incident, r.emergency.typeName, number);
  });
  return reply;
}

CommandReply CommandService::declareAt(double lon, double lat, double radiusM, const QString &title,
                                       const QString &incidentType, const QDateTime &now)
{
  return d->audited({}, "emergency_change", "declare", [&](CommandReply &r) {
    store::EmergencyDeclaration declaration;
    declaration.incidentType = d->incidentTypeFor({}, incidentType);
    declaration.title = str(title.trimmed());
    if (declaration.title.empty() && !declaration.incidentType.empty())
      declaration.title = str(d->typeName(declaration.incidentType));
    declaration.centre = {lon, lat};
    declaration.radiusM = radiusM;
    declaration.actor = d->actor();
    declaration.at = toTimePoint(now);
    r.emergency = d->viewOf(d->emergencies().declare(declaration));
    r.message = QCoreApplication::translate("gd::console::CommandService", "Emergency %1 (%2) declared.")
                  .arg(r.emergency.incident, r.emergency.typeName);
  });
}

std::vector<EmergencyView> CommandService::openEmergencies()
{
  std::vector<EmergencyView> out;
  for (const store::Emergency &e : d->emergencies().openEmergencies())
    out.push_back(d->viewOf(e));
  return out;
}

std::optional<EmergencyView> CommandService::emergency(const QString &incident)
{
  if (auto e = d->emergencies().find(str(incident)))
    return d->viewOf(*e);
  return std::nullopt;
}

NearbyView CommandService::nearby(double lon, double lat, double radiusM, const QDateTime &now)
{
  try
  {
    return d->nearbyView(d->emergencies().nearby(core::GeoPoint{lon, lat}, radiusM, d->grids, toTimePoint(now)));
  }
  catch (const std::exception &e)
  {
    NearbyView view;
    view.error = utf8(e.what());
    return view;
  }
}

NearbyView CommandService::nearby(const QString &incident, const QDateTime &now)
{
  try
  {
    return d->nearbyView(d->emergencies().nearby(str(incident), d->grids, toTimePoint(now)));
  }
  catch (const store::StoreRefusal &refusal)
  {
    NearbyView view;
    view.error = refusalText(refusal);
    return view;
  }
  catch (const std::exception &e)
  {
    NearbyView view;
    view.error = utf8(e.what());
    return view;
  }
}

CommandReply CommandService::dispatch(const QString &incident, const QStringList &departments, const QString &message,
                                      const QDateTime &now)
{
  return d->audited(incident, "emergency_change", "dispatch", [&](CommandReply &r) {
    if (departments.isEmpty())
      throw store::StoreRefusal("bad_value", str(QCoreApplication::translate("gd::console::CommandService", "Choose at least one department.")));
    std::vector<std::string> codes;
    QStringList names;
    for (const QString &code : departments)
    {
      codes.push_back(str(code));
      names << departmentTitle(d->config->departments, str(code));
    }
    const store::DispatchResult result =
      d->emergencies().dispatch(str(incident), codes, str(message.trimmed()), d->actor(), toTimePoint(now));
    r.count = static_cast<int>(result.noticeIds.size());
    r.message = QCoreApplication::translate("gd::console::CommandService", "Dispatched to %1.").arg(names.join(QStringLiteral("、")));
  });
}

CommandReply CommandService::alert(const QString &incident, const QString &message, const QDateTime &now)
{
  return d->audited(incident, "emergency_change", "alert", [&](CommandReply &r) {
    const auto deliveries = d->emergencies().broadcastAlert(str(incident), str(message.trimmed()), d->actor(),
                                                            toTimePoint(now));
    r.count = static_cast<int>(deliveries.size());
    r.message = deliveries.empty() ? QCoreApplication::translate("gd::console::CommandService", "No terminal is within the radius: the alert reached nobody.")
                                   : QCoreApplication::translate("gd::console::CommandService", "Alert sent to %n terminal(s) within the radius.", nullptr, r.count);
  });
}

std::vector<AlertView> CommandService::alerts(const QString &incident)
{
  std::vector<AlertView> out;
  try
  {
    for (const store::AlertDelivery &a : d->emergencies().alerts(str(incident)))
      out.push_back({a.orderId, utf8(a.deviceId), d->workerName(a.workerId), a.distanceM, toDateTime(a.sentAt),
                     toDateTime(a.ackedAt)});
  }
  catch (const std::exception &)
  {
    // An unknown incident has no alerts; the panel says why elsewhere.
  }
  return out;
}

CommandReply CommandService::joinConference(const QString &incident, const QDateTime &now)
{
  return d->audited(incident, "emergency_change", "conference", [&](CommandReply &r) {
    r.link = utf8(d->emergencies().joinConference(str(incident), d->actor(), toTimePoint(now)));
    r.message = QCoreApplication::translate("gd::console::CommandService", "Conference link: %1").arg(r.link);
  });
}

CommandReply CommandService::note(const QString &incident, const QString &text, const QDateTime &now)
{
  return d->audited(incident, "emergency_change", "note", [&](CommandReply &r) {
    if (text.trimmed().isEmpty())
      throw store::StoreRefusal("bad_value", str(QCoreApplication::translate("gd::console::CommandService", "The note is empty.")));
    d->emergencies().addNote(str(incident), d->actor(), toTimePoint(now), str(text.trimmed()));
    r.message = QCoreApplication::translate("gd::console::CommandService", "Note added.");
  });
}

CommandReply CommandService::close(const QString &incident, const QString &note, const QDateTime &now)
{
  return d->audited(incident, "emergency_change", "close", [&](CommandReply &r) {
    d->emergencies().close(str(incident), d->actor(), toTimePoint(now), str(note.trimmed()));
    r.message = QCoreApplication::translate("gd::console::CommandService", "Emergency %1 closed.").arg(incident);
  });
}

std::vector<EmergencyEvent> CommandService::timeline(const QString &incident)
{
  std::vector<EmergencyEvent> out;
  try
  {
    for (const store::TimelineEntry &e : d->emergencies().timeline(str(incident)))
    {
      out.push_back({toDateTime(e.at), latin1(store::timelineKindName(e.kind)), d->actorText(e.actor), d->timelineText(e)});
    }
  }
  catch (const std::exception &)
  {
  }
  return out;
}

CommandReply CommandService::exportTimeline(const QString &incident, const QString &file)
{
  return d->audited(incident, "export", "emergency timeline", [&](CommandReply &r) {
    auto e = d->emergencies().find(str(incident));
    if (!e)
      throw store::StoreRefusal("unknown_incident", str(incident));
    const EmergencyView view = d->viewOf(*e);
    const std::vector<EmergencyEvent> events = timeline(incident);
    auto tr = [](const char *text) { return QCoreApplication::translate("gd::console::CommandService", text); };
    QByteArray text;
    if (file.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
    {
      // Keys stay as they are for programs; every value a person reads is in the UI language.
      QJsonArray entries;
      for (const EmergencyEvent &event : events)
        entries.append(QJsonObject{{QStringLiteral("at"), event.at.toString(Qt::ISODate)},
                                   {QStringLiteral("kind"), event.kind},
                                   {QStringLiteral("kind_title"), emergencyEventTitle(event.kind)},
                                   {QStringLiteral("actor"), event.actor},
                                   {QStringLiteral("message"), event.message}});
      const QJsonObject root{{QStringLiteral("incident"), view.incident},
                             {QStringLiteral("case"), view.caseNumber},
                             {QStringLiteral("title"), view.title},
                             {QStringLiteral("incident_type"), view.incidentType},
                             {QStringLiteral("type_title"), view.typeName},
                             {QStringLiteral("lon"), view.lon},
                             {QStringLiteral("lat"), view.lat},
                             {QStringLiteral("radius_m"), view.radiusM},
                             {QStringLiteral("declared_by"), view.declaredBy},
                             {QStringLiteral("declared_at"), view.declaredAt.toString(Qt::ISODate)},
                             {QStringLiteral("conference_url"), view.conferenceUrl},
                             {QStringLiteral("timeline"), entries}};
      text = QJsonDocument(root).toJson(QJsonDocument::Indented);
    }
    else
    {
      // A spreadsheet opens it as the operator reads it: a UTF-8 byte-order mark (Excel on a
      // Chinese desktop guesses GBK without it), a heading line, then one line an entry.
      QString csv = QString(QChar(0xFEFF)) + tr("Emergency") + QLatin1Char(',') + csvField(view.incident) + QLatin1Char(',')
                    + csvField(view.typeName) + QLatin1Char(',') + csvField(view.title) + QStringLiteral("\r\n");
      csv += QStringList{tr("Time"), tr("Entry"), tr("Who"), tr("What")}.join(QLatin1Char(',')) + QStringLiteral("\r\n");
      for (const EmergencyEvent &event : events)
        csv += QStringList{event.at.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), csvField(emergencyEventTitle(event.kind)),
                           csvField(event.actor), csvField(event.message)}
                 .join(QLatin1Char(','))
               + QStringLiteral("\r\n");
      text = csv.toUtf8();
    }
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(text) < 0 || !out.commit())
      throw std::runtime_error(str(QCoreApplication::translate("gd::console::CommandService", "Cannot write %1: %2").arg(file, out.errorString())));
    r.message = QCoreApplication::translate("gd::console::CommandService", "Timeline written to %1.").arg(file);
  });
}

std::vector<std::pair<QString, QString>> CommandService::incidentTypes() const
{
  std::vector<std::pair<QString, QString>> out;
  for (const core::IncidentType &type : d->settings.incidentTypes.types())
    out.emplace_back(utf8(type.code), utf8(chineseUi() ? type.nameZh : type.nameEn));
  return out;
}

std::vector<std::pair<QString, QString>> CommandService::departments() const
{
  std::vector<std::pair<QString, QString>> out;
  for (const core::Department &department : d->config->departments.departments())
    out.emplace_back(utf8(department.code), departmentTitle(d->config->departments, department.code));
  return out;
}

bool CommandService::conferenceEnabled() const
{
  return d->settings.conference.enabled();
}

QString siteKindTitle(const QString &kind)
{
  static const std::map<QString, const char *> titles{
    {QStringLiteral("camera"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Video camera")},
    {QStringLiteral("alarm_pillar"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Alarm pillar")},
    {QStringLiteral("hazchem_firm"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Hazardous-chemical firm")},
    {QStringLiteral("gas_company"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Gas company")},
    {QStringLiteral("petrol_station"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Petrol station")},
    {QStringLiteral("police_post"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Police post")},
    {QStringLiteral("governance_center"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Governance center")},
  };
  const auto it = titles.find(kind);
  return it == titles.end() ? kind : QCoreApplication::translate("gd::console::CommandService", it->second);
}

QString emergencyEventTitle(const QString &kind)
{
  static const std::map<QString, const char *> titles{
    {QStringLiteral("declared"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Declared")},
    {QStringLiteral("dispatched"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Dispatched")},
    {QStringLiteral("alert"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Alert")},
    {QStringLiteral("ack"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Acknowledged")},
    {QStringLiteral("conference"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Conference")},
    {QStringLiteral("note"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Note")},
    {QStringLiteral("closed"), QT_TRANSLATE_NOOP("gd::console::CommandService", "Closed")},
  };
  const auto it = titles.find(kind);
  return it == titles.end() ? kind : QCoreApplication::translate("gd::console::CommandService", it->second);
}

QString distanceText(double metres)
{
  if (metres < 1000)
    return QCoreApplication::translate("gd::console::CommandService", "%1 m").arg(qRound(metres));
  return QCoreApplication::translate("gd::console::CommandService", "%1 km").arg(metres / 1000.0, 0, 'f', 1);
}

} // namespace gd::console
