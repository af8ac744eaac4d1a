#include "console/field/gatewayrosterservice.h"

#include "console/session/storeaccess.h"
#include "store/database.h"
#include "store/feed/gatewayroster.h"
#include "store/timetext.h"

namespace gd::console {

namespace {
QDateTime toQt(core::TimePoint t)
{
  return QDateTime::fromSecsSinceEpoch(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(), Qt::UTC);
}
} // namespace

GatewayRosterService::GatewayRosterService(const QString &storePath)
  : mPath(storePath)
{}

GatewayRosterService::~GatewayRosterService() = default;

GatewayRoll GatewayRosterService::read()
{
  GatewayRoll roll;
  try
  {
    // Opened on first use and again after a failure (a database that went away and came back).
    if (!mDb)
      mDb = std::make_unique<store::Database>(storeLocation(mPath), store::Database::Mode::ReadOnly);
    const auto now = store::nowUtc();
    for (const store::GatewayBeat &beat : store::GatewayRoster(*mDb).list())
    {
      GatewayRow row;
      row.instance = QString::fromStdString(beat.instance);
      row.host = QString::fromStdString(beat.host);
      row.listen = QString::fromStdString(beat.listen);
      row.startedAt = toQt(beat.startedAt);
      row.seenAt = toQt(beat.seenAt);
      if (beat.stoppedAt)
        row.stoppedAt = toQt(*beat.stoppedAt);
      row.terminalsOnline = beat.terminalsOnline;
      row.framesStored = beat.framesStored;
      row.storedPerSecond = beat.storedPerSecond;
      row.ackLagMs = beat.ackLagMs;
      row.storeDown = beat.storeDown;
      row.live = store::GatewayRoster::isLive(beat, now);
      roll.gateways.push_back(std::move(row));
    }
    roll.read = true;
  }
  catch (const std::exception &e)
  {
    mDb.reset();
    roll.error = QString::fromUtf8(e.what());
  }
  return roll;
}

} // namespace gd::console
