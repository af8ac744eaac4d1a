#include "feed/gateway.h"

#include "feed/framesink.h"
#include "feed/gatewaysession.h"

#include "core/workerthread.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <sys/resource.h>

#include <cerrno>
#include <algorithm>
#include <deque>
#include <iostream>
#include <map>
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
    void deliverOrder(const std::string &device, feed::OrderFrame order);
    void cutOff(const std::string &device, std::string message);
    //! Closes \a device's connection, if any, as a newer connection of it would (on the I/O thread).
    void closeDevice(const std::string &device);

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

    void leftUnauthenticated(const asio::ip::address &peer) override
    {
      --mCounters.unauthenticated;
      const auto it = mUnauthenticatedFrom.find(peer);
      if (it != mUnauthenticatedFrom.end() && --it->second == 0)
        mUnauthenticatedFrom.erase(it);
    }

    std::chrono::milliseconds authFailed(const asio::ip::address &peer, const std::string &device) override;

    // Declared first: destroyed last, after everything that refers to it.
    asio::io_context mIo;
    GatewayConfig mConfig;
    FrameSink &mSink;
    asio::ssl::context mSsl{asio::ssl::context::tls_server};
    bool mTls = false;
    bool mPlaintextOnNetwork = false;
    asio::ip::tcp::acceptor mAcceptor;
    asio::steady_timer mStatsTimer;
    asio::steady_timer mAcceptRetryTimer;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> mWork;
    std::set<std::shared_ptr<GatewaySession>> mSessions;
    std::unordered_map<std::string, std::weak_ptr<GatewaySession>> mByDevice;
    //! Connections not yet authenticated, by source address (I/O thread).
    std::map<asio::ip::address, std::size_t> mUnauthenticatedFrom;
    std::size_t mMaxUnauthenticated = 0;
    std::deque<std::weak_ptr<GatewaySession>> mUnauthenticatedByAge; //!< oldest first; may hold authenticated or closed ones
    //! Failed hellos by source address (I/O thread; forgotten a minute after the last).
    struct AuthFailures
    {
      unsigned streak = 0;                              //!< failures, none more than a minute apart
      std::chrono::steady_clock::time_point last{};
      std::chrono::steady_clock::time_point loggedAt{}; //!< last log line about this address
      std::uint64_t unlogged = 0;                       //!< failures since that line
      std::string device;                               //!< the last device id tried
    };
    std::map<asio::ip::address, AuthFailures> mAuthFailures;
    detail::GatewayCounters mCounters;
    std::uint64_t mFramesAtLastTick = 0;
    std::uint16_t mPort = 0;
    //! The I/O thread: runs mIo until it runs out of work (see stop()).
    core::WorkerThread mThread{"feed gateway", [this] {
                                 mIo.run();
                                 return core::WorkerThread::Next::done();
                               },
                               ioThreadOptions()};
    core::WorkerThread::Options ioThreadOptions();
    std::mutex mLifecycleMutex;
    bool mStarted = false;
    bool mStopped = false;
    bool mStopping = false; //!< I/O thread only: stop() has begun

  private:
    void accept();
    void refuseBusy(asio::ip::tcp::socket socket, const std::string &message);
    /**
     * With every unauthenticated place taken, the newcomer takes the place of the oldest
     * connection still waiting to authenticate (silent sockets age, a terminal says hello within
     * milliseconds): room is kept for terminals however many addresses the sockets come from.
     * False when there is none to close.
     */
    bool evictOldestUnauthenticated();
    void rememberUnauthenticated(const std::shared_ptr<GatewaySession> &session);
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
  mPlaintextOnNetwork = !mTls && !endpoint.address().is_loopback();
  if (mPlaintextOnNetwork && !mConfig.allowPlaintext)
    throw std::runtime_error("refusing to listen on " + where + " in plain TCP: it is not a loopback address, and device tokens, "
                             "reporters' names and phone numbers and workers' positions would cross the network unencrypted. "
                             "Give a certificate and key (--tls-cert FILE --tls-key FILE), listen on 127.0.0.1, or accept "
                             "the risk with --allow-plaintext (a network protected otherwise, e.g. a VPN)");
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
  mMaxUnauthenticated = mConfig.maxUnauthenticated > 0 ? mConfig.maxUnauthenticated
                        : mConfig.maxConnections > 0  ? std::max<std::size_t>(1, mConfig.maxConnections / 4)
                                                      : 4096;

  // Revoked while connected: cut off; connected through another gateway since: closed as a
  // second connection here would close it (the sink watches its store; see FrameSink).
  mSink.watchRevocations([this](const std::string &device, FrameSink::DeviceGone why) {
    if (why == FrameSink::DeviceGone::Revoked)
      cutOff(device, "this terminal has been revoked; ask the center to register it again");
    else
      closeDevice(device);
  });
  mWork.emplace(mIo.get_executor());
  accept();
  tick();
  mStarted = true;
  mThread.start();
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
    boost::system::error_code peerError;
    const asio::ip::address peer = ec ? asio::ip::address() : socket.remote_endpoint(peerError).address();
    if (!ec && peerError)
    {
      boost::system::error_code ignored;
      socket.close(ignored); // gone already
    }
    else if (!ec && mConfig.maxConnections > 0 && mSessions.size() >= mConfig.maxConnections)
      refuseBusy(std::move(socket), "the gateway holds as many connections as it can; reconnect later");
    else if (!ec && mConfig.maxUnauthenticatedPerAddress > 0 && mUnauthenticatedFrom[peer] >= mConfig.maxUnauthenticatedPerAddress)
      refuseBusy(std::move(socket), "too many connections from your address are waiting to authenticate; reconnect later");
    else if (!ec && mCounters.unauthenticated.load() >= mMaxUnauthenticated && !evictOldestUnauthenticated())
      refuseBusy(std::move(socket), "too many connections are waiting to authenticate; reconnect later");
    else if (!ec)
    {
      boost::system::error_code ignored;
      socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      const detail::SessionEnvironment env{mIo, mConfig, mSink, mSsl, mTls, mCounters, *this};
      ++mUnauthenticatedFrom[peer];
      ++mCounters.unauthenticated;
      auto session = std::make_shared<GatewaySession>(env, std::move(socket), peer);
      mSessions.insert(session);
      rememberUnauthenticated(session);
      session->start();
    }
    if (const auto it = mUnauthenticatedFrom.find(peer); it != mUnauthenticatedFrom.end() && it->second == 0)
      mUnauthenticatedFrom.erase(it);
    // Out of descriptors or similar: keep accepting; each failure is per connection.
    accept();
  });
}

