#include "feed/fieldframe.h"

#include "core/catalog.h"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <limits>

namespace gd::feed {

using namespace gd::core;

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


// ---- the fast path -------------------------------------------------------------------
//
// Nearly every frame a gateway reads is a small, flat, ASCII object (a position fix, an
// order_ack, a ping, an update without Chinese text). Building an nlohmann DOM for it (a
// std::map node and a std::string per key) was most of the decoder's cost. The fast path scans
// such a frame in place into at most kFastMembers (key, value) views, decodes it with the same
// rules as the general decoder, and gives up — returning false, so the general decoder
// (decodeInboundFrameReference) decides — at anything it does not handle itself: a nested
// value, a string with an escape, a control character or a non-ASCII byte, a duplicate key, a
// number that does not convert exactly, an unknown or missing type, a hello, a report, and
// every invalid value. So it never produces a problem of its own: every error and reject
// message still comes from the one decoder, and a frame it accepts decodes exactly as the
// general decoder would decode it (the libFuzzer target and tests/core check both agree).
namespace fast {

constexpr std::size_t kFastMembers = 16;

struct Value
{
  enum class Kind : std::uint8_t
  {
    String,
    Number,
    Bool,
    Null
  };
  Kind kind = Kind::Null;
  bool integer = false;  //!< Number: no fraction and no exponent
  bool negative = false; //!< Number: starts with '-'
  std::string_view text; //!< String: the characters between the quotes; Number: the token; Bool: "true"/"false"
};

struct Member
{
  std::string_view key;
  Value value;
};

inline bool isSpace(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline bool isDigit(char c)
{
  return c >= '0' && c <= '9';
}

class Scanner
{
  public:
    explicit Scanner(std::string_view text)
      : mP(text.data())
      , mEnd(text.data() + text.size())
    {
    }

    //! Scans a flat object; false when the text is anything else (or anything unusual).
    bool object(Member *members, std::size_t &count)
    {
      count = 0;
      skipSpace();
      if (!take('{'))
        return false;
      skipSpace();
      if (mP < mEnd && *mP == '}')
        return false; // empty object: no type, the general decoder says so
      for (;;)
      {
        if (count == kFastMembers)
          return false;
        Member &m = members[count];
        if (!string(m.key))
          return false;
        skipSpace();
        if (!take(':'))
          return false;
        skipSpace();
        if (!value(m.value))
          return false;
        for (std::size_t i = 0; i < count; ++i)
          if (members[i].key == m.key)
            return false; // the general decoder keeps the last; leave that to it
        ++count;
        skipSpace();
        if (take(','))
        {
          skipSpace();
          continue;
        }
        if (!take('}'))
          return false;
        skipSpace();
        return mP == mEnd;
      }
    }

  private:
    void skipSpace()
    {
      while (mP < mEnd && isSpace(*mP))
        ++mP;
    }

    bool take(char c)
    {
      if (mP < mEnd && *mP == c)
      {
        ++mP;
        return true;
      }
      return false;
    }

    //! A string of printable ASCII without escapes.
    bool string(std::string_view &out)
    {
      if (!take('"'))
        return false;
      const char *start = mP;
      while (mP < mEnd)
      {
        const auto c = static_cast<unsigned char>(*mP);
        if (c == '"')
        {
          out = std::string_view(start, static_cast<std::size_t>(mP - start));
          ++mP;
          return true;
        }
        if (c < 0x20 || c >= 0x80 || c == '\\')
          return false;
        ++mP;
      }
      return false;
    }

    bool literal(std::string_view word)
    {
      if (static_cast<std::size_t>(mEnd - mP) < word.size() || std::string_view(mP, word.size()) != word)
        return false;
      mP += word.size();
      return true;
    }

    bool value(Value &v)
    {
      if (mP == mEnd)
        return false;
      const char c = *mP;
      if (c == '"')
      {
        v.kind = Value::Kind::String;
        return string(v.text);
      }
      if (c == 't' || c == 'f')
      {
        const char *start = mP;
        if (!literal(c == 't' ? "true" : "false"))
          return false;
        v.kind = Value::Kind::Bool;
        v.text = std::string_view(start, static_cast<std::size_t>(mP - start));
        return true;
      }
      if (c == 'n')
      {
        v.kind = Value::Kind::Null;
        return literal("null");
      }
      if (c == '-' || isDigit(c))
        return number(v);
      return false; // an object, an array, or not JSON
    }

    //! A number token exactly as JSON (RFC 8259) spells it.
    bool number(Value &v)
    {
      const char *start = mP;
      v.kind = Value::Kind::Number;
      v.negative = take('-');
      if (mP == mEnd || !isDigit(*mP))
        return false;
      if (*mP == '0')
        ++mP;
      else
        while (mP < mEnd && isDigit(*mP))
          ++mP;
      v.integer = true;
      if (mP < mEnd && *mP == '.')
      {
        ++mP;
        v.integer = false;
        if (mP == mEnd || !isDigit(*mP))
          return false;
        while (mP < mEnd && isDigit(*mP))
          ++mP;
      }
      if (mP < mEnd && (*mP == 'e' || *mP == 'E'))
      {
        ++mP;
        v.integer = false;
        if (mP < mEnd && (*mP == '+' || *mP == '-'))
          ++mP;
        if (mP == mEnd || !isDigit(*mP))
          return false;
        while (mP < mEnd && isDigit(*mP))
          ++mP;
      }
      v.text = std::string_view(start, static_cast<std::size_t>(mP - start));
      return true;
    }

    const char *mP;
    const char *mEnd;
};

class Object
{
  public:
    Object(const Member *members, std::size_t count)
      : mMembers(members)
      , mCount(count)
    {
    }

    //! The member \a name unless absent or null (as the general decoder's Fields::find).
    const Value *find(std::string_view name) const
    {
      for (std::size_t i = 0; i < mCount; ++i)
        if (mMembers[i].key == name)
          return mMembers[i].value.kind == Value::Kind::Null ? nullptr : &mMembers[i].value;
      return nullptr;
    }

  private:
    const Member *mMembers;
    std::size_t mCount;
};

//! A positive integer that fits std::int64_t, written as a plain integer.
bool positiveInteger(const Value *v, std::int64_t &out)
{
  if (!v || v->kind != Value::Kind::Number || !v->integer || v->negative)
    return false;
  std::uint64_t number = 0;
  const auto [end, ec] = std::from_chars(v->text.data(), v->text.data() + v->text.size(), number);
  if (ec != std::errc() || end != v->text.data() + v->text.size() || number < 1 ||
      number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return false;
  out = static_cast<std::int64_t>(number);
  return true;
}

//! A finite number in [min, max] (correctly rounded, as the general decoder reads it).
bool number(const Value &v, double min, double max, double &out)
{
  if (v.kind != Value::Kind::Number)
    return false;
  double number = 0;
  const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), number);
  if (ec != std::errc() || end != v.text.data() + v.text.size() || !std::isfinite(number) || number < min || number > max)
    return false;
  // The general decoder reads "-0" as the integer 0, i.e. +0.0.
  out = v.integer && number == 0 ? 0.0 : number;
  return true;
}

//! "lat" and "lon", both present and in range.
bool point(const Object &o, GeoPoint &out)
{
  const Value *lat = o.find("lat");
  const Value *lon = o.find("lon");
  return lat && lon && number(*lat, -90, 90, out.lat) && number(*lon, -180, 180, out.lon);
}

bool crs(const Object &o, Crs &out)
{
  const Value *v = o.find("crs");
  if (!v)
  {
    out = Crs::Wgs84;
    return true;
  }
  if (v->kind != Value::Kind::String)
    return false;
  const auto parsed = parseCrs(v->text);
  if (!parsed)
    return false;
  out = *parsed;
  return true;
}

bool time(const Object &o, std::string_view name, std::optional<TimePoint> &out)
{
  const Value *v = o.find(name);
  if (!v)
    return true;
  if (v->kind != Value::Kind::String)
    return false;
  out = parseRfc3339(v->text);
  return out.has_value();
}

//! An optional string (absent: empty); ASCII only here, so its length is its size.
bool string(const Object &o, std::string_view name, std::string &out, std::size_t maxChars = std::string::npos)
{
  const Value *v = o.find(name);
  if (!v)
    return true;
  if (v->kind != Value::Kind::String || v->text.size() > maxChars)
    return false;
  out.assign(v->text);
  return true;
}

bool position(const Object &o, std::int64_t seq, PositionFrame &p)
{
  p.seq = seq;
  if (!point(o, p.position) || !crs(o, p.crs))
    return false;
  p.location = toCgcs2000(p.position, p.crs);
  if (const Value *accuracy = o.find("accuracy_m"))
  {
    double value = 0;
    if (!number(*accuracy, 0, 1e7, value))
      return false;
    p.accuracyM = value;
  }
  return time(o, "at", p.at);
}

bool update(const Object &o, std::int64_t seq, UpdateFrame &u)
{
  u.seq = seq;
  const Value *caseNumber = o.find("case");
  const Value *action = o.find("action");
  if (!caseNumber || caseNumber->kind != Value::Kind::String || caseNumber->text.empty() || !action ||
      action->kind != Value::Kind::String)
    return false;
  const auto parsed = parseUpdateAction(action->text);
  if (!parsed)
    return false;
  u.caseNumber.assign(caseNumber->text);
  u.action = *parsed;
  if (!string(o, "note", u.note, kMaxDescriptionChars) || !time(o, "at", u.at))
    return false;
  if (o.find("lat") || o.find("lon"))
  {
    GeoPoint p;
    if (!point(o, p) || !crs(o, u.crs))
      return false;
    u.position = p;
    u.location = toCgcs2000(p, u.crs);
    return true;
  }
  return crs(o, u.crs);
}

//! Scans a flat object into \a members; returns its "type" string, or nullptr when the fast path cannot take it.
const Value *scanTyped(std::string_view text, std::array<Member, kFastMembers> &members, std::size_t &count)
{
  if (!Scanner(text).object(members.data(), count))
    return nullptr;
  const Value *type = Object(members.data(), count).find("type");
  return type && type->kind == Value::Kind::String ? type : nullptr;
}

//! Decodes \a text into \a result when the fast path can; false leaves it to the general decoder.
bool decode(std::string_view text, DecodedFrame &result)
{
  std::array<Member, kFastMembers> members;
  std::size_t count = 0;
  const Value *type = scanTyped(text, members, count);
  if (!type)
    return false;
  const Object o(members.data(), count);
  if (type->text == "ping")
  {
    result.type.assign(type->text);
    result.frame = PingFrame{};
    return true;
  }
  std::int64_t seq = 0;
  if (!positiveInteger(o.find("seq"), seq))
    return false;
  if (type->text == "position")
  {
    PositionFrame frame;
    if (!position(o, seq, frame))
      return false;
    result.frame = std::move(frame);
  }
  else if (type->text == "order_ack")
  {
    std::int64_t order = 0;
    if (!positiveInteger(o.find("order"), order))
      return false;
    result.frame = OrderAckFrame{seq, order};
  }
  else if (type->text == "update")
  {
    UpdateFrame frame;
    if (!update(o, seq, frame))
      return false;
    result.frame = std::move(frame);
  }
  else
    return false; // hello, report, unknown types: the general decoder
  result.type.assign(type->text);
  result.seq = seq;
  return true;
}

//! The gateway's ack (terminal side: a simulator reads one per frame it sends).
bool decodeAck(std::string_view text, DecodedOutbound &result)
{
  std::array<Member, kFastMembers> members;
  std::size_t count = 0;
  const Value *type = scanTyped(text, members, count);
  if (!type || type->text != "ack")
    return false;
  const Object o(members.data(), count);
  AckFrame ack;
  if (!positiveInteger(o.find("seq"), ack.seq))
    return false;
  if (const Value *dup = o.find("dup"))
    ack.duplicate = dup->kind == Value::Kind::Bool && dup->text == "true";
  if (!string(o, "case", ack.caseNumber))
    return false;
  result.frame = std::move(ack);
  return true;
}

} // namespace fast

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

DecodedFrame decodeInboundFrameReference(std::string_view text, const FieldFrameContext &context)
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

DecodedFrame decodeInboundFrame(std::string_view text, const FieldFrameContext &context)
{
  DecodedFrame result;
  if (fast::decode(text, result))
    return result;
  return decodeInboundFrameReference(text, context);
}

DecodedOutbound decodeOutboundFrame(std::string_view text)
{
  DecodedOutbound result;
  if (fast::decodeAck(text, result))
    return result;
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
  // The frame a gateway sends most: written directly, byte for byte what the JSON writer
  // below makes of it (keys in its sorted order), unless the case number needs escaping.
  bool plain = true;
  for (const char c : frame.caseNumber)
    plain = plain && static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x80 && c != '"' && c != '\\';
  if (plain)
  {
    std::string text;
    text.reserve(48 + frame.caseNumber.size());
    if (!frame.caseNumber.empty())
    {
      text += "{\"case\":\"";
      text += frame.caseNumber;
      text += "\",";
    }
    else
      text += '{';
    if (frame.duplicate)
      text += "\"dup\":true,";
    text += "\"seq\":";
    std::array<char, 24> digits;
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), frame.seq).ptr;
    text.append(digits.data(), end);
    text += ",\"type\":\"ack\"}\n";
    return text;
  }
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

} // namespace gd::feed
