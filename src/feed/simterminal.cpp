#include "feed/simterminal.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24 // Linux 4.2
#endif

namespace gd::feed {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct SimTerminal::Stream
{
    using TlsStream = asio::ssl::stream<asio::ip::tcp::socket>;
    static constexpr std::size_t kTlsBufferBytes = 16384;

    Stream(asio::io_context &io, asio::ssl::context *tls)
      : socket(io)
    {
      if (tls)
        tlsStream = std::make_unique<TlsStream>(io, *tls);
    }
    asio::ip::tcp::socket &lowest() { return tlsStream ? tlsStream->next_layer() : socket; }

    asio::ip::tcp::socket socket;          //!< plain TCP (unused with TLS)
    std::unique_ptr<TlsStream> tlsStream;  //!< TLS only
    std::unique_ptr<char[]> tlsBuffer;     //!< TLS only, at the first read
};

namespace {

//! Plain-TCP terminals read into one buffer of their thread once their socket is readable,
//! so ten thousand idle terminals of one simulator hold no read buffers.
std::array<char, 65536> &scratchBuffer()
{
  thread_local std::array<char, 65536> buffer;
  return buffer;
}

} // namespace

double SimCounters::latencyPercentile(double fraction)
{
  if (ackLatencyMs.empty())
    return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(ackLatencyMs.size())));
  const std::size_t index = std::min(ackLatencyMs.size() - 1, rank == 0 ? 0 : rank - 1);
  std::nth_element(ackLatencyMs.begin(), ackLatencyMs.begin() + static_cast<std::ptrdiff_t>(index), ackLatencyMs.end());
  return ackLatencyMs[index];
}

std::shared_ptr<SimTerminal> SimTerminal::create(asio::io_context &io, asio::ssl::context &tls, SimTerminalConfig config, SimCounters &counters)
{
  return std::shared_ptr<SimTerminal>(new SimTerminal(io, tls, std::move(config), counters));
}

SimTerminal::SimTerminal(asio::io_context &io, asio::ssl::context &tls, SimTerminalConfig config, SimCounters &counters)
  : mIo(io)
  , mTls(tls)
  , mConfig(std::move(config))
  , mCounters(counters)
  , mRandom(mConfig.seed)
  , mReconnectTimer(io)
  , mGenerateTimer(io)
  , mPingTimer(io)
  , mPosition(mConfig.home)
{
  std::vector<double> weights;
  for (const SimCategory &c : mConfig.categories)
    weights.push_back(c.weight);
  if (!weights.empty())
    mCategoryPick = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
}

void SimTerminal::start()
{
  mStopped = false;
  connect();
  scheduleGeneration();
}

void SimTerminal::stop()
{
  mStopped = true;
  mReconnectTimer.cancel();
  mGenerateTimer.cancel();
  mPingTimer.cancel();
  if (mStream)
  {
    boost::system::error_code ignored;
    mStream->lowest().close(ignored);
  }
  mWelcomed = false;
  if (mCountedOnline)
  {
    mCountedOnline = false;
    --mCounters.online;
  }
}

void SimTerminal::stopGenerating()
{
  mConfig.framesPerSecond = 0;
  mGenerateTimer.cancel();
}

void SimTerminal::dropConnection()
{
  if (!mStream)
    return;
  boost::system::error_code ignored;
  mStream->lowest().close(ignored);
  disconnected();
}

void SimTerminal::connect()
{
  if (mStopped)
    return;
  const std::uint64_t generation = ++mGeneration;
  auto stream = std::make_shared<Stream>(mIo, mConfig.tls ? &mTls : nullptr);
  mStream = stream;
  mReader = FrameReader();
  mWriteQueue.clear();
  mWriting = false;
  ++mCounters.connectAttempts;
  boost::system::error_code numeric;
  const asio::ip::address address = asio::ip::make_address(mConfig.host, numeric);
  if (!numeric)
  {
    startConnect(stream, generation, asio::ip::tcp::endpoint(address, mConfig.port));
    return;
  }
  auto resolver = std::make_shared<asio::ip::tcp::resolver>(mIo);
  resolver->async_resolve(mConfig.host, std::to_string(mConfig.port),
                          [self = shared_from_this(), stream, generation, resolver](const boost::system::error_code &ec, const asio::ip::tcp::resolver::results_type &endpoints) {
                            if (generation != self->mGeneration || self->mStopped)
                              return;
                            if (ec || endpoints.empty())
                            {
                              self->disconnected();
                              return;
                            }
                            self->startConnect(stream, generation, endpoints.begin()->endpoint());
                          });
}