bool Gateway::Impl::evictOldestUnauthenticated()
{
  while (!mUnauthenticatedByAge.empty())
  {
    const std::shared_ptr<GatewaySession> oldest = mUnauthenticatedByAge.front().lock();
    mUnauthenticatedByAge.pop_front();
    if (oldest && oldest->unauthenticated())
    {
      ++mCounters.connectionsRefused;
      oldest->close();
      return true;
    }
  }
  return false;
}

void Gateway::Impl::rememberUnauthenticated(const std::shared_ptr<GatewaySession> &session)
{
  // Entries of sessions that authenticated or closed are dropped now and then, not one by one.
  if (mUnauthenticatedByAge.size() >= 2 * mMaxUnauthenticated + 64)
  {
    std::deque<std::weak_ptr<GatewaySession>> kept;
    for (const auto &entry : mUnauthenticatedByAge)
      if (const auto s = entry.lock(); s && s->unauthenticated())
        kept.push_back(entry);
    mUnauthenticatedByAge.swap(kept);
  }
  mUnauthenticatedByAge.push_back(session);
}

void Gateway::Impl::refuseBusy(asio::ip::tcp::socket socket, const std::string &message)
{
  ++mCounters.connectionsRefused;
  boost::system::error_code ignored;
  if (mTls)
  {
    socket.close(ignored);
    return; // nothing can be said before a handshake; closing is the answer
  }
  // One small frame into an empty socket buffer: it does not block.
  const std::string busy = feed::encodeFrame(feed::ErrorFrame{feed::FieldCode::ServerBusy, message});
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
    // Addresses whose failed hellos are a minute old are forgotten (and their last failures logged).
    const auto now = std::chrono::steady_clock::now();
    for (auto it = mAuthFailures.begin(); it != mAuthFailures.end();)
    {
      if (now - it->second.last < std::chrono::minutes(1))
      {
        ++it;
        continue;
      }
      if (it->second.unlogged > 0 && mConfig.log)
        mConfig.log("failed hellos from " + it->first.to_string() + ": " + std::to_string(it->second.unlogged) +
                    " more (last device id \"" + it->second.device + "\")");
      it = mAuthFailures.erase(it);
    }
    tick();
  });
}

