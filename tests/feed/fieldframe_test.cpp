// The field-frame codec: decoding, content validation (codes and messages), encoding.
#include "feed/fieldframe.h"

#include "core/catalog.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <vector>

using namespace gd::core;
using namespace gd::feed;

namespace {

const CategoryCatalog &fieldFrameCatalog()
{
  static const CategoryCatalog instance = [] {
    const std::string path = std::string(GD_SOURCE_DIR) + "/resources/config/catalog.conf";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return CategoryCatalog::parse(text.str(), path);
  }();
  return instance;
}

DecodedFrame decode(std::string_view text)
{
  FieldFrameContext context;
  context.catalog = &fieldFrameCatalog();
  return decodeInboundFrame(text, context);
}

//! Expects a problem with \a code whose message mentions \a field.
void expectProblem(std::string_view text, FieldCode code, const std::string &field, bool withSeq)
{
  const DecodedFrame d = decode(text);
  ASSERT_TRUE(d.problem.has_value()) << text;
  EXPECT_FALSE(d.frame.has_value());
  EXPECT_EQ(fieldCodeName(d.problem->code), fieldCodeName(code)) << text << " -> " << d.problem->message;
  EXPECT_NE(d.problem->message.find(field), std::string::npos) << d.problem->message;
  EXPECT_EQ(d.isReject(), withSeq) << text;
}

const char *kSpecReport =
  R"({"type":"report","seq":17,"category":"0301","lat":39.7432,"lon":98.5121,)"
  R"("crs":"WGS84","title":"楼道堆放杂物堵塞消防通道","description":"…",)"
  R"("occurred_at":"2026-11-21T09:12:00+08:00","priority":"normal","source":"patrol",)"
  R"("address":"…","reporter":{"name":"…","phone":"…"},)"
  R"("attachments":[{"name":"a.jpg","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","bytes":123456}]})";

} // namespace

TEST(FieldFrame, CodeNamesRoundTrip)
{
  for (int i = 0; i <= static_cast<int>(FieldCode::ServerBusy); ++i)
  {
    const auto code = static_cast<FieldCode>(i);
    EXPECT_EQ(parseFieldCode(fieldCodeName(code)), code);
  }
  EXPECT_EQ(fieldCodeName(FieldCode::FrameTooLarge), "frame_too_large");
  EXPECT_FALSE(parseFieldCode("nope").has_value());
}

TEST(FieldFrame, DecodesTheSpecReport)
{
  const DecodedFrame d = decode(kSpecReport);
  ASSERT_FALSE(d.problem.has_value()) << d.problem->message;
  ASSERT_TRUE(d.frame.has_value());
  EXPECT_EQ(d.type, "report");
  EXPECT_EQ(d.seq, 17);
  const auto &r = std::get<ReportFrame>(*d.frame);
  EXPECT_EQ(r.seq, 17);
  EXPECT_EQ(r.category, "0301");
  EXPECT_DOUBLE_EQ(r.position.lat, 39.7432);
  EXPECT_DOUBLE_EQ(r.position.lon, 98.5121);
  EXPECT_EQ(r.crs, Crs::Wgs84);
  EXPECT_EQ(r.title, "楼道堆放杂物堵塞消防通道");
  ASSERT_TRUE(r.occurredAt.has_value());
  EXPECT_EQ(formatRfc3339(*r.occurredAt), "2026-11-21T09:12:00+08:00");
  EXPECT_EQ(r.priority, Priority::Normal);
  EXPECT_EQ(r.source, ReportSource::Patrol);
  EXPECT_EQ(r.reporterName, "…");
  ASSERT_EQ(r.attachments.size(), 1u);
  EXPECT_EQ(r.attachments[0].bytes, 123456);
}

TEST(FieldFrame, ReportDefaultsAndUnknownFields)
{
  const DecodedFrame d = decode(R"({"type":"report","seq":1,"category":"0101","lat":30,"lon":120,"future_field":{"x":[1,2]}})");
  ASSERT_TRUE(d.frame.has_value()) << d.problem->message;
  const auto &r = std::get<ReportFrame>(*d.frame);
  EXPECT_EQ(r.crs, Crs::Wgs84);
  EXPECT_EQ(r.priority, Priority::Normal);
  EXPECT_EQ(r.source, ReportSource::Patrol);
  EXPECT_FALSE(r.occurredAt.has_value());
}

