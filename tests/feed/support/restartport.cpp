#include "restartport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
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

bool accepting(std::uint16_t port)
{
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

bool stopChild(pid_t pid, std::chrono::milliseconds patience)
{
  if (pid <= 0)
    return true;
  ::kill(pid, SIGTERM);
  int status = 0;
  pid_t done = 0;
  const auto until = std::chrono::steady_clock::now() + patience;
  while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (done == 0)
  {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  return done > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace gd::feed::test
