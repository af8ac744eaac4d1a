#include "core/departments.h"

#include "core/configerror.h"
#include "testconfig.h"

#include <gtest/gtest.h>

using namespace gd::core;

TEST(Departments, RealDirectoryLoads)
{
    const DepartmentDirectory &d = test::departments();
    for (const char *code : {"police", "procuratorate", "court", "justice", "housing", "ecology", "enforcement",
                             "market", "fire", "emergency", "petition", "civil", "hrss", "health", "township",
                             "community"})
        EXPECT_TRUE(d.find(code)) << code;
    EXPECT_EQ(d.find("fire")->nameZh, "消防救援大队");
    EXPECT_EQ(d.find("township")->level, DepartmentLevel::Township);
    EXPECT_FALSE(d.find("nobody"));
}

TEST(Departments, ErrorsNameSourceAndLine)
{
    try {
        DepartmentDirectory::parse("police | district | 公安分局 | Police\n\nfire | county | 消防 | Fire\n", "d.conf");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.source(), "d.conf");
        EXPECT_EQ(e.line(), 3);
        EXPECT_NE(std::string(e.what()).find("d.conf:3: "), std::string::npos);
        EXPECT_NE(e.problem().find("county"), std::string::npos);
    }
    EXPECT_THROW(DepartmentDirectory::parse("police | district | 公安 | Police\npolice | district | 公安 | P\n", "d"),
                 ConfigError);
    EXPECT_THROW(DepartmentDirectory::parse("Police | district | 公安 | Police\n", "d"), ConfigError);
    EXPECT_THROW(DepartmentDirectory::parse("# nothing\n", "d"), ConfigError);
}
