#include "feed/gatewaysession.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <array>

namespace gd::feed::detail {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using feed::FieldCode;

namespace {

// What one TLS session may read at a time (its own buffer; TLS records are up to 16 KiB).
constexpr std::size_t kTlsReadBufferBytes = 16384;
// A write buffer bigger than this is freed once written rather than kept for the next frames.
constexpr std::size_t kKeptWriteCapacity = 512;

//! The I/O thread's read buffer, shared by every plain-TCP session of that thread: a read
//! completes synchronously into it and the frame reader copies out what it needs.
std::array<char, 65536> &scratchBuffer()
{
  thread_local std::array<char, 65536> buffer;
  return buffer;
}

template<class... Ts>
struct Overloaded : Ts...
{
  using Ts::operator()...;
};
template<class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::optional<feed::SequencedFrame> sequenced(feed::InboundFrame frame)
{
  return std::visit(Overloaded{
                      [](feed::ReportFrame &&f) -> std::optional<feed::SequencedFrame> { return feed::SequencedFrame(std::move(f)); },
                      [](feed::UpdateFrame &&f) -> std::optional<feed::SequencedFrame> { return feed::SequencedFrame(std::move(f)); },
                      [](feed::PositionFrame &&f) -> std::optional<feed::SequencedFrame> { return feed::SequencedFrame(std::move(f)); },
                      [](feed::OrderAckFrame &&f) -> std::optional<feed::SequencedFrame> { return feed::SequencedFrame(std::move(f)); },
                      [](auto &&) -> std::optional<feed::SequencedFrame> { return std::nullopt; }},
                    std::move(frame));
}

double millisecondsSince(Clock::time_point start)
{
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

} // namespace

GatewaySession::GatewaySession(const SessionEnvironment &env, asio::ip::tcp::socket socket, const asio::ip::address &peer)
  : mEnv(env)
  , mSocket(std::move(socket))
  , mTimer(env.io)
  // Before authentication a connection may hold no more than a hello: one that sends a
  // partial frame of 63 KiB and waits cost that much each (5,000 of them: +317 MiB).
  , mReader(std::min(env.config.maxHelloBytes, env.config.maxFrameBytes))
  , mPeer(peer)
{
  if (mEnv.tls)
    mTls = std::make_unique<TlsStream>(std::move(mSocket), env.sslContext);
  else
  {
    // Reads are attempted only once the socket is readable, and must not block then.
    boost::system::error_code ignored;
    mSocket.non_blocking(true, ignored);
  }
  mFrameContext.catalog = env.config.catalog;
  ++mEnv.counters.connectionsOpen;
  ++mEnv.counters.connectionsTotal;
}

GatewaySession::~GatewaySession() = default;

template<typename Arg, typename Handler>
std::function<void(Arg)> GatewaySession::postBack(Handler handler)
{
  // The work guard keeps the I/O thread running until the sink has answered, so
  // Gateway::stop() never leaves an answer posted to a dead io_context.
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  auto guard = std::make_shared<Guard>(mEnv.io.get_executor());
  asio::io_context *io = &mEnv.io;
  return [io, guard, handler](Arg arg) mutable {
    asio::post(*io, [guard = std::move(guard), handler, arg = std::move(arg)]() mutable {
      handler(std::move(arg));
      guard->reset();
    });
  };
}

void GatewaySession::start()
{
  setDeadline(Deadline::Hello, mEnv.config.helloTimeout);
  if (mEnv.tls)
  {
    mTls->async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](const boost::system::error_code &ec) {
      if (self->mState != State::Handshake)
        return;
      if (ec)
      {
        // Plain TCP or a client that does not trust us: nothing can be said in clear.
        self->close();
        return;
      }
      self->mState = State::AwaitHello;
      self->read();
    });
    return;
  }
  mState = State::AwaitHello;
  read();
}

void GatewaySession::read()
{
  if (mReading || mState == State::Closed || mState == State::Handshake)
    return;
  mReading = true;
  if (mTls)
  {
    if (!mTlsReadBuffer)
      mTlsReadBuffer = std::make_unique<char[]>(kTlsReadBufferBytes);
    const std::size_t want = mState == State::Open || mState == State::Closing
                               ? kTlsReadBufferBytes
                               : std::min(kTlsReadBufferBytes, mEnv.config.maxHelloBytes);
    mTls->async_read_some(asio::buffer(mTlsReadBuffer.get(), want),
                          [self = shared_from_this()](const boost::system::error_code &ec, std::size_t bytes) {
                            self->mReading = false;
                            self->onRead(ec, self->mTlsReadBuffer.get(), bytes);
                          });
    return;
  }
  // Waiting for readability holds no buffer: an idle terminal costs the socket and this wait.
  mSocket.async_wait(asio::socket_base::wait_read, [self = shared_from_this()](const boost::system::error_code &ec) { self->onReadable(ec); });
}

