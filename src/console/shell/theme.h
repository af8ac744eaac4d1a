#pragma once

#include <QString>

namespace gd::console {

/**
 * Applies the console's theme to the whole application: "light" (the default) or "dark", for
 * a twelve-hour night shift in a dim hall. Both use the Fusion style so they look alike on
 * every desktop. Unknown names fall back to light.
 */
void applyTheme(const QString &name);
//! The theme applied last ("light" or "dark").
QString currentTheme();

} // namespace gd::console
