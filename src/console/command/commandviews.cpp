#include "console/command/commandviews.h"

#include <qgscoordinatereferencesystem.h>
#include <qgscoordinatetransform.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsrectangle.h>
#include <qgsrubberband.h>
#include <qgsvertexmarker.h>

#include <QAction>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

namespace gd::console {

namespace {

const QColor kBackground(8, 12, 20);
const QColor kPanel(20, 28, 42);
const QColor kText(240, 244, 250);
const QColor kRed(255, 82, 82);
const QColor kAmber(255, 196, 0);
const QColor kGreen(105, 240, 174);

QDateTime beijingNow()
{
  return QDateTime::currentDateTime().toTimeZone(QTimeZone(QByteArrayLiteral("Asia/Shanghai")));
}

void darkCanvas(QgsMapCanvas *canvas)
{
  // These views are for other eyes: the operator's selection is the operator's business.
  canvas->setMapSettingsFlags(canvas->mapSettings().flags() & ~Qgis::MapSettingsFlags(Qgis::MapSettingsFlag::DrawSelection));
  canvas->setCanvasColor(QColor(16, 22, 32));
  canvas->enableAntiAliasing(true);
  canvas->setCachingEnabled(true);
  canvas->setParallelRenderingEnabled(true);
}

QString elapsedText(const QDateTime &since)
{
  const qint64 s = std::max<qint64>(0, since.secsTo(QDateTime::currentDateTime()));
  return QStringLiteral("%1:%2:%3")
    .arg(s / 3600, 2, 10, QLatin1Char('0'))
    .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
    .arg(s % 60, 2, 10, QLatin1Char('0'));
}

//! Esc leaves \a view (a window of its own), wherever its focus is: on the map, in a list.
void addLeaveOnEscape(QWidget *view)
{
  auto *leave = new QAction(view);
  leave->setObjectName(QStringLiteral("actionLeaveView"));
  leave->setShortcut(QKeySequence(Qt::Key_Escape));
  leave->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  QObject::connect(leave, &QAction::triggered, view, &QWidget::close);
  view->addAction(leave);
}

QString percent(double rate)
{
  return rate < 0 ? QStringLiteral("—") : QStringLiteral("%1%").arg(rate * 100, 0, 'f', 1);
}

} // namespace

EmergencyRings::EmergencyRings(QgsMapCanvas *canvas)
  : mCanvas(canvas)
{}

EmergencyRings::~EmergencyRings() = default;

void EmergencyRings::show(double lon, double lat, double radiusM)
{
  hide();
  if (radiusM <= 0)
    return;
  // Circles are drawn in the canvas's projected CRS (metres), where they are round.
  const QgsCoordinateTransform toCanvas(QgsCoordinateReferenceSystem(QStringLiteral("EPSG:4490")),
                                        mCanvas->mapSettings().destinationCrs(), QgsProject::instance());
  QgsPointXY centre;
  try
  {
    centre = toCanvas.transform(QgsPointXY(lon, lat));
  }
  catch (const QgsCsException &)
  {
    return;
  }
  for (int i = 3; i >= 1; --i)
  {
    auto ring = std::make_unique<QgsRubberBand>(mCanvas, QgsWkbTypes::PolygonGeometry);
    ring->setToGeometry(QgsGeometry::fromPointXY(centre).buffer(radiusM * i / 3.0, 48));
    const int alpha = i == 3 ? 40 : 0;
    ring->setFillColor(QColor(229, 57, 53, alpha));
    ring->setStrokeColor(QColor(229, 57, 53, i == 3 ? 230 : 150));
    ring->setWidth(i == 3 ? 3 : 2);
    ring->setLineStyle(i == 3 ? Qt::SolidLine : Qt::DashLine);
    mRings.push_back(std::move(ring));
  }
  mCentre = std::make_unique<QgsVertexMarker>(mCanvas);
  mCentre->setCenter(centre);
  mCentre->setIconType(QgsVertexMarker::ICON_CROSS);
  mCentre->setIconSize(22);
  mCentre->setPenWidth(4);
  mCentre->setColor(QColor(229, 57, 53));
}

void EmergencyRings::hide()
{
  mRings.clear();
  mCentre.reset();
}

bool EmergencyRings::isShown() const
{
  return !mRings.empty();
}

QgsRectangle EmergencyRings::extent() const
{
  return mRings.empty() ? QgsRectangle() : mRings.front()->asGeometry().boundingBox();
}

TickerLine::TickerLine(QWidget *parent)
  : QWidget(parent)
{
  mTimer = new QTimer(this);
  connect(mTimer, &QTimer::timeout, this, [this] {
    const int width = fontMetrics().horizontalAdvance(mText) + this->width();
    if (width > 0)
      mOffset = (mOffset + 3) % width;
    update();
  });
  mTimer->start(30);
}

void TickerLine::setText(const QString &text)
{
  if (text == mText)
    return;
  mText = text;
  update();
}

void TickerLine::paintEvent(QPaintEvent *)
{
  QPainter painter(this);
  painter.fillRect(rect(), QColor(60, 10, 14));
  painter.setPen(kText);
  painter.setFont(font());
  const int x = width() - mOffset;
  painter.drawText(QRect(x, 0, fontMetrics().horizontalAdvance(mText) + 10, height()), Qt::AlignVCenter | Qt::AlignLeft, mText);
}

BigScreen::BigScreen(const QString &title, QWidget *parent)
  : QWidget(parent, Qt::Window)
{
  setObjectName(QStringLiteral("bigScreen"));
  addLeaveOnEscape(this);
  setWindowTitle(tr("Big screen — %1").arg(title));
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, kBackground);
  p.setColor(QPalette::WindowText, kText);
  setPalette(p);

