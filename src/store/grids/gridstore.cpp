#include "store/grids/gridstore.h"

#include "store/database.h"
#include "store/geopackage.h"
#include "store/storeerror.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <optional>

namespace gd::store {

namespace {

constexpr std::array<core::GridLevel, 5> kLevels = {core::GridLevel::District, core::GridLevel::Township,
                                                    core::GridLevel::Community, core::GridLevel::Grid,
                                                    core::GridLevel::MicroGrid};

// Statements per level, spelled out: table names are never built from input.
struct LevelSql
{
  const char *table;
  const char *insert;
  const char *select;
  const char *count;
  const char *clear;
};

constexpr std::array<LevelSql, 5> kSql = {{
#define GD_LEVEL_SQL(t)                                                                                                \
  {t, "INSERT INTO " t " (geom, code, name, parent_code, households, leader_id, leader_name, leader_phone) "          \
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",                                                                               \
   "SELECT code, name, geom, households, leader_id, leader_name, leader_phone FROM " t " ORDER BY code",              \
   "SELECT count(*) FROM " t, "DELETE FROM " t}
  GD_LEVEL_SQL("grid_district"),
  GD_LEVEL_SQL("grid_township"),
  GD_LEVEL_SQL("grid_community"),
  GD_LEVEL_SQL("grid_grid"),
  GD_LEVEL_SQL("grid_microgrid"),
#undef GD_LEVEL_SQL
}};

const LevelSql &sqlFor(core::GridLevel level)
{
  return kSql[static_cast<std::size_t>(level)];
}

} // namespace

GridStore::GridStore(Database &db)
  : mDb(db)
{}

const char *GridStore::tableName(core::GridLevel level)
{
  return sqlFor(level).table;
}

void GridStore::replaceAll(const core::GridTree &tree)
{
  std::optional<Transaction> own;
  if (!mDb.inTransaction())
    own.emplace(mDb, Transaction::Kind::Immediate);
  mDb.exec("DELETE FROM grid_workers");
  for (core::GridLevel level : kLevels)
  {
    mDb.exec(sqlFor(level).clear);
    double minX = std::numeric_limits<double>::max(), minY = minX;
    double maxX = std::numeric_limits<double>::lowest(), maxY = maxX;
    bool any = false;
    for (const core::GridNode *node : tree.nodesAt(level))
    {
      auto q = mDb.query(sqlFor(level).insert);
      q->bindBlob(1, geopackage::encodeMultiPolygon(node->area));
      q->bind(2, node->code.str()).bind(3, node->name);
      if (auto parent = node->code.parent())
        q->bind(4, parent->str());
      else
        q->bind(4, nullptr);
      q->bind(5, node->households);
      if (node->leader)
        q->bind(6, node->leader->id).bind(7, node->leader->name).bind(8, node->leader->phone);
      q.run();
      for (const core::GridPerson &worker : node->workers)
        mDb.query("INSERT INTO grid_workers (grid_code, worker_id, name, phone) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (grid_code, worker_id) DO UPDATE SET name = excluded.name, phone = excluded.phone")
          .bindAll(node->code.str(), worker.id, worker.name, worker.phone)
          .run();
      for (const core::Polygon &polygon : node->area)
        for (const core::GeoPoint &p : polygon.outer)
        {
          any = true;
          minX = std::min(minX, p.lon);
          maxX = std::max(maxX, p.lon);
          minY = std::min(minY, p.lat);
          maxY = std::max(maxY, p.lat);
        }
    }
    // The extent is GeoPackage metadata (gpkg_contents, where QGIS zooms to); PostGIS has no
    // such table: QGIS's postgres provider takes a layer's extent from the rows themselves.
    if (any && !mDb.isPostgres())
      geopackage::setExtent(mDb, sqlFor(level).table, minX, minY, maxX, maxY);
  }
  if (own)
    own->commit();
}

core::GridTree GridStore::load()
{
  std::map<std::string, std::vector<core::GridPerson>> workers;
  {
    auto q = mDb.query("SELECT grid_code, worker_id, name, phone FROM grid_workers ORDER BY grid_code, worker_id");
    while (q.step())
      workers[q->columnText(0)].push_back(core::GridPerson{q->columnText(1), q->columnText(2), q->columnText(3)});
  }
  core::GridTree tree;
  for (core::GridLevel level : kLevels)
  {
    auto q = mDb.query(sqlFor(level).select);
    while (q.step())
    {
      const std::string code = q->columnText(0);
      std::string why;
      auto gridCode = core::GridCode::parse(code, &why);
      if (!gridCode)
        throw StoreError(0, std::string(sqlFor(level).table) + ": stored grid code is invalid: " + why);
      core::GridNode node{*gridCode, q->columnText(1), {}, std::nullopt, {}, 0};
      node.area = geopackage::decodeMultiPolygon(q->columnBlob(2)).value_or(core::MultiPolygon{});
      node.households = static_cast<int>(q->columnInt(3));
      if (!q->isNull(4))
        node.leader = core::GridPerson{q->columnText(4), q->columnText(5), q->columnText(6)};
      if (auto it = workers.find(code); it != workers.end())
        node.workers = std::move(it->second);
      const std::string refused = tree.add(std::move(node));
      if (!refused.empty())
        throw StoreError(0, std::string(sqlFor(level).table) + ": " + refused);
    }
  }
  return tree;
}

std::set<std::string> GridStore::storedCodes()
{
  std::set<std::string> codes;
  for (core::GridLevel level : kLevels)
  {
    auto q = mDb.query(std::string("SELECT code FROM ") + sqlFor(level).table); // constant table names
    while (q.step())
      codes.insert(q->columnText(0));
  }
  return codes;
}

std::vector<std::string> GridStore::orphanedReferences(const std::set<std::string> &codes, std::size_t limit,
                                                       std::size_t *casesOut, std::size_t *workersOut)
{
  // One pass over cases (it may hold millions of rows); the grid codes are few and held here.
  static const char *const kColumns[] = {"grid_code",        "district_code",  "township_code",   "community_code",
                                         "grid_level3_code", "microgrid_code", "responsible_grid"};
  struct Missing
  {
    std::size_t rows = 0;
    std::string first;
  };
  std::map<std::pair<std::string, std::string>, Missing> missing; // (table.column, code)
  std::size_t orphanCases = 0, orphanWorkers = 0;
  {
    auto q = mDb.query("SELECT number, grid_code, district_code, township_code, community_code, grid_level3_code, "
                       "microgrid_code, responsible_grid FROM cases ORDER BY id");
    while (q.step())
    {
      bool orphan = false;
      for (int c = 0; c < 7; ++c)
      {
        if (q->isNull(c + 1))
          continue;
        const std::string code = q->columnText(c + 1);
        if (code.empty() || codes.count(code))
          continue;
        orphan = true;
        Missing &m = missing[{std::string("cases.") + kColumns[c], code}];
        if (m.rows++ == 0)
          m.first = "case " + q->columnText(0);
      }
      orphanCases += orphan ? 1 : 0;
    }
  }
  {
    auto q = mDb.query("SELECT grid_code, worker_id FROM grid_workers ORDER BY grid_code, worker_id");
    while (q.step())
    {
      const std::string code = q->columnText(0);
      if (codes.count(code))
        continue;
      ++orphanWorkers;
      Missing &m = missing[{"grid_workers.grid_code", code}];
      if (m.rows++ == 0)
        m.first = "worker " + q->columnText(1);
    }
  }
  if (casesOut)
    *casesOut = orphanCases;
  if (workersOut)
    *workersOut = orphanWorkers;
  std::vector<std::string> lines;
  for (const auto &[where, m] : missing)
  {
    if (lines.size() == limit)
    {
      lines.push_back("... and " + std::to_string(missing.size() - limit) + " more missing grid code(s)");
      break;
    }
    lines.push_back(where.first + " " + where.second + ": no such grid; " + std::to_string(m.rows) +
                    " row(s), the first " + m.first);
  }
  return lines;
}

std::size_t GridStore::count(core::GridLevel level)
{
  return static_cast<std::size_t>(mDb.scalarInt(sqlFor(level).count));
}

} // namespace gd::store