TEST(FieldFrame, ConvertsEveryCrsToCgcs2000)
{
  for (const char *crs : {"WGS84", "CGCS2000", "GCJ02", "BD09"})
  {
    const std::string text = std::string(R"({"type":"position","seq":3,"lat":39.9,"lon":116.4,"crs":")") + crs + "\"}";
    const DecodedFrame d = decode(text);
    ASSERT_TRUE(d.frame.has_value()) << crs;
    const auto &p = std::get<PositionFrame>(*d.frame);
    EXPECT_EQ(crsName(p.crs), crs);
    const GeoPoint expected = toCgcs2000(GeoPoint{116.4, 39.9}, p.crs);
    EXPECT_DOUBLE_EQ(p.location.lon, expected.lon);
    EXPECT_DOUBLE_EQ(p.location.lat, expected.lat);
  }
}

TEST(FieldFrame, HelloPingUpdatePositionOrderAck)
{
  DecodedFrame d = decode(R"({"type":"hello","proto":1,"device":"d1","token":"t"})");
  ASSERT_TRUE(d.frame.has_value());
  EXPECT_EQ(std::get<HelloFrame>(*d.frame).device, "d1");
  EXPECT_FALSE(d.seq.has_value());

  d = decode(R"({"type":"ping"})");
  ASSERT_TRUE(d.frame.has_value());
  EXPECT_TRUE(std::holds_alternative<PingFrame>(*d.frame));

  d = decode(R"({"type":"update","seq":18,"case":"C1","action":"resolve","note":"done","at":"2026-11-21T10:00:00Z","lat":39.74,"lon":98.51})");
  ASSERT_TRUE(d.frame.has_value()) << d.problem->message;
  const auto &u = std::get<UpdateFrame>(*d.frame);
  EXPECT_EQ(u.action, UpdateAction::Resolve);
  EXPECT_TRUE(u.location.has_value());
  EXPECT_EQ(u.note, "done");

  d = decode(R"({"type":"position","seq":19,"lat":39.74,"lon":98.51,"accuracy_m":8,"at":"2026-11-21T10:00:00+08:00"})");
  ASSERT_TRUE(d.frame.has_value());
  EXPECT_EQ(std::get<PositionFrame>(*d.frame).accuracyM, 8.0);

  d = decode(R"({"type":"order_ack","seq":20,"order":7})");
  ASSERT_TRUE(d.frame.has_value());
  EXPECT_EQ(std::get<OrderAckFrame>(*d.frame).order, 7);
}

TEST(FieldFrame, ConnectionErrorsHaveNoSeq)
{
  expectProblem("", FieldCode::BadJson, "JSON", false);
  expectProblem("{\"type\":", FieldCode::BadJson, "JSON", false);
  expectProblem("\"report\"", FieldCode::BadJson, "object", false);
  expectProblem("{\"type\":\"report\",\"title\":\"\xff\xfe\"}", FieldCode::BadJson, "UTF-8", false);
  expectProblem(std::string(100, '[') + std::string(100, ']'), FieldCode::BadJson, "deeper", false);
  expectProblem(R"({"seq":1})", FieldCode::MissingField, "type", false);
  expectProblem(R"({"type":null,"seq":1})", FieldCode::MissingField, "type", false);
  expectProblem(R"({"type":["report"],"seq":1})", FieldCode::BadValue, "type", false);
  expectProblem(R"({"type":"report","category":"0301","lat":1,"lon":1})", FieldCode::BadValue, "seq", false);
  expectProblem(R"({"type":"report","seq":0})", FieldCode::BadValue, "seq", false);
  expectProblem(R"({"type":"report","seq":-4})", FieldCode::BadValue, "seq", false);
  expectProblem(R"({"type":"report","seq":2.0})", FieldCode::BadValue, "seq", false);
  expectProblem(R"({"type":"report","seq":"2"})", FieldCode::BadValue, "seq", false);
  expectProblem(R"({"type":"report","seq":99999999999999999999})", FieldCode::BadValue, "seq", false);
  expectProblem(R"({"type":"hello","proto":2,"device":"d","token":"t"})", FieldCode::ProtoUnsupported, "proto", false);
  expectProblem(R"({"type":"hello","proto":"1","device":"d","token":"t"})", FieldCode::BadValue, "proto", false);
  expectProblem(R"({"type":"hello","proto":1,"token":"t"})", FieldCode::MissingField, "device", false);
  expectProblem(R"({"type":"hello","proto":1,"device":"","token":"t"})", FieldCode::BadValue, "device", false);
  expectProblem(R"({"type":"unheard_of"})", FieldCode::UnknownType, "unheard_of", false);
}

