#pragma once

#include "console/caseservice.h"
#include "console/commandservice.h"
#include "map/caselayer.h"

#include <QHash>
#include <QSet>
#include <QMainWindow>
#include <QPointer>

#include <map>
#include <memory>

class QgsFeature;
class QgsMapCanvas;
class QgsMapLayer;
class QgsMapTool;
class QgsPointXY;
class QgsRectangle;
class QgsVectorLayer;
class QLineEdit;
class QTextBrowser;
class QActionGroup;
class QLabel;
class QSortFilterProxyModel;
class QTimer;
class QTableView;
class QTableWidget;
class QListWidget;
class QDockWidget;
class QgsMapToolEmitPoint;

namespace Ui {
class MainWindowBase;
}

namespace gd::core {
class GridIndex;
class GridTree;
} // namespace gd::core

namespace gd::map {
class GridLayers;
class IdentifyTool;
class PoiLayers;
class RadiusSelectTool;
class WorkerLayer;
} // namespace gd::map

namespace gd::console {

class ActionDialog;
class BigScreen;
class CaseDetailPanel;
class ConferenceView;
class EmergencyPanel;
class EmergencyRings;
class SupervisionPanel;
class CaseQueueFilter;
class CaseQueueModel;
class EmbeddedGateway;
struct EmbeddedGatewayOptions;
class HelpOverlay;
class IntakeDialog;
class QueueFilterBar;
class QueueHold;
struct CaseQueueCriteria;
class StoreWatcher;
class StoreLoader;
class StoreCheckLabel;
class RulesSchedule;
class CalendarWarningLabel;
struct StoreChanges;

/**
 * The console's main window: the map in the centre, the case queue dock, and a status bar
 * with the feed's health and the clock SLAs are measured against.
 */
class MainWindow : public QMainWindow
{
    Q_OBJECT

  public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    //! Returns the map canvas (owned by the window).
    QgsMapCanvas *mapCanvas() const;

    //! Returns the case queue model (owned by the window).
    CaseQueueModel *caseQueueModel() const { return mCaseQueueModel; }
    //! Returns the sorted, filtered queue the table shows.
    CaseQueueFilter *caseQueueProxy() const { return mCaseQueueProxy; }
    //! Returns the queue's table view.
    QTableView *caseQueueView() const;
    //! Returns the queue's filter bar.
    QueueFilterBar *queueFilterBar() const { return mFilterBar; }
    //! Returns what keeps the queue's rows still under the pointer.
    QueueHold *queueHold() const { return mQueueHold; }
    //! Returns the case detail panel.
    CaseDetailPanel *caseDetailPanel() const { return mDetailPanel; }
    //! Returns the keyboard help overlay.
    HelpOverlay *helpOverlay() const { return mHelp; }

    /**
     * Sets who is at the console: the actor of every step, and whose dock layout is restored
     * and saved. Call before openStore(); default: the login name.
     */
    void setOperatorName(const QString &name);
    QString operatorName() const { return mOperator; }

    /**
     * Shows the window fitted to the available geometry of its screen: maximized on the first
     * start, else where and as large as the operator left it, clamped to the screen.
     */
    void showOnScreen();

    //! Returns the case service of the open store, or nullptr.
    CaseServiceThread *caseService() const { return mService.get(); }

    /**
     * Selects case \a number everywhere: the queue row, the pin on the map (panned into view
     * when outside it) and the detail dock (loaded in the background; caseShown follows).
     */
    void selectCase(const QString &number);
    //! Returns what the status bar says of the grid under the pointer.
    QString hoverText() const;
    //! Returns the case shown in the detail dock.
    QString currentCase() const { return mCurrentCase; }

    //! Returns the action of workflow step \a name ("register" …, "dispatch", "intake").
    QAction *stepAction(const QString &name) const { return mStepActions.value(name); }

    /**
     * Records that the department of notice \a id acknowledged it, as \a who there said (the
     * operator enters it on the department's behalf); the case shows it. stepFinished follows.
     */
    void acknowledgeNotice(qint64 id, const QString &who);
    //! Opens the intake form (Ctrl+N). Returns it (one at a time).
    IntakeDialog *openIntake();