  auto *layout = new QVBoxLayout(this);
  auto *header = new QHBoxLayout;
  mTitle = new QLabel(title, this);
  mArea = new QLabel(this);
  mArea->setObjectName(QStringLiteral("bigScreenArea"));
  mClock = new QLabel(this);
  header->addWidget(mTitle);
  header->addSpacing(24);
  header->addWidget(mArea, 1);
  header->addWidget(mClock);
  layout->addLayout(header);
  mEmergencyBanner = new QLabel(this);
  mEmergencyBanner->setObjectName(QStringLiteral("bigScreenEmergency"));
  mEmergencyBanner->setAlignment(Qt::AlignCenter);
  mEmergencyBanner->setWordWrap(true);
  mEmergencyBanner->setAutoFillBackground(true);
  mEmergencyBanner->hide();
  layout->addWidget(mEmergencyBanner);
  mAlarmBanner = new QLabel(this);
  mAlarmBanner->setObjectName(QStringLiteral("bigScreenAlarm"));
  mAlarmBanner->setAlignment(Qt::AlignCenter);
  mAlarmBanner->setWordWrap(true);
  mAlarmBanner->setAutoFillBackground(true);
  mAlarmBanner->hide();
  layout->addWidget(mAlarmBanner);

  auto *body = new QHBoxLayout;
  mCanvas = new QgsMapCanvas(this);
  mCanvas->setObjectName(QStringLiteral("bigScreenCanvas"));
  darkCanvas(mCanvas);
  mRings = std::make_unique<EmergencyRings>(mCanvas);
  body->addWidget(mCanvas, 3);
  auto *tiles = new QVBoxLayout;
  const QStringList captions{tr("New today"), tr("Closed today"), tr("Overdue now"), tr("On-time rate today")};
  const QList<QColor> colours{kText, kGreen, kRed, kAmber};
  for (int i = 0; i < captions.size(); ++i)
  {
    auto *tile = new QWidget(this);
    tile->setAutoFillBackground(true);
    QPalette tp = tile->palette();
    tp.setColor(QPalette::Window, kPanel);
    tile->setPalette(tp);
    auto *tileLayout = new QVBoxLayout(tile);
    auto *value = new QLabel(QStringLiteral("—"), tile);
    value->setObjectName(QStringLiteral("tileValue%1").arg(i));
    QPalette vp = value->palette();
    vp.setColor(QPalette::WindowText, colours[i]);
    value->setPalette(vp);
    value->setAlignment(Qt::AlignCenter);
    auto *caption = new QLabel(captions[i], tile);
    caption->setAlignment(Qt::AlignCenter);
    tileLayout->addWidget(value, 1);
    tileLayout->addWidget(caption);
    tiles->addWidget(tile, 1);
    mTiles.emplace_back(value, caption);
  }
  body->addLayout(tiles, 1);
  layout->addLayout(body, 1);
  mTicker = new TickerLine(this);
  mTicker->setObjectName(QStringLiteral("overdueTicker"));
  layout->addWidget(mTicker);

