#include "store/supervision/emergencystore.h"
#include "store/cases/caseeventjson.h"
#include "core/csvtext.h"

#include "core/conference.h"
#include "core/departments.h"
#include "core/gridtree.h"
#include "core/slaclock.h"
#include "store/cases/casestore.h"
#include "store/database.h"
#include "store/cases/departmentnotices.h"
#include "store/feed/deviceregistry.h"
#include "store/geopackage.h"
#include "store/feed/orderstore.h"
#include "store/storeerror.h"
#include "store/timetext.h"
#include "store/writescope.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

namespace gd::store {

namespace {

using nlohmann::json;

constexpr double kMaxRadiusM = 100000;

constexpr const char *kSelectEmergency =
  "SELECT e.id, e.number, coalesce(c.number, ''), e.title, e.lon, e.lat, e.radius_m, e.declared_by, e.declared_at, "
  "e.conference_url, coalesce(e.closed_by, ''), e.closed_at, e.incident_type FROM emergencies e LEFT JOIN cases c ON c.id = e.case_id ";

Emergency readEmergency(Statement &s)
{
  Emergency e;
  e.id = s.columnInt(0);
  e.incident = s.columnText(1);
  e.caseNumber = s.columnText(2);
  e.title = s.columnText(3);
  e.centre = {s.columnDouble(4), s.columnDouble(5)};
  e.radiusM = s.columnDouble(6);
  e.declaredBy = s.columnText(7);
  e.declaredAt = fromDbTime(s.columnText(8)).value_or(core::TimePoint{});
  e.conferenceUrl = s.columnText(9);
  e.closedBy = s.columnText(10);
  e.closedAt = fromDbTime(s.columnText(11));
  e.incidentType = s.columnText(12);
  return e;
}

std::optional<TimelineKind> parseTimelineKind(std::string_view name)
{
  for (TimelineKind k : {TimelineKind::Declared, TimelineKind::Dispatched, TimelineKind::Alert, TimelineKind::Ack,
                         TimelineKind::Conference, TimelineKind::Note, TimelineKind::Closed})
    if (timelineKindName(k) == name)
      return k;
  return std::nullopt;
}

//! The latest fixes of workers whose fix lies in the box (the R-tree answers; rounded outwards,
//! so it never misses a point inside).
std::vector<core::WorkerFix> fixesIn(Database &db, const core::GeoBox &box)
{
  std::vector<core::WorkerFix> out;
  auto q = db.query(db.dialect("SELECT worker_id, device_id, at, lon, lat FROM worker_positions WHERE fid IN "
                               "(SELECT id FROM rtree_worker_positions_geom WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)",
                               // The GiST index over geom, by its bounding box as the R-tree's.
                               "SELECT worker_id, device_id, at, lon, lat FROM worker_positions "
                               "WHERE geom && ST_MakeEnvelope(?2, ?4, ?1, ?3, 4490)"));
  q.bindAll(box.east, box.west, box.north, box.south);
  while (q.step())
  {
    core::WorkerFix f;
    f.workerId = q->columnText(0);
    f.deviceId = q->columnText(1);
    f.at = fromDbTime(q->columnText(2)).value_or(core::TimePoint{});
    f.point = {q->columnDouble(3), q->columnDouble(4)};
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<core::SitePoint> sitesIn(Database &db, const core::GeoBox &box)
{
  std::vector<core::SitePoint> out;
  auto q = db.query(db.dialect("SELECT fid, kind, name, geom, coalesce(stream_url, '') FROM pois WHERE fid IN "
                               "(SELECT id FROM rtree_pois_geom WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)",
                               "SELECT fid, kind, name, geom, coalesce(stream_url, '') FROM pois "
                               "WHERE geom && ST_MakeEnvelope(?2, ?4, ?1, ?3, 4490)"));
  q.bindAll(box.east, box.west, box.north, box.south);
  while (q.step())
  {
    core::SitePoint s;
    s.id = q->columnInt(0);
    s.kind = q->columnText(1);
    s.name = q->columnText(2);
    s.point = geopackage::decodePoint(q->columnBlob(3)).value_or(core::GeoPoint{});
    s.streamUrl = q->columnText(4);
    out.push_back(std::move(s));
  }
  return out;
}

std::string metres(double d)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f m", d);
  return buf;
}

void checkRadius(double radiusM)
{
  if (!(radiusM > 0) || !(radiusM <= kMaxRadiusM))
    throw StoreRefusal("bad_value", "radius: must be more than 0 and at most 100,000 metres");
}

// The details as the JSON "data" object: stored in emergency_timeline.data and exported. The
// text must read as it did when TimelineEntry held the JSON object (nlohmann orders the keys).

constexpr std::pair<const char *, std::optional<std::string> TimelineDetails::*> kTexts[] = {
  {"incident_type", &TimelineDetails::incidentType},
  {"case", &TimelineDetails::caseNumber},
  {"conference_url", &TimelineDetails::conferenceUrl},
  {"message", &TimelineDetails::message},
  {"device", &TimelineDetails::device},
  {"worker", &TimelineDetails::worker},
};
constexpr std::pair<const char *, std::optional<double> TimelineDetails::*> kNumbers[] = {
  {"lon", &TimelineDetails::lon},
  {"lat", &TimelineDetails::lat},
  {"radius_m", &TimelineDetails::radiusM},
};
constexpr std::pair<const char *, std::optional<std::vector<std::string>> TimelineDetails::*> kTextLists[] = {
  {"departments", &TimelineDetails::departments},
  {"devices", &TimelineDetails::devices},
};
constexpr std::pair<const char *, std::optional<std::vector<std::int64_t>> TimelineDetails::*> kIdLists[] = {
  {"notices", &TimelineDetails::notices},
  {"orders", &TimelineDetails::orders},
};

json detailsToJson(const TimelineDetails &d)
{
  json j = json::object();
  for (const auto &[name, member] : kTexts)
    if (const auto &text = d.*member)
      j[name] = *text;
  for (const auto &[name, member] : kNumbers)
    if (const auto &number = d.*member)
      j[name] = *number;
  for (const auto &[name, member] : kTextLists)
    if (const auto &list = d.*member)
      j[name] = *list;
  for (const auto &[name, member] : kIdLists)
    if (const auto &list = d.*member)
      j[name] = *list;
  if (d.caseAction)
    j["case_action"] = std::string(core::caseActionName(*d.caseAction));
  if (d.order)
    j["order"] = *d.order;
  for (const auto &[key, text] : d.verbatim)
    j[key] = json::parse(text, nullptr, false);
  return j;
}

//! An id as written: an integer that fits std::int64_t.
std::optional<std::int64_t> readId(const json &v)
{
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    return std::nullopt;
  if (!v.is_number_integer())
    return std::nullopt;
  return v.get<std::int64_t>();
}

//! Reads one key into \a d; false when the key is unknown or its value is not in the form written.
bool readKey(TimelineDetails &d, const std::string &key, const json &v)
{
  for (const auto &[name, member] : kTexts)
    if (key == name)
    {
      if (!v.is_string())
        return false;
      d.*member = v.get<std::string>();
      return true;
    }
  for (const auto &[name, member] : kNumbers)
    if (key == name)
    {
      if (!v.is_number_float()) // an integer is not how a double is written
        return false;
      d.*member = v.get<double>();
      return true;
    }
  for (const auto &[name, member] : kTextLists)
    if (key == name)
    {
      if (!v.is_array())
        return false;
      std::vector<std::string> list;
      for (const json &item : v)
      {
        if (!item.is_string())
          return false;
        list.push_back(item.get<std::string>());
      }
      d.*member = std::move(list);
      return true;
    }
  for (const auto &[name, member] : kIdLists)
    if (key == name)
    {
      if (!v.is_array())
        return false;
      std::vector<std::int64_t> list;
      for (const json &item : v)
      {
        const auto id = readId(item);
        if (!id)
          return false;
        list.push_back(*id);
      }
      d.*member = std::move(list);
      return true;
    }
  if (key == "case_action")
    return (d.caseAction = readCanonicalName<core::CaseAction>(v, core::parseCaseAction, core::caseActionName)).has_value();
  if (key == "order")
    return (d.order = readId(v)).has_value();
  return false;
}

//! Reads detailsToJson()'s text back; text that is not a JSON object reads as no details.
TimelineDetails detailsFromText(const std::string &text)
{
  TimelineDetails d;
  const json j = json::parse(text, nullptr, false);
  if (!j.is_object())
    return d;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!readKey(d, it.key(), it.value()))
      d.verbatim.emplace(it.key(), it.value().dump());
  return d;
}

} // namespace

std::string_view timelineKindName(TimelineKind kind)
{
  switch (kind)
  {
    case TimelineKind::Declared:
      return "declared";
    case TimelineKind::Dispatched:
      return "dispatched";
    case TimelineKind::Alert:
      return "alert";
    case TimelineKind::Ack:
      return "ack";
    case TimelineKind::Conference:
      return "conference";
    case TimelineKind::Note:
      return "note";
    case TimelineKind::Closed:
      return "closed";
  }
  return "note";
}

EmergencyStore::EmergencyStore(Database &db, const core::Workflow &workflow, const core::SlaClock *clock,
                               const core::DepartmentDirectory *departments, const core::ConferenceConfig *conference)
  : mDb(db)
  , mWorkflow(workflow)
  , mClock(clock)
  , mDepartments(departments)
  , mConference(conference)
{}

std::string EmergencyStore::nextIncidentNumber(core::TimePoint at)
{
  const core::Date day = core::beijingDate(at);
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "YJ%04d%02u%02u-", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  std::string end = prefix;
  ++end.back(); // '-' + 1: every number of the day sorts below it
  std::int64_t sequence = 1;
  {
    auto q = mDb.query("SELECT count(*) FROM emergencies WHERE number >= ? AND number < ?");
    q.bindAll(std::string(prefix), end);
    if (q.step())
      sequence = q->columnInt(0) + 1;
  }
  for (;; ++sequence)
  {
    char number[48];
    std::snprintf(number, sizeof number, "%s%03lld", prefix, static_cast<long long>(sequence));
    auto q = mDb.query("SELECT 1 FROM emergencies WHERE number = ?");
    q.bindAll(std::string(number));
    if (!q.step())
      return number;
  }
}

Emergency EmergencyStore::declare(const EmergencyDeclaration &d)
{
  if (d.actor.empty())
    throw StoreRefusal("bad_value", "actor: declaring an emergency must name who declares it");
  checkRadius(d.radiusM);
  if (!(d.centre.lon >= -180 && d.centre.lon <= 180 && d.centre.lat >= -90 && d.centre.lat <= 90))
    throw StoreRefusal("bad_value", "centre: not a longitude/latitude");
  if (d.incident.size() > 64)
    throw StoreRefusal("bad_value", "incident: at most 64 characters");
  for (const char ch : d.incident)
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f)
      throw StoreRefusal("bad_value", "incident: may not contain spaces or control characters");
  if (d.incidentType.size() > 32)
    throw StoreRefusal("bad_value", "incident_type: at most 32 characters");
  for (const char ch : d.incidentType)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
      throw StoreRefusal("bad_value", "incident_type: '" + d.incidentType + "' is not a type code (a-z, 0-9, _)");

