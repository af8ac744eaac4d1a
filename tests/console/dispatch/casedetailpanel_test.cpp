// The case detail panel on its own: the timeline shows and follows its newest entry; every
// step keeps its button's place from state to state, greyed with a reason when not possible.
#include "console/dispatch/casedetailpanel.h"
#include "console/shell/windowfit.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QCoreApplication>
#include <QScrollArea>
#include <QScrollBar>
#include <QToolButton>
#include <QTreeWidget>

#include <map>
#include <memory>
#include <set>
#include <utility>

using gd::console::CaseDetail;
using gd::console::CaseDetailPanel;

namespace {

CaseDetail caseWithEntries(int entries, const QString &number = QStringLiteral("620902-20261207-000001"))
{
  CaseDetail d;
  d.number = number;
  d.state = QStringLiteral("in_handling");
  d.title = QStringLiteral("楼道堆放杂物");
  d.category = QStringLiteral("0301");
  d.light = QStringLiteral("green");
  const QDateTime start = QDateTime::currentDateTime().addDays(-1);
  for (int i = 0; i < entries; ++i)
    d.timeline.push_back({start.addSecs(60 * i), QStringLiteral("调度员甲"), QStringLiteral("note"), d.state, d.state,
                          QStringLiteral("第%1条备注：现场情况说明，物业已到场协调，预计今日清理完毕").arg(i + 1), QString()});
  return d;
}

//! Whether the timeline shows its last entry whole (top to bottom).
bool showsNewest(const CaseDetailPanel &panel)
{
  auto *timeline = panel.findChild<QTreeWidget *>(QStringLiteral("caseTimeline"));
  const QTreeWidgetItem *last = timeline->topLevelItem(timeline->topLevelItemCount() - 1);
  const QRect rect = timeline->visualItemRect(last);
  return rect.isValid() && rect.top() >= 0 && rect.bottom() < timeline->viewport()->height();
}

void settle()
{
  for (int i = 0; i < 5; ++i)
    QCoreApplication::processEvents();
}

//! One action per step, as the window has them, kept alive by \a owned.
QHash<QString, QAction *> stepActions(std::vector<std::unique_ptr<QAction>> &owned)
{
  QHash<QString, QAction *> actions;
  for (const char *name : {"dispatch", "register", "accept", "assign", "start_handling", "arrive", "feedback", "close", "visit",
                           "archive", "return", "escalate", "extend", "park", "resume", "merge", "rework", "supervise",
                           "urge", "note", "void"})
  {
    owned.push_back(std::make_unique<QAction>(QString::fromLatin1(name)));
    actions.insert(QString::fromLatin1(name), owned.back().get());
  }
  return actions;
}

} // namespace

TEST(CaseDetailPanel, TheTimelineShowsAndFollowsItsNewestEntry)
{
  CaseDetailPanel panel;
  panel.resize(460, 620);
  panel.show();
  settle();
  panel.showDetail(caseWithEntries(40));
  settle();
  auto *timeline = panel.findChild<QTreeWidget *>(QStringLiteral("caseTimeline"));
  ASSERT_GT(timeline->verticalScrollBar()->maximum(), 0); // more entries than fit
  EXPECT_TRUE(showsNewest(panel));

  // The dock is made smaller, then the case changes under the operator with two new entries.
  panel.resize(460, 480);
  settle();
  EXPECT_TRUE(showsNewest(panel));
  panel.showDetail(caseWithEntries(42), true);
  settle();
  EXPECT_TRUE(showsNewest(panel));
  EXPECT_TRUE(timeline->topLevelItem(41)->text(4).startsWith(QStringLiteral("第42条")));

  // Scrolled up to read: a reload of the same case leaves the operator where they were.
  timeline->verticalScrollBar()->triggerAction(QAbstractSlider::SliderToMinimum);
  settle();
  panel.showDetail(caseWithEntries(43), true);
  settle();
  EXPECT_EQ(timeline->verticalScrollBar()->value(), 0);
  // Another case starts at its newest entry again.
  panel.showDetail(caseWithEntries(30, QStringLiteral("620902-20261207-000002")));
  settle();
  EXPECT_TRUE(showsNewest(panel));
}