  mClockTimer = new QTimer(this);
  connect(mClockTimer, &QTimer::timeout, this, &BigScreen::updateClock);
  mClockTimer->start(1000);
  mTourTimer = new QTimer(this);
  connect(mTourTimer, &QTimer::timeout, this, &BigScreen::nextTownship);
  updateClock();
  applySizes();
}

BigScreen::~BigScreen() = default;

void BigScreen::setLayers(const QList<QgsMapLayer *> &layers, const QString &crsAuthId, const QgsRectangle &extent)
{
  mCanvas->setDestinationCrs(QgsCoordinateReferenceSystem(crsAuthId));
  mCanvas->setLayers(layers);
  mDistrictExtent = std::make_unique<QgsRectangle>(extent);
  if (!extent.isEmpty())
    mCanvas->setExtent(extent);
  mArea->setText(tr("Whole district"));
  mCanvas->refresh();
}

void BigScreen::setFigures(const TodayFigures &f)
{
  mTiles[0].first->setText(QString::number(f.newToday));
  mTiles[1].first->setText(QString::number(f.closedToday));
  mTiles[2].first->setText(QString::number(f.overdue));
  mTiles[3].first->setText(percent(f.onTimeRate));
  mTiles[3].second->setText(f.onTimeDenominator > 0
                              ? tr("On-time rate today (%1/%2)").arg(f.onTimeNumerator).arg(f.onTimeDenominator)
                              : tr("On-time rate today"));
}

void BigScreen::setOverdue(const std::vector<WallRow> &rows, qint64 total)
{
  QStringList items;
  const QDateTime now = QDateTime::currentDateTime();
  for (const WallRow &r : rows)
  {
    if (r.light != QLatin1String("red"))
      continue;
    const qint64 hours = r.deadline.secsTo(now) / 3600;
    items << tr("%1 %2 (%3) overdue %4 h").arg(r.number, r.title, r.departmentName.isEmpty() ? r.gridName : r.departmentName).arg(hours);
    if (items.size() >= 30)
      break;
  }
  mTicker->setText(items.isEmpty() ? tr("No overdue case.")
                                   : tr("OVERDUE %1:  ").arg(total) + items.join(QStringLiteral("   ◆   ")));
}

void BigScreen::setEmergencies(const std::vector<EmergencyView> &open)
{
  const QString before = mEmergencies.empty() ? QString() : mEmergencies.front().incident + QString::number(mEmergencies.front().radiusM);
  mEmergencies = open;
  const QString now = open.empty() ? QString() : open.front().incident + QString::number(open.front().radiusM);
  if (open.empty())
  {
    mRings->hide();
  }
  else if (now != before)
  {
    // The newest emergency is what the hall looks at: its rings, zoomed, until it closes.
    const EmergencyView &e = open.front();
    mRings->show(e.lon, e.lat, e.radiusM);
    QgsRectangle extent = mRings->extent();
    if (!extent.isEmpty())
    {
      extent.scale(1.6);
      mCanvas->setExtent(extent);
      mArea->setText(tr("Emergency %1").arg(e.incident));
      mCanvas->refresh();
    }
  }
  if (open.empty() && !before.isEmpty())
  {
    mTourIndex = -1;
    if (mDistrictExtent)
      mCanvas->setExtent(*mDistrictExtent);
    mArea->setText(tr("Whole district"));
    mCanvas->refresh();
  }
  updateEmergencyBanner();
}

void BigScreen::setAlarm(const QString &text)
{
  mAlarmBanner->setText(text);
  mAlarmBanner->setVisible(!text.isEmpty());
  updateEmergencyBanner();
}

QString BigScreen::alarmText() const
{
  return mAlarmBanner->isHidden() ? QString() : mAlarmBanner->text();
}

QString BigScreen::emergencyText() const
{
  return mEmergencies.empty() ? QString() : mEmergencyBanner->text();
}

