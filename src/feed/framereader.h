#pragma once
// Splits the byte stream of a field connection into frames: one JSON object per LF,
// a trailing CR tolerated, at most feed::kMaxFieldFrameBytes including the LF.
// Socket-free so it is tested on byte strings.

#include "feed/fieldframe.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace gd::feed {

class FrameReader
{
  public:
    enum class Status
    {
      Frame,    //!< a complete frame is in the out parameter
      NeedMore, //!< no complete frame buffered; append more bytes
      TooLarge  //!< the frame being read exceeds the limit: the stream cannot be resynchronised
    };

    //! \a maxFrameBytes counts the terminating LF.
    explicit FrameReader(std::size_t maxFrameBytes = feed::kMaxFieldFrameBytes);

    //! Adds bytes received from the peer. Invalidates views returned by next().
    void append(std::string_view bytes);

    /**
     * Takes the next complete frame (without LF and trailing CR) into \a frame.
     * The view stays valid until the next append(). After TooLarge the reader stays in that
     * state: the connection must be closed.
     */
    Status next(std::string_view &frame);

    //! Changes the limit (a connection allows more once authenticated); \a maxFrameBytes counts the LF.
    void setMaxFrameBytes(std::size_t maxFrameBytes) { mMaxFrameBytes = maxFrameBytes; }
    std::size_t maxFrameBytes() const { return mMaxFrameBytes; }

    //! Bytes buffered and not yet returned as frames.
    std::size_t buffered() const { return mBuffer.size() - mStart; }

    /**
     * Frees the buffer's storage when every byte has been returned as a frame, so an idle
     * connection holds no buffer at all (a gateway keeps tens of thousands of them).
     * Invalidates views returned by next().
     */
    void releaseIfDrained();

    //! Bytes of storage held (capacity), for memory accounting in tests.
    std::size_t capacity() const { return mBuffer.capacity(); }

  private:
    std::size_t mMaxFrameBytes;
    std::string mBuffer;
    std::size_t mStart = 0; //!< first byte of the frame being read
    std::size_t mScan = 0;  //!< where the search for LF resumes
    bool mTooLarge = false;
};

} // namespace gd::feed
