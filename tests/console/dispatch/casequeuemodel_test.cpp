#include "console/dispatch/casequeuemodel.h"

#include <gtest/gtest.h>

#include <QLocale>
#include <QTimeZone>

using gd::console::CaseQueueModel;
using gd::console::CaseQueueRow;

TEST(CaseQueueModel, ShowsRowsItIsGiven)
{
  CaseQueueModel model;
  EXPECT_EQ(model.rowCount(), 0);
  CaseQueueRow row;
  row.number = QStringLiteral("620902-20261121-000017");
  row.category = QStringLiteral("消防通道");
  row.state = QStringLiteral("assigned");
  model.setRows({row});
  ASSERT_EQ(model.rowCount(), 1);
  EXPECT_EQ(model.data(model.index(0, CaseQueueModel::Number)).toString(), row.number);
  EXPECT_EQ(model.data(model.index(0, CaseQueueModel::Category)).toString(), row.category);
  EXPECT_FALSE(model.data(model.index(1, 0)).isValid());
}

// One way to write a moment everywhere, whatever the locale: it was the locale's short format
// here ("2026/12/7 下午9:07") beside "12-07 21:07" elsewhere.
TEST(CaseQueueModel, DeadlinesAreYearFirstAnd24HourInEveryLocale)
{
  CaseQueueModel model;
  CaseQueueRow row;
  row.number = QStringLiteral("620902-20261207-000003");
  row.deadline = QDateTime(QDate(2026, 12, 7), QTime(21, 7), QTimeZone(QByteArrayLiteral("Asia/Shanghai")));
  model.setRows({row});
  for (const QLocale &locale : {QLocale(QLocale::Chinese, QLocale::China), QLocale(QLocale::English, QLocale::UnitedStates)})
  {
    QLocale::setDefault(locale);
    EXPECT_EQ(model.data(model.index(0, CaseQueueModel::Deadline)).toString(), QStringLiteral("2026-12-07 21:07"));
  }
  QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

TEST(CaseQueueModel, ShowsStatesAndSourcesByName)
{
  CaseQueueModel model;
  CaseQueueRow row;
  row.number = QStringLiteral("620902-20261122-000001");
  row.state = QStringLiteral("in_handling");
  row.source = QStringLiteral("hotline");
  model.setRows({row});
  EXPECT_EQ(model.data(model.index(0, CaseQueueModel::State)).toString(), QStringLiteral("In handling"));
  EXPECT_EQ(model.data(model.index(0, CaseQueueModel::Source)).toString(), QStringLiteral("12345 hotline"));
  // Something unknown is shown as it is rather than hidden.
  EXPECT_EQ(CaseQueueModel::stateTitle(QStringLiteral("future_state")), QStringLiteral("future_state"));
}

// ---- filters and sorting (CaseQueueFilter) -------------------------------------------------

#include "console/dispatch/casequeuefilter.h"

using gd::console::CaseQueueCriteria;
using gd::console::CaseQueueFilter;

namespace {

CaseQueueRow makeRow(int i, const QString &state, const QString &category, const QString &grid, const QString &dept,
                     const QString &source, const QString &priority, const QString &light, qint64 deadlineOffset)
{
  static const QDateTime base = QDateTime::fromSecsSinceEpoch(1795000000);
  CaseQueueRow row;
  row.number = QStringLiteral("620902-20261122-%1").arg(i, 6, 10, QLatin1Char('0'));
  row.state = state;
  row.categoryCode = category;
  row.category = category + QStringLiteral(" 名称");
  row.gridCode = grid;
  row.grid = grid.left(15);
  row.departmentCode = dept;
  row.leadDepartment = dept;
  row.source = source;
  row.priority = priority;
  row.light = light;
  row.deadline = base.addSecs(deadlineOffset);
  row.reportedAt = base.addSecs(-3600 * i);
  row.title = QStringLiteral("标题%1").arg(i);
  row.address = i % 2 ? QStringLiteral("幸福小区") : QStringLiteral("和平路");
  return row;
}

QStringList visibleNumbers(const CaseQueueFilter &proxy)
{
  QStringList out;
  for (int r = 0; r < proxy.rowCount(); ++r)
    out << proxy.numberAt(r);
  return out;
}

struct FilterFixture : ::testing::Test
{
  void SetUp() override
  {
    proxy.setSourceModel(&model);
    model.setRows({
      makeRow(1, "reported", "0301", "620902001001001001", "fire", "patrol", "urgent", "green", 7200),
      makeRow(2, "assigned", "0302", "620902001002001001", "housing", "hotline", "normal", "yellow", 3600),
      makeRow(3, "in_handling", "0101", "620902002001001001", "community", "police", "normal", "red", -600),
      makeRow(4, "handled", "0401", "620902002001002001", "enforcement", "citizen", "emergency", "none", 0),
    });
    model.setNow(QDateTime::fromSecsSinceEpoch(1795000000));
  }
  CaseQueueModel model;
  CaseQueueFilter proxy;
};

QString n(int i)
{
  return QStringLiteral("620902-20261122-%1").arg(i, 6, 10, QLatin1Char('0'));
}

} // namespace

TEST_F(FilterFixture, EachCriterionFilters)
{
  auto only = [this](CaseQueueCriteria c) {
    proxy.setCriteria(c);
    QStringList numbers = visibleNumbers(proxy);
    numbers.sort();
    return numbers;
  };
  EXPECT_EQ(only({}).size(), 4);
  CaseQueueCriteria c;
  c.states = QStringList{"reported", "registered", "accepted"};
  EXPECT_EQ(only(c), QStringList{n(1)});
  c = {};
  c.category = "03"; // a family
  EXPECT_EQ(only(c), (QStringList{n(1), n(2)}));
  c.category = "0302";
  EXPECT_EQ(only(c), QStringList{n(2)});
  c = {};
  c.gridPrefix = "620902002"; // a township: its whole subtree
  EXPECT_EQ(only(c), (QStringList{n(3), n(4)}));
  c.gridPrefix = "620902002001002"; // a grid
  EXPECT_EQ(only(c), QStringList{n(4)});
  c = {};
  c.department = "housing";
  EXPECT_EQ(only(c), QStringList{n(2)});
  c = {};
  c.source = "police";
  EXPECT_EQ(only(c), QStringList{n(3)});
  c = {};
  c.priority = "emergency";
  EXPECT_EQ(only(c), QStringList{n(4)});
  c = {};
  c.overdueOnly = true;
  EXPECT_EQ(only(c), QStringList{n(3)});
  c = {};
  c.dueSoonOrOverdue = true;
  EXPECT_EQ(only(c), (QStringList{n(2), n(3)}));
  c = {};
  c.reportedFrom = QDateTime::fromSecsSinceEpoch(1795000000 - 3 * 3600);
  c.reportedTo = QDateTime::fromSecsSinceEpoch(1795000000 - 1 * 3600);
  EXPECT_EQ(only(c), (QStringList{n(2), n(3)})); // [from, to): 3 h ago in, 1 h ago out
  c = {};
  c.text = "幸福";
  EXPECT_EQ(only(c), (QStringList{n(1), n(3)}));
  c.text = "000004";
  EXPECT_EQ(only(c), QStringList{n(4)});
  // Criteria combine.
  c = {};
  c.category = "03";
  c.dueSoonOrOverdue = true;
  EXPECT_EQ(only(c), QStringList{n(2)});
}

TEST_F(FilterFixture, SortsByDeadlineAsTimesWithNoDeadlineLast)
{
  model.applyChanges({[] {
                       CaseQueueRow none = makeRow(5, "parked", "0101", "620902001001001001", "community", "patrol", "normal", "none", 0);
                       none.deadline = QDateTime();
                       return none;
                     }()},
                     {});
  proxy.sort(CaseQueueModel::Deadline, Qt::AscendingOrder);
  EXPECT_EQ(visibleNumbers(proxy), (QStringList{n(3), n(4), n(2), n(1), n(5)}));
  proxy.sort(CaseQueueModel::Remaining, Qt::AscendingOrder);
  EXPECT_EQ(visibleNumbers(proxy).first(), n(3));
  EXPECT_EQ(model.data(model.index(model.rowOf(n(3)), CaseQueueModel::Remaining)).toString(), QStringLiteral("overdue 10 min"));
  EXPECT_EQ(model.data(model.index(model.rowOf(n(1)), CaseQueueModel::Remaining)).toString(), QStringLiteral("2 h 0 min"));
  EXPECT_TRUE(model.data(model.index(model.rowOf(n(5)), CaseQueueModel::Remaining)).toString().isEmpty());
}

TEST_F(FilterFixture, LiveRowsLandInTheirPlaceInASortedFilteredView)
{
  CaseQueueCriteria c;
  c.category = "03";
  proxy.setCriteria(c);
  proxy.sort(CaseQueueModel::Deadline, Qt::AscendingOrder);
  ASSERT_EQ(visibleNumbers(proxy), (QStringList{n(2), n(1)}));
  // A new 03 case due between the two, a new 01 case (filtered out), and an update that
  // moves case 1 to the front.
  CaseQueueRow fresh = makeRow(6, "reported", "0305", "620902001001001001", "fire", "patrol", "urgent", "green", 5000);
  CaseQueueRow other = makeRow(7, "reported", "0101", "620902001001001001", "community", "patrol", "normal", "green", 100);
  CaseQueueRow moved = model.row(model.rowOf(n(1)));
  moved.deadline = moved.deadline.addSecs(-7200 - 60);
  moved.light = "red";
  model.applyChanges({fresh, other, moved}, {});
  EXPECT_EQ(visibleNumbers(proxy), (QStringList{n(1), n(2), n(6)}));
  // A case that leaves the open set leaves the view.
  model.applyChanges({}, {n(2)});
  EXPECT_EQ(visibleNumbers(proxy), (QStringList{n(1), n(6)}));
  EXPECT_EQ(proxy.proxyRowOf(n(6)), 1);
  EXPECT_EQ(proxy.proxyRowOf(n(7)), -1);
}

TEST_F(FilterFixture, ABatchThatRemovesSeveralRowsKeepsEveryNumberOnItsRow)
{
  for (int i = 5; i <= 12; ++i)
    model.applyChanges({makeRow(i, "assigned", "0302", "620902001002001001", "housing", "hotline", "normal", "green", 600 * i)}, {});
  // Scattered removals, one named twice and one unknown, with updates in the same batch.
  CaseQueueRow changed = model.row(model.rowOf(n(12)));
  changed.light = "red";
  model.applyChanges({changed}, {n(2), n(9), n(5), n(9), QStringLiteral("620902-20261122-999999"), n(11)});
  ASSERT_EQ(model.rowCount(), 8);
  for (const int kept : {1, 3, 4, 6, 7, 8, 10, 12})
  {
    const int row = model.rowOf(n(kept));
    ASSERT_GE(row, 0) << kept;
    EXPECT_EQ(model.row(row).number, n(kept));
  }
  for (const int gone : {2, 5, 9, 11})
    EXPECT_EQ(model.rowOf(n(gone)), -1) << gone;
  EXPECT_EQ(model.row(model.rowOf(n(12))).light, QStringLiteral("red"));
  // A later update by number lands on the right row, not on a shifted neighbour.
  CaseQueueRow again = model.row(model.rowOf(n(10)));
  again.state = "in_handling";
  model.applyChanges({again}, {});
  EXPECT_EQ(model.row(model.rowOf(n(10))).state, QStringLiteral("in_handling"));
  EXPECT_EQ(model.row(model.rowOf(n(12))).state, QStringLiteral("assigned"));
  proxy.sort(CaseQueueModel::Deadline, Qt::AscendingOrder);
  EXPECT_EQ(proxy.rowCount(), 8);
}
