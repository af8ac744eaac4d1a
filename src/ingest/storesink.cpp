#include "ingest/storesink.h"

#include "ingest/orderframes.h"

#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/gridstore.h"
#include "store/feed/orderstore.h"
#include "store/feed/positionstore.h"
#include "store/schema.h"
#include "store/storeerror.h"
#include "store/writer.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <iterator>
#include <random>
#include <unistd.h>
#include <optional>
#include <stdexcept>
#include <variant>

namespace gd::ingest {

using feed::FrameOutcome;

namespace {

feed::FieldCode codeOfRefusal(std::string_view reason)
{
  if (reason == "unknown_case")
    return feed::FieldCode::UnknownCase;
  if (reason == "forbidden")
    return feed::FieldCode::Forbidden;
  if (reason == "bad_value")
    return feed::FieldCode::BadValue;
  // Every other refusal of the workflow is a step the case's state does not allow.
  return feed::FieldCode::BadTransition;
}

std::string gridFromMicroGrid(const std::string &code)
{
  return code.size() >= 15 ? code.substr(0, 15) : code;
}

// Keeps the newer of two fixes of a worker (the later one on a tie: frames come in seq order).
void keepNewest(std::map<std::string, store::PositionFix> &latest, const store::PositionFix &fix)
{
  auto [it, inserted] = latest.try_emplace(fix.workerId, fix);
  if (!inserted && fix.at >= it->second.at)
    it->second = fix;
}


} // namespace

StoreSink::StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config)
  : StoreSink(path, config, store::Writer::Durability::Full)
{}

StoreSink::StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config,
                     store::Writer::Durability durability)
  : StoreSink(path, config, durability, store::Writer::kDefaultDiskReserveBytes)
{}

StoreSink::StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config,
                     store::Writer::Durability durability, std::uint64_t diskReserveBytes, DiskFullObserver diskFull)
  : StoreSink(store::StoreLocation::file(path), config, durability, diskReserveBytes, std::move(diskFull))
{}