TEST(FieldFrame, ContentProblemsAreRejectsWithSeq)
{
  expectProblem(R"({"type":"report","seq":5,"lat":1,"lon":1})", FieldCode::MissingField, "category", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lon":1})", FieldCode::MissingField, "lat", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1})", FieldCode::MissingField, "lon", true);
  expectProblem(R"({"type":"report","seq":5,"category":"9999","lat":1,"lon":1})", FieldCode::UnknownCategory, "9999", true);
  expectProblem(R"({"type":"report","seq":5,"category":3,"lat":1,"lon":1})", FieldCode::BadValue, "category", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":90.0001,"lon":1})", FieldCode::BadValue, "lat", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":-180.5})", FieldCode::BadValue, "lon", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":true,"lon":1})", FieldCode::BadValue, "lat", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"crs":"MARS"})", FieldCode::BadValue, "crs", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"priority":"high"})", FieldCode::BadValue, "priority", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"source":"tv"})", FieldCode::BadValue, "source", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"occurred_at":"2026-11-21T09:12:00"})", FieldCode::BadValue, "occurred_at", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"reporter":"Zhang"})", FieldCode::BadValue, "reporter", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"attachments":{}})", FieldCode::BadValue, "attachments", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"attachments":[{"name":"a","sha256":"xyz"}]})", FieldCode::BadValue, "sha256", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"attachments":[{"name":"a","bytes":-1}]})", FieldCode::BadValue, "bytes", true);
  expectProblem(R"({"type":"report","seq":5,"category":"0301","lat":1,"lon":1,"attachments":[{"bytes":1}]})", FieldCode::MissingField, "name", true);
  expectProblem(R"({"type":"update","seq":5,"action":"arrive"})", FieldCode::MissingField, "case", true);
  expectProblem(R"({"type":"update","seq":5,"case":"C","action":"finish"})", FieldCode::BadValue, "action", true);
  expectProblem(R"({"type":"update","seq":5,"case":"C","action":"arrive","lat":3})", FieldCode::MissingField, "lon", true);
  expectProblem(R"({"type":"position","seq":5,"lat":1,"lon":1,"accuracy_m":-2})", FieldCode::BadValue, "accuracy_m", true);
  expectProblem(R"({"type":"position","seq":5,"lat":1,"lon":1,"at":1700000000})", FieldCode::BadValue, "at", true);
  expectProblem(R"({"type":"order_ack","seq":5})", FieldCode::MissingField, "order", true);
  expectProblem(R"({"type":"order_ack","seq":5,"order":"7"})", FieldCode::BadValue, "order", true);
  expectProblem(R"({"type":"teleport","seq":5})", FieldCode::UnknownType, "teleport", true);
}

TEST(FieldFrame, LimitsCountCodePointsNotBytes)
{
  std::string title200;
  for (int i = 0; i < 200; ++i)
    title200 += "堵"; // 3 bytes each: 600 bytes, 200 characters
  const std::string base = R"({"type":"report","seq":1,"category":"0301","lat":1,"lon":1,)";
  EXPECT_TRUE(decode(base + "\"title\":\"" + title200 + "\"}").frame.has_value());
  expectProblem(base + "\"title\":\"" + title200 + "x\"}", FieldCode::TooLong, "title", true);
  EXPECT_TRUE(decode(base + "\"description\":\"" + std::string(4000, 'd') + "\"}").frame.has_value());
  expectProblem(base + "\"description\":\"" + std::string(4001, 'd') + "\"}", FieldCode::TooLong, "4000", true);
  std::string list = "[";
  for (int i = 0; i < 21; ++i)
    list += std::string(i ? "," : "") + R"({"name":"p.jpg"})";
  expectProblem(base + "\"attachments\":" + list + "]}", FieldCode::TooLong, "attachments", true);
  list = "[";
  for (int i = 0; i < 20; ++i)
    list += std::string(i ? "," : "") + R"({"name":"p.jpg"})";
  EXPECT_TRUE(decode(base + "\"attachments\":" + list + "]}").frame.has_value());
  EXPECT_EQ(utf8Length("楼道a"), 3u);
}

