// feed_scale_tool: helpers of bench/feed/scale_bench.sh (issue 5: 20,000 terminals held,
// all of them resumed after a gateway restart).
//
//   feed_scale_tool provision --db F --count N --credentials F.cred
//       adds N terminals SC-00001 … to a store made by `griddispatch-ctl demo-district`
//       (several per grid worker: the demo district has ~2,100 workers) and writes their
//       credentials as griddispatch-sim reads them.
//   feed_scale_tool auth-bench --db F --credentials F.cred
//       times the hello check itself (store::DeviceRegistry::authenticate: one indexed row and
//       a salted SHA-256) on a read connection, to show whether it can bound a reconnect storm.
//   feed_scale_tool hold-server --listen HOST:PORT
//       the baseline: a bare Asio server that accepts connections and holds each with one
//       pending read and nothing else, so its RSS per connection is the floor a session
//       can be compared with.
//   feed_scale_tool hold-clients --connect HOST:PORT --count N [--source-addresses A-B]
//       opens N plain TCP connections to it and holds them until SIGINT/SIGTERM.
#include "apps/common/commandline.h"
#include "core/gridtree.h"
#include "feed/gateway.h"
#include "store/database.h"
#include "store/grids/demostore.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/gridstore.h"
#include "store/timetext.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <list>
#include <memory>
#include <sstream>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

namespace asio = boost::asio;

namespace {

bool splitHostPort(const std::string &text, std::string &host, std::uint16_t &port)
{
  const auto colon = text.rfind(':');
  unsigned value = 0;
  if (colon == std::string::npos || std::from_chars(text.data() + colon + 1, text.data() + text.size(), value).ec != std::errc() || value > 65535)
    return false;
  host = text.substr(0, colon);
  port = static_cast<std::uint16_t>(value);
  return true;
}

int provision(const gd::apps::CommandLine &cli)
{
  const auto db = cli.value("db");
  const auto credentials = cli.value("credentials");
  const int count = std::stoi(cli.value("count", "20000"));
  if (!db || !credentials || count <= 0)
  {
    std::cerr << "feed_scale_tool provision: --db FILE --count N --credentials FILE\n";
    return 2;
  }
  gd::store::Database database(*db, gd::store::Database::Mode::ReadWrite);
  const gd::core::GridTree grids = gd::store::GridStore(database).load();
  std::vector<std::pair<std::string, gd::core::GeoPoint>> workers;
  for (const gd::core::GridNode *grid : grids.nodesAt(gd::core::GridLevel::Grid))
  {
    gd::core::GeoPoint home{0, 0};
    const gd::core::Ring &ring = grid->area.front().outer;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    {
      home.lon += ring[i].lon / static_cast<double>(ring.size() - 1);
      home.lat += ring[i].lat / static_cast<double>(ring.size() - 1);
    }
    for (const gd::core::GridPerson &worker : grid->workers)
      workers.emplace_back(worker.id, home);
  }
  if (workers.empty())
  {
    std::cerr << "feed_scale_tool provision: " << *db << " has no grid workers (make it with griddispatch-ctl demo-district)\n";
    return 1;
  }
  std::vector<gd::store::DemoTerminal> terminals;
  gd::store::Transaction transaction(database);
  gd::store::DeviceRegistry devices(database);
  const auto now = gd::store::nowUtc();
  for (int i = 0; i < count; ++i)
  {
    const auto &[worker, home] = workers[static_cast<std::size_t>(i) % workers.size()];
    char id[16];
    std::snprintf(id, sizeof id, "SC-%05d", i + 1);
    terminals.push_back({id, devices.add(id, worker, now), home});
  }
  transaction.commit();
  gd::store::writeSimCredentials(*credentials, terminals);
  std::printf("provisioned %d terminals over %zu grid workers\n", count, workers.size());
  return 0;
}

int authBench(const gd::apps::CommandLine &cli)
{
  const auto db = cli.value("db");
  const auto file = cli.value("credentials");
  if (!db || !file)
  {
    std::cerr << "feed_scale_tool auth-bench: --db FILE --credentials FILE\n";
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> credentials;
  std::ifstream in(*file);
  for (std::string line; std::getline(in, line);)
  {
    std::istringstream words(line);
    std::string device, token;
    if (line.empty() || line.front() == '#' || !(words >> device >> token))
      continue;
    credentials.emplace_back(device, token);
  }
  gd::store::Database database(*db, gd::store::Database::Mode::ReadOnly);
  gd::store::DeviceRegistry devices(database);
  std::size_t accepted = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const auto &[device, token] : credentials)
    accepted += devices.authenticate(device, token).has_value() ? 1 : 0;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("authenticated %zu of %zu terminals in %.3f s: %.1f us each, %.0f hellos/s on one connection\n", accepted,
              credentials.size(), seconds, seconds * 1e6 / static_cast<double>(credentials.size()),
              static_cast<double>(credentials.size()) / seconds);
  return accepted == credentials.size() ? 0 : 1;
}

int holdServer(const gd::apps::CommandLine &cli)
{
  std::string host;
  std::uint16_t port = 0;
  if (!splitHostPort(cli.value("listen", "127.0.0.1:7499"), host, port))
  {
    std::cerr << "feed_scale_tool hold-server: --listen HOST:PORT\n";
    return 2;
  }
  gd::feed::raiseFileDescriptorLimit();
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, asio::ip::tcp::endpoint(asio::ip::make_address(host), port));
  acceptor.listen(asio::socket_base::max_listen_connections);
  // The floor: the socket object, its reactor state and one pending wait per connection.
  std::list<asio::ip::tcp::socket> sockets;
  std::size_t held = 0;
  std::function<void(std::list<asio::ip::tcp::socket>::iterator)> hold = [&](auto it) {
    it->async_wait(asio::socket_base::wait_read, [&, it](const boost::system::error_code &ec) {
      if (ec)
        return;
      char byte[256];
      boost::system::error_code readError;
      it->non_blocking(true);
      it->read_some(asio::buffer(byte), readError);
      if (readError && readError != asio::error::would_block)
      {
        --held;
        sockets.erase(it);
        return;
      }
      hold(it);
    });
  };
  std::function<void()> accept = [&] {
    acceptor.async_accept([&](const boost::system::error_code &ec, asio::ip::tcp::socket socket) {
      if (ec == asio::error::operation_aborted)
        return;
      if (!ec)
      {
        sockets.push_back(std::move(socket));
        ++held;
        hold(std::prev(sockets.end()));
      }
      accept();
    });
  };
  accept();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code &, int) {
    std::printf("hold-server: %zu connections held\n", held);
    io.stop();
  });
  std::printf("hold-server: listening on %s:%u\n", host.c_str(), static_cast<unsigned>(port));
  std::fflush(stdout);
  io.run();
  return 0;
}

