#include "console/department/departmentservice.h"

#include "console/common/storetext.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/session/storeaccess.h"

#include "core/case.h"
#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "store/accounts/accountstore.h"
#include "store/audit/auditlog.h"
#include "store/cases/casestore.h"
#include "store/cases/departmentnotices.h"
#include "store/cases/extensionrequests.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/schema.h"
#include "store/storeerror.h"

#include <QCoreApplication>
#include <QTimeZone>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <unistd.h>

namespace gd::console {

namespace {

//! The first day of \a now's month, Beijing time: 响应率 on the inbox is the month's.
core::TimePoint monthStart(core::TimePoint now)
{
  const QTimeZone beijing(8 * 3600);
  const QDateTime at = toDateTime(now).toTimeZone(beijing);
  const QDateTime first(QDate(at.date().year(), at.date().month(), 1), QTime(0, 0), beijing);
  return toTimePoint(first);
}

} // namespace

struct DepartmentService::Private
{
  QString accountId;
  std::string department;
  std::unique_ptr<store::ConfigDirectory> config;
  std::unique_ptr<core::Workflow> workflow;
  std::unique_ptr<core::SlaClock> clock;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::CaseStore> cases;
  std::string host;
  bool mayDecide = true;

  std::string actor() const { return str(accountId); }

  //! The account's name, for what the center reads (names, not ids).
  std::string actorName() const
  {
    try
    {
      return store::AccountStore::displayNameOf(*db, actor()).value_or(actor());
    }
    catch (const std::exception &)
    {
      return actor();
    }
  }

  QString departmentName(const std::string &code) const { return departmentTitle(config->departments, code); }

  //! One step of this seat into the audit trail, as CaseService's (§8.1.4 安全审计).
  void audit(const std::string &action, const std::string &object, const std::string &detail,
             store::audit::Outcome outcome = store::audit::Outcome::Ok, const std::string &reason = {})
  {
    store::audit::Entry entry;
    entry.actor.id = actor();
    entry.actor.name = actorName();
    entry.actor.host = host;
    // "case_" and the step: the audit trail's vocabulary for steps on cases (audit::isKnownAction).
    entry.action = "case_" + action;
    entry.object = object;
    entry.detail = detail;
    entry.outcome = outcome;
    entry.reason = reason;
    store::audit::AuditLog(*db).record(entry);
  }

  void auditRefusal(const std::string &action, const std::string &object, const std::string &reason,
                    store::audit::Outcome outcome = store::audit::Outcome::Refused) noexcept
  {
    try
    {
      audit(action, object, "department " + department, outcome, reason);
    }
    catch (const std::exception &e)
    {
      std::fprintf(stderr, "griddispatch: the audit trail could not record a refused %s of %s: %s\n", action.c_str(),
                   object.c_str(), e.what());
    }
  }

  core::CaseCommand command(core::CaseAction action, core::TimePoint at, const std::string &note,
                            core::CaseDetails details = {}) const
  {
    core::CaseCommand cmd;
    cmd.action = action;
    cmd.actor = actor();
    cmd.at = at;
    cmd.note = note;
    cmd.details = std::move(details);
    return cmd;
  }

  //! How the seat's department stands to case \a c: "lead", "assisting" or "" (not its case).
  std::string roleOn(const core::Case &c) const
  {
    if (c.leadDepartment() == department)
      return "lead";
    const auto &assisting = c.assistingDepartments();
    return std::find(assisting.begin(), assisting.end(), department) != assisting.end() ? "assisting" : "";
  }

