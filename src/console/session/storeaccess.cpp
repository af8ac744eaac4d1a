#include "console/session/storeaccess.h"

#include "console/dispatch/caserecordview.h"
#include "console/common/storetext.h"

#include "core/demodistrict.h"
#include "store/changefeed.h"
#include "store/casestore.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/demostore.h"
#include "store/gridstore.h"
#include "store/layerstyles.h"
#include "store/poistore.h"
#include "store/schema.h"
#include "store/timetext.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTimeZone>

#include <sqlite3.h>

#include <chrono>
#include <map>
#include <optional>
#include <iostream>

namespace gd::console {


map::CasePin pinOf(const store::CaseRecord &record, core::TimePoint now)
{
  return {utf8(record.number), record.point.lon, record.point.lat, utf8(record.category.substr(0, 2)),
          utf8(record.category), utf8(record.title), latin1(core::caseStateName(record.state)),
          latin1(core::trafficLightName(record.light(now))), latin1(core::priorityName(record.priority)),
          utf8(record.gridLevelCode), record.reportedAt.time_since_epoch().count()};
}

CaseQueueRow rowOf(const store::CaseRecord &record, core::TimePoint now, const store::ConfigDirectory *config)
{
  const bool chinese = QLocale().language() == QLocale::Chinese;
  CaseQueueRow row;
  row.number = utf8(record.number);
  row.category = utf8(record.category);
  if (const core::Category *category = config ? config->catalog.find(record.category) : nullptr)
    row.category += QLatin1Char(' ') + utf8(chinese ? category->nameZh : category->nameEn);
  row.grid = utf8(record.gridLevelCode);
  row.source = utf8(record.source);
  row.state = latin1(core::caseStateName(record.state));
  row.leadDepartment = utf8(record.leadDepartment);
  if (const core::Department *department = config ? config->departments.find(record.leadDepartment) : nullptr)
    row.leadDepartment = utf8(chinese ? department->nameZh : department->nameEn);
  row.light = latin1(core::trafficLightName(record.light(now)));
  // Beijing time, as the SLA clock: the workstation's zone does not move deadlines. A fixed
  // UTC+8 (China has kept no daylight saving time since 1991) shows the same wall time as the
  // "Asia/Shanghai" zone, whose rules Qt looks up on every conversion: that look-up was a
  // third of reading 30,000 open cases.
  static const QTimeZone beijing(8 * 3600);
  if (record.deadline)
    row.deadline = QDateTime::fromSecsSinceEpoch(record.deadline->time_since_epoch().count(), beijing);
  row.categoryCode = utf8(record.category);
  row.gridCode = utf8(record.gridCode);
  row.departmentCode = utf8(record.leadDepartment);
  row.priority = latin1(core::priorityName(record.priority));
  row.reportedAt = QDateTime::fromSecsSinceEpoch(record.reportedAt.time_since_epoch().count(), beijing);
  row.title = utf8(record.title);
  row.address = utf8(record.address);
  return row;
}

namespace {

//! "YYYY-MM-DDTHH:MM:SSZ", the store's own format, without the general RFC 3339 parser.
std::optional<core::TimePoint> parseDbTime(const unsigned char *text, int size)
{
  if (!text || size == 0)
    return std::nullopt;
  const auto digit = [text](int at) { return static_cast<unsigned>(text[at]) - '0'; };
  const bool simple = size == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
                      text[16] == ':' && text[19] == 'Z';
  if (!simple)
    return store::fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  for (int at : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (digit(at) > 9)
      return store::fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  const int year = static_cast<int>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  const unsigned month = digit(5) * 10 + digit(6);
  const unsigned day = digit(8) * 10 + digit(9);
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok())
    return store::fromDbTime(std::string_view(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size)));
  const auto seconds = std::chrono::hours(digit(11) * 10 + digit(12)) + std::chrono::minutes(digit(14) * 10 + digit(15)) +
                       std::chrono::seconds(digit(17) * 10 + digit(18));
  return core::TimePoint(std::chrono::sys_days(date) + seconds);
}

std::string textAt(sqlite3_stmt *statement, int column)
{
  const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(statement, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column))) : std::string();
}

std::optional<core::TimePoint> timeAt(sqlite3_stmt *statement, int column)
{
  const unsigned char *text = sqlite3_column_text(statement, column);
  return parseDbTime(text, text ? sqlite3_column_bytes(statement, column) : 0);
}

// Only what a pin and a queue row show: the full record (description, reporter, every stage
// instant …) would be read, parsed and freed for nothing. Open cases come through the partial
// index over open cases; ordering them by report time made SQLite walk the index of every
// stored case instead (1,000,000 table look-ups for 30,000 open cases), so they are not
// ordered here: the queue sorts itself.
constexpr const char *kOpenCaseSql =
  "SELECT number, category, state, priority, source, title, address, lon, lat, grid_code, grid_level3_code, "
  "lead_dept, reported_at, warn_at, deadline FROM cases INDEXED BY cases_open_state WHERE is_open = 1";

store::CaseRecord leanRecord(sqlite3_stmt *s)
{
  store::CaseRecord r;
  r.number = textAt(s, 0);
  r.category = textAt(s, 1);
  r.state = core::parseCaseState(textAt(s, 2)).value_or(core::CaseState::Reported);
  r.priority = core::parsePriority(textAt(s, 3)).value_or(core::Priority::Normal);
  r.source = textAt(s, 4);
  r.title = textAt(s, 5);
  r.address = textAt(s, 6);
  r.point.lon = sqlite3_column_double(s, 7);
  r.point.lat = sqlite3_column_double(s, 8);
  r.gridCode = textAt(s, 9);
  r.gridLevelCode = textAt(s, 10);
  r.leadDepartment = textAt(s, 11);
  r.reportedAt = timeAt(s, 12).value_or(core::TimePoint{});
  r.warnAt = timeAt(s, 13);
  r.deadline = timeAt(s, 14);
  return r;
}