StoreSink::StoreSink(const store::StoreLocation &location, const store::ConfigDirectory &config,
                     store::Writer::Durability durability, std::uint64_t diskReserveBytes, DiskFullObserver diskFull)
  : mConfig(config)
  , mWorkflow(std::make_unique<core::Workflow>(&config.departments))
  , mClock(std::make_unique<core::SlaClock>(config.catalog, config.calendar))
  , mLocation(location)
{
  {
    store::Database db(location, store::Database::Mode::ReadWrite);
    mGrids = store::GridStore(db).load();
  }
  mIndex = std::make_unique<core::GridIndex>(mGrids, core::GridLevel::MicroGrid);
  for (const core::GridNode *grid : mGrids.nodesAt(core::GridLevel::Grid))
    for (const core::GridPerson &worker : grid->workers)
      mGridOfWorker[worker.id] = grid->code.str();
  mWriter = std::make_unique<store::Writer>(location, 4096, durability, diskReserveBytes);
  // Commits at most every millisecond: on a disk that syncs in 0.1 ms the eager writer
  // committed a few frames at a time and paid BEGIN, the device rows and the WAL frames again
  // for each few. Same run, 10,000 frames/s: 81 -> 69 µs of gateway CPU a frame, p99 12-72 ->
  // 8-10 ms; 50,000/s offered for 60 s: 41,200 -> 47,000 acknowledged/s (docs/performance.md).
  mWriter->setCommitInterval(std::chrono::milliseconds(1));
  if (location.isPostgres())
    mMaxDrainFrames = kMaxDrainFramesPostgres;
  // A gateway that was killed may have acknowledged frames (durable in the track and in
  // applied_frames) whose device's last_seq and worker's latest position it had not yet
  // written: bring both up to date first, before the mark moves past those fixes.
  if (diskFull)
    mWriter->setDiskFullObserver(std::move(diskFull));
  const auto recover = [](store::Database &db) { recoverDurableState(db); };
  // (A database on PostgreSQL has no background check: the server keeps its pages sound.)
  if (!location.isPostgres() && store::Schema::integrity(location.path()).state == store::Schema::Integrity::Checking)
  {
    // A large store is still being checked in the background (Schema::setBackgroundCheck) and
    // nothing commits, nor is acked, until it passed: the recovery is the writer's first job but
    // not waited for here. Hellos are answered once it committed (a welcome says the device's
    // last_seq).
    auto recovered = std::make_shared<std::promise<void>>();
    mRecovered = recovered->get_future().share();
    mWriter->runFirst(recover, [recovered](std::exception_ptr error) {
      if (error)
        recovered->set_exception(error);
      else
        recovered->set_value();
    });
  }
  else
  {
    // On a full disk this waits (the writer says so through the observer) until space is freed:
    // a gateway restarted on a full disk starts by itself once there is room.
    for (;;)
    {
      try
      {
        mWriter->run(recover);
        break;
      }
      catch (const store::StoreError &e)
      {
        if (e.primaryCode() != 13 /* SQLITE_FULL */ || !mWriter->diskFull())
          throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    }
    std::promise<void> recovered;
    recovered.set_value();
    mRecovered = recovered.get_future().share();
  }
  mPublisher.start(false); // the first look one interval on
  mAuthThread.start();
}

core::WorkerThread::Options StoreSink::authOptions()
{
  core::WorkerThread::Options options;
  options.hasWork = [this] { return !mAuthQueue.empty(); };
  options.drainOnStop = true; // every hello answered
  // The connection is closed on the thread that used it.
  options.atExit = [this] { mAuthDb.reset(); };
  return options;
}

core::WorkerThread::Next StoreSink::authRound()
{
  // Woken by a hello, or every kRevocationPoll to look for revoked devices.
  std::vector<AuthRequest> requests;
  {
    std::lock_guard lock(mAuthThread.mutex());
    requests.swap(mAuthQueue);
  }
  const bool watch = mWatching.load();
  // Not before the start's recovery committed (after a large store's background check):
  // waited for in steps, so that a stop is not held up by it.
  bool recovered = false;
  for (;;)
  {
    if (mRecovered.wait_for(std::chrono::milliseconds(50)) == std::future_status::ready)
    {
      try
      {
        mRecovered.get();
        recovered = true;
      }
      catch (const std::exception &)
      {
      }
      break;
    }
    if (mAuthThread.stopping())
      break;
  }
  std::vector<std::string> taking;
  std::vector<feed::AuthResult> answers;
  answers.reserve(requests.size());
  for (AuthRequest &request : requests)
  {
    feed::AuthResult result = feed::AuthResult::refuse("unknown device or wrong token");
    try
    {
      if (!recovered)
        throw std::runtime_error("the store is not ready");
      if (!mAuthDb)
        mAuthDb = std::make_unique<store::Database>(mLocation, store::Database::Mode::ReadOnly);
      store::DeviceRegistry registry(*mAuthDb);
      if (const auto auth = registry.authenticate(request.hello.device, request.hello.token))
      {
        // What is durable: the row's last_seq, what this gateway committed since, and on
        // PostgreSQL (several gateways) what any gateway committed. Frames the device still has
        // in flight come back as duplicates: the session taken below orders this gateway's
        // frames of the device after everything the other gateway applied.
        std::int64_t lastSeq = std::max(auth->lastSeq, committedLastSeq(request.hello.device));
        if (mLocation.isPostgres())
          lastSeq = std::max(lastSeq, registry.takeoverLastSeq(request.hello.device));
        result = feed::AuthResult::accept(lastSeq);
        // Before the answer: a revocation or another gateway's takeover seen after this is
        // checked against it (its generation is set when the session is taken).
        {
          std::lock_guard lock(mRevokedMutex);
          mLetIn[request.hello.device] = kSessionPending;
        }
        taking.push_back(request.hello.device);
      }
    }
    catch (const std::exception &)
    {
      mAuthDb.reset(); // opened again for the next hello
      result = feed::AuthResult::busy("the center could not check the device just now; try again");
    }
    answers.push_back(std::move(result));
  }
  // The sessions are asked for (one job for the round: after a restart thousands of terminals
  // say hello at once) before the welcomes are sent: the devices' frames, which follow their
  // welcome, come after it in the writer's queue.
  if (!taking.empty())
    takeSessions(std::move(taking));
  for (std::size_t i = 0; i < requests.size(); ++i)
    requests[i].done(std::move(answers[i]));
  if (watch && std::chrono::steady_clock::now() >= mNextRevocationCheck)
  {
    mNextRevocationCheck = std::chrono::steady_clock::now() + kRevocationPoll;
    try
    {
      if (!mAuthDb)
        mAuthDb = std::make_unique<store::Database>(mLocation, store::Database::Mode::ReadOnly);
      checkRevocations(*mAuthDb);
      checkSessions(*mAuthDb);
    }
    catch (const std::exception &)
    {
      mAuthDb.reset(); // checked again at the next poll
    }
  }
  else if (!watch)
    mNextRevocationCheck = std::chrono::steady_clock::now() + kRevocationPoll;
  return core::WorkerThread::Next::at(mNextRevocationCheck);
}

void StoreSink::checkRevocations(store::Database &db)
{
  store::DeviceRegistry registry(db);
  const store::DevicesRevision revision = registry.revision();
  if (mSeenRevision && *mSeenRevision == revision)
    return;
  // The first poll also checks: a revocation may have committed between a hello and it.
  mSeenRevision = revision;
  std::vector<std::string> letIn;
  {
    std::lock_guard lock(mRevokedMutex);
    for (const auto &[device, generation] : mLetIn)
      letIn.push_back(device);
  }
  std::vector<std::string> gone;
  for (const std::string &device : letIn)
    if (!registry.isActive(device))
      gone.push_back(device);
  std::lock_guard lock(mRevokedMutex);
  for (const std::string &device : gone)
  {
    // A hello of the device answered meanwhile finds it gone and is refused (takeSession).
    if (mLetIn.erase(device) > 0 && mRevoked)
      mRevoked(device, DeviceGone::Revoked);
  }
}

void StoreSink::checkSessions(store::Database &db)
{
  const std::vector<store::DeviceSession> sessions = store::DeviceRegistry(db).sessionsAfter(mSeenGeneration);
  if (sessions.empty())
    return;
  mSeenGeneration = sessions.back().generation;
  std::lock_guard lock(mRevokedMutex);
  for (const store::DeviceSession &session : sessions)
  {
    if (session.gateway == mInstance)
      continue;
    // Let in here before the other gateway took it. A hello here after that is kSessionPending
    // until its own session (newer than the other's) is taken: not closed.
    const auto it = mLetIn.find(session.device);
    if (it == mLetIn.end() || it->second > session.generation)
      continue;
    mLetIn.erase(it);
    if (mRevoked)
      mRevoked(session.device, DeviceGone::ConnectedElsewhere);
  }
}

void StoreSink::takeSessions(std::vector<std::string> devices)
{
  // The welcome is not held back by this job: a terminal is let in while another connection
  // holds the store's write lock (a long import, a migration). A drain that comes first takes
  // the session itself (see scheduleDrain), so either way it is taken before the device's
  // first frame here is applied.
  auto taken = std::make_shared<SeqList>();
  mWriter->submit(
    [this, devices = std::move(devices), taken](store::Database &db) {
      taken->clear();
      settleDoubt(db);
      store::DeviceRegistry registry(db);
      const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      for (const std::string &device : devices)
        if (sessionPending(device))
          taken->emplace_back(device, takeSessionHere(registry, device, now));
    },
    [this, taken](std::exception_ptr error) {
      // Failed: the sessions stay where they were; the devices' frames are answered with no
      // outcome (held elsewhere) until a new hello takes them.
      if (error)
        seqsRolledBack();
      else
        seqsCommitted(*taken, {});
    });
}

bool StoreSink::sessionPending(const std::string &device)
{
  std::lock_guard lock(mRevokedMutex);
  const auto it = mLetIn.find(device);
  return it != mLetIn.end() && it->second == kSessionPending;
}

std::int64_t StoreSink::takeSessionHere(store::DeviceRegistry &registry, const std::string &device, core::TimePoint now)
{
  const std::int64_t generation = registry.takeSession(device, mInstance, now);
  // Where its frames resume here: what any gateway stored of it (read under the one-writer
  // lock, after the other gateway's last commit of it), and what this one applied in the open
  // transaction.
  std::int64_t seq = registry.takeoverLastSeq(device);
  if (const auto known = mSeqs.find(device); known != mSeqs.end())
    seq = std::max(seq, known->second.current);
  mSeqs[device].current = seq;
  std::lock_guard lock(mRevokedMutex);
  if (const auto it = mLetIn.find(device); it != mLetIn.end() && it->second == kSessionPending)
    it->second = generation; // not when cut off meanwhile
  return seq;
}

void StoreSink::watchRevocations(RevokedCallback revoked)
{
  std::lock_guard lock(mRevokedMutex);
  mRevoked = std::move(revoked);
  mWatching = static_cast<bool>(mRevoked);
}

void StoreSink::recoverDurableState(store::Database &db)
{
  store::PositionStore positions(db);
  store::DeviceRegistry(db).recoverLastSeq(positions.publishedThrough());
  positions.catchUpLatest();
}

void StoreSink::settleDoubt(store::Database &db)
{
  if (!mInDoubt)
    return;
  // Before anything of this job reads a device's last_seq or moves the published mark (once
  // past a fix, the mark says its seq is in devices.last_seq): the failed group may have
  // committed after all. Cleared now; the failure of this job's group sets it again.
  recoverDurableState(db);
  mInDoubt = false;
}

void StoreSink::publishLeftOver()
{
  if (!mHaveUnpublished.load())
    return;
  // Through the writer like everything else: the fixes are read and written on its thread.
  auto fixes = std::make_shared<LatestFixes>();
  auto written = std::make_shared<SeqList>();
  // Rows of this gateway's workers and devices only: beside other gateways' position groups
  // (store::Writer::Lock::Shared), unless a failed group left something to settle first.
  const store::Writer::Lock lock = mInDoubt ? store::Writer::Lock::Exclusive : store::Writer::Lock::Shared;
  mWriter->submit(
    [this, fixes, written](store::Database &db) {
      if (std::chrono::steady_clock::now() - mPublishedAt < kPublishEvery)
        return; // a drain published meanwhile
      if (mInDoubt && db.writeLockShared())
        return; // in doubt since it was queued: the next round settles it, holding the lock alone
      settleDoubt(db);
      *fixes = mUnpublished;
      publishLatest(db, *fixes);
      *written = writeLastSeqs(db);
      store::PositionStore(db).markPublishedThrough(mTrackIdCommitted);
      mPublishedAt = std::chrono::steady_clock::now();
    },
    [this, fixes, written](std::exception_ptr error) {
      if (error)
      {
        mInDoubt = true;
        return;
      }
      seqsCommitted({}, *written);
      for (const auto &[worker, fix] : *fixes)
        if (auto it = mUnpublished.find(worker); it != mUnpublished.end() && it->second.at <= fix.at)
          mUnpublished.erase(it);
      mHaveUnpublished = !mUnpublished.empty() || !mSeqsToWrite.empty();
    },
    lock);
}

std::string StoreSink::newInstanceName()
{
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0)
    host[0] = '\0';
  std::random_device random;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + suffix;
}