TEST(FieldFrame, WithoutCatalogAnyCategoryIsAccepted)
{
  const DecodedFrame d = decodeInboundFrame(R"({"type":"report","seq":1,"category":"9999","lat":1,"lon":1})", FieldFrameContext{});
  EXPECT_TRUE(d.frame.has_value());
}

TEST(FieldFrame, EncodedFramesDecodeBack)
{
  ReportFrame report;
  report.seq = 3;
  report.category = "0402";
  report.position = {98.5, 39.7};
  report.crs = Crs::Gcj02;
  report.title = "垃圾满溢";
  report.priority = Priority::Urgent;
  report.source = ReportSource::Video;
  report.occurredAt = beijingTime(2026, 11, 21, 9, 30);
  report.attachments.push_back({"a.jpg", "", 12});
  const std::string text = encodeFrame(report);
  ASSERT_EQ(text.back(), '\n');
  const DecodedFrame d = decode(std::string_view(text).substr(0, text.size() - 1));
  ASSERT_TRUE(d.frame.has_value()) << d.problem->message;
  const auto &back = std::get<ReportFrame>(*d.frame);
  EXPECT_EQ(back.title, report.title);
  EXPECT_EQ(back.crs, Crs::Gcj02);
  EXPECT_EQ(back.priority, Priority::Urgent);
  EXPECT_EQ(back.source, ReportSource::Video);
  EXPECT_EQ(back.occurredAt, report.occurredAt);
  EXPECT_EQ(back.attachments.at(0).bytes, 12);

  OrderFrame order;
  order.order = 9;
  order.kind = OrderKind::Urge;
  order.caseSummary.number = "C-1";
  order.caseSummary.location = GeoPoint{98.5, 39.7};
  order.message = "督办";
  order.deadline = beijingTime(2026, 11, 22, 17);
  const DecodedOutbound o = decodeOutboundFrame(encodeFrame(order));
  ASSERT_TRUE(o.frame.has_value()) << o.problem->message;
  const auto &back2 = std::get<OrderFrame>(*o.frame);
  EXPECT_EQ(back2.order, 9);
  EXPECT_EQ(back2.kind, OrderKind::Urge);
  EXPECT_EQ(back2.caseSummary.number, "C-1");
  EXPECT_EQ(back2.deadline, order.deadline);
  EXPECT_EQ(back2.message, "督办");
}

TEST(FieldFrame, OutboundFramesMatchTheSpec)
{
  EXPECT_EQ(encodeFrame(AckFrame{17, false, "C-1"}), "{\"case\":\"C-1\",\"seq\":17,\"type\":\"ack\"}\n");
  EXPECT_EQ(encodeFrame(AckFrame{17, true, {}}), "{\"dup\":true,\"seq\":17,\"type\":\"ack\"}\n");
  EXPECT_EQ(encodeFrame(PongFrame{}), "{\"type\":\"pong\"}\n");
  const DecodedOutbound reject = decodeOutboundFrame(encodeFrame(RejectFrame{4, FieldCode::TooLong, "title: at most 200"}));
  ASSERT_TRUE(reject.frame.has_value());
  EXPECT_EQ(std::get<RejectFrame>(*reject.frame).code, FieldCode::TooLong);
  WelcomeFrame welcome;
  welcome.device = "d";
  welcome.lastSeq = 12;
  welcome.serverTime = beijingTime(2026, 11, 21, 9, 30);
  const std::string text = encodeFrame(welcome);
  EXPECT_NE(text.find("\"server_time\":\"2026-11-21T09:30:00+08:00\""), std::string::npos) << text;
  const DecodedOutbound back = decodeOutboundFrame(text);
  ASSERT_TRUE(back.frame.has_value());
  EXPECT_EQ(std::get<WelcomeFrame>(*back.frame).lastSeq, 12);
}