  WriteScope scope(mDb);
  std::optional<std::int64_t> caseId;
  std::string title = d.title;
  if (!d.caseNumber.empty())
  {
    const auto record = CaseStore(mDb, mWorkflow, mClock).find(d.caseNumber);
    if (!record)
      throw StoreRefusal("unknown_case", "case: no case '" + d.caseNumber + "'");
    caseId = record->id;
    if (title.empty())
      title = record->title;
  }
  if (title.empty())
    title = kUntitled;
  const std::string incident = d.incident.empty() ? nextIncidentNumber(d.at) : d.incident;
  {
    auto q = mDb.query("SELECT 1 FROM emergencies WHERE number = ?");
    q.bindAll(incident);
    if (q.step())
      throw StoreRefusal("duplicate_incident", "incident: '" + incident + "' has been declared before");
  }
  const std::string link = mConference ? mConference->link(incident, d.caseNumber) : std::string();
  std::int64_t id = 0;
  {
    auto q = mDb.query("INSERT INTO emergencies (geom, number, case_id, title, lon, lat, radius_m, declared_by, "
                       "declared_at, conference_url, incident_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id"); // no last insert rowid on PostgreSQL
    q->bindBlob(1, geopackage::encodePoint(d.centre));
    q->bindFrom(2, incident, caseId, title, d.centre.lon, d.centre.lat, d.radiusM, d.actor, toDbTime(d.at), link,
                d.incidentType);
    if (!q.step())
      throw StoreError(0, "emergency insert returned no id");
    id = q->columnInt(0);
  }
  TimelineDetails data;
  data.lon = d.centre.lon;
  data.lat = d.centre.lat;
  data.radiusM = d.radiusM;
  if (!d.incidentType.empty())
    data.incidentType = d.incidentType;
  if (!d.caseNumber.empty())
    data.caseNumber = d.caseNumber;
  if (!link.empty())
    data.conferenceUrl = link;
  append(id, d.at, d.actor, TimelineKind::Declared,
         "emergency " + incident + " declared: " + title +
           (d.incidentType.empty() ? std::string() : " (" + d.incidentType + ")") + ", radius " + metres(d.radiusM) +
           (d.caseNumber.empty() ? std::string() : ", from case " + d.caseNumber),
         data);
  scope.commit();
  return *find(incident);
}

