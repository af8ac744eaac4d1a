#pragma once

#include <chrono>
#include <cstdint>
#include <sys/types.h>

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

//! True when something accepts a TCP connection on 127.0.0.1:\a port now (a started gateway).
bool accepting(std::uint16_t port);

/**
 * SIGTERM to the child process \a pid, then waits up to \a patience for it to exit (SIGKILL
 * after that, and reaped either way). True when it exited by itself with status 0.
 */
bool stopChild(pid_t pid, std::chrono::milliseconds patience);

} // namespace gd::feed::test