void Gateway::Impl::stop()
{
  std::lock_guard lock(mLifecycleMutex);
  if (!mStarted || mStopped)
    return;
  mStopped = true;
  mSink.watchRevocations({}); // waits for a call in progress: none comes after this
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
    mUnauthenticatedByAge.clear();
    mWork.reset();
  });
  // run() returns once every session handler and every outstanding sink answer is done.
  mThread.stop();
}

core::WorkerThread::Options Gateway::Impl::ioThreadOptions()
{
  core::WorkerThread::Options options;
  // A bug in a handler must not take every terminal down with it: run() is called again at
  // once, also while stopping, until every handler has run.
  options.onError = [](const std::string &what) {
    std::cerr << "griddispatch feed gateway: unexpected error in I/O thread: " << what << '\n';
  };
  options.retryAfter = std::chrono::seconds(0);
  options.drainOnStop = true;
  options.hasWork = [this] { return !mIo.stopped(); };
  return options;
}

void Gateway::Impl::deliverOrder(const std::string &device, feed::OrderFrame order)
{
  asio::post(mIo, [this, device, order = std::move(order)] {
    const auto it = mByDevice.find(device);
    if (it == mByDevice.end())
      return;
    if (const auto session = it->second.lock())
      session->sendOrder(order);
  });
}

std::chrono::milliseconds Gateway::Impl::authFailed(const asio::ip::address &peer, const std::string &device)
{
  const auto now = std::chrono::steady_clock::now();
  AuthFailures &f = mAuthFailures[peer];
  if (f.streak > 0 && now - f.last >= std::chrono::minutes(1))
    f.streak = 0;
  ++f.streak;
  f.last = now;
  ++f.unlogged;
  f.device = device.substr(0, 64);
  // 100 ms, 200 ms, 400 ms ... up to 5 s (GatewayConfig::authFailureDelay, maxAuthFailureDelay).
  const unsigned doublings = std::min(f.streak - 1, 16u);
  const std::chrono::milliseconds delay =
    std::min(mConfig.maxAuthFailureDelay, std::chrono::milliseconds(mConfig.authFailureDelay.count() << doublings));
  // At most one line per address every 10 s, however fast it tries.
  if (mConfig.log && (f.loggedAt == std::chrono::steady_clock::time_point{} || now - f.loggedAt >= std::chrono::seconds(10)))
  {
    mConfig.log("failed hello (unknown device, revoked device or wrong token) from " + peer.to_string() + ": " +
                std::to_string(f.unlogged) + (f.unlogged == 1 ? " failure" : " failures") + " since the last report, device id \"" +
                f.device + "\"; answers to this address are now delayed " + std::to_string(delay.count()) + " ms");
    f.loggedAt = now;
    f.unlogged = 0;
  }
  return delay;
}

void Gateway::Impl::cutOff(const std::string &device, std::string message)
{
  asio::post(mIo, [this, device, message = std::move(message)] {
    const auto it = mByDevice.find(device);
    if (it == mByDevice.end())
      return;
    if (const auto session = it->second.lock())
      session->cutOff(feed::FieldCode::AuthFailed, message);
  });
}

void Gateway::Impl::closeDevice(const std::string &device)
{
  asio::post(mIo, [this, device] {
    const auto it = mByDevice.find(device);
    if (it == mByDevice.end())
      return;
    if (const auto session = it->second.lock())
    {
      ++mCounters.movedElsewhere; // before the close, which the terminal may see at once
      session->close();
    }
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

bool Gateway::plaintextOnNetwork() const
{
  return mImpl->mPlaintextOnNetwork;
}

void Gateway::stop()
{
  mImpl->stop();
}

void Gateway::deliverOrder(const std::string &device, feed::OrderFrame order)
{
  mImpl->deliverOrder(device, std::move(order));
}

void Gateway::cutOff(const std::string &device, std::string message)
{
  mImpl->cutOff(device, std::move(message));
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
  s.unauthenticated = c.unauthenticated.load();
  s.authFailures = c.authFailures.load();
  s.movedElsewhere = c.movedElsewhere.load();
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
