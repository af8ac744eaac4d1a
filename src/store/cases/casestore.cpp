#include "store/cases/casestore.h"

#include "core/casenumber.h"
#include "store/cases/caseeventjson.h"
#include "store/grids/caseimport.h"
#include "store/database.h"
#include "store/cases/eventchain.h"
#include "store/feed/pgarrays.h"
#include "store/writescope.h"
#include "store/geopackage.h"
#include "store/storeerror.h"
#include "store/timetext.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

namespace gd::store {

namespace {

// The predicate of the partial indexes, spelled exactly as in the schema so the planner uses them.
#define GD_OPEN_CASES "is_open = 1"

constexpr const char *kColumns =
  "number, category, state, priority, source, title, description, address, reporter_name, reporter_phone, "
  "lon, lat, grid_code, district_code, township_code, community_code, grid_level3_code, microgrid_code, "
  "responsible_grid, lead_dept, assisting_depts, worker_id, reported_at, accepted_at, assigned_at, handled_at, "
  "closed_at, stage, stage_started_at, warn_at, deadline, supervised, urge_count, satisfaction, merged_into, "
  "last_seq, updated_at";

// The projection columns an event may change, in the order bindChangeable() binds them.
// geom, lon and lat are not among them: the location is set by the report only, and leaving
// geom out of the UPDATE keeps the R-tree triggers quiet on every later event.
constexpr std::array<const char *, 35> kChangeable = {
  "category", "state", "priority", "source", "title", "description", "address", "reporter_name",
  "reporter_phone", "grid_code", "district_code", "township_code", "community_code", "grid_level3_code",
  "microgrid_code", "responsible_grid", "lead_dept", "assisting_depts", "worker_id", "reported_at",
  "accepted_at", "assigned_at", "handled_at", "closed_at", "stage", "stage_started_at", "warn_at", "deadline",
  "supervised", "urge_count", "satisfaction", "merged_into", "last_seq", "updated_at", "is_open"};

// A new case's row, and a known case's row updated: two statements rather than one UPSERT
// (INSERT … ON CONFLICT (number) DO UPDATE). PostgreSQL draws the identity value before it
// finds the conflict, so an UPSERT per event left a gap in the case ids for every event on
// that backend (1, 2, 4, 7 …); SQLite never drew one. Each caller knows which it writes.
const std::string &insertSql()
{
  static const std::string sql = [] {
    std::string columns = "geom, lon, lat, number";
    std::string values = "?, ?, ?, ?";
    for (const char *column : kChangeable)
    {
      columns += std::string(", ") + column;
      values += ", ?";
    }
    return "INSERT INTO cases (" + columns + ") VALUES (" + values + ") RETURNING id";
  }();
  return sql;
}

const std::string &updateSql()
{
  static const std::string sql = [] {
    std::string set;
    for (const char *column : kChangeable)
      set += (set.empty() ? "" : ", ") + std::string(column) + " = ?";
    return "UPDATE cases SET " + set + " WHERE number = ? RETURNING id";
  }();
  return sql;
}

// A report on PostgreSQL in one statement: the day's counter, the case row with the number it
// gives, and the first event whose hash chain starts from that number. Each would be a round
// trip of its own, each waiting for the one before (the number for the row and the chain, the
// row's id for the event): three a report, in a console's step and in every gateway group that
// carries a report. The server finishes the first link with sha256() from the bytes eventchain
// gives (eventchain.h); the counter past 999,999 writes no case and the caller refuses (the
// savepoint then undoes the count). Parameters: admin code, day, geom, lon, lat, the number
// without its sequence, kChangeable, then the event's action, actor, at, to_state, note, data,
// the genesis head and the link's fields.
const std::string &reportSql()
{
  static const std::string sql = [] {
    // INSERT … SELECT infers no parameter types from the target columns: each is cast.
    const auto typeOf = [](std::string_view column) {
      return column == "supervised" || column == "urge_count" || column == "last_seq" || column == "is_open" ? "bigint"
                                                                                                                : "text";
    };
    std::string columns = "geom, lon, lat, number";
    std::string values = "?::geometry, ?::double precision, ?::double precision, ?::text || lpad(k.last::text, 6, '0')";
    for (const char *column : kChangeable)
    {
      columns += std::string(", ") + column;
      values += std::string(", ?::") + typeOf(column);
    }
    return "WITH k AS (INSERT INTO case_number_counters (admin_code, day, last) VALUES (?::text, ?::text, 1) "
           "ON CONFLICT (admin_code, day) DO UPDATE SET last = case_number_counters.last + 1 RETURNING last), "
           "c AS (INSERT INTO cases (" +
           columns + ") SELECT " + values +
           " FROM k WHERE k.last <= 999999 RETURNING id, number), "
           "e AS (INSERT INTO case_events (case_id, seq, action, actor, at, from_state, to_state, note, data, chain) "
           "SELECT c.id, 1, ?::text, ?::text, ?::text, NULL, ?::text, ?::text, ?::text, "
           "sha256(sha256(?::bytea || int8send(octet_length(c.number)::bigint) || convert_to(c.number, 'UTF8')) || ?::bytea) "
           "FROM c) "
           "SELECT k.last, c.number FROM k LEFT JOIN c ON true";
  }();
  return sql;
}

constexpr const char *kEventColumns = "e.seq, e.action, e.actor, e.at, e.from_state, e.to_state, e.note, e.data";

// An imported history (case_histories.events): a JSON array of [action, actor, at, from_state,
// to_state, note, data], seq 1, 2, ... Appends its events to \a out; false when the text is not
// such an array (a damaged row: verifyProjections reports it).
bool appendHistory(std::vector<core::CaseEvent> &out, std::string_view text, const std::string &number)
{
  const nlohmann::json history = nlohmann::json::parse(text, nullptr, false);
  if (!history.is_array())
    return false;
  const auto textAt = [](const nlohmann::json &row, std::size_t i) {
    return row.size() > i && row[i].is_string() ? row[i].get<std::string>() : std::string();
  };
  for (const nlohmann::json &row : history)
  {
    if (!row.is_array() || row.size() != 7)
      return false;
    core::CaseEvent e;
    e.caseNumber = number;
    e.action = core::parseCaseAction(textAt(row, 0)).value_or(core::CaseAction::Note);
    e.actor = textAt(row, 1);
    e.at = fromDbTime(textAt(row, 2)).value_or(core::TimePoint{});
    e.from = core::parseCaseState(textAt(row, 3)).value_or(core::CaseState::Reported);
    e.to = core::parseCaseState(textAt(row, 4)).value_or(core::CaseState::Reported);
    e.note = textAt(row, 5);
    e.details = caseDetailsFromJson(row[6]);
    out.push_back(std::move(e));
  }
  return true;
}

std::optional<std::string> nullIfEmpty(const std::string &text)
{
  if (text.empty())
    return std::nullopt;
  return text;
}

std::optional<std::string> timeOrNull(const std::optional<core::TimePoint> &t)
{
  if (!t)
    return std::nullopt;
  return toDbTime(*t);
}


core::CaseEvent readEvent(Statement &s, int first, const std::string &number)
{
  core::CaseEvent e;
  e.caseNumber = number;
  e.action = core::parseCaseAction(s.columnText(first + 1)).value_or(core::CaseAction::Note);
  e.actor = s.columnText(first + 2);
  e.at = fromDbTime(s.columnText(first + 3)).value_or(core::TimePoint{});
  e.from = core::parseCaseState(s.columnText(first + 4)).value_or(core::CaseState::Reported);
  e.to = core::parseCaseState(s.columnText(first + 5)).value_or(core::CaseState::Reported);
  e.note = s.columnText(first + 6);
  e.details = caseDetailsFromJson(nlohmann::json::parse(s.columnText(first + 7), nullptr, false));
  return e;
}

CaseRecord readRecord(Statement &s)
{
  CaseRecord r;
  int i = 0;
  r.id = s.columnInt(i++);
  r.number = s.columnText(i++);
  r.category = s.columnText(i++);
  r.state = core::parseCaseState(s.columnText(i++)).value_or(core::CaseState::Reported);
  r.priority = core::parsePriority(s.columnText(i++)).value_or(core::Priority::Normal);
  r.source = s.columnText(i++);
  r.title = s.columnText(i++);
  r.description = s.columnText(i++);
  r.address = s.columnText(i++);
  r.reporterName = s.columnText(i++);
  r.reporterPhone = s.columnText(i++);
  r.point.lon = s.columnDouble(i++);
  r.point.lat = s.columnDouble(i++);
  r.gridCode = s.columnText(i++);
  r.districtCode = s.columnText(i++);
  r.townshipCode = s.columnText(i++);
  r.communityCode = s.columnText(i++);
  r.gridLevelCode = s.columnText(i++);
  r.microGridCode = s.columnText(i++);
  r.responsibleGrid = s.columnText(i++);
  r.leadDepartment = s.columnText(i++);
  r.assistingDepartments = s.columnText(i++);
  r.workerId = s.columnText(i++);
  r.reportedAt = fromDbTime(s.columnText(i++)).value_or(core::TimePoint{});
  r.acceptedAt = fromDbTime(s.columnText(i++));
  r.assignedAt = fromDbTime(s.columnText(i++));
  r.handledAt = fromDbTime(s.columnText(i++));
  r.closedAt = fromDbTime(s.columnText(i++));
  r.stage = s.columnText(i++);
  r.stageStartedAt = fromDbTime(s.columnText(i++));
  r.warnAt = fromDbTime(s.columnText(i++));
  r.deadline = fromDbTime(s.columnText(i++));
  r.supervised = s.columnInt(i++) != 0;
  r.urgeCount = static_cast<int>(s.columnInt(i++));
  r.satisfaction = s.columnText(i++);
  r.mergedInto = s.columnText(i++);
  r.lastSeq = s.columnInt(i++);
  r.updatedAt = fromDbTime(s.columnText(i++)).value_or(core::TimePoint{});
  return r;
}

bool isOpenState(core::CaseState state)
{
  using S = core::CaseState;
  return state != S::Closed && state != S::Visited && state != S::Archived && state != S::Voided && state != S::Merged;
}

// Builds the WHERE clause of a filtered query from fixed fragments; every value is a `?`.
struct FilterSql
{
  std::string where;
  std::vector<std::string> texts; // bound in order; numbers are bound as text too (SQLite compares them by affinity)
};

std::string escapeLike(std::string_view text)
{
  std::string out;
  for (char c : text)
  {
    if (c == '%' || c == '_' || c == '\\')
      out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// The smallest string greater than every string that starts with prefix.
std::string prefixEnd(std::string prefix)
{
  while (!prefix.empty())
  {
    if (static_cast<unsigned char>(prefix.back()) < 0xff)
    {
      prefix.back() = static_cast<char>(prefix.back() + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(1, '\x7f');
}

FilterSql buildFilter(const CaseFilter &f, const std::string &scopeSql)
{
  FilterSql out;
  std::string &w = out.where;
  w = "WHERE " + scopeSql;
  if (f.openOnly || f.overdueAt)
    w += " AND " GD_OPEN_CASES;
  if (f.overdueAt)
  {
    w += " AND deadline < ?";
    out.texts.push_back(toDbTime(*f.overdueAt));
  }
  if (!f.states.empty())
  {
    w += " AND state IN (";
    for (std::size_t i = 0; i < f.states.size(); ++i)
    {
      w += i ? ",?" : "?";
      out.texts.emplace_back(core::caseStateName(f.states[i]));
    }
    w += ")";
  }
  if (!f.category.empty())
  {
    w += " AND category >= ? AND category < ?";
    out.texts.push_back(f.category);
    out.texts.push_back(prefixEnd(f.category));
  }
  if (!f.gridPrefix.empty())
  {
    w += " AND grid_code >= ? AND grid_code < ?";
    out.texts.push_back(f.gridPrefix);
    out.texts.push_back(prefixEnd(f.gridPrefix));
  }
  if (!f.department.empty())
  {
    w += " AND lead_dept = ?";
    out.texts.push_back(f.department);
  }
  if (!f.source.empty())
  {
    w += " AND source = ?";
    out.texts.push_back(f.source);
  }
  if (f.priority)
  {
    w += " AND priority = ?";
    out.texts.emplace_back(core::priorityName(*f.priority));
  }
  if (f.reportedFrom)
  {
    w += " AND reported_at >= ?";
    out.texts.push_back(toDbTime(*f.reportedFrom));
  }
  if (f.reportedTo)
  {
    w += " AND reported_at < ?";
    out.texts.push_back(toDbTime(*f.reportedTo));
  }
  if (!f.text.empty())
  {
    w += " AND (number LIKE ?1x ESCAPE '\\' OR title LIKE ?1x ESCAPE '\\' OR address LIKE ?1x ESCAPE '\\' "
         "OR description LIKE ?1x ESCAPE '\\')";
    const std::string pattern = "%" + escapeLike(f.text) + "%";
    // Four uses of the same pattern: numbered parameters keep the binding list short.
    const std::string index = std::to_string(out.texts.size() + 1);
    std::string::size_type pos;
    while ((pos = w.find("?1x")) != std::string::npos)
      w.replace(pos, 3, "?" + index);
    out.texts.push_back(pattern);
  }
  return out;
}

} // namespace

bool CaseRecord::isOpen() const
{
  return isOpenState(state);
}

core::TrafficLight CaseRecord::light(core::TimePoint now) const
{
  if (!isOpen() || !deadline)
    return core::TrafficLight::None;
  if (now > *deadline)
    return core::TrafficLight::Red;
  if (warnAt && now >= *warnAt)
    return core::TrafficLight::Yellow;
  return core::TrafficLight::Green;
}

CaseStore::CaseStore(Database &db, const core::Workflow &workflow, const core::SlaClock *clock)
  : mDb(db)
  , mWorkflow(workflow)
  , mClock(clock)
{}

std::string CaseStore::allocateNumber(std::string_view adminCode, core::TimePoint at)
{
  const core::Date day = core::beijingDate(at);
  auto q = mDb.query("INSERT INTO case_number_counters (admin_code, day, last) VALUES (?, ?, 1) "
                     "ON CONFLICT (admin_code, day) DO UPDATE SET last = case_number_counters.last + 1 RETURNING last");
  q.bindAll(adminCode, core::formatDate(day));
  if (!q.step())
    throw StoreError(0, "case number counter returned no row");
  const auto sequence = q->columnInt(0);
  q->reset();
  if (sequence > 999999)
    throw StoreRefusal("too_many_cases", "more than 999,999 cases for admin code " + std::string(adminCode) + " on " +
                                           core::formatDate(day));
  return checkedNumber(adminCode, at, static_cast<int>(sequence));
}

std::string CaseStore::checkedNumber(std::string_view adminCode, core::TimePoint at, int sequence)
{
  try
  {
    return core::CaseNumber::make(adminCode, at, sequence).toString();
  }
  catch (const std::invalid_argument &e)
  {
    throw StoreRefusal("bad_value", e.what());
  }
}

namespace {
//! Binds kChangeable's columns of \a r from parameter \a first on.
void bindChangeable(Statement &s, int first, const CaseRecord &r)
{
  s.bindFrom(first, r.category, core::caseStateName(r.state), core::priorityName(r.priority), r.source, r.title,
             r.description, r.address, nullIfEmpty(r.reporterName), nullIfEmpty(r.reporterPhone),
             nullIfEmpty(r.gridCode), nullIfEmpty(r.districtCode), nullIfEmpty(r.townshipCode),
             nullIfEmpty(r.communityCode), nullIfEmpty(r.gridLevelCode), nullIfEmpty(r.microGridCode),
             nullIfEmpty(r.responsibleGrid), nullIfEmpty(r.leadDepartment), nullIfEmpty(r.assistingDepartments),
             nullIfEmpty(r.workerId), toDbTime(r.reportedAt), timeOrNull(r.acceptedAt), timeOrNull(r.assignedAt),
             timeOrNull(r.handledAt), timeOrNull(r.closedAt), nullIfEmpty(r.stage), timeOrNull(r.stageStartedAt),
             timeOrNull(r.warnAt), timeOrNull(r.deadline), r.supervised ? 1 : 0, r.urgeCount,
             nullIfEmpty(r.satisfaction), nullIfEmpty(r.mergedInto), r.lastSeq, toDbTime(r.updatedAt),
             r.isOpen() ? 1 : 0);
}
} // namespace

std::string CaseStore::report(const core::CaseCommand &command, std::string_view fallbackAdminCode)
{
  if (command.action != core::CaseAction::Report)
    throw StoreRefusal("bad_value", "report() needs a Report command, not '" + std::string(core::caseActionName(command.action)) + "'");
  std::string adminCode(fallbackAdminCode);
  if (command.details.grid)
  {
    if (auto grid = core::GridCode::parse(*command.details.grid))
      adminCode = std::string(grid->adminCode());
  }
  WriteScope scope(mDb);
  // On PostgreSQL the number is drawn by the statement that writes the report (reportSql()):
  // until then the case carries the day's first number, which nothing of a report depends on.
  const bool numberedByServer = mDb.isPostgres();
  const std::string number = numberedByServer ? checkedNumber(adminCode, command.at, 1) : allocateNumber(adminCode, command.at);
  core::Case c(number);
  core::CaseEvent event;
  try
  {
    event = mWorkflow.apply(c, command);
    event.caseNumber = number;
    c.apply(event);
  }
  catch (const core::WorkflowRefused &refused)
  {
    throw StoreRefusal(refused.refusal().code, refused.refusal().reason);
  }
  catch (const std::invalid_argument &e)
  {
    throw StoreRefusal("bad_value", e.what());
  }
  if (!mScope.all())
  {
    const CaseRecord record = project(c);
    if (!mScope.admits(record.gridCode, record.leadDepartment, record.assistingDepartments))
      throw StoreRefusal("out_of_scope", "a case in grid '" + record.gridCode + "' lies outside this seat's scope");
  }
  if (numberedByServer)
  {
    const std::string drawn = writeReport(project(c), event, adminCode, command.at);
    scope.commit();
    return drawn;
  }
  const std::int64_t id = writeProjection(project(c), Projection::New);
  appendEvent(id, 1, event);
  scope.commit();
  return number;
}

std::string CaseStore::writeReport(const CaseRecord &r, const core::CaseEvent &e, std::string_view adminCode,
                                   core::TimePoint numberedAt)
{
  const std::string day = core::formatDate(core::beijingDate(numberedAt));
  const std::string prefix = r.number.substr(0, r.number.size() - 6); // "620902-20261123-"
  const std::string at = toDbTime(e.at);
  const std::string data = caseDetailsToJson(e.details).dump();
  const std::string_view action = core::caseActionName(e.action);
  const std::string_view to = core::caseStateName(e.to);
  auto q = mDb.query(reportSql());
  Statement &s = *q;
  s.bindFrom(1, adminCode, day);
  s.bindBlob(3, geopackage::encodePoint(r.point));
  s.bindFrom(4, r.point.lon, r.point.lat, prefix);
  bindChangeable(s, 7, r);
  const int event = 7 + static_cast<int>(kChangeable.size());
  s.bindFrom(event, action, e.actor, at, to, e.note, data);
  s.bindBlob(event + 6, eventchain::genesisHead());
  s.bindBlob(event + 7, eventchain::linkFields(1, action, e.actor, at, std::nullopt, to, e.note, data));
  if (!q.step())
    throw StoreError(0, "case number counter returned no row");
  if (s.isNull(1))
    throw StoreRefusal("too_many_cases", "more than 999,999 cases for admin code " + std::string(adminCode) + " on " + day);
  std::string number = s.columnText(1);
  q->reset();
  return number;
}

core::CaseEvent CaseStore::apply(const std::string &number, const core::CaseCommand &command)
{
  if (command.action == core::CaseAction::Merge)
  {
    const std::string into = command.details.into.value_or(std::string());
    merge(number, into, command);
    return events(number).back();
  }
  WriteScope scope(mDb);
  std::optional<core::Case> c = load(number);
  if (!c)
    refuseUnseen(number, "no case '" + number + "'");
  core::CaseEvent event;
  try
  {
    event = mWorkflow.apply(*c, command);
    event.caseNumber = number;
    c->apply(event);
  }
  catch (const core::WorkflowRefused &refused)
  {
    throw StoreRefusal(refused.refusal().code, refused.refusal().reason);
  }
  catch (const std::invalid_argument &e)
  {
    throw StoreRefusal("bad_value", e.what());
  }
  if (!mScope.department.empty() && mDb.isPostgres())
  {
    // A department seat's step may take the case off its department (a return): on its own
    // database role the case is then no longer its to read (row-level security), so the event,
    // whose chain reads the case's previous one, goes first and the row is updated without
    // RETURNING, which would have to read the new row.
    auto q = mDb.query("SELECT id FROM cases WHERE number = ?");
    q.bindAll(number);
    if (!q.step())
      throw StoreError(0, "case " + number + ": no projection row to update");
    const std::int64_t id = q->columnInt(0);
    q->reset();
    appendEvent(id, static_cast<int>(c->events().size()), event);
    updateLeavingScope(project(*c));
    scope.commit();
    return event;
  }
  const std::int64_t id = writeProjection(project(*c), Projection::Existing);
  appendEvent(id, static_cast<int>(c->events().size()), event);
  scope.commit();
  return event;
}

void CaseStore::updateLeavingScope(const CaseRecord &r)
{
  std::string sql = updateSql();
  sql.erase(sql.rfind(" RETURNING id"));
  auto q = mDb.query(sql);
  bindChangeable(*q, 1, r);
  q->bind(static_cast<int>(kChangeable.size()) + 1, r.number);
  q.run();
}

void CaseStore::merge(const std::string &source, const std::string &target, const core::CaseCommand &command)
{
  WriteScope scope(mDb);
  std::optional<core::Case> from = load(source);
  if (!from)
    refuseUnseen(source, "no case '" + source + "'");
  std::optional<core::Case> into = load(target);
  if (!into)
    refuseUnseen(target, "no case '" + target + "' to merge into");
  std::pair<core::CaseEvent, core::CaseEvent> events;
  try
  {
    events = mWorkflow.merge(*from, *into, command);
    events.first.caseNumber = source;
    events.second.caseNumber = target;
    from->apply(events.first);
    into->apply(events.second);
  }
  catch (const core::WorkflowRefused &refused)
  {
    throw StoreRefusal(refused.refusal().code, refused.refusal().reason);
  }
  catch (const std::invalid_argument &e)
  {
    throw StoreRefusal("bad_value", e.what());
  }
  const std::int64_t fromId = writeProjection(project(*from), Projection::Existing);
  appendEvent(fromId, static_cast<int>(from->events().size()), events.first);
  const std::int64_t intoId = writeProjection(project(*into), Projection::Existing);
  appendEvent(intoId, static_cast<int>(into->events().size()), events.second);
  scope.commit();
}

std::int64_t CaseStore::writeProjection(const CaseRecord &r, Projection projection)
{
  const std::string &sql = projection == Projection::New ? insertSql() : updateSql();
  auto q = mDb.query(sql);
  Statement &s = *q;
  if (projection == Projection::New)
  {
    s.bindBlob(1, geopackage::encodePoint(r.point));
    s.bindFrom(2, r.point.lon, r.point.lat, r.number);
    bindChangeable(s, 5, r);
  }
  else
  {
    bindChangeable(s, 1, r);
    s.bind(static_cast<int>(kChangeable.size()) + 1, r.number);
  }
  if (!q.step())
    throw StoreError(0, "case " + r.number + ": no projection row to update", sql);
  return s.columnInt(0);
}

void CaseStore::appendEvent(std::int64_t caseId, int seq, const core::CaseEvent &e)
{
  std::optional<std::string> from;
  if (e.action != core::CaseAction::Report)
    from = std::string(core::caseStateName(e.from));
  const std::string at = toDbTime(e.at);
  const std::string data = caseDetailsToJson(e.details).dump();
  // The chain continues from the case's previous event, or its imported history row (eventchain.h).
  eventchain::Digest previous;
  if (seq > 1)
  {
    auto p = mDb.query("SELECT chain FROM case_events WHERE case_id = ? AND seq = ?");
    p.bindAll(caseId, seq - 1);
    if (p.step())
      previous = p->columnBlob(0);
    else
    {
      auto h = mDb.query("SELECT chain FROM case_histories WHERE case_id = ? AND event_count = ?");
      h.bindAll(caseId, seq - 1);
      if (h.step())
        previous = h->columnBlob(0);
    }
  }
  if (previous.empty()) // the first event, or a history stored before the chain existed: verify says so
    previous = eventchain::genesis(e.caseNumber);
  const eventchain::Digest chain =
    eventchain::link(previous, seq, core::caseActionName(e.action), e.actor, at,
                     from ? std::optional<std::string_view>(*from) : std::nullopt, core::caseStateName(e.to), e.note,
                     data);
  auto q = mDb.query("INSERT INTO case_events (case_id, seq, action, actor, at, from_state, to_state, note, data, "
                     "chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bindAll(caseId, seq, core::caseActionName(e.action), e.actor, at, from, core::caseStateName(e.to), e.note, data);
  q->bindBlob(10, chain);
  q.run();
}

CaseRecord CaseStore::project(const core::Case &c) const
{
  CaseRecord r;
  r.number = c.number();
  r.category = c.categoryCode();
  r.state = c.state();
  r.priority = c.priority();
  r.source = c.source();
  r.title = c.title();
  r.description = c.description();
  r.address = c.address();
  if (!c.reporters().empty())
  {
    r.reporterName = c.reporters().front().name;
    r.reporterPhone = c.reporters().front().phone;
  }
  r.point = c.location();
  r.gridCode = c.reportedGrid();
  if (auto code = core::GridCode::parse(r.gridCode))
  {
    auto at = [&](core::GridLevel level) {
      auto a = code->ancestorAt(level);
      return a ? a->str() : std::string();
    };
    r.districtCode = at(core::GridLevel::District);
    r.townshipCode = at(core::GridLevel::Township);
    r.communityCode = at(core::GridLevel::Community);
    r.gridLevelCode = at(core::GridLevel::Grid);
    r.microGridCode = at(core::GridLevel::MicroGrid);
  }
  r.responsibleGrid = c.responsibleGrid();
  r.leadDepartment = c.leadDepartment();
  for (const std::string &d : c.assistingDepartments())
    r.assistingDepartments += (r.assistingDepartments.empty() ? "" : ",") + d;
  r.workerId = c.assignedWorker();
  r.reportedAt = c.reportedAt();
  for (const core::CaseEvent &e : c.events())
  {
    switch (e.action)
    {
      case core::CaseAction::Accept:
        r.acceptedAt = e.at;
        break;
      case core::CaseAction::Assign:
        r.assignedAt = e.at;
        break;
      case core::CaseAction::Feedback:
        r.handledAt = e.at;
        break;
      case core::CaseAction::Close:
        r.closedAt = e.at;
        break;
      default:
        break;
    }
  }
  r.supervised = c.isSupervised();
  r.urgeCount = c.urgeCount();
  r.satisfaction = c.satisfaction();
  r.mergedInto = c.mergedInto();
  r.lastSeq = static_cast<std::int64_t>(c.events().size());
  r.updatedAt = c.events().empty() ? c.reportedAt() : c.events().back().at;

  if (mClock && r.isOpen())
  {
    const core::TimePoint asOf = r.updatedAt;
    if (auto clock = mClock->current(c, asOf); clock && !clock->ended)
    {
      r.stage = std::string(core::stageName(clock->stage));
      r.stageStartedAt = clock->started;
      r.deadline = clock->deadline;
      if (clock->deadline && clock->budgetSeconds > 0)
      {
        // The yellow instant: the first second at which 80 % of the budget is used. The clock
        // is monotonic in "now", so bisect between the last event and the deadline.
        if (core::SlaClock::lightFor(clock->usedSeconds, clock->budgetSeconds) != core::TrafficLight::Green)
        {
          r.warnAt = asOf;
        }
        else
        {
          auto lo = asOf;               // green
          auto hi = *clock->deadline;   // not green
          while (hi - lo > std::chrono::seconds(1))
          {
            const auto mid = lo + (hi - lo) / 2;
            const auto at = mClock->current(c, mid);
            if (at && core::SlaClock::lightFor(at->usedSeconds, at->budgetSeconds) != core::TrafficLight::Green)
              hi = mid;
            else
              lo = mid;
          }
          r.warnAt = hi;
        }
      }
    }
  }
  return r;
}

void CaseStore::setScope(CaseScope scope)
{
  scope.check();
  mScopeSql = scope.sqlCondition();
  mScopeSqlC = scope.sqlCondition("c");
  mScope = std::move(scope);
}

bool CaseStore::outsideScope(const std::string &number)
{
  if (mScope.all())
    return false;
  // Asked without the scope: on PostgreSQL a seat's own role does not see the case either
  // (row-level security), and is told it is unknown, which is all it may learn.
  auto q = mDb.query("SELECT 1 FROM cases WHERE number = ? AND NOT " + mScopeSql);
  q.bindAll(number);
  return q.step();
}

void CaseStore::refuseUnseen(const std::string &number, const std::string &what)
{
  if (outsideScope(number))
    throw StoreRefusal("out_of_scope", "case '" + number + "' lies outside this seat's scope");
  throw StoreRefusal("unknown_case", what);
}

std::optional<core::Case> CaseStore::load(const std::string &number)
{
  std::vector<core::CaseEvent> list = events(number);
  if (list.empty())
    return std::nullopt;
  core::Case c = core::Case::fromEvents(list);
  c.setNumber(number);
  return c;
}

std::vector<core::CaseEvent> CaseStore::events(const std::string &number)
{
  std::vector<core::CaseEvent> out;
  std::int64_t caseId = 0;
  {
    // An imported case's history comes first (seq 1..event_count), then its later events.
    auto q = mDb.query("SELECT c.id, h.events FROM cases c LEFT JOIN case_histories h ON h.case_id = c.id "
                       "WHERE c.number = ? AND " + mScopeSqlC);
    q.bindAll(number);
    if (!q.step())
      return out;
    caseId = q->columnInt(0);
    if (!q->isNull(1))
      appendHistory(out, q->columnText(1), number);
  }
  auto q = mDb.query(std::string("SELECT ") + kEventColumns + " FROM case_events e WHERE e.case_id = ? ORDER BY e.seq");
  q.bindAll(caseId);
  while (q.step())
    out.push_back(readEvent(*q, 0, number));
  return out;
}

std::optional<CaseRecord> CaseStore::find(const std::string &number)
{
  auto q = mDb.query(std::string("SELECT id, ") + kColumns + " FROM cases WHERE number = ? AND " + mScopeSql);
  q.bindAll(number);
  if (!q.step())
    return std::nullopt;
  return readRecord(*q);
}

std::vector<CaseRecord> CaseStore::findMany(const std::vector<std::string> &numbers)
{
  std::vector<CaseRecord> out;
  const std::set<std::string> unique(numbers.begin(), numbers.end());
  if (!mDb.isPostgres())
  {
    // In process: a look-up by the unique index costs microseconds, no round trip to save.
    for (const std::string &number : unique)
      if (auto record = find(number))
        out.push_back(std::move(*record));
    return out;
  }
  if (unique.empty())
    return out;
  std::string array;
  pgarray::open(array);
  for (const std::string &number : unique)
    pgarray::appendText(array, number);
  pgarray::close(array);
  auto q = mDb.query(std::string("SELECT id, ") + kColumns + " FROM cases WHERE number = ANY(CAST(? AS text[])) AND " + mScopeSql);
  q.bindAll(array);
  while (q.step())
    out.push_back(readRecord(*q));
  return out;
}

std::vector<CaseRecord> CaseStore::query(const CaseFilter &filter)
{
  const FilterSql f = buildFilter(filter, mScopeSql);
  std::string sql = std::string("SELECT id, ") + kColumns + " FROM cases " + f.where;
  sql += filter.overdueAt ? " ORDER BY deadline, id" : " ORDER BY reported_at DESC, id DESC";
  sql += " LIMIT ? OFFSET ?";
  auto q = mDb.query(sql);
  int i = 0;
  for (const std::string &t : f.texts)
    q->bind(++i, t);
  // A negative limit is no limit (SQLite's own reading of it); PostgreSQL refuses a negative
  // LIMIT and reads LIMIT NULL as none (`griddispatch-ctl export` failed there).
  if (filter.limit < 0 && mDb.isPostgres())
    q->bind(i + 1, nullptr);
  else
    q->bind(i + 1, filter.limit);
  q->bind(i + 2, filter.offset);
  std::vector<CaseRecord> out;
  while (q.step())
    out.push_back(readRecord(*q));
  return out;
}

std::int64_t CaseStore::count(const CaseFilter &filter)
{
  const FilterSql f = buildFilter(filter, mScopeSql);
  auto q = mDb.query("SELECT count(*) FROM cases " + f.where);
  int i = 0;
  for (const std::string &t : f.texts)
    q->bind(++i, t);
  return q.step() ? q->columnInt(0) : 0;
}

std::vector<GridCount> CaseStore::overdueByGrid(core::TimePoint now, std::string_view gridPrefix, core::GridLevel groupLevel)
{
  static constexpr int kDigits[] = {6, 9, 12, 15, 18};
  const int digits = kDigits[static_cast<int>(groupLevel)];
  std::vector<GridCount> out;
  if (gridPrefix.empty())
  {
    auto q = mDb.query("SELECT coalesce(substr(grid_code, 1, ?), ''), count(*) FROM cases WHERE " GD_OPEN_CASES
                       " AND deadline < ? AND " + mScopeSql + " GROUP BY 1 ORDER BY 1");
    q.bindAll(digits, toDbTime(now));
    while (q.step())
      out.push_back({q->columnText(0), q->columnInt(1)});
  }
  else
  {
    auto q = mDb.query("SELECT substr(grid_code, 1, ?), count(*) FROM cases WHERE " GD_OPEN_CASES
                       " AND deadline < ? AND grid_code >= ? AND grid_code < ? AND " + mScopeSql + " GROUP BY 1 ORDER BY 1");
    q.bindAll(digits, toDbTime(now), gridPrefix, prefixEnd(std::string(gridPrefix)));
    while (q.step())
      out.push_back({q->columnText(0), q->columnInt(1)});
  }
  return out;
}

std::vector<core::Case> CaseStore::casesForPeriod(core::TimePoint from, core::TimePoint to, std::string_view gridPrefix)
{
  std::vector<core::Case> out;
  auto q = mDb.query(std::string("SELECT c.number, h.events, ") + kEventColumns +
                     " FROM cases c LEFT JOIN case_histories h ON h.case_id = c.id "
                     "LEFT JOIN case_events e ON e.case_id = c.id "
                     "WHERE c.reported_at < ? AND (c.updated_at >= ? OR c." GD_OPEN_CASES ") "
                     "AND (? = '' OR (c.grid_code >= ? AND c.grid_code < ?)) AND " + mScopeSqlC + " ORDER BY c.id, e.seq");
  q.bindAll(toDbTime(to), toDbTime(from), gridPrefix, gridPrefix, prefixEnd(std::string(gridPrefix)));
  std::string current;
  std::vector<core::CaseEvent> list;
  auto flush = [&] {
    if (list.empty())
      return;
    core::Case c = core::Case::fromEvents(list);
    c.setNumber(current);
    out.push_back(std::move(c));
    list.clear();
  };
  while (q.step())
  {
    std::string number = q->columnText(0);
    if (number != current)
    {
      flush();
      current = number;
      if (!q->isNull(1))
        appendHistory(list, q->columnText(1), current);
    }
    if (!q->isNull(2))
      list.push_back(readEvent(*q, 2, current));
  }
  flush();
  return out;
}

void CaseStore::importCases(const std::vector<core::Case> &list)
{
  if (list.empty())
    return;
  CaseImportOptions options;
  options.expectedCases = list.size();
  std::size_t next = 0;
  CaseImporter(mDb, *this, options).run([&]() -> const core::Case * {
    return next < list.size() ? &list[next++] : nullptr;
  });
}

std::vector<std::string> CaseStore::verifyProjections(std::size_t limit)
{
  std::vector<std::string> problems;
  auto report = [&](const std::string &problem) {
    if (problems.size() < limit)
      problems.push_back(problem);
  };
  if (const auto orphans = mDb.scalarInt("SELECT count(*) FROM case_events e WHERE NOT EXISTS "
                                         "(SELECT 1 FROM cases c WHERE c.id = e.case_id)"))
    report(std::to_string(orphans) + " event(s) belong to no case");
  if (const auto orphans = mDb.scalarInt("SELECT count(*) FROM case_histories h WHERE NOT EXISTS "
                                         "(SELECT 1 FROM cases c WHERE c.id = h.case_id)"))
    report(std::to_string(orphans) + " imported histories belong to no case");
  if (const auto wrong = mDb.scalarInt("SELECT count(*) FROM cases WHERE is_open <> CASE WHEN "
                                       "state NOT IN ('closed','visited','archived','voided','merged') THEN 1 ELSE 0 END"))
    report(std::to_string(wrong) + " case(s) with an is_open that disagrees with their state");
  // A case deleted whole (its row, events and history): cases are never deleted and their
  // rowids never reused, so a hole in the ids shows it; a deleted newest case of a day shows
  // as a number the day's counter issued but no case holds.
  // On PostgreSQL an identity skips the values of rolled-back inserts (a refused report), so
  // holes in the ids say nothing there: the issued numbers below still do.
  if (!mDb.isPostgres())
  {
    auto gaps = mDb.query("SELECT (SELECT coalesce(max(p.id), 0) FROM cases p WHERE p.id < c.id) + 1, c.id - 1 "
                          "FROM cases c WHERE c.id > 1 AND NOT EXISTS (SELECT 1 FROM cases p WHERE p.id = c.id - 1) "
                          "ORDER BY c.id");
    while (gaps.step())
      report("cases: rows " + std::to_string(gaps->columnInt(0)) + ".." + std::to_string(gaps->columnInt(1)) +
             " are missing: case(s) deleted (cases are never deleted)");
    if (const auto first = mDb.scalarInt("SELECT coalesce(min(id), 1) FROM cases"); first > 1)
      report("cases: rows 1.." + std::to_string(first - 1) + " are missing: case(s) deleted (cases are never deleted)");
  }
  {
    // The number's serial as the store writes it: six digits at least (printf's %06d).
    const std::string serial(mDb.dialect("printf('%06d', k.last)",
                                         "CASE WHEN k.last >= 1000000 THEN k.last::text ELSE lpad(k.last::text, 6, '0') END"));
    auto issued = mDb.query(
      "SELECT k.admin_code || '-' || replace(k.day, '-', '') || '-' || " + serial + " AS number "
      "FROM case_number_counters k WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.number = "
      "k.admin_code || '-' || replace(k.day, '-', '') || '-' || " + serial + ") ORDER BY 1");
    while (issued.step())
      report(issued->columnText(0) + ": the number was issued (case_number_counters) but no case holds it: deleted?");
  }
  // One pass over all events in case order; each case is compared as soon as its events are read.
  auto q = mDb.query(std::string("SELECT c.number, h.events, h.event_count, ") + kEventColumns +
                     ", h.chain, e.chain FROM cases c LEFT JOIN case_histories h ON h.case_id = c.id "
                     "LEFT JOIN case_events e ON e.case_id = c.id ORDER BY c.id, e.seq");
  std::string current;
  std::vector<core::CaseEvent> list;
  std::vector<std::int64_t> seqs;
  eventchain::Digest chain; // the case's chain so far (eventchain.h)
  bool chainBroken = false; // one report per case: the first broken link
  auto compare = [&] {
    if (current.empty())
      return;
    for (std::size_t i = 0; i < seqs.size(); ++i)
      if (seqs[i] != static_cast<std::int64_t>(i + 1))
      {
        report(current + ": event seq " + std::to_string(seqs[i]) + " where " + std::to_string(i + 1) + " was expected");
        break;
      }
    const auto stored = find(current);
    if (list.empty())
    {
      report(current + ": a projection without events");
      return;
    }
    core::Case c = core::Case::fromEvents(list);
    c.setNumber(current);
    const CaseRecord replayed = project(c);
    auto differs = [&](const char *what, const std::string &a, const std::string &b) {
      if (a != b)
        report(current + ": stored " + what + " '" + a + "' but the events say '" + b + "'");
    };
    // Every column the events determine, field by field: an edit with the sqlite3 shell of any
    // of them (a title, a priority) is named, not only a changed state.
    auto time = [](const std::optional<core::TimePoint> &t) { return t ? toDbTime(*t) : std::string(); };
    auto coordinate = [](double v) {
      char text[32];
      std::snprintf(text, sizeof text, "%.9f", v);
      return std::string(text);
    };
    differs("state", std::string(core::caseStateName(stored->state)), std::string(core::caseStateName(replayed.state)));
    differs("last_seq", std::to_string(stored->lastSeq), std::to_string(replayed.lastSeq));
    differs("category", stored->category, replayed.category);
    differs("priority", std::string(core::priorityName(stored->priority)),
            std::string(core::priorityName(replayed.priority)));
    differs("source", stored->source, replayed.source);
    differs("title", stored->title, replayed.title);
    differs("description", stored->description, replayed.description);
    differs("address", stored->address, replayed.address);
    differs("reporter name", stored->reporterName, replayed.reporterName);
    differs("reporter phone", stored->reporterPhone, replayed.reporterPhone);
    differs("lon", coordinate(stored->point.lon), coordinate(replayed.point.lon));
    differs("lat", coordinate(stored->point.lat), coordinate(replayed.point.lat));
    differs("grid", stored->gridCode, replayed.gridCode);
    differs("district code", stored->districtCode, replayed.districtCode);
    differs("township code", stored->townshipCode, replayed.townshipCode);
    differs("community code", stored->communityCode, replayed.communityCode);
    differs("grid level-3 code", stored->gridLevelCode, replayed.gridLevelCode);
    differs("micro-grid code", stored->microGridCode, replayed.microGridCode);
    differs("responsible grid", stored->responsibleGrid, replayed.responsibleGrid);
    differs("lead department", stored->leadDepartment, replayed.leadDepartment);
    differs("assisting departments", stored->assistingDepartments, replayed.assistingDepartments);
    differs("worker", stored->workerId, replayed.workerId);
    differs("reported_at", toDbTime(stored->reportedAt), toDbTime(replayed.reportedAt));
    differs("accepted_at", time(stored->acceptedAt), time(replayed.acceptedAt));
    differs("assigned_at", time(stored->assignedAt), time(replayed.assignedAt));
    differs("handled_at", time(stored->handledAt), time(replayed.handledAt));
    differs("closed_at", time(stored->closedAt), time(replayed.closedAt));
    differs("supervised", std::to_string(stored->supervised), std::to_string(replayed.supervised));
    differs("urge_count", std::to_string(stored->urgeCount), std::to_string(replayed.urgeCount));
    differs("satisfaction", stored->satisfaction, replayed.satisfaction);
    differs("merged_into", stored->mergedInto, replayed.mergedInto);
    if (mClock) // deadlines depend on the configuration in force; only compared when a clock is given
    {
      differs("stage", stored->stage, replayed.stage);
      differs("stage_started_at", time(stored->stageStartedAt), time(replayed.stageStartedAt));
      differs("warn_at", time(stored->warnAt), time(replayed.warnAt));
      differs("deadline", time(stored->deadline), time(replayed.deadline));
    }
  };
  while (q.step())
  {
    std::string number = q->columnText(0);
    if (number != current)
    {
      compare();
      current = std::move(number);
      list.clear();
      seqs.clear();
      chain = eventchain::genesis(current);
      chainBroken = false;
      if (!q->isNull(1))
      {
        chain = eventchain::historyLink(chain, q->columnInt(2), q->columnText(1));
        if (q->columnBlob(11) != chain)
        {
          report(current + ": the imported history (case_histories) does not match its hash chain: edited by hand");
          chainBroken = true;
        }
        if (!appendHistory(list, q->columnText(1), current) ||
            static_cast<std::int64_t>(list.size()) != q->columnInt(2))
          report(current + ": the imported history is damaged or does not hold event_count events");
        for (std::size_t i = 0; i < list.size(); ++i)
          seqs.push_back(static_cast<std::int64_t>(i + 1));
      }
    }
    if (!q->isNull(3))
    {
      seqs.push_back(q->columnInt(3));
      list.push_back(readEvent(*q, 3, current));
      const std::string from = q->columnText(7);
      chain = eventchain::link(chain, q->columnInt(3), q->columnText(4), q->columnText(5), q->columnText(6),
                               q->isNull(7) ? std::nullopt : std::optional<std::string_view>(from),
                               q->columnText(8), q->columnText(9), q->columnText(10));
      if (!chainBroken && q->columnBlob(12) != chain)
      {
        report(current + ": event seq " + std::to_string(q->columnInt(3)) +
               " does not match its hash chain: it (or an event before it) was edited, inserted or removed by hand");
        chainBroken = true;
      }
    }
  }
  compare();
  return problems;
}

std::vector<std::string> CaseStore::numbers()
{
  std::vector<std::string> out;
  auto q = mDb.query("SELECT number FROM cases ORDER BY id");
  while (q.step())
    out.push_back(q->columnText(0));
  return out;
}

std::int64_t CaseStore::closedBetween(core::TimePoint from, core::TimePoint to)
{
  auto q = mDb.query("SELECT count(*) FROM cases WHERE closed_at >= ? AND closed_at < ? AND " + mScopeSql);
  q.bindAll(toDbTime(from), toDbTime(to));
  return q.step() ? q->columnInt(0) : 0;
}

std::pair<std::int64_t, std::int64_t> CaseStore::caseAndEventCounts()
{
  return {mDb.scalarInt("SELECT count(*) FROM cases"),
          mDb.scalarInt(mDb.dialect("SELECT (SELECT count(*) FROM case_events) + "
                                    "(SELECT coalesce(sum(json_array_length(events)), 0) FROM case_histories)",
                                    "SELECT (SELECT count(*) FROM case_events) + "
                                    "(SELECT coalesce(sum(json_array_length(CAST(events AS json))), 0) FROM case_histories)"))};
}

} // namespace gd::store
