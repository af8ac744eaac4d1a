// Compiled as a map file: the map draws what the console hands it and never reads the store.
#include "store/database.h"
