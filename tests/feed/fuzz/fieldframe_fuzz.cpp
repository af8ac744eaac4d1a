// libFuzzer target: framing, decoding and validation of field frames must never crash,
// hang or leak, whatever the bytes; a frame that decodes re-encodes to one that decodes the same;
// and the decoder's fast path decodes every input exactly as the general decoder does.
//   cmake -DGD_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; fieldframe_fuzz tests/feed/fuzz/corpus
#include "core/catalog.h"
#include "feed/fieldframe.h"
#include "feed/framereader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

const gd::core::CategoryCatalog *catalog()
{
  static const gd::core::CategoryCatalog *instance = [] () -> const gd::core::CategoryCatalog * {
    const std::string path = std::string(GD_SOURCE_DIR) + "/resources/config/catalog.conf";
    std::ifstream in(path);
    if (!in)
      return nullptr;
    std::stringstream text;
    text << in.rdbuf();
    return new gd::core::CategoryCatalog(gd::core::CategoryCatalog::parse(text.str(), path));
  }();
  return instance;
}

void checkRoundTrip(const gd::feed::InboundFrame &frame, const gd::feed::FieldFrameContext &context)
{
  std::string text;
  if (const auto *report = std::get_if<gd::feed::ReportFrame>(&frame))
    text = gd::feed::encodeFrame(*report);
  else if (const auto *update = std::get_if<gd::feed::UpdateFrame>(&frame))
    text = gd::feed::encodeFrame(*update);
  else if (const auto *position = std::get_if<gd::feed::PositionFrame>(&frame))
    text = gd::feed::encodeFrame(*position);
  else if (const auto *ack = std::get_if<gd::feed::OrderAckFrame>(&frame))
    text = gd::feed::encodeFrame(*ack);
  else
    return;
  text.pop_back();
  const gd::feed::DecodedFrame again = gd::feed::decodeInboundFrame(text, context);
  if (!again.frame || again.frame->index() != frame.index())
    std::abort(); // what we encode must decode
}

std::string exact(double value)
{
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string exact(const std::optional<gd::core::TimePoint> &t)
{
  return t ? std::to_string(t->time_since_epoch().count()) : "-";
}

//! Everything a decoding says about the frames the fast path handles (and, as text, the others).
std::string describe(const gd::feed::DecodedFrame &d)
{
  using namespace gd::core;
  using namespace gd::feed;
  std::string out = d.type + "|" + (d.seq ? std::to_string(*d.seq) : "-") + "|";
  if (d.problem)
    out += std::string(fieldCodeName(d.problem->code)) + ":" + d.problem->message;
  if (!d.frame)
    return out;
  out += std::to_string(d.frame->index()) + "|";
  if (const auto *p = std::get_if<PositionFrame>(&*d.frame))
    out += exact(p->position.lat) + exact(p->position.lon) + std::string(crsName(p->crs)) + exact(p->location.lat) +
           exact(p->location.lon) + (p->accuracyM ? exact(*p->accuracyM) : "-") + exact(p->at);
  else if (const auto *u = std::get_if<UpdateFrame>(&*d.frame))
    out += u->caseNumber + "|" + std::string(updateActionName(u->action)) + "|" + u->note + "|" + exact(u->at) +
           std::string(crsName(u->crs)) + (u->position ? exact(u->position->lat) + exact(u->position->lon) : "-") +
           (u->location ? exact(u->location->lat) + exact(u->location->lon) : "-");
  else if (const auto *a = std::get_if<OrderAckFrame>(&*d.frame))
    out += std::to_string(a->order);
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  gd::feed::FieldFrameContext context;
  context.catalog = catalog();

  // The whole input as one frame.
  const gd::feed::DecodedFrame decoded = gd::feed::decodeInboundFrame(bytes, context);
  if (decoded.frame.has_value() == decoded.problem.has_value())
    std::abort(); // exactly one of them
  if (describe(decoded) != describe(gd::feed::decodeInboundFrameReference(bytes, context)))
    std::abort(); // the fast path and the general decoder disagree
  if (decoded.frame)
    checkRoundTrip(*decoded.frame, context);
  gd::feed::decodeOutboundFrame(bytes);

  // The input as a stream cut into uneven chunks, with a small frame limit.
  gd::feed::FrameReader reader(512);
  std::size_t offset = 0;
  std::size_t chunk = 1;
  while (offset < size)
  {
    const std::size_t n = std::min(chunk, size - offset);
    reader.append(bytes.substr(offset, n));
    offset += n;
    chunk = chunk * 3 % 97 + 1;
    std::string_view frame;
    gd::feed::FrameReader::Status status;
    while ((status = reader.next(frame)) == gd::feed::FrameReader::Status::Frame)
    {
      if (frame.size() >= 512)
        std::abort();
      gd::feed::decodeInboundFrame(frame, context);
    }
    if (status == gd::feed::FrameReader::Status::TooLarge)
      break;
  }
  return 0;
}
