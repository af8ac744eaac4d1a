#pragma once
// 延期申请 (issue 17): a department that leads a case asks the center for more time; the
// center's dispatcher approves it (the case's deadline is extended by the workflow's `extend`
// step, which the console writes in the same transaction) or refuses it with a reason.
// Only the request and its decision live here; the workflow step is the caller's.

#include "core/timeutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gd::store {

class Database;

struct ExtensionRequest
{
  std::int64_t id = 0;
  std::string caseNumber;
  std::string department;  //!< the department asking (its code)
  int days = 0;            //!< working days asked for
  std::string reason;
  std::string requestedBy; //!< who at the department (account id)
  core::TimePoint requestedAt{};
  std::string decision = "pending"; //!< "pending", "approved", "refused"
  std::string decidedBy;
  std::optional<core::TimePoint> decidedAt;
  std::string decisionNote;
};

/**
 * The `extension_requests` table (schema revision 16). Works on the connection it is given
 * (not owned); inside the caller's transaction when there is one.
 */
class ExtensionRequests
{
  public:
    explicit ExtensionRequests(Database &db);

    /**
     * Records a request (id, decision fields and requestedAt of \a request are ignored).
     * Throws StoreRefusal "unknown_case", "bad_value" (days < 1, no reason, no department or
     * requester) or "pending_request" (the department already has one waiting on the case).
     */
    std::int64_t create(const ExtensionRequest &request, core::TimePoint now);
    std::optional<ExtensionRequest> find(std::int64_t id);
    //! Every request about case \a number, oldest first.
    std::vector<ExtensionRequest> forCase(const std::string &number);
    //! Every request waiting for the center's decision, oldest first.
    std::vector<ExtensionRequest> pending();
    /**
     * Decides request \a id: approved or refused, by \a who with \a note. False when there is
     * no such request or it was decided already (the first decision stays).
     */
    bool decide(std::int64_t id, bool approved, const std::string &who, const std::string &note, core::TimePoint at);

  private:
    std::vector<ExtensionRequest> select(const std::string &where, const std::string &value);
    Database &mDb;
};

} // namespace gd::store
