#pragma once

#include <cstdint>

namespace gd::feed::test {

/**
 * A free port on 127.0.0.1 for a gateway that a test stops and starts again while terminals
 * keep reconnecting. It lies below the kernel's ephemeral range: a port from that range (what
 * binding port 0 gives) can be handed to a terminal's own connect() as its source port while
 * nothing listens, and the terminal then connects to itself (TCP simultaneous open) and the
 * restarted gateway cannot bind. Tries ports from a start that differs between processes, so
 * tests running in parallel do not pick the same one.
 */
std::uint16_t portForRestarts();

} // namespace gd::feed::test
