#pragma once

#include "core/timeutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {

class Database;

enum class NoticeKind
{
  Urge,      //!< 催办 on a case the department leads
  Supervise, //!< 督办 on a case the department leads
  Emergency, //!< an emergency dispatched to the department (一键直达)
  Assign     //!< 派遣: a case dispatched to the department (as lead or assisting), schema revision 9
};

std::string_view noticeKindName(NoticeKind kind); //!< "urge", "supervise", "emergency", "assign"
std::optional<NoticeKind> parseNoticeKind(std::string_view name);

//! What a department is told, until someone there acknowledges it.
struct DepartmentNotice
{
  std::int64_t id = 0;
  std::string department;  //!< department code (departments.conf)
  NoticeKind kind = NoticeKind::Urge;
  std::string caseNumber;  //!< "" when about no case
  std::string incident;    //!< the emergency's number, "" when about none
  std::string message;
  std::string link;        //!< the incident's conference link, "" when none
  std::optional<core::TimePoint> deadline;
  core::TimePoint createdAt{};
  std::string acknowledgedBy;
  std::optional<core::TimePoint> acknowledgedAt;
};

/**
 * The `department_notices` table: the flag a department sees on its queue when a case is
 * dispatched to it, one of its cases is urged or supervised, or an emergency is dispatched to it. Works on the connection
 * it is given (not owned); create() inside the caller's transaction.
 */
class DepartmentNotices
{
  public:
    explicit DepartmentNotices(Database &db);

    //! The fields of a new notice (id, acknowledgement and times of \a notice are ignored).
    //! Throws StoreRefusal "unknown_case" / "unknown_incident" when those are named and absent.
    std::int64_t create(const DepartmentNotice &notice, core::TimePoint now);
    //! Notices of \a department not yet acknowledged, oldest first.
    std::vector<DepartmentNotice> pending(const std::string &department);
    //! Every notice about case \a number, oldest first.
    std::vector<DepartmentNotice> forCase(const std::string &number);
    //! Every notice of emergency \a incident, oldest first.
    std::vector<DepartmentNotice> forIncident(const std::string &incident);
    //! The notice \a id, or nullopt.
    std::optional<DepartmentNotice> find(std::int64_t id);
    /**
     * Marks notice \a id acknowledged by \a who (a person at the department). Idempotent: the
     * first acknowledgement stays. False when there is no such notice.
     */
    bool acknowledge(std::int64_t id, const std::string &who, core::TimePoint at);

  private:
    std::vector<DepartmentNotice> select(std::string_view where, const std::string &value);
    Database &mDb;
};

} // namespace gd::store
