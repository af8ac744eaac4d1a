#pragma once
// Frames of the field protocol, version 1 (shared/specs/field-protocol.md, our summary in
// docs/field-protocol.md): value types, content validation and the JSON codec (JSON at the edge:
// the rest of the program sees typed frames). No I/O:
// the framing (LF splitting, size limit) lives in feed::FrameReader.

#include "core/catalog.h"
#include "core/geo.h"
#include "core/timeutil.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gd::feed {

// The domain values a frame carries.
using core::CategoryCatalog;
using core::Crs;
using core::GeoPoint;
using core::Priority;
using core::TimePoint;

//! The protocol version this code speaks.
inline constexpr int kFieldProtocolVersion = 1;
//! Largest frame in bytes, including its terminating LF.
inline constexpr std::size_t kMaxFieldFrameBytes = 65536;
//! Limits of a report's texts, in Unicode code points, and of its attachment list.
inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxDescriptionChars = 4000;
inline constexpr std::size_t kMaxAttachments = 20;

//! Every error and reject code of the protocol.
enum class FieldCode
{
    BadJson,
    BadValue,
    MissingField,
    UnknownType,
    UnknownCategory,
    UnknownCase,
    Forbidden,
    BadTransition,
    TooLong,
    FrameTooLarge,
    AuthFailed,
    NotAuthenticated,
    HelloTimeout,
    ProtoUnsupported,
    TooManyErrors,
    RateLimited,
    ServerBusy
};

//! The wire spelling: "bad_json", "frame_too_large", ...
std::string_view fieldCodeName(FieldCode code);
//! Parses a wire spelling; nullopt when unknown.
std::optional<FieldCode> parseFieldCode(std::string_view name);

//! Where a report comes from.
enum class ReportSource
{
    Patrol,
    Hotline,
    Police,
    Video,
    Citizen,
    Sensor
};
std::string_view reportSourceName(ReportSource source); //!< "patrol", "hotline", ...
std::optional<ReportSource> parseReportSource(std::string_view name);

//! Progress a terminal reports on a case assigned to its worker.
enum class UpdateAction
{
    Accept,   //!< the worker takes the case (workflow StartHandling)
    Arrive,   //!< on site (Arrive)
    Note,     //!< free text (Note)
    Resolve,  //!< done (Feedback)
    Escalate, //!< cannot be solved at this level (Escalate)
    Return    //!< not ours (Return)
};
std::string_view updateActionName(UpdateAction action); //!< "accept", "arrive", ...
std::optional<UpdateAction> parseUpdateAction(std::string_view name);

//! Kinds of orders the center pushes to a terminal.
enum class OrderKind
{
    Assign, //!< a case handed to this terminal's worker
    Urge,   //!< 督办/催办 reminder on an assigned case
    Alert   //!< emergency broadcast to terminals near an incident
};
std::string_view orderKindName(OrderKind kind); //!< "assign", "urge", "alert"
std::optional<OrderKind> parseOrderKind(std::string_view name);

// ---- terminal -> gateway -------------------------------------------------------------

//! First frame of every connection.
struct HelloFrame
{
    int proto = kFieldProtocolVersion;
    std::string device;
    std::string token;
};

//! Heartbeat; answered with PongFrame.
struct PingFrame
{
};

struct Attachment
{
    std::string name;
    std::string sha256; //!< 64 lowercase or uppercase hex digits, may be empty
    std::int64_t bytes = -1; //!< -1 when not given
};

//! A new case from the field.
struct ReportFrame
{
    std::int64_t seq = 0;
    std::string category;
    GeoPoint position;            //!< as sent, in \a crs
    Crs crs = Crs::Wgs84;
    GeoPoint location;            //!< \a position converted to CGCS2000 (the store's CRS)
    std::string title;
    std::string description;
    std::optional<TimePoint> occurredAt;
    Priority priority = Priority::Normal;
    ReportSource source = ReportSource::Patrol;
    std::string address;
    std::string reporterName;
    std::string reporterPhone;
    std::vector<Attachment> attachments;
};

//! Progress on a case assigned to this terminal's worker.
struct UpdateFrame
{
    std::int64_t seq = 0;
    std::string caseNumber;
    UpdateAction action = UpdateAction::Note;
    std::string note;
    std::optional<TimePoint> at;
    std::optional<GeoPoint> position; //!< as sent, in \a crs
    Crs crs = Crs::Wgs84;
    std::optional<GeoPoint> location; //!< CGCS2000
};

//! A location fix of the terminal.
struct PositionFrame
{
    std::int64_t seq = 0;
    GeoPoint position; //!< as sent
    Crs crs = Crs::Wgs84;
    GeoPoint location; //!< CGCS2000
    std::optional<double> accuracyM;
    std::optional<TimePoint> at;
};

//! The terminal received order \a order.
struct OrderAckFrame
{
    std::int64_t seq = 0;
    std::int64_t order = 0;
};

