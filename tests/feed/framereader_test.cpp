// FrameReader on byte strings: LF splitting, CR tolerance, the 65,536-byte limit.
#include "feed/framereader.h"

#include <gtest/gtest.h>

using gd::feed::FrameReader;

namespace {

std::vector<std::string> drain(FrameReader &reader, FrameReader::Status *last = nullptr)
{
  std::vector<std::string> frames;
  std::string_view frame;
  FrameReader::Status status;
  while ((status = reader.next(frame)) == FrameReader::Status::Frame)
    frames.emplace_back(frame);
  if (last)
    *last = status;
  return frames;
}

} // namespace

TEST(FrameReader, SplitsOnLf)
{
  FrameReader reader;
  reader.append("{\"a\":1}\n{\"b\":2}\n{\"c\"");
  FrameReader::Status status;
  EXPECT_EQ(drain(reader, &status), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(status, FrameReader::Status::NeedMore);
  reader.append(":3}\n");
  EXPECT_EQ(drain(reader), (std::vector<std::string>{"{\"c\":3}"}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReader, ToleratesOneTrailingCr)
{
  FrameReader reader;
  reader.append("{}\r\n{}\r\r\n\n");
  EXPECT_EQ(drain(reader), (std::vector<std::string>{"{}", "{}\r", ""}));
}

TEST(FrameReader, ByteByByte)
{
  FrameReader reader;
  const std::string text = "{\"type\":\"ping\"}\n{\"type\":\"ping\"}\n";
  std::vector<std::string> frames;
  for (char c : text)
  {
    reader.append(std::string_view(&c, 1));
    for (auto &f : drain(reader))
      frames.push_back(f);
  }
  EXPECT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1], "{\"type\":\"ping\"}");
}

TEST(FrameReader, LimitCountsTheLf)
{
  FrameReader reader(10);
  reader.append("123456789\n"); // 10 bytes with LF: allowed
  EXPECT_EQ(drain(reader), (std::vector<std::string>{"123456789"}));
  reader.append("1234567890\n"); // 11: too large
  FrameReader::Status status;
  EXPECT_TRUE(drain(reader, &status).empty());
  EXPECT_EQ(status, FrameReader::Status::TooLarge);
  reader.append("{}\n"); // stays failed: the stream cannot be resynchronised
  std::string_view frame;
  EXPECT_EQ(reader.next(frame), FrameReader::Status::TooLarge);
}

TEST(FrameReader, TooLargeWithoutLfIsDetectedEarly)
{
  FrameReader reader(10);
  reader.append("123456789");
  std::string_view frame;
  EXPECT_EQ(reader.next(frame), FrameReader::Status::NeedMore);
  reader.append("0");
  EXPECT_EQ(reader.next(frame), FrameReader::Status::TooLarge);
}

TEST(FrameReader, DefaultLimitIsTheProtocols)
{
  FrameReader reader;
  reader.append(std::string(65535, 'x') + "\n");
  std::string_view frame;
  ASSERT_EQ(reader.next(frame), FrameReader::Status::Frame);
  EXPECT_EQ(frame.size(), 65535u);
  reader.append(std::string(65536, 'x'));
  EXPECT_EQ(reader.next(frame), FrameReader::Status::TooLarge);
}

TEST(FrameReader, ReleasesItsBufferOnceDrained)
{
  // A gateway holds tens of thousands of idle connections: a drained reader holds no storage.
  FrameReader reader;
  reader.append(std::string(5000, 'x') + "\n{\"b\"");
  EXPECT_EQ(drain(reader).size(), 1u);
  reader.releaseIfDrained(); // a partial frame is kept
  EXPECT_EQ(reader.buffered(), 4u);
  reader.append(":2}\n");
  EXPECT_EQ(drain(reader), (std::vector<std::string>{"{\"b\":2}"}));
  reader.releaseIfDrained();
  EXPECT_EQ(reader.buffered(), 0u);
  EXPECT_LT(reader.capacity(), 64u);
  reader.append("{\"c\":3}\n");
  EXPECT_EQ(drain(reader), (std::vector<std::string>{"{\"c\":3}"}));
}