StoreSink::~StoreSink()
{
  mAuthThread.stop(); // answers the hellos queued
  mPublisher.stop();
  // The writer commits what is queued and answers every callback before its thread ends;
  // the latest fixes still unpublished are written first. Not while a large store's background
  // check still runs: nothing was committed (nor acknowledged) yet, so nothing is to publish,
  // and a stop does not sit out the check (half a minute on a cold 1 M-case store).
  try
  {
    if (mLocation.isPostgres() || store::Schema::integrity(mWriter->path()).state != store::Schema::Integrity::Checking)
      flush();
  }
  catch (...)
  {
    // The store failed: the fixes are in the track (with their seqs) and the other frames in
    // applied_frames, and the next start catches up (recoverLastSeq, catchUpLatest).
  }
  mWriter.reset();
}

void StoreSink::flush()
{
  // Until every batch submitted before is in: a drain that took only part of them (PostgreSQL)
  // queued the next one behind this flush's own job.
  for (;;)
  {
    mWriter->flush();
    std::lock_guard lock(mPendingMutex);
    if (!mDrainScheduled)
      break;
  }
  // Whatever drain came last, the workers' latest positions are published once flush returns.
  // So are the devices' last_seqs, in devices.last_seq.
  auto fixes = std::make_shared<LatestFixes>();
  auto written = std::make_shared<SeqList>();
  std::promise<void> published;
  auto future = published.get_future();
  mWriter->submit(
    [this, fixes, written](store::Database &db) {
      settleDoubt(db);
      *fixes = mUnpublished;
      publishLatest(db, *fixes);
      *written = writeLastSeqs(db);
      store::PositionStore(db).markPublishedThrough(mTrackIdCommitted);
    },
    [this, fixes, written, &published](std::exception_ptr error) {
      if (!error)
      {
        seqsCommitted({}, *written);
        for (const auto &[worker, fix] : *fixes)
          if (auto it = mUnpublished.find(worker); it != mUnpublished.end() && it->second.at <= fix.at)
            mUnpublished.erase(it);
      }
      mHaveUnpublished = !mUnpublished.empty() || !mSeqsToWrite.empty();
      if (error)
      {
        mInDoubt = true;
        published.set_exception(error);
      }
      else
        published.set_value();
    });
  future.get();
}