bool alerting(const store::CaseRecord &record, core::TimePoint now)
{
  return record.light(now) == core::TrafficLight::Red || record.priority == core::Priority::Emergency;
}

} // namespace

StoreOverview readStoreOverview(const QString &path)
{
  auto db = store::Schema::open(path.toStdString());
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  StoreOverview overview;
  store::Transaction snapshot(*db, store::Transaction::Kind::Deferred);
  overview.grids = store::GridStore(*db).load();
  for (const store::Poi &poi : store::PoiStore(*db).list())
    overview.pois.push_back({utf8(poi.kind), utf8(poi.name), poi.point.lon, poi.point.lat, utf8(poi.streamUrl)});
  {
    // Answered from the partial index alone (grid_code, deadline, state over open cases): the
    // 网格 is the first 15 digits of the case's grid code. A pin is counted in the grid its
    // point lies in (grid_level3_code, not indexed); the two agree but for a case reported on
    // a boundary, and LiveCaseLayer::finishLoading counts from the pins once they are in.
    auto q = db->query("SELECT substr(grid_code, 1, 15), count(*), sum(deadline < ?) FROM cases INDEXED BY "
                       "cases_open_grid WHERE is_open = 1 AND length(grid_code) >= 15 GROUP BY 1");
    q.bindAll(store::toDbTime(now));
    while (q.step())
      overview.counts.push_back({utf8(q->columnText(0)), static_cast<int>(q->columnInt(1)), static_cast<int>(q->columnInt(2)), 0});
  }
  {
    // New today (Beijing calendar day): few cases, found by the report-time index.
    const std::int64_t nowSecs = now.time_since_epoch().count();
    const std::int64_t todayStart = nowSecs - (nowSecs + 8 * 3600) % 86400;
    auto q = db->query("SELECT substr(grid_code, 1, 15), count(*) FROM cases INDEXED BY cases_reported_at "
                       "WHERE reported_at >= ? AND is_open = 1 AND length(grid_code) >= 15 GROUP BY 1");
    q.bindAll(store::toDbTime(core::TimePoint(std::chrono::seconds(todayStart))));
    std::map<QString, int> newToday;
    while (q.step())
      newToday[utf8(q->columnText(0))] = static_cast<int>(q->columnInt(1));
    for (map::GridCaseCount &count : overview.counts)
      if (const auto it = newToday.find(count.grid); it != newToday.end())
        count.newToday = it->second;
  }
  snapshot.commit();
  return overview;
}

OpenCaseCursor readOpenCases(const QString &path, int chunkSize, const std::function<void(OpenCaseChunk)> &deliver,
                             const std::function<bool()> &stop)
{
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  store::Database db(path.toStdString(), store::Database::Mode::ReadOnly);
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  OpenCaseCursor cursor;
  cursor.readAtSecs = now.time_since_epoch().count();
  std::vector<store::CaseRecord> alerts;
  std::vector<store::CaseRecord> others;
  {
    // One snapshot: the cursor names exactly the state the cases were read in.
    store::Transaction snapshot(db, store::Transaction::Kind::Deferred);
    cursor.eventId = store::ChangeFeed(db).newestEventId();
    auto q = db.query(kOpenCaseSql);
    while (q.step())
    {
      store::CaseRecord record = leanRecord(q->handle());
      (alerting(record, now) ? alerts : others).push_back(std::move(record));
    }
    snapshot.commit();
  }
  const auto send = [&](const std::vector<store::CaseRecord> &records, bool alertChunks, bool pins, bool rows) {
    const std::size_t step = static_cast<std::size_t>(std::max(1, chunkSize));
    for (std::size_t from = 0; from < records.size(); from += step)
    {
      if (stop && stop())
        return false;
      OpenCaseChunk chunk;
      chunk.alerts = alertChunks;
      const std::size_t to = std::min(records.size(), from + step);
      chunk.pins.reserve(pins ? to - from : 0);
      chunk.rows.reserve(rows ? to - from : 0);
      for (std::size_t i = from; i < to; ++i)
      {
        if (pins)
          chunk.pins.push_back(pinOf(records[i], now));
        if (rows)
          chunk.rows.push_back(rowOf(records[i], now, config.get()));
      }
      deliver(std::move(chunk));
    }
    return true;
  };
  // The alert pins complete the district view: they go first, their queue rows right after.
  if (send(alerts, true, true, false) && send(alerts, true, false, true))
    send(others, false, true, true);
  return cursor;
}

void prepareDemoStore(const QString &path, int terminals, const QString &credentialsPath)
{
  QDir().mkpath(QFileInfo(path).absolutePath());
  auto db = store::Schema::openOrCreate(path.toStdString());
  if (store::GridStore(*db).count(core::GridLevel::District) > 0)
    return;
  std::cerr << "griddispatch: generating the demo district into " << path.toStdString() << '\n';
  const core::DemoDistrict district = core::generateDemoDistrict();
  std::size_t workers = 0;
  for (const core::GridNode *grid : district.tree.nodesAt(core::GridLevel::Grid))
    workers += grid->workers.size();
  store::Transaction transaction(*db);
  store::writeDemoDistrict(*db, district);
  store::installMapStyles(*db, store::defaultMapsDir());
  const auto terminalsMade = store::provisionDemoTerminals(*db, district, std::min<int>(terminals, static_cast<int>(workers)));
  transaction.commit();
  store::writeSimCredentials(credentialsPath.toStdString(), terminalsMade);
}

} // namespace gd::console
