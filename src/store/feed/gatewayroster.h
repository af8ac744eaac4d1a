#pragma once
// The center's gateways as they report themselves (schema revision 13, gateway_heartbeats):
// each running gateway writes its row every GatewayRoster::kBeatEvery, every console's feed
// monitor lists the rows. A row whose last beat is older than kSilentAfter belongs to a
// gateway that stopped writing without saying so (killed, its machine down, cut off from the
// database): it is shown as silent, never counted as serving terminals.

#include "core/timeutil.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gd::store {

class Database;

struct GatewayBeat
{
  std::string instance;   //!< StoreSink::instance(): host:pid:random, unique per run
  std::string host;       //!< the machine it runs on
  std::string listen;     //!< address:port terminals connect to
  core::TimePoint startedAt{};
  core::TimePoint seenAt{};                    //!< its last beat
  std::optional<core::TimePoint> stoppedAt;    //!< set by a clean stop
  std::int64_t terminalsOnline = 0;
  std::int64_t framesStored = 0;  //!< since it started, duplicates not counted
  std::int64_t duplicates = 0;    //!< since it started
  std::int64_t rejects = 0;       //!< since it started
  double storedPerSecond = 0;     //!< over the last beat interval
  double ackLagMs = 0;
  bool storeDown = false;         //!< its store's disk was full or its database unreachable: nothing acknowledged
};

class GatewayRoster
{
  public:
    //! How often a running gateway writes its row.
    static constexpr std::chrono::seconds kBeatEvery{2};
    //! A row not written for this long is a silent gateway's.
    static constexpr std::chrono::seconds kSilentAfter{10};
    //! Rows of gateways stopped or silent for this long are removed by the next gateway that starts.
    static constexpr std::chrono::hours kForgetAfter{24};

    explicit GatewayRoster(Database &db);

    //! Writes \a beat as its gateway's row (inserted or replaced). Inside a write transaction.
    void beat(const GatewayBeat &beat);
    //! Marks \a instance stopped at \a at (a clean stop: no terminal is served there any more).
    void stopped(const std::string &instance, core::TimePoint at);
    //! Removes the rows last written before \a before (gateways long gone). Returns how many.
    int forget(core::TimePoint before);
    //! Every row, running gateways first, then by host and address.
    std::vector<GatewayBeat> list();

    //! True when \a beat's gateway is running and heard from within kSilentAfter of \a now.
    static bool isLive(const GatewayBeat &beat, core::TimePoint now);

  private:
    Database &mDb;
};

} // namespace gd::store
