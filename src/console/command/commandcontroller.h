#pragma once
// Command: the supervision wall and the emergency docks, the overdue alarm, one-key emergency
// dispatch from a case or a point on the map, the supervision rules' runs, the command hall's
// big screen and the conference view shared into a video conference.

#include "console/session/operatorrights.h"

#include <QObject>
#include <QPointer>
#include <QSize>

#include <memory>

class QDockWidget;
class QPushButton;
class QMainWindow;
class QTimer;

namespace gd::map {
class RadiusSelectTool;
}

namespace gd::console {

class BigScreen;
class ConferenceView;
class ConsoleSession;
class DispatchController;
class EmergencyPanel;
class EmergencyRings;
class FieldController;
class MapViewController;
class SupervisionPanel;
struct EmergencyView;
struct NearbyView;
struct RulesRun;

class CommandController : public QObject
{
    Q_OBJECT

  public:
    //! Adds the supervision and emergency docks, the Command menu and the map's emergency tool.
    CommandController(QMainWindow *window, ConsoleSession *session, MapViewController *map, DispatchController *dispatch,
                      FieldController *field);
    //! The big screen and the conference view draw the map's layers: they go first, once every
    //! render job of theirs ended.
    ~CommandController() override;

    SupervisionPanel *supervisionPanel() const { return mSupervision; }
    EmergencyPanel *emergencyPanel() const { return mEmergency; }
    QDockWidget *supervisionDock() const { return mWallDock; }
    QDockWidget *emergencyDock() const { return mEmergencyDock; }

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

    //! The open store's services run: the docks get them and their choices.
    void servicesReady();

    /**
     * Shows only what \a rights allow (issue 17): the supervision wall with wall.view (read-only
     * without case.supervise: no urge, supervise or acknowledge), the big screen with
     * bigscreen.view, the emergency dock, its map tool and the conference view with
     * emergency.declare, running the rules with case.supervise. What is not allowed is hidden
     * with its menu entry; the Command menu goes when nothing of it is left.
     */
    void applyRights(const OperatorRights &rights);

  public slots:
    //! Reloads the big screen's figures and overdue ticker.
    void refreshBigScreen();
    //! Declares an emergency at the case on screen (Ctrl+E).
    void declareEmergencyFromCase();

  signals:
    //! A run of the supervision rules finished; \a fired rules fired.
    void rulesRan(int fired);
    //! The big screen shows fresh figures.
    void bigScreenRefreshed();

  private:
    void setUpMenu(QMainWindow *window);
    void setUpEmergencyTool(QMainWindow *window);
    void showRulesRun(const RulesRun &run);
    void showEmergencyOnMaps(const EmergencyView &emergency, const NearbyView &nearby);
    void message(const QString &text, int timeoutMs);

    QMainWindow *mWindow;
    ConsoleSession *mSession;
    MapViewController *mMap;
    DispatchController *mDispatch;
    FieldController *mField;
    QDockWidget *mWallDock = nullptr;
    QDockWidget *mEmergencyDock = nullptr;
    SupervisionPanel *mSupervision = nullptr;
    EmergencyPanel *mEmergency = nullptr;
    QPointer<BigScreen> mBigScreen;
    QPointer<ConferenceView> mConference;
    std::unique_ptr<EmergencyRings> mMainRings;
    map::RadiusSelectTool *mEmergencyTool = nullptr;
    QTimer *mBigScreenTimer = nullptr;
    QPushButton *mAlarm = nullptr; //!< the status bar's overdue alarm (only with wall.view)
    bool mMayViewWall = true;
};

} // namespace gd::console
