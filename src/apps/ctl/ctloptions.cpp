#include "apps/ctl/ctloptions.h"

namespace gd::apps::ctl {

std::filesystem::path dbPath(const CommandLine &cli)
{
  const auto db = cli.value("db");
  if (!db || db->empty())
    throw UsageError("--db FILE is required (the store file)");
  return *db;
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
