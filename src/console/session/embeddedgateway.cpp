#include "console/session/embeddedgateway.h"

#include "feed/gateway.h"
#include "ingest/gatewayservice.h"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace gd::console {

struct EmbeddedGateway::Private
{
  //! The gateway with the sink, disk reserve and order pump, wired as griddispatch-gateway's.
  std::unique_ptr<ingest::GatewayService> service;
  QString host;

  // The rates of stored and duplicate frames: counters at the last sample, the rates then.
  std::chrono::steady_clock::time_point sampledAt = std::chrono::steady_clock::now();
  std::uint64_t storedAtSample = 0;
  std::uint64_t duplicatesAtSample = 0;
  double storedPerSecond = 0;
  double duplicatesPerSecond = 0;
};

EmbeddedGateway::EmbeddedGateway(const QString &storePath, const QString &host, std::uint16_t port)
  : EmbeddedGateway(storePath, [&] {
    EmbeddedGatewayOptions options;
    options.host = host;
    options.port = port;
    return options;
  }())
{
}

EmbeddedGateway::EmbeddedGateway(const QString &storePath, const EmbeddedGatewayOptions &options)
  : d(std::make_unique<Private>())
{
  d->host = options.host;
  feed::GatewayConfig config;
  config.host = options.host.toStdString();
  config.port = options.port;
  config.tlsCertFile = options.tlsCertFile.toStdString();
  config.tlsKeyFile = options.tlsKeyFile.toStdString();
  config.allowPlaintext = options.allowPlaintext;
  config.log = [](const std::string &line) { std::cerr << "griddispatch: field gateway: " << line << '\n'; };
  // Listening on loopback, every peer is this machine (the demo's simulator connects hundreds of
  // terminals at once from it): the per-address limit before hello would only stagger them.
  if (options.host == QLatin1String("127.0.0.1") || options.host == QLatin1String("localhost") || options.host == QLatin1String("::1"))
    config.maxUnauthenticatedPerAddress = 0;
  ingest::GatewayServiceOptions services;
  services.log = config.log;
  // The console runs the supervision rules itself (its supervision wall), and must not freeze
  // its window waiting for a full disk to empty: the store's error is said instead.
  services.rulesEvery = std::chrono::milliseconds(0);
  services.waitForSpace = false;
  d->service = std::make_unique<ingest::GatewayService>(storePath.toStdString(), config, services);
  d->service->start();
}

EmbeddedGateway::~EmbeddedGateway()
{
  // The gateway stops first, waiting for every answer the sink owes it; then the order pump
  // and the sink (GatewayService).
  d->service.reset();
}

std::uint16_t EmbeddedGateway::port() const
{
  return d->service->gateway().port();
}

QString EmbeddedGateway::host() const
{
  return d->host;
}

QString EmbeddedGateway::instance() const
{
  return QString::fromStdString(d->service->instance());
}

bool EmbeddedGateway::usesTls() const
{
  return d->service->gateway().usesTls();
}

FeedHealth EmbeddedGateway::health() const
{
  const feed::GatewayStats stats = d->service->gateway().stats();
  FeedHealth health;
  health.terminalsOnline = stats.terminalsOnline;
  health.framesPerSecond = stats.framesPerSecond;
  health.ackLagMs = stats.ackLagMs;
  health.framesAcked = stats.framesAcked;
  // Each counter is read atomically but not together with the other: never below zero.
  health.duplicates = std::min(stats.duplicates, stats.framesAcked);
  health.framesStored = stats.framesAcked - health.duplicates;
  health.rejects = stats.rejects;
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - d->sampledAt).count();
  if (seconds >= 0.9)
  {
    d->storedPerSecond = static_cast<double>(health.framesStored - std::min(health.framesStored, d->storedAtSample)) / seconds;
    d->duplicatesPerSecond = static_cast<double>(health.duplicates - std::min(health.duplicates, d->duplicatesAtSample)) / seconds;
    d->sampledAt = now;
    d->storedAtSample = health.framesStored;
    d->duplicatesAtSample = health.duplicates;
  }
  health.storedPerSecond = d->storedPerSecond;
  health.duplicatesPerSecond = d->duplicatesPerSecond;
  health.diskFull = d->service->diskFull();
  return health;
}

} // namespace gd::console