std::size_t StoreSink::commitCount() const
{
  return mWriter->commitCount();
}

store::Writer::CommitTimes StoreSink::commitTimes() const
{
  return mWriter->commitTimes();
}

StoreSink::SeqList StoreSink::writeLastSeqs(store::Database &db, const SeqList &pending)
{
  std::map<std::string_view, std::int64_t> values;
  for (auto device = mSeqsToWrite.begin(); device != mSeqsToWrite.end();)
  {
    const auto it = mSeqs.find(*device);
    if (it == mSeqs.end() || it->second.current <= it->second.written)
    {
      device = mSeqsToWrite.erase(device); // nothing left to write (a failed group took it back)
      continue;
    }
    values.emplace(*device, it->second.current);
    ++device;
  }
  for (const auto &[device, seq] : pending)
  {
    auto [it, inserted] = values.try_emplace(device, seq);
    if (!inserted)
      it->second = std::max(it->second, seq);
  }
  SeqList written;
  written.reserve(values.size());
  for (const auto &[device, seq] : values)
    written.emplace_back(std::string(device), seq);
  store::DeviceRegistry(db).advanceLastSeqs(written);
  return written;
}

void StoreSink::seqsCommitted(const SeqList &advanced, const SeqList &written)
{
  for (const auto &[device, seq] : advanced)
  {
    SeqState &state = mSeqs[device];
    state.committed = std::max(state.committed, seq);
    state.current = std::max(state.current, seq);
    if (state.current > state.written)
      mSeqsToWrite.insert(device);
  }
  for (const auto &[device, seq] : written)
  {
    SeqState &state = mSeqs[device];
    state.written = std::max(state.written, seq);
    if (state.written >= state.current)
      mSeqsToWrite.erase(device);
  }
  if (advanced.empty())
    return;
  std::lock_guard lock(mCommittedSeqsMutex);
  for (const auto &[device, seq] : advanced)
  {
    auto [it, inserted] = mCommittedSeqs.try_emplace(device, seq);
    if (!inserted)
      it->second = std::max(it->second, seq);
  }
}

void StoreSink::seqsRolledBack()
{
  // A group that failed as a whole: what its jobs raised is gone with it. The jobs of the group
  // that did commit raise theirs again in their own completion (seqsCommitted), which comes after.
  for (auto &[device, state] : mSeqs)
    state.current = state.committed;
}

std::int64_t StoreSink::committedLastSeq(const std::string &device)
{
  std::lock_guard lock(mCommittedSeqsMutex);
  const auto it = mCommittedSeqs.find(device);
  return it == mCommittedSeqs.end() ? 0 : it->second;
}

void StoreSink::publishLatest(store::Database &db, const LatestFixes &fixes, const LatestFixes &newer)
{
  // The newer of the two per worker (on a tie \a newer's), all in one call (one statement on PostgreSQL).
  std::vector<store::PositionFix> latest;
  latest.reserve(fixes.size() + newer.size());
  for (const auto &[worker, fix] : fixes)
    if (const auto it = newer.find(worker); it == newer.end() || it->second.at < fix.at)
      latest.push_back(fix);
  for (const auto &[worker, fix] : newer)
    if (const auto it = fixes.find(worker); it == fixes.end() || it->second.at <= fix.at)
      latest.push_back(fix);
  // In the order of worker_id: two gateways' groups holding the write lock shared lock the rows
  // of a worker both publish (a terminal that moved between them) in one order, never crosswise.
  std::sort(latest.begin(), latest.end(), [](const store::PositionFix &a, const store::PositionFix &b) { return a.workerId < b.workerId; });
  store::PositionStore(db).updateLatest(latest);
}

void StoreSink::authenticate(const feed::HelloFrame &hello, AuthCallback done)
{
  {
    std::lock_guard lock(mAuthThread.mutex());
    mAuthQueue.push_back({hello, std::move(done)});
  }
  mAuthThread.notify();
}

bool StoreSink::positionsOnly(const feed::FrameBatch &batch)
{
  if (mInDoubt)
    return false;
  for (const feed::SequencedFrame &frame : batch.frames)
    if (!std::holds_alternative<feed::PositionFrame>(frame))
      return false;
  return !sessionPending(batch.device);
}

