#pragma once
// A demo store with field terminals for the console tests, and what they read back from it.

#include "maptestdistrict.h"

#include <QString>

#include <memory>
#include <vector>

namespace gd::consoletest {

struct Terminal
{
  QString device;
  QString workerId;
  QString token; //!< what it says in its hello
  double lon = 0; //!< its home: the centre of its worker's grid
  double lat = 0;
};

struct ConsoleStore
{
  std::unique_ptr<maptest::StoreFixture> fixture;
  std::vector<Terminal> terminals;
  QString path() const { return fixture->path; }
};

//! The small demo district with \a terminals provisioned field terminals.
ConsoleStore makeConsoleStore(int terminals = 20);

//! Orders not yet acknowledged by \a device: "kind:case" each, oldest first.
QStringList pendingOrders(const QString &path, const QString &device);

//! Stores a location fix of \a terminal at \a lon, \a lat (CGCS2000), \a secondsAgo before now.
void recordFix(const QString &path, const Terminal &terminal, double lon, double lat, int secondsAgo = 10);

//! Acknowledges order \a id as terminal \a device does through the gateway; false when it was not pending.
bool acknowledgeOrder(const QString &path, const QString &device, qint64 id);

//! The supervision records (督办记录) of case \a number: "kind:actor:opinion" each, oldest first.
QStringList supervisionRecords(const QString &path, const QString &number);
//! Records a note on case \a number by \a actor ("worker:<id>", "device:<id>" …), as the gateway
//! records what a terminal reports; false when the store refused it.
bool noteAs(const QString &path, const QString &number, const QString &actor, const QString &note);

/**
 * Reports a case in micro-grid number \a grid of the district as a field terminal does, on a
 * connection of its own (what the console sees arrive live); returns its number.
 */
QString reportCase(const ConsoleStore &store, const QString &title, int grid = 0);

} // namespace gd::consoletest
