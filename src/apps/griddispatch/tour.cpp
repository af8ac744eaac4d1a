#include "apps/griddispatch/tour.h"

#include "console/dispatch/actiondialog.h"
#include "console/dispatch/casedetailpanel.h"
#include "console/dispatch/casequeuefilter.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/command/commandviews.h"
#include "console/command/emergencypanel.h"
#include "console/command/supervisionpanel.h"
#include "console/dispatch/intakedialog.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QGuiApplication>
#include <QPixmap>
#include <QScreen>
#include <QTableView>
#include <QTimer>

#include <functional>
#include <iostream>
#include <memory>

namespace gd::apps {

namespace {

struct Tour
{
  console::MainWindow &window;
  QString dir;
  int *exitCode;
  std::vector<std::function<void(std::function<void()>)>> steps;
  std::size_t next = 0;
  QString caseNumber;
  QString similarTo;
  console::CaseDetail similar;

  void shoot(const QString &name)
  {
    QApplication::processEvents();
    QScreen *screen = QGuiApplication::primaryScreen();
    const QPixmap pixmap = screen->grabWindow(0);
    const QString path = QDir(dir).filePath(name);
    if (pixmap.isNull() || !pixmap.save(path))
    {
      std::cerr << "griddispatch: --tour: could not write " << path.toStdString() << '\n';
      *exitCode = 1;
    }
    else
    {
      std::cerr << "griddispatch: --tour: " << path.toStdString() << '\n';
    }
  }

  void fail(const std::string &why)
  {
    std::cerr << "griddispatch: --tour: " << why << '\n';
    *exitCode = 1;
    QCoreApplication::quit();
  }

  void run()
  {
    if (next == steps.size())
    {
      QCoreApplication::quit();
      return;
    }
    auto step = steps[next++];
    step([this] { QTimer::singleShot(600, &window, [this] { run(); }); });
  }
};

} // namespace

void startTour(console::MainWindow &window, const QString &dir, int *exitCode)
{
  QDir().mkpath(dir);
  auto *tour = new Tour{window, dir, exitCode, {}, 0, {}, {}, {}};
  auto &steps = tour->steps;

  // 1. The queue with live cases, the oldest deadline first; the first case opened.
  steps.push_back([tour](std::function<void()> next) {
    auto *proxy = tour->window.dispatch()->caseQueueProxy();
    if (proxy->rowCount() == 0)
      return tour->fail("the queue is empty: start with --demo and let the simulator report for a while");
    tour->similarTo = proxy->numberAt(0);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(tour->window.dispatch(), &console::DispatchController::caseShown, &tour->window, [tour, next, connection](const QString &) {
      QObject::disconnect(*connection);
      tour->similar = tour->window.dispatch()->caseDetailPanel()->detail();
      tour->shoot(QStringLiteral("console-queue.png"));
      next();
    });
    tour->window.dispatch()->selectCase(tour->similarTo);
  });

  // 2. The intake form for a call about the same problem, 30 m away: first as typed …
  steps.push_back([tour](std::function<void()> next) {
    console::IntakeDialog *dialog = tour->window.dispatch()->openIntake();
    if (!dialog)
      return tour->fail("the intake form did not open");
    dialog->move(tour->window.geometry().center() - QPoint(450, 260));
    console::IntakeForm form;
    form.source = QStringLiteral("hotline");
    form.caller = QStringLiteral("刘女士");
    form.phone = QStringLiteral("13909371234");
    form.category = tour->similar.category;
    form.title = tour->similar.title.isEmpty() ? tour->similar.categoryName : tour->similar.title;
    // Sample caller data, as an operator would type it.
    form.description = QStringLiteral("来电反映同一问题，从早上起一直没有人处理。");
    form.address = tour->similar.address.isEmpty() ? tour->similar.gridPath : tour->similar.address;
    dialog->setForm(form);
    tour->shoot(QStringLiteral("console-intake.png"));
    // … then with its location, which brings the duplicate suggestion.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(tour->window.dispatch(), &console::DispatchController::duplicatesShown, &tour->window,
                                   [tour, next, connection](const QStringList &) {
                                     QObject::disconnect(*connection);
                                     QTimer::singleShot(300, &tour->window, [tour, next] {
                                       tour->shoot(QStringLiteral("console-duplicates.png"));
                                       next();
                                     });
                                   });
    dialog->setLocation(tour->similar.lon + 0.0003, tour->similar.lat, form.address);
  });

  // 3. Not a duplicate after all (a neighbouring building): registered as a new case.
  steps.push_back([tour](std::function<void()> next) {
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(tour->window.dispatch(), &console::DispatchController::stepFinished, &tour->window,
                                   [tour, next, connection](const console::ActionOutcome &outcome) {
                                     QObject::disconnect(*connection);
                                     if (!outcome.ok)
                                       return tour->fail(outcome.message.toStdString());
                                     tour->caseNumber = outcome.number;
                                     next();
                                   });
    auto *dialog = tour->window.findChild<console::IntakeDialog *>();
    emit dialog->submitRequested(dialog->form());
  });

  // 4. Dispatch with the suggestion preselected (Ctrl+D).
  steps.push_back([tour](std::function<void()> next) {
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(tour->window.dispatch(), &console::DispatchController::stepDialogOpened, &tour->window,
                                   [tour, next, connection](console::ActionDialog *dialog) {
                                     QObject::disconnect(*connection);
                                     dialog->move(tour->window.geometry().center() - QPoint(240, 200));
                                     QTimer::singleShot(300, &tour->window, [tour, next, dialog] {
                                       tour->shoot(QStringLiteral("console-assignment.png"));
                                       dialog->accept();
                                       // A worker no order reaches: the dialog asks first; the tour dispatches anyway.
                                       if (dialog->isVisible() && !dialog->warning().isEmpty())
                                         dialog->accept();
                                       next();
                                     });
                                   });
    tour->window.dispatch()->stepAction(QStringLiteral("dispatch"))->trigger();
  });

