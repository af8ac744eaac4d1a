#pragma once
// The field gateway running inside the console: one machine runs everything (architecture.md).
// Terminals connect to it as to griddispatch-gateway; what they send is committed to the store
// by its writer, and the console sees it through its StoreWatcher like any other change.
// (No Asio or QGIS in this header: the console's window includes it.)

#include <QString>

#include <cstdint>
#include <memory>

namespace gd::console {

//! What the status bar shows of the feed. Frames answered dup are counted apart from those
//! stored: a terminal whose seq is behind the store's sends frames that are all dropped.
struct FeedHealth
{
  std::uint64_t terminalsOnline = 0;
  double framesPerSecond = 0;      //!< frames received, stored or not
  double storedPerSecond = 0;      //!< frames committed to the store (acked, not dup)
  double duplicatesPerSecond = 0;  //!< frames answered dup (nothing stored)
  double ackLagMs = 0;
  std::uint64_t framesAcked = 0;   //!< since the gateway started, duplicates included
  std::uint64_t framesStored = 0;  //!< since the gateway started
  std::uint64_t duplicates = 0;    //!< since the gateway started
  std::uint64_t rejects = 0;
  bool diskFull = false; //!< the store's disk is full: nothing is acknowledged until space is freed
};

//! Where and how the embedded gateway listens (griddispatch --listen, --tls-cert, --tls-key, --allow-plaintext).
struct EmbeddedGatewayOptions
{
  QString host = QStringLiteral("127.0.0.1");
  std::uint16_t port = 7401;
  QString tlsCertFile; //!< PEM certificate chain; with tlsKeyFile the gateway accepts TLS only
  QString tlsKeyFile;  //!< PEM private key
  //! Plain TCP on an address other than loopback; refused without it (see feed::GatewayConfig).
  bool allowPlaintext = false;
};

class EmbeddedGateway
{
  public:
    /**
     * Starts a gateway as \a options say, committing to the store at \a storePath.
     * Throws std::exception naming the problem (port taken, store missing, bad configuration,
     * a certificate that cannot be used, plain TCP on the network without allowPlaintext).
     */
    EmbeddedGateway(const QString &storePath, const EmbeddedGatewayOptions &options);
    /**
     * Starts a gateway on \a host:\a port committing to the store at \a storePath.
     * Throws std::exception naming the problem (port taken, store missing, bad configuration).
     */
    EmbeddedGateway(const QString &storePath, const QString &host, std::uint16_t port);
    //! Stops the gateway (every connection closed, every acknowledged frame committed).
    ~EmbeddedGateway();

    std::uint16_t port() const;
    //! Where it listens, as given (e.g. "127.0.0.1").
    QString host() const;
    //! True when terminals connect with TLS.
    bool usesTls() const;
    //! Its name in the store's gateway roster (store::GatewayRoster), to tell it from the center's others.
    QString instance() const;
    /**
     * The gateway's counters (atomics) and the rates of stored and duplicate frames over the
     * last second or so (measured between calls at least 0.9 s apart). Call from one thread.
     */
    FeedHealth health() const;

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gd::console
