#pragma once

#include "console/dispatch/caseservice.h"

#include <QWidget>

class QLabel;
class QTreeWidget;
class QTextBrowser;
class QToolButton;
class QGridLayout;
class QAction;
class QBoxLayout;

namespace gd::console {

/**
 * The case detail dock: what the case is, where, who has it, its clock, a button for each step
 * (enabled when possible now), and its full event timeline. When the case changes under the
 * operator (a terminal's update, another operator), it reloads and says so. Every step has a
 * button in a place of its own; those not possible now are disabled and say why.
 */
class CaseDetailPanel : public QWidget
{
    Q_OBJECT

  public:
    explicit CaseDetailPanel(QWidget *parent = nullptr);

    /**
     * The window's step actions by action name ("register" … and "dispatch"); the panel shows
     * a button for each one the workflow allows on the shown case.
     */
    void setStepActions(const QHash<QString, QAction *> &actions);

    //! Shows \a detail. \a changedUnder: it is a reload because the case changed elsewhere.
    void showDetail(const CaseDetail &detail, bool changedUnder = false);
    //! Shows nothing (no case selected).
    void clear();

    //! The shown case, or an invalid detail.
    const CaseDetail &detail() const { return mDetail; }
    bool hasCase() const { return !mDetail.number.isEmpty(); }

    //! The timeline as shown (rows of "time | step | by | states | details"), for tests.
    QStringList timelineTexts() const;
    //! The names of the step buttons enabled (every button is always shown, in its own place).
    QStringList enabledSteps() const;
    //! The step button of \a step ("dispatch", "close" …), or null.
    QToolButton *stepButton(const QString &step) const { return mButtons.value(step); }
    //! The "changed under you" notice, or an empty string when hidden.
    QString notice() const;

    //! The order-status section as shown (plain text, a line per order or notice), for tests.
    QString orderStatusText() const;

  signals:
    //! A link in the summary was clicked (a grid code, a case number).
    void linkActivated(const QString &link);
    //! The operator records that a department acknowledged notice \a id (on its behalf).
    void noticeAcknowledgementRequested(qint64 id, const QString &departmentName);

  private:
    void updateButtons();

    // ---- order status: orders to terminals and notices to departments, and their acks ----
    void setUpOrderStatus(QBoxLayout *layout);
    void showOrderStatus(const CaseDetail &detail);
    QLabel *mOrderStatus = nullptr;

    CaseDetail mDetail;
    QLabel *mHeading = nullptr;
    QLabel *mNotice = nullptr;
    QTextBrowser *mSummary = nullptr;
    QWidget *mButtonRow = nullptr;
    QGridLayout *mButtonLayout = nullptr;
    QTreeWidget *mTimeline = nullptr;
    QHash<QString, QAction *> mActions;
    QHash<QString, QToolButton *> mButtons;
    bool mFollowNewest = true; //!< the timeline stays at its newest entry
};

} // namespace gd::console
