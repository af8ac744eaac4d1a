#pragma once
// The seam between griddispatch-gateway and the store: the sink the gateway commits frames to
// (ingest::StoreSink), and what runs beside it on the same store — the order pump that brings
// new orders to connected terminals, and the supervision rules every minute.

#include "feed/framesink.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gd::feed {
class Gateway;
}

namespace gd::apps {

struct GatewayServiceOptions
{
  //! How often the supervision rules run (supervision.conf); 0 turns them off in this process.
  std::chrono::milliseconds rulesEvery{std::chrono::seconds(60)};
  //! How often the order pump looks for new orders.
  std::chrono::milliseconds pumpEvery{200};
  //! Where the services report what they did (rule firings, failures); may be empty.
  std::function<void(const std::string &)> log;
  //! Space kept free beside the store so a full disk never jams it (store::Writer).
  std::uint64_t diskReserveBytes = 32ull << 20;
  //! Set while the store's disk is full (nothing is acknowledged); may be null.
  std::atomic<bool> *diskFull = nullptr;
};

/**
 * Opens the store file \a dbPath and returns the sink the gateway commits frames to. The sink
 * also owns an order pump delivering through \a gateway (created here, before the gateway lets
 * terminals in, so no order is missed) and the supervision-rule scheduler; both stop before the
 * sink is destroyed. \a gateway is started after this returns and stopped before the sink goes.
 * Throws std::runtime_error (or core::ConfigError) with a message naming the file on failure.
 */
std::unique_ptr<feed::FrameSink> openGatewaySink(const std::string &dbPath, feed::Gateway &gateway,
                                                 const GatewayServiceOptions &options = {});

} // namespace gd::apps
