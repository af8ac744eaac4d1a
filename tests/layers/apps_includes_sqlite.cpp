// Compiled as a file of griddispatch-ctl, the program closest to the store: the programs reach
// it through src/store's typed functions and never talk SQL themselves (issue 15).
#include <sqlite3.h>