  /**
   * The case \a number if the seat's department may do \a step on it (\a leadOnly: only the
   * lead department), else nullopt with the refusal in \a outcome (audited).
   */
  std::optional<core::Case> ownCase(const QString &number, const std::string &step, bool leadOnly, ActionOutcome &outcome)
  {
    outcome.number = number;
    std::optional<core::Case> c = cases->load(str(number));
    std::string refusal;
    if (department.empty())
    {
      outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "this seat belongs to no department");
      refusal = "no_department";
    }
    else if (!c)
    {
      outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "there is no such case");
      refusal = "unknown_case";
    }
    else if (const std::string role = roleOn(*c); role.empty())
    {
      outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "case %1 is not dispatched to %2: only the departments it is dispatched to handle it")
                          .arg(number, departmentName(department));
      refusal = "other_department";
    }
    else if (leadOnly && role != "lead")
    {
      outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "%1 assists on case %2: only the lead department %3 may do this")
                          .arg(departmentName(department), number, departmentName(c->leadDepartment()));
      refusal = "not_lead";
    }
    if (refusal.empty())
      return c;
    auditRefusal(step, str(number), refusal);
    return std::nullopt;
  }

  //! A step the workflow refused, in the handler's words.
  QString refusalText(const core::WorkflowRefused &refused, const core::Case &c) const
  {
    if (refused.refusal().code == "bad_transition")
      return QCoreApplication::translate("gd::console::DepartmentService", "not possible while the case is %1").arg(CaseQueueModel::stateTitle(latin1(core::caseStateName(c.state()))));
    return utf8(refused.refusal().reason);
  }

  /**
   * Runs \a body (the writes of one step) in a transaction with its audit row; a refusal or
   * failure writes nothing of the step and is audited on its own.
   */
  template <typename Body>
  ActionOutcome step(const std::string &action, const QString &number, const core::Case *c, const std::string &detail,
                     Body body)
  {
    ActionOutcome outcome;
    outcome.number = number;
    try
    {
      store::Transaction transaction(*db);
      outcome.message = body();
      audit(action, str(number), detail);
      transaction.commit();
      outcome.ok = true;
    }
    catch (const core::WorkflowRefused &refused)
    {
      outcome.message = c ? refusalText(refused, *c) : utf8(refused.refusal().reason);
      auditRefusal(action, str(number), refused.refusal().code);
    }
    catch (const store::StoreRefusal &refused)
    {
      outcome.message = refused.reason() == "pending_request"
                          ? QCoreApplication::translate("gd::console::DepartmentService", "the department's earlier extension request on this case still waits for the center's decision")
                          : utf8(refused.what());
      auditRefusal(action, str(number), refused.reason());
    }
    catch (const std::exception &e)
    {
      outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "the store could not record it: %1").arg(QString::fromUtf8(e.what()));
      auditRefusal(action, str(number), e.what(), store::audit::Outcome::Failed);
    }
    return outcome;
  }

  ExtensionRequestView view(const store::ExtensionRequest &r)
  {
    std::string by = r.requestedBy;
    try
    {
      by = store::AccountStore::displayNameOf(*db, r.requestedBy).value_or(r.requestedBy);
    }
    catch (const std::exception &)
    {
    }
    return {r.id, utf8(r.caseNumber), utf8(r.department), departmentName(r.department), r.days, utf8(r.reason),
            utf8(by), toDateTime(r.requestedAt), utf8(r.decision)};
  }
};

DepartmentService::DepartmentService(const QString &path, const QString &accountId, const QString &department)
  : d(std::make_unique<Private>())
{
  d->accountId = accountId.isEmpty() ? QStringLiteral("operator") : accountId;
  d->department = str(department);
  char host[256] = {};
  d->host = ::gethostname(host, sizeof host - 1) == 0 ? std::string(host) : std::string("?");
  d->config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  d->workflow = std::make_unique<core::Workflow>(&d->config->departments);
  d->clock = std::make_unique<core::SlaClock>(d->config->catalog, d->config->calendar);
  d->db = store::Schema::open(storeLocation(path));
  d->cases = std::make_unique<store::CaseStore>(*d->db, *d->workflow, d->clock.get());
}

DepartmentService::~DepartmentService() = default;

QString DepartmentService::department() const
{
  return utf8(d->department);
}

QString DepartmentService::departmentName(const QString &code) const
{
  return d->departmentName(str(code));
}

