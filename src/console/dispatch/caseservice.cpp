#include "console/dispatch/caseservice.h"

#include "console/session/storeaccess.h"

#include "console/dispatch/casequeuemodel.h"
#include "console/common/storetext.h"

#include "core/case.h"
#include "core/caseaccess.h"
#include "core/duplicatefinder.h"
#include "core/gridindex.h"
#include "core/gridtree.h"
#include "core/slaclock.h"
#include "store/accounts/accountstore.h"
#include "store/audit/auditlog.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/gridstore.h"
#include "store/feed/orderstore.h"
#include "store/grids/poistore.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/supervision/supervisionstore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTimeZone>
#include <QRegularExpression>

#include <algorithm>
#include <unistd.h>
#include <cstdio>
#include <chrono>
#include <map>
#include <unordered_map>

namespace gd::console {

namespace {

//! \a value as JSON text: a choice the workflow does not know is handed on as given
//! (CaseDetails::verbatim), so the workflow refuses it as it refuses any bad value.
std::string jsonText(const QString &value)
{
  const QByteArray list = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
  return list.mid(1, list.size() - 2).toStdString();
}

//! The details of an operator's step, from the action dialog's fields (ActionDialog::request()).
core::CaseDetails requestDetails(const QVariantMap &data)
{
  core::CaseDetails d;
  const auto text = [&data](const char *key) -> std::optional<std::string> {
    const auto it = data.find(QLatin1String(key));
    if (it == data.end())
      return std::nullopt;
    return it->toString().toStdString();
  };
  d.lead = text("lead");
  if (const auto it = data.find(QStringLiteral("assisting")); it != data.end())
  {
    std::vector<std::string> codes;
    for (const QString &code : it->toStringList())
      codes.push_back(code.toStdString());
    d.assisting = std::move(codes);
  }
  d.worker = text("worker");
  d.approver = text("approver");
  if (const auto it = data.find(QStringLiteral("amount")); it != data.end())
    d.amount = it->toDouble();
  // The dialog's choices are the names these parse; anything else is kept as given.
  const auto choice = [&](const char *key, auto &field, auto parse) {
    if (const auto value = text(key))
      if (!(field = parse(*value)))
        d.verbatim[key] = jsonText(QString::fromStdString(*value));
  };
  choice("unit", d.unit, core::parseLimitUnit);
  d.into = text("into");
  d.result = text("result");
  choice("mediation", d.mediation, core::parseMediation);
  choice("satisfaction", d.satisfaction, core::parseSatisfaction);
  choice("to", d.reworkTo, core::parseCaseState);
  return d;
}

//! The refusal in the operator's words: core's reasons are English sentences for logs and
//! terminals; the console says the same in the UI language.
//! A seat's refusal of a case outside its scope (issue 17), naming the scope (东北街道, 城管执法局 …).
QString outOfScopeText(const QString &scope)
{
  return QCoreApplication::translate("gd::console::CaseService", "the case is outside this seat's scope (%1)").arg(scope);
}

QString refusalText(const std::string &code, const std::string &reason, const QString &action, const core::Case *c,
                    const QString &scope = {})
{
  if (code == "out_of_scope")
    return outOfScopeText(scope);
  if (code == "unknown_case")
    return QCoreApplication::translate("gd::console::CaseService", "there is no such case");
  if (code == "bad_transition" && c)
  {
    if (core::isTerminalState(c->state()))
      return QCoreApplication::translate("gd::console::CaseService", "the case is %1 and final: no further step is possible").arg(CaseQueueModel::stateTitle(latin1(core::caseStateName(c->state()))));
    if (c->state() == core::CaseState::Parked)
      return QCoreApplication::translate("gd::console::CaseService", "the case is parked; resume it first");
    if (action == QLatin1String("archive") && c->satisfaction() == "unsatisfied")
      return QCoreApplication::translate("gd::console::CaseService", "the follow-up visit was unsatisfied; send it back for rework first");
    if (action == QLatin1String("urge"))
      return QCoreApplication::translate("gd::console::CaseService", "only a case assigned or in handling can be urged; it is %1: dispatch it first")
        .arg(CaseQueueModel::stateTitle(latin1(core::caseStateName(c->state()))));
    if (action == QLatin1String("rework"))
      return QCoreApplication::translate("gd::console::CaseService", "only handled cases, or visited cases with an unsatisfied visit, can be sent back for rework");
    return QCoreApplication::translate("gd::console::CaseService", "\"%1\" is not possible while the case is %2")
      .arg(actionTitle(action), CaseQueueModel::stateTitle(latin1(core::caseStateName(c->state()))));
  }
  if (code == "top_level")
    return QCoreApplication::translate("gd::console::CaseService", "the case is already at district level; ask for supervision (督办) instead");
  if (code == "unknown_department")
    return QCoreApplication::translate("gd::console::CaseService", "unknown department (%1)").arg(utf8(reason));
  if (code == "missing_data" || code == "bad_value")
    return QCoreApplication::translate("gd::console::CaseService", "incomplete or invalid input: %1").arg(utf8(reason));
  return utf8(reason);
}

} // namespace

struct CaseService::Private
{
  QString operatorName;
  std::unique_ptr<store::ConfigDirectory> config;
  std::unique_ptr<core::Workflow> workflow;
  std::unique_ptr<core::SlaClock> clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::CaseStore> cases;
  QString scopeName; //!< the seat's scope as the operator reads it; empty: the whole district
  core::GridTree grids;
  std::unique_ptr<core::GridIndex> index;
  std::unordered_map<std::string, core::GridPerson> workers;
  std::unordered_map<std::string, std::string> deviceWorkers; //!< terminal → worker, as looked up
  std::string districtCode = "000000";
  std::unique_ptr<store::audit::SeatAudit> seatAudit; //!< this seat's audit trail, made with the connection
  OperatorRights rights; //!< the seat's roles and permission matrix (issue 17)

  //! Why this seat may not do \a step, which needs \a needed, in words; "" when it may.
  QString forbidden(core::Action needed, const QString &step) const
  {
    if (rights.may(needed))
      return {};
    QStringList roles;
    for (const core::Role role : rights.roles)
      roles << utf8(std::string(core::roleNameZh(role)));
    return QCoreApplication::translate("gd::console::CaseService", "your role (%1) may not do \"%2\": it needs the permission %3")
      .arg(roles.isEmpty() ? QCoreApplication::translate("gd::console::CaseService", "none") : roles.join(QStringLiteral("、")),
           step, latin1(core::actionId(needed)));
  }

  //! Reporters' names and phones are masked for a seat without personal.view (个人信息保护):
  //! here, so the names never reach a seat that may not read them.
  bool masked() const { return !rights.may(core::Action::PersonalView); }
  QString personName(const std::string &name) const { return utf8(masked() ? core::maskName(name) : name); }
  QString personPhone(const std::string &phone) const { return utf8(masked() ? core::maskPhone(phone) : phone); }

