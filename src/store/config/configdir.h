#pragma once

#include "core/catalog.h"
#include "core/departments.h"
#include "core/kpi.h"
#include "core/routing.h"
#include "core/workcalendar.h"

#include <filesystem>
#include <memory>
#include <string>

namespace gd::store {

//! The text of configuration file \a path; throws std::runtime_error naming it when unreadable.
std::string readConfigFile(const std::filesystem::path &path);

/**
 * The configuration files of a center read from one directory (resources/config layout):
 * catalog.conf, departments.conf, kpi.conf, routing.conf, calendar/calendar.conf and
 * calendar/<year>.cal. Core parses and validates; this only reads the files (core does no I/O).
 */
struct ConfigDirectory
{
  ConfigDirectory() = default;
  // routing refers to catalog beside it: a copy would suggest from the original's catalog.
  ConfigDirectory(const ConfigDirectory &) = delete;
  ConfigDirectory &operator=(const ConfigDirectory &) = delete;

  core::CategoryCatalog catalog;
  core::DepartmentDirectory departments;
  core::WorkCalendar calendar;
  core::KpiConfig kpi;
  //! Routing suggestions (分拨建议): the catalog's lead departments, overridden by routing.conf.
  core::Router routing{catalog};

  /**
   * Loads every file under \a dir (kpi.conf, routing.conf and the calendar are optional).
   * Throws core::ConfigError naming the file and line of a bad entry (in routing.conf also a
   * department missing from departments.conf), or std::runtime_error naming a file that
   * cannot be read.
   */
  static std::unique_ptr<ConfigDirectory> load(const std::filesystem::path &dir);
  //! The default directory: the source tree's resources/config in a build tree, else the installed one.
  static std::filesystem::path defaultPath();
};

} // namespace gd::store