    //! Switches the theme ("light" or "dark") and remembers it.
    void setTheme(const QString &name);

    //! Returns the district layer currently shown (owned by the window).
    QgsVectorLayer *districtLayer() const { return mDistrictLayer.get(); }

    //! Shows the feed's state in the status bar.
    void setFeedStatus(const QString &text);

    /**
     * Opens the store at \a path: its grid levels, points of interest and open cases replace
     * the placeholder district. Returns false and sets \a error when the file is not a store.
     */
    bool openStore(const QString &path, QString *error);

    /**
     * Returns true while the open cases of the store are still arriving: openStore() shows the
     * grids and the per-grid counts at once and loads pins and queue rows on a thread of its
     * own (see StoreLoader); live changes follow once they are in.
     */
    bool isLoadingCases() const;
    //! Runs the event loop until the open cases are loaded (tests, tools); false on timeout.
    bool waitForCases(int timeoutMs = 60000);

    /**
     * Finds \a text as a case number, a grid code, a grid name or a place name, zooms there
     * and selects it. Returns what was found (e.g. "grid 620902001002003"), or an empty string.
     */
    QString search(const QString &text);

    //! Returns the grid layers of the open store, or nullptr.
    map::GridLayers *gridLayers() const { return mGrids.get(); }
    //! Returns the live case layer of the open store, or nullptr.
    map::LiveCaseLayer *caseLayer() const { return mCases.get(); }

    //! Applies changes read from the store to the map and the queue (what the watcher delivers).
    void applyStoreChanges(const StoreChanges &changes);

    /**
     * Redraws the map with what the live layers hold now: at once when the canvas is idle,
     * else as soon as the render under way completes (never cancelling it).
     */
    void requestMapRefresh();

    /**
     * Starts the field gateway inside the console on \a host:\a port, committing to the open
     * store. Returns false and sets \a error (port taken, no store open …).
     */
    bool startGateway(const QString &host, quint16 port, QString *error);
    //! As above, with TLS or plain TCP on the network as \a options say.
    bool startGateway(const EmbeddedGatewayOptions &options, QString *error);

    //! Returns the embedded gateway, or nullptr when none runs.
    EmbeddedGateway *gateway() const { return mGateway.get(); }

    //! Returns the watcher of the open store, or nullptr.
    StoreWatcher *storeWatcher() const { return mWatcher; }

    //! Returns the field-worker layer of the open store, or nullptr.
    map::WorkerLayer *workerLayer() const { return mWorkers.get(); }

    //! Returns the identify tool (owned by the window).
    map::IdentifyTool *identifyTool() const { return mIdentifyTool; }

    //! Returns the HTML the details dock shows for the last identified feature.
    QString detailsHtml() const;

    //! Returns the numbers of the cases selected on the map.
    QStringList selectedCaseNumbers() const;

    //! Selects the cases within \a radiusMeters of \a centre (canvas CRS); returns how many.
    int selectCasesWithin(const QgsPointXY &centre, double radiusMeters);

    //! Selects the cases inside \a extent (canvas CRS); returns how many.
    int selectCasesIn(const QgsRectangle &extent);

    //! Switches how open cases are summarised at district zoom (counts, heatmap, choropleth).
    void setDistrictView(map::LiveCaseLayer::DistrictView view,
                         map::LiveCaseLayer::Measure measure = map::LiveCaseLayer::Measure::Open);

    /**
     * Shows a base map under everything: an XYZ tile URL template ("https://…/{z}/{x}/{y}.png",
     * e.g. a 天地图 WMTS endpoint in XYZ form) or a local raster file. An empty \a source
     * removes it. Returns false and sets \a error when the source cannot be used; the map is
     * then left as it was. The console is fully usable without a base map.
     */
    bool setBaseMap(const QString &source, QString *error);

    //! Returns the base map layer, or nullptr.
    QgsMapLayer *baseMapLayer() const;

