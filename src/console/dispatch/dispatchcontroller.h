#pragma once
// Dispatch: the case queue and its filters, the case on screen (detail dock, timeline, steps),
// the workflow steps and their dialogs (one case or several), intake of new reports with their
// duplicate suggestions, and the selection kept in step across queue, map and detail.

#include "console/dispatch/caseservice.h"
#include "console/session/operatorrights.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>

#include <map>
#include <vector>

class QAction;
class QDockWidget;
class QListWidget;
class QMainWindow;
class QTableView;
class QTimer;

namespace Ui {
class MainWindowBase;
}

namespace gd::console {

class ActionDialog;
class CaseDetailPanel;
class CaseQueueFilter;
class CaseQueueModel;
class ConsoleSession;
class IntakeDialog;
class MapViewController;
class QueueFilterBar;
class QueueHold;
struct OpenCaseChunk;
struct StoreChanges;
struct StoreOverview;

class DispatchController : public QObject
{
    Q_OBJECT

  public:
    //! Sets up the queue of \a ui, the case menu's steps, the case and duplicates docks.
    DispatchController(QMainWindow *window, Ui::MainWindowBase *ui, ConsoleSession *session, MapViewController *map);
    //! The queue's hold goes first: it lets held rows in when the queue hides.
    ~DispatchController() override;

    CaseQueueModel *caseQueueModel() const { return mModel; }
    //! The sorted, filtered queue the table shows.
    CaseQueueFilter *caseQueueProxy() const { return mProxy; }
    QTableView *caseQueueView() const { return mView; }
    QueueFilterBar *queueFilterBar() const { return mFilterBar; }
    //! What keeps the queue's rows still under the pointer.
    QueueHold *queueHold() const { return mHold; }
    CaseDetailPanel *caseDetailPanel() const { return mDetailPanel; }
    QDockWidget *caseDock() const { return mCaseDock; }
    QDockWidget *duplicatesDock() const { return mDuplicatesDock; }
    //! The case service of the open store, or nullptr.
    CaseServiceThread *caseService() const;

    //! The action of workflow step \a name ("register" …, "dispatch", "intake").
    QAction *stepAction(const QString &name) const { return mStepActions.value(name); }
    //! The step actions in the order of the case menu (intake first).
    QList<QAction *> stepActions() const;

    /**
     * Selects case \a number everywhere: the queue row, the pin on the map (panned into view
     * when outside it) and the detail dock (loaded in the background; caseShown follows).
     */
    void selectCase(const QString &number);
    //! The case shown in the detail dock.
    QString currentCase() const { return mCurrentCase; }

    /**
     * Shows only what \a rights allow (issue 17): a step the seat's roles may not do has no menu
     * entry and no button (hidden, not greyed); without case.view the queue, the case and the
     * duplicates docks and the Case menu are gone.
     */
    void applyRights(const OperatorRights &rights);
    //! The permission the step action \a name ("intake", "dispatch", "assign" …) needs.
    static core::Action stepPermission(const QString &name);

    /**
     * Reveals the reporters of case \a number for \a reason (personal.unmask; audited): the
     * case panel shows them unmasked until the case is read again. stepFinished follows.
     */
    void revealReporters(const QString &number, const QString &reason);

    /**
     * Records that the department of notice \a id acknowledged it, as \a who there said (the
     * operator enters it on the department's behalf); the case shows it. stepFinished follows.
     */
    void acknowledgeNotice(qint64 id, const QString &who);
    //! Opens the intake form (Ctrl+N). Returns it (one at a time).
    IntakeDialog *openIntake();
    //! Lists cases a step was not done for, each with its reason in full (not modal).
    void showRefusals(const QString &title, const QStringList &lines);

    //! A store was opened: the queue empties and its choices are read.
    void showStore(const StoreOverview &overview);
    //! Rows of the first read join the queue (unsorted until casesLoaded()).
    void addCases(const OpenCaseChunk &chunk);
    void casesLoaded();
    //! The open store's services run: the filter bar's and intake's choices are read.
    void servicesReady();
    //! Applies live changes to the queue (through its hold) and reloads the case on screen.
    void applyChanges(const StoreChanges &changes);

  signals:
    //! The detail dock shows case \a number as it is now.
    void caseShown(const QString &number);
    //! A step's dialog is open (tests fill it in; operators too).
    void stepDialogOpened(gd::console::ActionDialog *dialog);
    //! A step (or one case of a bulk step) finished; \a outcome says how.
    void stepFinished(const gd::console::ActionOutcome &outcome);
    //! The intake form got duplicate suggestions.
    void duplicatesShown(const QStringList &numbers);

  private:
    void setUpQueue();
    void setUpCaseMenu();
    void setUpDocks();
    void triggerStep(const QString &name);
    void openStepDialog(const QString &name, const QStringList &numbers, const CaseDetail &detail);
    void runStep(ActionDialog *dialog, const std::map<QString, QString> &suggested);
    void showOutcome(const ActionOutcome &outcome);
    void loadDetail(const QString &number, bool changedUnder);
    void showDuplicatesOf(const QString &number);
    QStringList selectedQueueNumbers() const;
    void updateStepActions();
    void setUpIntake(IntakeDialog *dialog);
    void placeBesideMapCentre(QWidget *dialog);
    void fitQueueColumns(int first, int last);
    void updateEmptyHint();
    //! Marks the case on screen in the queue when its row is there and not yet current.
    void showCurrentCaseInQueue();

    QMainWindow *mWindow;
    Ui::MainWindowBase *mUi;
    ConsoleSession *mSession;
    MapViewController *mMap;
    QTableView *mView;
    CaseQueueModel *mModel = nullptr;
    CaseQueueFilter *mProxy = nullptr;
    QueueFilterBar *mFilterBar = nullptr;
    QueueHold *mHold = nullptr;
    CaseDetailPanel *mDetailPanel = nullptr;
    QDockWidget *mCaseDock = nullptr;
    QDockWidget *mDuplicatesDock = nullptr;
    QListWidget *mDuplicatesList = nullptr;
    QHash<QString, QAction *> mStepActions;
    OperatorRights mRights; //!< what the seat may do and see (applyRights)
    QString mRevealedCase;  //!< the case whose reporters were revealed (revealReporters)
    std::vector<ReporterView> mRevealedReporters;
    QString mCurrentCase;
    CaseDetail mCurrentDetail;
    bool mSelectingCase = false;
    bool mQueueRowsLeaving = false;
    QPointer<IntakeDialog> mIntake;
    QTimer *mOrderStatusTimer = nullptr; //!< reloads the case while its orders await acknowledgement
    int mLongestNumber = 0;              //!< the queue's columns are as wide as these (fitQueueColumns)
    int mLongestGrid = 0;
    QSet<QString> mMeasuredCategories;
    std::vector<Choice> mCategoryChoices;
    std::map<QString, QStringList> mCategoryKeywords;
};

} // namespace gd::console