void SimTerminal::startConnect(const std::shared_ptr<Stream> &stream, std::uint64_t generation, const asio::ip::tcp::endpoint &endpoint)
{
  asio::ip::tcp::socket &socket = stream->lowest();
  {
    // Opened here rather than by async_connect, so that it is close-on-exec (Asio does not
    // ask for it): a program the simulator's process starts must not hold its connections.
    boost::system::error_code ec;
    socket.open(endpoint.protocol(), ec);
    if (!ec)
      ::fcntl(socket.native_handle(), F_SETFD, FD_CLOEXEC);
    if (ec)
    {
      ++mCounters.errors;
      disconnected();
      return;
    }
  }
  if (!mConfig.sourceAddress.empty())
  {
    boost::system::error_code ec;
    const asio::ip::address source = asio::ip::make_address(mConfig.sourceAddress, ec);
    if (!ec)
    {
      // Let connect() choose the local port, so a port needs to be unique only per
      // destination and not per source address.
      const int one = 1;
      ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
      socket.bind(asio::ip::tcp::endpoint(source, 0), ec);
    }
    if (ec)
    {
      ++mCounters.errors;
      disconnected();
      return;
    }
  }
  socket.async_connect(endpoint, [self = shared_from_this(), stream, generation](const boost::system::error_code &connectError) {
    if (generation != self->mGeneration || self->mStopped)
      return;
    if (connectError)
    {
      self->disconnected();
      return;
    }
    boost::system::error_code ignored;
    // With nothing listening on a port of the ephemeral range, the kernel may hand that very
    // port to this connect() as its source port, and the socket connects to itself (TCP
    // simultaneous open): the terminal would read its own hello back. Counted, dropped, retried.
    boost::system::error_code localError, remoteError;
    const auto local = stream->lowest().local_endpoint(localError);
    const auto remote = stream->lowest().remote_endpoint(remoteError);
    if (!localError && !remoteError && local == remote)
    {
      ++self->mCounters.errors;
      self->disconnected();
      return;
    }
    stream->lowest().set_option(asio::ip::tcp::no_delay(true), ignored);
    if (!stream->tlsStream)
    {
      stream->socket.non_blocking(true, ignored);
      self->onConnected(stream, generation);
      return;
    }
    // The certificate must be the gateway's: a valid certificate of any other host would do
    // otherwise (its chain alone proves nothing about whom we talk to).
    const std::string &name = self->mConfig.tlsServerName.empty() ? self->mConfig.host : self->mConfig.tlsServerName;
    boost::system::error_code notAnAddress;
    asio::ip::make_address(name, notAnAddress);
    if (notAnAddress) // SNI carries names only
      SSL_set_tlsext_host_name(stream->tlsStream->native_handle(), name.c_str());
    stream->tlsStream->set_verify_callback(asio::ssl::host_name_verification(name), ignored);
    stream->tlsStream->async_handshake(asio::ssl::stream_base::client, [self, stream, generation](const boost::system::error_code &handshakeError) {
      if (generation != self->mGeneration || self->mStopped)
        return;
      if (handshakeError)
      {
        ++self->mCounters.errors;
        self->disconnected();
        return;
      }
      self->onConnected(stream, generation);
    });
  });
}

void SimTerminal::onConnected(const std::shared_ptr<Stream> &stream, std::uint64_t generation)
{
  sendRaw(feed::encodeFrame(feed::HelloFrame{feed::kFieldProtocolVersion, mConfig.device, mConfig.token}));
  read(stream, generation);
}

void SimTerminal::read(const std::shared_ptr<Stream> &stream, std::uint64_t generation)
{
  if (stream->tlsStream)
  {
    if (!stream->tlsBuffer)
      stream->tlsBuffer = std::make_unique<char[]>(Stream::kTlsBufferBytes);
    stream->tlsStream->async_read_some(asio::buffer(stream->tlsBuffer.get(), Stream::kTlsBufferBytes),
                                       [self = shared_from_this(), stream, generation](const boost::system::error_code &ec, std::size_t bytes) {
                                         if (self->onBytes(ec, stream->tlsBuffer.get(), bytes, generation))
                                           self->read(stream, generation);
                                       });
    return;
  }
  stream->socket.async_wait(asio::socket_base::wait_read, [self = shared_from_this(), stream, generation](const boost::system::error_code &ec) {
    if (generation != self->mGeneration || self->mStopped)
      return;
    std::array<char, 65536> &scratch = scratchBuffer();
    boost::system::error_code readError = ec;
    std::size_t bytes = 0;
    if (!readError)
      bytes = stream->socket.read_some(asio::buffer(scratch), readError);
    if (readError == asio::error::would_block || readError == asio::error::try_again)
    {
      self->read(stream, generation);
      return;
    }
    if (self->onBytes(readError, scratch.data(), bytes, generation))
      self->read(stream, generation);
  });
}

