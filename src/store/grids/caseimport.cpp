#include "store/grids/caseimport.h"

#include "core/case.h"
#include "core/casenumber.h"
#include "core/periodicthread.h"
#include "core/workerthread.h"
#include "store/cases/caseeventjson.h"
#include "store/cases/casestore.h"
#include "store/database.h"
#include "store/cases/eventchain.h"
#include "store/writescope.h"
#include "store/geopackage.h"
#include "store/postgres/pgconnection.h"
#include "store/timetext.h"

#include <libpq-fe.h>

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace gd::store {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// On a shared machine wall time says little about a change; the thread's CPU time does.
double threadCpuSeconds()
{
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// The columns CaseStore writes for a projection row, in the same order and with the same
// NULL conventions, so an imported case reads back exactly like one built event by event.
constexpr const char *kInsertCase =
  "INSERT INTO cases (geom, number, category, state, priority, source, title, description, address, reporter_name, "
  "reporter_phone, lon, lat, grid_code, district_code, township_code, community_code, grid_level3_code, "
  "microgrid_code, responsible_grid, lead_dept, assisting_depts, worker_id, reported_at, accepted_at, assigned_at, "
  "handled_at, closed_at, stage, stage_started_at, warn_at, deadline, supervised, urge_count, satisfaction, "
  "merged_into, last_seq, updated_at, is_open) "
  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr int kCaseParams = 39;

// A case that is no longer open keeps its whole history in one row (schema revision 6).
constexpr const char *kInsertHistory =
  "INSERT INTO case_histories (case_id, event_count, events, chain) VALUES (?, ?, ?, ?)";

constexpr const char *kInsertEventHead =
  "INSERT INTO case_events (case_id, seq, action, actor, at, from_state, to_state, note, data, chain) VALUES ";
constexpr int kEventParams = 9; // prepared ahead; case_id is bound when the case's id is known

// The GeoPackage names of the cases layer's R-tree and of its insert trigger (rtree_<t>_<c>).
constexpr const char *kCasesRtree = "rtree_cases_geom";
constexpr const char *kCasesRtreeInsertTrigger = "rtree_cases_geom_insert";

// Large enough that the two threads hand over rarely, small enough that the first rows reach
// SQLite soon and three batches in flight stay a few megabytes.
constexpr std::size_t kBatchCases = 2048;
constexpr std::size_t kBatchesInFlight = 3;

// One bound-ready SQL value. Text lives in the batch's arena (by offset, because the arena
// grows while the batch is filled) or, for the names of states and actions, in static storage.
struct Value
{
  enum class Kind : std::uint8_t { Null, Int, Real, Text, Static, Blob };
  Kind kind = Kind::Null;
  std::uint32_t size = 0;
  union
  {
    std::int64_t integer = 0;
    double real;
    std::size_t offset;
    const char *text;
  };
};

struct RowBatch
{
  std::vector<Value> caseValues;          // kCaseParams per case
  std::vector<Value> eventValues;         // kEventParams per event
  std::vector<std::uint32_t> eventCounts; // per case: rows in eventValues
  std::vector<std::uint32_t> historyCounts; // per case: events in its history row (0: none)
  std::vector<Value> historyValues;       // per case: the history row's text, or Null
  std::vector<Value> historyChains;       // per case: the history row's chain link, or Null
  std::string arena;
  std::size_t firstCase = 0;              // position of the batch's first case in the source

  std::size_t cases() const { return eventCounts.size(); }
  void clear()
  {
    caseValues.clear();
    eventValues.clear();
    eventCounts.clear();
    historyCounts.clear();
    historyValues.clear();
    historyChains.clear();
    arena.clear();
  }
};

// JSON exactly as nlohmann's dump() writes it (keys in map order, no spaces), without its
// per-call serializer set-up and string allocation: most event data are "{}" or a few short
// ASCII strings. Anything that needs escaping or number formatting goes through dump() itself,
// so the text is byte for byte what CaseStore writes.
void appendJsonString(std::string &out, const std::string &text)
{
  for (const char c : text)
  {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x80 || c == '"' || c == '\\')
    {
      out += nlohmann::json(text).dump();
      return;
    }
  }
  out += '"';
  out += text;
  out += '"';
}

void appendJson(std::string &out, const nlohmann::json &value)
{
  using T = nlohmann::json::value_t;
  const auto appendString = [&out](const std::string &text) { appendJsonString(out, text); };
  switch (value.type())
  {
    case T::object:
    {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it)
      {
        if (!first)
          out += ',';
        first = false;
        appendString(it.key());
        out += ':';
        appendJson(out, it.value());
      }
      out += '}';
      return;
    }
    case T::array:
    {
      out += '[';
      bool first = true;
      for (const auto &element : value)
      {
        if (!first)
          out += ',';
        first = false;
        appendJson(out, element);
      }
      out += ']';
      return;
    }
    case T::string:
      appendString(value.get_ref<const std::string &>());
      return;
    case T::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case T::null:
      out += "null";
      return;
    case T::number_integer:
    case T::number_unsigned:
    {
      char digits[24];
      const auto end = value.type() == T::number_integer
                         ? std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>()).ptr
                         : std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>()).ptr;
      out.append(digits, end);
      return;
    }
    default: // floats (nlohmann's own shortest form), binary, discarded
      out += value.dump();
      return;
  }
}

//! An event's details as CaseStore writes them; most have none.
void appendDetails(std::string &out, const core::CaseDetails &details)
{
  static const core::CaseDetails kNone;
  if (details == kNone)
    out += "{}";
  else
    appendJson(out, caseDetailsToJson(details));
}

// Appends the values of one row to a batch.
class RowWriter
{
  public:
    RowWriter(RowBatch &batch, std::vector<Value> &values)
      : mArena(batch.arena)
      , mValues(values)
    {}

    void null() { mValues.emplace_back(); }
    void integer(std::int64_t v)
    {
      Value &value = mValues.emplace_back();
      value.kind = Value::Kind::Int;
      value.integer = v;
    }
    void real(double v)
    {
      Value &value = mValues.emplace_back();
      value.kind = Value::Kind::Real;
      value.real = v;
    }
    //! \a text must be static storage (state, action and priority names).
    void fixed(std::string_view text)
    {
      Value &value = mValues.emplace_back();
      value.kind = Value::Kind::Static;
      value.text = text.data() ? text.data() : "";
      value.size = static_cast<std::uint32_t>(text.size());
    }
    void text(std::string_view text)
    {
      const std::size_t start = mArena.size();
      mArena.append(text);
      arenaValue(Value::Kind::Text, start);
    }
    //! NULL for "", as the projection writer stores optional text.
    void textOrNull(std::string_view text)
    {
      if (text.empty())
        null();
      else
        this->text(text);
    }
    void time(core::TimePoint t)
    {
      const std::size_t start = mArena.size();
      appendDbTime(mArena, t);
      arenaValue(Value::Kind::Text, start);
    }
    void timeOrNull(const std::optional<core::TimePoint> &t)
    {
      if (t)
        time(*t);
      else
        null();
    }
    void json(const core::CaseDetails &details)
    {
      const std::size_t start = mArena.size();
      appendDetails(mArena, details);
      arenaValue(Value::Kind::Text, start);
    }
    //! The history row of a case (see case_histories): [[action, actor, at, from, to, note, data], ...].
    void history(const std::vector<core::CaseEvent> &events)
    {
      const std::size_t start = mArena.size();
      mArena += '[';
      for (const core::CaseEvent &e : events)
      {
        if (mArena.size() > start + 1)
          mArena += ',';
        mArena += "[\"";
        mArena += core::caseActionName(e.action);
        mArena += "\",";
        appendJsonString(mArena, e.actor);
        mArena += ",\"";
        appendDbTime(mArena, e.at);
        mArena += "\",";
        if (e.action == core::CaseAction::Report)
        {
          mArena += "null";
        }
        else
        {
          mArena += '"';
          mArena += core::caseStateName(e.from);
          mArena += '"';
        }
        mArena += ",\"";
        mArena += core::caseStateName(e.to);
        mArena += "\",";
        appendJsonString(mArena, e.note);
        mArena += ',';
        appendDetails(mArena, e.details);
        mArena += ']';
      }
      mArena += ']';
      arenaValue(Value::Kind::Text, start);
    }
    void blob(const std::vector<std::uint8_t> &bytes)
    {
      const std::size_t start = mArena.size();
      mArena.append(reinterpret_cast<const char *>(bytes.data()), bytes.size());
      arenaValue(Value::Kind::Blob, start);
    }

