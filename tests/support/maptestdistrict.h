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
  QString path;
  core::DemoDistrict district;
};

//! Generates a small district (3 townships … 130 micro-grids) and writes it to a new store.
std::unique_ptr<StoreFixture> makeStore();

} // namespace gd::maptest
