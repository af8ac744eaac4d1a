#include "console/session/storewatcher.h"

#include "console/session/storeaccess.h"

#include "console/dispatch/caserecordview.h"
#include "console/common/storetext.h"

#include "core/geo.h"
#include "store/cases/casestore.h"
#include "store/cases/changefeed.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/storeerror.h"
#include "store/grids/gridstore.h"
#include "store/timetext.h"

#include <QDateTime>
#include <QMetaType>

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace gd::console {

namespace {

// A worker who has not sent a fix for this long is offline; one who has not moved more than
// kStationaryMeters for kStationaryAfter is stationary.
constexpr auto kOfflineAfter = std::chrono::minutes(5);
constexpr auto kStationaryAfter = std::chrono::minutes(10);
constexpr double kStationaryMeters = 25;

struct WorkerTrack
{
  map::WorkerPin pin;
  core::GeoPoint anchor;            //!< where the worker was when last seen moving
  core::TimePoint anchorAt{};
  core::TimePoint lastFix{};
};

std::int64_t realtimeNs()
{
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

map::WorkerPin::Status statusOf(const WorkerTrack &track, core::TimePoint now)
{
  if (now - track.lastFix > kOfflineAfter)
    return map::WorkerPin::Status::Offline;
  if (now - track.anchorAt > kStationaryAfter)
    return map::WorkerPin::Status::Stationary;
  return map::WorkerPin::Status::Online;
}

} // namespace

struct StoreWatcher::Poller
{
  std::unique_ptr<store::ConfigDirectory> config;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<core::Workflow> workflow;
  std::unique_ptr<store::CaseStore> cases;
  std::int64_t eventCursor = 0;
  std::string positionCursor;
  std::int64_t wokeNs = 0; //!< when a notification woke the thread for the next poll (0: its timer did)
  core::TimePoint lightsCheckedAt{};
  std::unordered_map<std::string, WorkerTrack> workers;
  struct WorkerInfo
  {
    QString name;
    QString phone;
    QString grid;
  };
  std::unordered_map<std::string, WorkerInfo> directory; // who each worker id is, from the grid tree
  core::TimePoint statusCheckedAt{};
};

StoreWatcher::StoreWatcher(const QString &path, std::chrono::milliseconds pollInterval,
                           std::chrono::milliseconds deliveryInterval, QObject *parent)
  : QObject(parent)
  , mPath(path)
  , mPollInterval(pollInterval)
  , mDeliveryInterval(deliveryInterval)
{
  qRegisterMetaType<gd::console::StoreChanges>();
  // The timer only looks often; deliver() itself keeps deliveries at least deliveryInterval
  // apart, so a change that follows a quiet spell is handed over at once rather than at the
  // next fixed tick.
  mDeliveryTimer.setInterval(std::max(5, static_cast<int>(deliveryInterval.count() / 5)));
  connect(&mDeliveryTimer, &QTimer::timeout, this, &StoreWatcher::deliver);
  mDueTimer.setSingleShot(true);
  connect(&mDueTimer, &QTimer::timeout, this, &StoreWatcher::deliver);
}

StoreWatcher::~StoreWatcher()
{
  stop();
}

core::WorkerThread::Options StoreWatcher::threadOptions()
{
  core::WorkerThread::Options options;
  // A busy or briefly locked store is retried at the next poll.
  options.retryAfter = mPollInterval;
  options.onError = [this](const std::string &what) {
    std::lock_guard lock(mMutex);
    mLastError = QString::fromStdString(what);
  };
  // The connection is closed on the thread that used it; a start after a stop opens it again.
  options.atExit = [this] { mPoller.reset(); };
  return options;
}

void StoreWatcher::start()
{
  if (mThread.running())
    return;
  mThread.start();
  mDeliveryTimer.start();
}

void StoreWatcher::startFrom(qint64 eventId, qint64 lightsCheckedAtSecs)
{
  if (mThread.running())
    return;
  mStartEventId = eventId;
  mStartLightsSecs = lightsCheckedAtSecs;
  start();
}

void StoreWatcher::stop()
{
  mDeliveryTimer.stop();
  mDueTimer.stop();
  mThread.stop();
}

void StoreWatcher::setConnection(bool connected, const QString &detail)
{
  if (mReconnecting.exchange(!connected) == !connected)
    return;
  std::lock_guard lock(mMutex);
  mConnectionChanged = true;
  mConnectionDetail = detail;
}

QString StoreWatcher::lastError() const
{
  std::lock_guard lock(const_cast<std::mutex &>(mMutex));
  return mLastError;
}

void StoreWatcher::deliver()
{
  {
    bool changedState = false;
    QString detail;
    {
      std::lock_guard lock(mMutex);
      std::swap(changedState, mConnectionChanged);
      detail = mConnectionDetail;
    }
    const bool reconnecting = mReconnecting.load();
    if (changedState && reconnecting != mReconnectingShown)
    {
      mReconnectingShown = reconnecting;
      emit connectionChanged(!reconnecting, detail);
    }
  }
  const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
  const qint64 dueMs = mLastDeliveryMs.load() + mDeliveryInterval.count();
  StoreChanges changes;
  {
    std::lock_guard lock(mMutex);
    if (mPendingCases.empty() && mPendingClosed.empty() && mPendingWorkers.empty())
      return;
    if (nowMs < dueMs)
    {
      // Not yet: at the moment it is due, rather than at the next tick (up to a fifth of the
      // interval later).
      if (!mDueTimer.isActive())
        mDueTimer.start(static_cast<int>(dueMs - nowMs));
      return;
    }
    for (auto &[number, pending] : mPendingCases)
    {
      changes.cases.push_back(std::move(pending.pin));
      changes.rows.push_back(std::move(pending.row));
      changes.caseTimings.push_back(pending.timing);
    }
    for (const auto &[number, closed] : mPendingClosed)
      changes.closedCases << number;
    for (auto &[id, worker] : mPendingWorkers)
      changes.workers.push_back(std::move(worker));
    changes.oldestChangeMs = mOldestPendingMs;
    mPendingCases.clear();
    mPendingClosed.clear();
    mPendingWorkers.clear();
    mOldestPendingMs = 0;
  }
  mLastDeliveryMs = nowMs;
  mDueTimer.stop();
  emit changed(changes);
}

core::WorkerThread::Next StoreWatcher::round()
{
  if (mPoller)
  {
    ++mPolls;
    store::Database &db = *mPoller->db;
    try
    {
      if (mReconnecting.load())
      {
        db.reconnect(); // LISTENs again; the cursors are where they were
        setConnection(true, QString());
      }
      // What poll() throws is the last error (threadOptions), and the next poll comes.
      if (poll(*mPoller))
      {
        // Found something: to the GUI thread now if its batch is due (deliver() waits for the
        // interval otherwise), not at the delivery timer's next tick.
        QMetaObject::invokeMethod(this, &StoreWatcher::deliver, Qt::QueuedConnection);
      }
      if (db.isPostgres())
      {
        // Until a seat or a gateway commits a change (or a quarter second passes: the lights),
        // then until the GUI's next batch is due: a gateway or a busy writer commits a hundred
        // times a second, and the window takes a batch ten times a second. Reading after each
        // notification made four seats' reads half of the server's work (bench/map/
        // seat_to_seat.sh); reading the poll interval after it still read five times for each
        // batch, and what a read found waited for the batch anyway. Read when the batch is due,
        // everything committed until then comes in it, and nothing reaches the GUI later for it.
        // While the GUI thread is behind (the batch is due but not taken: a render holds it),
        // the poll interval still parts two reads, or each notification would be a read.
        const qint64 polledMs = QDateTime::currentMSecsSinceEpoch();
        if (store::ChangeFeed(db).waitForChange(std::chrono::milliseconds(250)))
        {
          mPoller->wokeNs = realtimeNs();
          const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
          const qint64 untilDue = std::max(mLastDeliveryMs.load() + mDeliveryInterval.count() - nowMs,
                                           polledMs + mPollInterval.count() - nowMs);
          return core::WorkerThread::Next::in(std::chrono::milliseconds(std::clamp<qint64>(untilDue, 0, mDeliveryInterval.count())));
        }
        return core::WorkerThread::Next::in(std::chrono::milliseconds(0));
      }
    }
    catch (const store::StoreError &e)
    {
      if (!e.isConnectionLost())
        throw;
      setConnection(false, QString::fromStdString(e.what()));
      return core::WorkerThread::Next::in(std::chrono::milliseconds(500));
    }
    return core::WorkerThread::Next::in(mPollInterval);
  }
  auto poller = std::make_unique<Poller>();
  try
  {
    poller->config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
    poller->workflow = std::make_unique<core::Workflow>(&poller->config->departments);
    poller->db = std::make_unique<store::Database>(storeLocation(mPath), store::Database::Mode::ReadOnly);
    poller->cases = std::make_unique<store::CaseStore>(*poller->db, *poller->workflow);
    poller->cases->setScope(mScope);
    const core::GridTree tree = store::GridStore(*poller->db).load(); // the nodes below point into it
    for (const core::GridNode *grid : tree.nodesAt(core::GridLevel::Grid))
      for (const core::GridPerson &worker : grid->workers)
        poller->directory[worker.id] = {utf8(worker.name), utf8(worker.phone), utf8(grid->code.str())};
    store::ChangeFeed(*poller->db).listen(); // before the first read: nothing committed after it is missed
    poller->eventCursor = store::ChangeFeed(*poller->db).newestEventId();
    poller->lightsCheckedAt = store::nowUtc();
    poller->positionCursor = store::toDbTime(poller->lightsCheckedAt);
    if (mStartEventId >= 0)
    {
      poller->eventCursor = mStartEventId;
      poller->lightsCheckedAt = core::TimePoint(std::chrono::seconds(mStartLightsSecs));
    }
  }
  catch (const std::exception &e)
  {
    // A store that cannot be opened is not polled: the thread ends, and lastError() says why.
    std::lock_guard lock(mMutex);
    mLastError = QString::fromStdString(e.what());
    return core::WorkerThread::Next::done();
  }
  mPoller = std::move(poller);
  return core::WorkerThread::Next::in(mPollInterval);
}

bool StoreWatcher::poll(Poller &poller)
{
  const auto &config = poller.config;
  auto &cases = *poller.cases;
  auto &eventCursor = poller.eventCursor;
  auto &positionCursor = poller.positionCursor;
  auto &lightsCheckedAt = poller.lightsCheckedAt;
  auto &workers = poller.workers;
  const auto &directory = poller.directory;
  auto &statusCheckedAt = poller.statusCheckedAt;
  const core::TimePoint now = store::nowUtc();
  const qint64 seenMs = QDateTime::currentMSecsSinceEpoch();
  CaseReadTiming timing;
  timing.wokeNs = poller.wokeNs ? poller.wokeNs : realtimeNs();
  poller.wokeNs = 0;
  store::ChangeFeed feed(*poller.db, mScope);
  // Cases with events since the cursor (which moves to the newest event read), and open
  // cases whose light changed with the clock since the last look (80 % mark or deadline).
  std::vector<std::string> numbers = feed.casesChangedSince(eventCursor);
  for (std::string &number : feed.lightsChangedBetween(lightsCheckedAt, now))
    numbers.push_back(std::move(number));
  lightsCheckedAt = now;
  std::vector<std::pair<map::CasePin, CaseQueueRow>> changedCases;
  std::vector<QString> closed;
  // One read for every changed case, not one a case: on PostgreSQL each is a round trip to the
  // server, and four seats at 1,000 changes a second asked it 4,000 times a second.
  for (const store::CaseRecord &record : cases.findMany(numbers))
  {
    if (record.isOpen())
      changedCases.emplace_back(pinOf(record, now), rowOf(record, now, config.get()));
    else
      closed.push_back(utf8(record.number));
  }
  timing.readNs = realtimeNs();

  std::vector<map::WorkerPin> changedWorkers;
  {
    for (const store::ChangeFeed::Fix &fix : feed.positionsSince(positionCursor))
    {
      const std::string &id = fix.workerId;
      const core::GeoPoint point = fix.point;
      const core::TimePoint fixAt = fix.at;
      WorkerTrack &track = workers[id];
      if (track.pin.workerId.isEmpty())
      {
        track.pin.workerId = utf8(id);
        const auto known = directory.find(id);
        track.pin.name = known != directory.end() ? known->second.name : utf8(id);
        if (known != directory.end())
        {
          track.pin.phone = known->second.phone;
          track.pin.grid = known->second.grid;
        }
        track.anchor = point;
        track.anchorAt = fixAt;
      }
      if (core::distanceMeters(track.anchor, point) > kStationaryMeters)
      {
        track.anchor = point;
        track.anchorAt = fixAt;
      }
      track.lastFix = fixAt;
      track.pin.lon = point.lon;
      track.pin.lat = point.lat;
      track.pin.lastFix = fixAt.time_since_epoch().count();
      track.pin.status = statusOf(track, now);
      changedWorkers.push_back(track.pin);
    }
  }
  if (now - statusCheckedAt >= std::chrono::seconds(5))
  {
    // Workers go stationary or offline without sending anything.
    for (auto &[id, track] : workers)
      if (const auto status = statusOf(track, now); status != track.pin.status)
      {
        track.pin.status = status;
        changedWorkers.push_back(track.pin);
      }
    statusCheckedAt = now;
  }

  if (!changedCases.empty() || !closed.empty() || !changedWorkers.empty())
  {
    std::lock_guard lock(mMutex);
    if (mOldestPendingMs == 0)
      mOldestPendingMs = seenMs;
    for (auto &change : changedCases)
    {
      const QString number = change.first.number;
      mPendingClosed.erase(number);
      mPendingCases[number] = {std::move(change.first), std::move(change.second), timing};
    }
    for (const QString &number : closed)
    {
      mPendingCases.erase(number);
      mPendingClosed[number] = true;
    }
    for (map::WorkerPin &worker : changedWorkers)
      mPendingWorkers[worker.workerId] = std::move(worker);
    return true;
  }
  return false;
}

} // namespace gd::console