  private:
    void arenaValue(Value::Kind kind, std::size_t start)
    {
      Value &value = mValues.emplace_back();
      value.kind = kind;
      value.offset = start;
      value.size = static_cast<std::uint32_t>(mArena.size() - start);
    }

    std::string &mArena;
    std::vector<Value> &mValues;
};

// The hand-over between the preparing thread and the inserting thread: a fixed set of batches
// circulates, so memory stays bounded however large the import is.
class BatchPipe
{
  public:
    BatchPipe()
      : mBatches(kBatchesInFlight)
    {
      for (RowBatch &batch : mBatches)
        mEmpty.push_back(&batch);
    }

    //! Preparer: an empty batch, or nullptr once the inserter has given up.
    RowBatch *takeEmpty()
    {
      std::unique_lock lock(mMutex);
      mChanged.wait(lock, [&] { return mCancelled || !mEmpty.empty(); });
      if (mCancelled)
        return nullptr;
      RowBatch *batch = mEmpty.front();
      mEmpty.pop_front();
      batch->clear();
      return batch;
    }
    void pushFull(RowBatch *batch)
    {
      {
        std::lock_guard lock(mMutex);
        mFull.push_back(batch);
      }
      mChanged.notify_all();
    }
    //! Preparer: no more batches; \a error when the source or the preparation failed.
    void finish(std::exception_ptr error)
    {
      {
        std::lock_guard lock(mMutex);
        mFinished = true;
        mError = std::move(error);
      }
      mChanged.notify_all();
    }
    //! The preparing thread failed outside Preparer::run()'s own handling: ends the pipe with
    //! \a error unless the preparer already finished it (its own error, or success, stands).
    void fail(std::exception_ptr error)
    {
      {
        std::lock_guard lock(mMutex);
        if (mFinished)
          return;
        mFinished = true;
        mError = std::move(error);
      }
      mChanged.notify_all();
    }
    //! Inserter: the next full batch, or nullptr when the preparer has finished or failed (see error()).
    RowBatch *takeFull()
    {
      std::unique_lock lock(mMutex);
      mChanged.wait(lock, [&] { return mFinished || !mFull.empty(); });
      if (mFull.empty() || mError)
        return nullptr;
      RowBatch *batch = mFull.front();
      mFull.pop_front();
      return batch;
    }
    void giveBack(RowBatch *batch)
    {
      {
        std::lock_guard lock(mMutex);
        mEmpty.push_back(batch);
      }
      mChanged.notify_all();
    }
    void cancel()
    {
      {
        std::lock_guard lock(mMutex);
        mCancelled = true;
      }
      mChanged.notify_all();
    }
    std::exception_ptr error()
    {
      std::lock_guard lock(mMutex);
      return mError;
    }

  private:
    std::mutex mMutex;
    std::condition_variable mChanged;
    std::vector<RowBatch> mBatches; // never resized: the queues point into it
    std::deque<RowBatch *> mEmpty;
    std::deque<RowBatch *> mFull;
    bool mFinished = false;
    bool mCancelled = false;
    std::exception_ptr mError;
};

// Runs on the preparing thread: cases to rows, and the highest number per (admin code, day).
class Preparer
{
  public:
    explicit Preparer(const CaseStore &projector)
      : mProjector(projector)
    {}

    void run(const CaseImporter::Source &source, BatchPipe &pipe)
    {
      const double cpuStarted = threadCpuSeconds();
      struct CpuTime
      {
        double &total;
        double started;
        ~CpuTime() { total = threadCpuSeconds() - started; }
      } cpu{mCpuSeconds, cpuStarted};
      try
      {
        std::size_t index = 0;
        RowBatch *batch = pipe.takeEmpty();
        if (!batch)
          return;
        batch->firstCase = 0;
        while (const core::Case *c = source())
        {
          add(*c, *batch);
          ++index;
          if (batch->cases() == kBatchCases)
          {
            pipe.pushFull(batch);
            batch = pipe.takeEmpty();
            if (!batch)
              return;
            batch->firstCase = index;
          }
        }
        if (batch->cases() > 0)
          pipe.pushFull(batch);
        else
          pipe.giveBack(batch);
        pipe.finish(nullptr);
      }
      catch (...)
      {
        pipe.finish(std::current_exception());
      }
    }

    const std::map<std::pair<std::string, std::string>, int> &counters() const { return mCounters; }
    double cpuSeconds() const { return mCpuSeconds; }