std::optional<Emergency> EmergencyStore::find(const std::string &incident)
{
  auto q = mDb.query(std::string(kSelectEmergency) + "WHERE e.number = ?");
  q.bindAll(incident);
  if (!q.step())
    return std::nullopt;
  return readEmergency(*q);
}

std::vector<Emergency> EmergencyStore::openEmergencies()
{
  std::vector<Emergency> out;
  auto q = mDb.query(std::string(kSelectEmergency) + "WHERE e.closed_at IS NULL ORDER BY e.declared_at DESC, e.id DESC");
  while (q.step())
    out.push_back(readEmergency(*q));
  return out;
}

Emergency EmergencyStore::require(const std::string &incident, bool open)
{
  auto e = find(incident);
  if (!e)
    throw StoreRefusal("unknown_incident", "incident: no emergency '" + incident + "'");
  if (open && !e->isOpen())
    throw StoreRefusal("closed", "incident: emergency " + incident + " was closed at " +
                                   core::formatRfc3339(*e->closedAt) + "; nothing more can be done on it");
  return *e;
}

void EmergencyStore::append(std::int64_t emergencyId, core::TimePoint at, const std::string &actor, TimelineKind kind,
                            const std::string &message, const TimelineDetails &data)
{
  mDb.query("INSERT INTO emergency_timeline (emergency_id, at, actor, kind, message, data) VALUES (?, ?, ?, ?, ?, ?)")
    .bindAll(emergencyId, toDbTime(at), actor, timelineKindName(kind), message, detailsToJson(data).dump())
    .run();
}

