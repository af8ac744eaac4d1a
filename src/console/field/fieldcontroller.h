#pragma once
// The field: the feed monitor (what the terminals' reports did to the queue, the embedded
// gateway's health, the supervision rules' firings), the field workers' table, and the feed's
// state in the status bar.

#include <QObject>
#include <QString>

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
    //! The feed's state, for the status bar.
    QLabel *feedLabel() const { return mFeedLabel; }

    //! Shows the feed's state in the status bar.
    void setFeedStatus(const QString &text);
    //! Notes new cases, state changes and cases leaving, and updates the workers' table.
    void applyChanges(const StoreChanges &changes);
    //! Adds a line at the top of the feed log; activating it opens case \a number.
    void addLogEntry(const QString &text, const QString &number);
    //! Reads the embedded gateway's health into the status bar and the feed monitor.
    void updateFeedStatus();

  signals:
    void caseActivated(const QString &number);

  private:
    void updateWorkers(const StoreChanges &changes);

    ConsoleSession *mSession;
    MapViewController *mMap;
    const CaseQueueModel *mQueue;
    QDockWidget *mFeedDock = nullptr;
    QDockWidget *mWorkersDock = nullptr;
    QLabel *mFeedLabel = nullptr;
    QLabel *mFeedSummary = nullptr;
    QListWidget *mFeedLog = nullptr;
    QTableWidget *mWorkersTable = nullptr;
    QTimer *mTimer = nullptr;
};

} // namespace gd::console
