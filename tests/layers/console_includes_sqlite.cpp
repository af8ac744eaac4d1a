// Compiled as a console file: the console reaches the store through src/store's typed
// functions and never talks SQL itself (issue 15).
#include <sqlite3.h>