core::RadiusResult EmergencyStore::nearby(core::GeoPoint centre, double radiusM, const core::GridTree &grids,
                                          core::TimePoint now, std::chrono::seconds onlineWithin)
{
  checkRadius(radiusM);
  const core::GeoBox box = core::boxAround(centre, radiusM);
  std::vector<core::WorkerFix> fixes = fixesIn(mDb, box);
  std::map<std::string, std::pair<const core::GridNode *, const core::GridPerson *>> people;
  for (const core::GridNode *grid : grids.nodesAt(core::GridLevel::Grid))
    for (const core::GridPerson &person : grid->workers)
      people.emplace(person.id, std::make_pair(grid, &person));
  for (core::WorkerFix &f : fixes)
    if (const auto it = people.find(f.workerId); it != people.end())
    {
      f.gridCode = it->second.first->code.str();
      f.name = it->second.second->name;
      f.phone = it->second.second->phone;
    }
  core::RadiusQuery query;
  query.centre = centre;
  query.radiusM = radiusM;
  query.now = now;
  query.onlineWithin = onlineWithin;
  return core::findWithinRadius(query, fixes, sitesIn(mDb, box), grids);
}

core::RadiusResult EmergencyStore::nearby(const std::string &incident, const core::GridTree &grids, core::TimePoint now,
                                          std::chrono::seconds onlineWithin)
{
  const Emergency e = require(incident, false);
  return nearby(e.centre, e.radiusM, grids, now, onlineWithin);
}