//! A frame a terminal may send.
using InboundFrame = std::variant<HelloFrame, PingFrame, ReportFrame, UpdateFrame, PositionFrame, OrderAckFrame>;
//! The frames that carry a seq and need an ack.
using SequencedFrame = std::variant<ReportFrame, UpdateFrame, PositionFrame, OrderAckFrame>;

//! The seq of a sequenced frame.
std::int64_t frameSeq(const SequencedFrame &frame);
//! The wire type name of a frame: "report", "update", ...
std::string_view frameTypeName(const SequencedFrame &frame);

// ---- gateway -> terminal -------------------------------------------------------------

struct WelcomeFrame
{
    int proto = kFieldProtocolVersion;
    std::string device;
    std::int64_t lastSeq = 0;
    TimePoint serverTime{};
};

struct PongFrame
{
};

//! The frame is durably stored (or was already: \a duplicate).
struct AckFrame
{
    std::int64_t seq = 0;
    bool duplicate = false;
    std::string caseNumber; //!< for an accepted report: the number the center assigned
};

//! Final refusal of a sequenced frame; the terminal must not resend it.
struct RejectFrame
{
    std::int64_t seq = 0;
    FieldCode code = FieldCode::BadValue;
    std::string message;
};

//! A connection-level problem (no seq).
struct ErrorFrame
{
    FieldCode code = FieldCode::BadJson;
    std::string message;
};

//! What a terminal needs to know about a case in an order.
struct CaseSummary
{
    std::string number;
    std::string category;
    std::string title;
    std::string address;
    Priority priority = Priority::Normal;
    std::optional<GeoPoint> location; //!< CGCS2000
};

//! Gateway -> terminal: delivered at least once, until order_ack.
struct OrderFrame
{
    std::int64_t order = 0;
    OrderKind kind = OrderKind::Assign;
    CaseSummary caseSummary;
    std::string message;
    std::optional<TimePoint> deadline;
};

using OutboundFrame = std::variant<WelcomeFrame, PongFrame, AckFrame, RejectFrame, ErrorFrame, OrderFrame>;

// ---- decoding ------------------------------------------------------------------------

//! Why a frame cannot be used: a protocol code and a message naming the field.
struct FrameProblem
{
    FieldCode code = FieldCode::BadJson;
    std::string message;
};

//! What the content validation needs to know.
struct FieldFrameContext
{
    //! Known categories; nullptr accepts any non-empty code (terminal-side tools, fuzzing).
    const CategoryCatalog *catalog = nullptr;
};

/**
 * The outcome of decoding one frame (without its LF).
 * Exactly one of \a frame and \a problem is set. \a seq is set whenever the frame carried a
 * valid seq, even if its content is invalid: then the problem is answered with a `reject`
 * (final, connection stays open); without a seq it is a connection `error`.
 */
struct DecodedFrame
{
    std::optional<InboundFrame> frame;
    std::optional<FrameProblem> problem;
    std::optional<std::int64_t> seq;
    std::string type; //!< the frame's "type" when it was a string, else empty

    //! True when the problem should be answered with a `reject` for \a seq.
    bool isReject() const { return problem.has_value() && seq.has_value(); }
};

/**
 * Decodes and validates one terminal frame (UTF-8 JSON, without the LF).
 * Never throws on bad input; every problem comes back as a FieldCode and a message.
 */
DecodedFrame decodeInboundFrame(std::string_view text, const FieldFrameContext &context);

/**
 * The general decoder behind decodeInboundFrame(): builds a JSON document of the whole frame
 * and validates it field by field. decodeInboundFrame() takes a fast path first for the flat
 * ASCII frames that make most of the traffic (positions, order_acks, pings, plain updates) and
 * leaves everything else — and every frame with a problem — to this one, so both always agree;
 * exposed for the tests and the fuzz target that check so.
 */
DecodedFrame decodeInboundFrameReference(std::string_view text, const FieldFrameContext &context);

//! The outcome of decoding a gateway frame (terminal side).
struct DecodedOutbound
{
    std::optional<OutboundFrame> frame;
    std::optional<FrameProblem> problem;
};

//! Decodes a frame the gateway sends (for terminals and test clients). Never throws.
DecodedOutbound decodeOutboundFrame(std::string_view text);

// ---- encoding (each result ends with LF) ---------------------------------------------

std::string encodeFrame(const HelloFrame &frame);
std::string encodeFrame(const PingFrame &frame);
std::string encodeFrame(const ReportFrame &frame);
std::string encodeFrame(const UpdateFrame &frame);
std::string encodeFrame(const PositionFrame &frame);
std::string encodeFrame(const OrderAckFrame &frame);
std::string encodeFrame(const WelcomeFrame &frame);
std::string encodeFrame(const PongFrame &frame);
std::string encodeFrame(const AckFrame &frame);
std::string encodeFrame(const RejectFrame &frame);
std::string encodeFrame(const ErrorFrame &frame);
std::string encodeFrame(const OrderFrame &frame);
std::string encodeFrame(const SequencedFrame &frame);
std::string encodeFrame(const OutboundFrame &frame);

//! Number of Unicode code points in valid UTF-8 \a text.
std::size_t utf8Length(std::string_view text);

} // namespace gd::feed