  /**
   * One case action of this seat into the audit trail (§8.1.4 安全审计: every case action, who,
   * when, which seat, what, outcome). A step done is recorded inside its transaction (it commits
   * or rolls back with the step); a refused or failed one after, in a transaction of its own.
   */
  void audit(const std::string &action, const std::string &number, const std::string &detail,
             store::audit::Outcome outcome = store::audit::Outcome::Ok, const std::string &reason = {})
  {
    auditAs("case_" + action, number, detail, outcome, reason);
  }

  //! audit() under an action of the audit's own vocabulary ("unmask" …).
  void auditAs(const std::string &action, const std::string &number, const std::string &detail,
               store::audit::Outcome outcome = store::audit::Outcome::Ok, const std::string &reason = {})
  {
    seatAudit->record(action, number, detail, outcome, reason);
  }

  //! audit() of a step that did not happen, never throwing (the operator hears of the refusal anyway).
  void auditRefusal(const std::string &action, const std::string &number, const std::string &reason,
                    store::audit::Outcome outcome = store::audit::Outcome::Refused) noexcept
  {
    seatAudit->recordQuietly("case_" + action, number, reason, outcome);
  }

  QString categoryName(const std::string &code) const
  {
    const core::Category *category = config->catalog.find(code);
    return category ? utf8(chineseUi() ? category->nameZh : category->nameEn) : utf8(code);
  }

  QString familyName(const std::string &code) const
  {
    const core::CategoryFamily *family = config->catalog.family(code);
    return family ? utf8(chineseUi() ? family->nameZh : family->nameEn) : utf8(code);
  }

  QString departmentName(const std::string &code) const
  {
    return departmentTitle(config->departments, code);
  }

  QString workerName(const std::string &id) const
  {
    const auto it = workers.find(id);
    return it == workers.end() ? utf8(id) : utf8(it->second.name);
  }

  std::unique_ptr<store::AccountNames> accountNames; //!< made with the connection

  //! Who did a step, in words (a worker or a terminal as the person's name and role, an account by its name).
  QString actorText(const std::string &actor)
  {
    // Names, not ids (issue 17): on a store with accounts a seat's steps carry the account id.
    if (!accountNames)
      accountNames = std::make_unique<store::AccountNames>(*db);
    if (const std::string name = accountNames->nameOf(actor); !name.empty())
      return utf8(name);
    return actorTitle(
      actor,
      [this](const std::string &id) {
        const auto it = workers.find(id);
        return it == workers.end() ? std::string() : it->second.name;
      },
      [this](const std::string &device) {
        if (const auto it = deviceWorkers.find(device); it != deviceWorkers.end())
          return it->second;
        try
        {
          const auto info = store::DeviceRegistry(*db).find(device);
          return deviceWorkers.emplace(device, info ? info->workerId : std::string()).first->second;
        }
        catch (const std::exception &)
        {
          return std::string(); // the terminal's id is shown instead
        }
      });
  }

  QString gridName(const std::string &code) const
  {
    const auto parsed = core::GridCode::parse(code);
    const core::GridNode *node = parsed ? grids.find(*parsed) : nullptr;
    return node ? utf8(node->name) : utf8(code);
  }

  //! What an event's data means, in words.
  QString detailsOf(const core::CaseEvent &event) const
  {
    const core::CaseDetails &data = event.details;
    auto text = [](const std::optional<std::string> &value) { return value.value_or(std::string()); };
    QStringList parts;
    switch (event.action)
    {
      case core::CaseAction::Report:
        if (!text(data.category).empty())
          parts << QCoreApplication::translate("gd::console::CaseService", "category %1").arg(categoryName(text(data.category)));
        if (!text(data.source).empty())
          parts << CaseQueueModel::sourceTitle(utf8(text(data.source)));
        if (data.reporter)
          parts << QCoreApplication::translate("gd::console::CaseService", "reporter %1 %2").arg(personName(data.reporter->name), personPhone(data.reporter->phone));
        break;
      case core::CaseAction::Assign:
      {
        parts << QCoreApplication::translate("gd::console::CaseService", "lead %1").arg(departmentName(text(data.lead)));
        if (data.assisting && !data.assisting->empty())
        {
          QStringList names;
          for (const std::string &code : *data.assisting)
            names << departmentName(code);
          parts << QCoreApplication::translate("gd::console::CaseService", "assisting %1").arg(names.join(QStringLiteral("、")));
        }
        if (!text(data.worker).empty())
          parts << QCoreApplication::translate("gd::console::CaseService", "grid worker %1").arg(workerName(text(data.worker)));
        break;
      }
      case core::CaseAction::Escalate:
        parts << QCoreApplication::translate("gd::console::CaseService", "from %1 to %2").arg(gridName(text(data.fromGrid)), gridName(text(data.toGrid)));
        break;
      case core::CaseAction::Extend:
      {
        const QString unit = data.unit == core::LimitUnit::WorkingDays ? QCoreApplication::translate("gd::console::CaseService", "working days") : data.unit == core::LimitUnit::WorkingHours ? QCoreApplication::translate("gd::console::CaseService", "working hours") : QCoreApplication::translate("gd::console::CaseService", "hours");
        parts << QCoreApplication::translate("gd::console::CaseService", "by %1 %2, approved by %3").arg(QString::number(data.amount.value_or(0.0)), unit, utf8(text(data.approver)));
        break;
      }
      case core::CaseAction::Visit:
        parts << satisfactionTitle(data.satisfaction ? latin1(core::satisfactionName(*data.satisfaction)) : QString());
        break;
      case core::CaseAction::Feedback:
        if (!text(data.result).empty())
          parts << utf8(text(data.result));
        if (data.mediation == core::Mediation::Success)
          parts << QCoreApplication::translate("gd::console::CaseService", "mediation succeeded");
        else if (data.mediation == core::Mediation::Failed)
          parts << QCoreApplication::translate("gd::console::CaseService", "mediation failed");
        break;
      case core::CaseAction::Return:
        if (!text(data.previousLead).empty())
          parts << QCoreApplication::translate("gd::console::CaseService", "returned by %1").arg(departmentName(text(data.previousLead)));
        break;
      case core::CaseAction::Merge:
        if (!text(data.into).empty())
          parts << QCoreApplication::translate("gd::console::CaseService", "merged into %1").arg(utf8(text(data.into)));
        if (!text(data.absorbed).empty())
          parts << QCoreApplication::translate("gd::console::CaseService", "absorbed %1").arg(utf8(text(data.absorbed)));
        break;
      default:
        break;
    }
    return parts.join(QStringLiteral("; "));
  }

  //! The `assign` / `urge` orders for the worker of \a c's terminals. Inside the open transaction.
  int sendOrders(const core::Case &c, store::OrderKind kind, const QString &message, core::TimePoint now)
  {
    if (c.assignedWorker().empty())
      return 0;
    store::DeviceRegistry devices(*db);
    store::OrderStore orders(*db);
    std::optional<core::TimePoint> deadline;
    if (clock)
      if (const auto running = clock->current(c, now))
        deadline = running->deadline;
    int sent = 0;
    for (const std::string &device : devices.devicesOfWorker(c.assignedWorker()))
    {
      orders.create(device, kind, c.number(), str(message), deadline, now);
      ++sent;
    }
    return sent;
  }