void GatewaySession::onReadable(const boost::system::error_code &ec)
{
  mReading = false;
  if (mState == State::Closed)
    return;
  if (ec)
  {
    close();
    return;
  }
  std::array<char, 65536> &scratch = scratchBuffer();
  // Not yet authenticated: no more than a hello is read (the rest waits in the socket).
  const std::size_t want = mState == State::Open || mState == State::Closing ? scratch.size()
                                                                            : std::min(scratch.size(), mEnv.config.maxHelloBytes);
  boost::system::error_code readError;
  const std::size_t bytes = mSocket.read_some(asio::buffer(scratch.data(), want), readError);
  if (readError == asio::error::would_block || readError == asio::error::try_again)
  {
    read(); // a spurious wakeup
    return;
  }
  onRead(readError, scratch.data(), bytes);
}

void GatewaySession::onRead(const boost::system::error_code &ec, const char *data, std::size_t bytes)
{
  if (mState == State::Closed)
    return;
  if (ec)
  {
    close();
    return;
  }
  if (mState == State::Closing)
  {
    // Draining what the peer still sends until it closes, so our last frame is not lost
    // to a reset.
    read();
    return;
  }
  mReader.append(std::string_view(data, bytes));
  if (processFrames())
    read();
}

bool GatewaySession::processFrames()
{
  std::string_view text;
  while (mState == State::AwaitHello || mState == State::Open)
  {
    if (repliesPending() >= mEnv.config.maxFramesInFlight)
    {
      mReadPaused = true;
      break;
    }
    const FrameReader::Status status = mReader.next(text);
    if (status == FrameReader::Status::NeedMore)
      break;
    if (status == FrameReader::Status::TooLarge)
    {
      if (mState == State::AwaitHello)
        sendError(FieldCode::FrameTooLarge, "the hello is at most " + std::to_string(mReader.maxFrameBytes()) +
                                              " bytes including its LF; this one is longer");
      else
        sendError(FieldCode::FrameTooLarge, "a frame is at most " + std::to_string(mEnv.config.maxFrameBytes) + " bytes including its LF; this one is longer");
      closeAfterFlush();
      break;
    }
    ++mEnv.counters.framesReceived;
    handleFrame(text);
  }
  submitBatch();
  flushReplies();
  mReader.releaseIfDrained();
  if (mState == State::Closing)
    return true; // keep reading to drain
  return (mState == State::AwaitHello || mState == State::Open) && !mReadPaused;
}

void GatewaySession::handleFrame(std::string_view text)
{
  feed::DecodedFrame decoded = feed::decodeInboundFrame(text, mFrameContext);
  if (mState == State::AwaitHello)
  {
    handleHello(decoded);
    return;
  }

  mDeadlineKind = Deadline::Idle;
  mDeadline = Clock::now() + mEnv.config.idleTimeout;

  const bool isHello = decoded.frame && std::holds_alternative<feed::HelloFrame>(*decoded.frame);
  if ((decoded.problem && !decoded.seq) || isHello)
  {
    if (isHello)
      sendError(FieldCode::BadValue, "hello frame: this connection is already authenticated as \"" + mDevice + "\"");
    else
      sendError(decoded.problem->code, decoded.problem->message);
    if (++mErrors >= mEnv.config.maxErrors)
    {
      sendError(FieldCode::TooManyErrors, std::to_string(mErrors) + " bad frames on this connection; closing it");
      closeAfterFlush();
    }
    return;
  }
  if (decoded.frame && std::holds_alternative<feed::PingFrame>(*decoded.frame))
  {
    enqueue(feed::encodeFrame(feed::PongFrame{}));
    return;
  }

  Reply reply;
  reply.seq = *decoded.seq;
  reply.receivedAt = Clock::now();
  if (reply.seq <= mHighestSeq)
  {
    // Already stored, or in flight in this connection: answered after what precedes it.
    reply.ready = true;
    reply.duplicate = true;
    reply.frame = feed::encodeFrame(feed::AckFrame{reply.seq, true, {}});
  }
  else
  {
    mHighestSeq = reply.seq;
    if (decoded.problem)
    {
      reply.ready = true;
      reply.reject = true;
      reply.frame = feed::encodeFrame(feed::RejectFrame{reply.seq, decoded.problem->code, decoded.problem->message});
    }
    else
    {
      mBatch.frames.push_back(std::move(*sequenced(std::move(*decoded.frame))));
      mBatchReplyIds.push_back(mFirstReplyId + repliesPending());
    }
  }
  mReplies.push_back(std::move(reply));
}

