#include "feed/gateway.h"

#include "feed/framesink.h"
#include "feed/gatewaysession.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <sys/resource.h>

#include <cerrno>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace gd::feed {

namespace asio = boost::asio;
using detail::GatewaySession;

class Gateway::Impl : public detail::SessionHost
{
  public:
    Impl(GatewayConfig config, FrameSink &sink)
      : mConfig(std::move(config))
      , mSink(sink)
      , mAcceptor(mIo)
      , mStatsTimer(mIo)
      , mAcceptRetryTimer(mIo)
    {
    }

    ~Impl() override { stop(); }

    void start();
    void stop();
    void deliverOrder(const std::string &device, core::OrderFrame order);

    void bindDevice(const std::string &device, const std::shared_ptr<GatewaySession> &session) override
    {
      std::weak_ptr<GatewaySession> &slot = mByDevice[device];
      const std::shared_ptr<GatewaySession> previous = slot.lock();
      slot = session;
      // A second connection of the same device replaces the first (the handset roamed).
      if (previous && previous != session)
        previous->close();
    }

    void sessionClosed(const std::shared_ptr<GatewaySession> &session) override
    {
      mSessions.erase(session);
      const auto it = mByDevice.find(session->device());
      if (it != mByDevice.end())
      {
        const auto bound = it->second.lock();
        if (!bound || bound == session)
          mByDevice.erase(it);
      }
    }

    // Declared first: destroyed last, after everything that refers to it.
    asio::io_context mIo;
    GatewayConfig mConfig;
    FrameSink &mSink;
    asio::ssl::context mSsl{asio::ssl::context::tls_server};
    bool mTls = false;
    asio::ip::tcp::acceptor mAcceptor;
    asio::steady_timer mStatsTimer;
    asio::steady_timer mAcceptRetryTimer;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> mWork;
    std::set<std::shared_ptr<GatewaySession>> mSessions;
    std::unordered_map<std::string, std::weak_ptr<GatewaySession>> mByDevice;
    detail::GatewayCounters mCounters;
    std::uint64_t mFramesAtLastTick = 0;
    std::uint16_t mPort = 0;
    std::thread mThread;
    std::mutex mLifecycleMutex;
    bool mStarted = false;
    bool mStopped = false;
    bool mStopping = false; //!< I/O thread only: stop() has begun

  private:
    void accept();
    void refuseBusy(asio::ip::tcp::socket socket);
    void tick();
    void configureTls();
};

void Gateway::Impl::configureTls()
{
  const bool cert = !mConfig.tlsCertFile.empty();
  const bool key = !mConfig.tlsKeyFile.empty();
  if (cert != key)
    throw std::runtime_error("TLS needs both a certificate and a key (--tls-cert and --tls-key)");
  if (!cert)
    return;
  mSsl.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3
                   | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  mSsl.use_certificate_chain_file(mConfig.tlsCertFile, ec);
  if (ec)
    throw std::runtime_error(mConfig.tlsCertFile + ": cannot use as TLS certificate chain (PEM): " + ec.message());
  mSsl.use_private_key_file(mConfig.tlsKeyFile, asio::ssl::context::pem, ec);
  if (ec)
    throw std::runtime_error(mConfig.tlsKeyFile + ": cannot use as TLS private key (PEM): " + ec.message());
  mTls = true;
}

void Gateway::Impl::start()
{
  std::lock_guard lock(mLifecycleMutex);
  if (mStarted)
    throw std::logic_error("Gateway::start() called twice");
  configureTls();

  const std::string where = mConfig.host + ":" + std::to_string(mConfig.port);
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(mIo);
  const auto endpoints = resolver.resolve(mConfig.host, std::to_string(mConfig.port), asio::ip::tcp::resolver::passive, ec);
  if (ec || endpoints.empty())
    throw std::runtime_error("cannot listen on " + where + ": cannot resolve host: " + ec.message());
  const asio::ip::tcp::endpoint endpoint = endpoints.begin()->endpoint();
  mAcceptor.open(endpoint.protocol(), ec);
  // Close-on-exec (Asio does not ask for it): a program started by the process that runs the
  // gateway (the console starts griddispatch-sim) must not inherit the listening socket, or
  // it keeps the port taken after this process is gone.
  if (!ec)
    ::fcntl(mAcceptor.native_handle(), F_SETFD, FD_CLOEXEC);
  if (!ec)
    mAcceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    mAcceptor.bind(endpoint, ec);
  if (!ec)
    mAcceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  mPort = mAcceptor.local_endpoint().port();

  mWork.emplace(mIo.get_executor());
  accept();
  tick();
  mStarted = true;
  mThread = std::thread([this] {
    for (;;)
    {
      try
      {
        mIo.run();
        return;
      }
      catch (const std::exception &e)
      {
        // A bug in a handler must not take every terminal down with it.
        std::cerr << "griddispatch feed gateway: unexpected error in I/O thread: " << e.what() << '\n';
      }
    }
  });
}

