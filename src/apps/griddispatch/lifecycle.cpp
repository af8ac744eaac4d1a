#include "apps/griddispatch/lifecycle.h"

#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QStatusBar>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gd::apps {

namespace {

// The self-pipe: a signal handler may only do async-signal-safe things, so it writes the
// signal's number into a socket the event loop watches, and the shutdown runs there.
int gSignalSocket[2] = {-1, -1};
std::atomic<int> gSignalsSeen{0};

extern "C" void onShutdownSignal(int signal)
{
  if (gSignalsSeen.fetch_add(1) > 0)
  {
    // The second one: the orderly shutdown hangs, or the sender insists. End now.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  const int savedErrno = errno;
  const char byte = static_cast<char>(signal);
  [[maybe_unused]] const ssize_t written = ::write(gSignalSocket[1], &byte, 1);
  errno = savedErrno;
}

} // namespace

void installShutdownSignals(std::function<void(int signal)> shutDown)
{
  // Close-on-exec: the programs the console starts must not hold it.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, gSignalSocket) != 0)
  {
    std::cerr << "griddispatch: warning: cannot watch for SIGTERM/SIGINT (" << std::strerror(errno)
              << "); they end the console without saving its layout\n";
    return;
  }
  auto *notifier = new QSocketNotifier(gSignalSocket[0], QSocketNotifier::Read, QCoreApplication::instance());
  QObject::connect(notifier, &QSocketNotifier::activated, notifier, [notifier, shutDown = std::move(shutDown)] {
    char byte = 0;
    if (::read(gSignalSocket[0], &byte, 1) != 1)
      return;
    notifier->setEnabled(false);
    shutDown(static_cast<unsigned char>(byte));
  });
  struct sigaction action = {};
  action.sa_handler = onShutdownSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (const int signal : {SIGTERM, SIGINT, SIGHUP})
    ::sigaction(signal, &action, nullptr);
}

ChildProcess::ChildProcess()
  : mParent(QCoreApplication::applicationPid())
{
}

void ChildProcess::setupChildProcess()
{
  // Runs in the child between fork() and exec(): only async-signal-safe calls.
  // SIGTERM when the thread that forked ends: that is the GUI thread, which lives as long as
  // the console's process. It survives exec(), so griddispatch-sim needs no option for it.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != static_cast<pid_t>(mParent))
    ::_exit(1); // the console died before prctl(): nobody would ever send the signal
  // Every descriptor beyond stdin, stdout and stderr closes at exec(): the gateway's listening
  // socket and the store's files among them, which Asio (and libraries the console uses) do
  // not always open close-on-exec. QProcess's own pipe to learn of a failed exec() already is.
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
  {
    struct rlimit limit = {};
    const rlim_t last = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY ? limit.rlim_cur : 65536;
    for (rlim_t fd = 3; fd < last; ++fd)
      ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
  }
}

void focusWhenLoaded(console::MainWindow &window, const QString &text)
{
  auto focus = [&window, text] {
    const QString found = window.mapView()->search(text);
    if (found.isEmpty())
    {
      std::cerr << "griddispatch: --focus: no case, grid or place matches '" << text.toStdString() << "'\n";
      window.statusBar()->showMessage(
        QCoreApplication::translate("gd::apps::Focus", "Nothing matches \"%1\": no open case, grid or place").arg(text));
      return;
    }
    std::cerr << "griddispatch: --focus: found " << found.toStdString() << '\n';
    window.statusBar()->showMessage(QCoreApplication::translate("gd::apps::Focus", "Found %1").arg(found), 8000);
  };
  // The queue and the case pins arrive from a thread of their own after openStore(): a case
  // number is found only once they are in.
  if (!window.session()->isLoadingCases())
  {
    focus();
    return;
  }
  auto *context = new QObject(&window);
  QObject::connect(window.session(), &console::ConsoleSession::casesLoaded, context, [context, focus] {
    context->deleteLater(); // once: casesLoaded also follows a later openStore()
    focus();
  });
}

} // namespace gd::apps