  /**
   * A notice (派遣通知) to the lead and each assisting department of \a c, shown on the case
   * until someone there acknowledges it. Inside the open transaction. Returns how many.
   */
  int notifyDepartments(const core::Case &c, const QString &message, core::TimePoint now)
  {
    std::optional<core::TimePoint> deadline;
    if (clock)
      if (const auto running = clock->current(c, now))
        deadline = running->deadline;
    std::vector<std::string> departments;
    if (!c.leadDepartment().empty())
      departments.push_back(c.leadDepartment());
    for (const std::string &code : c.assistingDepartments())
      if (std::find(departments.begin(), departments.end(), code) == departments.end())
        departments.push_back(code);
    store::DepartmentNotices notices(*db);
    for (const std::string &department : departments)
    {
      store::DepartmentNotice notice;
      notice.department = department;
      notice.kind = store::NoticeKind::Assign;
      notice.caseNumber = c.number();
      notice.message = str(message);
      notice.deadline = deadline;
      notices.create(notice, now);
    }
    return static_cast<int>(departments.size());
  }

  WorkerReachView reachOf(const std::string &worker, core::TimePoint now)
  {
    const store::TerminalReach reach = store::OrderStore(*db).reach(worker);
    return {utf8(worker), reach.terminals, reach.online(now), toDateTime(reach.lastFix)};
  }

  //! Why an assignment to \a worker reaches no terminal, or "" when an order went out.
  QString unreachedWarning(const std::string &worker, int ordersSent)
  {
    if (worker.empty() || ordersSent > 0)
      return {};
    const auto it = workers.find(worker);
    const QString phone = it == workers.end() ? QString() : utf8(it->second.phone);
    return phone.isEmpty()
             ? QCoreApplication::translate("gd::console::CaseService", "no order was sent: grid worker %1 carries no terminal; tell them another way").arg(workerName(worker))
             : QCoreApplication::translate("gd::console::CaseService", "no order was sent: grid worker %1 carries no terminal; phone them on %2").arg(workerName(worker), phone);
  }

  QString orderMessage(const core::Case &c, store::OrderKind kind) const
  {
    const QString what = c.title().empty() ? categoryName(c.categoryCode()) : utf8(c.title());
    const QString where = utf8(c.address());
    if (kind == store::OrderKind::Urge)
      return QCoreApplication::translate("gd::console::CaseService", "Urged: case %1 %2 %3").arg(utf8(c.number()), what, where).trimmed();
    return QCoreApplication::translate("gd::console::CaseService", "New assignment: case %1 %2 %3").arg(utf8(c.number()), what, where).trimmed();
  }

  core::CaseCommand command(core::CaseAction action, core::TimePoint at, const QString &note = {},
                            core::CaseDetails details = {}) const
  {
    core::CaseCommand cmd;
    cmd.action = action;
    cmd.actor = str(operatorName);
    cmd.at = at;
    cmd.note = str(note);
    cmd.details = std::move(details);
    return cmd;
  }

  core::CaseDetails reportData(const IntakeForm &form, std::string *grid) const
  {
    core::CaseDetails data;
    data.category = str(form.category);
    data.source = str(form.source.isEmpty() ? QStringLiteral("hotline") : form.source);
    data.title = str(form.title.trimmed());
    data.description = str(form.description.trimmed());
    data.address = str(form.address.trimmed());
    if (!form.priority.isEmpty() && !(data.priority = core::parsePriority(str(form.priority))))
      data.verbatim["priority"] = jsonText(form.priority);
    data.reporter = core::Reporter{str(form.caller.trimmed()), str(form.phone.trimmed()), {}};
    if (form.lon && form.lat)
    {
      data.lon = *form.lon;
      data.lat = *form.lat;
      const core::GridNode *node = index->lookup({*form.lon, *form.lat});
      *grid = node ? node->code.str() : std::string();
    }
    data.grid = *grid;
    return data;
  }

  //! Checks what the workflow cannot: the form itself. Empty when fine.
  QString validate(const IntakeForm &form) const
  {
    if (!config->catalog.find(str(form.category)))
      return form.category.isEmpty() ? QCoreApplication::translate("gd::console::CaseService", "choose a category") : QCoreApplication::translate("gd::console::CaseService", "unknown category %1").arg(form.category);
    if (form.title.trimmed().isEmpty() && form.description.trimmed().isEmpty())
      return QCoreApplication::translate("gd::console::CaseService", "describe the problem (title or description)");
    if (!form.lon || !form.lat)
      return QCoreApplication::translate("gd::console::CaseService", "give the location: pick it on the map or find it by address or grid");
    if (form.phone.trimmed().size() > 0 && !QRegularExpression(QStringLiteral("^[0-9+\\- ]{3,20}$")).match(form.phone.trimmed()).hasMatch())
      return QCoreApplication::translate("gd::console::CaseService", "the phone number \"%1\" is not a phone number").arg(form.phone);
    return QString();
  }

