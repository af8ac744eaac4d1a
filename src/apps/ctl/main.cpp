// griddispatch-ctl: the administrator's command line.
#include "apps/common/commandline.h"
#include "apps/ctl/auditcommands.h"
#include "apps/ctl/backupcommands.h"
#include "apps/ctl/accountcommands.h"
#include "apps/ctl/ctlcommands.h"
#include "apps/ctl/importcommands.h"
#include "apps/ctl/supervisecommands.h"

#include <iostream>
#include <string>

int main(int argc, char **argv)
{
  gd::apps::CommandLine cli("griddispatch-ctl", "COMMAND [ARGS] --db STORE [--json]",
                            "Administer a GridDispatch store: create it, import grid boundaries, provision\n"
                            "terminals, query and export cases.\n\n"
                            "Commands:\n"
                            "  init                      create a new store (or migrate an old one); STORE is a\n"
                            "                            FILE.gpkg or a PostgreSQL database (postgresql://…)\n"
                            "  copy --from S --to S      copy a whole store into a new one, file to database or\n"
                            "                            back; refuses a target holding data; checks both digests\n"
                            "  import-grids FILE         import grid boundaries (GeoPackage, GeoJSON, Shapefile;\n"
                            "                            any CRS, reprojected to CGCS2000); imports nothing when\n"
                            "                            the topology report finds a problem\n" +
                              std::string(gd::apps::ctl::importCommandsHelp()) +
                            "\n"
                            "  categories                list the active category catalog\n"
                            "  cases                     list cases (filters as in the console)\n"
                            "  case NUMBER               one case with its events\n"
                            "  overdue                   overdue counts per grid (--level, --grid, --now)\n"
                            "  kpi                       key performance indicators (--from, --to, --grid, --dept)\n"
                            "  export                    export cases as CSV (same filters as cases; --out FILE)\n"
                            "  device add ID --worker W  provision a field terminal; prints its token once\n"
                            "  device list               list field terminals\n"
                            "  device revoke ID          revoke a field terminal\n"
                            "  demo-district             write the demo district (肃州区, CGCS2000) into a new store;\n"
                            "                            --seed N, --terminals N --credentials FILE for griddispatch-sim\n"
                            "  verify                    check the audit trail: integrity, foreign keys,\n"
                            "                            every case equal to the replay of its events, the hash\n"
                            "                            chain of every history and of the audit log, the append-only\n"
                            "                            triggers, grid references; prints the data digest (equal\n"
                            "                            on a copy)\n"
                            "  calendar status           the holiday schedules loaded; warns (exit 3) when this\n"
                            "                            year's, or from December next year's, is missing\n"
                            "  calendar import FILE.ics  the State Council's holiday schedule from an iCalendar\n"
                            "                            file into the configuration (--year Y, --replace)\n" +
                              std::string(gd::apps::ctl::supervisionCommandsHelp()) +
                            "\n" + std::string(gd::apps::ctl::auditCommandsHelp()) +
                              std::string(gd::apps::ctl::backupCommandsHelp()) +
                              std::string(gd::apps::ctl::accountCommandsHelp()) +
                            "\nChanging commands (imports, export, device, calendar import, supervise, emergency,\n"
                            "copy, account, seat, backup, restore) leave a row in the store's audit log with the OS user and this host.");
  gd::apps::ctl::declareOptions(cli);
  if (const auto exitCode = cli.handleStandard(cli.parse(argc, argv)))
    return *exitCode;
  return gd::apps::ctl::run(cli, std::cout, std::cerr);
}