DepartmentInboxView DepartmentService::inbox()
{
  DepartmentInboxView view;
  view.department = utf8(d->department);
  view.departmentName = d->departmentName(d->department);
  view.signWithinHours = d->config->kpi.signWithinWorkingHours;
  if (d->department.empty())
    return view;
  try
  {
    const core::TimePoint now = nowSeconds();
    const double hours = d->config->kpi.signWithinWorkingHours;
    store::DepartmentNotices notices(*d->db);
    const auto rates = notices.responseRates(d->config->calendar, hours, monthStart(now), now + std::chrono::seconds(1),
                                             now, d->department);
    if (const auto it = rates.find(d->department); it != rates.end())
    {
      view.signedOnTime = it->second.onTime;
      view.responseBase = it->second.denominator();
    }
    std::map<std::string, std::size_t> at; // case number → index in view.cases
    for (const store::InboxNotice &entry : notices.inbox(d->department))
    {
      auto found = at.find(entry.notice.caseNumber);
      if (found == at.end())
      {
        InboxCaseView c;
        c.number = utf8(entry.notice.caseNumber);
        c.title = utf8(entry.title);
        c.address = utf8(entry.address);
        const core::Category *category = d->config->catalog.find(entry.category);
        c.categoryName = category ? utf8(chineseUi() ? category->nameZh : category->nameEn) : utf8(entry.category);
        c.state = utf8(entry.caseState);
        c.lead = entry.lead;
        c.finishBy = toDateTime(entry.caseDeadline);
        for (const store::ExtensionRequest &r : store::ExtensionRequests(*d->db).forCase(entry.notice.caseNumber))
          if (r.department == d->department && r.decision == "pending")
            c.pendingExtension = QCoreApplication::translate("gd::console::DepartmentService", "extension by %n working day(s) requested, waiting for the center", nullptr, r.days);
        found = at.emplace(entry.notice.caseNumber, view.cases.size()).first;
        view.cases.push_back(std::move(c));
      }
      InboxCaseView &c = view.cases[found->second];
      const store::DepartmentNotice &n = entry.notice;
      // A case dispatched to the department again (after a return) keeps its older, signed
      // dispatch notice: only the newest dispatch is the one to sign.
      if (n.kind == store::NoticeKind::Assign)
        c.notices.erase(std::remove_if(c.notices.begin(), c.notices.end(),
                                       [](const InboxNoticeView &v) { return v.kind == QLatin1String("assign"); }),
                        c.notices.end());
      InboxNoticeView v;
      v.id = n.id;
      v.kind = latin1(store::noticeKindName(n.kind));
      v.message = utf8(n.message);
      v.sentAt = toDateTime(n.createdAt);
      if (n.kind == store::NoticeKind::Assign)
        v.signBy = toDateTime(store::DepartmentNotices::signDeadline(d->config->calendar, hours, n.createdAt));
      v.deadline = toDateTime(n.deadline);
      v.acknowledgedBy = utf8(n.acknowledgedBy);
      v.acknowledgedAt = toDateTime(n.acknowledgedAt);
      c.notices.push_back(v);
    }
    for (const InboxCaseView &c : view.cases)
      for (const InboxNoticeView &n : c.notices)
        if (n.kind == QLatin1String("assign") && !n.acknowledgedAt.isValid())
          ++view.unsignedCount;
  }
  catch (const std::exception &e)
  {
    view.error = QCoreApplication::translate("gd::console::DepartmentService", "the inbox could not be read: %1").arg(QString::fromUtf8(e.what()));
  }
  return view;
}

ActionOutcome DepartmentService::sign(qint64 id, const QString &reply)
{
  ActionOutcome outcome;
  store::DepartmentNotices notices(*d->db);
  const auto notice = notices.find(id);
  const std::string action = notice && notice->kind != store::NoticeKind::Assign ? "dept_acknowledge" : "dept_sign";
  if (!notice || d->department.empty() || notice->department != d->department)
  {
    // Another department's notice is not this seat's to sign, whatever its id.
    outcome.message = notice ? QCoreApplication::translate("gd::console::DepartmentService", "this notice is addressed to %1, not to %2")
                                 .arg(d->departmentName(notice->department), d->departmentName(d->department))
                             : QCoreApplication::translate("gd::console::DepartmentService", "there is no such notice");
    d->auditRefusal(action, notice ? notice->caseNumber : "notice " + std::to_string(id),
                    notice ? "other_department" : "unknown_notice");
    return outcome;
  }
  outcome.number = utf8(notice->caseNumber);
  if (notice->acknowledgedAt)
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "already acknowledged by %1").arg(utf8(notice->acknowledgedBy));
    return outcome;
  }
  const core::TimePoint now = nowSeconds();
  const std::string who = d->actorName();
  const std::optional<core::Case> c = notice->caseNumber.empty() ? std::nullopt : d->cases->load(notice->caseNumber);
  const QString dept = d->departmentName(d->department);
  if (notice->kind == store::NoticeKind::Assign)
    return d->step(action, outcome.number, c ? &*c : nullptr, "notice " + std::to_string(id) + ", department " + d->department,
                   [&]() -> QString {
                     notices.acknowledge(id, who, now);
                     // The lead department's 签收 is the case's start of handling (受理 at the department).
                     if (c && c->leadDepartment() == d->department && c->state() == core::CaseState::Assigned)
                     {
                       d->cases->apply(notice->caseNumber,
                                       d->command(core::CaseAction::StartHandling, now, str(QCoreApplication::translate("gd::console::DepartmentService", "%1 signed for the case").arg(dept))));
                       return QCoreApplication::translate("gd::console::DepartmentService", "%1 signed for case %2: handling started").arg(dept, outcome.number);
                     }
                     return QCoreApplication::translate("gd::console::DepartmentService", "%1 signed for case %2").arg(dept, outcome.number);
                   });
  const QString text = reply.trimmed().isEmpty() ? QCoreApplication::translate("gd::console::DepartmentService", "Read, being handled") : reply.trimmed();
  return d->step(action, outcome.number, c ? &*c : nullptr, "notice " + std::to_string(id) + ": " + str(text),
                 [&]() -> QString {
                   notices.acknowledge(id, who, now);
                   // The reply goes on the case, where the center reads its 催办/督办 answered.
                   if (c && !core::isTerminalState(c->state()))
                     d->cases->apply(notice->caseNumber,
                                     d->command(core::CaseAction::Note, now,
                                                str(QCoreApplication::translate("gd::console::DepartmentService", "%1 on the %2: %3").arg(dept, noticeKindTitle(latin1(store::noticeKindName(notice->kind))), text))));
                   return QCoreApplication::translate("gd::console::DepartmentService", "%1 acknowledged the %2 on case %3").arg(dept, noticeKindTitle(latin1(store::noticeKindName(notice->kind))), outcome.number);
                 });
}

