#pragma once
// The supervision wall (督办墙) dock: overdue (red) and about-to-be-overdue (yellow) cases of
// any grid subtree and department with live countdowns, the overdue count per department,
// rankings of departments and townships by overdue count and on-time rate (a ranking row
// drills down to its cases), the supervision records, and urging or supervising many cases
// at once with an opinion and a response deadline.

#include "console/command/commandservice.h"

#include <QDialog>
#include <QSet>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace gd::console {

//! Asks for the opinion and the response deadline of an urge or supervision of \a count cases.
class UrgeDialog : public QDialog
{
    Q_OBJECT
  public:
    UrgeDialog(int count, bool supervise, QWidget *parent = nullptr);
    QString opinion() const;
    //! Invalid when no deadline is set.
    QDateTime deadline() const;
    void setOpinion(const QString &text);
    void setDeadline(const QDateTime &at);

  private:
    QPlainTextEdit *mOpinion = nullptr;
    QCheckBox *mHasDeadline = nullptr;
    QDateTimeEdit *mDeadline = nullptr;
};

class SupervisionPanel : public QWidget
{
    Q_OBJECT
  public:
    explicit SupervisionPanel(CommandServiceThread *service = nullptr, QWidget *parent = nullptr);
    //! The service of the open store (nullptr: none; the panel stays empty).
    void setService(CommandServiceThread *service) { mService = service; }

    //! The grid subtrees the wall can be scoped to (code, name as listed: townships, their
    //! communities and grids, indented), in tree order.
    void setAreas(const std::vector<std::pair<QString, QString>> &areas);
    void setDepartments(const std::vector<std::pair<QString, QString>> &departments);

    WallFilter filter() const;
    void setFilter(const WallFilter &filter);
    //! The clock the countdowns and queries use (tests pin it; invalid = the wall clock).
    void setNow(const QDateTime &now);
    QDateTime now() const;

    const WallView &view() const { return mView; }
    const RankingView &rankingView() const { return mRanking; }
    QStringList selectedNumbers() const;
    void selectNumbers(const QStringList &numbers);
    //! The countdown text of row \a row as shown ("逾期 2天3小时" / "剩余 5小时12分").
    QString countdownText(int row) const;
    //! Shows the township (true) or department ranking.
    void setRankingByTownship(bool township);
    //! Drills down from ranking row \a row: the wall filtered to that department or township.
    void drillDown(int row);

    /**
     * Urges (or supervises) the selected cases: asks for the opinion and deadline unless
     * \a opinion is given, then sends. Returns false when nothing is selected.
     */
    bool urgeSelected(bool supervise, const std::optional<QString> &opinion = std::nullopt,
                      const QDateTime &deadline = {});

    /**
     * What the seat may do here (issue 17): without \a supervise (case.supervise) the wall is
     * read-only, no urge, supervise or acknowledge button; without \a figures (figures.view)
     * the rankings tab is gone.
     */
    void setAllowed(bool supervise, bool figures);

    //! The alarming overdue cases (WallView::alarms) the operator has not acknowledged yet.
    std::vector<WallRow> unacknowledgedAlarms() const;
    //! The alarm banner's text ("" when hidden), for tests.
    QString alarmText() const;
    bool alarmShown() const;

  public slots:
    //! Reloads the wall, its counts, the rankings and the records.
    void reload();
    //! Called when the store changed (the watcher): reloads at most once a second.
    void storeChanged();
    /**
     * The operator acknowledges the alarms shown: the banner goes until another case alarms
     * (or the same case alarms again with a new deadline).
     */
    void acknowledgeAlarms();

  signals:
    void caseActivated(const QString &number);
    void reloaded();
    void urged(const std::vector<gd::console::UrgeResult> &results);
    void urgeDialogOpened(gd::console::UrgeDialog *dialog);
    //! The unacknowledged alarms changed: how many, and what the banner says ("" for none).
    void alarmsChanged(int count, const QString &text);
    //! The operator acknowledged \a count alarm(s).
    void alarmsAcknowledged(int count);

  private:
    void fillCases();
    void fillRanking();
    void fillRecords(const std::vector<SupervisionEntry> &records);
    void tickCountdowns();
    void applyFilterFromControls();
    void fillAlarms();
    void blinkAlarm();

    CommandServiceThread *mService = nullptr;
    QComboBox *mTownship = nullptr;
    QComboBox *mDepartment = nullptr;
    QCheckBox *mOverdueOnly = nullptr;
    QLabel *mSummary = nullptr;
    QWidget *mAlarmBanner = nullptr;
    QLabel *mAlarmText = nullptr;
    QPushButton *mAcknowledge = nullptr;
    bool mMaySupervise = true; //!< case.supervise: the urge, supervise and acknowledge buttons (setAllowed)
    bool mBlinkOn = false;
    QSet<QString> mAcknowledged; //!< "number@deadline" of every alarm acknowledged
    QString mAlarmShownText;
    QTimer *mPeriodic = nullptr;
    QTabWidget *mTabs = nullptr;
    QTableWidget *mCases = nullptr;
    QTableWidget *mByDepartment = nullptr;
    QTableWidget *mRankingTable = nullptr;
    QComboBox *mRankBy = nullptr;
    QComboBox *mPeriod = nullptr;
    QTableWidget *mRecords = nullptr;
    QPushButton *mUrge = nullptr;
    QPushButton *mSupervise = nullptr;
    QTimer *mTicker = nullptr;
    QTimer *mReloadLater = nullptr;
    QDateTime mNow;
    WallView mView;
    RankingView mRanking;
    bool mLoading = false;
    bool mReloadAgain = false;
};

//! "逾期 2天3小时" / "剩余 5小时12分" from \a seconds left (negative: overdue).
QString countdownText(qint64 seconds);

} // namespace gd::console

Q_DECLARE_METATYPE(std::vector<gd::console::UrgeResult>)