TEST(FieldFrame, MessagesStayValidUtf8WhenExcerpted)
{
  // A long Chinese bad value is cut in a message without splitting a character.
  std::string value;
  for (int i = 0; i < 60; ++i)
    value += "错";
  const DecodedFrame d = decode(R"({"type":"report","seq":1,"category":"0301","lat":")" + value + R"(","lon":1})");
  ASSERT_TRUE(d.problem.has_value());
  const std::string encoded = encodeFrame(RejectFrame{1, d.problem->code, d.problem->message});
  EXPECT_EQ(encoded.find("\\ufffd"), std::string::npos);
  EXPECT_EQ(encoded.find("\xef\xbf\xbd"), std::string::npos) << encoded;
}

// ---- the fast path agrees with the general decoder ----------------------------------------

namespace {

std::string exact(double value)
{
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string describeTime(const std::optional<TimePoint> &t)
{
  return t ? std::to_string(t->time_since_epoch().count()) : "-";
}

//! Everything a decoding says, field by field, so two decodings can be compared as text.
std::string describe(const DecodedFrame &d)
{
  std::string out = "type=" + d.type + " seq=" + (d.seq ? std::to_string(*d.seq) : "-");
  if (d.problem)
    out += " problem=" + std::string(fieldCodeName(d.problem->code)) + ":" + d.problem->message;
  if (!d.frame)
    return out;
  out += " frame#" + std::to_string(d.frame->index()) + " ";
  if (const auto *p = std::get_if<PositionFrame>(&*d.frame))
    out += std::to_string(p->seq) + " " + exact(p->position.lat) + " " + exact(p->position.lon) + " " +
           std::string(crsName(p->crs)) + " " + exact(p->location.lat) + " " + exact(p->location.lon) + " " +
           (p->accuracyM ? exact(*p->accuracyM) : "-") + " " + describeTime(p->at);
  else if (const auto *u = std::get_if<UpdateFrame>(&*d.frame))
    out += std::to_string(u->seq) + " " + u->caseNumber + " " + std::string(updateActionName(u->action)) + " " + u->note +
           " " + describeTime(u->at) + " " + std::string(crsName(u->crs)) + " " +
           (u->position ? exact(u->position->lat) + "," + exact(u->position->lon) : "-") + " " +
           (u->location ? exact(u->location->lat) + "," + exact(u->location->lon) : "-");
  else if (const auto *a = std::get_if<OrderAckFrame>(&*d.frame))
    out += std::to_string(a->seq) + " " + std::to_string(a->order);
  else
    out += std::visit([](const auto &f) -> std::string {
      using T = std::decay_t<decltype(f)>;
      if constexpr (std::is_same_v<T, HelloFrame> || std::is_same_v<T, PingFrame> || std::is_same_v<T, ReportFrame>)
        return encodeFrame(f);
      else
        return {};
    }, *d.frame);
  return out;
}

} // namespace

TEST(FieldFrame, FastPathDecodesExactlyAsTheGeneralDecoder)
{
  FieldFrameContext context;
  context.catalog = &fieldFrameCatalog();
  const std::vector<std::string> frames = {
    R"({"type":"position","seq":19,"lat":39.7432,"lon":98.5121,"crs":"WGS84","accuracy_m":8,"at":"2026-11-21T09:30:00+08:00"})",
    R"( { "type" : "position" , "seq" : 1 , "lat" : -90 , "lon" : 180 } )",
    "{\"type\":\"position\",\"seq\":2,\"lat\":1e1,\"lon\":-1.5E-3,\"crs\":\"gcj-02\"}\r",
    R"({"type":"position","seq":3,"lat":39.1,"lon":98.2,"crs":"BD09","accuracy_m":0,"extra":{"x":[1,2]}})",
    R"({"type":"position","seq":4,"lat":39.1,"lon":98.2,"crs":null,"accuracy_m":null,"at":null})",
    R"({"type":"position","seq":5,"lat":39.1,"lon":98.2,"unknown":"中文"})",
    R"({"type":"position","seq":6,"lat":39.1,"lon":98.2,"note":"a\"b"})",
    R"({"type":"position","seq":7,"lat":39.1,"lon":98.2,"seq":8})",
    R"({"type":"position","seq":9,"lat":91,"lon":98.2})",
    R"({"type":"position","seq":10,"lat":39.1})",
    R"({"type":"position","seq":11,"lat":39.1,"lon":98.2,"crs":"UTM"})",
    R"({"type":"position","seq":12,"lat":39.1,"lon":98.2,"accuracy_m":-1})",
    R"({"type":"position","seq":13,"lat":39.1,"lon":98.2,"accuracy_m":1e999})",
    R"({"type":"position","seq":14,"lat":39.1,"lon":98.2,"at":"yesterday"})",
    R"({"type":"position","seq":15,"lat":"39.1","lon":98.2})",
    R"({"type":"position","seq":0,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":-1,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":1.0,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":9223372036854775807,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":9223372036854775808,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":18446744073709551616,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":01,"lat":39.1,"lon":98.2})",
    R"({"type":"position","seq":16,"lat":39.1,"lon":98.2,})",
    R"({"type":"position","seq":17,"lat":39.1,"lon":98.2} x)",
    R"({"type":"position","seq":18,"lat":39.1,"lon":98.2}})",
    R"({"type":"position","seq":19,"lat":-0,"lon":1.00000000000000011102230246251565404236316680908203125})",
    R"({"type":"position","seq":20,"lat":39.1,"lon":98.2,"accuracy_m":true})",
    R"({"type":"ping"})",
    R"({"type":"ping","seq":"x"})",
    R"({"type":"order_ack","seq":20,"order":7})",
    R"({"type":"order_ack","seq":21,"order":0})",
    R"({"type":"order_ack","seq":22})",
    R"({"type":"update","seq":18,"case":"2026112100017","action":"arrive","note":"on site","at":"2026-11-21T09:40:00+08:00","lat":39.74,"lon":98.51})",
    R"({"type":"update","seq":19,"case":"C-1","action":"accept","crs":"GCJ02"})",
    R"({"type":"update","seq":20,"case":"C-1","action":"fly"})",
    R"({"type":"update","seq":21,"case":"","action":"note"})",
    R"({"type":"update","seq":22,"case":"C-1","action":"arrive","lat":39.74})",
    R"({"type":"update","seq":23,"case":"C-1","action":"note","note":")" + std::string(4001, 'x') + R"("})",
    R"({"type":"update","seq":24,"case":"C-1","action":"note","note":")" + std::string(4000, 'x') + R"("})",
    R"({"type":"report","seq":17,"category":"0301","lat":39.7432,"lon":98.5121})",
    R"({"type":"hello","proto":1,"device":"HS-1","token":"t"})",
    R"({"type":"teleport","seq":3})",
    R"({"type":7,"seq":3})",
    R"({"seq":3})",
    R"({})",
    R"([])",
    R"("position")",
    R"({"type":"position","seq":3,"lat":39.1,"lon":98.2)",
    "{\"type\":\"position\",\"seq\":3,\"lat\":39.1,\"lon\":98.2,\"x\":\"\x01\"}",
    "{\"type\":\"position\",\"seq\":3,\"lat\":39.1,\"lon\":98.2,\"x\":\"\xff\"}",
    "\xEF\xBB\xBF{\"type\":\"position\",\"seq\":3,\"lat\":39.1,\"lon\":98.2}",
    R"({"type":"position","seq":3,"lat":39.1,"lon":98.2,"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11})",
    "",
  };
  for (const std::string &text : frames)
    EXPECT_EQ(describe(decodeInboundFrame(text, context)), describe(decodeInboundFrameReference(text, context))) << text;
  // A spot check that the comparison sees the fields at all.
  EXPECT_NE(describe(decodeInboundFrame(frames[0], context)).find("39.743200000000002"), std::string::npos);
}

TEST(FieldFrame, AckIsWrittenAsTheJsonWriterWouldWriteIt)
{
  EXPECT_EQ(encodeFrame(AckFrame{9223372036854775807, false, {}}), "{\"seq\":9223372036854775807,\"type\":\"ack\"}\n");
  EXPECT_EQ(encodeFrame(AckFrame{3, true, "C-2"}), "{\"case\":\"C-2\",\"dup\":true,\"seq\":3,\"type\":\"ack\"}\n");
  // A case number that needs escaping goes through the JSON writer.
  EXPECT_EQ(encodeFrame(AckFrame{3, false, "a\"b"}), "{\"case\":\"a\\\"b\",\"seq\":3,\"type\":\"ack\"}\n");
}
