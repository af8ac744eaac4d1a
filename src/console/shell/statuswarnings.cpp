#include "console/shell/statuswarnings.h"

#include "core/timeutil.h"
#include "core/workcalendar.h"
#include "store/config/configdir.h"
#include "store/schema.h"

#include "store/database.h"

#include <QTimer>

#include <chrono>
#include <mutex>

namespace gd::console {

namespace {

// Red on the status bar whatever the theme: both say something is wrong until it is fixed.
const char *const kWarningStyle = "QLabel { color: #c62828; font-weight: bold; padding: 0 6px; }";

//! The newest wait reported by store::Database's busy observer (any thread).
struct StoreWait
{
    std::mutex mutex;
    std::chrono::steady_clock::time_point reportedAt;
    std::chrono::milliseconds waited{0};
    std::chrono::milliseconds limit{0};
    std::string store;
};

StoreWait &storeWait()
{
  static StoreWait wait;
  return wait;
}

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

StoreWaitLabel::StoreWaitLabel(QWidget *parent)
  : QLabel(parent)
  , mTimer(new QTimer(this))
{
  setObjectName(QStringLiteral("storeWait"));
  setStyleSheet(QStringLiteral("QLabel { color: #e65100; font-weight: bold; padding: 0 6px; }"));
  hide();
  store::Database::setBusyObserver([](const std::filesystem::path &path, std::chrono::milliseconds waited,
                                      std::chrono::milliseconds limit) {
    StoreWait &wait = storeWait();
    std::lock_guard lock(wait.mutex);
    wait.reportedAt = std::chrono::steady_clock::now();
    wait.waited = waited;
    wait.limit = limit;
    wait.store = path.string();
  });
  // A waiting thread reports once a second: four looks a second show each report at once
  // and notice within 1.5 s that the wait is over.
  mTimer->setInterval(250);
  connect(mTimer, &QTimer::timeout, this, &StoreWaitLabel::poll);
  mTimer->start();
}

StoreWaitLabel::~StoreWaitLabel()
{
  store::Database::setBusyObserver({});
}

void StoreWaitLabel::poll()
{
  StoreWait &wait = storeWait();
  std::chrono::steady_clock::time_point reportedAt;
  std::chrono::milliseconds waited{0}, limit{0};
  std::string path;
  {
    std::lock_guard lock(wait.mutex);
    reportedAt = wait.reportedAt;
    waited = wait.waited;
    limit = wait.limit;
    path = wait.store;
  }
  if (path.empty() || std::chrono::steady_clock::now() - reportedAt > std::chrono::milliseconds(1500))
  {
    hide();
    return;
  }
  const auto seconds = [](std::chrono::milliseconds ms) { return static_cast<int>(ms.count() / 1000); };
  setText(tr("Waiting for the store: %1 s of %2 s").arg(seconds(waited)).arg(seconds(limit)));
  setToolTip(tr("Another program (a gateway, another console or griddispatch-ctl) is writing to the store %1; "
                "this console's action goes on as soon as it is done, or fails after %2 s")
               .arg(QString::fromStdString(path))
               .arg(seconds(limit)));
  show();
}

} // namespace gd::console
