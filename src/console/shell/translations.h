#pragma once

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace gd::console {

/**
 * Installs the console's translation (and Qt's own, for standard dialogs) for \a locale.
 *
 * Chinese locales (zh_CN, zh_Hans…, and any other zh) get the zh_CN translation; every
 * other locale keeps the English source strings. Returns the language actually installed:
 * "zh_CN" or "en".
 */
QString installTranslations(QCoreApplication &app, const QLocale &locale);

//! Returns the locale an operator asked for with --lang, or the system locale when \a name is empty.
QLocale localeFor(const QString &name);

} // namespace gd::console
