#include "console/session/consolesession.h"

#include "console/command/commandservice.h"
#include "console/dispatch/caseservice.h"
#include "console/session/embeddedgateway.h"
#include "console/session/rulesschedule.h"
#include "console/session/storeloader.h"
#include "console/session/storewatcher.h"
#include "core/gridtree.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <iostream>

namespace gd::console {

ConsoleSession::ConsoleSession(QObject *parent)
  : QObject(parent)
  , mOperator(QStringLiteral("operator"))
{
}

ConsoleSession::~ConsoleSession()
{
  // The rules' thread writes to the store: it stops with the other writers. The gateway stops
  // before the services (every acknowledged frame committed), then the readers: nothing may
  // arrive while the window comes apart.
  mRules.reset();
  mGateway.reset();
  mCases.reset();
  mCommands.reset();
  mLoader.reset();
  mWatcher.reset();
}

void ConsoleSession::setOperatorName(const QString &name)
{
  mOperator = name.trimmed().isEmpty() ? QStringLiteral("operator") : name.trimmed();
}

bool ConsoleSession::open(const QString &path, QString *error)
{
  // Everything is read through the store's own connection, never through QGIS's OGR provider
  // (see GridLayers for why). The district view first — grids, points of interest and the
  // open cases counted per grid — then the cases themselves from a thread of their own, which
  // starts reading at once (its own connection), while the overview is read and drawn.
  // What the operator reads: the file, or the database without its password.
  QString shown = path;
  try
  {
    shown = QString::fromStdString(storeLocation(path).display());
  }
  catch (const std::exception &e)
  {
    if (error)
      *error = QString::fromUtf8(e.what()); // says what is wrong, without the password
    return false;
  }
  // The seat's scope (issue 17) holds for every read and step of the console, in the store.
  const store::CaseScope scope = mRights.caseScope();
  auto loader = std::make_unique<StoreLoader>(path);
  loader->setScope(scope);
  loader->start();
  StoreOverview overview;
  try
  {
    overview = readStoreOverview(path, scope);
  }
  catch (const std::exception &e)
  {
    if (error)
      *error = tr("%1 could not be opened as a store: %2").arg(shown, QString::fromUtf8(e.what()));
    return false;
  }
  if (overview.grids.nodesAt(core::GridLevel::District).empty())
  {
    if (error)
      *error = tr("%1 has no grids yet: import boundaries with griddispatch-ctl import-grids, or start with --demo").arg(shown);
    return false;
  }

  mRules.reset();
  mLoader.reset();
  mWatcher.reset();
  mStorePath = path;
  // The old tree lives until every listener let go of it (the map's index of the grid under
  // the pointer refers to it).
  std::unique_ptr<core::GridTree> previous = std::move(mGrids);
  mGrids = std::make_unique<core::GridTree>(overview.grids);
  emit storeOpened(overview);
  previous.reset();

  // Polled every 20 ms (a few indexed reads on its own connection), delivered at most 10 times a
  // second: a change waits for the poll at most 20 ms of its 300 ms budget.
  mWatcher = std::make_unique<StoreWatcher>(path, std::chrono::milliseconds(20), std::chrono::milliseconds(100));
  mWatcher->setScope(scope);
  connect(mWatcher.get(), &StoreWatcher::changed, this, &ConsoleSession::changed);
  // A database store (PostgreSQL) may go away and come back: the operator sees both.
  connect(mWatcher.get(), &StoreWatcher::connectionChanged, this, [this](bool connected, const QString &detail) {
    if (connected)
      emit message(tr("The center's database answers again: every change made meanwhile is shown"), 15000);
    else
    {
      // The reason is libpq's, in English: for the log, not for the operator's status bar.
      std::cerr << "griddispatch: " << detail.toStdString() << '\n';
      emit message(tr("Lost the connection to the center's database, reconnecting… Changes by other seats "
                      "appear once it answers"),
                   0);
    }
    emit storeConnectionChanged(connected);
  });
  // Overdue and emergency pins come first (drawn at every zoom), one chunk per turn of the
  // event loop; the watcher carries on from the loader's read once every case is in.
  mLoader = std::move(loader); // started above; its chunks arrive once the event loop runs
  connect(mLoader.get(), &StoreLoader::casesRead, this, &ConsoleSession::casesRead);
  connect(mLoader.get(), &StoreLoader::finished, this, [this](const OpenCaseCursor &cursor, int) {
    mWatcher->startFrom(cursor.eventId, cursor.readAtSecs);
    emit casesLoaded(QString());
  });
  connect(mLoader.get(), &StoreLoader::failed, this, [this](const QString &message) {
    mWatcher->start();
    emit casesLoaded(message);
  });

  mCases = std::make_unique<CaseServiceThread>(path, mOperator, mRights, scope);
  // A step that failed unexpectedly (not a refusal, which the step reports itself) is said.
  mCases->onFailure([this](const QString &what) { emit message(tr("An operation failed: %1").arg(what), 15000); });
  if (!mCases->isOpen())
  {
    if (error)
      *error = tr("%1: the case service could not start: %2").arg(shown, mCases->error());
    mCases.reset();
    return false;
  }
  mCommands = std::make_unique<CommandServiceThread>(path, mOperator, QString(), mRights);
  mCommands->onFailure([this](const QString &what) { emit message(tr("An operation failed: %1").arg(what), 15000); });
  mCommandError.clear();
  if (!mCommands->isOpen())
  {
    // The case work goes on; supervision and emergencies say why they are not there.
    mCommandError = mCommands->error();
    emit message(tr("Supervision and emergencies are off: %1").arg(mCommandError), 0);
    mCommands.reset();
  }
  startRules();
  emit servicesReady();
  return true;
}

bool ConsoleSession::isLoadingCases() const
{
  return mLoader && !mLoader->isDone();
}

bool ConsoleSession::waitForCases(int timeoutMs)
{
  QElapsedTimer timer;
  timer.start();
  while (isLoadingCases() && timer.elapsed() < timeoutMs)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  return !isLoadingCases();
}

bool ConsoleSession::startGateway(const EmbeddedGatewayOptions &options, QString *error)
{
  if (mStorePath.isEmpty())
  {
    if (error)
      *error = tr("open a store before starting the gateway");
    return false;
  }
  try
  {
    mGateway = std::make_unique<EmbeddedGateway>(mStorePath, options);
  }
  catch (const std::exception &e)
  {
    if (error)
      *error = tr("the field gateway could not start on %1:%2: %3").arg(options.host).arg(options.port).arg(QString::fromUtf8(e.what()));
    return false;
  }
  emit gatewayStarted();
  return true;
}

bool ConsoleSession::startGateway(const QString &host, quint16 port, QString *error)
{
  EmbeddedGatewayOptions options;
  options.host = host;
  options.port = port;
  return startGateway(options, error);
}

void ConsoleSession::setRulesInterval(int seconds)
{
  mRulesSeconds = std::max(0, seconds);
  startRules();
}

void ConsoleSession::runRulesNow()
{
  if (mRules)
    mRules->runNow();
}

void ConsoleSession::startRules()
{
  mRules.reset();
  if (mRulesSeconds <= 0 || !mCommands)
    return;
  // On the same scheduler as griddispatch-gateway's, with a thread and a connection of its own.
  try
  {
    mRules = std::make_unique<RulesSchedule>(mStorePath, mRulesSeconds);
    connect(mRules.get(), &RulesSchedule::ran, this, &ConsoleSession::rulesRan);
  }
  catch (const std::exception &e)
  {
    emit message(tr("The supervision rules could not run: %1").arg(QString::fromUtf8(e.what())), 15000);
  }
}

} // namespace gd::console
