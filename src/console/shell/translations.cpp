#include "console/shell/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

static void initTranslationResources()
{
  Q_INIT_RESOURCE(translations);
}

namespace gd::console {

QLocale localeFor(const QString &name)
{
  return name.isEmpty() ? QLocale::system() : QLocale(name);
}

QString installTranslations(QCoreApplication &app, const QLocale &locale)
{
  initTranslationResources();
  if (locale.language() != QLocale::Chinese)
    return QStringLiteral("en");

  // Parented to the application: translators must outlive every widget that uses them.
  auto *ours = new QTranslator(&app);
  if (!ours->load(QStringLiteral(":/i18n/griddispatch_zh_CN.qm")))
  {
    delete ours;
    return QStringLiteral("en");
  }
  app.installTranslator(ours);

  // Qt's own strings (standard buttons, file dialogs) come from qttranslations5-l10n.
  auto *qt = new QTranslator(&app);
#if QT_VERSION >= QT_VERSION_CHECK(6, 0, 0)
  const QString qtDir = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
#else
  const QString qtDir = QLibraryInfo::location(QLibraryInfo::TranslationsPath);
#endif
  if (qt->load(QStringLiteral("qtbase_zh_CN"), qtDir))
    app.installTranslator(qt);
  else
    delete qt;
  QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
  return QStringLiteral("zh_CN");
}

} // namespace gd::console
