#include "liveupdatewriter.h"

#include "core/caseworkflow.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"
#include "store/database.h"
#include "store/timetext.h"

#include <QDateTime>

#include <chrono>
#include <vector>

namespace gd::bench {

core::CaseCommand benchReport(const std::vector<const core::GridNode *> &microGrids, std::size_t n)
{
  static const char *const categories[] = {"0101", "0201", "0301", "0302", "0401", "0501"};
  const core::GridNode &grid = *microGrids[(n * 7919) % microGrids.size()];
  const core::GeoPoint at = grid.area.front().outer.front();
  core::CaseCommand command;
  command.action = core::CaseAction::Report;
  command.actor = "bench";
  command.at = store::nowUtc();
  command.details = {.category = categories[n % 6], .lon = at.lon, .lat = at.lat, .grid = grid.code.str()};
  return command;
}

LiveUpdateWriter::LiveUpdateWriter(std::string path, const core::DemoDistrict &district, int perSecond)
  : mPath(std::move(path))
  , mDistrict(district)
  , mPerSecond(perSecond)
{
}

LiveUpdateWriter::~LiveUpdateWriter()
{
  stop();
}

void LiveUpdateWriter::start()
{
  mThread = std::thread([this] { run(); });
}

void LiveUpdateWriter::stop()
{
  mStopping = true;
  if (mThread.joinable())
    mThread.join();
}

qint64 LiveUpdateWriter::committedAtMs(const QString &number) const
{
  std::lock_guard lock(mMutex);
  return mCommittedAt.value(number);
}

void LiveUpdateWriter::run()
{
  const auto config = store::ConfigDirectory::load(store::ConfigDirectory::defaultPath());
  const core::Workflow workflow(&config->departments);
  store::Database db(mPath);
  store::CaseStore cases(db, workflow);
  const auto micro = mDistrict.tree.nodesAt(core::GridLevel::MicroGrid);
  // Commits every 10 ms, like a gateway's group commit at this rate.
  const int perTick = std::max(1, mPerSecond / 100);
  auto next = std::chrono::steady_clock::now();
  std::size_t n = 0;
  while (!mStopping)
  {
    std::vector<std::string> numbers;
    {
      store::Transaction transaction(db);
      for (int i = 0; i < perTick; ++i, ++n)
      {
        numbers.push_back(cases.report(benchReport(micro, n), "620902"));
      }
      transaction.commit();
    }
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    {
      std::lock_guard lock(mMutex);
      for (const std::string &number : numbers)
        mCommittedAt.insert(QString::fromStdString(number), nowMs);
    }
    mCommitted += numbers.size();
    next += std::chrono::milliseconds(10);
    std::this_thread::sleep_until(next);
  }
}

} // namespace gd::bench
