#include "testconfig.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace gd::core::test {

std::string configPath(const std::string &relative)
{
    return std::string(GD_SOURCE_DIR) + "/resources/config/" + relative;
}

std::string readConfig(const std::string &relative)
{
    std::ifstream in(configPath(relative), std::ios::binary);
    if (!in)
        ADD_FAILURE() << "cannot read " << configPath(relative);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const CategoryCatalog &catalog()
{
    static const CategoryCatalog c = CategoryCatalog::parse(readConfig("catalog.conf"), configPath("catalog.conf"));
    return c;
}

const DepartmentDirectory &departments()
{
    static const DepartmentDirectory d =
        DepartmentDirectory::parse(readConfig("departments.conf"), configPath("departments.conf"));
    return d;
}

const WorkCalendar &calendar()
{
    static const WorkCalendar cal = [] {
        WorkCalendar c;
        c.parseSettings(readConfig("calendar/calendar.conf"), configPath("calendar/calendar.conf"));
        for (const char *year : {"calendar/2025.cal", "calendar/2026.cal"})
            c.addYear(readConfig(year), configPath(year));
        return c;
    }();
    return cal;
}

namespace {

Polygon square(double x0, double y0, double w, double h)
{
    return Polygon{{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}, {x0, y0}}, {}};
}

std::string seg(int i)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", i % 1000);
    return buf;
}

} // namespace

GridTree makeLatticeTree(int townships, int communities, int grids, int micros, double cell)
{
    // Each level is a horizontal strip of its children: micro-grids are cell×cell squares.
    GridTree tree;
    const double x0 = 98.5, y0 = 39.7;
    const double gridW = cell * micros;
    const double communityW = gridW * grids;
    const double townshipW = communityW * communities;
    const auto add = [&](const std::string &code, const std::string &name, Polygon poly) {
        GridNode n{*GridCode::parse(code), name, {std::move(poly)}, std::nullopt, {}, 10};
        const std::string why = tree.add(std::move(n));
        if (!why.empty())
            ADD_FAILURE() << why;
    };
    add("620902", "肃州区", square(x0, y0, townshipW * townships, cell));
    for (int t = 1; t <= townships; ++t) {
        const std::string tc = "620902" + seg(t);
        const double tx = x0 + (t - 1) * townshipW;
        add(tc, "乡镇" + seg(t), square(tx, y0, townshipW, cell));
        for (int c = 1; c <= communities; ++c) {
            const std::string cc = tc + seg(c);
            const double cx = tx + (c - 1) * communityW;
            add(cc, "社区" + seg(c), square(cx, y0, communityW, cell));
            for (int g = 1; g <= grids; ++g) {
                const std::string gc = cc + seg(g);
                const double gx = cx + (g - 1) * gridW;
                add(gc, "网格" + seg(g), square(gx, y0, gridW, cell));
                for (int m = 1; m <= micros; ++m)
                    add(gc + seg(m), "微网格" + seg(m), square(gx + (m - 1) * cell, y0, cell, cell));
            }
        }
    }
    return tree;
}

void step(Case &c, CaseAction action, TimePoint at, CaseDetails data, std::string note)
{
    static const Workflow workflow(&departments());
    CaseCommand cmd{action, "tester", at, std::move(note), std::move(data)};
    if (const auto refusal = workflow.check(c, cmd)) {
        ADD_FAILURE() << "refused " << caseActionName(action) << ": " << refusal->reason;
        return;
    }
    c.apply(workflow.apply(c, cmd));
}

Case reportedCase(const std::string &number, const std::string &category, TimePoint at, const std::string &grid)
{
    Case c(number);
    step(c, CaseAction::Report, at,
         {.category = category,
          .lon = 98.5121,
          .lat = 39.7432,
          .grid = grid,
          .title = "test",
          .reporter = Reporter{"张三", "13800000000", {}}});
    return c;
}

} // namespace gd::core::test
