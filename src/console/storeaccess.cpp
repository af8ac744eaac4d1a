#include "console/storeaccess.h"

#include "console/caserecordview.h"
#include "console/storetext.h"

#include "core/demodistrict.h"
#include "store/casestore.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/demostore.h"
#include "store/gridstore.h"
#include "store/layerstyles.h"
#include "store/poistore.h"
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
  // Beijing time, as the SLA clock: the workstation's zone does not move deadlines.
  static const QTimeZone beijing(QByteArrayLiteral("Asia/Shanghai"));
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

StoreSnapshot readStore(const QString &path)
{
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  const core::Workflow workflow(&config->departments);
  auto db = store::Schema::open(path.toStdString());
  store::CaseStore caseStore(*db, workflow);
  store::CaseFilter filter;
  filter.openOnly = true;
  filter.limit = 200000;
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());

  StoreSnapshot snapshot;
  snapshot.grids = store::GridStore(*db).load();
  for (const store::Poi &poi : store::PoiStore(*db).list())
    snapshot.pois.push_back({utf8(poi.kind), utf8(poi.name), poi.point.lon, poi.point.lat, utf8(poi.streamUrl)});
  for (const store::CaseRecord &record : caseStore.query(filter))
  {
    snapshot.pins.push_back(pinOf(record, now));
    snapshot.rows.push_back(rowOf(record, now, config.get()));
  }
  return snapshot;
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
