#include "console/session/rulesschedule.h"

#include "console/session/storeaccess.h"

#include "store/config/configdir.h"
#include "store/supervision/supervisionscheduler.h"

#include <QMetaObject>

#include <chrono>

namespace gd::console {

namespace {

QString utf8(const std::string &text)
{
  return QString::fromStdString(text);
}

} // namespace

RulesSchedule::RulesSchedule(const QString &path, int seconds, QObject *parent)
  : QObject(parent)
  , mRules(std::make_unique<store::ConfiguredSupervisionScheduler>(storeLocation(path), store::ConfigDirectory::defaultPath(),
                                                                    std::chrono::seconds(seconds)))
{
  // The observers run on the scheduler's thread: they only hand the run over to this object's.
  mRules->scheduler().setObservers(
    [this](const store::RuleRunResult &result) {
      RulesRun run;
      for (const store::RuleFiringRecord &f : result.fired)
        run.fired.push_back({utf8(f.caseNumber), utf8(f.rule), utf8(f.reason)});
      for (const std::string &refused : result.refused)
        run.refused << utf8(refused);
      QMetaObject::invokeMethod(this, [this, run] { emit ran(run); }, Qt::QueuedConnection);
    },
    [this](const std::string &error) {
      RulesRun run;
      run.error = utf8(error);
      QMetaObject::invokeMethod(this, [this, run] { emit ran(run); }, Qt::QueuedConnection);
    });
  mRules->scheduler().start(false);
}

RulesSchedule::~RulesSchedule()
{
  // Stopped before this object goes: no observer runs after; what it posted is dropped with it.
  mRules.reset();
}

void RulesSchedule::runNow()
{
  mRules->scheduler().runNow();
}

} // namespace gd::console
