#pragma once
// The gateway's window on the rest of the system: who may connect, where validated frames
// go, and which orders wait for a terminal. The store implements it (the lead plugs it in);
// tests use an in-memory one. gd_feed never depends on gd_store.

#include "feed/fieldframe.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gd::feed {

//! The answer to a hello.
struct AuthResult
{
  bool accepted = false;
  //! Highest seq of this device durably stored (0 for none); sent as welcome.last_seq.
  std::int64_t lastSeq = 0;
  //! Shown to the terminal in the auth_failed error when refused. Say "unknown device or wrong
  //! token" rather than which of the two, so the answer does not help guessing.
  std::string message;

  //! Not refused: the store could not check the device just now (a database outage). Answered
  //! server_busy at once, not counted as a failed login nor slowed down (a center's terminals
  //! all say hello again when it comes back, often from one carrier's address).
  bool storeUnavailable = false;

  static AuthResult accept(std::int64_t lastSeq) { return {true, lastSeq, {}, false}; }
  static AuthResult refuse(std::string message) { return {false, 0, std::move(message), false}; }
  static AuthResult busy(std::string message) { return {false, 0, std::move(message), true}; }
};

//! What became of one submitted frame.
struct FrameOutcome
{
  enum class Kind
  {
    Accepted,  //!< durably committed; answered with ack (and the case number of a report)
    Duplicate, //!< seq <= the device's stored last_seq: not applied again; ack with dup:true
    Rejected   //!< final refusal (unknown_case, forbidden, bad_transition, ...): reject
  };
  Kind kind = Kind::Accepted;
  std::string caseNumber;                         //!< Accepted report: the assigned case number
  feed::FieldCode code = feed::FieldCode::BadValue; //!< Rejected only
  std::string message;                            //!< Rejected only: which field, what was expected

  static FrameOutcome accepted(std::string caseNumber = {}) { return {Kind::Accepted, std::move(caseNumber), feed::FieldCode::BadValue, {}}; }
  static FrameOutcome duplicate() { return {Kind::Duplicate, {}, feed::FieldCode::BadValue, {}}; }
  static FrameOutcome rejected(feed::FieldCode code, std::string message) { return {Kind::Rejected, {}, code, std::move(message)}; }
};

//! Validated frames of one device, in increasing seq order, received together.
struct FrameBatch
{
  std::string device;
  core::TimePoint receivedAt{}; //!< gateway clock when the bytes arrived (for frames without "at")
  std::vector<feed::SequencedFrame> frames;
};

/**
 * Where the gateway sends what terminals say.
 *
 * Threading contract:
 * - Every method is called on the gateway's I/O thread and must return quickly: hand the work
 *   to another thread (the store's writer) and answer through the callback.
 * - Each callback must be invoked exactly once, from any thread (also synchronously inside the
 *   call). The gateway posts the answer back to its I/O thread itself.
 * - Gateway::stop() waits until every callback handed out has been invoked (or destroyed), so
 *   the sink must keep answering until the gateway has stopped.
 * - submit() calls for one device arrive in seq order and must be committed in that order.
 * - A sink that could not commit a batch at all (the store failed) answers with an EMPTY
 *   outcome list: the gateway then sends error server_busy and closes the connection, and
 *   the terminal resends after reconnecting. Rejected is only for final refusals.
 */
class FrameSink
{
  public:
    using AuthCallback = std::function<void(AuthResult)>;
    using SubmitCallback = std::function<void(std::vector<FrameOutcome>)>;
    using OrdersCallback = std::function<void(std::vector<feed::OrderFrame>)>;

    virtual ~FrameSink() = default;

    //! Checks the device id and token of \a hello (unknown, revoked, wrong token: refuse).
    virtual void authenticate(const feed::HelloFrame &hello, AuthCallback done) = 0;

    /**
     * Applies \a batch durably and answers one outcome per frame, in the batch's order.
     * A frame is Accepted only once its effect survives a crash and a power cut.
     * An order_ack frame marks its order delivered (it is no longer in pendingOrders()).
     */
    virtual void submit(FrameBatch batch, SubmitCallback done) = 0;

    //! Orders for \a device not yet acknowledged by an order_ack, oldest first.
    virtual void pendingOrders(const std::string &device, OrdersCallback done) = 0;

    //! Why a device let in must go (see watchRevocations()).
    enum class DeviceGone
    {
      Revoked,           //!< revoked or deleted: its connection is cut off with auth_failed
      ConnectedElsewhere //!< let in since by another gateway of the store: its connection here is closed
    };
    using RevokedCallback = std::function<void(const std::string &device, DeviceGone why)>;
    /**
     * Where the sink reports a device let in that has since been revoked or deleted, or that
     * has connected through another gateway on the same store (one connection per device
     * across gateways): the gateway registers it in Gateway::start() and clears it (an empty
     * function) in Gateway::stop(). The sink may call it from any thread, never after it was
     * cleared (clearing waits for a call in progress). A call must come before the answer to a
     * later hello of the same device on this gateway, so that it closes the older connection,
     * never the newer. Default: not watched.
     */
    virtual void watchRevocations(RevokedCallback revoked) { (void)revoked; }

    //! Told when a device comes online (after welcome) and goes offline. Default: nothing.
    virtual void presenceChanged(const std::string &device, bool online)
    {
      (void)device;
      (void)online;
    }
};

} // namespace gd::feed