void StoreSink::submit(feed::FrameBatch batch, SubmitCallback done)
{
  const bool exclusive = !positionsOnly(batch);
  bool schedule = false;
  store::Writer::Lock lock = store::Writer::Lock::Shared;
  {
    std::lock_guard guard(mPendingMutex);
    mPending.push_back({std::move(batch), std::move(done)});
    mPendingExclusive = mPendingExclusive || exclusive;
    schedule = !mDrainScheduled;
    mDrainScheduled = true;
    if (mPendingExclusive)
      lock = store::Writer::Lock::Exclusive;
  }
  if (schedule)
    scheduleDrain(lock);
}

void StoreSink::scheduleDrain(store::Writer::Lock lockMode)
{
  struct Drain
  {
    std::vector<Pending> taken;
    std::vector<std::vector<FrameOutcome>> outcomes;
    LatestFixes latest; // this job's newest fix per worker
    bool published = false;
    std::int64_t lastTrackId = 0; // positions.id of this job's last fix
    SeqList advanced;             // the devices whose last_seq this job raised, and to what
    SeqList written;              // the last_seqs written to devices with the mark (when published)
    SeqList sessions;             // the devices whose session this job took, and their last_seq then
    bool ran = false;             // the job began (the writer fails jobs unrun on a full disk)
    std::vector<bool> requeued;   // taken[i] went back to mPending (a shared group met a session to take)
  };
  auto drain = std::make_shared<Drain>();
  mWriter->submit(
    [this, drain](store::Database &db) {
      drain->ran = true;
      // Holding the write lock shared (PostgreSQL, a group of positions only): beside other
      // gateways' position groups, so nothing here may write a row another such group writes
      // (no session taken, no settling, no case or order) — those batches wait for a drain of
      // their own that holds the lock alone.
      const bool shared = db.writeLockShared();
      bool more = false;
      store::Writer::Lock nextLock = store::Writer::Lock::Shared;
      {
        // Whatever is pending when the job runs, not when it was queued: under load the
        // batches of many terminals share one job. A submit after this schedules the next.
        // Up to mMaxDrainFrames (PostgreSQL): the rest goes to a job of the next group.
        // Holding the lock shared (PostgreSQL), the batches of positions only (positionsOnly()),
        // of each device up to its first batch that needs the lock alone (a device's frames keep
        // their order: once one of its batches stays behind, so do its later ones); the rest
        // goes to a drain of the next group, asking the lock alone. Holding it alone, everything
        // (up to the bound), as before: splitting there too (exclusive groups of the reports
        // only) doubled one gateway's commits under the simulator's mix, for a gain only while
        // another gateway's position group could run beside (docs/performance.md, issue 16).
        std::lock_guard lock(mPendingMutex);
        const bool postgres = mLocation.isPostgres();
        // Only as far as the job can take: under a backlog (hundreds of thousands of frames)
        // the rest is left as it is, not looked at again by every drain.
        std::vector<char> pick(mPending.size(), 0);
        std::set<std::string_view> blocked; // devices with a batch left behind
        std::size_t frames = 0, examined = 0;
        bool any = false, leftAlone = false;
        if (!(shared && mInDoubt)) // in doubt: nothing until a drain holding the lock alone settled it
          for (; examined < mPending.size() && !(any && frames >= mMaxDrainFrames); ++examined)
          {
            const feed::FrameBatch &batch = mPending[examined].batch;
            const bool alone = postgres && !positionsOnly(batch);
            bool take = blocked.count(batch.device) == 0 && (!any || frames + batch.frames.size() <= mMaxDrainFrames);
            if (take && shared)
              take = !alone;
            if (!take)
            {
              leftAlone = leftAlone || alone;
              blocked.insert(batch.device);
              continue;
            }
            pick[examined] = 1;
            frames += batch.frames.size();
            any = true;
          }
        if (examined == mPending.size() && !leftAlone && blocked.empty())
          drain->taken.swap(mPending); // all of it (a file's drain always)
        else
        {
          std::vector<Pending> left;
          left.reserve(mPending.size());
          for (std::size_t i = 0; i < mPending.size(); ++i)
          {
            if (pick[i])
              drain->taken.push_back(std::move(mPending[i]));
            else
              left.push_back(std::move(mPending[i]));
          }
          mPending.swap(left);
        }
        more = !mPending.empty();
        // A batch not looked at that needs the lock alone set mPendingExclusive when it came
        // (submit()); one looked at says so now. Whatever came since the batches were looked at
        // (a hello: a session now due) is caught by the next drain, or by this one's requeue.
        mPendingExclusive = leftAlone || (shared && mInDoubt && more) || (examined < mPending.size() + drain->taken.size() && mPendingExclusive);
        if (mPendingExclusive)
          nextLock = store::Writer::Lock::Exclusive;
        mDrainScheduled = more;
      }
      if (more)
        scheduleDrain(nextLock); // queued behind this group: it commits first and acks its frames
      drain->requeued.assign(drain->taken.size(), false);
      drain->outcomes.clear();
      drain->advanced.clear();
      drain->written.clear();
      drain->sessions.clear();
      settleDoubt(db);
      const auto sessionTime = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      // Each device's row is read once per job, however many of its batches the job holds,
      // and not written (see mSeqs); the track is written in multi-row statements.
      std::map<std::string_view, DeviceState> devices;
      std::vector<store::TrackPoint> track;
      std::map<std::string_view, std::size_t> newest; // worker → its newest fix in track
      std::set<std::string_view> requeue;              // devices whose session is due (shared: see below)
      store::DeviceRegistry registry(db);
      {
        // The rows of all the job's devices in one read (on PostgreSQL one round trip, not one a device).
        std::vector<std::string> ids;
        for (const Pending &pending : drain->taken)
          if (devices.try_emplace(pending.batch.device).second)
            ids.push_back(pending.batch.device);
        for (const store::DeviceInfo &device : registry.find(ids))
        {
          std::int64_t seq = device.lastSeq;
          if (const auto known = mSeqs.find(device.id); known != mSeqs.end())
            seq = std::max(seq, known->second.current);
          // The session, read in this transaction under the one-writer lock: a device let in
          // here whose session is not taken yet takes it now, before any of its frames; one
          // another gateway took since is not applied here (that gateway applies it).
          bool elsewhere = false;
          if (device.sessionGateway != mInstance)
          {
            if (shared && sessionPending(device.id))
            {
              // Let in since its batches were taken: they go back for a drain holding the lock alone.
              if (const auto it = devices.find(device.id); it != devices.end())
                requeue.insert(it->first);
              continue;
            }
            if (sessionPending(device.id))
            {
              seq = std::max(seq, takeSessionHere(registry, device.id, sessionTime));
              drain->sessions.emplace_back(device.id, seq);
            }
            else
              elsewhere = !device.sessionGateway.empty();
          }
          if (const auto it = devices.find(device.id); it != devices.end())
            it->second = {true, device.revoked, device.workerId, seq, seq, elsewhere};
        }
      }
      for (std::size_t i = 0; i < drain->taken.size(); ++i)
      {
        const Pending &pending = drain->taken[i];
        DeviceState &device = devices.find(pending.batch.device)->second;
        if (requeue.count(pending.batch.device) > 0)
          drain->outcomes.emplace_back(); // requeued at the end of the job (its session is taken first)
        else if (refusedForGap(pending.batch, device.lastSeq))
          drain->outcomes.emplace_back(); // not stored: the terminal resends from its last_seq
        else
          drain->outcomes.push_back(applyBatch(db, pending.batch, device, track, newest));
      }
      LatestFixes &latest = drain->latest;
      for (const auto &[worker, index] : newest)
      {
        const store::TrackPoint &p = track[index];
        latest.emplace(std::string(worker),
                       store::PositionFix{std::string(p.deviceId), std::string(worker), p.at, p.point, p.accuracyM});
      }
      drain->lastTrackId = store::PositionStore(db).recordTracks(track.data(), track.size());
      for (const auto &[device, state] : devices)
        if (state.known && state.lastSeq > state.startLastSeq)
          drain->advanced.emplace_back(std::string(device), state.lastSeq);
      // At most every kPublishEvery: when traffic is light that is every drain, so the latest
      // position moves with the ack; under load the R-tree of worker_positions is updated a
      // few times a second instead of for every group. What traffic leaves behind when it
      // stops, the publisher thread writes.
      const auto now = std::chrono::steady_clock::now();
      drain->published = (!latest.empty() || !mUnpublished.empty() || !drain->advanced.empty() || !mSeqsToWrite.empty()) &&
                         now - mPublishedAt >= kPublishEvery;
      if (drain->published)
      {
        publishLatest(db, mUnpublished, latest);
        // Every fix before this job is covered by mSeqs, and this job's by drain->advanced.
        drain->written = writeLastSeqs(db, drain->advanced);
        // Every fix committed before this job was in mUnpublished, and this job's are in latest.
        store::PositionStore(db).markPublishedThrough(std::max(drain->lastTrackId, mTrackIdCommitted));
        mPublishedAt = now;
      }
      // Last, once nothing of the job can fail: the next jobs of this group start from these.
      for (const auto &[device, seq] : drain->advanced)
      {
        SeqState &state = mSeqs[device];
        state.current = std::max(state.current, seq);
        if (state.current > state.written)
          mSeqsToWrite.insert(device); // a publication later in this group covers these fixes too
      }
      // Batches of a device whose session became due after they were taken (a hello meanwhile):
      // back in front of what is pending, in their order and before any later batch of theirs,
      // for a drain that takes the session holding the lock alone. Nothing of them was applied.
      if (!requeue.empty())
      {
        // Copied first: the views point into the batches about to be moved.
        const std::set<std::string, std::less<>> again(requeue.begin(), requeue.end());
        std::vector<Pending> back;
        for (std::size_t i = 0; i < drain->taken.size(); ++i)
          if (again.count(drain->taken[i].batch.device) > 0)
          {
            drain->requeued[i] = true;
            back.push_back(std::move(drain->taken[i]));
            drain->taken[i].batch.frames.clear(); // moved from: nothing of it to note as failed
          }
        bool schedule = false;
        {
          std::lock_guard lock(mPendingMutex);
          mPending.insert(mPending.begin(), std::make_move_iterator(back.begin()), std::make_move_iterator(back.end()));
          mPendingExclusive = true;
          schedule = !mDrainScheduled;
          mDrainScheduled = true;
        }
        if (schedule)
          scheduleDrain(store::Writer::Lock::Exclusive);
      }
    },
    [this, drain](std::exception_ptr error) {
      if (!drain->ran)
      {
        // Failed before it ran (the disk is full): the batches it was to take are still
        // pending, and no other drain is scheduled while this one was. Answer them now (nothing
        // stored, the terminals resend), or they would wait for ever.
        std::lock_guard lock(mPendingMutex);
        drain->taken.swap(mPending);
        mDrainScheduled = false;
      }
      // Committed: what was published is in worker_positions, the rest waits (writer thread).
      if (error)
      {
        seqsRolledBack();
        mInDoubt = true;
        noteFailed(drain->taken);
      }
      else
      {
        seqsCommitted(drain->sessions, {});
        seqsCommitted(drain->advanced, drain->written);
      }
      if (!error)
      {
        mTrackIdCommitted = std::max(mTrackIdCommitted, drain->lastTrackId);
        if (drain->published)
          mUnpublished.clear();
        else
          for (const auto &[worker, fix] : drain->latest)
            keepNewest(mUnpublished, fix);
        mHaveUnpublished = !mUnpublished.empty() || !mSeqsToWrite.empty();
      }
      // On a store failure every batch of the job is answered empty: nothing was stored, and
      // the gateway tells those terminals to reconnect and resend (see FrameSink).
      for (std::size_t i = 0; i < drain->taken.size(); ++i)
        if (i >= drain->requeued.size() || !drain->requeued[i]) // a requeued batch is answered by a later drain
          drain->taken[i].done(error || i >= drain->outcomes.size() ? std::vector<FrameOutcome>()
                                                                     : std::move(drain->outcomes[i]));
    },
    lockMode);
}

