#pragma once
// Persistent warnings in the console's status bar: the store's integrity check (run in the
// background for a large store, see store::Schema::setBackgroundCheck) and a working calendar
// that lacks a year's holiday schedule. MainWindow only places them.

#include <QDate>
#include <QLabel>

#include <cstdint>
#include <memory>

class QTimer;

namespace gd::core {
class WorkCalendar;
}

namespace gd::console {

/**
 * From now on a store larger than 32 MiB (store::Schema::kBackgroundCheckOverBytes) that this
 * process opens is checked after open, on a thread of its own: its quick_check reads the whole
 * file, 2 s warm and 27 s cold at 1,000,000 cases (docs/performance.md). What the console does.
 */
void checkLargeStoresInBackground();
//! As above with any threshold (0: every store; tests).
void checkStoresInBackground(std::uintmax_t overBytes);

/**
 * Says "Checking the store…" while the background check of the open store runs, disappears
 * when it passed and, when it found damage, stays in red saying so (what SQLite found and the
 * file in its tooltip). A store checked before it opened shows nothing.
 */
class StoreCheckLabel : public QLabel
{
    Q_OBJECT

  public:
    explicit StoreCheckLabel(QWidget *parent = nullptr);
    //! Follows the check of the store at \a path (just opened).
    void watch(const QString &path);

  signals:
    //! The check found the store damaged: \a message is the sentence for the operator.
    void damaged(const QString &message);

  private:
    void poll();

    QString mPath;
    QTimer *mTimer = nullptr;
};

/**
 * Names the years whose holiday schedule the working calendar lacks (the current year's, and
 * from December on the next year's: deadlines there count weekends only), with how to import
 * it in its tooltip. Hidden when nothing is missing.
 */
class CalendarWarningLabel : public QLabel
{
    Q_OBJECT

  public:
    //! Reads the working calendar of the configuration directory (store::ConfigDirectory).
    explicit CalendarWarningLabel(QWidget *parent = nullptr);
    ~CalendarWarningLabel() override;
    //! Shows what is missing on \a today (a Beijing date); the console calls it with its clock.
    void showFor(const QDate &today);

  private:
    std::unique_ptr<core::WorkCalendar> mCalendar;
    QString mLoadError;
    QDate mShownFor;
};

/**
 * Says that an operator's action waits for another program's write lock on the store (a
 * gateway, another console or griddispatch-ctl writing), for how long and up to when, while it
 * waits (issue 14 #5: an action waits up to store::Database::kDefaultBusyTimeoutMs instead of
 * failing, and the wait is seen). Fed by store::Database's busy observer, which is called once a
 * second by whichever thread waits: the observer only records the wait (no QObject is touched
 * off the GUI thread) and the label polls it. One per process (the observer is global).
 */
class StoreWaitLabel : public QLabel
{
    Q_OBJECT

  public:
    explicit StoreWaitLabel(QWidget *parent = nullptr);
    ~StoreWaitLabel() override;

  private:
    void poll();

    QTimer *mTimer = nullptr;
};

} // namespace gd::console