void GatewaySession::handleHello(const feed::DecodedFrame &decoded)
{
  if (decoded.type != "hello")
  {
    const std::string got = decoded.type.empty() ? std::string("a frame without a string 'type'") : "a \"" + decoded.type + "\" frame";
    sendError(FieldCode::NotAuthenticated, "the first frame must be {\"type\":\"hello\",\"proto\":1,\"device\":...,\"token\":...}; got " + got);
    closeAfterFlush();
    return;
  }
  if (decoded.problem)
  {
    sendError(decoded.problem->code, decoded.problem->message);
    closeAfterFlush();
    return;
  }
  const auto &hello = std::get<feed::HelloFrame>(*decoded.frame);
  mState = State::Authenticating;
  mDevice = hello.device;
  mEnv.sink.authenticate(hello, postBack<AuthResult>([self = shared_from_this()](AuthResult result) { self->onAuthenticated(result); }));
}

void GatewaySession::onAuthenticated(const AuthResult &result)
{
  if (mState != State::Authenticating)
    return;
  if (!result.accepted && result.storeUnavailable)
  {
    // Nothing was refused: the terminal tries again later (its reconnect back-off).
    sendError(FieldCode::ServerBusy, result.message);
    closeAfterFlush();
    return;
  }
  if (!result.accepted)
  {
    ++mEnv.counters.authFailures;
    mRefusal = result.message.empty() ? "unknown device, revoked device or wrong token" : result.message;
    // Answered after a delay that grows with the failures from this address (guessing tokens
    // at thousands a second becomes a few a minute); the connection stays unauthenticated meanwhile.
    const std::chrono::milliseconds delay = mEnv.host.authFailed(mPeer, mDevice);
    if (delay.count() > 0)
    {
      setDeadline(Deadline::AuthRefusal, delay);
      return;
    }
    sendError(FieldCode::AuthFailed, mRefusal);
    closeAfterFlush();
    return;
  }
  leaveUnauthenticated();
  mReader.setMaxFrameBytes(mEnv.config.maxFrameBytes);
  mState = State::Open;
  mHighestSeq = result.lastSeq;
  mEnv.host.bindDevice(mDevice, shared_from_this());
  mBound = true;
  ++mEnv.counters.terminalsOnline;
  mEnv.sink.presenceChanged(mDevice, true);

  feed::WelcomeFrame welcome;
  welcome.device = mDevice;
  welcome.lastSeq = result.lastSeq;
  welcome.serverTime = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  enqueue(feed::encodeFrame(welcome));
  setDeadline(Deadline::Idle, mEnv.config.idleTimeout);

  mEnv.sink.pendingOrders(mDevice, postBack<std::vector<feed::OrderFrame>>([self = shared_from_this()](std::vector<feed::OrderFrame> orders) {
    for (const feed::OrderFrame &order : orders)
      self->sendOrder(order);
  }));

  // Frames the terminal pipelined behind its hello wait in the reader.
  if (processFrames())
    read();
}

void GatewaySession::leaveUnauthenticated()
{
  if (!mUnauthenticated)
    return;
  mUnauthenticated = false;
  mEnv.host.leftUnauthenticated(mPeer);
}

void GatewaySession::submitBatch()
{
  if (mBatch.frames.empty())
    return;
  FrameBatch batch = std::move(mBatch);
  mBatch = FrameBatch();
  batch.device = mDevice;
  batch.receivedAt = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::vector<std::uint64_t> ids = std::move(mBatchReplyIds);
  mBatchReplyIds.clear();
  mEnv.sink.submit(std::move(batch), postBack<std::vector<FrameOutcome>>([self = shared_from_this(), ids = std::move(ids)](std::vector<FrameOutcome> outcomes) {
    self->onOutcomes(ids, std::move(outcomes));
  }));
}

