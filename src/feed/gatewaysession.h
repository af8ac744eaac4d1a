#pragma once
// One terminal connection of the gateway (internal to gd_feed; see gateway.h).

#include "feed/fieldframe.h"
#include "feed/framereader.h"
#include "feed/framesink.h"
#include "feed/gateway.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <vector>
#include <memory>
#include <string>

namespace gd::feed::detail {

//! Counters written on the I/O thread, read from anywhere.
struct GatewayCounters
{
  std::atomic<std::uint64_t> terminalsOnline{0};
  std::atomic<std::uint64_t> connectionsOpen{0};
  std::atomic<std::uint64_t> connectionsTotal{0};
  std::atomic<std::uint64_t> framesReceived{0};
  std::atomic<std::uint64_t> framesAcked{0};
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> rejects{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> slowDisconnects{0};
  std::atomic<std::uint64_t> ordersSent{0};
  std::atomic<std::uint64_t> connectionsRefused{0};
  std::atomic<std::uint64_t> unauthenticated{0};
  std::atomic<std::uint64_t> authFailures{0};
  std::atomic<std::uint64_t> movedElsewhere{0};
  std::atomic<double> framesPerSecond{0};
  std::atomic<double> ackLagMs{0};
  std::atomic<double> ackLagMaxMs{0};
  double ackLagMaxThisSecond = 0; //!< I/O thread only
};

class GatewaySession;

//! What a session needs from the gateway that owns it (the connection manager).
class SessionHost
{
  public:
    virtual ~SessionHost() = default;
    //! Makes \a session the one of \a device, closing any earlier session of that device.
    virtual void bindDevice(const std::string &device, const std::shared_ptr<GatewaySession> &session) = 0;
    //! \a session has closed its socket: forget it.
    virtual void sessionClosed(const std::shared_ptr<GatewaySession> &session) = 0;
    //! A connection from \a peer has authenticated or closed before it did (counted at accept).
    virtual void leftUnauthenticated(const boost::asio::ip::address &peer) = 0;
    //! A hello from \a peer for \a device was refused: how long to wait before answering.
    virtual std::chrono::milliseconds authFailed(const boost::asio::ip::address &peer, const std::string &device) = 0;
};

struct SessionEnvironment
{
  boost::asio::io_context &io;
  const GatewayConfig &config;
  FrameSink &sink;
  boost::asio::ssl::context &sslContext;
  bool tls = false;
  GatewayCounters &counters;
  SessionHost &host;
};

class GatewaySession : public std::enable_shared_from_this<GatewaySession>
{
  public:
    using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

    //! \a peer is the remote address, counted as unauthenticated by the host until leftUnauthenticated().
    GatewaySession(const SessionEnvironment &env, boost::asio::ip::tcp::socket socket, const boost::asio::ip::address &peer);
    ~GatewaySession();

    //! Starts the TLS handshake (if any), the hello deadline and reading. I/O thread.
    void start();
    //! Closes the socket now, without flushing. I/O thread. Idempotent.
    void close();
    //! Sends error \a code with \a message, reads nothing more and closes. I/O thread.
    void cutOff(feed::FieldCode code, const std::string &message);
    //! Queues an order frame if the session is authenticated. I/O thread.
    void sendOrder(const feed::OrderFrame &order);

    const std::string &device() const { return mDevice; }
    //! True until the connection has authenticated (or closed).
    bool unauthenticated() const { return mUnauthenticated; }

  private:
    enum class State
    {
      Handshake,
      AwaitHello,
      Authenticating,
      Open,
      Closing,
      Closed
    };
    enum class Deadline
    {
      Hello,
      Idle,
      Linger,
      AuthRefusal //!< a refused hello is answered when it expires (see GatewayConfig::authFailureDelay)
    };

    //! One answer owed to the terminal, released in arrival order once ready.
    struct Reply
    {
      std::int64_t seq = 0;
      bool ready = false;
      std::string frame;
      std::chrono::steady_clock::time_point receivedAt;
      bool duplicate = false;
      bool reject = false;
    };

