// Feed throughput: simulated terminals -> gateway -> in-memory sink over loopback, against
// the codec alone (decode + validate of the same frames on one core) measured in the same run.
//
//   feed_bench [--devices N] [--rate R] [--duration S] [--tls]
//   feed_bench --serve S [--devices N]   (gateway with the in-memory sink for griddispatch-sim)
#include "feed/fieldframe.h"
#include "feed/gateway.h"
#include "feed/simterminal.h"
#include "memorysink.h"
#include "selfsignedcert.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

double codecFramesPerSecond(double seconds)
{
  std::vector<std::string> frames;
  for (int i = 1; i <= 1000; ++i)
  {
    gd::feed::PositionFrame p;
    p.seq = i;
    p.position = {98.5 + i * 1e-5, 39.7};
    p.accuracyM = 8;
    p.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::string text = i % 20 == 0 ? gd::feed::encodeFrame(gd::feed::ReportFrame{i, "0401", {98.5, 39.7}, gd::core::Crs::Wgs84, {}, "井盖缺失", "巡查发现井盖缺失", {}, {}, {}, {}, {}, {}, {}})
                                   : gd::feed::encodeFrame(p);
    text.pop_back();
    frames.push_back(std::move(text));
  }
  const gd::feed::FieldFrameContext context;
  std::size_t decoded = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds)
  {
    for (const std::string &f : frames)
      decoded += gd::feed::decodeInboundFrame(f, context).frame.has_value() ? 1 : 0;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return static_cast<double>(decoded) / elapsed;
}

std::string deviceId(int i)
{
  char id[32];
  std::snprintf(id, sizeof id, "sim-%04d", i);
  return id;
}

std::string tokenFor(int i)
{
  char id[32];
  std::snprintf(id, sizeof id, "sim-token-%04d", i);
  return id;
}

} // namespace

int main(int argc, char **argv)
{
  int devices = 50;
  double rate = 0; // 0: each terminal sends as fast as acks come back (bounded outbox)
  double duration = 5;
  double serve = 0;
  bool tls = false;
  for (int i = 1; i < argc; ++i)
  {
    const std::string arg = argv[i];
    auto next = [&]() -> double {
      if (i + 1 >= argc)
      {
        std::fprintf(stderr, "feed_bench: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return std::atof(argv[++i]);
    };
    if (arg == "--devices")
      devices = static_cast<int>(next());
    else if (arg == "--rate")
      rate = next();
    else if (arg == "--duration")
      duration = next();
    else if (arg == "--serve")
      serve = next();
    else if (arg == "--tls")
      tls = true;
    else
    {
      std::fprintf(stderr, "usage: feed_bench [--devices N] [--rate R] [--duration S] [--tls] | --serve S [--devices N]\n");
      return 2;
    }
  }

  gd::feed::test::MemorySink sink;
  for (int i = 1; i <= devices; ++i)
    sink.addDevice(deviceId(i), tokenFor(i));
  gd::feed::GatewayConfig config;
  config.host = "127.0.0.1";
  // Every simulated terminal connects from loopback at once: the per-address limit before hello
  // (a defence against one client, issue 14) would only stagger them.
  config.maxUnauthenticated = 1000000;
  config.maxUnauthenticatedPerAddress = 0;
  const std::string dir = (std::filesystem::temp_directory_path() / ("gd-feed-bench-" + std::to_string(::getpid()))).string();
  gd::feed::test::CertificateFiles files;
  if (tls)
  {
    files = gd::feed::test::writeSelfSignedCertificate(dir, "bench");
    config.tlsCertFile = files.certFile;
    config.tlsKeyFile = files.keyFile;
  }
  gd::feed::Gateway gateway(config, sink);
  gateway.start();

  if (serve > 0)
  {
    config.port = gateway.port();
    std::printf("serving on 127.0.0.1:%u for %.0f s (devices sim-0001..sim-%04d)\n", gateway.port(), serve, devices);
    std::fflush(stdout);
    std::this_thread::sleep_for(std::chrono::duration<double>(serve));
    gateway.stop();
    const auto s = gateway.stats();
    std::printf("acked %llu, rejects %llu, errors %llu\n", static_cast<unsigned long long>(s.framesAcked),
                static_cast<unsigned long long>(s.rejects), static_cast<unsigned long long>(s.errors));
    return 0;
  }

  const double codecRate = codecFramesPerSecond(1.0);

  asio::io_context io;
  asio::ssl::context clientTls(asio::ssl::context::tls_client);
  if (tls)
  {
    clientTls.set_verify_mode(asio::ssl::verify_peer);
    clientTls.load_verify_file(files.certFile);
  }
  gd::feed::SimCounters counters;
  std::vector<std::shared_ptr<gd::feed::SimTerminal>> terminals;
  for (int i = 1; i <= devices; ++i)
  {
    gd::feed::SimTerminalConfig t;
    t.port = gateway.port();
    t.tls = tls;
    t.device = deviceId(i);
    t.token = tokenFor(i);
    // Unlimited: a high rate with a small outbox keeps ~maxOutbox frames in flight per terminal.
    t.framesPerSecond = rate > 0 ? rate / devices : 1e6;
    t.maxOutbox = rate > 0 ? 100000 : 64;
    t.reportShare = 0.05;
    t.seed = static_cast<std::uint32_t>(i);
    terminals.push_back(gd::feed::SimTerminal::create(io, clientTls, t, counters));
  }
  for (auto &t : terminals)
    t->start();
  asio::steady_timer end(io, std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration)));
  std::uint64_t ackedAtStart = 0;
  Clock::time_point measuredFrom;
  // Measure after a short warm-up in which every terminal connects.
  asio::steady_timer warm(io, std::chrono::milliseconds(500));
  warm.async_wait([&](const boost::system::error_code &) {
    ackedAtStart = counters.acked;
    counters.ackLatencyMs.clear();
    measuredFrom = Clock::now();
  });
  end.async_wait([&](const boost::system::error_code &) {
    for (auto &t : terminals)
      t->stop();
  });
  io.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - measuredFrom).count();
  const double acked = static_cast<double>(counters.acked - ackedAtStart) / seconds;
  gateway.stop();
  std::filesystem::remove_all(dir);

  std::printf("feed_bench: %d terminals, %s, %s, %.1f s measured\n", devices, tls ? "TLS" : "plain TCP",
              rate > 0 ? (std::to_string(static_cast<long long>(rate)) + " frames/s offered").c_str() : "as fast as acks return (64 in flight each)", seconds);
  std::printf("  codec alone (decode+validate, 1 core): %.0f frames/s\n", codecRate);
  std::printf("  end to end, acknowledged:              %.0f frames/s  (ratio to codec %.3f)\n", acked, acked / codecRate);
  std::printf("  ack latency ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", counters.latencyPercentile(0.5),
              counters.latencyPercentile(0.99), counters.latencyPercentile(0.999), counters.latencyPercentile(1.0));
  std::printf("  sink batches %zu (%.1f frames per batch), rejects %llu, errors %llu\n", sink.submittedBatches(),
              static_cast<double>(counters.acked) / static_cast<double>(std::max<std::size_t>(1, sink.submittedBatches())),
              static_cast<unsigned long long>(counters.rejected), static_cast<unsigned long long>(counters.errors));
  return 0;
}
