// Placeholder until the store's FrameSink is wired in (the lead replaces this file).
#include "apps/gateway/gatewaysink.h"

#include <stdexcept>

namespace gd::apps {

std::unique_ptr<feed::FrameSink> openGatewaySink(const std::string &dbPath, feed::Gateway &)
{
  throw std::runtime_error(dbPath + ": this build has no store sink for the gateway yet");
}

} // namespace gd::apps
