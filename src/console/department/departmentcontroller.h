#pragma once
// The department seat (issue 17): a dock with the department's inbox when the logged-in
// account is a department handler with a department, else (the center's seats) a dock with the
// extension requests to decide. MainWindow adds the dock; this owns the panel's service thread.

#include <QObject>

#include <memory>

class QDockWidget;
class QMainWindow;
class QTimer;

namespace gd::console {

class ConsoleSession;
class DepartmentPanel;
class DepartmentServiceThread;

class DepartmentController : public QObject
{
    Q_OBJECT

  public:
    DepartmentController(QMainWindow *window, ConsoleSession *session);
    ~DepartmentController() override;

    QDockWidget *dock() const { return mDock; }
    DepartmentPanel *panel() const { return mPanel; }

    //! The open store's services run: opens the panel's service for the seat's rights.
    void servicesReady();

  signals:
    //! The operator double-clicked a case on the panel.
    void caseActivated(const QString &number);

  private:
    QMainWindow *mWindow = nullptr;
    ConsoleSession *mSession = nullptr;
    QDockWidget *mDock = nullptr;
    DepartmentPanel *mPanel = nullptr;
    QTimer *mTimer = nullptr;
    std::unique_ptr<DepartmentServiceThread> mService;
};

} // namespace gd::console