ActionOutcome DepartmentService::note(const QString &number, const QString &text)
{
  ActionOutcome outcome;
  if (text.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "write what was done");
    return outcome;
  }
  const auto c = d->ownCase(number, "dept_note", false, outcome);
  if (!c)
    return outcome;
  const QString dept = d->departmentName(d->department);
  return d->step("dept_note", number, &*c, "department " + d->department, [&]() -> QString {
    d->cases->apply(str(number), d->command(core::CaseAction::Note, nowSeconds(), str(QCoreApplication::translate("gd::console::DepartmentService", "%1: %2").arg(dept, text.trimmed()))));
    return QCoreApplication::translate("gd::console::DepartmentService", "note added to case %1").arg(number);
  });
}

ActionOutcome DepartmentService::feedback(const QString &number, const QString &result)
{
  ActionOutcome outcome;
  if (result.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "write the result of the handling");
    return outcome;
  }
  const auto c = d->ownCase(number, "dept_feedback", true, outcome);
  if (!c)
    return outcome;
  const QString dept = d->departmentName(d->department);
  return d->step("dept_feedback", number, &*c, "department " + d->department, [&]() -> QString {
    core::CaseDetails data;
    data.result = str(result.trimmed());
    d->cases->apply(str(number), d->command(core::CaseAction::Feedback, nowSeconds(), str(QCoreApplication::translate("gd::console::DepartmentService", "feedback from %1").arg(dept)), data));
    return QCoreApplication::translate("gd::console::DepartmentService", "case %1 reported handled to the center").arg(number);
  });
}

ActionOutcome DepartmentService::requestExtension(const QString &number, int days, const QString &reason)
{
  ActionOutcome outcome;
  if (days < 1 || reason.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "give the working days needed (at least 1) and the reason");
    return outcome;
  }
  const auto c = d->ownCase(number, "dept_extension_request", true, outcome);
  if (!c)
    return outcome;
  if (core::isTerminalState(c->state()) || c->state() == core::CaseState::Handled || c->state() == core::CaseState::Closed)
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "not possible while the case is %1").arg(CaseQueueModel::stateTitle(latin1(core::caseStateName(c->state()))));
    d->auditRefusal("dept_extension_request", str(number), "bad_transition");
    return outcome;
  }
  const QString dept = d->departmentName(d->department);
  return d->step("dept_extension_request", number, &*c,
                 "department " + d->department + ", " + std::to_string(days) + " working days: " + str(reason.trimmed()),
                 [&]() -> QString {
                   const core::TimePoint now = nowSeconds();
                   store::ExtensionRequest r;
                   r.caseNumber = str(number);
                   r.department = d->department;
                   r.days = days;
                   r.reason = str(reason.trimmed());
                   r.requestedBy = d->actor();
                   store::ExtensionRequests(*d->db).create(r, now);
                   // On the case's timeline too, where the center's dispatcher reads it.
                   d->cases->apply(str(number), d->command(core::CaseAction::Note, now,
                                                           str(QCoreApplication::translate("gd::console::DepartmentService", "%1 asks for an extension by %n working day(s): %2", nullptr, days)
                                                                 .arg(dept, reason.trimmed()))));
                   return QCoreApplication::translate("gd::console::DepartmentService", "extension requested on case %1: the center decides").arg(number);
                 });
}