void Gateway::Impl::accept()
{
  mAcceptor.async_accept([this](const boost::system::error_code &ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !mAcceptor.is_open() || mStopping)
      return;
    if (ec == asio::error::no_descriptors || ec.value() == ENFILE || ec == asio::error::no_buffer_space || ec == asio::error::no_memory)
    {
      // The connection stays in the backlog, so accepting again at once would spin: retry
      // shortly (a session closing frees a descriptor). The terminal waits or retries.
      ++mCounters.connectionsRefused;
      mAcceptRetryTimer.expires_after(std::chrono::milliseconds(50));
      mAcceptRetryTimer.async_wait([this](const boost::system::error_code &timerError) {
        if (!timerError && !mStopping)
          accept();
      });
      return;
    }
    if (!ec)
      ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC); // as the listener's, for the same reason
    if (!ec && mConfig.maxConnections > 0 && mSessions.size() >= mConfig.maxConnections)
      refuseBusy(std::move(socket));
    else if (!ec)
    {
      boost::system::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      const detail::SessionEnvironment env{mIo, mConfig, mSink, mSsl, mTls, mCounters, *this};
      auto session = std::make_shared<GatewaySession>(env, std::move(socket));
      mSessions.insert(session);
      session->start();
    }
    // Out of descriptors or similar: keep accepting; each failure is per connection.
    accept();
  });
}

void Gateway::Impl::refuseBusy(asio::ip::tcp::socket socket)
{
  ++mCounters.connectionsRefused;
  if (mTls)
    return; // nothing can be said before a handshake; closing is the answer
  // One small frame into an empty socket buffer: it does not block.
  static const std::string busy = core::encodeFrame(core::ErrorFrame{core::FieldCode::ServerBusy,
    "the gateway holds as many connections as it can; reconnect later"});
  boost::system::error_code ignored;
  socket.non_blocking(true, ignored);
  asio::write(socket, asio::buffer(busy), ignored);
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

void Gateway::Impl::tick()
{
  mStatsTimer.expires_after(std::chrono::seconds(1));
  mStatsTimer.async_wait([this](const boost::system::error_code &ec) {
    // A tick already queued when stop() cancelled the timer must not re-arm it, or run()
    // would never run out of work.
    if (ec || mStopping)
      return;
    const std::uint64_t frames = mCounters.framesReceived.load();
    mCounters.framesPerSecond.store(static_cast<double>(frames - mFramesAtLastTick));
    mFramesAtLastTick = frames;
    mCounters.ackLagMaxMs.store(mCounters.ackLagMaxThisSecond);
    mCounters.ackLagMaxThisSecond = 0;
    tick();
  });
}

void Gateway::Impl::stop()
{
  std::lock_guard lock(mLifecycleMutex);
  if (!mStarted || mStopped)
    return;
  mStopped = true;
  asio::post(mIo, [this] {
    mStopping = true;
    boost::system::error_code ignored;
    mAcceptor.close(ignored);
    mStatsTimer.cancel();
    mAcceptRetryTimer.cancel();
    const auto sessions = mSessions;
    for (const auto &session : sessions)
      session->close();
    mSessions.clear();
    mByDevice.clear();
    mWork.reset();
  });
  // run() returns once every session handler and every outstanding sink answer is done.
  if (mThread.joinable())
    mThread.join();
}

void Gateway::Impl::deliverOrder(const std::string &device, core::OrderFrame order)
{
  asio::post(mIo, [this, device, order = std::move(order)] {
    const auto it = mByDevice.find(device);
    if (it == mByDevice.end())
      return;
    if (const auto session = it->second.lock())
      session->sendOrder(order);
  });
}

Gateway::Gateway(GatewayConfig config, FrameSink &sink)
  : mImpl(std::make_unique<Impl>(std::move(config), sink))
{
}

Gateway::~Gateway() = default;

void Gateway::start()
{
  mImpl->start();
}

std::uint16_t Gateway::port() const
{
  return mImpl->mPort;
}

bool Gateway::usesTls() const
{
  return mImpl->mTls;
}

void Gateway::stop()
{
  mImpl->stop();
}

void Gateway::deliverOrder(const std::string &device, core::OrderFrame order)
{
  mImpl->deliverOrder(device, std::move(order));
}

GatewayStats Gateway::stats() const
{
  const detail::GatewayCounters &c = mImpl->mCounters;
  GatewayStats s;
  s.terminalsOnline = c.terminalsOnline.load();
  s.connectionsOpen = c.connectionsOpen.load();
  s.connectionsTotal = c.connectionsTotal.load();
  s.framesReceived = c.framesReceived.load();
  s.framesAcked = c.framesAcked.load();
  s.duplicates = c.duplicates.load();
  s.rejects = c.rejects.load();
  s.errors = c.errors.load();
  s.slowDisconnects = c.slowDisconnects.load();
  s.ordersSent = c.ordersSent.load();
  s.connectionsRefused = c.connectionsRefused.load();
  s.framesPerSecond = c.framesPerSecond.load();
  s.ackLagMs = c.ackLagMs.load();
  s.ackLagMaxMs = c.ackLagMaxMs.load();
  return s;
}

std::uint64_t raiseFileDescriptorLimit()
{
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return 0;
  if (limit.rlim_cur < limit.rlim_max)
  {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
      limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(limit.rlim_cur);
}

} // namespace gd::feed