  std::vector<DuplicateSuggestion> rank(const core::CaseSummary &fresh, const std::string &exclude)
  {
    const core::Category *category = config->catalog.find(fresh.categoryCode);
    if (!category)
      return {};
    store::CaseFilter filter;
    filter.category = category->familyCode;
    filter.reportedFrom = fresh.reportedAt - std::chrono::hours(std::max(1, category->duplicateWindowHours));
    filter.limit = 5000;
    std::vector<core::CaseSummary> existing;
    std::map<std::string, store::CaseRecord> records;
    for (store::CaseRecord &record : cases->query(filter))
    {
      if (record.number == exclude || record.state == core::CaseState::Merged || record.state == core::CaseState::Voided)
        continue;
      existing.push_back({record.number, record.category, record.point, record.reportedAt, record.title + " " + record.description});
      records.emplace(record.number, std::move(record));
    }
    core::DuplicateFinder finder(config->catalog);
    std::vector<DuplicateSuggestion> out;
    for (const core::DuplicateCandidate &candidate : finder.candidates(fresh, existing))
    {
      const store::CaseRecord &record = records.at(candidate.number);
      out.push_back({utf8(record.number), utf8(record.title.empty() ? record.description : record.title),
                     latin1(core::caseStateName(record.state)), utf8(record.address), candidate.distanceM,
                     candidate.hoursApart, candidate.textSimilarity, candidate.score});
      if (out.size() == 10)
        break;
    }
    return out;
  }
};

CaseService::CaseService(const QString &path, const QString &operatorName, OperatorRights rights)
  : d(std::make_unique<Private>())
{
  d->rights = std::move(rights);
  d->operatorName = operatorName.isEmpty() ? QStringLiteral("operator") : operatorName;
  d->config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  d->workflow = std::make_unique<core::Workflow>(&d->config->departments);
  d->clock = std::make_unique<core::SlaClock>(d->config->catalog, d->config->calendar);
  d->db = store::Schema::open(storeLocation(path));
  d->cases = std::make_unique<store::CaseStore>(*d->db, *d->workflow, d->clock.get());
  d->seatAudit = std::make_unique<store::audit::SeatAudit>(*d->db, str(d->operatorName));
  d->grids = store::GridStore(*d->db).load();
  d->index = std::make_unique<core::GridIndex>(d->grids);
  for (int level = 0; level <= 4; ++level)
    for (const core::GridNode *node : d->grids.nodesAt(static_cast<core::GridLevel>(level)))
    {
      if (level == 0)
        d->districtCode = node->code.str().substr(0, 6);
      for (const core::GridPerson &person : node->workers)
        d->workers.emplace(person.id, person);
    }
}

CaseService::~CaseService() = default;

void CaseService::setScope(const store::CaseScope &scope)
{
  d->cases->setScope(scope);
  QStringList parts;
  if (!scope.grid.empty())
  {
    const core::GridNode *node = d->grids.find(scope.grid);
    parts << (node ? utf8(node->name) : utf8(scope.grid));
  }
  if (!scope.department.empty())
    parts << d->departmentName(scope.department);
  d->scopeName = parts.join(QStringLiteral("，"));
}

const store::CaseScope &CaseService::scope() const
{
  return d->cases->scope();
}

QString CaseService::operatorName() const
{
  return d->operatorName;
}

std::optional<CaseDetail> CaseService::detail(const QString &number)
{
  if (!d->rights.may(core::Action::CaseView))
    return std::nullopt; // an administrator's seat reads no case (三员分立)
  const auto loaded = d->cases->load(str(number));
  const auto record = d->cases->find(str(number));
  if (!loaded || !record)
    return std::nullopt;
  const core::Case &c = *loaded;
  const core::TimePoint now = nowSeconds();
  CaseDetail detail;
  detail.number = number;
  detail.category = utf8(c.categoryCode());
  detail.categoryName = d->categoryName(c.categoryCode());
  if (const core::Category *category = d->config->catalog.find(c.categoryCode()))
    if (const core::CategoryFamily *family = d->config->catalog.family(category->familyCode))
      detail.familyName = utf8(chineseUi() ? family->nameZh : family->nameEn);
  detail.state = latin1(core::caseStateName(c.state()));
  detail.priority = latin1(core::priorityName(c.priority()));
  detail.source = utf8(c.source());
  detail.title = utf8(c.title());
  detail.description = utf8(c.description());
  detail.address = utf8(c.address());
  detail.lon = c.location().lon;
  detail.lat = c.location().lat;
  detail.grid = utf8(c.reportedGrid());
  detail.gridPath = gridPath(detail.grid);
  detail.responsibleGrid = utf8(c.responsibleGrid());
  detail.leadDepartment = utf8(c.leadDepartment());
  detail.leadDepartmentName = c.leadDepartment().empty() ? QString() : d->departmentName(c.leadDepartment());
  for (const std::string &code : c.assistingDepartments())
    detail.assistingNames << d->departmentName(code);
  detail.workerId = utf8(c.assignedWorker());
  detail.workerName = c.assignedWorker().empty() ? QString() : d->workerName(c.assignedWorker());
  detail.reportedAt = toDateTime(c.reportedAt());
  detail.stage = utf8(record->stage);
  detail.warnAt = toDateTime(record->warnAt);
  detail.deadline = toDateTime(record->deadline);
  detail.light = latin1(core::trafficLightName(record->light(now)));
  detail.supervised = c.isSupervised();
  detail.urgeCount = c.urgeCount();
  detail.reworkCount = c.reworkCount();
  detail.satisfaction = utf8(c.satisfaction());
  detail.mergedInto = utf8(c.mergedInto());
  for (const core::Reporter &reporter : c.reporters())
    detail.reporters.push_back({d->personName(reporter.name), d->personPhone(reporter.phone), utf8(reporter.caseNumber)});
  detail.reportersMasked = d->masked();
  detail.mayUnmask = detail.reportersMasked && d->rights.may(core::Action::PersonalUnmask);
  for (const core::CaseEvent &event : c.events())
    detail.timeline.push_back({toDateTime(event.at), d->actorText(event.actor), latin1(core::caseActionName(event.action)),
                               latin1(core::caseStateName(event.from)), latin1(core::caseStateName(event.to)),
                               utf8(event.note), d->detailsOf(event)});
  for (const core::CaseAction action : d->workflow->allowedActions(c))
  {
    if (d->rights.may(core::permissionFor(action)))
      detail.allowedActions << latin1(core::caseActionName(action));
    // Dispatch registers and accepts on the way: the dispatcher's (case.assign), whoever registers.
    if ((action == core::CaseAction::Register || action == core::CaseAction::Accept || action == core::CaseAction::Assign) &&
        d->rights.may(core::Action::CaseAssign) && !detail.allowedActions.contains(QStringLiteral("dispatch")))
      detail.allowedActions << QStringLiteral("dispatch");
  }
  // What the panel's disabled buttons say when pointed at: the reasons a refused step gives.
  for (const char *name : {"register", "accept", "assign", "start_handling", "arrive", "feedback", "close", "visit", "archive",
                           "return", "escalate", "extend", "park", "resume", "merge", "rework", "supervise", "urge", "note", "void"})
    if (const QString action = QString::fromLatin1(name); !detail.allowedActions.contains(action))
    {
      const QString forbidden = d->forbidden(core::permissionFor(*core::parseCaseAction(name)), actionTitle(action));
      detail.refusals.insert(action, forbidden.isEmpty() ? refusalText("bad_transition", std::string(), action, &c) : forbidden);
    }
  // Dispatch is register, accept and assign at once: refused when assigning is (and nothing before it is left).
  if (detail.refusals.contains(QStringLiteral("register")) && detail.refusals.contains(QStringLiteral("accept")) &&
      detail.refusals.contains(QStringLiteral("assign")) && !detail.allowedActions.contains(QStringLiteral("dispatch")))
    detail.refusals.insert(QStringLiteral("dispatch"), detail.refusals.value(QStringLiteral("assign")));
  std::map<std::string, WorkerReachView> reach;
  auto reachOf = [&](const std::string &worker) -> const WorkerReachView & {
    auto it = reach.find(worker);
    if (it == reach.end())
      it = reach.emplace(worker, d->reachOf(worker, now)).first;
    return it->second;
  };
  for (const store::Order &order : store::OrderStore(*d->db).forCase(str(number)))
    detail.orders.push_back({order.id, latin1(store::orderKindName(order.kind)), utf8(order.deviceId), utf8(order.workerId),
                             d->workerName(order.workerId), toDateTime(order.createdAt), toDateTime(order.ackedAt),
                             reachOf(order.workerId).online});
  for (const store::DepartmentNotice &notice : store::DepartmentNotices(*d->db).forCase(str(number)))
    detail.notices.push_back({notice.id, latin1(store::noticeKindName(notice.kind)), utf8(notice.department),
                              d->departmentName(notice.department), toDateTime(notice.createdAt),
                              utf8(notice.acknowledgedBy), toDateTime(notice.acknowledgedAt)});
  if (!c.assignedWorker().empty())
    detail.workerReach = reachOf(c.assignedWorker());
  return detail;
}

ActionOutcome CaseService::revealReporters(const QString &number, const QString &reason, std::vector<ReporterView> *reporters)
{
  ActionOutcome outcome;
  outcome.number = number;
  const QString why = d->forbidden(core::Action::PersonalUnmask, QCoreApplication::translate("gd::console::CaseService", "Show the reporters"));
  if (!why.isEmpty() || !d->rights.may(core::Action::CaseView))
  {
    outcome.message = why.isEmpty() ? d->forbidden(core::Action::CaseView, QCoreApplication::translate("gd::console::CaseService", "Show the reporters")) : why;
    try
    {
      d->auditAs("unmask", str(number), str(reason.trimmed()), store::audit::Outcome::Refused, "forbidden");
    }
    catch (const std::exception &e)
    {
      std::fprintf(stderr, "griddispatch: the audit trail could not record a refused unmask of %s: %s\n", str(number).c_str(), e.what());
    }
    return outcome;
  }
  if (reason.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "say why you need the reporters' names and phone numbers");
    return outcome;
  }
  try
  {
    const auto c = d->cases->load(str(number));
    if (!c)
    {
      outcome.message = QCoreApplication::translate("gd::console::CaseService", "there is no such case");
      return outcome;
    }
    // Recorded before anything is shown: no name leaves without its audit row.
    d->auditAs("unmask", str(number), str(reason.trimmed()));
    reporters->clear();
    for (const core::Reporter &reporter : c->reporters())
      reporters->push_back({utf8(reporter.name), utf8(reporter.phone), utf8(reporter.caseNumber)});
    outcome.ok = true;
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the reporters of case %1 are shown; the audit trail records it").arg(number);
  }
  catch (const std::exception &e)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
  }
  return outcome;
}

