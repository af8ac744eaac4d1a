#include "console/casequeuemodel.h"

#include <gtest/gtest.h>



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
