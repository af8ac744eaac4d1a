#pragma once
// How the console starts and ends: SIGTERM/SIGINT close it as Ctrl+Q does, the programs it
// starts die with it and inherit none of its descriptors, and --focus waits for the queue.

#include <QProcess>
#include <QString>

#include <functional>

namespace gd::console {
class MainWindow;
}

namespace gd::apps {

/**
 * From now on SIGTERM, SIGINT and SIGHUP call \a shutDown on the GUI thread, once the event
 * loop runs (a signal that arrives before waits for it). A second signal of these ends the
 * process at once, for a shutdown that hangs. Call once, after the application object exists.
 */
void installShutdownSignals(std::function<void(int signal)> shutDown);

/**
 * A program the console starts and owns: it gets SIGTERM when the console's process ends,
 * however it ends (PR_SET_PDEATHSIG; the console also stops it on an orderly exit), and every
 * descriptor of the console (the gateway's listening socket, the store) is closed in it.
 */
class ChildProcess : public QProcess
{
  public:
    ChildProcess();

  protected:
    void setupChildProcess() override;

  private:
    qint64 mParent; //!< our pid, for the child to notice that we died before prctl() took effect
};

/**
 * Finds \a text (a case number, a grid code or name, a place) once the open cases are loaded
 * (at once when they are), zooms there and selects it, and says on stderr and in the status
 * bar what was found or that nothing was.
 */
void focusWhenLoaded(console::MainWindow &window, const QString &text);

} // namespace gd::apps
