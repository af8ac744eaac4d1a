#include "core/csvtext.h"

#include <gtest/gtest.h>

using gd::core::csvField;

TEST(CsvText, APlainFieldStaysAsItIs)
{
  EXPECT_EQ(csvField("620902-20261207-000001"), "620902-20261207-000001");
  EXPECT_EQ(csvField(""), "");
  EXPECT_EQ(csvField("井盖缺失"), "井盖缺失");
}

TEST(CsvText, ACommaAQuoteOrALineBreakIsQuotedAndQuotesDoubled)
{
  EXPECT_EQ(csvField("a,b"), "\"a,b\"");
  EXPECT_EQ(csvField("he said \"now\""), "\"he said \"\"now\"\"\"");
  EXPECT_EQ(csvField("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(csvField("cr\rhere"), "\"cr\rhere\"");
}
