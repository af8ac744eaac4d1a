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
