// griddispatch-sim: simulated field terminals for the demo, load tests and benchmarks.
#include "apps/common/commandline.h"
#include "apps/common/configpath.h"
#include "core/buildinfo.h"
#include "core/catalog.h"
#include "feed/gateway.h"
#include "feed/simterminal.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>

namespace {

struct Credentials
{
  std::string device;
  std::string token;
  std::optional<gd::core::GeoPoint> home; //!< where the terminal patrols (CGCS2000)
};

template<typename T>
bool parseNumber(const gd::apps::CommandLine &cli, const std::string &name, T &out, T min, std::string &error)
{
  const auto text = cli.value(name);
  if (!text)
    return true;
  T value{};
  const char *end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min)
  {
    error = "--" + name + ": expected a number of at least " + std::to_string(min) + ", got \"" + *text + "\"";
    return false;
  }
  out = value;
  return true;
}

//! "DEVICE TOKEN [HOME_LON HOME_LAT]" per line; '#' starts a comment. Throws naming file:line.
std::vector<Credentials> readCredentials(const std::string &path)
{
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path + ": cannot open the credentials file");
  std::vector<Credentials> list;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number)
  {
    if (const auto hash = line.find('#'); hash != std::string::npos)
      line.resize(hash);
    std::istringstream words(line);
    Credentials c;
    std::string extra;
    if (!(words >> c.device))
      continue;
    if (!(words >> c.token))
      throw std::runtime_error(path + ":" + std::to_string(number) + ": expected \"DEVICE TOKEN [HOME_LON HOME_LAT]\"");
    double lon = 0;
    double lat = 0;
    if (words >> lon)
    {
      if (!(words >> lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 || (words >> extra))
        throw std::runtime_error(path + ":" + std::to_string(number) +
                                 ": the home position must be a longitude and a latitude in degrees");
      c.home = gd::core::GeoPoint{lon, lat};
    }
    else if (!words.eof())
      throw std::runtime_error(path + ":" + std::to_string(number) + ": the home longitude is not a number");
    list.push_back(std::move(c));
  }
  return list;
}

std::vector<gd::feed::SimCategory> loadCategories(const std::string &path)
{
  std::ifstream in(path);
  if (!in)
    return {};
  std::stringstream text;
  text << in.rdbuf();
  const auto catalog = gd::core::CategoryCatalog::parse(text.str(), path);
  // Patrols mostly find street-level problems (民生, 风险隐患); disputes and public-order
  // matters reach the centre more often through the hotline and the police.
  std::vector<gd::feed::SimCategory> categories;
  for (const auto &c : catalog.categories())
  {
    double weight = 1;
    if (c.familyCode == "04")
      weight = 5;
    else if (c.familyCode == "03")
      weight = 3;
    else if (c.familyCode == "01")
      weight = 1.5;
    categories.push_back({c.code, c.nameZh, weight});
  }
  return categories;
}


//! "A,B,C" or "FIRST-LAST" (IPv4, last octets counted up) or a mix: "127.0.0.1-127.0.0.8,10.0.0.5".
std::vector<std::string> parseSourceAddresses(const std::string &text)
{
  std::vector<std::string> out;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ','))
  {
    const auto dash = item.find('-');
    if (dash == std::string::npos)
    {
      boost::system::error_code ec;
      boost::asio::ip::make_address(item, ec);
      if (ec)
        throw std::runtime_error("--source-addresses: \"" + item + "\" is not an IP address");
      out.push_back(item);
      continue;
    }
    boost::system::error_code ec1, ec2;
    const auto first = boost::asio::ip::make_address_v4(item.substr(0, dash), ec1);
    const auto last = boost::asio::ip::make_address_v4(item.substr(dash + 1), ec2);
    if (ec1 || ec2 || last.to_uint() < first.to_uint() || last.to_uint() - first.to_uint() > 65535)
      throw std::runtime_error("--source-addresses: \"" + item + "\" is not a range FIRST-LAST of IPv4 addresses");
    for (auto a = first.to_uint(); a <= last.to_uint(); ++a)
      out.push_back(boost::asio::ip::address_v4(a).to_string());
  }
  if (out.empty())
    throw std::runtime_error("--source-addresses: no address given");
  return out;
}

