#pragma once

#include "core/timeutil.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {
class WorkCalendar;
}

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

//! A notice on a department's inbox (issue 17): the notice with the case it is about as it stands now.
struct InboxNotice
{
  DepartmentNotice notice;
  std::string caseState;  //!< the case's state name ("assigned", "in_handling" …)
  bool lead = false;      //!< the department leads the case (else it assists)
  std::string title;
  std::string address;
  std::string category;   //!< category code
  std::optional<core::TimePoint> caseDeadline; //!< the running SLA stage's deadline
};

/**
 * 响应率 (response rate) of a department's dispatches (assign notices), see docs/kpi.md:
 * onTime / (onTime + late + overdue). A notice still inside its 签收 limit (waiting) counts in
 * neither part: it may yet be acknowledged in time.
 */
struct ResponseTally
{
  int onTime = 0;   //!< acknowledged at or before its 签收 deadline
  int late = 0;     //!< acknowledged after it
  int overdue = 0;  //!< not acknowledged and past it
  int waiting = 0;  //!< not acknowledged, deadline still ahead
  int denominator() const { return onTime + late + overdue; }
  std::optional<double> rate() const
  {
    return denominator() > 0 ? std::optional<double>(double(onTime) / double(denominator())) : std::nullopt;
  }
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

    /**
     * The inbox of \a department: its notices about cases it still leads or assists on and
     * that are being handled (assigned, in handling, handled, parked), acknowledged or not,
     * by case then oldest first.
     */
    std::vector<InboxNotice> inbox(const std::string &department);

    //! The 签收 deadline of an assign notice created at \a createdAt: \a hours working hours on \a calendar.
    static core::TimePoint signDeadline(const core::WorkCalendar &calendar, double hours, core::TimePoint createdAt);

    /**
     * 响应率 per department of the assign notices created in [\a from, \a to) as of \a now, each
     * with its 签收 deadline from signDeadline(). Only \a department when not empty.
     */
    std::map<std::string, ResponseTally> responseRates(const core::WorkCalendar &calendar, double hours,
                                                       core::TimePoint from, core::TimePoint to, core::TimePoint now,
                                                       const std::string &department = {});

  private:
    std::vector<DepartmentNotice> select(std::string_view where, const std::string &value);
    Database &mDb;
};

} // namespace gd::store