TEST(CaseDetailPanel, EveryStepKeepsItsPlaceAndSaysWhyItIsNotPossible)
{
  CaseDetailPanel panel;
  panel.resize(560, 700);
  std::vector<std::unique_ptr<QAction>> owned;
  QHash<QString, QAction *> actions = stepActions(owned);
  panel.setStepActions(actions);
  panel.show();

  // As the window does: an action is enabled when the shown case allows it.
  auto show = [&](const QString &state, const QStringList &allowed) {
    CaseDetail d = caseWithEntries(3);
    d.state = state;
    d.allowedActions = allowed;
    for (auto it = actions.begin(); it != actions.end(); ++it)
    {
      const bool ok = it.key() == QLatin1String("dispatch") ? allowed.contains(QStringLiteral("assign")) : allowed.contains(it.key());
      if (!ok)
        d.refusals.insert(it.key(), QStringLiteral("the case is %1").arg(state));
      it.value()->setEnabled(ok);
    }
    panel.showDetail(d);
    settle();
    std::map<QString, QRect> places;
    for (auto it = actions.begin(); it != actions.end(); ++it)
    {
      QToolButton *button = panel.stepButton(it.key());
      EXPECT_TRUE(button && button->isVisible()) << it.key().toStdString();
      if (button)
        places[it.key()] = button->geometry();
    }
    return places;
  };
  const auto reported = show(QStringLiteral("reported"), {QStringLiteral("register"), QStringLiteral("assign"), QStringLiteral("void"),
                                                          QStringLiteral("note"), QStringLiteral("merge")});
  EXPECT_EQ(panel.enabledSteps(), (QStringList{QStringLiteral("assign"), QStringLiteral("dispatch"), QStringLiteral("merge"),
                                               QStringLiteral("note"), QStringLiteral("register"), QStringLiteral("void")}));
  const QString closeTip = panel.stepButton(QStringLiteral("close"))->toolTip();
  EXPECT_TRUE(closeTip.contains(QStringLiteral("the case is reported"))) << closeTip.toStdString();
  const auto handled = show(QStringLiteral("handled"), {QStringLiteral("close"), QStringLiteral("rework"), QStringLiteral("note"),
                                                        QStringLiteral("supervise")});
  const auto parked = show(QStringLiteral("parked"), {QStringLiteral("resume"), QStringLiteral("note")});
  EXPECT_EQ(reported, handled);
  EXPECT_EQ(reported, parked);
  EXPECT_FALSE(panel.stepButton(QStringLiteral("close"))->isEnabled());
  EXPECT_TRUE(panel.stepButton(QStringLiteral("resume"))->isEnabled());
  // No two buttons share a place.
  std::set<std::pair<int, int>> corners;
  for (const auto &[name, rect] : parked)
    EXPECT_TRUE(corners.insert({rect.x(), rect.y()}).second) << name.toStdString();

  // Clicking a button does its step.
  int triggered = 0;
  QObject::connect(actions.value(QStringLiteral("resume")), &QAction::triggered, [&] { ++triggered; });
  panel.stepButton(QStringLiteral("resume"))->click();
  EXPECT_EQ(triggered, 1);
  // With no case, a button says to pick one.
  for (QAction *action : std::as_const(actions))
    action->setEnabled(false);
  panel.clear();
  EXPECT_TRUE(panel.stepButton(QStringLiteral("close"))->toolTip().contains(QStringLiteral("select a case first")));
}

// In the dock (a scroll area, so that a short dock scrolls): the newest entry is on screen, not
// below the dock's edge. The wrapped labels made the panel as tall as every part's preferred
// height, so the timeline's end sat behind the dock's scroll bar (walkthrough at 1920x1080).
TEST(CaseDetailPanel, InItsDockTheNewestEntryIsOnScreen)
{
  QWidget dock;
  dock.resize(640, 580);
  auto *panel = new CaseDetailPanel;
  std::vector<std::unique_ptr<QAction>> owned;
  QHash<QString, QAction *> actions = stepActions(owned);
  panel->setStepActions(actions);
  QScrollArea *area = gd::console::scrollable(panel, &dock);
  area->resize(dock.size());
  dock.show();
  settle();
  panel->showDetail(caseWithEntries(12));
  settle();
  auto *timeline = panel->findChild<QTreeWidget *>(QStringLiteral("caseTimeline"));
  const QTreeWidgetItem *last = timeline->topLevelItem(timeline->topLevelItemCount() - 1);
  QRect rect = timeline->visualItemRect(last);
  rect.moveTopLeft(timeline->viewport()->mapTo(area->viewport(), rect.topLeft()));
  EXPECT_TRUE(rect.top() >= 0 && rect.bottom() < area->viewport()->height()) << rect.top() << ".." << rect.bottom() << " in a viewport of "
                                                        << area->viewport()->height();
}
