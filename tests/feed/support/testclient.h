#pragma once
// A blocking test client with timeouts for gateway tests: sends raw bytes, reads lines.
// Runs its own io_context on the calling thread (run_for), so no sleeps are needed.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace gd::feed::test {

class TestClient
{
  public:
    //! Connects to 127.0.0.1:\a port; with \a tls a TLS handshake follows (see handshakeOk()).
    //! \a source, when given, is the local address to connect from (127.0.0.2 ...: another client).
    explicit TestClient(std::uint16_t port, boost::asio::ssl::context *tls = nullptr, const std::string &source = {});

    bool connected() const { return mConnected; }
    //! False when the TLS handshake failed (wrong certificate, plain server).
    bool handshakeOk() const { return mHandshakeOk; }

    //! Sends bytes as they are (no LF added). Returns false on a write error.
    bool send(const std::string &bytes);
    //! Sends a JSON frame and its LF.
    bool sendFrame(const nlohmann::json &frame) { return send(frame.dump() + "\n"); }

    //! Next line without LF; nullopt on timeout or when the connection ended.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    //! Next line parsed as JSON; a null json on timeout/close.
    nlohmann::json readFrame(std::chrono::milliseconds timeout = std::chrono::seconds(5));
    //! Reads and discards lines until the peer closes; true when it closed within \a timeout.
    bool waitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(5));

    //! hello + welcome; returns the welcome (null json when something else came).
    nlohmann::json login(const std::string &device, const std::string &token);

    void close();

  private:
    bool readSome(std::chrono::milliseconds timeout);

    boost::asio::io_context mIo;
    boost::asio::ssl::context mPlainContext{boost::asio::ssl::context::tls_client};
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket> mStream;
    bool mTls = false;
    bool mConnected = false;
    bool mHandshakeOk = false;
    bool mEof = false;
    std::string mBuffer;
};

} // namespace gd::feed::test
