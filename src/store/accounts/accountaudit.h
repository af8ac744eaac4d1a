#pragma once
// The accounts' audit seam wired to the audit trail (issue 17): every login attempt (success
// and failure, with the reason), logout, lock and unlock, and every account, role, password and
// TOTP change becomes a row of audit_log, with the account's name and this machine's host.

#include "store/accounts/accountstore.h"

#include <string>

namespace gd::store {

class Database;

/**
 * A sink for AccountStore::setAuditSink() that records into \a db's audit log (each event in a
 * transaction of its own: the account change it reports has committed). \a host is the seat;
 * empty: this machine's name. \a db must outlive the sink.
 */
AccountAuditSink auditTrailSink(Database &db, std::string host = {});

} // namespace gd::store
