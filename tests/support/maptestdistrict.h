#pragma once
// A small demo district written to a real store file, shared by the map tests.

#include "core/demodistrict.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace gd::maptest {

struct StoreFixture
{
  QTemporaryDir dir;
  //! The store: a GeoPackage file, or (GD_TEST_STORE=postgresql) a database's connection string.
  QString path;
  core::DemoDistrict district;
  std::shared_ptr<void> database; //!< the test database (PostgreSQL runs), dropped with the fixture
  std::string databaseName;        //!< its name (PostgreSQL runs)
};

//! Generates a small district (3 townships … 130 micro-grids) and writes it to a new store.
std::unique_ptr<StoreFixture> makeStore();

} // namespace gd::maptest
