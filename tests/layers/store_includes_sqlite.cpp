// The control for the sqlite3.h probes: a store file includes it, so those probes fail only
// because of the header the console and the programs are given in its place.
#include <sqlite3.h>

int storeIncludesSqliteProbe()
{
  return sqlite3_libversion_number() > 0;
}
