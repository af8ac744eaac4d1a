#include "consolefixture.h"

#include "store/database.h"
#include "store/demostore.h"
#include "store/deviceregistry.h"
#include "store/orderstore.h"
#include "store/schema.h"

#include <QStringList>

namespace gd::consoletest {

ConsoleStore makeConsoleStore(int terminals)
{
  ConsoleStore store;
  store.fixture = maptest::makeStore();
  auto db = store::Schema::open(store.fixture->path.toStdString());
  store::DeviceRegistry devices(*db);
  for (const store::DemoTerminal &terminal : store::provisionDemoTerminals(*db, store.fixture->district, terminals))
    store.terminals.push_back({QString::fromStdString(terminal.device),
                               QString::fromStdString(devices.find(terminal.device)->workerId), terminal.home.lon,
                               terminal.home.lat});
  return store;
}

QStringList pendingOrders(const QString &path, const QString &device)
{
  auto db = store::Schema::open(path.toStdString());
  QStringList out;
  for (const store::Order &order : store::OrderStore(*db).pending(device.toStdString()))
    out << QStringLiteral("%1:%2").arg(QString::fromLatin1(store::orderKindName(order.kind).data()),
                                       QString::fromStdString(order.caseNumber));
  return out;
}

} // namespace gd::consoletest
