#pragma once

#include "core/gridtree.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gd::store {

class Database;

//! How to read a grid boundary file.
struct GridImportOptions
{
  std::string codeField = "code"; //!< attribute holding the 6..18-digit grid code
  std::string nameField = "name"; //!< attribute holding the grid's name
  std::string parentField;        //!< optional attribute holding the parent code, checked against the code
  /**
   * Relative tolerance for the topology checks: an overlap, gap or spill smaller than this
   * share of the parent's (or the smaller sibling's) area is ignored (reprojection noise).
   */
  double areaTolerance = 1e-6;
};

//! What an import found; nothing is written when problems is not empty.
struct GridImportReport
{
  std::string source;                 //!< the file
  std::string sourceCrs;              //!< e.g. "EPSG:4547" or the CRS name
  std::size_t features = 0;           //!< features read over all layers
  std::size_t perLevel[5] = {0, 0, 0, 0, 0};
  std::vector<std::string> problems;  //!< one line each, naming the layer, feature and code
  bool imported = false;
  std::size_t workersCarried = 0;     //!< grid workers kept from the stored grids with the same code
  std::size_t leadersCarried = 0;     //!< grid leaders kept likewise


  bool ok() const { return problems.empty(); }
};

/**
 * Imports grid boundaries — GeoPackage, GeoJSON, Shapefile or anything else OGR reads, in any
 * CRS (EPSG:4490, its Gauss-Krüger zones EPSG:4513..4554, WGS84, ...) — reprojected to
 * CGCS2000 (EPSG:4490) lon/lat with OGR's coordinate transformation. Every layer of the file
 * is read; the file must hold the whole tree (it replaces the stored grids).
 *
 * Topology checks, using OGR geometry operations (GEOS underneath): unreadable or empty
 * geometries, invalid polygons, bad codes, duplicate codes, missing parents, codes not
 * matching the parent field, children outside their parent, overlapping siblings, and gaps
 * between siblings that leave part of their parent uncovered. Anything wrong imports nothing.
 */
class GridImporter
{
  public:
    explicit GridImporter(GridImportOptions options = {});
    /**
     * Reads and checks \a file; fills \a tree only when the report is ok. Never writes.
     * Throws nothing for bad data: every problem goes into the report.
     */
    GridImportReport read(const std::filesystem::path &file, core::GridTree &tree) const;
    /**
     * read() and, when everything is right, replaces the grids of \a db in one transaction.
     * The leaders, workers and households of grids whose code stays are carried over; an
     * import that would leave a case or a grid worker with a grid code no longer stored is
     * refused (named in the report), as is a district outside China or smaller than 1 km².
     */
    GridImportReport import(const std::filesystem::path &file, Database &db) const;

  private:
    GridImportOptions mOptions;
};

} // namespace gd::store