bool SimTerminal::onBytes(const boost::system::error_code &ec, const char *data, std::size_t bytes, std::uint64_t generation)
{
  if (generation != mGeneration || mStopped)
    return false;
  if (ec)
  {
    disconnected();
    return false;
  }
  mReader.append(std::string_view(data, bytes));
  std::string_view text;
  FrameReader::Status status;
  while ((status = mReader.next(text)) == FrameReader::Status::Frame)
  {
    handleFrame(text);
    if (generation != mGeneration)
      return false; // the frame ended this connection
  }
  if (status == FrameReader::Status::TooLarge)
  {
    dropConnection();
    return false;
  }
  mReader.releaseIfDrained();
  return true;
}

void SimTerminal::handleFrame(std::string_view text)
{
  const feed::DecodedOutbound decoded = feed::decodeOutboundFrame(text);
  if (!decoded.frame)
    return;
  if (const auto *welcome = std::get_if<feed::WelcomeFrame>(&*decoded.frame))
    onWelcome(*welcome);
  else if (const auto *ack = std::get_if<feed::AckFrame>(&*decoded.frame))
    onAck(*ack);
  else if (const auto *reject = std::get_if<feed::RejectFrame>(&*decoded.frame))
    onReject(*reject);
  else if (const auto *order = std::get_if<feed::OrderFrame>(&*decoded.frame))
    onOrder(*order);
  else if (std::holds_alternative<feed::ErrorFrame>(*decoded.frame))
    ++mCounters.errors;
}

void SimTerminal::onWelcome(const feed::WelcomeFrame &welcome)
{
  mWelcomed = true;
  mReconnectAttempt = 0;
  ++mWelcomes;
  ++mCounters.connects;
  if (!mCountedOnline)
  {
    mCountedOnline = true;
    ++mCounters.online;
  }
  // The protocol wants a counter that grows across connections, which a terminal persists.
  // One that is behind the store's last_seq did not persist it (a new simulator for devices an
  // earlier one used, a reinstalled handset): its frames would all be answered dup and dropped.
  // Nothing it holds can be stored yet (the store knows no seq above last_seq of this device),
  // so it moves its counter up and renumbers what it holds, in order, above last_seq.
  if (welcome.lastSeq > mSeq)
  {
    ++mCounters.seqResumes;
    mSeq = welcome.lastSeq;
    for (Outgoing &entry : mOutbox)
    {
      entry.seq = ++mSeq;
      std::visit([seq = entry.seq](auto &f) { f.seq = seq; }, entry.frame);
    }
  }
  // Everything up to last_seq is stored even if its ack was lost with the old connection.
  onAck(feed::AckFrame{welcome.lastSeq, false, {}});
  // Resend exactly what the gateway does not hold, in order.
  for (Outgoing &entry : mOutbox)
  {
    if (entry.sentOnce)
      ++mCounters.resent;
    transmit(entry);
  }
  schedulePing();
}

void SimTerminal::onAck(const feed::AckFrame &ack)
{
  const auto now = Clock::now();
  while (!mOutbox.empty() && mOutbox.front().seq <= ack.seq)
  {
    Outgoing &entry = mOutbox.front();
    ++mCounters.acked;
    if (ack.duplicate && entry.seq == ack.seq)
      ++mCounters.duplicates;
    if (entry.sentOnce)
      mCounters.ackLatencyMs.push_back(std::chrono::duration<double, std::milli>(now - entry.firstSent).count());
    if (entry.isReport && entry.seq == ack.seq && !ack.caseNumber.empty())
      mCaseNumbers.push_back(ack.caseNumber);
    mOutbox.pop_front();
  }
  mAckedSeq = std::max(mAckedSeq, ack.seq);
}