std::string EmergencyStore::departmentLabel(const std::string &code) const
{
  if (mDepartments)
    if (const core::Department *d = mDepartments->find(code))
      return d->nameZh + " (" + code + ")";
  return code;
}

DispatchResult EmergencyStore::dispatch(const std::string &incident, const std::vector<std::string> &departments,
                                        const std::string &message, const std::string &actor, core::TimePoint at)
{
  if (actor.empty())
    throw StoreRefusal("bad_value", "actor: dispatching must name who dispatches");
  if (departments.empty())
    throw StoreRefusal("bad_value", "departments: name at least one department to dispatch to");
  for (std::size_t i = 0; i < departments.size(); ++i)
  {
    if (std::find(departments.begin(), departments.begin() + static_cast<std::ptrdiff_t>(i), departments[i]) !=
        departments.begin() + static_cast<std::ptrdiff_t>(i))
      throw StoreRefusal("bad_value", "departments: '" + departments[i] + "' is named twice");
    if (mDepartments && !mDepartments->find(departments[i]))
      throw StoreRefusal("unknown_department", "departments: '" + departments[i] + "' is not in the department directory");
  }
  WriteScope scope(mDb);
  const Emergency e = require(incident, true);
  DispatchResult result;
  const std::string text = message.empty() ? "突发事件 " + incident + "：" + e.title + "，请立即响应" : message;
  DepartmentNotices notices(mDb);
  for (const std::string &department : departments)
  {
    DepartmentNotice notice;
    notice.department = department;
    notice.kind = NoticeKind::Emergency;
    notice.caseNumber = e.caseNumber;
    notice.incident = incident;
    notice.message = text;
    notice.link = e.conferenceUrl;
    result.noticeIds.push_back(notices.create(notice, at));
  }

  std::string labels;
  for (const std::string &department : departments)
    labels += (labels.empty() ? "" : ", ") + departmentLabel(department);
  if (!e.caseNumber.empty())
  {
    CaseStore cases(mDb, mWorkflow, mClock);
    const auto record = cases.find(e.caseNumber);
    core::CaseCommand command;
    command.actor = actor;
    command.at = at;
    if (record && record->state == core::CaseState::Accepted)
    {
      command.action = core::CaseAction::Assign;
      command.note = "emergency " + incident + ": dispatched to " + labels;
      command.details.lead = departments.front();
      command.details.assisting = std::vector<std::string>(departments.begin() + 1, departments.end());
      command.details.emergency = incident;
    }
    else
    {
      command.action = core::CaseAction::Note;
      command.note = "emergency " + incident + ": dispatched to " + labels;
      command.details.emergency = incident;
      command.details.departments = departments;
    }
    try
    {
      cases.apply(e.caseNumber, command);
      result.caseAction = command.action;
    }
    catch (const StoreRefusal &)
    {
      // A case in a final state records nothing more; the emergency still goes out.
    }
  }
  TimelineDetails data;
  data.departments = departments;
  data.notices = result.noticeIds;
  data.message = text;
  data.caseAction = result.caseAction;
  append(e.id, at, actor, TimelineKind::Dispatched, "dispatched to " + labels, data);
  scope.commit();
  return result;
}

