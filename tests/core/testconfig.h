#pragma once
// Loads the real configuration files from resources/config for core tests (tests may read files;
// core itself never does).

#include "core/catalog.h"
#include "core/caseworkflow.h"
#include "core/case.h"
#include "core/departments.h"
#include "core/gridtree.h"
#include "core/workcalendar.h"

#include <string>

namespace gd::core::test {

//! Path of a file under resources/config.
std::string configPath(const std::string &relative);
//! The whole text of a file under resources/config (fails the test when missing).
std::string readConfig(const std::string &relative);

const CategoryCatalog &catalog();
const DepartmentDirectory &departments();
//! calendar.conf + every <year>.cal shipped (2025, 2026).
const WorkCalendar &calendar();

//! A small synthetic grid tree: district 620902, townships ...001/002, each with communities,
//! grids and micro-grids laid out as a regular lattice of squares starting at (98.5, 39.7).
GridTree makeLatticeTree(int townships, int communitiesPerTownship, int gridsPerCommunity, int microPerGrid,
                         double cellDegrees = 0.001);

//! Runs \a command through the workflow and applies the event; fails the test on refusal.
void step(Case &c, CaseAction action, TimePoint at, CaseDetails data = {},
          std::string note = {});
//! A reported case of \a category at \a at in micro-grid \a grid.
Case reportedCase(const std::string &number, const std::string &category, TimePoint at,
                  const std::string &grid = "620902001001001001");

} // namespace gd::core::test