  private:
    void add(const core::Case &c, RowBatch &batch)
    {
      const CaseRecord r = mProjector.project(c);
      RowWriter row(batch, batch.caseValues);
      row.blob(geopackage::encodePoint(r.point));
      row.text(r.number);
      row.text(r.category);
      row.fixed(core::caseStateName(r.state));
      row.fixed(core::priorityName(r.priority));
      row.text(r.source);
      row.text(r.title);
      row.text(r.description);
      row.text(r.address);
      row.textOrNull(r.reporterName);
      row.textOrNull(r.reporterPhone);
      row.real(r.point.lon);
      row.real(r.point.lat);
      row.textOrNull(r.gridCode);
      row.textOrNull(r.districtCode);
      row.textOrNull(r.townshipCode);
      row.textOrNull(r.communityCode);
      row.textOrNull(r.gridLevelCode);
      row.textOrNull(r.microGridCode);
      row.textOrNull(r.responsibleGrid);
      row.textOrNull(r.leadDepartment);
      row.textOrNull(r.assistingDepartments);
      row.textOrNull(r.workerId);
      row.time(r.reportedAt);
      row.timeOrNull(r.acceptedAt);
      row.timeOrNull(r.assignedAt);
      row.timeOrNull(r.handledAt);
      row.timeOrNull(r.closedAt);
      row.textOrNull(r.stage);
      row.timeOrNull(r.stageStartedAt);
      row.timeOrNull(r.warnAt);
      row.timeOrNull(r.deadline);
      row.integer(r.supervised ? 1 : 0);
      row.integer(r.urgeCount);
      row.textOrNull(r.satisfaction);
      row.textOrNull(r.mergedInto);
      row.integer(r.lastSeq);
      row.time(r.updatedAt);
      row.integer(r.isOpen() ? 1 : 0);

      if (!r.isOpen() && !c.events().empty())
      {
        // A closed case: its whole history in one row.
        RowWriter(batch, batch.historyValues).history(c.events());
        batch.historyCounts.push_back(static_cast<std::uint32_t>(c.events().size()));
        const Value &text = batch.historyValues.back();
        RowWriter(batch, batch.historyChains)
          .blob(eventchain::historyLink(eventchain::genesis(r.number), static_cast<std::int64_t>(c.events().size()),
                                        std::string_view(batch.arena).substr(text.offset, text.size)));
        batch.eventCounts.push_back(0);
        countNumber(c);
        return;
      }
      batch.historyValues.emplace_back();
      batch.historyChains.emplace_back();
      batch.historyCounts.push_back(0);
      RowWriter events(batch, batch.eventValues);
      std::int64_t seq = 0;
      eventchain::Digest chain = eventchain::genesis(r.number);
      // The texts just written to the arena, exactly as SQLite will store them.
      auto textOf = [&](const Value &v) -> std::string_view {
        if (v.kind == Value::Kind::Static)
          return std::string_view(v.text, v.size);
        return std::string_view(batch.arena).substr(v.offset, v.size);
      };
      for (const core::CaseEvent &e : c.events())
      {
        events.integer(++seq);
        events.fixed(core::caseActionName(e.action));
        events.text(e.actor);
        events.time(e.at);
        if (e.action == core::CaseAction::Report)
          events.null();
        else
          events.fixed(core::caseStateName(e.from));
        events.fixed(core::caseStateName(e.to));
        events.text(e.note);
        events.json(e.details);
        const Value *v = &batch.eventValues[batch.eventValues.size() - 8];
        chain = eventchain::link(chain, seq, textOf(v[1]), textOf(v[2]), textOf(v[3]),
                                 v[4].kind == Value::Kind::Null ? std::nullopt
                                                                : std::optional<std::string_view>(textOf(v[4])),
                                 textOf(v[5]), textOf(v[6]), textOf(v[7]));
        events.blob(chain);
      }
      batch.eventCounts.push_back(static_cast<std::uint32_t>(seq));
      countNumber(c);
    }

    void countNumber(const core::Case &c)
    {
      if (auto number = core::CaseNumber::parse(c.number()))
      {
        int &last = mCounters[{number->adminCode(), core::formatDate(number->date())}];
        last = std::max(last, number->sequence());
      }
    }

    const CaseStore &mProjector;
    std::map<std::pair<std::string, std::string>, int> mCounters;
    double mCpuSeconds = 0;
};

void bindValues(sqlite3_stmt *statement, int first, const Value *values, int count, const std::string &arena)
{
  // SQLITE_STATIC: the arena outlives the step; every parameter is bound again before the next one.
  for (int i = 0; i < count; ++i)
  {
    const Value &v = values[i];
    const int index = first + i;
    int rc = SQLITE_OK;
    switch (v.kind)
    {
      case Value::Kind::Null:
        rc = sqlite3_bind_null(statement, index);
        break;
      case Value::Kind::Int:
        rc = sqlite3_bind_int64(statement, index, v.integer);
        break;
      case Value::Kind::Real:
        rc = sqlite3_bind_double(statement, index, v.real);
        break;
      case Value::Kind::Text:
        rc = sqlite3_bind_text(statement, index, arena.data() + v.offset, static_cast<int>(v.size), SQLITE_STATIC);
        break;
      case Value::Kind::Static:
        rc = sqlite3_bind_text(statement, index, v.text, static_cast<int>(v.size), SQLITE_STATIC);
        break;
      case Value::Kind::Blob:
        rc = sqlite3_bind_blob(statement, index, arena.data() + v.offset, static_cast<int>(v.size), SQLITE_STATIC);
        break;
    }
    if (rc != SQLITE_OK)
      throw StoreError(rc, sqlite3_errstr(rc), sqlite3_sql(statement));
  }
}

// An index or trigger taken away for the import, recreated from its own SQL at the end.
struct SchemaObject
{
  std::string type;
  std::string name;
  std::string sql;
};

