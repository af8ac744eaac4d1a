// libFuzzer target: framing, decoding and validation of field frames must never crash,
// hang or leak, whatever the bytes; a frame that decodes re-encodes to one that decodes the same.
//   cmake -DGD_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ ...; fieldframe_fuzz tests/feed/fuzz/corpus
#include "core/catalog.h"
#include "core/fieldframe.h"
#include "feed/framereader.h"

#include <cstdint>
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

void checkRoundTrip(const gd::core::InboundFrame &frame, const gd::core::FieldFrameContext &context)
{
  std::string text;
  if (const auto *report = std::get_if<gd::core::ReportFrame>(&frame))
    text = gd::core::encodeFrame(*report);
  else if (const auto *update = std::get_if<gd::core::UpdateFrame>(&frame))
    text = gd::core::encodeFrame(*update);
  else if (const auto *position = std::get_if<gd::core::PositionFrame>(&frame))
    text = gd::core::encodeFrame(*position);
  else if (const auto *ack = std::get_if<gd::core::OrderAckFrame>(&frame))
    text = gd::core::encodeFrame(*ack);
  else
    return;
  text.pop_back();
  const gd::core::DecodedFrame again = gd::core::decodeInboundFrame(text, context);
  if (!again.frame || again.frame->index() != frame.index())
    std::abort(); // what we encode must decode
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  const std::string_view bytes(reinterpret_cast<const char *>(data), size);
  gd::core::FieldFrameContext context;
  context.catalog = catalog();

  // The whole input as one frame.
  const gd::core::DecodedFrame decoded = gd::core::decodeInboundFrame(bytes, context);
  if (decoded.frame.has_value() == decoded.problem.has_value())
    std::abort(); // exactly one of them
  if (decoded.frame)
    checkRoundTrip(*decoded.frame, context);
  gd::core::decodeOutboundFrame(bytes);

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
      gd::core::decodeInboundFrame(frame, context);
    }
    if (status == gd::feed::FrameReader::Status::TooLarge)
      break;
  }
  return 0;
}
