// Compiled as a feed file: the feed stays free of SQLite (ingest joins the two).
#include "store/database.h"