ActionOutcome DepartmentService::returnCase(const QString &number, const QString &reason)
{
  ActionOutcome outcome;
  if (reason.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "say why the case is returned");
    return outcome;
  }
  const auto c = d->ownCase(number, "dept_return", true, outcome);
  if (!c)
    return outcome;
  const QString dept = d->departmentName(d->department);
  return d->step("dept_return", number, &*c, "department " + d->department + ": " + str(reason.trimmed()), [&]() -> QString {
    // The reason as it is: the center's re-dispatch suggestion quotes it (CaseService::suggestLeadFor).
    d->cases->apply(str(number), d->command(core::CaseAction::Return, nowSeconds(), str(reason.trimmed())));
    return QCoreApplication::translate("gd::console::DepartmentService", "%1 returned case %2 to the center").arg(dept, number);
  });
}

std::vector<ExtensionRequestView> DepartmentService::pendingExtensions()
{
  std::vector<ExtensionRequestView> out;
  for (const store::ExtensionRequest &r : store::ExtensionRequests(*d->db).pending())
    out.push_back(d->view(r));
  return out;
}

std::vector<ExtensionRequestView> DepartmentService::extensionsOf(const QString &number)
{
  std::vector<ExtensionRequestView> out;
  for (const store::ExtensionRequest &r : store::ExtensionRequests(*d->db).forCase(str(number)))
    out.push_back(d->view(r));
  return out;
}

void DepartmentService::setMayDecide(bool may)
{
  d->mayDecide = may;
}

ActionOutcome DepartmentService::decideExtension(qint64 id, bool approve, const QString &note)
{
  ActionOutcome outcome;
  store::ExtensionRequests requests(*d->db);
  const auto request = requests.find(id);
  const std::string action = approve ? "extension_approve" : "extension_refuse";
  if (!d->mayDecide)
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService",
                                                  "your role may not decide extension requests: it needs the permission %1")
                        .arg(QStringLiteral("case.assign"));
    d->auditRefusal(action, request ? request->caseNumber : "request " + std::to_string(id), "forbidden");
    return outcome;
  }
  if (!request || request->decision != "pending")
  {
    outcome.message = request ? QCoreApplication::translate("gd::console::DepartmentService", "the request was decided already") : QCoreApplication::translate("gd::console::DepartmentService", "there is no such request");
    d->auditRefusal(action, request ? request->caseNumber : "request " + std::to_string(id), request ? "decided" : "unknown_request");
    return outcome;
  }
  if (!approve && note.trimmed().isEmpty())
  {
    outcome.message = QCoreApplication::translate("gd::console::DepartmentService", "say why the extension is refused");
    return outcome;
  }
  const auto c = d->cases->load(request->caseNumber);
  const QString dept = d->departmentName(request->department);
  const QString number = utf8(request->caseNumber);
  return d->step(action, number, c ? &*c : nullptr,
                 "request " + std::to_string(id) + " of " + request->department + ", " + std::to_string(request->days) + " working days",
                 [&]() -> QString {
                   const core::TimePoint now = nowSeconds();
                   const std::string who = d->actorName();
                   requests.decide(id, approve, who, str(note.trimmed()), now);
                   if (approve)
                   {
                     core::CaseDetails data;
                     data.approver = who;
                     data.amount = request->days;
                     data.unit = core::LimitUnit::WorkingDays;
                     d->cases->apply(request->caseNumber,
                                     d->command(core::CaseAction::Extend, now, str(QCoreApplication::translate("gd::console::DepartmentService", "extension requested by %1: %2").arg(dept, utf8(request->reason))), data));
                     return QCoreApplication::translate("gd::console::DepartmentService", "case %1 extended by %n working day(s)", nullptr, request->days).arg(number);
                   }
                   d->cases->apply(request->caseNumber,
                                   d->command(core::CaseAction::Note, now, str(QCoreApplication::translate("gd::console::DepartmentService", "extension requested by %1 refused: %2").arg(dept, note.trimmed()))));
                   return QCoreApplication::translate("gd::console::DepartmentService", "the extension of case %1 was refused").arg(number);
                 });
}

QString noticeKindTitle(const QString &kind)
{
  if (kind == QLatin1String("assign"))
    return QCoreApplication::translate("gd::console::DepartmentService", "dispatch");
  if (kind == QLatin1String("urge"))
    return QCoreApplication::translate("gd::console::DepartmentService", "urging");
  if (kind == QLatin1String("supervise"))
    return QCoreApplication::translate("gd::console::DepartmentService", "supervision");
  if (kind == QLatin1String("emergency"))
    return QCoreApplication::translate("gd::console::DepartmentService", "emergency");
  return kind;
}

} // namespace gd::console
