#pragma once
// A simulated field terminal: patrols (positions), reports cases, answers orders
// (accept -> arrive -> resolve), keeps its seq counter and outbox across reconnects and
// resends everything above welcome.last_seq. A terminal whose counter is behind the store's
// (a new simulator for devices an earlier one used) continues above welcome.last_seq.
// For the demo, load tests and benchmarks.

#include "feed/fieldframe.h"
#include "feed/framereader.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace gd::feed {

//! A category a simulated terminal may report, with its relative frequency.
struct SimCategory
{
  std::string code;
  std::string title; //!< used as the report title
  double weight = 1;
};

struct SimTerminalConfig
{
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  bool tls = false;
  /**
   * With TLS: the name the gateway's certificate must carry (checked against its subject
   * alternative names when the TLS context verifies peers) and the SNI sent. Empty: host.
   */
  std::string tlsServerName;
  std::string device;
  std::string token;
  //! Frames generated per second (positions and reports); 0: only what queue*() adds.
  double framesPerSecond = 1;
  //! Share of generated frames that are reports (the rest are position fixes).
  double reportShare = 0.05;
  std::vector<SimCategory> categories; //!< empty: reports use "0401"
  core::GeoPoint home{98.5121, 39.7432}; //!< WGS84 centre of the patrol
  double patrolRadiusM = 600;
  /**
   * Reconnecting backs off exponentially with full jitter: attempt n after a drop waits a
   * random time in [0, min(reconnectDelayMax, reconnectDelay * 2^n)], so thousands of
   * terminals that lose a restarting gateway together do not come back in one stampede.
   * A welcome resets n.
   */
  std::chrono::milliseconds reconnectDelay{500};
  std::chrono::milliseconds reconnectDelayMax{10000};
  //! Local address to connect from (empty: any). Several spread many terminals over more
  //! ephemeral ports than one loopback address has.
  std::string sourceAddress;
  std::chrono::milliseconds pingInterval{30000};
  //! Time between the steps accept -> arrive -> resolve of an assigned case.
  std::chrono::milliseconds orderStepDelay{200};
  std::size_t maxOutbox = 100000; //!< frames kept while unacknowledged; generation pauses beyond
  std::uint32_t seed = 1;
};

/**
 * Counters shared by the terminals of one io_context (not synchronised: read them on that
 * thread or after it stopped).
 */
struct SimCounters
{
  std::uint64_t generated = 0;
  std::uint64_t sent = 0;       //!< frames written, resends included
  std::uint64_t acked = 0;      //!< frames acknowledged (dup or not)
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;
  std::uint64_t errors = 0;     //!< error frames received
  std::uint64_t connects = 0;   //!< welcomes received
  std::uint64_t online = 0;     //!< terminals welcomed and still connected now
  std::uint64_t connectAttempts = 0;
  std::uint64_t resent = 0;     //!< frames sent again after a welcome (not acknowledged before)
  //! Welcomes whose last_seq was above the terminal's counter: the counter moved up to it.
  std::uint64_t seqResumes = 0;
  std::uint64_t ordersReceived = 0;
  std::uint64_t updatesSent = 0;
  std::vector<double> ackLatencyMs; //!< first send -> ack, per acknowledged frame

  //! The \a fraction (0..1) percentile of ackLatencyMs (sorts it); 0 when empty.
  double latencyPercentile(double fraction);
};

class SimTerminal : public std::enable_shared_from_this<SimTerminal>
{
  public:
    /**
     * A terminal on \a io. \a tls is used when config.tls is set (configure its verification
     * beforehand); \a tls and \a counters are not owned and must outlive the terminal.
     * All methods must be called on \a io's thread.
     */
    static std::shared_ptr<SimTerminal> create(boost::asio::io_context &io, boost::asio::ssl::context &tls,
                                               SimTerminalConfig config, SimCounters &counters);

