#include "console/embeddedgateway.h"

#include "feed/gateway.h"
#include "ingest/orderpump.h"
#include "ingest/storesink.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/schema.h"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace gd::console {

struct EmbeddedGateway::Private
{
  std::unique_ptr<store::ConfigDirectory> config;
  std::unique_ptr<ingest::StoreSink> sink;
  std::unique_ptr<feed::Gateway> gateway;
  std::unique_ptr<ingest::OrderPump> pump; //!< orders written by the console reach connected terminals live
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
  const std::string path = storePath.toStdString();
  d->config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  store::Schema::open(path);
  d->sink = std::make_unique<ingest::StoreSink>(path, *d->config);
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
  config.catalog = &d->config->catalog;
  d->gateway = std::make_unique<feed::Gateway>(config, *d->sink);
  // Created before terminals are let in: it starts after the orders already written, which
  // reach a terminal when it connects.
  d->pump = std::make_unique<ingest::OrderPump>(path, *d->gateway);
  d->gateway->start();
  d->pump->start();
}

EmbeddedGateway::~EmbeddedGateway()
{
  // The pump stops first (it hands orders to the gateway); then the gateway, which waits for
  // every answer the sink owes it.
  d->pump.reset();
  d->gateway.reset();
  d->sink.reset();
}

std::uint16_t EmbeddedGateway::port() const
{
  return d->gateway->port();
}

QString EmbeddedGateway::host() const
{
  return d->host;
}

bool EmbeddedGateway::usesTls() const
{
  return d->gateway->usesTls();
}

FeedHealth EmbeddedGateway::health() const
{
  const feed::GatewayStats stats = d->gateway->stats();
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
  health.diskFull = d->sink->diskFull();
  return health;
}

} // namespace gd::console