std::vector<WorkerReachView> CaseService::reach(const QStringList &workers)
{
  const core::TimePoint now = nowSeconds();
  std::vector<WorkerReachView> out;
  for (const QString &worker : workers)
    out.push_back(d->reachOf(str(worker), now));
  return out;
}

ActionOutcome CaseService::acknowledgeNotice(qint64 id, const QString &who)
{
  ActionOutcome outcome;
  // The dispatcher enters it on the department's behalf, or the department's own seat does.
  if (!d->rights.may(core::Action::CaseAssign) && !d->rights.may(core::Action::CaseHandle))
  {
    outcome.message = d->forbidden(core::Action::CaseAssign, QCoreApplication::translate("gd::console::CaseService", "Department acknowledgement"));
    d->auditRefusal("notice_acknowledge", std::to_string(id), "forbidden");
    return outcome;
  }
  if (who.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "say who at the department acknowledged it");
    return outcome;
  }
  try
  {
    store::Transaction transaction(*d->db);
    store::DepartmentNotices notices(*d->db);
    const auto notice = notices.find(id);
    if (!notice)
    {
      outcome.message = QCoreApplication::translate("gd::console::CaseService", "there is no such notice");
      return outcome;
    }
    outcome.number = utf8(notice->caseNumber);
    // Entered by the operator on the department's behalf (a phone call back, for now): the
    // record names the person at the department who acknowledged it.
    notices.acknowledge(id, str(who.trimmed()), nowSeconds());
    d->audit("notice_acknowledge", notice->caseNumber, "notice " + std::to_string(id) + " by " + str(who.trimmed()));
    transaction.commit();
    outcome.ok = true;
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "%1 acknowledged the notice on case %2")
                        .arg(d->departmentName(notice->department), outcome.number);
  }
  catch (const std::exception &e)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
  }
  return outcome;
}

ActionOutcome CaseService::perform(const QString &number, const ActionRequest &request)
{
  ActionOutcome outcome;
  outcome.number = number;
  const auto action = core::parseCaseAction(str(request.action));
  if (!action || *action == core::CaseAction::Report)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "unknown step \"%1\"").arg(request.action);
    return outcome;
  }
  if (const QString why = d->forbidden(core::permissionFor(*action), actionTitle(request.action)); !why.isEmpty())
  {
    outcome.message = why;
    d->auditRefusal(str(request.action), str(number), "forbidden");
    return outcome;
  }
  const core::TimePoint now = nowSeconds();
  std::optional<core::Case> before = d->cases->load(str(number));
  // Every step, the supervision store's urge included, stays inside the seat's scope.
  if (!before && d->cases->outsideScope(str(number)))
  {
    outcome.message = outOfScopeText(d->scopeName);
    d->auditRefusal(str(request.action), str(number), "out_of_scope");
    return outcome;
  }
  try
  {
    store::Transaction transaction(*d->db);
    if (*action == core::CaseAction::Merge)
    {
      const QString target = request.data.value(QStringLiteral("into")).toString();
      if (target.isEmpty() || target == number)
      {
        outcome.message = QCoreApplication::translate("gd::console::CaseService", "choose another case to merge into");
        return outcome;
      }
      // A case closed for good takes no further report: say so of the target, which is what
      // is wrong (the workflow's refusal would name this case's state).
      if (const auto into = d->cases->load(str(target)); into && core::isTerminalState(into->state()))
      {
        outcome.message = QCoreApplication::translate("gd::console::CaseService", "case %1 is %2 and final: it takes no further reports. Merge into an open case, or keep this one on its own")
                            .arg(target, CaseQueueModel::stateTitle(latin1(core::caseStateName(into->state()))));
        return outcome;
      }
      d->cases->merge(str(number), str(target), d->command(*action, now, request.note, requestDetails(request.data)));
      outcome.message = QCoreApplication::translate("gd::console::CaseService", "%1 merged into %2").arg(number, target);
    }
    else if (*action == core::CaseAction::Urge || *action == core::CaseAction::Supervise)
    {
      // 催办/督办 from the case: the same record, orders and department notice as from the
      // supervision wall, so 督办记录 and `griddispatch-ctl supervise history` show it.
      store::UrgeRequest urge;
      urge.numbers = {str(number)};
      urge.kind = *action == core::CaseAction::Urge ? store::SupervisionKind::Urge : store::SupervisionKind::Supervise;
      urge.actor = str(d->operatorName);
      urge.opinion = str(request.note);
      if (const QDateTime deadline = request.data.value(QStringLiteral("deadline")).toDateTime(); deadline.isValid())
        urge.deadline = toTimePoint(deadline);
      urge.now = now;
      const store::UrgeOutcome done = store::SupervisionStore(*d->db, *d->workflow, d->clock.get()).urge(urge).front();
      if (!done.done)
        throw store::StoreRefusal(done.refusal, done.reason);
      outcome.ordersSent = static_cast<int>(done.orderIds.size());
      outcome.noticesSent = done.noticeId != 0 ? 1 : 0;
      outcome.message = QCoreApplication::translate("gd::console::CaseService", "%1: %2 done").arg(number, actionTitle(request.action));
    }
    else
    {
      d->cases->apply(str(number), d->command(*action, now, request.note, requestDetails(request.data)));
      const auto after = d->cases->load(str(number));
      if (after && *action == core::CaseAction::Assign)
      {
        const QString message = d->orderMessage(*after, store::OrderKind::Assign);
        outcome.ordersSent = d->sendOrders(*after, store::OrderKind::Assign, message, now);
        outcome.noticesSent = d->notifyDepartments(*after, message, now);
        outcome.warning = d->unreachedWarning(after->assignedWorker(), outcome.ordersSent);
      }
      outcome.message = QCoreApplication::translate("gd::console::CaseService", "%1: %2 done").arg(number, actionTitle(request.action));
    }
    d->audit(str(request.action), str(number), str(request.note));
    transaction.commit();
    outcome.ok = true;
  }
  catch (const core::WorkflowRefused &refused)
  {
    outcome.message = refusalText(refused.refusal().code, refused.refusal().reason, request.action, before ? &*before : nullptr, d->scopeName);
    d->auditRefusal(str(request.action), str(number), refused.refusal().code);
  }
  catch (const store::StoreRefusal &refused)
  {
    outcome.message = refusalText(refused.reason(), refused.what(), request.action, before ? &*before : nullptr, d->scopeName);
    d->auditRefusal(str(request.action), str(number), refused.reason());
  }
  catch (const std::exception &e)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
    d->auditRefusal(str(request.action), str(number), e.what(), store::audit::Outcome::Failed);
  }
  return outcome;
}