int holdClients(const gd::apps::CommandLine &cli)
{
  std::string host;
  std::uint16_t port = 0;
  const int count = std::stoi(cli.value("count", "1000"));
  if (!splitHostPort(cli.value("connect", "127.0.0.1:7499"), host, port) || count <= 0)
  {
    std::cerr << "feed_scale_tool hold-clients: --connect HOST:PORT --count N\n";
    return 2;
  }
  std::vector<std::string> sources;
  std::stringstream list(cli.value("source-addresses", ""));
  for (std::string item; std::getline(list, item, ',');)
    if (!item.empty())
      sources.push_back(item);
  if (gd::feed::raiseFileDescriptorLimit() < static_cast<std::uint64_t>(count) + 32)
  {
    std::cerr << "feed_scale_tool hold-clients: the open-file limit is too low for " << count << " connections\n";
    return 2;
  }
  asio::io_context io;
  const asio::ip::tcp::endpoint target(asio::ip::make_address(host), port);
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> sockets;
  int connected = 0;
  int failed = 0;
  for (int i = 0; i < count; ++i)
  {
    auto socket = std::make_unique<asio::ip::tcp::socket>(io);
    if (!sources.empty())
    {
      socket->open(asio::ip::tcp::v4());
      const int one = 1;
      ::setsockopt(socket->native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
      socket->bind(asio::ip::tcp::endpoint(asio::ip::make_address(sources[static_cast<std::size_t>(i) % sources.size()]), 0));
    }
    socket->async_connect(target, [&](const boost::system::error_code &ec) {
      ec ? ++failed : ++connected;
      if (connected + failed == count)
      {
        std::printf("hold-clients: %d connected, %d failed\n", connected, failed);
        std::fflush(stdout);
      }
    });
    sockets.push_back(std::move(socket));
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code &, int) { io.stop(); });
  io.run();
  return 0;
}

} // namespace

int main(int argc, char **argv)
{
  gd::apps::CommandLine cli("feed_scale_tool", "provision|auth-bench|hold-server|hold-clients [OPTIONS]",
                            "Helpers of bench/feed/scale_bench.sh: provision many terminals in a demo store, and a bare\n"
                            "socket server and client for the per-connection memory baseline.");
  cli.addOption("db", "FILE", "provision: the store (from griddispatch-ctl demo-district)");
  cli.addOption("count", "N", "provision / hold-clients: how many terminals or connections");
  cli.addOption("credentials", "FILE", "provision: where to write the terminals' credentials");
  cli.addOption("listen", "HOST:PORT", "hold-server: where to listen");
  cli.addOption("connect", "HOST:PORT", "hold-clients: the hold-server");
  cli.addOption("source-addresses", "A,B,...", "hold-clients: local addresses to connect from in turn");
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command;
  if (!args.empty() && args.front().rfind("--", 0) != 0)
  {
    command = args.front();
    args.erase(args.begin());
  }
  if (const auto exitCode = cli.handleStandard(cli.parse(args)))
    return *exitCode;
  try
  {
    if (command == "provision")
      return provision(cli);
    if (command == "auth-bench")
      return authBench(cli);
    if (command == "hold-server")
      return holdServer(cli);
    if (command == "hold-clients")
      return holdClients(cli);
    std::cerr << "feed_scale_tool: expected a command: provision, auth-bench, hold-server or hold-clients\n";
    return 2;
  }
  catch (const std::exception &e)
  {
    std::cerr << "feed_scale_tool: " << e.what() << '\n';
    return 1;
  }
}
