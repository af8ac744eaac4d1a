#include "store/feed/gatewayroster.h"

#include "store/database.h"
#include "store/timetext.h"

namespace gd::store {

GatewayRoster::GatewayRoster(Database &db)
  : mDb(db)
{}

void GatewayRoster::beat(const GatewayBeat &beat)
{
  // One row per run (a restarted gateway is a new instance): what a console shows is what each
  // run said last, and a run that went silent keeps its last word beside the one that replaced it.
  mDb.query("INSERT INTO gateway_heartbeats (instance, host, listen, started_at, seen_at, stopped_at, terminals_online, "
            "frames_stored, duplicates, rejects, stored_per_second, ack_lag_ms, store_down) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
            "ON CONFLICT (instance) DO UPDATE SET host = excluded.host, listen = excluded.listen, "
            "started_at = excluded.started_at, seen_at = excluded.seen_at, stopped_at = excluded.stopped_at, "
            "terminals_online = excluded.terminals_online, frames_stored = excluded.frames_stored, "
            "duplicates = excluded.duplicates, rejects = excluded.rejects, stored_per_second = excluded.stored_per_second, "
            "ack_lag_ms = excluded.ack_lag_ms, store_down = excluded.store_down")
    .bindAll(beat.instance, beat.host, beat.listen, toDbTime(beat.startedAt), toDbTime(beat.seenAt),
             beat.stoppedAt ? std::optional<std::string>(toDbTime(*beat.stoppedAt)) : std::nullopt, beat.terminalsOnline,
             beat.framesStored, beat.duplicates, beat.rejects, beat.storedPerSecond, beat.ackLagMs,
             static_cast<std::int64_t>(beat.storeDown ? 1 : 0))
    .run();
}

void GatewayRoster::stopped(const std::string &instance, core::TimePoint at)
{
  // No terminal is served there any more: what it counted online is not online.
  mDb.query("UPDATE gateway_heartbeats SET stopped_at = ?2, seen_at = ?2, terminals_online = 0, stored_per_second = 0 "
            "WHERE instance = ?1")
    .bindAll(instance, toDbTime(at))
    .run();
}

int GatewayRoster::forget(core::TimePoint before)
{
  mDb.query("DELETE FROM gateway_heartbeats WHERE seen_at < ?").bindAll(toDbTime(before)).run();
  return mDb.changes();
}

std::vector<GatewayBeat> GatewayRoster::list()
{
  std::vector<GatewayBeat> out;
  auto q = mDb.query("SELECT instance, host, listen, started_at, seen_at, stopped_at, terminals_online, frames_stored, "
                     "duplicates, rejects, stored_per_second, ack_lag_ms, store_down FROM gateway_heartbeats "
                     "ORDER BY stopped_at IS NOT NULL, host, listen, started_at DESC");
  while (q.step())
  {
    GatewayBeat beat;
    beat.instance = q->columnText(0);
    beat.host = q->columnText(1);
    beat.listen = q->columnText(2);
    beat.startedAt = fromDbTime(q->columnText(3)).value_or(core::TimePoint{});
    beat.seenAt = fromDbTime(q->columnText(4)).value_or(core::TimePoint{});
    if (const auto stopped = q->columnOptionalText(5))
      beat.stoppedAt = fromDbTime(*stopped);
    beat.terminalsOnline = q->columnInt(6);
    beat.framesStored = q->columnInt(7);
    beat.duplicates = q->columnInt(8);
    beat.rejects = q->columnInt(9);
    beat.storedPerSecond = q->columnDouble(10);
    beat.ackLagMs = q->columnDouble(11);
    beat.storeDown = q->columnInt(12) != 0;
    out.push_back(std::move(beat));
  }
  return out;
}

bool GatewayRoster::isLive(const GatewayBeat &beat, core::TimePoint now)
{
  return !beat.stoppedAt && now - beat.seenAt <= kSilentAfter;
}

} // namespace gd::store
