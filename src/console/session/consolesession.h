#pragma once
// What a console works on, without any widget: the open store and everything that reads or
// writes it for the window — the first read (StoreLoader), the watcher that brings changes
// (StoreWatcher), the case and command services on their threads, the supervision rules'
// scheduler and the embedded field gateway. The features (dispatch, command, map view, field)
// observe its signals; none of them opens the store itself.

#include "console/session/operatorrights.h"
#include "console/session/storeaccess.h"

#include <QObject>
#include <QString>

#include <memory>

namespace gd::core {
class GridTree;
}

namespace gd::console {

class CaseServiceThread;
class CommandServiceThread;
class EmbeddedGateway;
struct EmbeddedGatewayOptions;
class RulesSchedule;
struct RulesRun;
class StoreLoader;
class StoreWatcher;
struct StoreChanges;

class ConsoleSession : public QObject
{
    Q_OBJECT

  public:
    explicit ConsoleSession(QObject *parent = nullptr);
    //! Stops, in order: the rules, the gateway (every acknowledged frame committed), the
    //! services, the first read and the watcher.
    ~ConsoleSession() override;

    //! Who is at the console: the actor of every step. Takes effect at the next open().
    void setOperatorName(const QString &name);
    QString operatorName() const { return mOperator; }
    //! The logged-in account's roles, the permission matrix and the seat's scope (see OperatorRights).
    void setRights(OperatorRights rights) { mRights = std::move(rights); }
    const OperatorRights &rights() const { return mRights; }

    /**
     * Opens the store at \a path: reads its overview (grids, points of interest, per-grid
     * counts; storeOpened follows at once), starts reading its open cases on a thread of
     * their own (casesRead … casesLoaded) and the services (servicesReady). Returns false and
     * sets \a error when the file is not a store or its case service cannot start.
     */
    bool open(const QString &path, QString *error);
    QString storePath() const { return mStorePath; }
    //! The grid tree of the open store, or nullptr.
    const core::GridTree *grids() const { return mGrids.get(); }

    //! True while the open cases are still arriving (see StoreLoader).
    bool isLoadingCases() const;
    //! Runs the event loop until the open cases are loaded (tests, tools); false on timeout.
    bool waitForCases(int timeoutMs = 60000);

    //! The case service of the open store, or nullptr.
    CaseServiceThread *caseService() const { return mCases.get(); }
    //! The supervision and emergency service of the open store, or nullptr (see commandError()).
    CommandServiceThread *commandService() const { return mCommands.get(); }
    //! Why the command service is not there, or an empty string.
    QString commandError() const { return mCommandError; }
    //! The watcher of the open store, or nullptr.
    StoreWatcher *watcher() const { return mWatcher.get(); }

    /**
     * Starts the field gateway inside the console, committing to the open store. Returns
     * false and sets \a error (port taken, no store open …).
     */
    bool startGateway(const EmbeddedGatewayOptions &options, QString *error);
    //! As above, plain TCP on \a host:\a port (loopback tests and demos).
    bool startGateway(const QString &host, quint16 port, QString *error);
    //! The embedded gateway, or nullptr when none runs.
    EmbeddedGateway *gateway() const { return mGateway.get(); }

    //! Runs the supervision rules every \a seconds (0: never; default 60), from now on.
    void setRulesInterval(int seconds);
    //! Runs the supervision rules at once.
    void runRulesNow();

  signals:
    //! The store at \a overview's path is open: its grids, points of interest and counts.
    void storeOpened(const gd::console::StoreOverview &overview);
    //! The services of the newly opened store run (commandService() may still be null).
    void servicesReady();
    //! A chunk of the open cases (overdue and emergency pins first).
    void casesRead(const gd::console::OpenCaseChunk &chunk);
    //! Every open case is in (or the read failed: \a error says why); changes follow.
    void casesLoaded(const QString &error);
    //! Changes read from the store, at most ten times a second.
    void changed(const gd::console::StoreChanges &changes);
    //! The embedded gateway runs (startGateway()).
    void gatewayStarted();
    //! A run of the supervision rules finished.
    void rulesRan(const gd::console::RulesRun &run);
    //! Something the operator should read in the status bar.
    void message(const QString &text, int timeoutMs);
    //! The connection to a database store was lost (false; reconnecting) or made again (true).
    void storeConnectionChanged(bool connected);

  private:
    void startRules();

    QString mOperator;
    OperatorRights mRights;
    QString mStorePath;
    std::unique_ptr<core::GridTree> mGrids;
    std::unique_ptr<StoreLoader> mLoader;
    std::unique_ptr<StoreWatcher> mWatcher;
    std::unique_ptr<CaseServiceThread> mCases;
    std::unique_ptr<CommandServiceThread> mCommands;
    QString mCommandError;
    std::unique_ptr<EmbeddedGateway> mGateway;
    std::unique_ptr<RulesSchedule> mRules;
    int mRulesSeconds = 60;
};

} // namespace gd::console