std::string quoted(const std::string &identifier)
{
  std::string out = "\"";
  for (const char c : identifier)
  {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

// Drops the secondary indexes of cases and case_events and the R-tree insert trigger of the
// cases layer. Read from sqlite_master rather than written down here, so whatever the schema
// holds comes back exactly as it was. The UNIQUE indexes behind constraints stay: they check
// the import. The partial indexes over open cases stay: since schema revision 6 their predicate
// is `is_open = 1`, one comparison a row, and a migration of mostly closed history adds few
// rows to them, where rebuilding each would scan the whole table. (Before, each `state NOT IN`
// predicate cost an ephemeral table per row, 12 µs a case for the five.)
std::vector<SchemaObject> dropForBulk(Database &db)
{
  std::vector<SchemaObject> dropped;
  {
    auto q = db.query("SELECT type, name, sql FROM sqlite_master m WHERE sql IS NOT NULL AND "
                      "((type = 'index' AND tbl_name IN ('cases', 'case_events') AND NOT EXISTS "
                      "(SELECT 1 FROM pragma_index_list(m.tbl_name) p WHERE p.name = m.name AND p.partial)) OR "
                      "(type = 'trigger' AND name = ?)) ORDER BY type, name");
    q.bindAll(kCasesRtreeInsertTrigger);
    while (q.step())
      dropped.push_back({q->columnText(0), q->columnText(1), q->columnText(2)});
  }
  for (const SchemaObject &o : dropped)
    db.exec((o.type == "index" ? "DROP INDEX " : "DROP TRIGGER ") + quoted(o.name));
  return dropped;
}

void stepDone(sqlite3 *db, sqlite3_stmt *statement)
{
  const int rc = sqlite3_step(statement);
  if (rc == SQLITE_DONE)
  {
    sqlite3_reset(statement);
    return;
  }
  const int code = sqlite3_extended_errcode(db);
  std::string message = sqlite3_errmsg(db);
  sqlite3_reset(statement);
  throw StoreError(code, message, sqlite3_sql(statement));
}

// Inserts prepared batches on the connection's thread. Events go in several rows per INSERT:
// opening the table and index cursors, starting and ending the statement are paid once per
// statement, which is most of what a row of case_events costs beyond its B-tree inserts.
class RowInserter
{
  public:
    explicit RowInserter(Database &db)
      : mDb(db.handle())
    {
      prepare();
    }

    //! Prepares the statements again after a schema change (so dropped indexes are not maintained).
    void prepare()
    {
      std::string many = kInsertEventHead;
      for (int i = 0; i < kEventRowsPerInsert; ++i)
        many += i == 0 ? "(?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?)";
      mCase.emplace(mDb, kInsertCase);
      mHistory.emplace(mDb, kInsertHistory);
      mEvent.emplace(mDb, std::string(kInsertEventHead) + "(?,?,?,?,?,?,?,?,?,?)");
      mEvents.emplace(mDb, many);
    }

    void insert(const RowBatch &batch, CaseImportReport &report)
    {
      const Value *caseValues = batch.caseValues.data();
      const Value *eventValues = batch.eventValues.data();
      for (std::size_t i = 0; i < batch.cases(); ++i, caseValues += kCaseParams)
      {
        bindValues(mCase->handle(), 1, caseValues, kCaseParams, batch.arena);
        try
        {
          stepDone(mDb, mCase->handle());
        }
        catch (const StoreError &e)
        {
          if (e.primaryCode() != SQLITE_CONSTRAINT)
            throw;
          const Value &number = caseValues[1];
          std::string text(batch.arena, number.offset, number.size);
          const std::string problem = e.code() == SQLITE_CONSTRAINT_UNIQUE
                                        ? " is already in the store or supplied twice"
                                        : std::string(" cannot be stored: ") + e.what();
          throw CaseImportError(e.code(), "case " + text + problem, batch.firstCase + i, text);
        }
        const sqlite3_int64 caseId = sqlite3_last_insert_rowid(mDb);
        // The point, for the packed R-tree (columns 12 and 13: lon, lat; the geometry is that point).
        mPoints.push_back({caseId, caseValues[11].real, caseValues[12].real});
        if (const std::uint32_t history = batch.historyCounts[i])
        {
          sqlite3_stmt *const h = mHistory->handle();
          sqlite3_bind_int64(h, 1, caseId);
          sqlite3_bind_int64(h, 2, history);
          bindValues(h, 3, &batch.historyValues[i], 1, batch.arena);
          bindValues(h, 4, &batch.historyChains[i], 1, batch.arena);
          stepDone(mDb, h);
          report.events += history;
        }
        for (std::uint32_t k = 0; k < batch.eventCounts[i]; ++k, eventValues += kEventParams)
          addEvent(caseId, eventValues, batch.arena);
        report.events += batch.eventCounts[i];
      }
      report.cases += static_cast<std::int64_t>(batch.cases());
      flushEvents(batch.arena);
      // The statements still point into the arena the preparer is about to reuse.
      sqlite3_clear_bindings(mCase->handle());
      sqlite3_clear_bindings(mHistory->handle());
      sqlite3_clear_bindings(mEvent->handle());
      sqlite3_clear_bindings(mEvents->handle());
    }

    struct Point
    {
      std::int64_t id;
      double x, y;
    };
    //! Every case inserted so far with its point, in id order.
    const std::vector<Point> &points() const { return mPoints; }

  private:
    static constexpr int kEventRowsPerInsert = 16;
    static constexpr int kEventColumns = kEventParams + 1;

    void addEvent(sqlite3_int64 caseId, const Value *values, const std::string &arena)
    {
      sqlite3_stmt *const s = mEvents->handle();
      const int first = mPending * kEventColumns + 1;
      sqlite3_bind_int64(s, first, caseId);
      bindValues(s, first + 1, values, kEventParams, arena);
      mPendingCase[static_cast<std::size_t>(mPending)] = caseId;
      mPendingValues[static_cast<std::size_t>(mPending)] = values;
      if (++mPending == kEventRowsPerInsert)
      {
        stepDone(mDb, s);
        mPending = 0;
      }
    }

    // The rows left over at the end of a batch, one by one: the batch's arena goes back next.
    void flushEvents(const std::string &arena)
    {
      sqlite3_stmt *const s = mEvent->handle();
      for (std::size_t i = 0; i < static_cast<std::size_t>(mPending); ++i)
      {
        sqlite3_bind_int64(s, 1, mPendingCase[i]);
        bindValues(s, 2, mPendingValues[i], kEventParams, arena);
        stepDone(mDb, s);
      }
      mPending = 0;
    }

    sqlite3 *mDb;
    std::optional<Statement> mCase;
    std::optional<Statement> mHistory;
    std::optional<Statement> mEvent;
    std::optional<Statement> mEvents;
    int mPending = 0;
    std::array<sqlite3_int64, kEventRowsPerInsert> mPendingCase{};
    std::array<const Value *, kEventRowsPerInsert> mPendingValues{};
    std::vector<Point> mPoints;
};

// ---- PostgreSQL: the rows by COPY ---------------------------------------------------------
// The same prepared rows go into the same tables as three binary COPYs a batch (cases,
// case_histories, case_events): one statement and one stream per table instead of a round
// trip per row. The cases' ids are taken from their identity's sequence first (one query a
// batch), so the history and event rows can name their case without reading anything back.
// The indexes stay: dropping one takes an ACCESS EXCLUSIVE lock on its table until COMMIT, so
// every console reading cases from the shared store would wait for the whole import (SQLite's
// readers keep reading their snapshot meanwhile); the server maintains them row by row.
class PgCopyInserter
{
  public:
    explicit PgCopyInserter(Database &db)
      : mDb(db)
    {}

    void insert(const RowBatch &batch, CaseImportReport &report)
    {
      const std::vector<std::int64_t> ids = reserveIds(batch.cases());
      const std::string &arena = batch.arena;

      start();
      const Value *caseValues = batch.caseValues.data();
      for (std::size_t i = 0; i < batch.cases(); ++i, caseValues += kCaseParams)
      {
        row(kCaseParams + 1);
        int8(ids[i]);
        // The point as PostGIS reads a geometry in binary: EWKB with its SRID.
        const Value &geom = caseValues[0];
        const std::vector<std::uint8_t> blob(arena.begin() + static_cast<std::ptrdiff_t>(geom.offset),
                                             arena.begin() + static_cast<std::ptrdiff_t>(geom.offset + geom.size));
        bytes(geopackage::toEwkb(blob));
        values(caseValues + 1, kCaseParams - 1, arena);
      }
      finish(kCopyCases, &batch);

      bool histories = false;
      for (std::size_t i = 0; i < batch.cases() && !histories; ++i)
        histories = batch.historyCounts[i] > 0;
      if (histories)
      {
        start();
        for (std::size_t i = 0; i < batch.cases(); ++i)
          if (const std::uint32_t count = batch.historyCounts[i])
          {
            row(4);
            int8(ids[i]);
            int8(count);
            values(&batch.historyValues[i], 1, arena);
            values(&batch.historyChains[i], 1, arena);
            report.events += count;
          }
        finish(kCopyHistories, nullptr);
      }

      if (!batch.eventValues.empty())
      {
        start();
        const Value *eventValues = batch.eventValues.data();
        for (std::size_t i = 0; i < batch.cases(); ++i)
          for (std::uint32_t k = 0; k < batch.eventCounts[i]; ++k, eventValues += kEventParams)
          {
            row(kEventParams + 1);
            int8(ids[i]);
            values(eventValues, kEventParams, arena);
          }
        finish(kCopyEvents, nullptr);
      }
      for (std::size_t i = 0; i < batch.cases(); ++i)
        report.events += batch.eventCounts[i];
      report.cases += static_cast<std::int64_t>(batch.cases());
    }

  private:
    static constexpr const char *kCopyCases =
      "COPY cases (id, geom, number, category, state, priority, source, title, description, address, reporter_name, "
      "reporter_phone, lon, lat, grid_code, district_code, township_code, community_code, grid_level3_code, "
      "microgrid_code, responsible_grid, lead_dept, assisting_depts, worker_id, reported_at, accepted_at, assigned_at, "
      "handled_at, closed_at, stage, stage_started_at, warn_at, deadline, supervised, urge_count, satisfaction, "
      "merged_into, last_seq, updated_at, is_open) FROM STDIN (FORMAT binary)";
    static constexpr const char *kCopyHistories =
      "COPY case_histories (case_id, event_count, events, chain) FROM STDIN (FORMAT binary)";
    static constexpr const char *kCopyEvents =
      "COPY case_events (case_id, seq, action, actor, at, from_state, to_state, note, data, chain) "
      "FROM STDIN (FORMAT binary)";

    std::vector<std::int64_t> reserveIds(std::size_t count)
    {
      std::vector<std::int64_t> ids;
      ids.reserve(count);
      auto q = mDb.query("SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, CAST(? AS BIGINT))");
      q.bindAll(static_cast<std::int64_t>(count));
      while (q.step())
        ids.push_back(q->columnInt(0));
      // In the source's order, as SQLite's rowids are.
      std::sort(ids.begin(), ids.end());
      if (ids.size() != count)
        throw StoreError(0, "case import: the cases' id sequence gave " + std::to_string(ids.size()) + " ids, not " +
                              std::to_string(count));
      return ids;
    }

    // PGCOPY binary format (PostgreSQL's COPY documentation): a signature, flags and header
    // extension length, then per row the field count and each field as length + bytes
    // (-1: NULL), integers in network byte order, and -1 as the trailer.
    void start()
    {
      mBuffer.assign("PGCOPY\n\377\r\n\0", 11);
      put32(0);
      put32(0);
    }
    void put16(std::uint16_t v)
    {
      const char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
      mBuffer.append(b, 2);
    }
    void put32(std::uint32_t v)
    {
      const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                         static_cast<char>(v)};
      mBuffer.append(b, 4);
    }
    void put64(std::uint64_t v)
    {
      put32(static_cast<std::uint32_t>(v >> 32));
      put32(static_cast<std::uint32_t>(v));
    }
    void row(int fields) { put16(static_cast<std::uint16_t>(fields)); }
    void null() { put32(0xFFFFFFFFu); }
    void int8(std::int64_t v)
    {
      put32(8);
      put64(static_cast<std::uint64_t>(v));
    }
    void bytes(const char *data, std::size_t size)
    {
      put32(static_cast<std::uint32_t>(size));
      mBuffer.append(data, size);
    }
    void bytes(const std::vector<std::uint8_t> &data) { bytes(reinterpret_cast<const char *>(data.data()), data.size()); }
    //! Every value as its column's binary form: integers are bigint, reals double precision,
    //! text is text, blobs bytea (the store's column types, postgres/pgschema.cpp).
    void values(const Value *values, int count, const std::string &arena)
    {
      for (int i = 0; i < count; ++i)
      {
        const Value &v = values[i];
        switch (v.kind)
        {
          case Value::Kind::Null:
            null();
            break;
          case Value::Kind::Int:
            int8(v.integer);
            break;
          case Value::Kind::Real:
          {
            std::uint64_t bits;
            std::memcpy(&bits, &v.real, sizeof bits);
            put32(8);
            put64(bits);
            break;
          }
          case Value::Kind::Text:
          case Value::Kind::Blob:
            bytes(arena.data() + v.offset, v.size);
            break;
          case Value::Kind::Static:
            bytes(v.text, v.size);
            break;
        }
      }
    }

    /**
     * Sends the buffer as one COPY. A constraint a case row breaks (its number already stored or
     * supplied twice) fails the COPY at that row, which the server names by its line: the
     * case's position in \a batch, for the same CaseImportError as on SQLite.
     */
    void finish(const char *sql, const RowBatch *batch)
    {
      put16(0xFFFF);
      pg::PgConnection &pg = *mDb.postgres();
      PGconn *const conn = pg.handle();
      PGresult *result = PQexec(conn, sql);
      if (PQresultStatus(result) != PGRES_COPY_IN)
        pg.fail(result, sql);
      PQclear(result);
      if (PQputCopyData(conn, mBuffer.data(), static_cast<int>(mBuffer.size())) != 1 || PQputCopyEnd(conn, nullptr) != 1)
        pg.fail(nullptr, sql);
      result = PQgetResult(conn);
      // Whatever follows the COPY's own result (nothing, normally) is read so the connection is free again.
      const auto drain = [conn] {
        while (PGresult *more = PQgetResult(conn))
          PQclear(more);
      };
      if (PQresultStatus(result) == PGRES_COMMAND_OK)
      {
        PQclear(result);
        drain();
        return;
      }
      std::size_t line = 0;
      if (const char *context = result ? PQresultErrorField(result, PG_DIAG_CONTEXT) : nullptr)
      {
        // "COPY cases, line 1235[, column …]": the binary format's lines are its rows.
        const std::string_view text(context);
        if (const auto at = text.find(", line "); at != std::string_view::npos)
          std::from_chars(text.data() + at + 7, text.data() + text.size(), line);
      }
      drain();
      try
      {
        pg.fail(result, sql);
      }
      catch (const StoreError &e)
      {
        if (!batch || e.primaryCode() != SQLITE_CONSTRAINT || line == 0 || line > batch->cases())
          throw;
        const std::size_t i = line - 1;
        const Value &number = batch->caseValues[i * kCaseParams + 1];
        std::string text(batch->arena, number.offset, number.size);
        const std::string problem = e.code() == SQLITE_CONSTRAINT_UNIQUE
                                      ? " is already in the store or supplied twice"
                                      : std::string(" cannot be stored: ") + e.what();
        throw CaseImportError(e.code(), "case " + text + problem, batch->firstCase + i, text);
      }
    }

    Database &mDb;
    std::string mBuffer;
};

// ---- the R-tree of the cases layer, packed ------------------------------------------------
// SQLite's rtree module inserts one entry at a time and rewrites a node blob for each (about
// 10 µs an entry, ten seconds for a million cases). After a bulk import the whole R-tree is
// instead rebuilt from the cases table with Sort-Tile-Recursive packing, written straight
// into the module's shadow tables in the format rtree.c documents ("Database Format of R-Tree
// Tables": %_node blobs of the root node's size, big-endian, depth in the root's first two
// bytes, cells of an 8-byte id and float32 coordinates; %_rowid and %_parent map entries and
// nodes to their nodes). rtreecheck() accepts the result (tested).

struct RtreeEntry
{
  std::int64_t id = 0; // a case id in a leaf, a node number above
  float minX = 0, maxX = 0, minY = 0, maxY = 0;
  float centreX() const { return minX / 2 + maxX / 2; }
  float centreY() const { return minY / 2 + maxY / 2; }
};

// rtree.c stores float32 rounded outwards so the float box contains the double one; the same
// rounding (rtreeValueDown/Up) gives the same boxes as entries inserted one by one.
float roundDown(double d)
{
  auto f = static_cast<float>(d);
  if (f > d)
    f = static_cast<float>(d * (d < 0 ? 1.0 + 1.0 / 8388608.0 : 1.0 - 1.0 / 8388608.0));
  return f;
}
float roundUp(double d)
{
  auto f = static_cast<float>(d);
  if (f < d)
    f = static_cast<float>(d * (d < 0 ? 1.0 - 1.0 / 8388608.0 : 1.0 + 1.0 / 8388608.0));
  return f;
}

void putBigEndian(std::uint8_t *at, std::uint64_t value, int bytes)
{
  for (int i = bytes - 1; i >= 0; --i)
  {
    at[i] = static_cast<std::uint8_t>(value & 0xff);
    value >>= 8;
  }
}

class RtreePacker
{
  public:
    RtreePacker(Database &db, int nodeSize)
      : mNodeSize(static_cast<std::size_t>(nodeSize))
      , mFanout((mNodeSize - 4) / kCellSize)
      , mNode(db.handle(), "INSERT INTO rtree_cases_geom_node (nodeno, data) VALUES (?, ?)")
      , mParent(db.handle(), "INSERT INTO rtree_cases_geom_parent (nodeno, parentnode) VALUES (?, ?)")
      , mRowid(db.handle(), "INSERT INTO rtree_cases_geom_rowid (rowid, nodeno) VALUES (?, ?)")
      , mDb(db)
    {}

    void pack(std::vector<RtreeEntry> level)
    {
      int depth = 0;
      std::vector<std::pair<std::int64_t, std::int64_t>> leafOf; // (case id, leaf node)
      leafOf.reserve(level.size());
      std::int64_t nextNode = 2; // node 1 is the root, written last
      while (level.size() > mFanout)
      {
        std::vector<RtreeEntry> parents;
        for (const auto &[first, last] : tile(level))
        {
          RtreeEntry box{nextNode++, level[first].minX, level[first].maxX, level[first].minY, level[first].maxY};
          for (std::size_t i = first; i < last; ++i)
          {
            box.minX = std::min(box.minX, level[i].minX);
            box.maxX = std::max(box.maxX, level[i].maxX);
            box.minY = std::min(box.minY, level[i].minY);
            box.maxY = std::max(box.maxY, level[i].maxY);
            if (depth == 0)
              leafOf.emplace_back(level[i].id, box.id);
            else
              write(mParent, level[i].id, box.id);
          }
          writeNode(box.id, 0, level.data() + first, last - first);
          parents.push_back(box);
        }
        level = std::move(parents);
        ++depth;
      }
      for (const RtreeEntry &e : level)
      {
        if (depth == 0)
          leafOf.emplace_back(e.id, 1);
        else
          write(mParent, e.id, 1);
      }
      writeNode(1, depth, level.data(), level.size());
      // In id order, so the rowid table is appended to rather than inserted into.
      std::sort(leafOf.begin(), leafOf.end());
      for (const auto &[id, node] : leafOf)
        write(mRowid, id, node);
    }

  private:
    static constexpr std::size_t kCellSize = 8 + 4 * 4; // id + minX, maxX, minY, maxY

    // Sort-Tile-Recursive: vertical slices by x, nodes by y within a slice. Node sizes differ
    // by at most one, so no node is left nearly empty (rtree.c's minimum is a third).
    std::vector<std::pair<std::size_t, std::size_t>> tile(std::vector<RtreeEntry> &entries) const
    {
      const std::size_t n = entries.size();
      const std::size_t nodes = (n + mFanout - 1) / mFanout;
      const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
      std::vector<std::pair<std::size_t, std::size_t>> ranges;
      ranges.reserve(nodes);
      std::size_t start = 0;
      for (std::size_t k = 0; k < nodes; ++k)
      {
        const std::size_t size = n / nodes + (k < n % nodes ? 1 : 0);
        ranges.emplace_back(start, start + size);
        start += size;
      }
      std::sort(entries.begin(), entries.end(),
                [](const RtreeEntry &a, const RtreeEntry &b) { return a.centreX() < b.centreX(); });
      for (std::size_t s = 0; s < slices; ++s)
      {
        const std::size_t firstNode = s * nodes / slices, endNode = (s + 1) * nodes / slices;
        if (firstNode == endNode)
          continue;
        std::sort(entries.begin() + static_cast<std::ptrdiff_t>(ranges[firstNode].first),
                  entries.begin() + static_cast<std::ptrdiff_t>(ranges[endNode - 1].second),
                  [](const RtreeEntry &a, const RtreeEntry &b) { return a.centreY() < b.centreY(); });
      }
      return ranges;
    }

    void writeNode(std::int64_t node, int depth, const RtreeEntry *cells, std::size_t count)
    {
      mBlob.assign(mNodeSize, 0);
      putBigEndian(mBlob.data(), static_cast<std::uint64_t>(depth), 2);
      putBigEndian(mBlob.data() + 2, count, 2);
      std::uint8_t *at = mBlob.data() + 4;
      for (std::size_t i = 0; i < count; ++i, at += kCellSize)
      {
        putBigEndian(at, static_cast<std::uint64_t>(cells[i].id), 8);
        const float coords[] = {cells[i].minX, cells[i].maxX, cells[i].minY, cells[i].maxY};
        for (int c = 0; c < 4; ++c)
        {
          std::uint32_t bits = 0;
          std::memcpy(&bits, &coords[c], sizeof bits);
          putBigEndian(at + 8 + 4 * c, bits, 4);
        }
      }
      sqlite3_stmt *s = mNode.handle();
      sqlite3_bind_int64(s, 1, node);
      sqlite3_bind_blob(s, 2, mBlob.data(), static_cast<int>(mBlob.size()), SQLITE_STATIC);
      stepDone(mDb.handle(), s);
    }

    void write(Statement &statement, std::int64_t a, std::int64_t b)
    {
      sqlite3_stmt *s = statement.handle();
      sqlite3_bind_int64(s, 1, a);
      sqlite3_bind_int64(s, 2, b);
      stepDone(mDb.handle(), s);
    }

    std::size_t mNodeSize;
    std::size_t mFanout;
    Statement mNode;
    Statement mParent;
    Statement mRowid;
    Database &mDb;
    std::vector<std::uint8_t> mBlob;
};

// Rebuilds the whole R-tree of the cases layer from the cases table. False (nothing changed)
// when the R-tree does not have the layout this packer writes.
bool packCasesRtree(Database &db, std::int64_t firstBulkId, const std::vector<RowInserter::Point> &imported)
{
  const std::int64_t nodeSize = db.scalarInt("SELECT length(data) FROM rtree_cases_geom_node WHERE nodeno = 1");
  const std::int64_t columns = db.scalarInt("SELECT count(*) FROM pragma_table_info('rtree_cases_geom')");
  if (columns != 5 || nodeSize < 4 + 3 * 24 || nodeSize > 65536)
    return false;
  std::vector<RtreeEntry> entries;
  entries.reserve(static_cast<std::size_t>(db.scalarInt("SELECT coalesce(max(id), 0) FROM cases")));
  {
    // The cases that were there before: what the GeoPackage insert trigger indexes, computed
    // the way it computes it.
    auto q = db.query("SELECT id, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM cases "
                      "WHERE id < ? AND geom NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY id");
    q.bindAll(firstBulkId);
    while (q.step())
      entries.push_back({q->columnInt(0), roundDown(q->columnDouble(1)), roundUp(q->columnDouble(2)),
                         roundDown(q->columnDouble(3)), roundUp(q->columnDouble(4))});
  }
  // The imported ones from the points just written (each geometry is that point; reading them
  // back through four SQL functions a row took half the packing time).
  for (const RowInserter::Point &p : imported)
    if (p.id >= firstBulkId)
      entries.push_back({p.id, roundDown(p.x), roundUp(p.x), roundDown(p.y), roundUp(p.y)});
  db.exec("DELETE FROM rtree_cases_geom_node; DELETE FROM rtree_cases_geom_parent; DELETE FROM rtree_cases_geom_rowid");
  RtreePacker(db, static_cast<int>(nodeSize)).pack(std::move(entries));
  return true;
}

void restoreAfterBulk(Database &db, const std::vector<SchemaObject> &dropped, std::int64_t firstBulkId,
                      const std::vector<RowInserter::Point> &imported, CaseImportReport &report)
{
  for (const SchemaObject &o : dropped)
  {
    if (o.type != "trigger")
      continue;
    {
      Savepoint packing(db);
      try
      {
        report.rtreePacked = packCasesRtree(db, firstBulkId, imported);
        if (report.rtreePacked)
          packing.release();
      }
      catch (const StoreError &)
      {
        // E.g. a connection in SQLITE_DBCONFIG_DEFENSIVE mode, where shadow tables are read-only:
        // fall back to the module's own inserts below.
      }
    }
    if (!report.rtreePacked)
    {
      // The rows the trigger would have indexed one by one, as the trigger computes them.
      db.query(std::string("INSERT OR REPLACE INTO ") + kCasesRtree +
               " SELECT id, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM cases "
               "WHERE id >= ? AND geom NOT NULL AND NOT ST_IsEmpty(geom)")
        .bindAll(firstBulkId)
        .run();
    }
  }
  for (const SchemaObject &o : dropped)
    db.exec(o.sql);
}

// Every event row's foreign key is checked by a lookup of its case, which the importer has
// inserted the moment before: the constraint holds by construction, and the lookups cost about
// a tenth of the import. foreign_keys can only change outside a transaction, so an import
// inside the caller's transaction keeps the checks. Restored however the import ends.
class ForeignKeysOff
{
  public:
    explicit ForeignKeysOff(Database &db)
      : mDb(db)
    {
      if (!db.inTransaction() && db.scalarInt("PRAGMA foreign_keys") == 1)
      {
        db.exec("PRAGMA foreign_keys = OFF");
        mRestore = true;
      }
    }
    ~ForeignKeysOff()
    {
      if (mRestore)
        sqlite3_exec(mDb.handle(), "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    }
    ForeignKeysOff(const ForeignKeysOff &) = delete;
    ForeignKeysOff &operator=(const ForeignKeysOff &) = delete;

  private:
    Database &mDb;
    bool mRestore = false;
};

// A migration into a store nobody else has open goes through a rollback journal instead of the
// WAL: the new pages are written once, into the database file, rather than into the WAL and
// again by the checkpoint, and pages the cache spilled are read back without searching a WAL
// index that grows with the import (1.7 times faster at 400,000 cases, measured). Still one
// transaction: a killed import leaves a hot journal, which the next connection that opens the
// store read-write rolls back (read-only connections refuse the file until then). Leaving the
// WAL needs every other connection closed; with one open, the import keeps the WAL.
class RollbackJournal
{
  public:
    RollbackJournal(Database &db, bool wanted)
      : mDb(db)
    {
      if (!wanted || db.inTransaction())
        return;
      // Another connection makes the switch fail at once rather than after the busy timeout.
      const int timeout = db.busyTimeoutMs();
      db.setBusyTimeout(0);
      try
      {
        // TRUNCATE rather than DELETE: under synchronous=FULL the truncation that commits is
        // synced, so a power cut just after COMMIT cannot bring the journal back and roll the
        // import back (an unlinked journal would need synchronous=EXTRA for that).
        auto q = db.query("PRAGMA journal_mode = TRUNCATE");
        mActive = q.step() && q->columnText(0) == "truncate";
      }
      catch (const StoreError &)
      {
      }
      db.setBusyTimeout(timeout);
    }
    ~RollbackJournal() { restoreWal(); }
    RollbackJournal(const RollbackJournal &) = delete;
    RollbackJournal &operator=(const RollbackJournal &) = delete;

    bool active() const { return mActive; }
    //! Back to WAL; should a reader have opened the store meanwhile, the next connection that opens it does this.
    void restoreWal() noexcept
    {
      if (!mActive)
        return;
      mActive = false;
      sqlite3_exec(mDb.handle(), "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    }

  private:
    Database &mDb;
    bool mActive = false;
};

// The rows of an import leave SQLite's cache as soon as they are written (a small cache for the
// rows phase: an import appends, it never comes back to a page) and a thread asks the kernel every
// 20 ms to start writing the dirty pages of the database file and its WAL back. Otherwise the
// whole import sits in SQLite's 256 MB cache and in the kernel's page cache (whose background
// writeback starts at 10 % of RAM) until COMMIT, and the commit's fsync then writes ~300 MB at
// once with both cores idle: 0.25–0.45 s of a 200,000-case import, against 0.03–0.05 s this way
// (docs/performance.md). sync_file_range only starts the writeback the kernel would do anyway,
// so it changes no ordering SQLite relies on; COMMIT still syncs. Linux only; elsewhere, and on a
// file it cannot open, it does nothing.
class EarlyWriteback
{
  public:
    explicit EarlyWriteback(const std::filesystem::path &db)
      : mThread("import write-back", std::chrono::milliseconds(20), [this] { writeBack(); })
    {
#ifdef __linux__
      for (const char *suffix : {"", "-wal"})
        if (const int fd = ::open((db.string() + suffix).c_str(), O_RDONLY | O_CLOEXEC); fd >= 0)
          mFiles.push_back(fd);
      // The first write-back one interval after the rows phase starts, as before: there is
      // nothing dirty yet.
      if (!mFiles.empty())
        mThread.start(false);
#else
      (void)db;
#endif
    }
    ~EarlyWriteback()
    {
      mThread.stop(); // before the files it writes back are closed
      for (const int fd : mFiles)
        ::close(fd);
    }
    EarlyWriteback(const EarlyWriteback &) = delete;
    EarlyWriteback &operator=(const EarlyWriteback &) = delete;

  private:
    void writeBack()
    {
#ifdef __linux__
      for (const int fd : mFiles)
        ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    }

    std::vector<int> mFiles;
    core::PeriodicThread mThread; // started once mFiles is filled, stopped before it is closed
};

// The connection's page cache, small for the rows of an import (see EarlyWriteback) and back to
// what it was for the index rebuild (whose sorter sizes its runs by it) and however run() ends.
class RowsPhaseCache
{
  public:
    explicit RowsPhaseCache(Database &db)
      : mDb(db)
      , mSaved(db.scalarInt("PRAGMA cache_size"))
    {
      db.exec("PRAGMA cache_size = -16384");
    }
    ~RowsPhaseCache() { restore(); }
    RowsPhaseCache(const RowsPhaseCache &) = delete;
    RowsPhaseCache &operator=(const RowsPhaseCache &) = delete;
    void restore() noexcept
    {
      if (mRestored)
        return;
      mRestored = true;
      const std::string sql = "PRAGMA cache_size = " + std::to_string(mSaved);
      sqlite3_exec(mDb.handle(), sql.c_str(), nullptr, nullptr, nullptr);
    }

  private:
    Database &mDb;
    std::int64_t mSaved;
    bool mRestored = false;
};

// The preparing thread, joined however run() ends; cancelling the pipe first unblocks it. One
// round: Preparer::run() hands what the source or the preparation throws to the pipe itself
// (as an exception_ptr, so run() rethrows it with its type: ctl's BadLine, a StoreError). What
// would still escape the round is caught by WorkerThread and fails the pipe with a StoreError
// instead of ending the process, so the inserter stops and the import rolls back.
class PreparerThread
{
  public:
    PreparerThread(BatchPipe &pipe, std::function<void()> prepare)
      : mPipe(pipe)
      , mThread(
          "import preparer",
          [prepare = std::move(prepare)] {
            prepare();
            return core::WorkerThread::Next::done();
          },
          options(pipe))
    {
      mThread.start();
    }
    ~PreparerThread() { join(); }
    PreparerThread(const PreparerThread &) = delete;
    PreparerThread &operator=(const PreparerThread &) = delete;
    void join()
    {
      mPipe.cancel();
      mThread.stop();
    }

  private:
    static core::WorkerThread::Options options(BatchPipe &pipe)
    {
      core::WorkerThread::Options o;
      o.endOnError = true;
      o.onError = [&pipe](const std::string &what) {
        pipe.fail(std::make_exception_ptr(StoreError(0, "case import: the preparing thread failed: " + what)));
      };
      return o;
    }

    BatchPipe &mPipe;
    core::WorkerThread mThread;
};

// The number counters at least as high as the highest imported number of each (admin code, day).
void raiseCounters(Database &db, const Preparer &preparer)
{
  for (const auto &[key, last] : preparer.counters())
    db.query("INSERT INTO case_number_counters (admin_code, day, last) VALUES (?, ?, ?) "
             "ON CONFLICT (admin_code, day) DO UPDATE SET last = CASE WHEN excluded.last > case_number_counters.last "
             "THEN excluded.last ELSE case_number_counters.last END")
      .bindAll(key.first, key.second, last)
      .run();
}

/**
 * CaseImporter::run() on PostgreSQL: the same preparing thread and the same rows, written by
 * COPY (PgCopyInserter), in one transaction or a savepoint of the caller's. None of SQLite's
 * machinery applies: foreign keys stay checked (only a superuser could switch them off), the
 * indexes stay (see PgCopyInserter), there is no R-tree to pack, no journal to choose, no page
 * cache to size and no file to write back early: the server writes its WAL as it goes.
 */
CaseImportReport runOnPostgres(Database &db, const CaseStore &projector, const CaseImporter::Source &source)
{
  const auto started = Clock::now();
  CaseImportReport report;
  WriteScope scope(db);
  PgCopyInserter inserter(db);
  BatchPipe pipe;
  Preparer preparer(projector);
  PreparerThread thread(pipe, [&] { preparer.run(source, pipe); });

  const double cpuStarted = threadCpuSeconds();
  while (RowBatch *batch = pipe.takeFull())
  {
    inserter.insert(*batch, report);
    pipe.giveBack(batch);
  }
  report.insertCpuSeconds = threadCpuSeconds() - cpuStarted;
  thread.join();
  report.prepareCpuSeconds = preparer.cpuSeconds();
  if (const std::exception_ptr error = pipe.error())
    std::rethrow_exception(error);
  report.insertSeconds = secondsSince(started);
  raiseCounters(db, preparer);

  const auto commitStarted = Clock::now();
  scope.commit();
  if (scope.ownsTransaction())
    report.commitSeconds = secondsSince(commitStarted);
  report.totalSeconds = secondsSince(started);
  return report;
}

} // namespace

CaseImporter::CaseImporter(Database &db, const CaseStore &projector, CaseImportOptions options)
  : mDb(db)
  , mProjector(projector)
  , mOptions(options)
{}

CaseImportReport CaseImporter::run(const Source &source)
{
  if (mDb.isPostgres())
    return runOnPostgres(mDb, mProjector, source);
  const auto started = Clock::now();
  CaseImportReport report;
  const ForeignKeysOff foreignKeysOff(mDb);
  RollbackJournal journal(mDb, mOptions.exclusive);
  WriteScope scope(mDb);

  const std::int64_t existing = mDb.scalarInt("SELECT coalesce(max(id), 0) FROM cases");
  const std::size_t bulkFrom = std::max<std::size_t>(mOptions.bulkFrom, static_cast<std::size_t>(existing / 2));
  std::vector<SchemaObject> dropped;
  std::int64_t firstBulkId = 0;
  // Only for a bulk import: a few cases into a live store keep the writer's warm cache.
  std::optional<EarlyWriteback> writeback;
  std::optional<RowsPhaseCache> rowsCache;
  const auto enterBulk = [&] {
    writeback.emplace(mDb.path());
    rowsCache.emplace(mDb);
    dropped = dropForBulk(mDb);
    firstBulkId = mDb.scalarInt("SELECT coalesce(max(id), 0) + 1 FROM cases");
    report.bulk = true;
  };
  if (mOptions.expectedCases > 0 && mOptions.expectedCases >= bulkFrom)
    enterBulk();

  RowInserter inserter(mDb);
  BatchPipe pipe;
  Preparer preparer(mProjector);
  PreparerThread thread(pipe, [&] { preparer.run(source, pipe); });

  const double cpuStarted = threadCpuSeconds();
  while (RowBatch *batch = pipe.takeFull())
  {
    if (!report.bulk && static_cast<std::size_t>(report.cases) >= bulkFrom)
    {
      enterBulk();
      inserter.prepare();
    }
    inserter.insert(*batch, report);
    pipe.giveBack(batch);
  }
  report.insertCpuSeconds = threadCpuSeconds() - cpuStarted;
  thread.join();
  report.prepareCpuSeconds = preparer.cpuSeconds();
  if (const std::exception_ptr error = pipe.error())
    std::rethrow_exception(error);
  report.insertSeconds = secondsSince(started);
  if (rowsCache)
    rowsCache->restore();

  if (report.bulk)
  {
    const auto rebuildStarted = Clock::now();
    restoreAfterBulk(mDb, dropped, firstBulkId, inserter.points(), report);
    report.rebuildSeconds = secondsSince(rebuildStarted);
  }

  raiseCounters(mDb, preparer);

  const auto commitStarted = Clock::now();
  // synchronous stays FULL. The import is one transaction, so SQLite syncs once at COMMIT (the
  // WAL) and once when the checkpoint has copied the pages into the database file; with
  // NORMAL the first sync merely moves into that checkpoint, and OFF would let the checkpoint
  // overwrite the database file with pages that may not be on disk yet. All-or-nothing comes
  // from the single commit record either way; relaxing would save nothing. (With the rollback
  // journal, FULL syncs the journal before the database file is overwritten, and the database
  // file at COMMIT.)
  scope.commit();
  report.rollbackJournal = journal.active();
  if (journal.active())
  {
    journal.restoreWal();
  }
  else if (scope.ownsTransaction() && report.bulk)
  {
    // COMMIT's automatic checkpoint has copied the pages already; TRUNCATE also gives back the
    // WAL file, which a migration has grown to the size of the import. Readers holding an old
    // snapshot make it return "busy", which is harmless: the import is durable in the WAL.
    try
    {
      mDb.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    catch (const StoreError &)
    {
    }
  }
  if (scope.ownsTransaction())
    report.commitSeconds = secondsSince(commitStarted);
  report.totalSeconds = secondsSince(started);
  return report;
}

} // namespace gd::store