    //! Returns the supervision and emergency service of the open store, or nullptr.
    CommandServiceThread *commandService() const { return mCommands.get(); }
    SupervisionPanel *supervisionPanel() const { return mSupervision; }
    EmergencyPanel *emergencyPanel() const { return mEmergency; }

    /**
     * Shows the command hall's big screen full screen (on the last screen when there are
     * several: the hall's wall is the second output), or a window of \a size when given;
     * false closes it. Returns it.
     */
    BigScreen *showBigScreen(bool show, const QSize &size = {});
    BigScreen *bigScreen() const;
    //! Shows or hides the conference view of the emergency the emergency dock shows.
    ConferenceView *showConferenceView(bool show, const QSize &size = {});
    ConferenceView *conferenceView() const;
    //! Runs the supervision rules every \a seconds (0: never; default 60).
    void setRulesInterval(int seconds);

  public slots:
    void zoomToDistrict();
    //! Reloads the big screen's figures and overdue ticker.
    void refreshBigScreen();
    //! Runs the supervision rules now (their scheduler does it every minute).
    void runRulesNow();
    //! Declares an emergency at the selected case (Ctrl+E).
    void declareEmergencyFromCase();

  signals:
    //! The detail dock shows case \a number as it is now.
    void caseShown(const QString &number);
    //! Every open case of the store is on the map and in the queue (after openStore()).
    void casesLoaded();
    //! A step's dialog is open (tests fill it in; operators too).
    void stepDialogOpened(gd::console::ActionDialog *dialog);
    //! A step (or one case of a bulk step) finished; \a outcome says how.
    void stepFinished(const gd::console::ActionOutcome &outcome);
    //! The intake form got duplicate suggestions.
    void duplicatesShown(const QStringList &numbers);
    //! A run of the supervision rules finished; \a fired rules fired.
    void rulesRan(int fired);
    //! The big screen shows fresh figures.
    void bigScreenRefreshed();

  protected:
    void closeEvent(QCloseEvent *event) override;

  private:
    //! (Re)starts the supervision rules' scheduler on the open store with the interval set.
    void startRules();
    //! What a run of the rules did, in the feed log and the status bar.
    void showRulesRun(const RulesRun &run);
    void setUpCaseActions();
    void setUpDocks();
    void setUpHelp();
    void triggerStep(const QString &name);
    void openStepDialog(const QString &name, const QStringList &numbers, const CaseDetail &detail);
    void runStep(ActionDialog *dialog, const std::map<QString, QString> &suggested);
    //! Lists cases a step was not done for, each with its reason in full (not modal).
    void showRefusals(const QString &title, const QStringList &lines);
    void showOutcome(const ActionOutcome &outcome);
    void loadDetail(const QString &number, bool changedUnder);
    void showDuplicatesOf(const QString &number);
    void selectPinOnMap(const QString &number, bool pan);
    QStringList selectedQueueNumbers() const;
    void updateStepActions();
    void noteFeedChanges(const StoreChanges &changes);
    void updateWorkersDock(const StoreChanges &changes);
    void setUpIntake(IntakeDialog *dialog);
    void placeBesideMapCentre(QWidget *dialog);
    void restoreLayout();
    void fitQueueColumns(int first, int last);
    void saveLayout();
    void setUpStatusBar();
    void showGridUnderPointer(const QgsPointXY &point);
    void updateClock();
    void updateFeedStatus();
    void showAbout();
    void updateEmptyHint();
    //! Marks the case on screen in the queue when its row is there and not yet current.
    void showCurrentCaseInQueue();
    void updateCanvasLayers();
    void setUpMapTools();
    void setUpViewMenu();
    void chooseBaseMap();
    void showIdentified(QgsMapLayer *layer, const QgsFeature &feature);
    void openLink(const QUrl &url);
    void zoomToLayerExtent(QgsVectorLayer *layer, const QgsRectangle &extent, double minimumScale);
    void searchFromBox();
    void setUpCommand();
    void openCommandService(const QString &path);
    void showEmergencyOnMaps(const EmergencyView &emergency, const NearbyView &nearby);