    //! Connects (and reconnects after every drop) and starts generating frames.
    void start();
    //! Closes the connection and stops every timer; no reconnect.
    void stop();
    //! Stops generating frames; what is queued is still sent and acknowledged.
    void stopGenerating();
    //! Cuts the connection now as a lost network would; reconnects after reconnectDelay.
    void dropConnection();

    //! Adds a report / position fix to the outbox now (sent when online).
    void queueReport();
    void queuePosition();

    const SimTerminalConfig &config() const { return mConfig; }
    bool online() const { return mWelcomed; }
    std::int64_t lastSeq() const { return mSeq; }        //!< highest seq generated
    std::int64_t ackedSeq() const { return mAckedSeq; }  //!< highest seq acknowledged
    std::size_t unacknowledged() const { return mOutbox.size(); }
    const std::vector<std::string> &caseNumbers() const { return mCaseNumbers; } //!< of acked reports
    std::size_t casesResolved() const { return mResolved; }
    std::uint64_t welcomes() const { return mWelcomes; }

    //! A plain TCP socket, or a TLS stream around one (only then the ~70 KiB TLS engine).
    struct Stream;

  private:
    struct Outgoing
    {
      std::int64_t seq = 0;
      //! Encoded when sent, not when queued: a welcome may renumber it (see onWelcome()).
      feed::SequencedFrame frame;
      bool isReport = false;
      std::chrono::steady_clock::time_point firstSent{};
      bool sentOnce = false;
    };

    SimTerminal(boost::asio::io_context &io, boost::asio::ssl::context &tls, SimTerminalConfig config, SimCounters &counters);

    void connect();
    void onConnected(const std::shared_ptr<Stream> &stream, std::uint64_t generation);
    void read(const std::shared_ptr<Stream> &stream, std::uint64_t generation);
    //! Bytes (or \a ec) of the connection \a generation; returns true to read on.
    bool onBytes(const boost::system::error_code &ec, const char *data, std::size_t bytes, std::uint64_t generation);
    void startConnect(const std::shared_ptr<Stream> &stream, std::uint64_t generation, const boost::asio::ip::tcp::endpoint &endpoint);
    void handleFrame(std::string_view text);
    void onWelcome(const feed::WelcomeFrame &welcome);
    void onAck(const feed::AckFrame &ack);
    void onReject(const feed::RejectFrame &reject);
    void onOrder(const feed::OrderFrame &order);
    void workOnCase(std::string caseNumber, int step);

    void addToOutbox(feed::SequencedFrame frame);
    void transmit(Outgoing &entry);
    void sendRaw(std::string text);
    void write();
    void disconnected();
    void scheduleGeneration();
    void schedulePing();
    core::GeoPoint patrolStep();

    boost::asio::io_context &mIo;
    boost::asio::ssl::context &mTls;
    SimTerminalConfig mConfig;
    SimCounters &mCounters;
    std::mt19937 mRandom;

    std::shared_ptr<Stream> mStream;
    std::uint64_t mGeneration = 0; //!< bumps on every (re)connect; stale handlers compare it
    bool mStopped = false;
    bool mWelcomed = false;
    boost::asio::steady_timer mReconnectTimer;
    boost::asio::steady_timer mGenerateTimer;
    //! When the next frame is due: gaps are added to it, not to the moment a late timer ran,
    //! so a busy simulator still offers the rate asked for (it catches up, up to a second behind).
    std::chrono::steady_clock::time_point mNextGeneration{};
    boost::asio::steady_timer mPingTimer;
    FrameReader mReader;
    int mReconnectAttempt = 0; //!< since the last welcome
    bool mCountedOnline = false;

    std::deque<std::string> mWriteQueue;
    bool mWriting = false;

    std::int64_t mSeq = 0;
    std::int64_t mAckedSeq = 0;
    std::deque<Outgoing> mOutbox;
    std::vector<std::string> mCaseNumbers;
    std::set<std::int64_t> mOrdersWorked;
    std::size_t mResolved = 0;
    std::uint64_t mWelcomes = 0;
    core::GeoPoint mPosition;
    std::discrete_distribution<std::size_t> mCategoryPick;
};

} // namespace gd::feed
