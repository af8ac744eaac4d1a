#include "console/command/emergencypanel.h"

#include "console/common/readonlytable.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace gd::console {

namespace {

QString ageText(qint64 seconds)
{
  if (seconds < 60)
    return EmergencyPanel::tr("%1 s ago").arg(seconds);
  if (seconds < 3600)
    return EmergencyPanel::tr("%1 min ago").arg(seconds / 60);
  return EmergencyPanel::tr("%1 h ago").arg(seconds / 3600);
}

//! What a reload brings back.
struct EmergencyLoad
{
  std::optional<EmergencyView> emergency;
  NearbyView nearby;
  std::vector<AlertView> alerts;
  std::vector<EmergencyEvent> timeline;
};

} // namespace

EmergencyPanel::EmergencyPanel(CommandServiceThread *service, QWidget *parent)
  : QWidget(parent)
  , mService(service)
  , mOpenUrl([](const QUrl &url) { QDesktopServices::openUrl(url); })
{
  qRegisterMetaType<EmergencyView>();
  qRegisterMetaType<NearbyView>();
  qRegisterMetaType<std::vector<EmergencyEvent>>();
  auto *layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  auto *top = new QHBoxLayout;
  mOpen = new QComboBox(this);
  mOpen->setObjectName(QStringLiteral("openEmergencies"));
  mOpen->setPlaceholderText(tr("No open emergency"));
  connect(mOpen, QOverload<int>::of(&QComboBox::activated), this, [this](int index) {
    showEmergency(mOpen->itemData(index).toString());
  });
  top->addWidget(mOpen, 1);
  top->addWidget(new QLabel(tr("Type"), this));
  mType = new QComboBox(this);
  mType->setObjectName(QStringLiteral("incidentTypeCombo"));
  mType->setToolTip(tr("The type of the next emergency declared (one declared from a case of an emergency "
                       "category takes that category's type)"));
  mType->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  mType->addItem(tr("Unspecified"), QString());
  top->addWidget(mType);
  top->addWidget(new QLabel(tr("Radius"), this));
  mRadius = new QSpinBox(this);
  mRadius->setObjectName(QStringLiteral("radiusSpin"));
  mRadius->setRange(50, 100000);
  mRadius->setSingleStep(100);
  mRadius->setValue(1000);
  mRadius->setSuffix(tr(" m"));
  top->addWidget(mRadius);
  layout->addLayout(top);

  mHeader = new QLabel(this);
  mHeader->setObjectName(QStringLiteral("emergencyHeader"));
  mHeader->setWordWrap(true);
  mHeader->setTextFormat(Qt::RichText);
  layout->addWidget(mHeader);

  auto *commands = new QHBoxLayout;
  auto addButton = [&](const QString &text, const QString &name, auto slot) {
    auto *button = new QPushButton(text, this);
    button->setObjectName(name);
    connect(button, &QPushButton::clicked, this, slot);
    commands->addWidget(button);
    mNeedEmergency << button;
    return button;
  };
  addButton(tr("Conference"), QStringLiteral("conferenceButton"), [this] { joinConference(); })
    ->setToolTip(tr("Start or join the incident's video conference in the browser"));
  QPushButton *view = addButton(tr("Conference view"), QStringLiteral("conferenceViewButton"), [] {});
  view->setCheckable(true);
  view->setToolTip(tr("Show the clean view to share into the conference"));
  connect(view, &QPushButton::toggled, this, &EmergencyPanel::conferenceViewRequested);
  addButton(QStringLiteral("+"), QStringLiteral("zoomInButton"), [this] { emit conferenceZoomRequested(1); })
    ->setToolTip(tr("Conference view: zoom in"));
  addButton(QStringLiteral("−"), QStringLiteral("zoomOutButton"), [this] { emit conferenceZoomRequested(-1); })
    ->setToolTip(tr("Conference view: zoom out"));
  addButton(tr("Incident"), QStringLiteral("zoomIncidentButton"), [this] { emit conferenceZoomRequested(0); })
    ->setToolTip(tr("Conference view: back to the incident and its rings"));
  commands->addStretch(1);
  addButton(tr("Close…"), QStringLiteral("closeEmergencyButton"), [this] { closeEmergency(mNote->text()); })
    ->setToolTip(tr("Close the emergency (the note field's text is the closing note)"));
  layout->addLayout(commands);

  mTabs = new QTabWidget(this);
  layout->addWidget(mTabs, 1);

  // Resources within the radius.
  auto *resources = new QWidget(this);
  auto *resourcesLayout = new QVBoxLayout(resources);
  resourcesLayout->setContentsMargins(0, 0, 0, 0);
  mWorkers = readOnlyTable({tr("Worker"), tr("Distance"), tr("Last fix"), tr("Phone"), tr("Grid")}, resources);
  mWorkers->setObjectName(QStringLiteral("nearbyWorkers"));
  resourcesLayout->addWidget(new QLabel(tr("Field workers by live position"), resources));
  resourcesLayout->addWidget(mWorkers, 2);
  mSites = readOnlyTable({tr("Kind"), tr("Name"), tr("Distance"), QString()}, resources);
  mSites->setObjectName(QStringLiteral("nearbySites"));
  connect(mSites, &QTableWidget::cellDoubleClicked, this, [this](int row) { openStream(row); });
  resourcesLayout->addWidget(new QLabel(tr("Police posts, cameras (double-click to watch) and risk sites"), resources));
  resourcesLayout->addWidget(mSites, 2);
  mAreas = new QListWidget(resources);
  mAreas->setObjectName(QStringLiteral("affectedAreas"));
  resourcesLayout->addWidget(new QLabel(tr("Communities and grids affected"), resources));
  resourcesLayout->addWidget(mAreas, 1);
  mTabs->addTab(resources, tr("Within the radius"));

  // Dispatch and alert.
  auto *dispatch = new QWidget(this);
  auto *dispatchLayout = new QVBoxLayout(dispatch);
  dispatchLayout->setContentsMargins(0, 0, 0, 0);
  mDepartments = new QListWidget(dispatch);
  mDepartments->setObjectName(QStringLiteral("dispatchDepartments"));
  dispatchLayout->addWidget(new QLabel(tr("Departments to dispatch at once"), dispatch));
  dispatchLayout->addWidget(mDepartments, 2);
  auto *dispatchRow = new QHBoxLayout;
  mDispatchMessage = new QLineEdit(dispatch);
  mDispatchMessage->setObjectName(QStringLiteral("dispatchMessage"));
  mDispatchMessage->setPlaceholderText(tr("Instruction to the departments"));
  dispatchRow->addWidget(mDispatchMessage, 1);
  auto *dispatchButton = new QPushButton(tr("Dispatch"), dispatch);
  dispatchButton->setObjectName(QStringLiteral("dispatchButton"));
  connect(dispatchButton, &QPushButton::clicked, this, [this] { dispatchTo(checkedDepartments(), mDispatchMessage->text()); });
  mNeedEmergency << dispatchButton;
  dispatchRow->addWidget(dispatchButton);
  dispatchLayout->addLayout(dispatchRow);
  auto *alertRow = new QHBoxLayout;
  mAlertMessage = new QLineEdit(dispatch);
  mAlertMessage->setObjectName(QStringLiteral("alertMessage"));
  mAlertMessage->setPlaceholderText(tr("Alert to every terminal within the radius"));
  alertRow->addWidget(mAlertMessage, 1);
  auto *alertButton = new QPushButton(tr("Broadcast alert"), dispatch);
  alertButton->setObjectName(QStringLiteral("alertButton"));
  connect(alertButton, &QPushButton::clicked, this, [this] { broadcast(mAlertMessage->text()); });
  mNeedEmergency << alertButton;
  alertRow->addWidget(alertButton);
  dispatchLayout->addLayout(alertRow);
  mAckSummary = new QLabel(dispatch);
  mAckSummary->setObjectName(QStringLiteral("ackSummary"));
  dispatchLayout->addWidget(mAckSummary);
  mAcks = readOnlyTable({tr("Terminal"), tr("Worker"), tr("Distance"), tr("Sent"), tr("Acknowledged")}, dispatch);
  mAcks->setObjectName(QStringLiteral("alertAcks"));
  dispatchLayout->addWidget(mAcks, 2);
  mTabs->addTab(dispatch, tr("Dispatch and alert"));

  // Timeline.
  auto *timeline = new QWidget(this);
  auto *timelineLayout = new QVBoxLayout(timeline);
  timelineLayout->setContentsMargins(0, 0, 0, 0);
  mTimelineList = new QListWidget(timeline);
  mTimelineList->setObjectName(QStringLiteral("emergencyTimeline"));
  // Entries wrap: an alert's text with its conference link is longer than the dock is wide.
  mTimelineList->setWordWrap(true);
  mTimelineList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  timelineLayout->addWidget(mTimelineList, 1);
  auto *noteRow = new QHBoxLayout;
  mNote = new QLineEdit(timeline);
  mNote->setObjectName(QStringLiteral("emergencyNote"));
  mNote->setPlaceholderText(tr("Note for the timeline"));
  noteRow->addWidget(mNote, 1);
  auto *noteButton = new QPushButton(tr("Add note"), timeline);
  connect(noteButton, &QPushButton::clicked, this, [this] { addNote(mNote->text()); });
  mNeedEmergency << noteButton;
  noteRow->addWidget(noteButton);
  auto *exportButton = new QPushButton(tr("Export…"), timeline);
  exportButton->setObjectName(QStringLiteral("exportTimelineButton"));
  connect(exportButton, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getSaveFileName(
      this, tr("Export the emergency timeline"), QStringLiteral("%1.csv").arg(mCurrent.incident),
      tr("CSV (*.csv);;JSON (*.json)"));
    if (!file.isEmpty())
      exportTimeline(file);
  });
  mNeedEmergency << exportButton;
  noteRow->addWidget(exportButton);
  timelineLayout->addLayout(noteRow);
  mTabs->addTab(timeline, tr("Timeline"));

  mStatus = new QLabel(this);
  mStatus->setObjectName(QStringLiteral("emergencyStatus"));
  mStatus->setWordWrap(true);
  layout->addWidget(mStatus);

  // Acknowledgements arrive through the feed's writer: polled while an emergency is shown.
  mAckPoll = new QTimer(this);
  mAckPoll->setInterval(2000);
  connect(mAckPoll, &QTimer::timeout, this, &EmergencyPanel::reload);
  updateHeader();
}

