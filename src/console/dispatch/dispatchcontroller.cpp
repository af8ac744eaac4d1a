#include "console/dispatch/dispatchcontroller.h"

#include "ui_mainwindowbase.h"

#include "console/dispatch/actiondialog.h"
#include "console/dispatch/casedetailpanel.h"
#include "console/dispatch/casequeuefilter.h"
#include "console/dispatch/casequeuemodel.h"
#include "console/dispatch/intakedialog.h"
#include "console/dispatch/queuefilterbar.h"
#include "console/dispatch/queuehold.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/session/storewatcher.h"
#include "console/shell/windowfit.h"
#include "core/caseaccess.h"
#include "core/gridtree.h"
#include "map/caselayer.h"

#include <qgsmapcanvas.h>
#include <qgsvertexmarker.h>

#include <QDockWidget>
#include <QGuiApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QScreen>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <mutex>

namespace gd::console {

namespace {

struct StepSpec
{
  const char *name;
  QKeySequence shortcut;
  bool bulk; //!< offered on several selected cases at once
};

// The main line on Ctrl+digits in the order of the loop; the exceptions on Ctrl+Shift+letter.
const std::vector<StepSpec> &stepSpecs()
{
  static const std::vector<StepSpec> specs{
    {"dispatch", QKeySequence(QStringLiteral("Ctrl+D")), true},
    {"register", QKeySequence(QStringLiteral("Ctrl+1")), false},
    {"accept", QKeySequence(QStringLiteral("Ctrl+2")), false},
    {"assign", QKeySequence(QStringLiteral("Ctrl+3")), false},
    {"start_handling", QKeySequence(QStringLiteral("Ctrl+4")), false},
    {"arrive", QKeySequence(QStringLiteral("Ctrl+Shift+4")), false},
    {"feedback", QKeySequence(QStringLiteral("Ctrl+5")), false},
    {"close", QKeySequence(QStringLiteral("Ctrl+6")), false},
    {"visit", QKeySequence(QStringLiteral("Ctrl+7")), false},
    {"archive", QKeySequence(QStringLiteral("Ctrl+8")), false},
    {"return", QKeySequence(QStringLiteral("Ctrl+Shift+R")), false},
    {"escalate", QKeySequence(QStringLiteral("Ctrl+Shift+E")), false},
    {"extend", QKeySequence(QStringLiteral("Ctrl+Shift+T")), false},
    {"park", QKeySequence(QStringLiteral("Ctrl+Shift+P")), false},
    {"resume", QKeySequence(QStringLiteral("Ctrl+Shift+U")), false},
    {"merge", QKeySequence(QStringLiteral("Ctrl+Shift+M")), true},
    {"rework", QKeySequence(QStringLiteral("Ctrl+Shift+W")), false},
    {"supervise", QKeySequence(QStringLiteral("Ctrl+Shift+S")), false},
    {"urge", QKeySequence(QStringLiteral("Ctrl+U")), true},
    {"note", QKeySequence(QStringLiteral("Ctrl+Shift+N")), false},
    {"void", QKeySequence(QStringLiteral("Ctrl+Shift+Del")), false},
  };
  return specs;
}

} // namespace

DispatchController::DispatchController(QMainWindow *window, Ui::MainWindowBase *ui, ConsoleSession *session, MapViewController *map)
  : QObject(nullptr)
  , mWindow(window)
  , mUi(ui)
  , mSession(session)
  , mMap(map)
  , mView(ui->caseQueueView)
{
  qRegisterMetaType<gd::console::ActionOutcome>();
  qRegisterMetaType<gd::console::ActionDialog *>();
  setUpQueue();
  setUpCaseMenu();
  setUpDocks();
  connect(map, &MapViewController::caseClicked, this, &DispatchController::selectCase);
}

DispatchController::~DispatchController()
{
  // The queue's hold lets held cases in when the queue is hidden, which ~QWidget does to every
  // child after the controllers are gone: the hold goes first, and nothing of the queue's model
  // reaches this controller any more (its slots use members).
  delete mHold;
  mHold = nullptr;
  disconnect(mModel, nullptr, this, nullptr);
  disconnect(mProxy, nullptr, this, nullptr);
}

CaseServiceThread *DispatchController::caseService() const
{
  return mSession->caseService();
}

QList<QAction *> DispatchController::stepActions() const
{
  QList<QAction *> steps{mStepActions.value(QStringLiteral("intake"))};
  for (const StepSpec &spec : stepSpecs())
    steps << mStepActions.value(QString::fromLatin1(spec.name));
  return steps;
}

void DispatchController::setUpQueue()
{
  mModel = new CaseQueueModel(this);
  mProxy = new CaseQueueFilter(this);
  mProxy->setSourceModel(mModel);
  // A case that leaves the queue (merged, closed, filtered out) must not drag the detail
  // to whichever row Qt makes current next: the operator keeps seeing the case acted on.
  // Connected before the view's selection model so the flag is up when it moves current.
  connect(mProxy, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { mQueueRowsLeaving = true; });
  connect(mProxy, &QAbstractItemModel::rowsRemoved, this, [this] {
    mQueueRowsLeaving = false;
    if (!mCurrentCase.isEmpty() && mProxy->proxyRowOf(mCurrentCase) < 0)
    {
      mSelectingCase = true;
      mView->selectionModel()->clear();
      mSelectingCase = false;
    }
  });
  mView->setModel(mProxy);
  mView->horizontalHeader()->setStretchLastSection(true);
  mView->verticalHeader()->hide();
  // Fixed row heights: the view never measures 100,000 rows.
  mView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  mView->verticalHeader()->setDefaultSectionSize(mView->fontMetrics().height() + 4);
  mView->setSelectionMode(QAbstractItemView::ExtendedSelection);
  mView->setEditTriggers(QAbstractItemView::NoEditTriggers);
  mView->sortByColumn(CaseQueueModel::Deadline, Qt::AscendingOrder);
  // The case number, its category and grid are never cut: their columns grow to the longest
  // text the queue holds (measured as rows arrive, not by ResizeToContents, which would measure
  // 1,000 rows on every change of the live queue).
  connect(mModel, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int first, int last) { fitQueueColumns(first, last); });
  connect(mModel, &QAbstractItemModel::modelReset, this, [this] { fitQueueColumns(0, mModel->rowCount() - 1); });
  // The case number whole (it was cut to "620902-20261…" at the default width): it is what
  // the operator reads out on the phone and types into the filter.
  mView->horizontalHeader()->resizeSection(
    CaseQueueModel::Number, mView->fontMetrics().horizontalAdvance(QStringLiteral("620902-20261207-000000")) + 16);
  mHold = new QueueHold(mView, mModel, mProxy, this);
  connect(mHold, &QueueHold::released, this, &DispatchController::showCurrentCaseInQueue);
  mFilterBar = mUi->queueFilterBar;
  connect(mFilterBar, &QueueFilterBar::criteriaChanged, mProxy, &CaseQueueFilter::setCriteria);
  connect(mModel, &QAbstractItemModel::modelReset, this, &DispatchController::updateEmptyHint);
  connect(mModel, &QAbstractItemModel::rowsInserted, this, &DispatchController::updateEmptyHint);
  connect(mModel, &QAbstractItemModel::rowsRemoved, this, &DispatchController::updateEmptyHint);
  updateEmptyHint();

