// Compiled as a store file: the store knows nothing of the network.
#include "feed/gateway.h"