void SimTerminal::onReject(const feed::RejectFrame &reject)
{
  // Final: the terminal drops the frame and never resends it.
  while (!mOutbox.empty() && mOutbox.front().seq <= reject.seq)
  {
    if (mOutbox.front().seq == reject.seq)
      ++mCounters.rejected;
    else
      ++mCounters.acked;
    mOutbox.pop_front();
  }
  mAckedSeq = std::max(mAckedSeq, reject.seq);
}

void SimTerminal::onOrder(const feed::OrderFrame &order)
{
  ++mCounters.ordersReceived;
  addToOutbox(feed::OrderAckFrame{0, order.order});
  if (order.kind != feed::OrderKind::Assign || order.caseSummary.number.empty())
    return;
  if (!mOrdersWorked.insert(order.order).second)
    return; // a resend of an order already being worked on
  workOnCase(order.caseSummary.number, 0);
}

void SimTerminal::workOnCase(std::string caseNumber, int step)
{
  static constexpr feed::UpdateAction kSteps[] = {feed::UpdateAction::Accept, feed::UpdateAction::Arrive, feed::UpdateAction::Resolve};
  if (mStopped || step >= 3)
    return;
  auto timer = std::make_shared<asio::steady_timer>(mIo, mConfig.orderStepDelay);
  timer->async_wait([self = shared_from_this(), timer, caseNumber = std::move(caseNumber), step](const boost::system::error_code &ec) mutable {
    if (ec || self->mStopped)
      return;
    feed::UpdateFrame update;
    update.caseNumber = caseNumber;
    update.action = kSteps[step];
    update.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (update.action == feed::UpdateAction::Arrive)
      update.position = self->mPosition;
    if (update.action == feed::UpdateAction::Resolve)
    {
      update.note = "已现场处置完毕";
      ++self->mResolved;
    }
    self->addToOutbox(update);
    ++self->mCounters.updatesSent;
    self->workOnCase(std::move(caseNumber), step + 1);
  });
}

void SimTerminal::queueReport()
{
  feed::ReportFrame report;
  report.position = patrolStep();
  report.crs = core::Crs::Wgs84;
  report.occurredAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  report.source = feed::ReportSource::Patrol;
  if (mConfig.categories.empty())
  {
    report.category = "0401";
    report.title = "市政设施损坏";
  }
  else
  {
    const SimCategory &category = mConfig.categories[mCategoryPick(mRandom)];
    report.category = category.code;
    report.title = category.title;
  }
  report.description = "网格员巡查发现：" + report.title;
  addToOutbox(std::move(report));
}

void SimTerminal::queuePosition()
{
  feed::PositionFrame position;
  position.position = patrolStep();
  position.crs = core::Crs::Wgs84;
  position.accuracyM = 5 + std::uniform_real_distribution<double>(0, 10)(mRandom);
  position.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  addToOutbox(std::move(position));
}

core::GeoPoint SimTerminal::patrolStep()
{
  // A random walk of a few metres per fix, pulled back towards home beyond the radius.
  constexpr double kMetresPerDegree = 111320.0;
  std::normal_distribution<double> step(0, 8);
  const double cosLat = std::cos(mPosition.lat * 3.14159265358979 / 180);
  mPosition.lat += step(mRandom) / kMetresPerDegree;
  mPosition.lon += step(mRandom) / (kMetresPerDegree * cosLat);
  if (core::distanceMeters(mPosition, mConfig.home) > mConfig.patrolRadiusM)
  {
    mPosition.lat = (mPosition.lat + mConfig.home.lat) / 2;
    mPosition.lon = (mPosition.lon + mConfig.home.lon) / 2;
  }
  return mPosition;
}

void SimTerminal::addToOutbox(feed::SequencedFrame frame)
{
  // The seq counter survives reconnects: the terminal "persists" it in memory.
  const std::int64_t seq = ++mSeq;
  std::visit([seq](auto &f) { f.seq = seq; }, frame);
  Outgoing entry;
  entry.seq = seq;
  entry.isReport = std::holds_alternative<feed::ReportFrame>(frame);
  entry.frame = std::move(frame);
  ++mCounters.generated;
  mOutbox.push_back(std::move(entry));
  if (mWelcomed)
    transmit(mOutbox.back());
}

void SimTerminal::transmit(Outgoing &entry)
{
  if (!entry.sentOnce)
  {
    entry.sentOnce = true;
    entry.firstSent = Clock::now();
  }
  ++mCounters.sent;
  sendRaw(feed::encodeFrame(entry.frame));
}

