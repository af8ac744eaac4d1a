#include "console/statuswarnings.h"

#include "core/timeutil.h"
#include "core/workcalendar.h"
#include "store/configdir.h"
#include "store/schema.h"

#include <QTimer>

namespace gd::console {

namespace {

// Red on the status bar whatever the theme: both say something is wrong until it is fixed.
const char *const kWarningStyle = "QLabel { color: #c62828; font-weight: bold; padding: 0 6px; }";

} // namespace

void checkLargeStoresInBackground()
{
  store::Schema::setBackgroundCheck(store::Schema::kBackgroundCheckOverBytes);
}

void checkStoresInBackground(std::uintmax_t overBytes)
{
  store::Schema::setBackgroundCheck(overBytes);
}

StoreCheckLabel::StoreCheckLabel(QWidget *parent)
  : QLabel(parent)
  , mTimer(new QTimer(this))
{
  setObjectName(QStringLiteral("storeCheck"));
  hide();
  mTimer->setInterval(250);
  connect(mTimer, &QTimer::timeout, this, &StoreCheckLabel::poll);
}

void StoreCheckLabel::watch(const QString &path)
{
  mPath = path;
  setStyleSheet(QString());
  setToolTip(QString());
  // Polled until the check is over (poll() stops it): the state may change between two reads.
  mTimer->start();
  poll();
}

void StoreCheckLabel::poll()
{
  const store::Schema::IntegrityState state = store::Schema::integrity(mPath.toStdString());
  switch (state.state)
  {
    case store::Schema::Integrity::Checking:
      setText(tr("Checking the store…"));
      setToolTip(tr("The integrity check is reading the whole store %1; the field terminals' reports are saved "
                    "once it has passed")
                   .arg(mPath));
      show();
      return;
    case store::Schema::Integrity::Damaged:
    {
      mTimer->stop();
      setStyleSheet(QLatin1String(kWarningStyle));
      setText(tr("Store damaged: restore it from a backup"));
      const QString message =
        tr("The integrity check found the store %1 damaged. Restore it from a backup.").arg(mPath);
      setToolTip(message + QLatin1Char('\n') + QString::fromStdString(state.problem));
      show();
      emit damaged(message);
      return;
    }
    case store::Schema::Integrity::Passed:
    case store::Schema::Integrity::Unchecked:
      mTimer->stop();
      hide();
      return;
  }
}

CalendarWarningLabel::CalendarWarningLabel(QWidget *parent)
  : QLabel(parent)
{
  setObjectName(QStringLiteral("calendarWarning"));
  setStyleSheet(QLatin1String(kWarningStyle));
  hide();
  try
  {
    mCalendar = std::make_unique<core::WorkCalendar>(
      store::ConfigDirectory::load(store::ConfigDirectory::defaultPath())->calendar);
  }
  catch (const std::exception &e)
  {
    mLoadError = QString::fromUtf8(e.what());
  }
}

CalendarWarningLabel::~CalendarWarningLabel() = default;

void CalendarWarningLabel::showFor(const QDate &today)
{
  if (today == mShownFor)
    return;
  mShownFor = today;
  if (!mCalendar)
  {
    setText(tr("Working calendar not read"));
    setToolTip(tr("The working calendar could not be read, so SLA deadlines cannot be checked against holidays:\n%1")
                 .arg(mLoadError));
    show();
    return;
  }
  const core::Date date{std::chrono::year(today.year()), std::chrono::month(static_cast<unsigned>(today.month())),
                        std::chrono::day(static_cast<unsigned>(today.day()))};
  const std::vector<int> missing = mCalendar->missingYears(date);
  if (missing.empty())
  {
    hide();
    return;
  }
  const QString years = missing.size() == 1
                          ? QString::number(missing[0])
                          : tr("%1 and %2").arg(QString::number(missing[0]), QString::number(missing[1]));
  setText(tr("Holiday schedule of %1 missing").arg(years));
  setToolTip(tr("The holiday schedule of %1 is not loaded: SLA deadlines in %1 count weekends only and are marked "
                "so. Import the State Council's schedule as soon as it is published:\n"
                "griddispatch-ctl calendar import FILE.ics")
               .arg(years));
  show();
}

} // namespace gd::console