  // 5. The case, assigned, with its timeline; then the help overlay.
  steps.push_back([tour](std::function<void()> next) {
    QTimer::singleShot(800, &tour->window, [tour, next] {
      if (auto *dock = tour->window.findChild<QDockWidget *>(QStringLiteral("caseDock")))
        dock->raise();
      tour->shoot(QStringLiteral("console-detail.png"));
      next();
    });
  });
  steps.push_back([tour](std::function<void()> next) {
    QAction *help = nullptr;
    for (QAction *action : tour->window.findChildren<QAction *>())
      if (action->shortcut() == QKeySequence(Qt::Key_F1))
        help = action;
    if (help)
      help->trigger();
    QTimer::singleShot(300, &tour->window, [tour, next, help] {
      tour->shoot(QStringLiteral("console-shortcuts.png"));
      if (help)
        help->trigger();
      next();
    });
  });

  // 7. The supervision wall. The demo's cases are minutes old, so the wall's clock is set two
  // days ahead to show what it shows when they slip; two of them are supervised (督办) with an
  // opinion and a reply deadline (an urge needs an assigned case; the demo's are not yet).
  steps.push_back([tour](std::function<void()> next) {
    console::SupervisionPanel *wall = tour->window.command()->supervisionPanel();
    if (auto *dock = tour->window.findChild<QDockWidget *>(QStringLiteral("supervisionDock")))
    {
      dock->show();
      dock->raise();
    }
    wall->setNow(QDateTime::currentDateTime().addDays(2));
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(wall, &console::SupervisionPanel::reloaded, &tour->window, [tour, wall, next, connection] {
      QObject::disconnect(*connection);
      QStringList numbers;
      for (const console::WallRow &row : wall->view().rows)
        if (numbers.size() < 2)
          numbers << row.number;
      wall->selectNumbers(numbers);
      auto urged = std::make_shared<QMetaObject::Connection>();
      *urged = QObject::connect(wall, &console::SupervisionPanel::reloaded, &tour->window, [tour, next, urged] {
        QObject::disconnect(*urged);
        QTimer::singleShot(400, &tour->window, [tour, next] {
          tour->shoot(QStringLiteral("console-supervision-wall.png"));
          next();
        });
      });
      if (!wall->urgeSelected(true, QStringLiteral("请今日内处置完毕并反馈"), QDateTime::currentDateTime().addSecs(6 * 3600)))
        wall->reload();
    });
    wall->reload();
  });

  // 8. One-key emergency at the tour's case: dispatch two departments, alert the terminals near.
  steps.push_back([tour](std::function<void()> next) {
    console::EmergencyPanel *panel = tour->window.command()->emergencyPanel();
    panel->setUrlOpener([](const QUrl &) {}); // no browser on the tour's screen
    panel->setRadius(1500);
    tour->window.dispatch()->selectCase(tour->caseNumber);
    auto step = std::make_shared<int>(0);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(panel, &console::EmergencyPanel::commandFinished, &tour->window,
                                   [tour, panel, next, step, connection](bool ok, const QString &message) {
                                     if (!ok)
                                     {
                                       QObject::disconnect(*connection);
                                       return tour->fail(message.toStdString());
                                     }
                                     switch ((*step)++)
                                     {
                                       case 0:
                                         panel->dispatchTo({QStringLiteral("police"), QStringLiteral("fire")},
                                                           QStringLiteral("立即赶赴现场，疏散周边群众"));
                                         break;
                                       case 1:
                                         panel->broadcast(QStringLiteral("附近发生险情，请就近前往协助疏散"));
                                         break;
                                       case 2:
                                         panel->joinConference();
                                         break;
                                       default:
                                         QObject::disconnect(*connection);
                                         QTimer::singleShot(1500, &tour->window, [tour, next] {
                                           tour->shoot(QStringLiteral("console-emergency.png"));
                                           next();
                                         });
                                     }
                                   });
    QTimer::singleShot(500, &tour->window, [tour] { tour->window.command()->declareEmergencyFromCase(); });
  });

  // 9. The conference view, as shared into the video conference.
  steps.push_back([tour](std::function<void()> next) {
    console::ConferenceView *view = tour->window.command()->showConferenceView(true, tour->window.size());
    view->move(tour->window.pos());
    QTimer::singleShot(2500, &tour->window, [tour, view, next] {
      tour->shoot(QStringLiteral("conference-view.png"));
      view->hide();
      next();
    });
  });

  // 10. The big screen, full screen on this display (named by its size in physical pixels:
  // run the tour on a 3840×2160 screen with QT_SCALE_FACTOR=2 for the 4K wall).
  steps.push_back([tour](std::function<void()> next) {
    console::BigScreen *big = tour->window.command()->showBigScreen(true);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(tour->window.command(), &console::CommandController::bigScreenRefreshed, &tour->window,
                                   [tour, big, next, connection] {
                                     QObject::disconnect(*connection);
                                     QTimer::singleShot(3000, &tour->window, [tour, big, next] {
                                       QScreen *screen = QGuiApplication::primaryScreen();
                                       const QSize pixels = screen->size() * screen->devicePixelRatio();
                                       tour->shoot(QStringLiteral("big-screen-%1x%2.png").arg(pixels.width()).arg(pixels.height()));
                                       big->close();
                                       next();
                                     });
                                   });
  });
  QTimer::singleShot(0, &window, [tour] { tour->run(); });
}

} // namespace gd::apps
