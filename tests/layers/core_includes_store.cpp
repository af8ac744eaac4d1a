// Compiled as a core file: core is the bottom layer and sees no other.
#include "store/database.h"
