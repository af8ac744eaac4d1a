#include "core/fieldframe.h"

#include "core/catalog.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <cmath>
#include <limits>

namespace gd::core {

namespace {

using Json = nlohmann::json;

// Deeper nesting than this is never a real frame; refusing it keeps the parser's stack and
// the value's destructor bounded whatever a client sends.
constexpr int kMaxNesting = 32;

constexpr std::array<std::string_view, 17> kCodeNames = {
  "bad_json", "bad_value", "missing_field", "unknown_type", "unknown_category",
  "unknown_case", "forbidden", "bad_transition", "too_long", "frame_too_large",
  "auth_failed", "not_authenticated", "hello_timeout", "proto_unsupported",
  "too_many_errors", "rate_limited", "server_busy"};
constexpr std::array<std::string_view, 6> kSourceNames = {"patrol", "hotline", "police", "video", "citizen", "sensor"};
constexpr std::array<std::string_view, 6> kActionNames = {"accept", "arrive", "note", "resolve", "escalate", "return"};
constexpr std::array<std::string_view, 3> kOrderKindNames = {"assign", "urge", "alert"};

template<typename Enum, std::size_t N>
std::optional<Enum> parseName(const std::array<std::string_view, N> &names, std::string_view name)
{
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name)
      return static_cast<Enum>(i);
  return std::nullopt;
}

template<std::size_t N>
std::string joinNames(const std::array<std::string_view, N> &names)
{
  std::string out;
  for (std::size_t i = 0; i < N; ++i)
  {
    if (i)
      out += i + 1 == N ? " or " : ", ";
    out += '"';
    out += names[i];
    out += '"';
  }
  return out;
}

//! Thrown inside the decoder only; converted to a FrameProblem at its boundary.
struct Problem
{
  FieldCode code;
  std::string message;
};

[[noreturn]] void fail(FieldCode code, std::string message)
{
  throw Problem{code, std::move(message)};
}

//! A short, printable excerpt of a bad value for messages.
std::string excerpt(const Json &value)
{
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40)
  {
    // Cut on a code point boundary so the message stays valid UTF-8.
    std::size_t cut = 37;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

bool nestingWithin(std::string_view text, int limit)
{
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  for (char c : text)
  {
    if (inString)
    {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '{' || c == '[')
    {
      if (++depth > limit)
        return false;
    }
    else if (c == '}' || c == ']')
      --depth;
  }
  return true;
}

class Fields
{
  public:
    Fields(const Json &object, std::string_view type)
      : mObject(object)
      , mType(type)
    {
    }

    const Json *find(const char *name) const
    {
      const auto it = mObject.find(name);
      if (it == mObject.end() || it->is_null())
        return nullptr;
      return &*it;
    }

    const Json &require(const char *name) const
    {
      const Json *value = find(name);
      if (!value)
        fail(FieldCode::MissingField, where(name) + "is required");
      return *value;
    }

    std::string where(const char *name) const
    {
      return std::string(mType) + " field '" + name + "': ";
    }

    std::string string(const char *name, bool required, bool nonEmpty = false) const
    {
      const Json *value = required ? &require(name) : find(name);
      if (!value)
        return {};
      if (!value->is_string())
        fail(FieldCode::BadValue, where(name) + "expected a string, got " + excerpt(*value));
      std::string text = value->get<std::string>();
      if (nonEmpty && text.empty())
        fail(FieldCode::BadValue, where(name) + "expected a non-empty string");
      return text;
    }

    std::string limitedString(const char *name, std::size_t maxChars) const
    {
      std::string text = string(name, false);
      const std::size_t length = utf8Length(text);
      if (length > maxChars)
        fail(FieldCode::TooLong, where(name) + "at most " + std::to_string(maxChars) + " characters allowed, got " + std::to_string(length));
      return text;
    }

    double number(const Json &value, const char *name, double min, double max) const
    {
      if (!value.is_number())
        fail(FieldCode::BadValue, where(name) + "expected a number, got " + excerpt(value));
      const double number = value.get<double>();
      if (!std::isfinite(number) || number < min || number > max)
        fail(FieldCode::BadValue, where(name) + "expected a number from " + trim(min) + " to " + trim(max) + ", got " + excerpt(value));
      return number;
    }

    std::int64_t positiveInteger(const char *name, bool required) const
    {
      const Json *value = required ? &require(name) : find(name);
      if (!value)
        return 0;
      return positiveInteger(*value, name);
    }

    std::int64_t positiveInteger(const Json &value, const char *name) const
    {
      if (value.is_number_unsigned())
      {
        const auto number = value.get<std::uint64_t>();
        if (number >= 1 && number <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          return static_cast<std::int64_t>(number);
      }
      else if (value.is_number_integer())
      {
        const auto number = value.get<std::int64_t>();
        if (number >= 1)
          return number;
      }
      fail(FieldCode::BadValue, where(name) + "expected a positive integer, got " + excerpt(value));
    }

    std::optional<TimePoint> time(const char *name) const
    {
      const Json *value = find(name);
      if (!value)
        return std::nullopt;
      if (value->is_string())
        if (auto parsed = parseRfc3339(value->get_ref<const std::string &>()))
          return parsed;
      fail(FieldCode::BadValue, where(name) + "expected an RFC 3339 time with offset like \"2026-11-21T09:30:00+08:00\", got " + excerpt(*value));
    }

    Crs crs() const
    {
      const std::string name = string("crs", false);
      if (name.empty() && !find("crs"))
        return Crs::Wgs84;
      if (const auto parsed = parseCrs(name))
        return *parsed;
      fail(FieldCode::BadValue, where("crs") + "expected \"WGS84\", \"CGCS2000\", \"GCJ02\" or \"BD09\", got \"" + name + "\"");
    }

    GeoPoint point(bool required) const
    {
      const Json *lat = required ? &require("lat") : find("lat");
      const Json *lon = required ? &require("lon") : find("lon");
      if (!lat && lon)
        fail(FieldCode::MissingField, where("lat") + "is required when 'lon' is given");
      if (lat && !lon)
        fail(FieldCode::MissingField, where("lon") + "is required when 'lat' is given");
      GeoPoint p;
      if (lat)
      {
        p.lat = number(*lat, "lat", -90, 90);
        p.lon = number(*lon, "lon", -180, 180);
      }
      return p;
    }

    bool has(const char *name) const { return find(name) != nullptr; }

  private:
    static std::string trim(double value)
    {
      std::string text = std::to_string(value);
      while (!text.empty() && text.back() == '0')
        text.pop_back();
      if (!text.empty() && text.back() == '.')
        text.pop_back();
      return text;
    }

    const Json &mObject;
    std::string_view mType;
};

HelloFrame decodeHello(const Fields &f)
{
  HelloFrame hello;
  const Json &proto = f.require("proto");
  if (!proto.is_number_integer())
    fail(FieldCode::BadValue, f.where("proto") + "expected the integer 1, got " + excerpt(proto));
  if (proto.get<std::int64_t>() != kFieldProtocolVersion)
    fail(FieldCode::ProtoUnsupported, "hello field 'proto': this gateway speaks protocol version 1, the terminal asked for " + excerpt(proto));
  hello.proto = kFieldProtocolVersion;
  hello.device = f.string("device", true, true);
  hello.token = f.string("token", true);
  return hello;
}

ReportFrame decodeReport(const Fields &f, std::int64_t seq, const FieldFrameContext &context)
{
  ReportFrame report;
  report.seq = seq;
  report.category = f.string("category", true, true);
  if (context.catalog && !context.catalog->find(report.category))
    fail(FieldCode::UnknownCategory, f.where("category") + "\"" + report.category + "\" is not a code of the category catalog");
  report.position = f.point(true);
  report.crs = f.crs();
  report.location = toCgcs2000(report.position, report.crs);
  report.title = f.limitedString("title", kMaxTitleChars);
  report.description = f.limitedString("description", kMaxDescriptionChars);
  report.occurredAt = f.time("occurred_at");
  if (const std::string priority = f.string("priority", false); f.has("priority"))
  {
    const auto parsed = parsePriority(priority);
    if (!parsed)
      fail(FieldCode::BadValue, f.where("priority") + "expected \"normal\", \"urgent\" or \"emergency\", got \"" + priority + "\"");
    report.priority = *parsed;
  }
  if (const std::string source = f.string("source", false); f.has("source"))
  {
    const auto parsed = parseReportSource(source);
    if (!parsed)
      fail(FieldCode::BadValue, f.where("source") + "expected " + joinNames(kSourceNames) + ", got \"" + source + "\"");
    report.source = *parsed;
  }
  report.address = f.string("address", false);
  if (const Json *reporter = f.find("reporter"))
  {
    if (!reporter->is_object())
      fail(FieldCode::BadValue, f.where("reporter") + "expected an object with \"name\" and \"phone\", got " + excerpt(*reporter));
    const Fields r(*reporter, "report.reporter");
    report.reporterName = r.string("name", false);
    report.reporterPhone = r.string("phone", false);
  }
  if (const Json *attachments = f.find("attachments"))
  {
    if (!attachments->is_array())
      fail(FieldCode::BadValue, f.where("attachments") + "expected an array of objects, got " + excerpt(*attachments));
    if (attachments->size() > kMaxAttachments)
      fail(FieldCode::TooLong, f.where("attachments") + "at most " + std::to_string(kMaxAttachments) + " entries allowed, got " + std::to_string(attachments->size()));
    for (std::size_t i = 0; i < attachments->size(); ++i)
    {
      const Json &entry = (*attachments)[i];
      const std::string label = "report.attachments[" + std::to_string(i) + "]";
      if (!entry.is_object())
        fail(FieldCode::BadValue, label + ": expected an object with \"name\", \"sha256\", \"bytes\", got " + excerpt(entry));
      const Fields a(entry, label);
      Attachment attachment;
      attachment.name = a.string("name", true, true);
      attachment.sha256 = a.string("sha256", false);
      if (!attachment.sha256.empty())
      {
        bool hex = attachment.sha256.size() == 64;
        for (char c : attachment.sha256)
          hex = hex && std::isxdigit(static_cast<unsigned char>(c));
        if (!hex)
          fail(FieldCode::BadValue, a.where("sha256") + "expected 64 hexadecimal digits");
      }
      if (const Json *bytes = a.find("bytes"))
      {
        const bool valid = bytes->is_number_unsigned()
                             ? bytes->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                             : bytes->is_number_integer() && bytes->get<std::int64_t>() >= 0;
        if (!valid)
          fail(FieldCode::BadValue, a.where("bytes") + "expected a non-negative integer, got " + excerpt(*bytes));
        attachment.bytes = bytes->get<std::int64_t>();
      }
      report.attachments.push_back(std::move(attachment));
    }
  }
  return report;
}

UpdateFrame decodeUpdate(const Fields &f, std::int64_t seq)
{
  UpdateFrame update;
  update.seq = seq;
  update.caseNumber = f.string("case", true, true);
  const std::string action = f.string("action", true);
  const auto parsed = parseUpdateAction(action);
  if (!parsed)
    fail(FieldCode::BadValue, f.where("action") + "expected " + joinNames(kActionNames) + ", got \"" + action + "\"");
  update.action = *parsed;
  update.note = f.limitedString("note", kMaxDescriptionChars);
  update.at = f.time("at");
  if (f.has("lat") || f.has("lon"))
  {
    update.position = f.point(true);
    update.crs = f.crs();
    update.location = toCgcs2000(*update.position, update.crs);
  }
  else
    update.crs = f.crs();
  return update;
}

PositionFrame decodePosition(const Fields &f, std::int64_t seq)
{
  PositionFrame position;
  position.seq = seq;
  position.position = f.point(true);
  position.crs = f.crs();
  position.location = toCgcs2000(position.position, position.crs);
  if (const Json *accuracy = f.find("accuracy_m"))
    position.accuracyM = f.number(*accuracy, "accuracy_m", 0, 1e7);
  position.at = f.time("at");
  return position;
}

std::string finish(const Json &json)
{
  std::string text = json.dump(-1, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  return text;
}

} // namespace

std::string_view fieldCodeName(FieldCode code)
{
  return kCodeNames.at(static_cast<std::size_t>(code));
}

std::optional<FieldCode> parseFieldCode(std::string_view name)
{
  return parseName<FieldCode>(kCodeNames, name);
}

std::string_view reportSourceName(ReportSource source)
{
  return kSourceNames.at(static_cast<std::size_t>(source));
}

std::optional<ReportSource> parseReportSource(std::string_view name)
{
  return parseName<ReportSource>(kSourceNames, name);
}

std::string_view updateActionName(UpdateAction action)
{
  return kActionNames.at(static_cast<std::size_t>(action));
}

std::optional<UpdateAction> parseUpdateAction(std::string_view name)
{
  return parseName<UpdateAction>(kActionNames, name);
}

std::string_view orderKindName(OrderKind kind)
{
  return kOrderKindNames.at(static_cast<std::size_t>(kind));
}

std::optional<OrderKind> parseOrderKind(std::string_view name)
{
  return parseName<OrderKind>(kOrderKindNames, name);
}

std::int64_t frameSeq(const SequencedFrame &frame)
{
  return std::visit([](const auto &f) { return f.seq; }, frame);
}

std::string_view frameTypeName(const SequencedFrame &frame)
{
  switch (frame.index())
  {
    case 0:
      return "report";
    case 1:
      return "update";
    case 2:
      return "position";
    default:
      return "order_ack";
  }
}

std::size_t utf8Length(std::string_view text)
{
  std::size_t count = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++count;
  return count;
}

DecodedFrame decodeInboundFrame(std::string_view text, const FieldFrameContext &context)
{
  DecodedFrame result;
  try
  {
    if (!nestingWithin(text, kMaxNesting))
      fail(FieldCode::BadJson, "frame nests objects or arrays deeper than " + std::to_string(kMaxNesting) + " levels");
    const Json json = Json::parse(text.begin(), text.end(), nullptr, false);
    if (json.is_discarded())
      fail(FieldCode::BadJson, "frame is not valid UTF-8 JSON");
    if (!json.is_object())
      fail(FieldCode::BadJson, "frame must be a JSON object, got " + std::string(json.type_name()));
    const Fields top(json, "frame");
    const Json *type = top.find("type");
    if (!type)
      fail(FieldCode::MissingField, "frame field 'type': is required (a string such as \"report\")");
    if (!type->is_string())
      fail(FieldCode::BadValue, "frame field 'type': expected a string, got " + excerpt(*type));
    result.type = type->get<std::string>();
    const Fields f(json, result.type);

    if (result.type == "hello")
    {
      result.frame = decodeHello(f);
      return result;
    }
    if (result.type == "ping")
    {
      result.frame = PingFrame{};
      return result;
    }

    const bool known = result.type == "report" || result.type == "update" || result.type == "position" || result.type == "order_ack";
    const std::string unknown = "frame field 'type': unknown type \"" + result.type + "\"; expected \"report\", \"update\", \"position\", \"order_ack\", \"ping\" or \"hello\"";
    // Every other frame carries seq; without a valid one the problem is a connection error.
    const Json *seq = f.find("seq");
    if (!seq)
      fail(known ? FieldCode::BadValue : FieldCode::UnknownType, known ? f.where("seq") + "a positive integer is required" : unknown);
    result.seq = f.positiveInteger(*seq, "seq");

    if (result.type == "report")
      result.frame = decodeReport(f, *result.seq, context);
    else if (result.type == "update")
      result.frame = decodeUpdate(f, *result.seq);
    else if (result.type == "position")
      result.frame = decodePosition(f, *result.seq);
    else if (result.type == "order_ack")
      result.frame = OrderAckFrame{*result.seq, f.positiveInteger("order", true)};
    else
      fail(FieldCode::UnknownType, unknown);
  }
  catch (Problem &problem)
  {
    result.frame.reset();
    result.problem = FrameProblem{problem.code, std::move(problem.message)};
  }
  catch (const nlohmann::json::exception &e)
  {
    // Defensive: every access above is type-checked first, so this is not expected.
    result.frame.reset();
    result.problem = FrameProblem{FieldCode::BadValue, std::string("frame could not be read: ") + e.what()};
  }
  return result;
}

DecodedOutbound decodeOutboundFrame(std::string_view text)
{
  DecodedOutbound result;
  try
  {
    if (!nestingWithin(text, kMaxNesting))
      fail(FieldCode::BadJson, "frame nests too deeply");
    const Json json = Json::parse(text.begin(), text.end(), nullptr, false);
    if (json.is_discarded() || !json.is_object())
      fail(FieldCode::BadJson, "frame is not a JSON object");
    const Fields top(json, "frame");
    const std::string type = top.string("type", true);
    const Fields f(json, type);
    if (type == "welcome")
    {
      WelcomeFrame w;
      w.device = f.string("device", false);
      const Json &last = f.require("last_seq");
      if (!last.is_number_integer() || (!last.is_number_unsigned() && last.get<std::int64_t>() < 0))
        fail(FieldCode::BadValue, f.where("last_seq") + "expected a non-negative integer");
      w.lastSeq = last.get<std::int64_t>();
      if (auto t = f.time("server_time"))
        w.serverTime = *t;
      result.frame = w;
    }
    else if (type == "pong")
      result.frame = PongFrame{};
    else if (type == "ack")
    {
      AckFrame a;
      a.seq = f.positiveInteger("seq", true);
      if (const Json *dup = f.find("dup"))
        a.duplicate = dup->is_boolean() && dup->get<bool>();
      a.caseNumber = f.string("case", false);
      result.frame = a;
    }
    else if (type == "reject" || type == "error")
    {
      const std::string codeName = f.string("code", true);
      const auto code = parseFieldCode(codeName);
      if (!code)
        fail(FieldCode::BadValue, f.where("code") + "unknown code \"" + codeName + "\"");
      if (type == "reject")
        result.frame = RejectFrame{f.positiveInteger("seq", true), *code, f.string("message", false)};
      else
        result.frame = ErrorFrame{*code, f.string("message", false)};
    }
    else if (type == "order")
    {
      OrderFrame o;
      o.order = f.positiveInteger("order", true);
      const std::string kind = f.string("kind", true);
      const auto parsedKind = parseOrderKind(kind);
      if (!parsedKind)
        fail(FieldCode::BadValue, f.where("kind") + "expected \"assign\", \"urge\" or \"alert\"");
      o.kind = *parsedKind;
      o.message = f.string("message", false);
      o.deadline = f.time("deadline");
      if (const Json *summary = f.find("case"); summary && summary->is_object())
      {
        const Fields c(*summary, "order.case");
        o.caseSummary.number = c.string("number", false);
        o.caseSummary.category = c.string("category", false);
        o.caseSummary.title = c.string("title", false);
        o.caseSummary.address = c.string("address", false);
        if (auto p = parsePriority(c.string("priority", false)))
          o.caseSummary.priority = *p;
        if (c.has("lat") && c.has("lon"))
          o.caseSummary.location = c.point(true);
      }
      result.frame = o;
    }
    else
      fail(FieldCode::UnknownType, "unknown gateway frame type \"" + type + "\"");
  }
  catch (Problem &problem)
  {
    result.frame.reset();
    result.problem = FrameProblem{problem.code, std::move(problem.message)};
  }
  catch (const nlohmann::json::exception &e)
  {
    result.frame.reset();
    result.problem = FrameProblem{FieldCode::BadValue, e.what()};
  }
  return result;
}

std::string encodeFrame(const HelloFrame &frame)
{
  return finish(Json{{"type", "hello"}, {"proto", frame.proto}, {"device", frame.device}, {"token", frame.token}});
}

std::string encodeFrame(const PingFrame &)
{
  return "{\"type\":\"ping\"}\n";
}

std::string encodeFrame(const ReportFrame &frame)
{
  Json json{{"type", "report"}, {"seq", frame.seq}, {"category", frame.category},
            {"lat", frame.position.lat}, {"lon", frame.position.lon}, {"crs", crsName(frame.crs)},
            {"priority", priorityName(frame.priority)}, {"source", reportSourceName(frame.source)}};
  if (!frame.title.empty())
    json["title"] = frame.title;
  if (!frame.description.empty())
    json["description"] = frame.description;
  if (frame.occurredAt)
    json["occurred_at"] = formatRfc3339(*frame.occurredAt);
  if (!frame.address.empty())
    json["address"] = frame.address;
  if (!frame.reporterName.empty() || !frame.reporterPhone.empty())
    json["reporter"] = Json{{"name", frame.reporterName}, {"phone", frame.reporterPhone}};
  if (!frame.attachments.empty())
  {
    Json list = Json::array();
    for (const Attachment &a : frame.attachments)
    {
      Json entry{{"name", a.name}};
      if (!a.sha256.empty())
        entry["sha256"] = a.sha256;
      if (a.bytes >= 0)
        entry["bytes"] = a.bytes;
      list.push_back(std::move(entry));
    }
    json["attachments"] = std::move(list);
  }
  return finish(json);
}

std::string encodeFrame(const UpdateFrame &frame)
{
  Json json{{"type", "update"}, {"seq", frame.seq}, {"case", frame.caseNumber}, {"action", updateActionName(frame.action)}};
  if (!frame.note.empty())
    json["note"] = frame.note;
  if (frame.at)
    json["at"] = formatRfc3339(*frame.at);
  if (frame.position)
  {
    json["lat"] = frame.position->lat;
    json["lon"] = frame.position->lon;
    json["crs"] = crsName(frame.crs);
  }
  return finish(json);
}

std::string encodeFrame(const PositionFrame &frame)
{
  Json json{{"type", "position"}, {"seq", frame.seq}, {"lat", frame.position.lat}, {"lon", frame.position.lon}, {"crs", crsName(frame.crs)}};
  if (frame.accuracyM)
    json["accuracy_m"] = *frame.accuracyM;
  if (frame.at)
    json["at"] = formatRfc3339(*frame.at);
  return finish(json);
}

std::string encodeFrame(const OrderAckFrame &frame)
{
  return finish(Json{{"type", "order_ack"}, {"seq", frame.seq}, {"order", frame.order}});
}

std::string encodeFrame(const WelcomeFrame &frame)
{
  return finish(Json{{"type", "welcome"}, {"proto", frame.proto}, {"device", frame.device},
                     {"last_seq", frame.lastSeq}, {"server_time", formatRfc3339(frame.serverTime)}});
}

std::string encodeFrame(const PongFrame &)
{
  return "{\"type\":\"pong\"}\n";
}

std::string encodeFrame(const AckFrame &frame)
{
  Json json{{"type", "ack"}, {"seq", frame.seq}};
  if (frame.duplicate)
    json["dup"] = true;
  if (!frame.caseNumber.empty())
    json["case"] = frame.caseNumber;
  return finish(json);
}

std::string encodeFrame(const RejectFrame &frame)
{
  return finish(Json{{"type", "reject"}, {"seq", frame.seq}, {"code", fieldCodeName(frame.code)}, {"message", frame.message}});
}

std::string encodeFrame(const ErrorFrame &frame)
{
  return finish(Json{{"type", "error"}, {"code", fieldCodeName(frame.code)}, {"message", frame.message}});
}

std::string encodeFrame(const OrderFrame &frame)
{
  Json summary{{"number", frame.caseSummary.number}, {"priority", priorityName(frame.caseSummary.priority)}};
  if (!frame.caseSummary.category.empty())
    summary["category"] = frame.caseSummary.category;
  if (!frame.caseSummary.title.empty())
    summary["title"] = frame.caseSummary.title;
  if (!frame.caseSummary.address.empty())
    summary["address"] = frame.caseSummary.address;
  if (frame.caseSummary.location)
  {
    summary["lat"] = frame.caseSummary.location->lat;
    summary["lon"] = frame.caseSummary.location->lon;
    summary["crs"] = "CGCS2000";
  }
  Json json{{"type", "order"}, {"order", frame.order}, {"kind", orderKindName(frame.kind)}, {"case", std::move(summary)}};
  if (!frame.message.empty())
    json["message"] = frame.message;
  if (frame.deadline)
    json["deadline"] = formatRfc3339(*frame.deadline);
  return finish(json);
}

std::string encodeFrame(const SequencedFrame &frame)
{
  return std::visit([](const auto &f) { return encodeFrame(f); }, frame);
}

std::string encodeFrame(const OutboundFrame &frame)
{
  return std::visit([](const auto &f) { return encodeFrame(f); }, frame);
}

} // namespace gd::core
