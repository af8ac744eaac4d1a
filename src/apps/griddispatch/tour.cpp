#include "apps/griddispatch/tour.h"

#include "console/actiondialog.h"
#include "console/casedetailpanel.h"
#include "console/casequeuefilter.h"
#include "console/casequeuemodel.h"
#include "console/intakedialog.h"
#include "console/mainwindow.h"

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
    auto *proxy = tour->window.caseQueueProxy();
    if (proxy->rowCount() == 0)
      return tour->fail("the queue is empty: start with --demo and let the simulator report for a while");
    tour->similarTo = proxy->numberAt(0);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(&tour->window, &console::MainWindow::caseShown, &tour->window, [tour, next, connection](const QString &) {
      QObject::disconnect(*connection);
      tour->similar = tour->window.caseDetailPanel()->detail();
      tour->shoot(QStringLiteral("console-queue.png"));
      next();
    });
    tour->window.selectCase(tour->similarTo);
  });

  // 2. The intake form for a call about the same problem, 30 m away: first as typed …
  steps.push_back([tour](std::function<void()> next) {
    console::IntakeDialog *dialog = tour->window.openIntake();
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
    *connection = QObject::connect(&tour->window, &console::MainWindow::duplicatesShown, &tour->window,
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
    *connection = QObject::connect(&tour->window, &console::MainWindow::stepFinished, &tour->window,
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
    *connection = QObject::connect(&tour->window, &console::MainWindow::stepDialogOpened, &tour->window,
                                   [tour, next, connection](console::ActionDialog *dialog) {
                                     QObject::disconnect(*connection);
                                     dialog->move(tour->window.geometry().center() - QPoint(240, 200));
                                     QTimer::singleShot(300, &tour->window, [tour, next, dialog] {
                                       tour->shoot(QStringLiteral("console-assignment.png"));
                                       dialog->accept();
                                       next();
                                     });
                                   });
    tour->window.stepAction(QStringLiteral("dispatch"))->trigger();
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
  QTimer::singleShot(0, &window, [tour] { tour->run(); });
}

} // namespace gd::apps
