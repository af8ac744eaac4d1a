#pragma once
// The feed gateway: accepts field terminals over TCP or TLS, runs the session protocol
// on one I/O thread and hands validated frames to a FrameSink.

#include "feed/fieldframe.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gd::feed {

class FrameSink;

//! How the gateway listens and how patient it is.
struct GatewayConfig
{
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;   //!< 0: any free port (see Gateway::port())
  std::string tlsCertFile;  //!< PEM chain; with tlsKeyFile set the port speaks TLS only
  std::string tlsKeyFile;   //!< PEM private key
  /**
   * Plain TCP on an address other than loopback: tokens, names, phone numbers and positions
   * would cross the network unencrypted, so Gateway::start() refuses it unless this is set
   * (--allow-plaintext: a network that is protected otherwise, e.g. a VPN).
   */
  bool allowPlaintext = false;
  std::chrono::milliseconds helloTimeout{10000};
  std::chrono::milliseconds idleTimeout{120000};
  //! How long a closing connection may take to receive its last frames (error) before it is cut.
  std::chrono::milliseconds closeLinger{2000};
  //! A session whose unsent bytes would exceed this is disconnected (slow reader).
  std::size_t maxWriteQueueBytes = 1u << 20;
  //! Frames awaiting the sink per session before the gateway stops reading from it.
  std::size_t maxFramesInFlight = 4096;
  //! Largest frame including its LF (the protocol says 65,536; smaller only in tests).
  std::size_t maxFrameBytes = feed::kMaxFieldFrameBytes;
  //! Connection errors (bad_json, bad_value without seq, ...) before too_many_errors.
  int maxErrors = 10;
  /**
   * Open connections at most (0: no limit). One more is answered `error` `server_busy` and
   * closed, so the descriptors the store needs are never taken by sockets. The headless
   * gateway sets it from RLIMIT_NOFILE (see fileDescriptorBudget()).
   */
  std::size_t maxConnections = 0;
  /**
   * Connections that have not yet authenticated (TLS handshake, hello, its check), at most, in
   * total: more are answered `server_busy`, so sockets that never say hello cannot take the
   * places of terminals. 0: a quarter of maxConnections, or 4,096 without a connection cap.
   */
  std::size_t maxUnauthenticated = 0;
  //! ... and from one source address (one client cannot take all of them; 0: no limit).
  std::size_t maxUnauthenticatedPerAddress = 64;
  //! Largest hello including its LF: before authentication no more than this is read or buffered.
  std::size_t maxHelloBytes = 1024;
  /**
   * Failed hellos (unknown device, wrong token) from one address are answered after a delay
   * that doubles from authFailureDelay with each failure within a minute, up to
   * maxAuthFailureDelay: a client guessing tokens gets a few answers a minute, not thousands a second.
   */
  std::chrono::milliseconds authFailureDelay{100};
  std::chrono::milliseconds maxAuthFailureDelay{5000};
  /**
   * Where the gateway tells the administrator what they must know (failed hellos, at most one
   * line per address every 10 s). Called on the I/O thread; must return quickly. May be empty.
   */
  std::function<void(const std::string &line)> log;
  //! Category catalog for report validation; not owned, must outlive the gateway. nullptr: any code.
  const core::CategoryCatalog *catalog = nullptr;
};

//! A consistent-enough snapshot of the gateway's counters (each read atomically).
struct GatewayStats
{
  std::uint64_t terminalsOnline = 0;   //!< authenticated sessions now
  std::uint64_t connectionsOpen = 0;   //!< TCP connections now, authenticated or not
  std::uint64_t connectionsTotal = 0;
  std::uint64_t framesReceived = 0;    //!< complete frames read
  std::uint64_t framesAcked = 0;       //!< acks sent (including duplicates)
  std::uint64_t duplicates = 0;
  std::uint64_t rejects = 0;
  std::uint64_t errors = 0;            //!< error frames sent
  std::uint64_t slowDisconnects = 0;   //!< sessions cut because their write queue was full
  std::uint64_t ordersSent = 0;
  std::uint64_t connectionsRefused = 0; //!< over maxConnections or the unauthenticated limits, or accept() failed (out of descriptors)
  std::uint64_t unauthenticated = 0;    //!< connections now that have not yet authenticated
  std::uint64_t authFailures = 0;       //!< hellos refused (unknown device, revoked, wrong token)
  std::uint64_t movedElsewhere = 0;     //!< connections closed because their device connected through another gateway
  double framesPerSecond = 0;          //!< frames received during the last full second
  double ackLagMs = 0;                 //!< smoothed time from receipt to ack
  double ackLagMaxMs = 0;              //!< largest ack lag during the last full second
};

/**
 * The field gateway. Owns an io_context and the one thread that runs it; no other thread
 * touches a socket. Public methods may be called from any thread except that I/O thread.
 */
class Gateway
{
  public:
    //! \a sink is not owned and must outlive the gateway (see FrameSink's threading contract).
    Gateway(GatewayConfig config, FrameSink &sink);
    //! Stops if still running.
    ~Gateway();

    Gateway(const Gateway &) = delete;
    Gateway &operator=(const Gateway &) = delete;

    /**
     * Binds, listens and starts the I/O thread.
     * Throws std::runtime_error naming the address or the certificate file on failure, and
     * when asked to listen in plain TCP on an address other than loopback without
     * GatewayConfig::allowPlaintext.
     */
    void start();

    //! The bound port (useful when the config asked for port 0). Valid after start().
    std::uint16_t port() const;

    //! True when TLS is configured.
    bool usesTls() const;
    //! True when it listens in plain TCP on an address other than loopback (allowed by allowPlaintext). Valid after start().
    bool plaintextOnNetwork() const;

    /**
     * Closes the listener and every session, waits for outstanding sink callbacks and joins
     * the I/O thread. Idempotent. Must not be called from the I/O thread.
     */
    void stop();

    /**
     * Sends \a order to \a device if it is online now. Offline devices get it from
     * FrameSink::pendingOrders() when they reconnect. Thread-safe.
     */
    void deliverOrder(const std::string &device, feed::OrderFrame order);

    /**
     * Cuts \a device off: its connection (if any) is sent error auth_failed with \a message and
     * closed, and nothing more it sends is read. For a device revoked or deleted while
     * connected. Thread-safe.
     */
    void cutOff(const std::string &device, std::string message);

    //! The counters for a status bar. Thread-safe, lock-free.
    GatewayStats stats() const;

    class Impl;

  private:
    std::unique_ptr<Impl> mImpl;
};

/**
 * Raises this process's soft RLIMIT_NOFILE to its hard limit (a gateway or simulator holding
 * tens of thousands of sockets needs one descriptor each) and returns the soft limit now in
 * force; 0 if it cannot be read.
 */
std::uint64_t raiseFileDescriptorLimit();

} // namespace gd::feed