std::vector<AlertDelivery> EmergencyStore::broadcastAlert(const std::string &incident, const std::string &message,
                                                          const std::string &actor, core::TimePoint at)
{
  if (actor.empty())
    throw StoreRefusal("bad_value", "actor: an alert must name who sends it");
  WriteScope scope(mDb);
  const Emergency e = require(incident, true);
  // Who is inside is decided by core, on the same fixes nearby() shows.
  core::RadiusQuery query;
  query.centre = e.centre;
  query.radiusM = e.radiusM;
  query.now = at;
  query.areaLevels.clear();
  const core::RadiusResult inside =
    core::findWithinRadius(query, fixesIn(mDb, core::boxAround(e.centre, e.radiusM)), {}, core::GridTree());

  std::string text = message.empty() ? "突发事件 " + incident + "：" + e.title + "，请注意安全并听从指挥" : message;
  if (!e.conferenceUrl.empty())
    text += " 视频会商：" + e.conferenceUrl;
  std::vector<AlertDelivery> deliveries;
  OrderStore orders(mDb);
  DeviceRegistry devices(mDb);
  for (const core::NearbyWorker &w : inside.workers)
    for (const std::string &device : devices.devicesOfWorker(w.fix.workerId))
    {
      const std::int64_t order = orders.create(device, OrderKind::Alert, e.caseNumber, text, std::nullopt, at);
      mDb.query("INSERT INTO emergency_orders (order_id, emergency_id, worker_id, distance_m) VALUES (?, ?, ?, ?)")
        .bindAll(order, e.id, w.fix.workerId, w.distanceM)
        .run();
      deliveries.push_back({order, device, w.fix.workerId, w.distanceM, at, std::nullopt});
    }
  TimelineDetails data;
  data.message = text;
  data.devices.emplace();
  data.orders.emplace();
  for (const AlertDelivery &d : deliveries)
  {
    data.devices->push_back(d.deviceId);
    data.orders->push_back(d.orderId);
  }
  append(e.id, at, actor, TimelineKind::Alert,
         "alert broadcast to " + std::to_string(deliveries.size()) + " terminal(s) of " +
           std::to_string(inside.workers.size()) + " worker(s) within " + metres(e.radiusM),
         data);
  scope.commit();
  return deliveries;
}

std::vector<AlertDelivery> EmergencyStore::alerts(const std::string &incident)
{
  const Emergency e = require(incident, false);
  std::vector<AlertDelivery> out;
  auto q = mDb.query("SELECT o.id, o.device_id, x.worker_id, x.distance_m, o.created_at, o.acked_at "
                     "FROM emergency_orders x JOIN orders o ON o.id = x.order_id WHERE x.emergency_id = ? ORDER BY o.id");
  q.bindAll(e.id);
  while (q.step())
    out.push_back({q->columnInt(0), q->columnText(1), q->columnText(2), q->columnDouble(3),
                   fromDbTime(q->columnText(4)).value_or(core::TimePoint{}), fromDbTime(q->columnText(5))});
  return out;
}

void EmergencyStore::addNote(const std::string &incident, const std::string &actor, core::TimePoint at,
                             const std::string &text)
{
  if (actor.empty() || text.empty())
    throw StoreRefusal("bad_value", "a note needs its author (actor) and a text");
  WriteScope scope(mDb);
  const Emergency e = require(incident, true);
  append(e.id, at, actor, TimelineKind::Note, text, {});
  scope.commit();
}

std::string EmergencyStore::joinConference(const std::string &incident, const std::string &actor, core::TimePoint at)
{
  if (actor.empty())
    throw StoreRefusal("bad_value", "actor: name who joins the conference");
  WriteScope scope(mDb);
  const Emergency e = require(incident, true);
  if (e.conferenceUrl.empty())
    throw StoreRefusal("no_conference", "no conference system is configured (conference.conf: meeting_link)");
  append(e.id, at, actor, TimelineKind::Conference, "video conference joined by " + actor + ": " + e.conferenceUrl,
         TimelineDetails{.conferenceUrl = e.conferenceUrl});
  scope.commit();
  return e.conferenceUrl;
}

