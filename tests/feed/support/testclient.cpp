#include "testclient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace gd::feed::test {

namespace asio = boost::asio;

TestClient::TestClient(std::uint16_t port, asio::ssl::context *tls, const std::string &source)
  : mStream(mIo, tls ? *tls : mPlainContext)
  , mTls(tls != nullptr)
{
  boost::system::error_code ec;
  if (!source.empty())
  {
    mStream.lowest_layer().open(asio::ip::tcp::v4(), ec);
    if (!ec)
      mStream.lowest_layer().bind(asio::ip::tcp::endpoint(asio::ip::make_address(source), 0), ec);
    if (ec)
      return;
  }
  mStream.lowest_layer().connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  mConnected = !ec;
  if (!mConnected || !mTls)
  {
    mHandshakeOk = mConnected;
    return;
  }
  bool done = false;
  mStream.async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code &e) {
    done = true;
    mHandshakeOk = !e;
  });
  mIo.restart();
  mIo.run_for(std::chrono::seconds(5));
  if (!done)
  {
    mStream.lowest_layer().close(ec);
    mIo.restart();
    mIo.run();
  }
}

bool TestClient::send(const std::string &bytes)
{
  boost::system::error_code ec;
  if (mTls)
    asio::write(mStream, asio::buffer(bytes), ec);
  else
    asio::write(mStream.next_layer(), asio::buffer(bytes), ec);
  return !ec;
}

bool TestClient::readSome(std::chrono::milliseconds timeout)
{
  if (mEof)
    return false;
  std::array<char, 8192> chunk{};
  bool done = false;
  boost::system::error_code result;
  std::size_t got = 0;
  auto handler = [&](const boost::system::error_code &ec, std::size_t n) {
    done = true;
    result = ec;
    got = n;
  };
  if (mTls)
    mStream.async_read_some(asio::buffer(chunk), handler);
  else
    mStream.next_layer().async_read_some(asio::buffer(chunk), handler);
  mIo.restart();
  mIo.run_for(timeout);
  if (!done)
  {
    // Timed out: cancel and let the handler run before the buffer goes out of scope.
    mStream.lowest_layer().cancel();
    mIo.restart();
    mIo.run();
    if (result == asio::error::operation_aborted)
      return false;
  }
  mBuffer.append(chunk.data(), got);
  if (result)
  {
    mEof = true;
    return got > 0;
  }
  return true;
}

std::optional<std::string> TestClient::readLine(std::chrono::milliseconds timeout)
{
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;)
  {
    const auto lf = mBuffer.find('\n');
    if (lf != std::string::npos)
    {
      std::string line = mBuffer.substr(0, lf);
      mBuffer.erase(0, lf + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !readSome(left))
    {
      if (mEof)
      {
        const auto again = mBuffer.find('\n');
        if (again != std::string::npos)
          continue;
      }
      return std::nullopt;
    }
  }
}

nlohmann::json TestClient::readFrame(std::chrono::milliseconds timeout)
{
  const auto line = readLine(timeout);
  if (!line)
    return nullptr;
  return nlohmann::json::parse(*line, nullptr, false);
}

bool TestClient::waitClosed(std::chrono::milliseconds timeout)
{
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!mEof)
  {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    if (!readSome(left) && !mEof)
      return false;
    mBuffer.clear();
  }
  return true;
}

nlohmann::json TestClient::login(const std::string &device, const std::string &token)
{
  sendFrame({{"type", "hello"}, {"proto", 1}, {"device", device}, {"token", token}});
  nlohmann::json welcome = readFrame();
  if (!welcome.is_object() || welcome.value("type", "") != "welcome")
    return nullptr;
  return welcome;
}

void TestClient::close()
{
  boost::system::error_code ec;
  mStream.lowest_layer().close(ec);
}

} // namespace gd::feed::test
