#include "feed/framereader.h"

namespace gd::feed {

FrameReader::FrameReader(std::size_t maxFrameBytes)
  : mMaxFrameBytes(maxFrameBytes)
{
}

void FrameReader::append(std::string_view bytes)
{
  if (mTooLarge)
    return;
  // Drop consumed frames before growing, so the buffer never holds more than one frame
  // plus one read's worth of bytes.
  if (mStart > 0)
  {
    mBuffer.erase(0, mStart);
    mScan -= mStart;
    mStart = 0;
  }
  mBuffer.append(bytes);
}

void FrameReader::releaseIfDrained()
{
  if (mTooLarge || mStart != mBuffer.size())
    return;
  std::string().swap(mBuffer);
  mStart = 0;
  mScan = 0;
}

FrameReader::Status FrameReader::next(std::string_view &frame)
{
  if (mTooLarge)
    return Status::TooLarge;
  const std::size_t lf = mBuffer.find('\n', mScan);
  if (lf == std::string::npos)
  {
    mScan = mBuffer.size();
    // Without an LF within the limit the frame can no longer fit, whatever comes next.
    if (mBuffer.size() - mStart >= mMaxFrameBytes)
    {
      mTooLarge = true;
      return Status::TooLarge;
    }
    return Status::NeedMore;
  }
  if (lf + 1 - mStart > mMaxFrameBytes)
  {
    mTooLarge = true;
    return Status::TooLarge;
  }
  std::size_t end = lf;
  if (end > mStart && mBuffer[end - 1] == '\r')
    --end;
  frame = std::string_view(mBuffer).substr(mStart, end - mStart);
  mStart = lf + 1;
  mScan = mStart;
  return Status::Frame;
}

} // namespace gd::feed
