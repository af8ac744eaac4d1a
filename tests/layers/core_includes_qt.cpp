// Compiled as a core file: core is plain C++, so Qt's headers must not be found.
#include <QString>
