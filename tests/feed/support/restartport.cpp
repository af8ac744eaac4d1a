#include "restartport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace gd::feed::test {

std::uint16_t portForRestarts()
{
  int ephemeralLow = 32768; // Linux's default, when /proc does not say
  if (std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range"); range)
    range >> ephemeralLow;
  const int first = 10000;
  const int span = ephemeralLow - first;
  if (span < 100)
    throw std::runtime_error("portForRestarts: the ephemeral port range starts too low");
  boost::asio::io_context io;
  const int start = static_cast<int>(::getpid()) % span;
  for (int i = 0; i < span; ++i)
  {
    const auto port = static_cast<std::uint16_t>(first + (start + i) % span);
    boost::system::error_code ec;
    boost::asio::ip::tcp::acceptor probe(io);
    probe.open(boost::asio::ip::tcp::v4(), ec);
    if (!ec)
      probe.bind({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (!ec)
      return port;
  }
  throw std::runtime_error("portForRestarts: no free port below the ephemeral range");
}

} // namespace gd::feed::test
