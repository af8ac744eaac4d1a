#include "apps/ctl/ctloptions.h"

#include "store/storeerror.h"

namespace gd::apps::ctl {

store::StoreLocation dbLocation(const CommandLine &cli)
{
  const auto db = cli.value("db");
  if (!db || db->empty())
    throw UsageError("--db is required: the store file (FILE.gpkg) or database (postgresql://…)");
  try
  {
    return store::StoreLocation::parse(*db);
  }
  catch (const store::StoreError &e)
  {
    throw UsageError(e.what()); // says what is wrong, without the password
  }
}

std::filesystem::path dbPath(const CommandLine &cli)
{
  const store::StoreLocation location = dbLocation(cli);
  if (location.isPostgres())
    throw UsageError("this command writes a GeoPackage file: give --db FILE.gpkg (copy it into a database "
                     "afterwards with 'griddispatch-ctl copy --from FILE.gpkg --to " + location.display() + "')");
  return location.path();
}

core::TimePoint timeOption(const CommandLine &cli, const std::string &name, core::TimePoint fallback)
{
  const auto text = cli.value(name);
  if (!text)
    return fallback;
  if (auto t = core::parseRfc3339(*text))
    return *t;
  if (auto d = core::parseDate(*text))
    return core::beijingTime(*d);
  throw UsageError("--" + name + " '" + *text + "' is not a time: use 2026-11-21T09:30:00+08:00 or a date 2026-11-21");
}

} // namespace gd::apps::ctl
