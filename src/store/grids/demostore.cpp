#include "store/grids/demostore.h"

#include "store/database.h"
#include "store/feed/deviceregistry.h"
#include "store/grids/gridstore.h"
#include "store/grids/poistore.h"
#include "store/timetext.h"
#include "store/writescope.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gd::store {

void writeDemoDistrict(Database &db, const core::DemoDistrict &district)
{
  // Its own transaction, or a savepoint in the caller's (a bare SAVEPOINT starts a transaction
  // in SQLite but is refused outside one by PostgreSQL).
  WriteScope scope(db);
  GridStore(db).replaceAll(district.tree);
  PoiStore pois(db);
  for (const core::DemoPoi &demo : district.pois)
  {
    Poi poi;
    poi.kind = demo.kind;
    poi.name = demo.name;
    poi.point = demo.point;
    poi.streamUrl = demo.streamUrl;
    poi.attributes["grid"] = demo.gridCode;
    for (const auto &[key, value] : demo.attributes)
      poi.attributes[key] = value;
    pois.add(poi);
  }
  scope.commit();
}

std::vector<DemoTerminal> provisionDemoTerminals(Database &db, const core::DemoDistrict &district, int count)
{
  std::vector<std::pair<const core::GridPerson *, core::GeoPoint>> workers;
  for (const core::GridNode *grid : district.tree.nodesAt(core::GridLevel::Grid))
  {
    // The vertex mean of a (convex, Voronoi) grid cell lies inside it.
    core::GeoPoint home{0, 0};
    const core::Ring &ring = grid->area.front().outer;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    {
      home.lon += ring[i].lon / static_cast<double>(ring.size() - 1);
      home.lat += ring[i].lat / static_cast<double>(ring.size() - 1);
    }
    for (const core::GridPerson &worker : grid->workers)
      workers.emplace_back(&worker, home);
  }
  if (count < 0 || static_cast<std::size_t>(count) > workers.size())
    throw std::invalid_argument("the demo district has " + std::to_string(workers.size()) + " grid workers, " +
                                std::to_string(count) + " terminals were asked for");
  std::vector<DemoTerminal> terminals;
  DeviceRegistry devices(db);
  for (int i = 0; i < count; ++i)
  {
    const auto &[worker, home] = workers[static_cast<std::size_t>(i) * workers.size() / static_cast<std::size_t>(count)];
    char id[16];
    std::snprintf(id, sizeof id, "HS-%05d", i + 1);
    terminals.push_back({id, devices.add(id, worker->id, nowUtc()), home});
  }
  return terminals;
}

void writeSimCredentials(const std::filesystem::path &path, const std::vector<DemoTerminal> &terminals)
{
  // The tokens are secrets: the file is created (or truncated) readable by its owner only,
  // before a byte is written. An existing file keeps its owner and group bits (0640 for a
  // group that runs the simulator) but loses any access for others.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error(path.string() + ": cannot write the terminals' credentials: " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 0007) != 0)
    (void)::fchmod(fd, st.st_mode & 0770);
  ::close(fd);
  std::ofstream file(path);
  file.precision(10);
  file << "# griddispatch-sim credentials: DEVICE TOKEN HOME_LON HOME_LAT (CGCS2000). Keep this file secret.\n";
  for (const DemoTerminal &terminal : terminals)
    file << terminal.device << ' ' << terminal.token << ' ' << terminal.home.lon << ' ' << terminal.home.lat << '\n';
  if (!file)
    throw std::runtime_error(path.string() + ": cannot write the terminals' credentials");
}

} // namespace gd::store