void StoreSink::noteFailed(const std::vector<Pending> &batches)
{
  for (const Pending &pending : batches)
    if (!pending.batch.frames.empty())
    {
      const std::int64_t first = feed::frameSeq(pending.batch.frames.front());
      auto [it, inserted] = mResendFrom.try_emplace(pending.batch.device, first);
      if (!inserted)
        it->second = std::min(it->second, first);
    }
}

bool StoreSink::refusedForGap(const feed::FrameBatch &batch, std::int64_t lastSeq)
{
  // Found by bench/store/gateway_failover.sh: a group failed with a terminal's frame 705 (the
  // primary killed); its next batch (706 …), sent before the terminal heard, was still pending
  // and committed on the promoted standby: last_seq 706 without 705, and the next welcome
  // acknowledged 705, which was never stored. A batch is stored when it is the resend (it
  // begins at or below the failed frame), or continues what is stored (it begins at last_seq+1:
  // seqs skipped by the gateway's own rejects never reach the sink), or the failed frame is
  // stored after all (a COMMIT that went through, read back by settleDoubt()).
  const auto it = mResendFrom.find(batch.device);
  if (it == mResendFrom.end() || batch.frames.empty())
    return false;
  const std::int64_t first = feed::frameSeq(batch.frames.front());
  if (first <= it->second || first <= lastSeq + 1 || it->second <= lastSeq)
  {
    mResendFrom.erase(it);
    return false;
  }
  return true;
}