void GatewaySession::onOutcomes(const std::vector<std::uint64_t> &replyIds, std::vector<FrameOutcome> outcomes)
{
  if (mState == State::Closed)
    return;
  if (outcomes.empty() && !replyIds.empty())
  {
    // The sink could not commit (the store failed): nothing was stored, so nothing is acked.
    // Tell the terminal and close; it reconnects and resends everything above last_seq.
    sendError(FieldCode::ServerBusy, "the center could not store your frames just now; reconnect and resend them");
    closeAfterFlush();
    return;
  }
  if (outcomes.size() != replyIds.size())
  {
    // A sink bug: without an answer per frame nothing may be acked. The terminal resends.
    close();
    return;
  }
  for (std::size_t i = 0; i < replyIds.size(); ++i)
  {
    if (replyIds[i] < mFirstReplyId)
      continue;
    Reply &reply = replyAt(replyIds[i]);
    FrameOutcome &outcome = outcomes[i];
    reply.ready = true;
    switch (outcome.kind)
    {
      case FrameOutcome::Kind::Accepted:
        reply.frame = feed::encodeFrame(feed::AckFrame{reply.seq, false, std::move(outcome.caseNumber)});
        break;
      case FrameOutcome::Kind::Duplicate:
        reply.duplicate = true;
        reply.frame = feed::encodeFrame(feed::AckFrame{reply.seq, true, {}});
        break;
      case FrameOutcome::Kind::Rejected:
        reply.reject = true;
        reply.frame = feed::encodeFrame(feed::RejectFrame{reply.seq, outcome.code, std::move(outcome.message)});
        break;
    }
  }
  flushReplies();
  resumeReadingIfPaused();
}

void GatewaySession::flushReplies()
{
  while (repliesPending() > 0 && mReplies[mReplyHead].ready && mState != State::Closed)
  {
    Reply reply = std::move(mReplies[mReplyHead]);
    ++mReplyHead;
    ++mFirstReplyId;
    if (mReplyHead == mReplies.size())
    {
      // Drained: an idle session keeps no reply storage.
      std::vector<Reply>().swap(mReplies);
      mReplyHead = 0;
    }
    else if (mReplyHead >= 1024 && mReplyHead * 2 >= mReplies.size())
    {
      mReplies.erase(mReplies.begin(), mReplies.begin() + static_cast<std::ptrdiff_t>(mReplyHead));
      mReplyHead = 0;
    }
    if (reply.reject)
      ++mEnv.counters.rejects;
    else
    {
      ++mEnv.counters.framesAcked;
      if (reply.duplicate)
        ++mEnv.counters.duplicates;
      else
      {
        const double lag = millisecondsSince(reply.receivedAt);
        const double smoothed = mEnv.counters.ackLagMs.load(std::memory_order_relaxed);
        mEnv.counters.ackLagMs.store(smoothed == 0 ? lag : smoothed * 0.95 + lag * 0.05, std::memory_order_relaxed);
        mEnv.counters.ackLagMaxThisSecond = std::max(mEnv.counters.ackLagMaxThisSecond, lag);
      }
    }
    enqueue(std::move(reply.frame));
  }
}

void GatewaySession::resumeReadingIfPaused()
{
  if (!mReadPaused || mState != State::Open || repliesPending() >= mEnv.config.maxFramesInFlight / 2 + 1)
    return;
  mReadPaused = false;
  if (processFrames())
    read();
}

void GatewaySession::sendOrder(const feed::OrderFrame &order)
{
  if (mState != State::Open)
    return;
  ++mEnv.counters.ordersSent;
  enqueue(feed::encodeFrame(order));
}

void GatewaySession::cutOff(FieldCode code, const std::string &message)
{
  if (mState == State::Closing || mState == State::Closed)
    return;
  // Frames already read but not yet answered are dropped unanswered: the sink refuses whatever
  // of them it has not committed, and a revoked terminal gets no more acks.
  sendError(code, message);
  closeAfterFlush();
}

void GatewaySession::sendError(FieldCode code, const std::string &message)
{
  ++mEnv.counters.errors;
  enqueue(feed::encodeFrame(feed::ErrorFrame{code, message}));
}