ActionOutcome CaseService::dispatch(const QString &number, const QString &lead, const QStringList &assisting,
                                    const QString &worker)
{
  ActionOutcome outcome;
  outcome.number = number;
  // Dispatch registers and accepts on the way: it is the dispatcher's (case.assign).
  if (const QString why = d->forbidden(core::Action::CaseAssign, QCoreApplication::translate("gd::console::CaseService", "Dispatch")); !why.isEmpty())
  {
    outcome.message = why;
    d->auditRefusal("assign", str(number), "forbidden");
    return outcome;
  }
  const core::TimePoint now = nowSeconds();
  std::optional<core::Case> c = d->cases->load(str(number));
  if (!c)
  {
    outcome.message = d->cases->outsideScope(str(number)) ? outOfScopeText(d->scopeName)
                                                          : QCoreApplication::translate("gd::console::CaseService", "there is no such case");
    return outcome;
  }
  const core::Case before = *c;
  QString step;
  try
  {
    store::Transaction transaction(*d->db);
    if (c->state() == core::CaseState::Reported)
    {
      step = QStringLiteral("register");
      d->cases->apply(str(number), d->command(core::CaseAction::Register, now));
      c = d->cases->load(str(number));
    }
    if (c->state() == core::CaseState::Registered)
    {
      step = QStringLiteral("accept");
      d->cases->apply(str(number), d->command(core::CaseAction::Accept, now));
      c = d->cases->load(str(number));
    }
    step = QStringLiteral("assign");
    core::CaseDetails data;
    data.lead = str(lead);
    if (!assisting.isEmpty())
    {
      data.assisting.emplace();
      for (const QString &code : assisting)
        data.assisting->push_back(str(code));
    }
    if (!worker.isEmpty())
      data.worker = str(worker);
    d->cases->apply(str(number), d->command(core::CaseAction::Assign, now, {}, data));
    c = d->cases->load(str(number));
    const QString message = d->orderMessage(*c, store::OrderKind::Assign);
    outcome.ordersSent = d->sendOrders(*c, store::OrderKind::Assign, message, now);
    outcome.noticesSent = d->notifyDepartments(*c, message, now);
    outcome.warning = d->unreachedWarning(c->assignedWorker(), outcome.ordersSent);
    d->audit("assign", str(number), "lead " + str(lead) + (worker.isEmpty() ? std::string() : ", worker " + str(worker)));
    transaction.commit();
    outcome.ok = true;
    outcome.message = worker.isEmpty() ? QCoreApplication::translate("gd::console::CaseService", "%1 assigned to %2").arg(number, d->departmentName(str(lead)))
                                       : QCoreApplication::translate("gd::console::CaseService", "%1 assigned to %2, grid worker %3").arg(number, d->departmentName(str(lead)), d->workerName(str(worker)));
  }
  catch (const core::WorkflowRefused &refused)
  {
    outcome.message = refusalText(refused.refusal().code, refused.refusal().reason, step, &before, d->scopeName);
    d->auditRefusal(str(step), str(number), refused.refusal().code);
  }
  catch (const store::StoreRefusal &refused)
  {
    outcome.message = refusalText(refused.reason(), refused.what(), step, &before, d->scopeName);
    d->auditRefusal(str(step), str(number), refused.reason());
  }
  catch (const std::exception &e)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
  }
  return outcome;
}

ActionOutcome CaseService::intake(const IntakeForm &form)
{
  ActionOutcome outcome;
  if (const QString why = d->forbidden(core::Action::CaseIntake, actionTitle(QStringLiteral("report"))); !why.isEmpty())
  {
    outcome.message = why;
    d->auditRefusal("report", {}, "forbidden");
    return outcome;
  }
  if (const QString problem = d->validate(form); !problem.isEmpty())
  {
    outcome.message = problem;
    return outcome;
  }
  const core::TimePoint at = toTimePoint(form.at);
  try
  {
    store::Transaction transaction(*d->db);
    std::string grid;
    core::CaseDetails data = d->reportData(form, &grid);
    const std::string number = d->cases->report(d->command(core::CaseAction::Report, at, {}, data), d->districtCode);
    // The operator took the call: the report is registered (登记) as it is taken.
    d->cases->apply(number, d->command(core::CaseAction::Register, at));
    d->audit("register", number, "intake: " + str(form.source));
    transaction.commit();
    outcome.ok = true;
    outcome.number = utf8(number);
    outcome.message = grid.empty() ? QCoreApplication::translate("gd::console::CaseService", "case %1 registered (outside every grid)").arg(outcome.number)
                                   : QCoreApplication::translate("gd::console::CaseService", "case %1 registered in %2").arg(outcome.number, gridPath(utf8(grid)));
  }
  catch (const core::WorkflowRefused &refused)
  {
    outcome.message = refusalText(refused.refusal().code, refused.refusal().reason, QStringLiteral("report"), nullptr, d->scopeName);
  }
  catch (const store::StoreRefusal &refused)
  {
    outcome.message = refused.reason() == "out_of_scope"
                        ? QCoreApplication::translate("gd::console::CaseService", "this place is outside this seat's scope (%1)").arg(d->scopeName)
                        : refusalText(refused.reason(), refused.what(), QStringLiteral("report"), nullptr, d->scopeName);
  }
  catch (const std::exception &e)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
  }
  return outcome;
}

