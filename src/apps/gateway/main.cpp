// griddispatch-gateway: the field feed gateway without a screen.
#include "apps/common/commandline.h"
#include "apps/common/configpath.h"
#include "core/buildinfo.h"
#include "core/catalog.h"
#include "core/periodicthread.h"
#include "store/audit/configaudit.h"
#include "store/backup/storebackup.h"
#include "store/database.h"
#include "store/config/configdir.h"
#include "store/schema.h"
#include "store/storelocation.h"
#include "core/configerror.h"
#include "feed/gateway.h"
#include "ingest/gatewayservice.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <iostream>
#include <sstream>

namespace {

//! Splits "HOST:PORT" ("[::1]:7401" for IPv6); false with \a error set when malformed.
bool parseListen(const std::string &text, std::string &host, std::uint16_t &port, std::string &error)
{
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
  {
    error = "--listen: expected HOST:PORT, got \"" + text + "\"";
    return false;
  }
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned value = 0;
  const char *begin = text.data() + colon + 1;
  const char *end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value > 65535)
  {
    error = "--listen: port must be a number from 0 to 65535, got \"" + std::string(begin, end) + "\"";
    return false;
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

// Descriptors kept for everything that is not a terminal: the store's connections (database,
// WAL and shared-memory files each), the config files, the event loops, stdio.
constexpr std::uint64_t kReservedDescriptors = 64;

bool parseSeconds(const gd::apps::CommandLine &cli, const std::string &name, std::chrono::milliseconds &out, std::string &error)
{
  const auto text = cli.value(name);
  if (!text)
    return true;
  try
  {
    std::size_t used = 0;
    const double seconds = std::stod(*text, &used);
    if (used != text->size() || seconds <= 0)
      throw std::invalid_argument(*text);
    out = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    return true;
  }
  catch (const std::exception &)
  {
    error = "--" + name + ": expected a positive number of seconds, got \"" + *text + "\"";
    return false;
  }
}


} // namespace

int main(int argc, char **argv)
{
  gd::apps::CommandLine cli("griddispatch-gateway", "--db STORE --listen HOST:PORT [--tls-cert F --tls-key F]",
                            "Accept field terminals (grid workers' handsets, hotline and alarm bridges) over the\n"
                            "field protocol and commit what they send to the store before acknowledging it.\n"
                            "Orders written to the store (assignments, urges, emergency alerts) reach connected\n"
                            "terminals within a fraction of a second; the supervision rules run every minute.\n"
                            "Stops cleanly on SIGTERM or SIGINT.");
  cli.addOption("db", "STORE", "the store: a GeoPackage file, or the center's PostgreSQL database "
                              "(postgresql://host1,host2/db?target_session_attrs=read-write, or libpq keywords)");
  cli.addOption("listen", "HOST:PORT", "address to listen on (default 127.0.0.1:7401)");
  cli.addOption("tls-cert", "FILE", "PEM certificate; with --tls-key, only TLS is accepted");
  cli.addOption("tls-key", "FILE", "PEM private key");
  cli.addFlag("allow-plaintext",
              "listen in plain TCP on an address other than loopback (refused without it: tokens and reports "
              "would cross the network unencrypted)");
  cli.addOption("catalog", "FILE", "category catalog for validating reports (default: the installed catalog.conf)");
  cli.addOption("hello-timeout", "SECONDS", "time a new connection has to send hello (default 10)");
  cli.addOption("idle-timeout", "SECONDS", "close a connection silent this long (default 120)");
  cli.addOption("stats-every", "SECONDS", "print the gateway's counters to stderr this often");
  cli.addOption("max-connections", "N",
                "answer server_busy to connections beyond N (default: what the open-file limit allows, "
                "which the gateway raises to its hard limit)");
  cli.addOption("max-unauthenticated", "N",
                "connections that have not yet authenticated, at most (default: a quarter of --max-connections)");
  cli.addOption("max-unauthenticated-per-address", "N",
                "... and from one source address (default 64; raise it for many terminals behind one NAT)");
  cli.addOption("disk-reserve", "MIB",
                "space kept free beside the store (FILE-reserve) so a full disk never jams it (default 32)");
  cli.addOption("rules-every", "SECONDS",
                "run the supervision rules (supervision.conf) this often (default 60; 0: not in this process)");
  cli.addOption("audit-key", "FILE",
                "the audit administrator's key (griddispatch-ctl audit keygen): seal the audit log on a schedule");
  cli.addOption("audit-seal-every", "SECONDS", "with --audit-key: seal this often when rows came (default 3600)");
  cli.addOption("backup-dir", "DIR", "back the store up into DIR on a schedule while ingest goes on "
                                     "(as 'griddispatch-ctl backup'; restore with 'griddispatch-ctl restore')");
  cli.addOption("backup-every", "HOURS", "with --backup-dir: this often, the first one at start (default 24)");
  cli.addOption("backup-keep", "N", "with --backup-dir: keep the newest N backups of the store (default 7)");
  if (const auto exitCode = cli.handleStandard(cli.parse(argc, argv)))
    return *exitCode;

  gd::feed::GatewayConfig config;
  config.host = "127.0.0.1";
  config.port = 7401;
  std::string error;
  if (const auto listen = cli.value("listen"); listen && !parseListen(*listen, config.host, config.port, error))
  {
    std::cerr << "griddispatch-gateway: " << error << '\n';
    return 2;
  }
  config.tlsCertFile = cli.value("tls-cert", "");
  config.tlsKeyFile = cli.value("tls-key", "");
  config.allowPlaintext = cli.has("allow-plaintext");
  if (config.tlsCertFile.empty() != config.tlsKeyFile.empty())
  {
    std::cerr << "griddispatch-gateway: --tls-cert and --tls-key go together\n";
    return 2;
  }
  std::chrono::milliseconds statsEvery{0};
  if (!parseSeconds(cli, "hello-timeout", config.helloTimeout, error) || !parseSeconds(cli, "idle-timeout", config.idleTimeout, error)
      || !parseSeconds(cli, "stats-every", statsEvery, error))
  {
    std::cerr << "griddispatch-gateway: " << error << '\n';
    return 2;
  }
  // A large store's integrity check (seconds at 1 M cases, half a minute from a cold disk) runs
  // in the background: the gateway listens at once and commits, so acks, once it passed.
  gd::store::Schema::setBackgroundCheck(gd::store::Schema::kBackgroundCheckOverBytes);
  gd::ingest::GatewayServiceOptions services;
  services.log = [](const std::string &line) { std::cerr << "griddispatch-gateway: " << line << '\n'; };
  if (const auto every = cli.value("rules-every"); every && *every == "0")
    services.rulesEvery = std::chrono::milliseconds(0);
  else if (!parseSeconds(cli, "rules-every", services.rulesEvery, error))
  {
    std::cerr << "griddispatch-gateway: " << error << '\n';
    return 2;
  }
  services.auditKeyFile = cli.value("audit-key", "");
  {
    std::chrono::milliseconds sealEvery{std::chrono::hours(1)};
    if (!parseSeconds(cli, "audit-seal-every", sealEvery, error))
    {
      std::cerr << "griddispatch-gateway: " << error << '\n';
      return 2;
    }
    services.auditSealEvery = std::chrono::duration_cast<std::chrono::seconds>(sealEvery);
  }
  config.log = [](const std::string &line) { std::cerr << "griddispatch-gateway: " << line << '\n'; };
  for (const auto &[name, target] : {std::pair<const char *, std::size_t *>{"max-unauthenticated", &config.maxUnauthenticated},
                                     {"max-unauthenticated-per-address", &config.maxUnauthenticatedPerAddress}})
  {
    if (const auto text = cli.value(name))
    {
      std::uint64_t value = 0;
      const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (ec != std::errc() || ptr != text->data() + text->size() || value == 0)
      {
        std::cerr << "griddispatch-gateway: --" << name << ": expected a positive number, got \"" << *text << "\"\n";
        return 2;
      }
      *target = static_cast<std::size_t>(value);
    }
  }
  if (const auto text = cli.value("disk-reserve"))
  {
    std::uint64_t mib = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), mib);
    if (ec != std::errc() || ptr != text->data() + text->size() || mib == 0 || mib > 65536)
    {
      std::cerr << "griddispatch-gateway: --disk-reserve: expected a number of MiB from 1 to 65536, got \"" << *text << "\"\n";
      return 2;
    }
    services.diskReserveBytes = mib << 20;
  }
  // One descriptor per terminal: take the whole hard limit, and keep some for the store.
  const std::uint64_t fdLimit = gd::feed::raiseFileDescriptorLimit();
  const std::uint64_t fdBudget = fdLimit > kReservedDescriptors ? fdLimit - kReservedDescriptors : 0;
  config.maxConnections = static_cast<std::size_t>(std::min<std::uint64_t>(fdBudget, SIZE_MAX));
  if (const auto text = cli.value("max-connections"))
  {
    std::uint64_t wanted = 0;
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), wanted);
    if (ec != std::errc() || ptr != text->data() + text->size() || wanted == 0)
    {
      std::cerr << "griddispatch-gateway: --max-connections: expected a positive number, got \"" << *text << "\"\n";
      return 2;
    }
    if (wanted > fdBudget)
    {
      std::cerr << "griddispatch-gateway: --max-connections " << wanted << " needs about " << wanted + kReservedDescriptors
                << " open files, but the limit (RLIMIT_NOFILE, raised to its hard limit) is " << fdLimit
                << ". Raise the hard limit (ulimit -Hn, LimitNOFILE= in the systemd unit, or limits.conf) "
                   "or ask for at most "
                << fdBudget << " connections.\n";
      return 2;
    }
    config.maxConnections = static_cast<std::size_t>(wanted);
  }
  if (fdBudget < 1000)
    std::cerr << "griddispatch-gateway: warning: the open-file limit (RLIMIT_NOFILE) is " << fdLimit << ", room for only "
              << fdBudget << " terminals; raise the hard limit for a large deployment\n";

  const auto db = cli.value("db");
  if (!db)
  {
    std::cerr << "griddispatch-gateway: --db STORE is required (a FILE.gpkg or a postgresql://… database)\nTry 'griddispatch-gateway --help'.\n";
    return 2;
  }
  gd::store::StoreLocation store;
  try
  {
    store = gd::store::StoreLocation::parse(*db);
  }
  catch (const std::exception &e)
  {
    std::cerr << "griddispatch-gateway: --db: " << e.what() << '\n';
    return 2;
  }
  // Scheduled backups (issue 17): --backup-every in hours (a fraction too), --backup-keep backups kept.
  const std::string backupDir = cli.value("backup-dir", "");
  std::chrono::milliseconds backupEvery{std::chrono::hours(24)};
  int backupKeep = 7;
  try
  {
    if (const auto every = cli.value("backup-every"))
    {
      std::size_t used = 0;
      const double hours = std::stod(*every, &used);
      if (used != every->size() || !(hours > 0))
        throw std::invalid_argument("not a positive number of hours");
      backupEvery = std::chrono::milliseconds(static_cast<long long>(hours * 3600'000.0));
    }
    if (const auto keep = cli.value("backup-keep"))
    {
      std::size_t used = 0;
      backupKeep = std::stoi(*keep, &used);
      if (used != keep->size() || backupKeep < 1)
        throw std::invalid_argument("not a whole number of backups (1 or more)");
    }
  }
  catch (const std::exception &e)
  {
    std::cerr << "griddispatch-gateway: --backup-every / --backup-keep: " << e.what() << '\n';
    return 2;
  }

  std::optional<gd::core::CategoryCatalog> catalog;
  const std::string catalogPath = cli.value("catalog", gd::apps::defaultConfigFile("catalog.conf").string());
  try
  {
    std::ifstream in(catalogPath);
    if (!in)
      throw std::runtime_error(catalogPath + ": cannot open the category catalog");
    std::stringstream text;
    text << in.rdbuf();
    catalog.emplace(gd::core::CategoryCatalog::parse(text.str(), catalogPath));
    config.catalog = &*catalog;
    // One catalog: the store's configuration decides what a case may be; a --catalog that
    // differs would ack reports the store then refuses (and the terminal drops for good).
    const auto storeConfig = gd::store::ConfigDirectory::load(gd::store::ConfigDirectory::defaultPath());
    const auto differences = gd::core::catalogDifferences(*catalog, storeConfig->catalog);
    if (!differences.empty())
    {
      std::cerr << "griddispatch-gateway: " << catalogPath << " is not the catalog of the store's configuration ("
                << (gd::store::ConfigDirectory::defaultPath() / "catalog.conf").string() << "):\n";
      for (const std::string &d : differences)
        std::cerr << "  " << d << '\n';
      return 1;
    }
  }
  catch (const std::exception &e)
  {
    std::cerr << "griddispatch-gateway: " << e.what() << '\n';
    return 1;
  }

  try
  {
    // The gateway with its store sink, order pump and rules, wired as the console wires its own.
    gd::ingest::GatewayService service(store, config, services);
    gd::feed::Gateway &gateway = service.gateway();
    service.start(); // the gateway, and its heartbeat in the store (every console lists the center's gateways)
    // A configuration file changed, added or removed since the last start: a config_change row.
    try
    {
      gd::store::Database auditDb(store);
      for (const auto &c : gd::store::audit::recordConfigChanges(auditDb, gd::store::ConfigDirectory::defaultPath(),
                                                                  gd::store::audit::osActor()))
        std::cerr << "griddispatch-gateway: configuration " << c.file << " changed since the last start (SM3 "
                  << c.oldDigest.substr(0, 12) << " -> " << c.newDigest.substr(0, 12) << "), recorded in the audit log\n";
    }
    catch (const std::exception &e)
    {
      std::cerr << "griddispatch-gateway: WARNING: configuration changes could not be audited: " << e.what() << '\n';
    }
    // Backups on their own thread and connection: the online backup does not stop ingest.
    std::unique_ptr<gd::core::PeriodicThread> backups;
    std::unique_ptr<gd::store::Database> backupDb;
    if (!backupDir.empty())
    {
      backups = std::make_unique<gd::core::PeriodicThread>(
        "backup", backupEvery,
        [&] {
          if (!backupDb)
            backupDb = std::make_unique<gd::store::Database>(store);
          try
          {
            const auto r = gd::store::backup::backupStore(*backupDb, backupDir, gd::store::audit::osActor(), backupKeep);
            std::cerr << "griddispatch-gateway: backup " << r.file.string() << " (" << r.content.bytes << " bytes, "
                      << static_cast<long long>(r.content.seconds * 1000) << " ms, SM3 " << r.content.sm3.substr(0, 12)
                      << "…)" << (r.removed.empty() ? "" : ", " + std::to_string(r.removed.size()) + " older removed")
                      << '\n';
          }
          catch (...)
          {
            backupDb.reset(); // a lost connection is made again next time
            throw;
          }
        },
        [](const std::string &what) { std::cerr << "griddispatch-gateway: backup failed (tried again next time): " << what << '\n'; });
      backups->start(true);
    }
    if (gateway.plaintextOnNetwork())
      std::cerr << "griddispatch-gateway: WARNING: listening in plain TCP on " << config.host
                << " (--allow-plaintext): device tokens and reports cross the network unencrypted\n";
    std::cerr << "griddispatch-gateway " << gd::core::kVersion << ": listening on " << config.host << ':' << gateway.port()
              << (gateway.usesTls() ? " (TLS)" : "") << ", store " << store.display() << "; new orders delivered live"
              << (services.rulesEvery.count() > 0
                    ? ", supervision rules every " +
                        (services.rulesEvery.count() % 1000 == 0 ? std::to_string(services.rulesEvery.count() / 1000) + " s"
                                                                 : std::to_string(services.rulesEvery.count()) + " ms")
                    : std::string(", supervision rules off"))
              << "; at most " << config.maxConnections << " connections (open-file limit " << fdLimit << ")\n";

    boost::asio::io_context io;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    boost::asio::steady_timer statsTimer(io);
    std::function<void()> printStats = [&] {
      statsTimer.expires_after(statsEvery);
      statsTimer.async_wait([&](const boost::system::error_code &ec) {
        if (ec)
          return;
        const auto s = gateway.stats();
        std::cerr << "online " << s.terminalsOnline << ", connections " << s.connectionsOpen << " (" << s.unauthenticated
                  << " not yet authenticated), failed hellos " << s.authFailures << ", refused "
                  << s.connectionsRefused << ", frames/s " << s.framesPerSecond << ", acked " << s.framesAcked
                  << ", rejects " << s.rejects << ", errors " << s.errors << ", ack lag " << s.ackLagMs << " ms (max "
                  << s.ackLagMaxMs << ")"
                  << (!service.diskFull()      ? ""
                      : store.isPostgres() ? ", STORE DOWN: nothing acknowledged until the database answers again"
                                           : ", DISK FULL: nothing acknowledged until space is freed")
                  << "\n";
        printStats();
      });
    };
    if (statsEvery.count() > 0)
      printStats();
    signals.async_wait([&](const boost::system::error_code &, int signal) {
      std::cerr << "griddispatch-gateway: " << (signal == SIGTERM ? "SIGTERM" : "SIGINT") << ", stopping\n";
      statsTimer.cancel();
    });
    io.run();
    if (backups)
      backups->stop();
    service.stop();
    std::cerr << "griddispatch-gateway: " << service.commitSummary() << '\n';
    const auto s = gateway.stats();
    std::cerr << "griddispatch-gateway: stopped after " << s.connectionsTotal << " connections, " << s.framesAcked << " frames acknowledged\n";
    return 0;
  }
  catch (const std::exception &e)
  {
    std::cerr << "griddispatch-gateway: " << e.what() << '\n';
    return 1;
  }
}