void SimTerminal::sendRaw(std::string text)
{
  mWriteQueue.push_back(std::move(text));
  write();
}

void SimTerminal::write()
{
  if (mWriting || mWriteQueue.empty() || !mStream)
    return;
  mWriting = true;
  // Coalesce queued frames into one write, as a handset flushing its buffer would.
  auto payload = std::make_shared<std::string>();
  while (!mWriteQueue.empty() && payload->size() < 65536)
  {
    *payload += mWriteQueue.front();
    mWriteQueue.pop_front();
  }
  auto stream = mStream;
  const std::uint64_t generation = mGeneration;
  auto handler = [self = shared_from_this(), stream, payload, generation](const boost::system::error_code &ec, std::size_t) {
    if (generation != self->mGeneration || self->mStopped)
      return;
    self->mWriting = false;
    if (ec)
    {
      self->disconnected();
      return;
    }
    self->write();
  };
  if (stream->tlsStream)
    asio::async_write(*stream->tlsStream, asio::buffer(*payload), std::move(handler));
  else
    asio::async_write(stream->socket, asio::buffer(*payload), std::move(handler));
}

void SimTerminal::disconnected()
{
  if (mStream)
  {
    boost::system::error_code ignored;
    mStream->lowest().close(ignored);
  }
  ++mGeneration; // every handler of the old connection is now stale
  mStream.reset();
  mWelcomed = false;
  if (mCountedOnline)
  {
    mCountedOnline = false;
    --mCounters.online;
  }
  mWriting = false;
  mWriteQueue.clear();
  mReader = FrameReader();
  mPingTimer.cancel();
  if (mStopped)
    return;
  // Exponential backoff with full jitter (see SimTerminalConfig::reconnectDelay).
  const int doublings = std::min(mReconnectAttempt, 20);
  ++mReconnectAttempt;
  const auto window = std::min<std::chrono::milliseconds::rep>(mConfig.reconnectDelayMax.count(), mConfig.reconnectDelay.count() << doublings);
  const auto delay = std::uniform_int_distribution<std::chrono::milliseconds::rep>(0, std::max<std::chrono::milliseconds::rep>(window, 0))(mRandom);
  mReconnectTimer.expires_after(std::chrono::milliseconds(delay));
  mReconnectTimer.async_wait([self = shared_from_this()](const boost::system::error_code &ec) {
    if (!ec && !self->mStopped)
      self->connect();
  });
}

void SimTerminal::scheduleGeneration()
{
  if (mConfig.framesPerSecond <= 0 || mStopped)
    return;
  // Exponential gaps: terminals do not tick in lockstep.
  std::exponential_distribution<double> gap(mConfig.framesPerSecond);
  const auto now = Clock::now();
  if (mNextGeneration == Clock::time_point{} || now - mNextGeneration > std::chrono::seconds(1))
    mNextGeneration = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(mRandom)));
  mGenerateTimer.expires_at(mNextGeneration);
  mGenerateTimer.async_wait([self = shared_from_this()](const boost::system::error_code &ec) {
    if (ec || self->mStopped)
      return;
    // Every frame due by now (a timer that ran late owes several), as the rate asks; the due
    // time of the first frame not yet owed is kept for the next wait.
    const auto wokeAt = Clock::now();
    std::exponential_distribution<double> nextGap(self->mConfig.framesPerSecond);
    for (int owed = 0; owed < 64 && self->mNextGeneration <= wokeAt; ++owed)
    {
      if (self->mOutbox.size() < self->mConfig.maxOutbox)
      {
        if (std::uniform_real_distribution<double>(0, 1)(self->mRandom) < self->mConfig.reportShare)
          self->queueReport();
        else
          self->queuePosition();
      }
      self->mNextGeneration += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(nextGap(self->mRandom)));
    }
    self->scheduleGeneration();
  });
}

void SimTerminal::schedulePing()
{
  if (mConfig.pingInterval.count() <= 0)
    return;
  mPingTimer.expires_after(mConfig.pingInterval);
  mPingTimer.async_wait([self = shared_from_this()](const boost::system::error_code &ec) {
    if (ec || self->mStopped || !self->mWelcomed)
      return;
    self->sendRaw(feed::encodeFrame(feed::PingFrame{}));
    self->schedulePing();
  });
}

} // namespace gd::feed