void EmergencyStore::close(const std::string &incident, const std::string &actor, core::TimePoint at,
                           const std::string &note)
{
  if (actor.empty())
    throw StoreRefusal("bad_value", "actor: name who closes the emergency");
  WriteScope scope(mDb);
  const Emergency e = require(incident, true);
  mDb.query("UPDATE emergencies SET closed_by = ?, closed_at = ? WHERE id = ?").bindAll(actor, toDbTime(at), e.id).run();
  append(e.id, at, actor, TimelineKind::Closed, note.empty() ? "emergency " + incident + " closed" : note, {});
  scope.commit();
}

std::vector<TimelineEntry> EmergencyStore::timeline(const std::string &incident)
{
  const Emergency e = require(incident, false);
  // By time; within a second, stored entries (by id) before acknowledgements (by order id).
  std::vector<std::pair<std::tuple<core::TimePoint, int, std::int64_t>, TimelineEntry>> rows;
  {
    auto q = mDb.query("SELECT id, at, actor, kind, message, data FROM emergency_timeline WHERE emergency_id = ? ORDER BY id");
    q.bindAll(e.id);
    while (q.step())
    {
      TimelineEntry t;
      t.at = fromDbTime(q->columnText(1)).value_or(core::TimePoint{});
      t.actor = q->columnText(2);
      t.kind = parseTimelineKind(q->columnText(3)).value_or(TimelineKind::Note);
      t.message = q->columnText(4);
      t.data = detailsFromText(q->columnText(5));
      rows.push_back({{t.at, 0, q->columnInt(0)}, std::move(t)});
    }
  }
  for (const AlertDelivery &d : alerts(incident))
  {
    if (!d.ackedAt)
      continue;
    TimelineEntry t;
    t.at = *d.ackedAt;
    t.kind = TimelineKind::Ack;
    t.actor = "device:" + d.deviceId;
    t.message = "alert acknowledged by terminal " + d.deviceId + " (worker " + d.workerId + ", " + metres(d.distanceM) + " away)";
    t.data.order = d.orderId;
    t.data.device = d.deviceId;
    t.data.worker = d.workerId;
    rows.push_back({{t.at, 1, d.orderId}, std::move(t)});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<TimelineEntry> out;
  out.reserve(rows.size());
  for (auto &row : rows)
    out.push_back(std::move(row.second));
  return out;
}

std::string EmergencyStore::timelineCsv(const std::string &incident)
{
  std::ostringstream out;
  out << "at,kind,actor,message,data\r\n";
  for (const TimelineEntry &t : timeline(incident))
    out << core::formatRfc3339(t.at) << ',' << timelineKindName(t.kind) << ',' << core::csvField(t.actor) << ','
        << core::csvField(t.message) << ',' << core::csvField(detailsToJson(t.data).dump()) << "\r\n";
  return out.str();
}

std::string EmergencyStore::timelineJson(const std::string &incident)
{
  const Emergency e = require(incident, false);
  json entries = json::array();
  for (const TimelineEntry &t : timeline(incident))
    entries.push_back({{"at", core::formatRfc3339(t.at)},
                       {"kind", timelineKindName(t.kind)},
                       {"actor", t.actor},
                       {"message", t.message},
                       {"data", detailsToJson(t.data)}});
  const json out = {{"incident", e.incident},
          {"case", e.caseNumber},
          {"title", e.title},
          {"incident_type", e.incidentType},
          {"lon", e.centre.lon},
          {"lat", e.centre.lat},
          {"radius_m", e.radiusM},
          {"declared_by", e.declaredBy},
          {"declared_at", core::formatRfc3339(e.declaredAt)},
          {"conference_url", e.conferenceUrl},
          {"closed_by", e.closedBy},
          {"closed_at", e.closedAt ? json(core::formatRfc3339(*e.closedAt)) : json(nullptr)},
          {"timeline", entries}};
  return out.dump(2) + "\n";
}

} // namespace gd::store