bool BigScreen::emergencyShown() const
{
  return !mEmergencyBanner->isHidden();
}

void BigScreen::updateEmergencyBanner()
{
  // Both banners blink once a second (red on white, white on red): a hall sees them from
  // across the room.
  mBlinkOn = !mBlinkOn;
  QPalette p = mEmergencyBanner->palette();
  p.setColor(QPalette::Window, mBlinkOn ? kRed.darker(130) : QColor(250, 250, 250));
  p.setColor(QPalette::WindowText, mBlinkOn ? QColor(255, 255, 255) : kRed.darker(150));
  mAlarmBanner->setPalette(p);
  if (mEmergencies.empty())
  {
    mEmergencyBanner->hide();
    return;
  }
  QStringList lines;
  for (const EmergencyView &e : mEmergencies)
    lines << (e.title == e.typeName // a point declared without a title is titled by its type
                ? tr("EMERGENCY %1 · %2 · radius %3 · %4 since declared")
                    .arg(e.incident, e.typeName, distanceText(e.radiusM), elapsedText(e.declaredAt))
                : tr("EMERGENCY %1 · %2 · %3 · radius %4 · %5 since declared")
                    .arg(e.incident, e.typeName, e.title, distanceText(e.radiusM), elapsedText(e.declaredAt)));
  mEmergencyBanner->setText(lines.join(QLatin1Char('\n')));
  mEmergencyBanner->setPalette(p);
  mEmergencyBanner->show();
}

void BigScreen::setTour(const std::vector<std::pair<QString, QgsRectangle>> &townships, int seconds)
{
  mTownships = townships;
  mTourIndex = -1;
  if (seconds > 0 && !townships.empty())
    mTourTimer->start(seconds * 1000);
  else
    mTourTimer->stop();
}

void BigScreen::nextTownship()
{
  if (mTownships.empty() || !mEmergencies.empty()) // an open emergency holds the map
    return;
  mTourIndex = mTourIndex + 1 > static_cast<int>(mTownships.size()) - 1 ? -1 : mTourIndex + 1;
  if (mTourIndex < 0)
  {
    if (mDistrictExtent)
      mCanvas->setExtent(*mDistrictExtent);
    mArea->setText(tr("Whole district"));
  }
  else
  {
    QgsRectangle extent = mTownships[static_cast<size_t>(mTourIndex)].second;
    extent.scale(1.1);
    mCanvas->setExtent(extent);
    mArea->setText(mTownships[static_cast<size_t>(mTourIndex)].first);
  }
  mCanvas->refresh();
}

QString BigScreen::currentArea() const
{
  return mArea->text();
}

QStringList BigScreen::tileTexts() const
{
  QStringList texts;
  for (const auto &tile : mTiles)
    texts << tile.first->text();
  return texts;
}

QString BigScreen::tickerText() const
{
  return mTicker->text();
}

void BigScreen::resizeEvent(QResizeEvent *event)
{
  QWidget::resizeEvent(event);
  applySizes();
}

void BigScreen::keyPressEvent(QKeyEvent *event)
{
  if (event->key() == Qt::Key_Space)
    nextTownship();
  else
    QWidget::keyPressEvent(event);
}

void BigScreen::applySizes()
{
  // Sized from the screen's height in device-independent pixels: 30 px body type on a 1080-line
  // wall. A 2160-line wall runs at 200 % (the desktop's scaling or QT_SCALE_FACTOR=2), so the
  // type, the map's symbols and its labels are all twice as many pixels and just as legible.
  const int unit = std::max(12, height() / 36);
  QFont base = font();
  base.setPixelSize(unit);
  base.setBold(true);
  mArea->setFont(base);
  mClock->setFont(base);
  QFont title = base;
  title.setPixelSize(unit * 3 / 2);
  mTitle->setFont(title);
  for (auto &[value, caption] : mTiles)
  {
    QFont big = base;
    big.setPixelSize(unit * 3);
    value->setFont(big);
    QFont small = base;
    small.setBold(false);
    caption->setFont(small);
    QPalette cp = caption->palette();
    cp.setColor(QPalette::WindowText, QColor(200, 210, 225));
    caption->setPalette(cp);
  }
  QFont ticker = base;
  ticker.setPixelSize(unit * 6 / 5);
  mTicker->setFont(ticker);
  mTicker->setFixedHeight(unit * 2);
  QFont banner = base;
  banner.setPixelSize(unit * 4 / 3);
  mEmergencyBanner->setFont(banner);
  QFont alarm = base;
  alarm.setPixelSize(unit);
  mAlarmBanner->setFont(alarm);
  QPalette p = mTitle->palette();
  p.setColor(QPalette::WindowText, kText);
  mTitle->setPalette(p);
  mClock->setPalette(p);
  mArea->setPalette(p);
}

