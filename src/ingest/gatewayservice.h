#pragma once
// The field gateway with everything that runs beside it on a store, wired once for both
// programs that run one: griddispatch-gateway and the console's embedded gateway. It owns the
// store's configuration, the sink the gateway commits frames to (StoreSink, with its disk
// reserve), the gateway, the order pump that brings new orders to connected terminals, and
// (when asked) the supervision-rule scheduler.

#include "feed/gateway.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gd::store {
class StoreLocation;
}

namespace gd::ingest {

struct GatewayServiceOptions
{
  //! How often the supervision rules run (supervision.conf); 0 turns them off in this process.
  std::chrono::milliseconds rulesEvery{std::chrono::seconds(60)};
  //! How often the order pump looks for new orders.
  std::chrono::milliseconds pumpEvery{200};
  //! Where the services report what they did (rule firings, failures, the disk); may be empty.
  std::function<void(const std::string &)> log;
  //! Space kept free beside the store so a full disk never jams it (store::Writer).
  std::uint64_t diskReserveBytes = 32ull << 20;
  /**
   * A store that cannot be opened because its disk is full: true waits (saying so, checking
   * every 500 ms) until there is room, so a headless gateway restarted on a full disk starts by
   * itself; false throws the store's error at once (a console must not freeze its window).
   */
  bool waitForSpace = true;
  //! The audit administrator's key file: when given, the audit log is sealed on a schedule (store::audit::AuditSealer).
  std::string auditKeyFile;
  //! How often the audit log is sealed when rows came since the last seal.
  std::chrono::seconds auditSealEvery{3600};
};

class GatewayService
{
  public:
    /**
     * Opens the store file \a dbPath (refusing a missing or foreign file, migrating an older
     * one), the sink, the order pump and the rules, and a gateway configured by \a config that
     * does not listen yet (start()). The pump is created before any terminal is let in, so no
     * order written before is missed. When \a config names no catalog, the store's
     * configuration's is used. Throws std::exception naming the problem.
     */
    GatewayService(const std::string &dbPath, feed::GatewayConfig config, GatewayServiceOptions options = {});
    /**
     * The same on the store at \a location: a file, or a PostgreSQL database (created and
     * migrated by its administrator; the rules run there as on a file, every write transaction
     * holding the store's write lock, so several gateways running them act once on each case). The
     * string above is read as --db is (store::StoreLocation::parse: a path or a connection string).
     */
    GatewayService(const store::StoreLocation &location, feed::GatewayConfig config, GatewayServiceOptions options = {});
    //! Stops the gateway (every acknowledged frame committed), then the services, then the sink.
    ~GatewayService();

    GatewayService(const GatewayService &) = delete;
    GatewayService &operator=(const GatewayService &) = delete;

    //! Listens (see feed::Gateway::start()).
    void start();
    //! Stops the gateway; the services stop with the object. Idempotent.
    void stop();

    feed::Gateway &gateway();
    const feed::Gateway &gateway() const;
    //! True while the store's disk is full (nothing is acknowledged until space is freed).
    bool diskFull() const;
    //! This gateway's name in the store (device_sessions, gateway_heartbeats): host, process id, a random part.
    std::string instance() const;
    //! The store's commit times so far (what the disk made of the acks).
    std::string commitSummary() const;

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gd::ingest