  auto *ticker = new QTimer(this);
  connect(ticker, &QTimer::timeout, mModel, &CaseQueueModel::tick);
  ticker->start(30000);
}

void DispatchController::setUpCaseMenu()
{
  QMenu *menu = mUi->menuCase;
  QAction *intake = menu->addAction(tr("New report (12345 / 110 / walk-in)…"));
  intake->setShortcut(QKeySequence(QStringLiteral("Ctrl+N")));
  connect(intake, &QAction::triggered, this, [this] { openIntake(); });
  mStepActions.insert(QStringLiteral("intake"), intake);
  menu->addSeparator();
  for (const StepSpec &spec : stepSpecs())
  {
    const QString name = QString::fromLatin1(spec.name);
    const QString text = name == QLatin1String("dispatch") ? tr("Dispatch (register, accept and assign)…") : actionTitle(name) + QStringLiteral("…");
    QAction *action = menu->addAction(text);
    action->setObjectName(QStringLiteral("step_%1").arg(name));
    action->setShortcut(spec.shortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(name == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(name),
                                                     spec.shortcut.toString(QKeySequence::NativeText)));
    action->setEnabled(false);
    connect(action, &QAction::triggered, this, [this, name] { triggerStep(name); });
    mStepActions.insert(name, action);
    if (name == QLatin1String("dispatch") || name == QLatin1String("archive") || name == QLatin1String("rework"))
      menu->addSeparator();
  }
  menu->addSeparator();
  QAction *findCase = menu->addAction(tr("Filter the queue"));
  findCase->setShortcut(QKeySequence(QStringLiteral("Ctrl+F")));
  connect(findCase, &QAction::triggered, this, [this] {
    mUi->caseQueueDock->show();
    mFilterBar->textEdit()->setFocus();
    mFilterBar->textEdit()->selectAll();
  });
  QAction *search = menu->addAction(tr("Find a grid, case or place on the map"));
  search->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
  connect(search, &QAction::triggered, this, [this] {
    mMap->searchEdit()->setFocus();
    mMap->searchEdit()->selectAll();
  });
  QAction *queue = menu->addAction(tr("Go to the case queue"));
  queue->setShortcut(QKeySequence(QStringLiteral("Ctrl+0")));
  connect(queue, &QAction::triggered, this, [this] {
    mUi->caseQueueDock->show();
    mView->setFocus();
  });
  QAction *resetFilters = menu->addAction(tr("Reset the queue filters"));
  resetFilters->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+F")));
  connect(resetFilters, &QAction::triggered, mFilterBar, &QueueFilterBar::reset);
  QAction *reload = menu->addAction(tr("Reload the case"));
  reload->setShortcut(QKeySequence(Qt::Key_F5));
  connect(reload, &QAction::triggered, this, [this] {
    if (!mCurrentCase.isEmpty())
      loadDetail(mCurrentCase, false);
  });

  // The queue's selection is the case selection; the current row is the case on screen.
  connect(mView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
    if (mSelectingCase || mQueueRowsLeaving || !current.isValid())
      return;
    const QString number = mProxy->numberAt(current.row());
    if (!number.isEmpty() && number != mCurrentCase)
      selectCase(number);
  });
  connect(mView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &DispatchController::updateStepActions);
  connect(mView, &QTableView::activated, this, [this](const QModelIndex &index) {
    const QString number = mProxy->numberAt(index.row());
    if (!number.isEmpty())
      mMap->selectPin(number, true);
  });
}