ActionOutcome CaseService::attach(const IntakeForm &form, const QString &target)
{
  ActionOutcome outcome;
  outcome.number = target;
  if (const QString why = d->forbidden(core::Action::CaseIntake, actionTitle(QStringLiteral("report"))); !why.isEmpty())
  {
    outcome.message = why;
    d->auditRefusal("report", str(target), "forbidden");
    return outcome;
  }
  if (const QString problem = d->validate(form); !problem.isEmpty())
  {
    outcome.message = problem;
    return outcome;
  }
  const core::TimePoint at = toTimePoint(form.at);
  const auto targetCase = d->cases->load(str(target));
  try
  {
    store::Transaction transaction(*d->db);
    std::string grid;
    const std::string number = d->cases->report(d->command(core::CaseAction::Report, at, {}, d->reportData(form, &grid)), d->districtCode);
    d->cases->merge(number, str(target),
                    d->command(core::CaseAction::Merge, at, QCoreApplication::translate("gd::console::CaseService", "further report of the same problem (多头反映)"), core::CaseDetails{.into = str(target)}));
    d->audit("merge", number, "into " + str(target));
    transaction.commit();
    outcome.ok = true;
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the report was added to case %1 as %2").arg(target, utf8(number));
  }
  catch (const core::WorkflowRefused &refused)
  {
    outcome.message = refusalText(refused.refusal().code, refused.refusal().reason, QStringLiteral("merge"),
                                  targetCase ? &*targetCase : nullptr, d->scopeName);
  }
  catch (const store::StoreRefusal &refused)
  {
    outcome.message = refusalText(refused.reason(), refused.what(), QStringLiteral("merge"), targetCase ? &*targetCase : nullptr, d->scopeName);
  }
  catch (const std::exception &e)
  {
    outcome.message = QCoreApplication::translate("gd::console::CaseService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
  }
  return outcome;
}

std::vector<DuplicateSuggestion> CaseService::duplicates(const IntakeForm &form)
{
  if (form.category.isEmpty() || !form.lon || !form.lat)
    return {};
  core::CaseSummary fresh{"", str(form.category), {*form.lon, *form.lat}, toTimePoint(form.at),
                          str(form.title + QLatin1Char(' ') + form.description)};
  return d->rank(fresh, {});
}

std::vector<DuplicateSuggestion> CaseService::duplicatesOf(const QString &number)
{
  const auto record = d->cases->find(str(number));
  if (!record)
    return {};
  core::CaseSummary fresh{record->number, record->category, record->point, record->reportedAt,
                          record->title + " " + record->description};
  return d->rank(fresh, record->number);
}

RouteSuggestion CaseService::suggestLead(const QString &category, const QString &grid) const
{
  const core::RoutingSuggestion suggestion = d->config->routing.suggest(str(category), str(grid));
  return {utf8(suggestion.department), suggestion.department.empty() ? QString() : d->departmentName(suggestion.department),
          routingReasonText(suggestion, d->config->catalog, d->grids)};
}

RouteSuggestion CaseService::suggestLeadFor(const QString &number)
{
  const auto c = d->cases->load(str(number));
  if (!c)
    return {};
  RouteSuggestion suggestion = suggestLead(utf8(c->categoryCode()), utf8(c->responsibleGrid().empty() ? c->reportedGrid() : c->responsibleGrid()));
  // Who returned it (退回), and why: the lead of the assignment each return undid.
  std::vector<std::string> returned;
  QString lastReturn;
  std::string lead;
  for (const core::CaseEvent &event : c->events())
  {
    if (event.action == core::CaseAction::Assign)
      lead = event.details.lead.value_or(std::string());
    else if (event.action == core::CaseAction::Return && !lead.empty())
    {
      if (std::find(returned.begin(), returned.end(), lead) == returned.end())
        returned.push_back(lead);
      lastReturn = event.note.empty()
                     ? QCoreApplication::translate("gd::console::CaseService", "%1 returned it on %2").arg(d->departmentName(lead), toDateTime(event.at).toString(QStringLiteral("MM-dd HH:mm")))
                     : QCoreApplication::translate("gd::console::CaseService", "%1 returned it on %2: %3").arg(d->departmentName(lead), toDateTime(event.at).toString(QStringLiteral("MM-dd HH:mm")), utf8(event.note));
    }
    else if (event.action == core::CaseAction::Escalate)
      lead.clear();
  }
  const auto wasReturned = [&returned](const std::string &code) {
    return std::find(returned.begin(), returned.end(), code) != returned.end();
  };
  if (suggestion.department.isEmpty() || !wasReturned(str(suggestion.department)))
    return suggestion;
  // The departments that lead the family's other categories, in catalog order.
  const core::Category *category = d->config->catalog.find(c->categoryCode());
  for (const core::Category &other : d->config->catalog.categories())
    if (category && other.familyCode == category->familyCode && !wasReturned(other.leadDepartment) &&
        d->config->departments.find(other.leadDepartment))
    {
      suggestion.department = utf8(other.leadDepartment);
      suggestion.departmentName = d->departmentName(other.leadDepartment);
      suggestion.reason = QCoreApplication::translate("gd::console::CaseService", "%1; %2 handles other %3 cases")
                            .arg(lastReturn, suggestion.departmentName, d->familyName(category->familyCode));
      return suggestion;
    }
  suggestion.department.clear();
  suggestion.departmentName.clear();
  suggestion.reason = QCoreApplication::translate("gd::console::CaseService", "%1; every department that handles such cases has returned it: choose one").arg(lastReturn);
  return suggestion;
}

std::vector<Choice> CaseService::categories() const
{
  std::vector<Choice> out;
  for (const core::Category &category : d->config->catalog.categories())
  {
    const core::CategoryFamily *family = d->config->catalog.family(category.familyCode);
    out.push_back({utf8(category.code), utf8(chineseUi() ? category.nameZh : category.nameEn),
                   family ? utf8(chineseUi() ? family->nameZh : family->nameEn) : QString()});
  }
  return out;
}

std::map<QString, QStringList> CaseService::categoryKeywords() const
{
  std::map<QString, QStringList> out;
  for (const core::Category &category : d->config->catalog.categories())
    for (const std::string &word : category.keywords)
      out[utf8(category.code)] << utf8(word);
  return out;
}

std::vector<Choice> CaseService::families() const
{
  std::vector<Choice> out;
  for (const core::CategoryFamily &family : d->config->catalog.families())
    out.push_back({utf8(family.code), utf8(chineseUi() ? family.nameZh : family.nameEn), {}});
  return out;
}

std::vector<Choice> CaseService::departments() const
{
  std::vector<Choice> out;
  for (const core::Department &department : d->config->departments.departments())
    out.push_back({utf8(department.code), utf8(chineseUi() ? department.nameZh : department.nameEn), {}});
  return out;
}

QString CaseService::departmentName(const QString &code) const
{
  return d->departmentName(str(code));
}

std::vector<Choice> CaseService::workersFor(const QString &grid) const
{
  std::vector<Choice> out;
  auto code = core::GridCode::parse(str(grid));
  // A micro-grid's people are its grid's (网格员 are assigned per 网格).
  while (code && code->level() > core::GridLevel::Grid)
    code = code->parent();
  if (!code)
    return out;
  if (const core::GridNode *node = d->grids.find(*code))
  {
    // The grid's workers first (they patrol and carry the handsets), then the grid leader.
    for (const core::GridPerson &person : node->workers)
      out.push_back({utf8(person.id), utf8(person.name), utf8(person.phone)});
    if (node->leader)
      out.push_back({utf8(node->leader->id), utf8(node->leader->name), utf8(node->leader->phone)});
  }
  return out;
}

namespace {

//! The longest common substring of \a a and \a b (by characters).
QString longestCommonPart(const QString &a, const QString &b)
{
  int best = 0;
  int bestEnd = 0;
  std::vector<int> previous(static_cast<std::size_t>(b.size()) + 1, 0);
  std::vector<int> current(previous.size(), 0);
  for (int i = 1; i <= a.size(); ++i)
  {
    for (int j = 1; j <= b.size(); ++j)
    {
      const auto at = static_cast<std::size_t>(j);
      current[at] = a[i - 1] == b[j - 1] ? previous[at - 1] + 1 : 0;
      if (current[at] > best)
      {
        best = current[at];
        bestEnd = i;
      }
    }
    std::swap(previous, current);
  }
  return a.mid(bestEnd - best, best);
}

//! A part of an address that says nothing about where it is (every community has a 社区).
bool isGeneric(const QString &part)
{
  static const QStringList generic{QStringLiteral("社区"), QStringLiteral("小区"), QStringLiteral("网格"),
                                   QStringLiteral("微网格"), QStringLiteral("街道"), QStringLiteral("号楼"),
                                   QStringLiteral("单元"), QStringLiteral("综治中心"), QStringLiteral("警务室"),
                                   QStringLiteral("视频探头"), QStringLiteral("一键报警柱"), QStringLiteral("有限公司"),
                                   QStringLiteral("第一"), QStringLiteral("村委会")};
  if (part.size() < 2)
    return true;
  for (const QString &word : generic)
    if (word.contains(part))
      return true;
  // Digits, letters and ordinals (3号, 12栋 …) name a building, not a place.
  static const QRegularExpression numberish(QStringLiteral("^[0-9A-Za-z一二三四五六七八九十百号栋楼层室第\\-]+$"));
  return numberish.match(part).hasMatch();
}

core::GeoPoint vertexMean(const core::Ring &ring)
{
  core::GeoPoint mean{0, 0};
  const std::size_t n = ring.size() > 1 ? ring.size() - 1 : ring.size();
  for (std::size_t i = 0; i < n; ++i)
  {
    mean.lon += ring[i].lon / static_cast<double>(n);
    mean.lat += ring[i].lat / static_cast<double>(n);
  }
  return mean;
}

} // namespace

PlaceMatch CaseService::findPlace(const QString &input)
{
  PlaceMatch match;
  const QString text = input.trimmed();
  if (text.isEmpty())
    return match;
  // An address reported before: the newest case there gives the point.
  store::CaseFilter filter;
  filter.text = str(text);
  filter.limit = 50;
  for (const store::CaseRecord &record : d->cases->query(filter))
    if (utf8(record.address).contains(text))
    {
      match = {true, utf8(record.address), QStringLiteral("address"), text, record.point.lon, record.point.lat};
      break;
    }
  if (match.found)
    return match;

  // A place named like it: the longest distinctive common part wins; on a tie an area
  // (coarser first: the whole community rather than one of its grids) before a point.
  int bestLength = 0;
  int bestRank = 0;
  auto consider = [&](const QString &name, const QString &kind, int rank, const core::GeoPoint &point) {
    const QString part = longestCommonPart(text, name);
    if (isGeneric(part))
      return;
    if (part.size() > bestLength || (part.size() == bestLength && rank < bestRank))
    {
      bestLength = static_cast<int>(part.size());
      bestRank = rank;
      match = {true, name, kind, part, point.lon, point.lat};
    }
  };
  for (int level = 1; level <= 4; ++level)
    for (const core::GridNode *node : d->grids.nodesAt(static_cast<core::GridLevel>(level)))
    {
      if (node->area.empty())
        continue;
      core::GeoPoint point = vertexMean(node->area.front().outer);
      // A community's outline need not be convex: make sure the point is in it.
      const core::GridNode *at = d->index->lookup(point);
      if (!at || at->code.str().rfind(node->code.str(), 0) != 0)
        for (const core::GridNode *micro : d->grids.nodesAt(core::GridLevel::MicroGrid))
          if (micro->code.str().rfind(node->code.str(), 0) == 0 && !micro->area.empty())
          {
            point = vertexMean(micro->area.front().outer);
            break;
          }
      consider(utf8(node->name), QStringLiteral("grid"), level, point);
    }
  for (const store::Poi &poi : store::PoiStore(*d->db).list())
    consider(utf8(poi.name), QStringLiteral("poi"), 10, poi.point);
  return match;
}

QString CaseService::gridAt(double lon, double lat) const
{
  const core::GridNode *node = d->index->lookup({lon, lat});
  return node ? utf8(node->code.str()) : QString();
}

QString CaseService::gridPath(const QString &code) const
{
  return gridNamePath(d->grids, str(code));
}

QString actionTitle(const QString &action)
{
  static const std::map<QString, const char *> titles{
    {QStringLiteral("report"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Report")},
    {QStringLiteral("register"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Register")},
    {QStringLiteral("accept"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Accept")},
    {QStringLiteral("assign"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Assign")},
    {QStringLiteral("start_handling"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Start handling")},
    {QStringLiteral("arrive"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Arrived on site")},
    {QStringLiteral("note"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Add a note")},
    {QStringLiteral("feedback"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Record the handling result")},
    {QStringLiteral("close"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Close")},
    {QStringLiteral("visit"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Record the follow-up visit")},
    {QStringLiteral("archive"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Archive")},
    {QStringLiteral("return"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Return")},
    {QStringLiteral("escalate"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Escalate")},
    {QStringLiteral("extend"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Extend the deadline")},
    {QStringLiteral("park"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Park")},
    {QStringLiteral("resume"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Resume")},
    {QStringLiteral("void"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Void")},
    {QStringLiteral("merge"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Merge")},
    {QStringLiteral("rework"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Send back for rework")},
    {QStringLiteral("supervise"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Supervise")},
    {QStringLiteral("urge"), QT_TRANSLATE_NOOP("gd::console::CaseService", "Urge")},
  };
  const auto it = titles.find(action);
  return it == titles.end() ? action : QCoreApplication::translate("gd::console::CaseService", it->second);
}

QString satisfactionTitle(const QString &value)
{
  if (value == QLatin1String("satisfied"))
    return QCoreApplication::translate("gd::console::CaseService", "Satisfied");
  if (value == QLatin1String("basically_satisfied"))
    return QCoreApplication::translate("gd::console::CaseService", "Basically satisfied");
  if (value == QLatin1String("unsatisfied"))
    return QCoreApplication::translate("gd::console::CaseService", "Unsatisfied");
  return value;
}

QString priorityTitle(const QString &value)
{
  if (value == QLatin1String("normal"))
    return QCoreApplication::translate("gd::console::CaseService", "Normal");
  if (value == QLatin1String("urgent"))
    return QCoreApplication::translate("gd::console::CaseService", "Urgent");
  if (value == QLatin1String("emergency"))
    return QCoreApplication::translate("gd::console::CaseService", "Emergency");
  return value;
}

// ---- CaseServiceThread --------------------------------------------------------------------

} // namespace gd::console