void EmergencyPanel::setDepartments(const std::vector<std::pair<QString, QString>> &departments)
{
  mDepartments->clear();
  for (const auto &[code, name] : departments)
  {
    auto *item = new QListWidgetItem(name, mDepartments);
    item->setData(Qt::UserRole, code);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
}

void EmergencyPanel::setIncidentTypes(const std::vector<std::pair<QString, QString>> &types)
{
  const QString chosen = incidentType();
  mType->clear();
  for (const auto &[code, name] : types)
    mType->addItem(name, code);
  mType->addItem(tr("Unspecified"), QString());
  setIncidentType(chosen);
}

QString EmergencyPanel::incidentType() const
{
  return mType->currentData().toString();
}

void EmergencyPanel::setIncidentType(const QString &code)
{
  const int index = mType->findData(code);
  mType->setCurrentIndex(index >= 0 ? index : 0);
}

void EmergencyPanel::setUrlOpener(std::function<void(const QUrl &)> opener)
{
  mOpenUrl = std::move(opener);
}

double EmergencyPanel::radius() const
{
  return mRadius->value();
}

void EmergencyPanel::setRadius(double metres)
{
  mRadius->setValue(qRound(metres));
}

QString EmergencyPanel::lastMessage() const
{
  return mLastMessage;
}

QStringList EmergencyPanel::checkedDepartments() const
{
  QStringList codes;
  for (int i = 0; i < mDepartments->count(); ++i)
    if (mDepartments->item(i)->checkState() == Qt::Checked)
      codes << mDepartments->item(i)->data(Qt::UserRole).toString();
  return codes;
}

void EmergencyPanel::setCheckedDepartments(const QStringList &codes)
{
  for (int i = 0; i < mDepartments->count(); ++i)
    mDepartments->item(i)->setCheckState(codes.contains(mDepartments->item(i)->data(Qt::UserRole).toString())
                                           ? Qt::Checked
                                           : Qt::Unchecked);
}

void EmergencyPanel::run(std::function<CommandReply(CommandService &)> job)
{
  if (!mService)
    return;
  mService->call<CommandReply>(std::move(job), this, [this](CommandReply reply) {
    mLastMessage = reply.message;
    mStatus->setText(reply.ok ? reply.message
                              : QStringLiteral("<span style='color:#c62828'>%1</span>").arg(reply.message.toHtmlEscaped()));
    if (reply.ok && !reply.link.isEmpty())
      mOpenUrl(QUrl(reply.link));
    if (reply.ok && !reply.emergency.incident.isEmpty())
    {
      mCurrent = reply.emergency;
      reloadOpenEmergencies();
    }
    reload();
    emit commandFinished(reply.ok, reply.message);
  });
}

void EmergencyPanel::declareFromCase(const QString &number)
{
  const double r = radius();
  const QString type = incidentType();
  run([number, r, type](CommandService &service) { return service.declareFromCase(number, r, type); });
}

void EmergencyPanel::declareAt(double lon, double lat, double radiusM, const QString &title)
{
  if (radiusM >= 50)
    setRadius(radiusM);
  const double r = radius();
  const QString type = incidentType();
  run([lon, lat, r, title, type](CommandService &service) { return service.declareAt(lon, lat, r, title, type); });
}

void EmergencyPanel::showEmergency(const QString &incident)
{
  if (incident.isEmpty())
    return;
  mCurrent = EmergencyView{};
  mCurrent.incident = incident;
  reload();
}

void EmergencyPanel::dispatchTo(const QStringList &departments, const QString &message)
{
  const QString incident = mCurrent.incident;
  run([incident, departments, message](CommandService &service) {
    return service.dispatch(incident, departments, message);
  });
}

void EmergencyPanel::broadcast(const QString &message)
{
  const QString incident = mCurrent.incident;
  run([incident, message](CommandService &service) { return service.alert(incident, message); });
}

void EmergencyPanel::joinConference()
{
  const QString incident = mCurrent.incident;
  run([incident](CommandService &service) { return service.joinConference(incident); });
}

void EmergencyPanel::addNote(const QString &text)
{
  const QString incident = mCurrent.incident;
  run([incident, text](CommandService &service) { return service.note(incident, text); });
  mNote->clear();
}

void EmergencyPanel::exportTimeline(const QString &file)
{
  const QString incident = mCurrent.incident;
  run([incident, file](CommandService &service) { return service.exportTimeline(incident, file); });
}

void EmergencyPanel::closeEmergency(const QString &note)
{
  const QString incident = mCurrent.incident;
  run([incident, note](CommandService &service) { return service.close(incident, note); });
}

bool EmergencyPanel::openStream(int row)
{
  if (row < 0 || row >= static_cast<int>(mNearby.sites.size()))
    return false;
  const NearbySiteView &site = mNearby.sites[static_cast<size_t>(row)];
  if (site.streamUrl.isEmpty())
  {
    mStatus->setText(tr("%1 has no video stream.").arg(site.name));
    return false;
  }
  mOpenUrl(QUrl(site.streamUrl));
  mStatus->setText(tr("Opening the stream of %1 in the system's player.").arg(site.name));
  return true;
}

void EmergencyPanel::reloadOpenEmergencies()
{
  if (!mService)
    return;
  mService->call<std::vector<EmergencyView>>(
    [](CommandService &service) { return service.openEmergencies(); }, this,
    [this](std::vector<EmergencyView> open) {
      const QSignalBlocker block(mOpen);
      mOpen->clear();
      for (const EmergencyView &e : open)
        mOpen->addItem(e.title == e.typeName ? QStringLiteral("%1 · %2").arg(e.incident, e.typeName)
                                             : QStringLiteral("%1 · %2 · %3").arg(e.incident, e.typeName, e.title),
                       e.incident);
      mOpen->setCurrentIndex(mOpen->findData(mCurrent.incident));
      if (mCurrent.incident.isEmpty() && !open.empty())
        showEmergency(open.front().incident);
    });
}

void EmergencyPanel::reload()
{
  if (!mService || mCurrent.incident.isEmpty())
  {
    updateHeader();
    return;
  }
  const QString incident = mCurrent.incident;
  mService->call<EmergencyLoad>(
    [incident](CommandService &service) {
      EmergencyLoad load;
      load.emergency = service.emergency(incident);
      if (load.emergency)
      {
        load.nearby = service.nearby(incident);
        load.alerts = service.alerts(incident);
        load.timeline = service.timeline(incident);
      }
      return load;
    },
    this,
    [this, incident](EmergencyLoad load) {
      if (incident != mCurrent.incident)
        return; // another emergency was chosen meanwhile
      if (!load.emergency)
      {
        mStatus->setText(tr("There is no emergency %1.").arg(incident));
        mCurrent = EmergencyView{};
        updateHeader();
        return;
      }
      const bool nearbyChanged = incident != mEmittedIncident || load.nearby.workers.size() != mNearby.workers.size()
                                 || load.nearby.sites.size() != mNearby.sites.size()
                                 || load.emergency->radiusM != mCurrent.radiusM || load.emergency->open != mCurrent.open
                                 || mNearby.areas.size() != load.nearby.areas.size();
      mCurrent = *load.emergency;
      {
        // The list names the emergency shown (also when it was chosen for the operator, at start).
        const QSignalBlocker block(mOpen);
        mOpen->setCurrentIndex(mOpen->findData(mCurrent.incident));
      }
      mNearby = std::move(load.nearby);
      mAlerts = std::move(load.alerts);
      const bool timelineGrew = load.timeline.size() != mTimeline.size();
      mTimeline = std::move(load.timeline);
      updateHeader();
      fillResources();
      fillAlerts();
      fillTimeline();
      if (mCurrent.open)
        mAckPoll->start();
      else
        mAckPoll->stop();
      if (nearbyChanged || !mCurrent.open)
      {
        mEmittedIncident = incident;
        emit emergencyChanged(mCurrent, mNearby);
      }
      if (timelineGrew)
        emit timelineChanged(mTimeline);
    });
}

void EmergencyPanel::updateHeader()
{
  const bool have = !mCurrent.incident.isEmpty() && !mCurrent.declaredBy.isEmpty();
  for (QPushButton *button : mNeedEmergency)
    button->setEnabled(have && (mCurrent.open || button->objectName() == QLatin1String("exportTimelineButton")
                                || button->objectName() == QLatin1String("conferenceViewButton")));
  if (!have)
  {
    mHeader->setText(tr("No emergency shown. Declare one from the selected case (Ctrl+E) or with the map tool "
                        "\"Emergency at a point\" (E): click, or drag out the radius."));
    return;
  }
  QString state = mCurrent.open ? tr("<b style='color:#c62828'>OPEN</b>") : tr("<b>closed</b>");
  mHeader->setText(tr("%1 <b>%2</b> · <b style='color:#c62828'>%8</b> · %3<br>declared by %4 at %5 · radius %6%7")
                     .arg(state, mCurrent.incident.toHtmlEscaped(),
                          mCurrent.title == mCurrent.typeName ? QStringLiteral("—") : mCurrent.title.toHtmlEscaped(),
                          mCurrent.declaredBy.toHtmlEscaped(), mCurrent.declaredAt.toString(QStringLiteral("MM-dd HH:mm")),
                          distanceText(mCurrent.radiusM),
                          mCurrent.caseNumber.isEmpty() ? QString() : tr(" · case %1").arg(mCurrent.caseNumber),
                          mCurrent.typeName.toHtmlEscaped()));
}

void EmergencyPanel::fillResources()
{
  mWorkers->setRowCount(static_cast<int>(mNearby.workers.size()));
  for (int row = 0; row < static_cast<int>(mNearby.workers.size()); ++row)
  {
    const NearbyWorkerView &w = mNearby.workers[static_cast<size_t>(row)];
    auto *name = readOnlyCell(w.name);
    name->setForeground(w.online ? QColor(46, 125, 50) : QColor(117, 117, 117));
    mWorkers->setItem(row, 0, name);
    mWorkers->setItem(row, 1, readOnlyCell(distanceText(w.distanceM)));
    mWorkers->setItem(row, 2, readOnlyCell(w.online ? ageText(w.fixAgeSeconds) : tr("offline, %1").arg(ageText(w.fixAgeSeconds))));
    mWorkers->setItem(row, 3, readOnlyCell(w.phone));
    mWorkers->setItem(row, 4, readOnlyCell(w.gridName));
  }
  mWorkers->resizeColumnsToContents();
  mSites->setRowCount(static_cast<int>(mNearby.sites.size()));
  for (int row = 0; row < static_cast<int>(mNearby.sites.size()); ++row)
  {
    const NearbySiteView &s = mNearby.sites[static_cast<size_t>(row)];
    auto *kind = readOnlyCell(siteKindTitle(s.kind));
    if (s.risk)
      kind->setForeground(QColor(198, 40, 40));
    mSites->setItem(row, 0, kind);
    mSites->setItem(row, 1, readOnlyCell(s.name));
    mSites->setItem(row, 2, readOnlyCell(distanceText(s.distanceM)));
    mSites->setItem(row, 3, readOnlyCell(s.risk ? tr("risk nearby") : !s.streamUrl.isEmpty() ? tr("▶ stream") : QString()));
  }
  mSites->resizeColumnsToContents();
  mAreas->clear();
  for (const AffectedAreaView &a : mNearby.areas)
    mAreas->addItem(a.containsCentre ? tr("%1 (incident inside)").arg(a.name)
                                     : QStringLiteral("%1 · %2").arg(a.name, distanceText(a.distanceM)));
  mTabs->setTabText(0, tr("Within the radius (%1 workers, %2 sites)").arg(mNearby.workers.size()).arg(mNearby.sites.size()));
}

void EmergencyPanel::fillAlerts()
{
  int acked = 0;
  mAcks->setRowCount(static_cast<int>(mAlerts.size()));
  for (int row = 0; row < static_cast<int>(mAlerts.size()); ++row)
  {
    const AlertView &a = mAlerts[static_cast<size_t>(row)];
    mAcks->setItem(row, 0, readOnlyCell(a.device));
    mAcks->setItem(row, 1, readOnlyCell(a.workerName));
    mAcks->setItem(row, 2, readOnlyCell(distanceText(a.distanceM)));
    mAcks->setItem(row, 3, readOnlyCell(a.sentAt.toString(QStringLiteral("HH:mm:ss"))));
    auto *ack = readOnlyCell(a.ackedAt.isValid() ? a.ackedAt.toString(QStringLiteral("HH:mm:ss")) : tr("waiting"));
    ack->setForeground(a.ackedAt.isValid() ? QColor(46, 125, 50) : QColor(230, 81, 0));
    mAcks->setItem(row, 4, ack);
    acked += a.ackedAt.isValid() ? 1 : 0;
  }
  mAckSummary->setText(mAlerts.empty() ? tr("No alert sent yet.")
                                       : tr("Alerts acknowledged: %1 of %2").arg(acked).arg(mAlerts.size()));
}

void EmergencyPanel::fillTimeline()
{
  mTimelineList->clear();
  for (const EmergencyEvent &e : mTimeline)
    mTimelineList->addItem(QStringLiteral("%1  %2 · %3 · %4")
                             .arg(e.at.toString(QStringLiteral("HH:mm:ss")), emergencyEventTitle(e.kind), e.actor, e.message));
  mTimelineList->scrollToBottom();
}

} // namespace gd::console