void DispatchController::setUpDocks()
{
  mCaseDock = new QDockWidget(tr("Case"), mWindow);
  mCaseDock->setObjectName(QStringLiteral("caseDock"));
  mDetailPanel = new CaseDetailPanel(mCaseDock);
  QHash<QString, QAction *> steps = mStepActions;
  steps.remove(QStringLiteral("intake"));
  mDetailPanel->setStepActions(steps);
  // Scrolls rather than holding the window taller than a 768-line screen (issue 13).
  mCaseDock->setWidget(scrollable(mDetailPanel, mCaseDock));
  connect(mDetailPanel, &CaseDetailPanel::noticeAcknowledgementRequested, this, [this](qint64 id, const QString &department) {
    bool ok = false;
    const QString who = QInputDialog::getText(mWindow, tr("Department acknowledgement"),
                                              tr("Who at %1 acknowledged the notice?").arg(department), QLineEdit::Normal,
                                              QString(), &ok);
    if (ok && !who.trimmed().isEmpty())
      acknowledgeNotice(id, who);
  });
  // A terminal's acknowledgement changes no case event, so the watcher does not bring it: the
  // case is read again while something it sent is still unacknowledged.
  mOrderStatusTimer = new QTimer(this);
  mOrderStatusTimer->setSingleShot(true);
  connect(mOrderStatusTimer, &QTimer::timeout, this, [this] {
    if (!mCurrentCase.isEmpty())
      loadDetail(mCurrentCase, true);
  });
  connect(mDetailPanel, &CaseDetailPanel::linkActivated, this, [this](const QString &link) {
    if (link.startsWith(QLatin1String("case:")))
      selectCase(link.mid(5));
    else if (link.startsWith(QLatin1String("grid:")))
      mMap->search(link.mid(5));
    else if (link.startsWith(QLatin1String("unmask:")))
    {
      bool ok = false;
      const QString reason = QInputDialog::getText(mWindow, tr("Show the reporters"),
                                                   tr("Why do you need the reporters' names and phone numbers? (recorded in the audit trail)"),
                                                   QLineEdit::Normal, QString(), &ok);
      if (ok && !reason.trimmed().isEmpty())
        revealReporters(link.mid(7), reason);
    }
  });

  mDuplicatesDock = new QDockWidget(tr("Duplicate suggestions"), mWindow);
  mDuplicatesDock->setObjectName(QStringLiteral("duplicatesDock"));
  mDuplicatesList = new QListWidget(mDuplicatesDock);
  mDuplicatesList->setObjectName(QStringLiteral("caseDuplicateList"));
  mDuplicatesList->setWordWrap(true);
  mDuplicatesList->setToolTip(tr("Cases that may report the same problem. Double-click to open; merge with Ctrl+Shift+M."));
  connect(mDuplicatesList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
    const QString number = item->data(Qt::UserRole).toString();
    if (!number.isEmpty())
      selectCase(number);
  });
  mDuplicatesDock->setWidget(mDuplicatesList);
}

void DispatchController::showStore(const StoreOverview &)
{
  mHold->clear();
  mModel->setRows({});
  // While loading, rows join the queue unsorted (alerts first, as read): a sorted proxy places
  // each inserted row on its own, 2,000 rows into 30,000 took most of a chunk's time. One
  // sort when every row is in.
  mProxy->setDynamicSortFilter(false);
}

void DispatchController::addCases(const OpenCaseChunk &chunk)
{
  mModel->applyChanges(chunk.rows, {});
}

void DispatchController::casesLoaded()
{
  mProxy->setDynamicSortFilter(true);
}

void DispatchController::servicesReady()
{
  if (!caseService())
    return;
  std::vector<Choice> gridChoices;
  if (const core::GridTree *grids = mSession->grids())
    for (int level = 1; level <= 3; ++level)
      for (const core::GridNode *node : grids->nodesAt(static_cast<core::GridLevel>(level)))
        gridChoices.push_back({QString::fromStdString(node->code.str()), QString::fromStdString(node->name),
                               QString(2 * (level - 1), QLatin1Char(' '))});
  std::sort(gridChoices.begin(), gridChoices.end(), [](const Choice &a, const Choice &b) { return a.code < b.code; });
  caseService()->call<std::vector<std::vector<Choice>>>(
    [](CaseService &service) {
      return std::vector<std::vector<Choice>>{service.families(), service.categories(), service.departments()};
    },
    this, [this, gridChoices](std::vector<std::vector<Choice>> choices) {
      mFilterBar->setChoices(choices[0], choices[1], choices[2], gridChoices);
      mCategoryChoices = choices[1];
    });
}