void BigScreen::updateClock()
{
  mClock->setText(beijingNow().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
  updateEmergencyBanner();
}

ConferenceView::ConferenceView(QWidget *parent)
  : QWidget(parent, Qt::Window)
{
  setObjectName(QStringLiteral("conferenceView"));
  addLeaveOnEscape(this);
  setWindowTitle(tr("Emergency — conference view"));
  setAutoFillBackground(true);
  QPalette p = palette();
  p.setColor(QPalette::Window, kBackground);
  p.setColor(QPalette::WindowText, kText);
  p.setColor(QPalette::Base, kPanel);
  p.setColor(QPalette::Text, kText);
  setPalette(p);

  auto *layout = new QVBoxLayout(this);
  auto *header = new QHBoxLayout;
  mHeadline = new QLabel(this);
  mHeadline->setObjectName(QStringLiteral("conferenceHeadline"));
  mElapsed = new QLabel(this);
  header->addWidget(mHeadline, 1);
  header->addWidget(mElapsed);
  layout->addLayout(header);

  auto *body = new QHBoxLayout;
  mCanvas = new QgsMapCanvas(this);
  mCanvas->setObjectName(QStringLiteral("conferenceCanvas"));
  darkCanvas(mCanvas);
  mRings = std::make_unique<EmergencyRings>(mCanvas);
  body->addWidget(mCanvas, 3);
  auto *side = new QVBoxLayout;
  mResourcesTitle = new QLabel(tr("Resources within the radius"), this);
  mResources = new QListWidget(this);
  mResources->setObjectName(QStringLiteral("conferenceResources"));
  mResources->setFrameShape(QFrame::NoFrame);
  mResources->setFocusPolicy(Qt::NoFocus);
  mResources->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  mResources->setTextElideMode(Qt::ElideMiddle);
  mTimelineTitle = new QLabel(tr("Dispatch timeline"), this);
  mTimeline = new QListWidget(this);
  mTimeline->setObjectName(QStringLiteral("conferenceTimeline"));
  mTimeline->setFrameShape(QFrame::NoFrame);
  mTimeline->setFocusPolicy(Qt::NoFocus);
  mTimeline->setWordWrap(true);
  mTimeline->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  side->addWidget(mResourcesTitle);
  side->addWidget(mResources, 3);
  side->addWidget(mTimelineTitle);
  side->addWidget(mTimeline, 2);
  body->addLayout(side, 2);
  layout->addLayout(body, 1);

  mElapsedTimer = new QTimer(this);
  connect(mElapsedTimer, &QTimer::timeout, this, &ConferenceView::updateElapsed);
  mElapsedTimer->start(1000);
  applySizes();
}

ConferenceView::~ConferenceView() = default;

void ConferenceView::setLayers(const QList<QgsMapLayer *> &layers, const QString &crsAuthId)
{
  mCanvas->setDestinationCrs(QgsCoordinateReferenceSystem(crsAuthId));
  mCanvas->setLayers(layers);
  mCanvas->refresh();
}

void ConferenceView::setEmergency(const EmergencyView &emergency, const NearbyView &nearby)
{
  const bool moved = emergency.incident != mEmergency.incident || emergency.radiusM != mEmergency.radiusM;
  mEmergency = emergency;
  mHeadline->setText(QStringLiteral("%1 · %2 · %3%4")
                       .arg(emergency.incident, emergency.typeName, emergency.title,
                            emergency.open ? QString() : tr("  (closed)")));
  mRings->show(emergency.lon, emergency.lat, emergency.radiusM);
  if (moved)
    zoom(0);
  mResources->clear();
  auto add = [this](const QString &text, const QColor &colour) {
    auto *item = new QListWidgetItem(text, mResources);
    item->setForeground(colour);
  };
  int workers = 0;
  for (const NearbyWorkerView &w : nearby.workers)
  {
    if (++workers > 12)
      break;
    add(tr("● %1  %2%3").arg(w.name, distanceText(w.distanceM), w.online ? QString() : tr("  offline")),
        w.online ? kGreen : QColor(150, 150, 150));
  }
  // What a commander needs first: police posts, then the risks nearby, then a few cameras.
  auto addSites = [&](auto wanted, const QColor &colour, int most) {
    int shown = 0;
    for (const NearbySiteView &s : nearby.sites)
      if (wanted(s) && shown++ < most)
        add(QStringLiteral("%1 %2  %3").arg(siteKindTitle(s.kind), s.name, distanceText(s.distanceM)), colour);
  };
  addSites([](const NearbySiteView &s) { return s.kind == QLatin1String("police_post"); }, QColor(100, 181, 246), 4);
  addSites([](const NearbySiteView &s) { return s.risk; }, kRed, 8);
  addSites([](const NearbySiteView &s) { return s.kind == QLatin1String("camera"); }, kText, 4);
  mResourcesTitle->setText(tr("Within %1: %2 workers, %3 sites").arg(distanceText(emergency.radiusM)).arg(nearby.workers.size()).arg(nearby.sites.size()));
  updateElapsed();
}

void ConferenceView::setTimeline(const std::vector<EmergencyEvent> &timeline)
{
  // Newest first: the latest step is what the conference is talking about.
  mTimeline->clear();
  for (auto it = timeline.rbegin(); it != timeline.rend(); ++it)
    mTimeline->addItem(QStringLiteral("%1  %2  %3").arg(it->at.toString(QStringLiteral("HH:mm")), emergencyEventTitle(it->kind), it->message));
}

void ConferenceView::zoom(int step)
{
  if (step == 0)
  {
    QgsRectangle extent = mRings->extent();
    if (extent.isEmpty())
      return;
    extent.scale(1.25);
    mCanvas->setExtent(extent);
  }
  else
  {
    mCanvas->zoomByFactor(step > 0 ? 0.5 : 2.0);
  }
  mCanvas->refresh();
}

QStringList ConferenceView::resourceTexts() const
{
  QStringList texts;
  for (int i = 0; i < mResources->count(); ++i)
    texts << mResources->item(i)->text();
  return texts;
}

QStringList ConferenceView::timelineTexts() const
{
  QStringList texts;
  for (int i = 0; i < mTimeline->count(); ++i)
    texts << mTimeline->item(i)->text();
  return texts;
}

void ConferenceView::resizeEvent(QResizeEvent *event)
{
  QWidget::resizeEvent(event);
  applySizes();
}

void ConferenceView::applySizes()
{
  const int unit = std::max(12, height() / 40);
  QFont base = font();
  base.setPixelSize(unit);
  mResources->setFont(base);
  mTimeline->setFont(base);
  QFont heading = base;
  heading.setBold(true);
  mResourcesTitle->setFont(heading);
  mTimelineTitle->setFont(heading);
  mElapsed->setFont(heading);
  QFont headline = heading;
  headline.setPixelSize(unit * 3 / 2);
  mHeadline->setFont(headline);
  QPalette p = mHeadline->palette();
  p.setColor(QPalette::WindowText, kRed);
  mHeadline->setPalette(p);
}

void ConferenceView::updateElapsed()
{
  if (!mEmergency.declaredAt.isValid())
  {
    mElapsed->clear();
    return;
  }
  const qint64 s = mEmergency.declaredAt.secsTo(QDateTime::currentDateTime());
  mElapsed->setText(tr("%1 · %2 since declared")
                      .arg(beijingNow().toString(QStringLiteral("HH:mm:ss")),
                           QStringLiteral("%1:%2:%3")
                             .arg(s / 3600, 2, 10, QLatin1Char('0'))
                             .arg((s % 3600) / 60, 2, 10, QLatin1Char('0'))
                             .arg(s % 60, 2, 10, QLatin1Char('0'))));
}

} // namespace gd::console