    std::unique_ptr<Ui::MainWindowBase> mUi;
    std::unique_ptr<QgsVectorLayer> mDistrictLayer;
    std::unique_ptr<map::GridLayers> mGrids;
    std::unique_ptr<map::PoiLayers> mPois;
    std::unique_ptr<map::LiveCaseLayer> mCases;
    std::unique_ptr<map::WorkerLayer> mWorkers;
    map::IdentifyTool *mIdentifyTool = nullptr;
    map::RadiusSelectTool *mRadiusTool = nullptr;
    QgsMapTool *mPanTool = nullptr;
    QgsMapTool *mRectangleTool = nullptr;
    QTextBrowser *mDetails = nullptr;
    StoreWatcher *mWatcher = nullptr;
    std::unique_ptr<StoreLoader> mLoader;
    std::unique_ptr<EmbeddedGateway> mGateway;
    QString mStorePath;
    std::unique_ptr<QgsMapLayer> mBaseMap;
    bool mRefreshPending = false;
    QLineEdit *mSearchEdit = nullptr;
    CaseQueueModel *mCaseQueueModel = nullptr;
    CaseQueueFilter *mCaseQueueProxy = nullptr;
    QueueFilterBar *mFilterBar = nullptr;
    QueueHold *mQueueHold = nullptr;
    CaseDetailPanel *mDetailPanel = nullptr;
    HelpOverlay *mHelp = nullptr;
    std::unique_ptr<CaseServiceThread> mService;
    QHash<QString, QAction *> mStepActions;
    QString mOperator;
    QString mCurrentCase;
    CaseDetail mCurrentDetail;
    bool mSelectingCase = false;
    bool mQueueRowsLeaving = false;
    QPointer<IntakeDialog> mIntake;
    QgsMapToolEmitPoint *mPickTool = nullptr;
    QgsMapTool *mToolBeforePick = nullptr;
    QListWidget *mDuplicatesList = nullptr;
    QTableWidget *mWorkersTable = nullptr;
    QListWidget *mFeedLog = nullptr;
    QLabel *mFeedSummary = nullptr;
    QTimer *mQueueTicker = nullptr;
    QTimer *mOrderStatusTimer = nullptr; //!< reloads the case while its orders await acknowledgement
    bool mLayoutRestored = false;
    bool mGeometryRestored = false; //!< the operator's saved geometry was restored
    int mLongestNumber = 0;         //!< the queue's columns are as wide as these (fitQueueColumns)
    int mLongestGrid = 0;
    QSet<QString> mMeasuredCategories;
    std::unique_ptr<core::GridTree> mTree;        //!< for the grid under the pointer
    std::unique_ptr<core::GridIndex> mHoverIndex;
    QLabel *mHoverLabel = nullptr;
    qint64 mLastHoverMs = 0;
    std::vector<Choice> mCategoryChoices;
    std::map<QString, QStringList> mCategoryKeywords;
    QLabel *mFeedLabel = nullptr;
    QLabel *mClockLabel = nullptr;
    StoreCheckLabel *mStoreCheck = nullptr;         //!< the open store's background integrity check
    CalendarWarningLabel *mCalendarWarning = nullptr; //!< missing holiday schedules
    QTimer *mClockTimer = nullptr;
    std::unique_ptr<CommandServiceThread> mCommands;
    SupervisionPanel *mSupervision = nullptr;
    EmergencyPanel *mEmergency = nullptr;
    QPointer<BigScreen> mBigScreen;
    QPointer<ConferenceView> mConference;
    std::unique_ptr<EmergencyRings> mMainRings;
    map::RadiusSelectTool *mEmergencyTool = nullptr;
    RulesSchedule *mRules = nullptr; //!< the supervision rules' scheduler (owned as a child)
    QString mRulesPath;
    int mRulesSeconds = 60;
    QTimer *mBigScreenTimer = nullptr;
};

} // namespace gd::console
