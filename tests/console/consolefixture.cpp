#include "consolefixture.h"

#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "store/feed/orderstore.h"
#include "store/feed/positionstore.h"
#include "store/timetext.h"
#include "store/schema.h"
#include "store/supervision/supervisionstore.h"
#include "core/caseworkflow.h"

#include <QStringList>

namespace gd::consoletest {

ConsoleStore makeConsoleStore(int terminals)
{
  ConsoleStore store;
  store.fixture = maptest::makeStore();
  auto db = store::Schema::open(store::StoreLocation::parse(store.fixture->path.toStdString()));
  store::DeviceRegistry devices(*db);
  for (const store::DemoTerminal &terminal : store::provisionDemoTerminals(*db, store.fixture->district, terminals))
    store.terminals.push_back({QString::fromStdString(terminal.device),
                               QString::fromStdString(devices.find(terminal.device)->workerId),
                               QString::fromStdString(terminal.token), terminal.home.lon, terminal.home.lat});
  return store;
}

QStringList pendingOrders(const QString &path, const QString &device)
{
  auto db = store::Schema::open(store::StoreLocation::parse(path.toStdString()));
  QStringList out;
  for (const store::Order &order : store::OrderStore(*db).pending(device.toStdString()))
    out << QStringLiteral("%1:%2").arg(QString::fromLatin1(store::orderKindName(order.kind).data()),
                                       QString::fromStdString(order.caseNumber));
  return out;
}

void recordFix(const QString &path, const Terminal &terminal, double lon, double lat, int secondsAgo)
{
  auto db = store::Schema::open(store::StoreLocation::parse(path.toStdString()));
  store::PositionFix fix;
  fix.deviceId = terminal.device.toStdString();
  fix.workerId = terminal.workerId.toStdString();
  fix.at = store::nowUtc() - std::chrono::seconds(secondsAgo);
  fix.point = {lon, lat};
  store::PositionStore(*db).record(fix);
}

bool acknowledgeOrder(const QString &path, const QString &device, qint64 id)
{
  auto db = store::Schema::open(store::StoreLocation::parse(path.toStdString()));
  return store::OrderStore(*db).acknowledge(device.toStdString(), id, store::nowUtc());
}

QStringList supervisionRecords(const QString &path, const QString &number)
{
  auto db = store::Schema::open(store::StoreLocation::parse(path.toStdString()));
  const core::Workflow workflow;
  QStringList out;
  for (const store::SupervisionRecord &r : store::SupervisionStore(*db, workflow, nullptr).records(number.toStdString()))
    out << QStringLiteral("%1:%2:%3").arg(QString::fromLatin1(store::supervisionKindName(r.kind).data()),
                                          QString::fromStdString(r.actor), QString::fromStdString(r.opinion));
  return out;
}

bool noteAs(const QString &path, const QString &number, const QString &actor, const QString &note)
{
  auto db = store::Schema::open(store::StoreLocation::parse(path.toStdString()));
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  const core::Workflow workflow(&config->departments);
  const core::SlaClock clock(config->catalog, config->calendar);
  core::CaseCommand command;
  command.action = core::CaseAction::Note;
  command.actor = actor.toStdString();
  command.at = store::nowUtc();
  command.note = note.toStdString();
  try
  {
    store::CaseStore(*db, workflow, &clock).apply(number.toStdString(), command);
    return true;
  }
  catch (const std::exception &)
  {
    return false;
  }
}

QString reportCase(const ConsoleStore &store, const QString &title, int grid)
{
  const auto &grids = store.fixture->district.tree.nodesAt(core::GridLevel::MicroGrid);
  const core::GridNode &node = *grids[static_cast<std::size_t>(grid) % grids.size()];
  const core::GeoPoint at = node.area.front().outer.front();
  auto db = store::Schema::open(store::StoreLocation::parse(store.path().toStdString()));
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  const core::Workflow workflow(&config->departments);
  const core::SlaClock clock(config->catalog, config->calendar);
  core::CaseCommand command;
  command.action = core::CaseAction::Report;
  command.actor = "device:" + store.terminals.front().device.toStdString();
  command.at = store::nowUtc();
  command.details = {.category = "0301", .lon = at.lon, .lat = at.lat, .grid = node.code.str(), .title = title.toStdString(),
                     .source = "patrol"};
  return QString::fromStdString(store::CaseStore(*db, workflow, &clock).report(command, "620902"));
}

} // namespace gd::consoletest
