#include "ingest/storesink.h"

#include "ingest/orderframes.h"

#include "core/caseworkflow.h"
#include "core/slaclock.h"
#include "store/casestore.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/deviceregistry.h"
#include "store/gridstore.h"
#include "store/orderstore.h"
#include "store/positionstore.h"
#include "store/storeerror.h"
#include "store/writer.h"

#include <optional>
#include <variant>

namespace gd::ingest {

using feed::FrameOutcome;

namespace {

core::FieldCode codeOfRefusal(std::string_view reason)
{
  if (reason == "unknown_case")
    return core::FieldCode::UnknownCase;
  if (reason == "forbidden")
    return core::FieldCode::Forbidden;
  if (reason == "bad_value")
    return core::FieldCode::BadValue;
  // Every other refusal of the workflow is a step the case's state does not allow.
  return core::FieldCode::BadTransition;
}

std::string gridFromMicroGrid(const std::string &code)
{
  return code.size() >= 15 ? code.substr(0, 15) : code;
}

} // namespace

StoreSink::StoreSink(const std::filesystem::path &path, const store::ConfigDirectory &config)
  : mConfig(config)
  , mWorkflow(std::make_unique<core::Workflow>(&config.departments))
  , mClock(std::make_unique<core::SlaClock>(config.catalog, config.calendar))
{
  {
    store::Database db(path, store::Database::Mode::ReadWrite);
    mGrids = store::GridStore(db).load();
  }
  mIndex = std::make_unique<core::GridIndex>(mGrids, core::GridLevel::MicroGrid);
  for (const core::GridNode *grid : mGrids.nodesAt(core::GridLevel::Grid))
    for (const core::GridPerson &worker : grid->workers)
      mGridOfWorker[worker.id] = grid->code.str();
  mWriter = std::make_unique<store::Writer>(path);
}

StoreSink::~StoreSink()
{
  // The writer commits what is queued and answers every callback before its thread ends.
  mWriter.reset();
}

void StoreSink::flush()
{
  mWriter->flush();
}

void StoreSink::authenticate(const core::HelloFrame &hello, AuthCallback done)
{
  auto result = std::make_shared<feed::AuthResult>(feed::AuthResult::refuse("unknown device or wrong token"));
  mWriter->submit(
    [hello, result](store::Database &db) {
      if (const auto auth = store::DeviceRegistry(db).authenticate(hello.device, hello.token))
        *result = feed::AuthResult::accept(auth->lastSeq);
    },
    [result, done = std::move(done)](std::exception_ptr error) {
      done(error ? feed::AuthResult::refuse("the center could not check the device just now; try again") : *result);
    });
}

void StoreSink::submit(feed::FrameBatch batch, SubmitCallback done)
{
  bool schedule = false;
  {
    std::lock_guard lock(mPendingMutex);
    mPending.push_back({std::move(batch), std::move(done)});
    schedule = !mDrainScheduled;
    mDrainScheduled = true;
  }
  if (schedule)
    scheduleDrain();
}

void StoreSink::scheduleDrain()
{
  auto taken = std::make_shared<std::vector<Pending>>();
  auto outcomes = std::make_shared<std::vector<std::vector<FrameOutcome>>>();
  mWriter->submit(
    [this, taken, outcomes](store::Database &db) {
      {
        // Whatever is pending when the job runs, not when it was queued: under load the
        // batches of many terminals share one job. A submit after this schedules the next.
        std::lock_guard lock(mPendingMutex);
        taken->swap(mPending);
        mDrainScheduled = false;
      }
      outcomes->clear();
      for (const Pending &pending : *taken)
        outcomes->push_back(applyBatch(db, pending.batch));
    },
    [taken, outcomes](std::exception_ptr error) {
      // On a store failure every batch of the job is answered empty: nothing was stored, and
      // the gateway tells those terminals to reconnect and resend (see FrameSink).
      for (std::size_t i = 0; i < taken->size(); ++i)
        (*taken)[i].done(error || i >= outcomes->size() ? std::vector<FrameOutcome>() : std::move((*outcomes)[i]));
    });
}

std::vector<FrameOutcome> StoreSink::applyBatch(store::Database &db, const feed::FrameBatch &batch)
{
  std::vector<FrameOutcome> outcomes;
  outcomes.reserve(batch.frames.size());
  store::DeviceRegistry registry(db);
  const auto device = registry.find(batch.device);
  std::int64_t lastSeq = device ? device->lastSeq : 0;
  const std::string workerId = device ? device->workerId : std::string();
  // Positions (most of the traffic) cannot be refused: they go straight to the track, and
  // the worker's latest fix and the device's last_seq are written once for the batch.
  // Other frames are applied in a savepoint each and their result recorded (the case
  // number a report's ack carries; the code of a refusal).
  std::optional<store::PositionFix> latestFix;
  store::PositionStore positions(db);
  for (const core::SequencedFrame &frame : batch.frames)
  {
    const std::int64_t seq = core::frameSeq(frame);
    if (!device || seq <= lastSeq)
    {
      // Applied before (a resend after a lost ack): acknowledged again, applied once.
      outcomes.push_back(device ? FrameOutcome::duplicate()
                                 : FrameOutcome::rejected(core::FieldCode::Forbidden, "device: this terminal is not registered"));
      continue;
    }
    lastSeq = seq;
    if (const auto *position = std::get_if<core::PositionFrame>(&frame))
    {
      const store::PositionFix fix{batch.device, workerId, position->at.value_or(batch.receivedAt), position->location,
                                   position->accuracyM};
      positions.recordTrack(fix);
      if (!latestFix || fix.at >= latestFix->at)
        latestFix = fix;
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
      registry.recordApplied(batch.device, seq, batch.receivedAt, "rejected:" + std::string(core::fieldCodeName(outcome.code)));
    }
    else
    {
      registry.recordApplied(batch.device, seq, batch.receivedAt, outcome.caseNumber);
      savepoint.release();
      ++mApplied;
    }
    outcomes.push_back(std::move(outcome));
  }
  if (latestFix)
    positions.updateLatest(*latestFix);
  if (device && lastSeq > device->lastSeq)
    registry.advanceLastSeq(batch.device, lastSeq);
  return outcomes;
}

FrameOutcome StoreSink::apply(store::Database &db, const std::string &device, const std::string &workerId,
                              const core::SequencedFrame &frame, core::TimePoint receivedAt)
{
  try
  {
    if (const auto *report = std::get_if<core::ReportFrame>(&frame))
    {
      const core::Category *category = mConfig.catalog.find(report->category);
      if (!category)
        return FrameOutcome::rejected(core::FieldCode::UnknownCategory,
                                      "category: '" + report->category + "' is not in the center's catalog");
      const core::GridNode *micro = mIndex->lookup(report->location);
      core::CaseCommand command;
      command.action = core::CaseAction::Report;
      command.actor = "device:" + device;
      command.at = receivedAt;
      command.data = {{"category", report->category},
                      {"lon", report->location.lon},
                      {"lat", report->location.lat},
                      {"grid", micro ? micro->code.str() : std::string()},
                      {"title", report->title},
                      {"description", report->description},
                      {"priority", std::string(core::priorityName(report->priority))},
                      {"source", std::string(core::reportSourceName(report->source))},
                      {"address", report->address}};
      if (!report->reporterName.empty() || !report->reporterPhone.empty())
        command.data["reporter"] = {{"name", report->reporterName}, {"phone", report->reporterPhone}};
      if (!workerId.empty())
        command.data["reported_by_worker"] = workerId;
      const std::string adminCode = micro ? std::string(micro->code.adminCode()) : std::string("000000");
      store::CaseStore cases(db, *mWorkflow, mClock.get());
      return FrameOutcome::accepted(cases.report(command, adminCode));
    }
    if (const auto *update = std::get_if<core::UpdateFrame>(&frame))
    {
      store::CaseStore cases(db, *mWorkflow, mClock.get());
      const auto record = cases.find(update->caseNumber);
      if (!record)
        return FrameOutcome::rejected(core::FieldCode::UnknownCase, "case: no case numbered '" + update->caseNumber + "'");
      // A terminal works the cases assigned to its worker, or reported in its worker's grid.
      const auto grid = mGridOfWorker.find(workerId);
      const bool ownGrid = grid != mGridOfWorker.end() && gridFromMicroGrid(record->gridCode) == grid->second;
      if (record->workerId != workerId && !ownGrid)
        return FrameOutcome::rejected(core::FieldCode::Forbidden,
                                      "case: " + update->caseNumber + " is not assigned to this terminal's worker or grid");
      const auto action = core::actionFromFieldUpdate(core::updateActionName(update->action));
      if (!action)
        return FrameOutcome::rejected(core::FieldCode::BadValue, "action: not a field action");
      core::CaseCommand command;
      command.action = *action;
      command.actor = "worker:" + workerId;
      command.at = update->at.value_or(receivedAt);
      command.note = update->note;
      if (update->location)
        command.data["lon"] = update->location->lon, command.data["lat"] = update->location->lat;
      if (command.note.empty() && (*action == core::CaseAction::Return || *action == core::CaseAction::Escalate))
        command.note = "reported from the field";
      cases.apply(update->caseNumber, command);
      return FrameOutcome::accepted();
    }
    if (const auto *ack = std::get_if<core::OrderAckFrame>(&frame))
    {
      if (!store::OrderStore(db).acknowledge(device, ack->order, receivedAt))
        return FrameOutcome::rejected(core::FieldCode::BadValue,
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
  return FrameOutcome::rejected(core::FieldCode::UnknownType, "type: not a frame the center applies");
}

void StoreSink::pendingOrders(const std::string &device, OrdersCallback done)
{
  auto orders = std::make_shared<std::vector<core::OrderFrame>>();
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