    void read();
    //! Plain TCP: the socket is readable; reads what is there into the I/O thread's scratch buffer.
    void onReadable(const boost::system::error_code &ec);
    //! Bytes arrived (or \a ec): frames them; may continue reading.
    void onRead(const boost::system::error_code &ec, const char *data, std::size_t bytes);
    //! Handles buffered frames; returns false when reading must not continue now.
    bool processFrames();
    void handleFrame(std::string_view text);
    void handleHello(const feed::DecodedFrame &decoded);
    void onAuthenticated(const AuthResult &result);
    //! Tells the host once that this connection no longer counts as unauthenticated.
    void leaveUnauthenticated();
    void submitBatch();
    void onOutcomes(const std::vector<std::uint64_t> &replyIds, std::vector<FrameOutcome> outcomes);
    void flushReplies();
    void resumeReadingIfPaused();

    void sendError(feed::FieldCode code, const std::string &message);
    void enqueue(const std::string &frame);
    void write();
    void onWritten(const boost::system::error_code &ec);
    void closeAfterFlush();
    void finishClosing();

    void setDeadline(Deadline kind, std::chrono::steady_clock::duration in);
    void armTimer();
    void onTimer(const boost::system::error_code &ec);

    //! Wraps a sink callback: keeps the session and the io_context alive, posts to the I/O thread.
    template<typename Arg, typename Handler>
    std::function<void(Arg)> postBack(Handler handler);

    boost::asio::ip::tcp::socket &lowestLayer() { return mTls ? mTls->next_layer() : mSocket; }
    std::size_t repliesPending() const { return mReplies.size() - mReplyHead; }
    Reply &replyAt(std::uint64_t id) { return mReplies[mReplyHead + static_cast<std::size_t>(id - mFirstReplyId)]; }

    // Memory per session matters: a gateway holds tens of thousands of idle terminals, and the
    // issue allows 16 KiB each (docs/performance.md). So nothing is allocated while a terminal
    // is quiet: plain TCP reads wait for readability and then read into one scratch buffer of
    // the I/O thread; the frame reader, the write buffers and the reply list free their
    // storage when drained. Only TLS sessions carry an ssl::stream (its engine alone holds
    // ~70 KiB of record buffers) and a read buffer of their own.
    SessionEnvironment mEnv;
    boost::asio::ip::tcp::socket mSocket;     //!< plain TCP; moved into mTls when TLS is on
    std::unique_ptr<TlsStream> mTls;          //!< TLS only
    std::unique_ptr<char[]> mTlsReadBuffer;   //!< TLS only, allocated at the first read
    boost::asio::steady_timer mTimer;
    State mState = State::Handshake;
    Deadline mDeadlineKind = Deadline::Hello;
    std::chrono::steady_clock::time_point mDeadline;
    bool mTimerArmed = false;

    FrameReader mReader;
    bool mReading = false;
    bool mReadPaused = false;

    std::string mWriteQueue;  //!< frames waiting for the next write, concatenated
    std::string mWriting;     //!< the bytes of the write in flight
    bool mWriteInFlight = false;
    bool mFinSent = false;

    std::string mDevice;
    boost::asio::ip::address mPeer;
    bool mUnauthenticated = true; //!< counted by the host as not yet authenticated
    std::string mRefusal;         //!< the auth_failed message, sent when Deadline::AuthRefusal expires
    bool mBound = false;
    std::int64_t mHighestSeq = 0; //!< highest seq seen in this connection or stored before it
    int mErrors = 0;

    std::vector<Reply> mReplies;     //!< answers owed, from mReplies[mReplyHead] on
    std::size_t mReplyHead = 0;
    std::uint64_t mFirstReplyId = 0; //!< id of mReplies[mReplyHead]
    FrameBatch mBatch;
    std::vector<std::uint64_t> mBatchReplyIds;
    feed::FieldFrameContext mFrameContext;
};

} // namespace gd::feed::detail
