#pragma once
// The supervision rules in the console, on the same scheduler as griddispatch-gateway's
// (store::ConfiguredSupervisionScheduler): a thread and a writing connection of its own, a run
// every interval, "run now" from the menu.

#include "console/command/commandservice.h"

#include <QObject>
#include <QString>

#include <memory>

namespace gd::store {
class ConfiguredSupervisionScheduler;
}

namespace gd::console {

class RulesSchedule : public QObject
{
    Q_OBJECT

  public:
    /**
     * Runs the rules on the store at \a path every \a seconds, the first run one interval from
     * now, configured from the configuration directory (store::ConfigDirectory). Throws
     * std::exception naming a bad configuration or store.
     */
    RulesSchedule(const QString &path, int seconds, QObject *parent = nullptr);
    //! Stops the thread (a run under way completes).
    ~RulesSchedule() override;

    //! Runs the rules at once.
    void runNow();

  signals:
    //! After every run, on this object's thread: what fired, what was refused, or why it failed.
    void ran(const gd::console::RulesRun &run);

  private:
    std::unique_ptr<store::ConfiguredSupervisionScheduler> mRules;
};

} // namespace gd::console
