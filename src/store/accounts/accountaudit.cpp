#include "store/accounts/accountaudit.h"

#include "store/audit/auditlog.h"
#include "store/database.h"

#include <unistd.h>

namespace gd::store {

namespace {

//! The audit vocabulary's action for an account event (audit::actions()).
std::string auditAction(const AccountEvent &event)
{
  if (event.action == "login")
    return event.outcome == "ok" ? "login_ok" : "login_failed";
  if (event.action == "logout" || event.action == "lock" || event.action == "unlock" ||
      event.action == "account_create" || event.action == "account_disable")
    return event.action;
  if (event.action == "password_change" || event.action == "password_reset")
    return "account_password";
  if (event.action == "roles")
    return "role_grant";
  return "account_change"; // totp_enrol and anything added later
}

} // namespace

AccountAuditSink auditTrailSink(Database &db, std::string host)
{
  if (host.empty())
    host = audit::thisHost();
  return [&db, host](const AccountEvent &event) {
    audit::Entry entry;
    entry.actor.id = event.actor;
    entry.actor.host = host;
    // Names, not ids: the acting account's display name when it has one.
    if (const auto account = AccountStore::displayNameOf(db, event.actor))
      entry.actor.name = *account;
    entry.action = auditAction(event);
    entry.object = event.subject;
    entry.detail = event.action == "password_reset" ? "reset" + (event.detail.empty() ? "" : ": " + event.detail)
                 : event.action == "totp_enrol"     ? "TOTP enrolment" + (event.detail.empty() ? "" : ": " + event.detail)
                                                    : event.detail;
    entry.outcome = event.outcome == "ok" ? audit::Outcome::Ok : audit::Outcome::Refused;
    if (event.outcome != "ok")
      entry.reason = event.outcome;
    entry.at = event.at;
    audit::AuditLog(db).record(entry);
  };
}

} // namespace gd::store
