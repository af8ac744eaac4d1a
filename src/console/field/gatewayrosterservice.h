#pragma once
// The center's gateways as the feed monitor shows them: every gateway of the store (its own
// embedded one, griddispatch-gateway processes on other machines) writes a heartbeat row
// (store::GatewayRoster); this service reads them on a thread of its own, so the GUI never
// waits on the database. Qt value types only here (the window includes it).

#include "console/common/servicethread.h"

#include <QDateTime>
#include <QString>

#include <memory>
#include <vector>

namespace gd::store {
class Database;
}

namespace gd::console {

struct GatewayRow
{
  QString instance;
  QString host;
  QString listen;
  QDateTime startedAt;
  QDateTime seenAt;
  QDateTime stoppedAt; //!< null while running
  qint64 terminalsOnline = 0;
  qint64 framesStored = 0;
  double storedPerSecond = 0;
  double ackLagMs = 0;
  bool storeDown = false;
  bool live = false;   //!< running and heard from lately (store::GatewayRoster::isLive)
};

struct GatewayRoll
{
  bool read = false;   //!< false: the store could not be read (error says why); the last roll stands
  QString error;
  std::vector<GatewayRow> gateways;
};

class GatewayRosterService
{
  public:
    explicit GatewayRosterService(const QString &storePath);
    ~GatewayRosterService();
    //! Every gateway's last heartbeat, with each one's liveness at this moment.
    GatewayRoll read();

  private:
    QString mPath;
    std::unique_ptr<store::Database> mDb;
};

class GatewayRosterThread : public ServiceThread<GatewayRosterService>
{
  public:
    explicit GatewayRosterThread(const QString &storePath)
      : ServiceThread([storePath] { return std::make_unique<GatewayRosterService>(storePath); })
    {}
};

} // namespace gd::console
