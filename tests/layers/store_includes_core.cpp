// The control: a store file sees its own headers and core's, so the probes above fail only
// because of the include they try.
#include "core/timeutil.h"
#include "store/database.h"

int storeIncludesCoreProbe()
{
  return 0;
}