void DispatchController::applyChanges(const StoreChanges &changes)
{
  // Through the hold: while the pointer is over the queue its rows stay where they are.
  mHold->apply(changes.rows, changes.closedCases);
  // The case on screen changed under the operator: show it as it is now, and say so.
  if (!mCurrentCase.isEmpty())
  {
    showCurrentCaseInQueue();
    bool touched = changes.closedCases.contains(mCurrentCase);
    for (const CaseQueueRow &row : changes.rows)
      touched = touched || row.number == mCurrentCase;
    if (touched)
      loadDetail(mCurrentCase, true);
  }
}

void DispatchController::selectCase(const QString &number)
{
  if (number.isEmpty())
    return;
  mCurrentCase = number;
  // Queue: make it the current row (keeping a multi-selection the operator made is not
  // wanted here: picking one case elsewhere means this case).
  const int row = mProxy->proxyRowOf(number);
  mSelectingCase = true;
  if (row >= 0)
  {
    const QModelIndex index = mProxy->index(row, 0);
    mView->selectionModel()->setCurrentIndex(
      index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    mView->scrollTo(index);
  }
  else
  {
    mView->selectionModel()->clearSelection();
  }
  mSelectingCase = false;
  mMap->selectPin(number, false);
  loadDetail(number, false);
  showDuplicatesOf(number);
}

QStringList DispatchController::selectedQueueNumbers() const
{
  QStringList numbers;
  for (const QModelIndex &index : mView->selectionModel()->selectedRows())
    numbers << mProxy->numberAt(index.row());
  if (numbers.isEmpty() && !mCurrentCase.isEmpty())
    numbers << mCurrentCase;
  return numbers;
}

void DispatchController::loadDetail(const QString &number, bool changedUnder)
{
  if (!caseService())
    return;
  const QString operatorName = mSession->operatorName();
  caseService()->call<std::optional<CaseDetail>>(
    [number](CaseService &service) { return service.detail(number); }, this,
    [this, number, changedUnder, operatorName](std::optional<CaseDetail> detail) {
      if (number != mCurrentCase)
        return; // the operator moved on meanwhile
      if (!detail)
      {
        mDetailPanel->clear();
        mWindow->statusBar()->showMessage(tr("Case %1 not found").arg(number), 8000);
        return;
      }
      // Changes the operator made themselves are not news to them.
      bool byOthers = false;
      if (changedUnder && mCurrentDetail.number == number)
        for (std::size_t i = mCurrentDetail.timeline.size(); i < detail->timeline.size(); ++i)
          byOthers = byOthers || detail->timeline[i].actor != operatorName;
      mCurrentDetail = *detail;
      // Reporters revealed with a reason stay revealed while their case is read again (one audit
      // row per reveal); a reporter added since is masked until revealed in turn.
      if (number != mRevealedCase)
        mRevealedReporters.clear();
      else if (mCurrentDetail.reportersMasked && mRevealedReporters.size() == mCurrentDetail.reporters.size())
      {
        mCurrentDetail.reporters = mRevealedReporters;
        mCurrentDetail.reportersMasked = false;
        mCurrentDetail.mayUnmask = false;
      }
      mDetailPanel->showDetail(mCurrentDetail, byOthers);
      // A terminal acknowledges within seconds when online; a department may take hours.
      const bool orderAwaited =
        std::any_of(detail->orders.begin(), detail->orders.end(), [](const OrderStatusView &o) { return !o.ackedAt.isValid(); });
      const bool noticeAwaited =
        std::any_of(detail->notices.begin(), detail->notices.end(), [](const NoticeStatusView &n) { return !n.acknowledgedAt.isValid(); });
      if (orderAwaited || noticeAwaited)
        mOrderStatusTimer->start(orderAwaited ? 3000 : 15000);
      else
        mOrderStatusTimer->stop();
      if (auto *dock = mCaseDock; dock && !changedUnder)
        dock->raise();
      updateStepActions();
      emit caseShown(number);
    });
}

void DispatchController::showDuplicatesOf(const QString &number)
{
  if (!caseService())
    return;
  caseService()->call<std::vector<DuplicateSuggestion>>(
    [number](CaseService &service) { return service.duplicatesOf(number); }, this,
    [this, number](std::vector<DuplicateSuggestion> suggestions) {
      if (number != mCurrentCase)
        return;
      mDuplicatesList->clear();
      for (const DuplicateSuggestion &s : suggestions)
      {
        auto *item = new QListWidgetItem(tr("%1  %2\n%3 · %4 m · %5 h apart · %6 % alike")
                                           .arg(s.number, s.title, CaseQueueModel::stateTitle(s.state))
                                           .arg(qRound(s.distanceM))
                                           .arg(s.hoursApart, 0, 'f', 1)
                                           .arg(qRound(s.textSimilarity * 100)),
                                         mDuplicatesList);
        item->setData(Qt::UserRole, s.number);
      }
      if (suggestions.empty())
        new QListWidgetItem(tr("No likely duplicate of %1.").arg(number), mDuplicatesList);
    });
}

void DispatchController::updateStepActions()
{
  const QStringList selected = selectedQueueNumbers();
  const bool bulk = selected.size() > 1;
  const QStringList &allowed = mCurrentDetail.allowedActions;
  const bool hasCase = !mCurrentCase.isEmpty() && mCurrentDetail.number == mCurrentCase;
  for (const StepSpec &spec : stepSpecs())
  {
    const QString name = QString::fromLatin1(spec.name);
    QAction *action = mStepActions.value(name);
    bool enabled = false;
    if (bulk)
      enabled = spec.bulk;
    else if (hasCase && name == QLatin1String("dispatch"))
      enabled = allowed.contains(QStringLiteral("dispatch")); // the service says (register, accept or assign, and case.assign)
    else if (hasCase)
      enabled = allowed.contains(name);
    action->setEnabled(enabled && caseService() && action->isVisible());
  }
}

core::Action DispatchController::stepPermission(const QString &name)
{
  if (name == QLatin1String("intake"))
    return core::Action::CaseIntake;
  if (name == QLatin1String("dispatch"))
    return core::Action::CaseAssign;
  const auto action = core::parseCaseAction(name.toStdString());
  return action ? core::permissionFor(*action) : core::Action::CaseView;
}

void DispatchController::applyRights(const OperatorRights &rights)
{
  mRights = rights;
  // Hidden, not greyed: a seat sees the steps of its own role only (a greyed step would ask
  // "why not?" of a step that is never the seat's to do). The service refuses them anyway.
  QHash<QString, QAction *> panelSteps;
  for (auto it = mStepActions.cbegin(); it != mStepActions.cend(); ++it)
  {
    const bool may = rights.may(stepPermission(it.key()));
    it.value()->setVisible(may);
    if (!may)
      it.value()->setEnabled(false);
    else if (it.key() != QLatin1String("intake"))
      panelSteps.insert(it.key(), it.value());
  }
  mDetailPanel->setStepActions(panelSteps);
  const bool cases = rights.may(core::Action::CaseView);
  for (QDockWidget *dock : {mUi->caseQueueDock, mCaseDock, mDuplicatesDock})
  {
    dock->toggleViewAction()->setVisible(cases);
    if (!cases)
      dock->hide();
  }
  mUi->menuCase->menuAction()->setVisible(cases);
  updateStepActions();
}

void DispatchController::revealReporters(const QString &number, const QString &reason)
{
  if (!caseService())
    return;
  using Revealed = std::pair<ActionOutcome, std::vector<ReporterView>>;
  caseService()->call<Revealed>(
    [number, reason](CaseService &service) {
      Revealed revealed;
      revealed.first = service.revealReporters(number, reason, &revealed.second);
      return revealed;
    },
    this, [this](Revealed revealed) {
      if (revealed.first.ok && mCurrentDetail.number == revealed.first.number)
      {
        mRevealedCase = revealed.first.number;
        mRevealedReporters = revealed.second;
        mCurrentDetail.reporters = revealed.second;
        mCurrentDetail.reportersMasked = false;
        mCurrentDetail.mayUnmask = false;
        mDetailPanel->showDetail(mCurrentDetail, false);
      }
      // Not showOutcome(): it reads the case again, masked.
      mWindow->statusBar()->showMessage(revealed.first.ok ? revealed.first.message : tr("Not done: %1").arg(revealed.first.message), 15000);
      emit stepFinished(revealed.first);
    });
}

void DispatchController::triggerStep(const QString &name)
{
  if (!caseService() || mCurrentCase.isEmpty())
    return;
  QStringList numbers = selectedQueueNumbers();
  if (!numbers.contains(mCurrentCase))
    numbers.prepend(mCurrentCase);
  if (numbers.size() > 1)
  {
    const bool bulk = std::any_of(stepSpecs().begin(), stepSpecs().end(),
                                  [&name](const StepSpec &spec) { return spec.bulk && name == QLatin1String(spec.name); });
    if (!bulk)
      numbers = QStringList{mCurrentCase};
  }
  openStepDialog(name, numbers, mCurrentDetail);
}

void DispatchController::openStepDialog(const QString &name, const QStringList &numbers, const CaseDetail &detail)
{
  // What the dialog offers (departments, the grid's workers and whether an order reaches
  // them, the routing suggestion, merge candidates) comes from the store on the service
  // thread; the dialog opens when it is there.
  const bool single = numbers.size() == 1;
  caseService()->call<ActionContext>(
    [name, numbers, detail, single](CaseService &service) {
      ActionContext context;
      context.departments = service.departments();
      if (single)
      {
        context.workers = service.workersFor(detail.grid);
        QStringList ids;
        for (const Choice &worker : context.workers)
          ids << worker.code;
        context.workerReach = service.reach(ids);
      }
      context.suggestion = service.suggestLeadFor(detail.number);
      if (name == QLatin1String("merge"))
      {
        if (single)
          context.mergeCandidates = service.duplicatesOf(detail.number);
        else
          for (const QString &number : numbers)
            if (const auto other = service.detail(number))
              context.mergeCandidates.push_back({number, other->title.isEmpty() ? other->categoryName : other->title,
                                                 other->state, other->address, -1, 0, 0, 0});
      }
      if (!single && (name == QLatin1String("dispatch") || name == QLatin1String("assign")))
        for (const QString &number : numbers)
        {
          const auto other = service.detail(number);
          context.perCase.push_back({Choice{number, other ? other->categoryName : QString(), {}}, service.suggestLeadFor(number)});
        }
      return context;
    },
    this, [this, name, numbers, detail](ActionContext context) {
      auto *dialog = new ActionDialog(name, detail, context, mWindow);
      dialog->setAttribute(Qt::WA_DeleteOnClose);
      dialog->setCaseNumbers(numbers);
      QPointer<ActionDialog> guard(dialog);
      std::map<QString, QString> suggested;
      for (const auto &[which, suggestion] : context.perCase)
        suggested[which.code] = suggestion.department;
      dialog->setSubmitHandler([this, guard, suggested] {
        if (guard)
          runStep(guard, suggested);
      });
      dialog->open();
      emit stepDialogOpened(dialog);
    });
}

void DispatchController::runStep(ActionDialog *dialog, const std::map<QString, QString> &suggested)
{
  const QString name = dialog->action();
  QStringList numbers = dialog->caseNumbers();
  ActionRequest request = dialog->request();
  const QString lead = dialog->lead();
  const QStringList assisting = dialog->assisting();
  const QString worker = dialog->worker();
  if (name == QLatin1String("merge"))
  {
    // Bulk merge: every other selected case goes into the chosen one.
    if (numbers.size() > 1)
      numbers.removeAll(request.data.value(QStringLiteral("into")).toString());
  }
  // One case: the dialog stays open on a refusal and says why there. Several: it closes, and
  // every case that was not done is listed with its reason once all are through.
  const bool single = dialog->caseNumbers().size() == 1;
  QPointer<ActionDialog> guard(dialog);
  if (!single)
    dialog->done(QDialog::Accepted);
  auto remaining = std::make_shared<int>(static_cast<int>(numbers.size()));
  auto refusals = std::make_shared<QStringList>();
  for (const QString &number : numbers)
  {
    QString caseLead = lead;
    if (lead == kEachCasesSuggestion)
    {
      const auto it = suggested.find(number);
      caseLead = it == suggested.end() ? QString() : it->second;
    }
    caseService()->call<ActionOutcome>(
      [=](CaseService &service) {
        if (name == QLatin1String("dispatch") || name == QLatin1String("assign"))
          if (caseLead.isEmpty())
          {
            ActionOutcome refused;
            refused.number = number;
            refused.message = tr("no department is suggested for this case; dispatch it on its own");
            return refused;
          }
        if (name == QLatin1String("dispatch"))
          return service.dispatch(number, caseLead, assisting, single ? worker : QString());
        ActionRequest own = request;
        if (name == QLatin1String("assign"))
          own.data.insert(QStringLiteral("lead"), caseLead);
        return service.perform(number, own);
      },
      this, [this, guard, single, remaining, refusals, name](ActionOutcome outcome) {
        if (single && guard)
        {
          if (outcome.ok)
            guard->done(QDialog::Accepted);
          else
            guard->showRefusal(outcome.message);
        }
        if (!outcome.ok)
          *refusals << tr("%1: %2").arg(outcome.number, outcome.message);
        showOutcome(outcome);
        if (--*remaining == 0 && !single && !refusals->isEmpty())
          showRefusals(tr("%1: not done for %n case(s)", nullptr, static_cast<int>(refusals->size()))
                         .arg(name == QLatin1String("dispatch") ? tr("Dispatch") : actionTitle(name)),
                       *refusals);
      });
  }
}

void DispatchController::showRefusals(const QString &title, const QStringList &lines)
{
  // Every case and its reason, in full (a status bar cuts them off); not modal, so the
  // operator can act on the cases with the list open.
  auto *box = mWindow->findChild<QMessageBox *>(QStringLiteral("refusalsBox"));
  if (!box)
  {
    box = new QMessageBox(QMessageBox::Warning, title, QString(), QMessageBox::Close, mWindow);
    box->setObjectName(QStringLiteral("refusalsBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
  }
  box->setWindowTitle(title);
  box->setText(title);
  box->setInformativeText(lines.join(QLatin1Char('\n')));
  box->show();
  box->raise();
}

void DispatchController::showOutcome(const ActionOutcome &outcome)
{
  if (outcome.ok)
  {
    QString message = outcome.message;
    if (outcome.ordersSent > 0)
      message += tr(" — %n order(s) sent to the grid worker's terminal", nullptr, outcome.ordersSent);
    if (outcome.noticesSent > 0)
      message += tr(" — %n department(s) notified", nullptr, outcome.noticesSent);
    if (!outcome.warning.isEmpty())
      message += QStringLiteral(" — ") + outcome.warning;
    mWindow->statusBar()->showMessage(message, outcome.warning.isEmpty() ? 10000 : 30000);
  }
  else
  {
    mWindow->statusBar()->showMessage(tr("Not done: %1").arg(outcome.message), 15000);
  }
  if (outcome.number == mCurrentCase)
    loadDetail(mCurrentCase, false);
  emit stepFinished(outcome);
}

void DispatchController::acknowledgeNotice(qint64 id, const QString &who)
{
  if (!caseService())
    return;
  caseService()->call<ActionOutcome>([id, who](CaseService &service) { return service.acknowledgeNotice(id, who); }, this,
                                [this](ActionOutcome outcome) { showOutcome(outcome); });
}

IntakeDialog *DispatchController::openIntake()
{
  if (!caseService())
  {
    mWindow->statusBar()->showMessage(tr("Open a store first"), 8000);
    return nullptr;
  }
  if (mIntake && mIntake->isVisible())
  {
    mIntake->raise();
    mIntake->activateWindow();
    return mIntake;
  }
  if (mCategoryChoices.empty() || mCategoryKeywords.empty())
  {
    // The choices are read when the store opens; this is only the moment right after.
    std::vector<Choice> categories;
    std::map<QString, QStringList> keywords;
    std::mutex mutex;
    caseService()->post([&](CaseService &service) {
      std::lock_guard lock(mutex);
      categories = service.categories();
      keywords = service.categoryKeywords();
    });
    caseService()->drain();
    std::lock_guard lock(mutex);
    mCategoryChoices = categories;
    mCategoryKeywords = keywords;
  }
  auto *dialog = new IntakeDialog(mCategoryChoices, mCategoryKeywords, mWindow);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  mIntake = dialog;
  setUpIntake(dialog);
  placeBesideMapCentre(dialog);
  dialog->show();
  return dialog;
}

void DispatchController::placeBesideMapCentre(QWidget *dialog)
{
  // The found or picked place is shown at the map's centre: the form goes beside it, on the
  // side with more room, never over it.
  const QRect canvas(mMap->canvas()->mapToGlobal(QPoint(0, 0)), mMap->canvas()->size());
  const QRect screen = (mWindow->screen() ? mWindow->screen() : QGuiApplication::primaryScreen())->availableGeometry();
  const QSize size = dialog->size().expandedTo(dialog->sizeHint()) + QSize(16, 40); // with a frame
  const int gap = 60;
  const QPoint centre = canvas.center();
  int x = centre.x() - gap - size.width();
  if (x < screen.left())
    x = centre.x() + gap;
  x = std::clamp(x, screen.left(), std::max(screen.left(), screen.right() - size.width()));
  const int y = std::clamp(canvas.top() + 20, screen.top(), std::max(screen.top(), screen.bottom() - size.height()));
  dialog->move(x, y);
}

void DispatchController::setUpIntake(IntakeDialog *dialog)
{
  // The location on the map while the form is open: a marker where the case will be.
  auto marker = std::make_shared<QgsVertexMarker *>(nullptr);
  QPointer<QgsMapCanvas> canvas(mMap->canvas());
  connect(dialog, &IntakeDialog::locationChanged, this, [this, marker, canvas](double lon, double lat) {
    if (!mMap->caseLayer() || !canvas)
      return;
    if (!*marker)
    {
      *marker = new QgsVertexMarker(canvas);
      (*marker)->setIconType(QgsVertexMarker::ICON_CIRCLE);
      (*marker)->setIconSize(22);
      (*marker)->setPenWidth(4);
      (*marker)->setColor(QColor(211, 47, 47));
      (*marker)->setFillColor(QColor(211, 47, 47, 90));
    }
    (*marker)->setCenter(mMap->fromLonLat(lon, lat));
    (*marker)->show();
  });
  connect(dialog, &QObject::destroyed, this, [marker, canvas] {
    if (canvas) // else the canvas's scene took its items with it
      delete *marker;
    *marker = nullptr;
  });

  connect(dialog, &IntakeDialog::duplicatesWanted, this, [this, dialog](const IntakeForm &form) {
    QPointer<IntakeDialog> guard(dialog);
    caseService()->call<std::vector<DuplicateSuggestion>>(
      [form](CaseService &service) { return service.duplicates(form); }, this,
      [this, guard](std::vector<DuplicateSuggestion> suggestions) {
        if (!guard)
          return;
        guard->setDuplicates(suggestions);
        emit duplicatesShown(guard->duplicateNumbers());
      });
  });
  connect(dialog, &IntakeDialog::findRequested, this, [this, dialog](const QString &text) {
    if (text.trimmed().isEmpty())
      return;
    const QString found = mMap->search(text);
    if (!found.isEmpty())
    {
      // A grid, a case or a place by its name: the centre of what was found is the location.
      const QgsPointXY point = mMap->centreLonLat();
      dialog->setLocation(point.x(), point.y(), found, text.trimmed());
      return;
    }
    // A street address: an earlier case at that address, or the place whose name it shares.
    QPointer<IntakeDialog> guard(dialog);
    caseService()->call<PlaceMatch>([text](CaseService &service) { return service.findPlace(text); }, this,
                               [this, guard, text](PlaceMatch place) {
                                 if (!guard)
                                   return;
                                 if (!place.found)
                                 {
                                   guard->setProblem(tr("Nothing found for \"%1\"").arg(text));
                                   return;
                                 }
                                 const QString where = place.kind == QLatin1String("address")
                                                         ? tr("where case(s) at %1 were reported").arg(place.name)
                                                         : tr("near %1 (matches \"%2\"; pick the exact point on the map)").arg(place.name, place.matched);
                                 mMap->zoomToLonLat(place.lon, place.lat);
                                 guard->setLocation(place.lon, place.lat, where, text.trimmed());
                               });
  });
  connect(dialog, &IntakeDialog::pickOnMapRequested, this, [this, dialog] {
    QPointer<IntakeDialog> guard(dialog);
    mMap->pickPoint(dialog, [this, guard](double lon, double lat) {
      if (!guard || !mMap->caseLayer())
        return;
      // Where it is, in grid names; the address stays the operator's to type.
      caseService()->call<QString>(
        [lon, lat](CaseService &service) { return service.gridPath(service.gridAt(lon, lat)); }, this,
        [guard, lon, lat](QString path) {
          if (!guard)
            return;
          guard->setLocation(lon, lat, path.isEmpty() ? tr("picked on the map (outside every grid)") : tr("picked on the map: %1").arg(path));
          guard->raise();
        });
    });
    mWindow->statusBar()->showMessage(tr("Click the place on the map"), 8000);
  });
  // Registering and attaching end alike: a refusal stays in the form, success closes it and
  // opens the case.
  auto finish = [this, guard = QPointer<IntakeDialog>(dialog)](const ActionOutcome &outcome) {
    if (!outcome.ok)
    {
      if (guard)
        guard->setProblem(outcome.message);
      emit stepFinished(outcome);
      return;
    }
    mWindow->statusBar()->showMessage(outcome.message, 10000);
    if (guard)
      guard->finish();
    mIntake.clear();
    selectCase(outcome.number);
    emit stepFinished(outcome);
  };
  connect(dialog, &IntakeDialog::submitRequested, this, [this, finish](const IntakeForm &form) {
    caseService()->call<ActionOutcome>([form](CaseService &service) { return service.intake(form); }, this, finish);
  });
  connect(dialog, &IntakeDialog::attachRequested, this, [this, finish](const IntakeForm &form, const QString &target) {
    caseService()->call<ActionOutcome>([form, target](CaseService &service) { return service.attach(form, target); }, this, finish);
  });
}

void DispatchController::fitQueueColumns(int first, int last)
{
  QTableView *view = mView;
  const QFontMetrics metrics = view->fontMetrics();
  // As the item delegate lays a cell out: the text plus its margins on either side.
  const int margin = 2 * (view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1) + 4;
  auto widen = [view, margin](int column, int textWidth) {
    const int needed = std::max(textWidth + margin, view->horizontalHeader()->sectionSizeHint(column));
    if (view->columnWidth(column) < needed)
      view->setColumnWidth(column, needed);
  };
  // Numbers and grid codes have one length each: measured when a longer one comes. The few
  // dozen categories are measured once each.
  for (int row = std::max(first, 0); row <= last && row < mModel->rowCount(); ++row)
  {
    const CaseQueueRow &queued = mModel->row(row);
    if (queued.number.size() > mLongestNumber)
    {
      mLongestNumber = static_cast<int>(queued.number.size());
      widen(CaseQueueModel::Number, metrics.horizontalAdvance(queued.number));
    }
    if (queued.grid.size() > mLongestGrid)
    {
      mLongestGrid = static_cast<int>(queued.grid.size());
      widen(CaseQueueModel::Grid, metrics.horizontalAdvance(queued.grid));
    }
    if (!mMeasuredCategories.contains(queued.category))
    {
      mMeasuredCategories.insert(queued.category);
      widen(CaseQueueModel::Category, metrics.horizontalAdvance(queued.category));
    }
  }
}

void DispatchController::showCurrentCaseInQueue()
{
  // A case opened before the queue had it (just taken at intake) is highlighted as it lands.
  if (mCurrentCase.isEmpty())
    return;
  const int queueRow = mProxy->proxyRowOf(mCurrentCase);
  if (queueRow >= 0 && mView->currentIndex().row() != queueRow)
  {
    mSelectingCase = true;
    mView->selectionModel()->setCurrentIndex(mProxy->index(queueRow, 0),
                                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    mSelectingCase = false;
  }
}

void DispatchController::updateEmptyHint()
{
  mUi->caseQueueEmptyLabel->setVisible(mModel->rowCount() == 0);
}

} // namespace gd::console
