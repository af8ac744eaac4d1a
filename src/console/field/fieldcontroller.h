#pragma once
// The field: the feed monitor (what the terminals' reports did to the queue, the embedded
// gateway's health, every gateway of the center with its terminals, the supervision rules'
// firings), the field workers' table, and the feed's state in the status bar.

#include "console/field/gatewayrosterservice.h"

#include <QObject>
#include <QString>

#include <memory>

class QLabel;
class QListWidget;
class QMainWindow;
class QTableWidget;
class QDockWidget;
class QTimer;

namespace gd::console {

class CaseQueueModel;
class ConsoleSession;
class MapViewController;
struct StoreChanges;

class FieldController : public QObject
{
    Q_OBJECT

  public:
    /**
     * Adds the feed monitor and field workers docks to \a window. \a queue is read to tell a
     * new case from a changed one (before the queue takes the changes in).
     */
    FieldController(QMainWindow *window, ConsoleSession *session, MapViewController *map, const CaseQueueModel *queue);

    QDockWidget *feedDock() const { return mFeedDock; }
    QDockWidget *workersDock() const { return mWorkersDock; }
    //! Every gateway of the center with its terminals (接入网关).
    QDockWidget *gatewaysDock() const { return mGatewaysDock; }
    //! The feed's state, for the status bar.
    QLabel *feedLabel() const { return mFeedLabel; }

    //! Shows the feed's state in the status bar.
    void setFeedStatus(const QString &text);
    //! Notes new cases, state changes and cases leaving, and updates the workers' table.
    void applyChanges(const StoreChanges &changes);
    //! Adds a line at the top of the feed log; activating it opens case \a number.
    void addLogEntry(const QString &text, const QString &number);
    //! Reads the embedded gateway's health and the center's gateways into the status bar and the feed monitor.
    void updateFeedStatus();
    //! Reads the store's gateway roster now (it is read every other second anyway).
    void readGateways();
    //! The last roster read (tests).
    const GatewayRoll &gateways() const { return mRoll; }

  signals:
    //! A roster read arrived and is shown.
    void gatewaysShown();

    void caseActivated(const QString &number);

  private:
    void updateWorkers(const StoreChanges &changes);
    void showGateways(GatewayRoll roll);
    //! The status bar's line and warning for the center's gateways; false when the embedded gateway's line fits better.
    bool showCenterFeed();

    ConsoleSession *mSession;
    MapViewController *mMap;
    const CaseQueueModel *mQueue;
    QDockWidget *mFeedDock = nullptr;
    QDockWidget *mWorkersDock = nullptr;
    QDockWidget *mGatewaysDock = nullptr;
    QLabel *mFeedLabel = nullptr;
    QLabel *mFeedSummary = nullptr;
    QListWidget *mFeedLog = nullptr;
    QTableWidget *mWorkersTable = nullptr;
    QTableWidget *mGatewaysTable = nullptr;
    QTimer *mTimer = nullptr;
    std::unique_ptr<GatewayRosterThread> mRoster;
    GatewayRoll mRoll;
    bool mRosterPending = false;
    int mTicks = 0;
};

} // namespace gd::console
