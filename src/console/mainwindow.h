#pragma once
// The console's main window is a shell: menus, docks and their layout, the status bar, theme,
// help and the operator's saved layout. What the console does lives in its features, each with
// a controller, over one ConsoleSession:
//   session/   the open store, its readers, services, rules and embedded gateway (no widgets)
//   mapview/   the canvas, its layers, tools, search and base map
//   dispatch/  the case queue, the case on screen, workflow steps and intake
//   command/   supervision wall, emergencies, big screen, conference view
//   field/     feed monitor and field workers
//   shell/     what the window itself is made of (theme, fitting, help, status bar warnings)

#include "console/session/operatorrights.h"

#include <QMainWindow>

#include <memory>

class QgsMapCanvas;
class QLabel;
class QTimer;

namespace Ui {
class MainWindowBase;
}

namespace gd::console {

class CalendarWarningLabel;
class CommandController;
class ConsoleSession;
class DepartmentController;
class DispatchController;
class FieldController;
class HelpOverlay;
class MapViewController;
class StoreCheckLabel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

  public:
    explicit MainWindow(QWidget *parent = nullptr);
    //! Takes the features down in an order that lets nothing reach a part already gone.
    ~MainWindow() override;

    ConsoleSession *session() const { return mSession.get(); }
    MapViewController *mapView() const { return mMap.get(); }
    DispatchController *dispatch() const { return mDispatch.get(); }
    CommandController *command() const { return mCommand.get(); }
    FieldController *field() const { return mField.get(); }
    DepartmentController *department() const { return mDepartment.get(); }
    HelpOverlay *helpOverlay() const { return mHelp; }
    QgsMapCanvas *mapCanvas() const;

    /**
     * Sets who is at the console: the actor of every step, and whose dock layout is restored
     * and saved. Call before openStore(); default: the login name.
     */
    void setOperatorName(const QString &name);
    QString operatorName() const;

    /**
     * Opens the store at \a path: its grid levels, points of interest and open cases replace
     * the placeholder district (see ConsoleSession::open). Returns false and sets \a error when
     * the file is not a store.
     */
    bool openStore(const QString &path, QString *error);

    /**
     * The window shows only what \a rights allow (issue 17; openStore() applies the session's
     * rights before it opens): each feature hides the steps, docks and menu entries the seat's
     * roles may not use (DispatchController::applyRights, CommandController::applyRights);
     * without map.view the map, its toolbars and docks and the field docks go, and a seat
     * without case.view or map.view (the administrators) gets administrationArea() instead.
     * Rights that are not enforced (a store without accounts) change nothing.
     */
    void applyRights(const OperatorRights &rights);
    /**
     * The central area of a seat that sees no cases (the administrators: 三员分立), saying so
     * in words (objectName "administrationNotice"). The administrators' tools (the audit
     * viewer for audit.read …) add themselves to its layout. nullptr until applyRights() made it.
     */
    QWidget *administrationArea() const { return mAdministrationArea; }

    /**
     * Shows the window fitted to the available geometry of its screen: maximized on the first
     * start, else where and as large as the operator left it, clamped to the screen.
     */
    void showOnScreen();
    //! Switches the theme ("light" or "dark") and remembers it.
    void setTheme(const QString &name);

  protected:
    void closeEvent(QCloseEvent *event) override;

  private:
    void connectSession();
    void arrangeDocks();
    void setUpThemeMenu();
    void setUpStatusBar();
    void setUpHelp();
    void restoreLayout();
    void saveLayout();
    void updateClock();
    void showAbout();

    std::unique_ptr<Ui::MainWindowBase> mUi;
    std::unique_ptr<ConsoleSession> mSession;
    std::unique_ptr<MapViewController> mMap;
    std::unique_ptr<DispatchController> mDispatch;
    std::unique_ptr<FieldController> mField;
    std::unique_ptr<CommandController> mCommand;
    std::unique_ptr<DepartmentController> mDepartment; //!< the department seat's inbox (issue 17)
    HelpOverlay *mHelp = nullptr;
    QLabel *mClockLabel = nullptr;
    StoreCheckLabel *mStoreCheck = nullptr;           //!< the open store's background integrity check
    CalendarWarningLabel *mCalendarWarning = nullptr; //!< missing holiday schedules
    QTimer *mClockTimer = nullptr;
    QWidget *mAdministrationArea = nullptr; //!< see administrationArea()
    QMenu *mThemeMenu = nullptr;
    bool mGeometryRestored = false; //!< the operator's saved geometry was restored
};

} // namespace gd::console
