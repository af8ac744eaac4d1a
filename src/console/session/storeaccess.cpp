#include "console/session/storeaccess.h"

#include "console/dispatch/caserecordview.h"
#include "console/common/storetext.h"

#include "core/demodistrict.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/grids/gridstore.h"
#include "store/grids/layerstyles.h"
#include "store/accounts/seatstore.h"
#include "store/cases/opencases.h"
#include "store/grids/poistore.h"
#include "store/schema.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QTimeZone>

#include <chrono>
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

store::StoreLocation storeLocation(const QString &store)
{
  return store::StoreLocation::parse(store.toStdString());
}

std::optional<SeatInfo> readSeat(const QString &path, const QString &seatId)
{
  auto db = store::Schema::open(storeLocation(path));
  store::SeatStore seats(*db);
  std::optional<store::Seat> seat = seats.sessionSeat();
  const bool fromRole = seat.has_value();
  if (seat && !seatId.isEmpty() && seatId.toStdString() != seat->id)
    throw std::runtime_error("this database login is seat " + seat->id + "'s, not " + seatId.toStdString() +
                             "'s: a seat's credentials sit at their own seat only");
  if (!seat && !seatId.isEmpty())
  {
    seat = seats.find(seatId.toStdString());
    if (!seat)
      throw std::runtime_error("the store has no seat '" + seatId.toStdString() + "' (griddispatch-ctl seat list)");
  }
  if (!seat)
    return std::nullopt;
  if (seat->disabled)
    throw std::runtime_error("seat " + seat->id + " is disabled");
  return SeatInfo{utf8(seat->id), utf8(seat->displayName), utf8(seat->gridScope), utf8(seat->department), fromRole};
}

StoreOverview readStoreOverview(const QString &path, const store::CaseScope &scope)
{
  auto db = store::Schema::open(storeLocation(path));
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  StoreOverview overview;
  store::Transaction snapshot(*db, store::Transaction::Kind::Deferred);
  overview.grids = store::GridStore(*db).load();
  for (const store::Poi &poi : store::PoiStore(*db).list())
    overview.pois.push_back({utf8(poi.kind), utf8(poi.name), poi.point.lon, poi.point.lat, utf8(poi.streamUrl)});
  // New today: since the start of the Beijing calendar day (UTC+8, as the SLA clock).
  const std::int64_t nowSecs = now.time_since_epoch().count();
  const core::TimePoint todayStart(std::chrono::seconds(nowSecs - (nowSecs + 8 * 3600) % 86400));
  for (const store::GridOpenCounts &count : store::OpenCaseReader(*db, scope).countsPerGrid(now, todayStart))
    overview.counts.push_back({utf8(count.grid), count.open, count.overdue, count.newToday});
  snapshot.commit();
  return overview;
}

OpenCaseCursor readOpenCases(const QString &path, int chunkSize, const std::function<void(OpenCaseChunk)> &deliver,
                             const std::function<bool()> &stop, const store::CaseScope &scope)
{
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  store::Database db(storeLocation(path), store::Database::Mode::ReadOnly);
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  OpenCaseCursor cursor;
  cursor.readAtSecs = now.time_since_epoch().count();
  // One snapshot: the cursor names exactly the state the cases were read in.
  store::OpenCaseSnapshot snapshot = store::OpenCaseReader(db, scope).read(now);
  cursor.eventId = snapshot.newestEventId;
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
  if (send(snapshot.alerts, true, true, false) && send(snapshot.alerts, true, false, true))
    send(snapshot.others, false, true, true);
  return cursor;
}

void prepareDemoStore(const QString &path, int terminals, const QString &credentialsPath)
{
  const store::StoreLocation location = storeLocation(path);
  if (!location.isPostgres())
    QDir().mkpath(QFileInfo(path).absolutePath());
  auto db = store::Schema::openOrCreate(location);
  if (store::GridStore(*db).count(core::GridLevel::District) > 0)
    return;
  std::cerr << "griddispatch: generating the demo district into " << location.display() << '\n';
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
