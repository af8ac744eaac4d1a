#pragma once
// The seam between griddispatch-gateway and the store (ingest::StoreSink).

#include "feed/framesink.h"

#include <memory>
#include <string>

namespace gd::feed {
class Gateway;
}

namespace gd::apps {

/**
 * Opens the store file \a dbPath and returns the sink the gateway commits frames to.
 * \a gateway is the gateway the sink may push new orders to (Gateway::deliverOrder()); it is
 * started after this returns and stopped before the sink is destroyed.
 * Throws std::runtime_error with a message naming the file on failure.
 */
std::unique_ptr<feed::FrameSink> openGatewaySink(const std::string &dbPath, feed::Gateway &gateway);

} // namespace gd::apps