std::vector<FrameOutcome> StoreSink::applyBatch(store::Database &db, const feed::FrameBatch &batch, DeviceState &device,
                                                std::vector<store::TrackPoint> &track,
                                                std::map<std::string_view, std::size_t> &newest)
{
  std::vector<FrameOutcome> outcomes;
  // Connected through another gateway since: not applied here (no outcome: the gateway closes
  // this connection, and the terminal resends through the other, which reads what is stored).
  if (device.elsewhere)
    return outcomes;
  outcomes.reserve(batch.frames.size());
  store::DeviceRegistry registry(db);
  std::int64_t &lastSeq = device.lastSeq;
  const std::string &workerId = device.workerId;
  // Positions (most of the traffic) cannot be refused: they are collected for the track, each
  // with its seq (written at the end of the job, before anything commits), and the worker's
  // latest fix is kept once for the job. Other frames are applied in a savepoint each and their
  // seq and result recorded in applied_frames (the case number a report's ack carries; the code
  // of a refusal). The device's last_seq moves in memory (mSeqs), not in its row.
  for (const feed::SequencedFrame &frame : batch.frames)
  {
    const std::int64_t seq = feed::frameSeq(frame);
    if (device.revoked)
    {
      // Revoked while connected (any process): nothing more of it is stored, however soon
      // after the revocation the frame comes, and its connection is being cut off.
      outcomes.push_back(FrameOutcome::rejected(feed::FieldCode::AuthFailed, "device: this terminal has been revoked"));
      continue;
    }
    if (!device.known || seq <= lastSeq)
    {
      // Applied before (a resend after a lost ack): acknowledged again, applied once.
      outcomes.push_back(device.known ? FrameOutcome::duplicate()
                                      : FrameOutcome::rejected(feed::FieldCode::Forbidden, "device: this terminal is not registered"));
      continue;
    }
    lastSeq = seq;
    if (const auto *position = std::get_if<feed::PositionFrame>(&frame))
    {
      const store::TrackPoint &point = track.emplace_back(store::TrackPoint{
        batch.device, workerId, position->at.value_or(batch.receivedAt), position->location, position->accuracyM, seq});
      auto [it, first] = newest.try_emplace(point.workerId, track.size() - 1);
      if (!first && point.at >= track[it->second].at)
        it->second = track.size() - 1;
      outcomes.push_back(FrameOutcome::accepted());
      ++mApplied;
      continue;
    }
    store::Savepoint savepoint(db);
    FrameOutcome outcome = apply(db, batch.device, workerId, frame, batch.receivedAt);
    if (outcome.kind == FrameOutcome::Kind::Rejected)
    {
      // Nothing of a refused frame is kept but its seq: the terminal must not resend it.
      savepoint.rollback();
      registry.recordApplied(batch.device, seq, batch.receivedAt, "rejected:" + std::string(feed::fieldCodeName(outcome.code)));
    }
    else
    {
      registry.recordApplied(batch.device, seq, batch.receivedAt, outcome.caseNumber);
      savepoint.release();
      ++mApplied;
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

namespace {

//! The workflow step a terminal's update asks for.
core::CaseAction caseActionOf(feed::UpdateAction action)
{
  switch (action)
  {
    case feed::UpdateAction::Accept: return core::CaseAction::StartHandling;
    case feed::UpdateAction::Arrive: return core::CaseAction::Arrive;
    case feed::UpdateAction::Note: return core::CaseAction::Note;
    case feed::UpdateAction::Resolve: return core::CaseAction::Feedback;
    case feed::UpdateAction::Escalate: return core::CaseAction::Escalate;
    case feed::UpdateAction::Return: return core::CaseAction::Return;
  }
  return core::CaseAction::Note;
}

} // namespace

FrameOutcome StoreSink::apply(store::Database &db, const std::string &device, const std::string &workerId,
                              const feed::SequencedFrame &frame, core::TimePoint receivedAt)
{
  try
  {
    if (const auto *report = std::get_if<feed::ReportFrame>(&frame))
    {
      const core::Category *category = mConfig.catalog.find(report->category);
      if (!category)
        return FrameOutcome::rejected(feed::FieldCode::UnknownCategory,
                                      "category: '" + report->category + "' is not in the center's catalog");
      const core::GridNode *micro = mIndex->lookup(report->location);
      core::CaseCommand command;
      command.action = core::CaseAction::Report;
      command.actor = "device:" + device;
      command.at = receivedAt;
      core::CaseDetails &d = command.details;
      d.category = report->category;
      d.lon = report->location.lon;
      d.lat = report->location.lat;
      d.grid = micro ? micro->code.str() : std::string();
      d.title = report->title;
      d.description = report->description;
      d.priority = report->priority;
      d.source = std::string(feed::reportSourceName(report->source));
      d.address = report->address;
      if (!report->reporterName.empty() || !report->reporterPhone.empty())
        d.reporter = core::Reporter{report->reporterName, report->reporterPhone, {}};
      if (!workerId.empty())
        d.reportedByWorker = workerId;
      const std::string adminCode = micro ? std::string(micro->code.adminCode()) : std::string("000000");
      store::CaseStore cases(db, *mWorkflow, mClock.get());
      return FrameOutcome::accepted(cases.report(command, adminCode));
    }
    if (const auto *update = std::get_if<feed::UpdateFrame>(&frame))
    {
      store::CaseStore cases(db, *mWorkflow, mClock.get());
      const auto record = cases.find(update->caseNumber);
      if (!record)
        return FrameOutcome::rejected(feed::FieldCode::UnknownCase, "case: no case numbered '" + update->caseNumber + "'");
      // A terminal works the cases assigned to its worker, or reported in its worker's grid.
      const auto grid = mGridOfWorker.find(workerId);
      const bool ownGrid = grid != mGridOfWorker.end() && gridFromMicroGrid(record->gridCode) == grid->second;
      if (record->workerId != workerId && !ownGrid)
        return FrameOutcome::rejected(feed::FieldCode::Forbidden,
                                      "case: " + update->caseNumber + " is not assigned to this terminal's worker or grid");
      const auto action = caseActionOf(update->action);
      core::CaseCommand command;
      command.action = action;
      command.actor = "worker:" + workerId;
      command.at = update->at.value_or(receivedAt);
      command.note = update->note;
      if (update->location)
        command.details.lon = update->location->lon, command.details.lat = update->location->lat;
      if (command.note.empty() && (action == core::CaseAction::Return || action == core::CaseAction::Escalate))
        command.note = "reported from the field";
      cases.apply(update->caseNumber, command);
      return FrameOutcome::accepted();
    }
    if (const auto *ack = std::get_if<feed::OrderAckFrame>(&frame))
    {
      if (!store::OrderStore(db).acknowledge(device, ack->order, receivedAt))
        return FrameOutcome::rejected(feed::FieldCode::BadValue,
                                      "order: no order " + std::to_string(ack->order) + " was sent to this terminal");
      return FrameOutcome::accepted();
    }
  }
  catch (const store::StoreRefusal &refusal)
  {
    return FrameOutcome::rejected(codeOfRefusal(refusal.reason()), refusal.what());
  }
  catch (const core::WorkflowRefused &refused)
  {
    return FrameOutcome::rejected(codeOfRefusal(refused.refusal().code), refused.refusal().reason);
  }
  return FrameOutcome::rejected(feed::FieldCode::UnknownType, "type: not a frame the center applies");
}

void StoreSink::pendingOrders(const std::string &device, OrdersCallback done)
{
  auto orders = std::make_shared<std::vector<feed::OrderFrame>>();
  mWriter->submit(
    [this, device, orders](store::Database &db) {
      store::CaseStore cases(db, *mWorkflow, mClock.get());
      for (const store::Order &order : store::OrderStore(db).pending(device))
      {
        const auto record = order.caseNumber.empty() ? std::nullopt : cases.find(order.caseNumber);
        orders->push_back(toOrderFrame(order, record));
      }
    },
    [orders, done = std::move(done)](std::exception_ptr) { done(std::move(*orders)); });
}

} // namespace gd::ingest