long long epochMilliseconds()
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

} // namespace

int main(int argc, char **argv)
{
  gd::apps::CommandLine cli("griddispatch-sim", "--connect HOST:PORT --devices N --rate R --duration S [--tls] [--credentials FILE]",
                            "Simulate field terminals that patrol their grids, report cases, answer orders and\n"
                            "reconnect; print acknowledged throughput and ack-latency percentiles.\n"
                            "Without --credentials the terminals are sim-0001, sim-0002, ... with the tokens\n"
                            "sim-token-0001, sim-token-0002, ...");
  cli.addOption("connect", "HOST:PORT", "the gateway to connect to (default 127.0.0.1:7401)");
  cli.addOption("devices", "N", "number of simulated terminals (default 10)");
  cli.addOption("rate", "R", "frames per second in total (default 10)");
  cli.addOption("duration", "S", "seconds to run (default 10; 0 runs until SIGINT)");
  cli.addFlag("tls", "connect with TLS");
  cli.addOption("ca", "FILE", "PEM certificate(s) the gateway's certificate must chain to (with --tls)");
  cli.addOption("tls-server-name", "NAME",
                "the host name the gateway's certificate must carry (with --tls --ca; default: the host of --connect)");
  cli.addOption("credentials", "FILE", "one \"DEVICE TOKEN [HOME_LON HOME_LAT]\" per line (griddispatch-ctl demo-district writes one); the first N are used");
  cli.addOption("catalog", "FILE", "category catalog to draw report categories from");
  cli.addOption("report-share", "X", "share of frames that are case reports, 0..1 (default 0.05)");
  cli.addOption("seed", "N", "random seed (default 1)");
  cli.addOption("device-offset", "K", "skip the first K credentials (several simulators share one credentials file)");
  cli.addOption("source-addresses", "LIST",
                "connect from these local addresses in turn, e.g. 127.0.0.1-127.0.0.4 (loopback has ~28k "
                "ephemeral ports per source address; see net.ipv4.ip_local_port_range)");
  cli.addOption("ping", "SECONDS", "heartbeat interval of each terminal (default 30)");
  cli.addOption("reconnect-base", "SECONDS", "first reconnect window after a drop, doubled per failed attempt, with full jitter (default 0.5)");
  cli.addOption("reconnect-max", "SECONDS", "largest reconnect window (default 10)");
  cli.addFlag("reconnect-report",
              "print a line when every terminal is online (first time: the connect-all time) and whenever all are "
              "online again after some dropped (the reconnect-and-resume time), with wall-clock milliseconds");
  cli.addFlag("ack-report",
              "print \"acks at=MS frames=N\" every 100 ms in which more frames were acknowledged: wall-clock "
              "milliseconds and the frames acknowledged so far (each counted once, however often its ack came), "
              "so that a benchmark can tell when acks stopped and flowed again");
  cli.addOption("seq-report", "FILE", "at the end write \"DEVICE LAST_SEQ ACKED_SEQ UNACKNOWLEDGED\" per terminal");
  if (const auto exitCode = cli.handleStandard(cli.parse(argc, argv)))
    return *exitCode;

  std::string error;
  int devices = 10;
  double rate = 10;
  double duration = 10;
  double reportShare = 0.05;
  unsigned seed = 1;
  int deviceOffset = 0;
  double pingSeconds = 30;
  double reconnectBase = 0.5;
  double reconnectMax = 10;
  if (!parseNumber(cli, "devices", devices, 1, error) || !parseNumber(cli, "rate", rate, 0.0, error)
      || !parseNumber(cli, "duration", duration, 0.0, error) || !parseNumber(cli, "report-share", reportShare, 0.0, error)
      || !parseNumber(cli, "seed", seed, 0u, error) || !parseNumber(cli, "device-offset", deviceOffset, 0, error)
      || !parseNumber(cli, "ping", pingSeconds, 0.0, error) || !parseNumber(cli, "reconnect-base", reconnectBase, 0.001, error)
      || !parseNumber(cli, "reconnect-max", reconnectMax, 0.001, error))
  {
    std::cerr << "griddispatch-sim: " << error << '\n';
    return 2;
  }
  const std::string connect = cli.value("connect", "127.0.0.1:7401");
  const auto colon = connect.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos || std::from_chars(connect.data() + colon + 1, connect.data() + connect.size(), port).ec != std::errc() || port == 0 || port > 65535)
  {
    std::cerr << "griddispatch-sim: --connect: expected HOST:PORT, got \"" << connect << "\"\n";
    return 2;
  }

  // One descriptor per terminal: take the whole hard limit, and say plainly when it is too low.
  const std::uint64_t fdLimit = gd::feed::raiseFileDescriptorLimit();
  if (fdLimit != 0 && static_cast<std::uint64_t>(devices) + 32 > fdLimit)
  {
    std::cerr << "griddispatch-sim: " << devices << " terminals need about " << devices + 32
              << " open files, but the limit (RLIMIT_NOFILE, raised to its hard limit) is " << fdLimit
              << ". Raise the hard limit (ulimit -Hn) or split the terminals over several simulators "
                 "(--devices N --device-offset K).\n";
    return 2;
  }

  try
  {
    std::vector<std::string> sources;
    if (const auto list = cli.value("source-addresses"))
      sources = parseSourceAddresses(*list);
    std::vector<Credentials> credentials;
    if (const auto file = cli.value("credentials"))
    {
      credentials = readCredentials(*file);
      if (credentials.size() < static_cast<std::size_t>(devices) + static_cast<std::size_t>(deviceOffset))
        throw std::runtime_error(*file + ": has " + std::to_string(credentials.size()) + " devices, --devices and --device-offset ask for " +
                                 std::to_string(devices + deviceOffset));
      credentials.erase(credentials.begin(), credentials.begin() + deviceOffset);
    }
    else
    {
      for (int i = 1 + deviceOffset; i <= devices + deviceOffset; ++i)
      {
        char id[32];
        std::snprintf(id, sizeof id, "%04d", i);
        credentials.push_back({std::string("sim-") + id, std::string("sim-token-") + id, std::nullopt});
      }
    }
    const auto categories = loadCategories(cli.value("catalog", gd::apps::defaultConfigFile("catalog.conf").string()));

    boost::asio::io_context io;
    boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
    if (const auto ca = cli.value("ca"))
    {
      tls.set_verify_mode(boost::asio::ssl::verify_peer);
      tls.load_verify_file(*ca);
    }
    else if (cli.has("tls"))
      std::cerr << "griddispatch-sim: warning: --tls without --ca does not verify the gateway's certificate\n";

    gd::feed::SimCounters counters;
    std::vector<std::shared_ptr<gd::feed::SimTerminal>> terminals;
    std::mt19937 placement(seed);
    std::uniform_real_distribution<double> offset(-0.02, 0.02);
    for (int i = 0; i < devices; ++i)
    {
      gd::feed::SimTerminalConfig config;
      config.host = connect.substr(0, colon);
      config.port = static_cast<std::uint16_t>(port);
      config.tls = cli.has("tls");
      config.tlsServerName = cli.value("tls-server-name", "");
      config.device = credentials[static_cast<std::size_t>(i)].device;
      config.token = credentials[static_cast<std::size_t>(i)].token;
      config.framesPerSecond = rate / devices;
      config.reportShare = reportShare;
      config.categories = categories;
      const auto &home = credentials[static_cast<std::size_t>(i)].home;
      config.home = home ? *home : gd::core::GeoPoint{98.5121 + offset(placement), 39.7432 + offset(placement)};
      config.seed = seed * 7919u + static_cast<unsigned>(i + deviceOffset);
      config.pingInterval = std::chrono::milliseconds(static_cast<long long>(pingSeconds * 1000));
      config.reconnectDelay = std::chrono::milliseconds(static_cast<long long>(reconnectBase * 1000));
      config.reconnectDelayMax = std::chrono::milliseconds(static_cast<long long>(reconnectMax * 1000));
      if (!sources.empty())
        config.sourceAddress = sources[static_cast<std::size_t>(i) % sources.size()];
      terminals.push_back(gd::feed::SimTerminal::create(io, tls, config, counters));
      terminals.back()->start();
    }

    const auto started = std::chrono::steady_clock::now();
    const long long startedEpoch = epochMilliseconds();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    boost::asio::steady_timer end(io);
    boost::asio::steady_timer drain(io);
    boost::asio::steady_timer monitor(io);
    bool draining = false;
    bool finished = false;

    // The reconnect report: every 20 ms, are all terminals welcomed? Lines carry wall-clock
    // milliseconds so a benchmark can relate them to the gateway's restart.
    bool allOnline = false;
    bool everAllOnline = false;
    long long outageFrom = 0;
    std::uint64_t connectsAtOutage = 0;
    long long firstWelcomeAfter = 0;
    std::uint64_t resentAtOutage = 0;
    std::function<void()> watch = [&] {
      monitor.expires_after(std::chrono::milliseconds(20));
      monitor.async_wait([&](const boost::system::error_code &ec) {
        // A tick already due when finish() cancelled the timer must not re-arm it.
        if (ec || finished)
          return;
        const long long now = epochMilliseconds();
        const bool all = counters.online == static_cast<std::uint64_t>(devices);
        if (!all && allOnline)
        {
          outageFrom = now;
          connectsAtOutage = counters.connects;
          resentAtOutage = counters.resent;
          firstWelcomeAfter = 0;
        }
        if (!all && everAllOnline && firstWelcomeAfter == 0 && counters.connects > connectsAtOutage)
          firstWelcomeAfter = now;
        if (all && !allOnline)
        {
          if (!everAllOnline)
            std::printf("all-online devices=%d at=%lld started=%lld seconds=%.3f attempts=%llu\n", devices, now, startedEpoch,
                        static_cast<double>(now - startedEpoch) / 1000, static_cast<unsigned long long>(counters.connectAttempts));
          else
            std::printf("resumed devices=%d at=%lld outage_from=%lld first_welcome=%lld resent=%llu attempts=%llu\n", devices, now,
                        outageFrom, firstWelcomeAfter, static_cast<unsigned long long>(counters.resent - resentAtOutage),
                        static_cast<unsigned long long>(counters.connectAttempts));
          std::fflush(stdout);
          everAllOnline = true;
        }
        allOnline = all;
        watch();
      });
    };
    if (cli.has("reconnect-report"))
      watch();

    // The ack report: the terminals' acknowledged seqs (every frame up to one is acknowledged),
    // summed; a line whenever the sum grew since the last tick.
    boost::asio::steady_timer ackTicker(io);
    std::int64_t ackedFramesReported = -1;
    std::function<void()> ackTick = [&] {
      ackTicker.expires_after(std::chrono::milliseconds(100));
      ackTicker.async_wait([&](const boost::system::error_code &ec) {
        if (ec || finished)
          return;
        std::int64_t frames = 0;
        for (const auto &t : terminals)
          frames += t->ackedSeq();
        if (frames != ackedFramesReported)
        {
          std::printf("acks at=%lld frames=%lld\n", epochMilliseconds(), static_cast<long long>(frames));
          std::fflush(stdout);
          ackedFramesReported = frames;
        }
        ackTick();
      });
    };
    if (cli.has("ack-report"))
      ackTick();

    auto finish = [&] {
      finished = true;
      for (auto &t : terminals)
        t->stop();
      signals.cancel();
      end.cancel();
      drain.cancel();
      monitor.cancel();
      ackTicker.cancel();
    };
    // Stop generating, then give outstanding frames a moment to be acknowledged.
    std::function<void(int)> waitForAcks = [&](int rounds) {
      std::size_t pending = 0;
      bool anyOnline = false;
      for (auto &t : terminals)
      {
        pending += t->unacknowledged();
        anyOnline = anyOnline || t->online();
      }
      if (pending == 0 || rounds == 0 || !anyOnline)
      {
        finish();
        return;
      }
      drain.expires_after(std::chrono::milliseconds(100));
      drain.async_wait([&, rounds](const boost::system::error_code &ec) {
        if (!ec)
          waitForAcks(rounds - 1);
      });
    };
    auto beginDrain = [&] {
      if (draining)
        return;
      draining = true;
      for (auto &t : terminals)
        t->stopGenerating();
      waitForAcks(50);
    };
    signals.async_wait([&](const boost::system::error_code &ec, int) {
      if (!ec)
        beginDrain();
    });
    if (duration > 0)
    {
      end.expires_after(std::chrono::milliseconds(static_cast<long long>(duration * 1000)));
      end.async_wait([&](const boost::system::error_code &ec) {
        if (!ec)
          beginDrain();
      });
    }
    io.run();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::printf("devices %d, %.1f s, generated %llu, sent %llu (resends included)\n", devices, seconds,
                static_cast<unsigned long long>(counters.generated), static_cast<unsigned long long>(counters.sent));
    std::printf("acknowledged %llu (%.1f frames/s), duplicates %llu, rejected %llu, errors %llu, welcomes %llu\n",
                static_cast<unsigned long long>(counters.acked), static_cast<double>(counters.acked) / seconds,
                static_cast<unsigned long long>(counters.duplicates), static_cast<unsigned long long>(counters.rejected),
                static_cast<unsigned long long>(counters.errors), static_cast<unsigned long long>(counters.connects));
    std::printf("orders received %llu, updates sent %llu\n", static_cast<unsigned long long>(counters.ordersReceived),
                static_cast<unsigned long long>(counters.updatesSent));
    std::printf("ack latency ms: p50 %.2f, p99 %.2f, p99.9 %.2f, max %.2f\n", counters.latencyPercentile(0.5),
                counters.latencyPercentile(0.99), counters.latencyPercentile(0.999), counters.latencyPercentile(1.0));
    std::uint64_t unacknowledged = 0;
    for (const auto &t : terminals)
      unacknowledged += t->unacknowledged();
    std::printf("connect attempts %llu, frames resent after a welcome %llu, unacknowledged at exit %llu\n",
                static_cast<unsigned long long>(counters.connectAttempts), static_cast<unsigned long long>(counters.resent),
                static_cast<unsigned long long>(unacknowledged));
    // Terminals whose devices an earlier simulator had used: their counters went on above
    // the store's last_seq instead of starting at 1 (which the gateway would answer dup).
    std::printf("counters resumed above the store's last_seq %llu\n", static_cast<unsigned long long>(counters.seqResumes));
    if (const auto file = cli.value("seq-report"))
    {
      std::ofstream out(*file);
      for (const auto &t : terminals)
        out << t->config().device << ' ' << t->lastSeq() << ' ' << t->ackedSeq() << ' ' << t->unacknowledged() << '\n';
      if (!out)
        throw std::runtime_error(*file + ": cannot write the seq report");
    }
    if (counters.connects == 0)
    {
      std::cerr << "griddispatch-sim: no terminal got a welcome from " << connect << '\n';
      return 1;
    }
    return 0;
  }
  catch (const std::exception &e)
  {
    std::cerr << "griddispatch-sim: " << e.what() << '\n';
    return 1;
  }
}