void GatewaySession::enqueue(const std::string &frame)
{
  if (mState == State::Closed || mFinSent)
    return;
  if (mWriteQueue.size() + frame.size() > mEnv.config.maxWriteQueueBytes)
  {
    // A terminal that does not read its acks and orders must not hold memory or anyone else.
    ++mEnv.counters.slowDisconnects;
    close();
    return;
  }
  // Frames are gathered into one buffer so a burst of acks costs one system call.
  mWriteQueue += frame;
  write();
}

void GatewaySession::write()
{
  if (mWriteInFlight || mWriteQueue.empty() || mState == State::Closed || mState == State::Handshake)
    return;
  mWriting.swap(mWriteQueue);
  mWriteQueue.clear();
  mWriteInFlight = true;
  auto handler = [self = shared_from_this()](const boost::system::error_code &ec, std::size_t) { self->onWritten(ec); };
  if (mTls)
    asio::async_write(*mTls, asio::buffer(mWriting), std::move(handler));
  else
    asio::async_write(mSocket, asio::buffer(mWriting), std::move(handler));
}

void GatewaySession::onWritten(const boost::system::error_code &ec)
{
  mWriteInFlight = false;
  if (mWriting.capacity() > kKeptWriteCapacity || mWriteQueue.empty())
    std::string().swap(mWriting); // an idle session keeps no write buffer
  else
    mWriting.clear();
  if (mState == State::Closed)
    return;
  if (ec)
  {
    close();
    return;
  }
  if (!mWriteQueue.empty())
  {
    write();
    return;
  }
  if (mState == State::Closing)
    finishClosing();
}

void GatewaySession::closeAfterFlush()
{
  if (mState == State::Closing || mState == State::Closed)
    return;
  mState = State::Closing;
  setDeadline(Deadline::Linger, mEnv.config.closeLinger);
  if (!mWriteInFlight && mWriteQueue.empty())
    finishClosing();
}

void GatewaySession::finishClosing()
{
  if (mFinSent)
    return;
  // Send FIN and keep reading until the peer closes: closing with unread input would
  // reset the connection and could destroy the error frame we just sent.
  mFinSent = true;
  boost::system::error_code ignored;
  lowestLayer().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  read();
}

void GatewaySession::close()
{
  if (mState == State::Closed)
    return;
  mState = State::Closed;
  boost::system::error_code ignored;
  mTimer.cancel();
  lowestLayer().close(ignored);
  std::string().swap(mWriteQueue);
  std::vector<Reply>().swap(mReplies);
  mReplyHead = 0;
  --mEnv.counters.connectionsOpen;
  leaveUnauthenticated();
  if (mBound)
  {
    mBound = false;
    --mEnv.counters.terminalsOnline;
    mEnv.sink.presenceChanged(mDevice, false);
  }
  mEnv.host.sessionClosed(shared_from_this());
}

void GatewaySession::setDeadline(Deadline kind, std::chrono::steady_clock::duration in)
{
  mDeadlineKind = kind;
  mDeadline = Clock::now() + in;
  if (!mTimerArmed || mDeadline < mTimer.expiry())
    armTimer();
}

void GatewaySession::armTimer()
{
  mTimerArmed = true;
  mTimer.expires_at(mDeadline);
  mTimer.async_wait([self = shared_from_this()](const boost::system::error_code &ec) { self->onTimer(ec); });
}

void GatewaySession::onTimer(const boost::system::error_code &ec)
{
  if (ec == asio::error::operation_aborted || mState == State::Closed)
    return;
  mTimerArmed = false;
  if (Clock::now() < mDeadline)
  {
    // The deadline moved on since the wait began (frames arrived): wait for the new one.
    armTimer();
    return;
  }
  switch (mDeadlineKind)
  {
    case Deadline::Hello:
      if (mState == State::Authenticating)
      {
        // The hello arrived in time; the sink is still deciding.
        setDeadline(Deadline::Hello, mEnv.config.helloTimeout);
        break;
      }
      sendError(FieldCode::HelloTimeout, "no hello within " + std::to_string(mEnv.config.helloTimeout.count()) + " ms of connecting");
      if (mState == State::Handshake)
        close();
      else
        closeAfterFlush();
      break;
    case Deadline::Idle:
      closeAfterFlush();
      break;
    case Deadline::Linger:
      close();
      break;
    case Deadline::AuthRefusal:
      sendError(FieldCode::AuthFailed, mRefusal);
      closeAfterFlush();
      break;
  }
}

} // namespace gd::feed::detail
