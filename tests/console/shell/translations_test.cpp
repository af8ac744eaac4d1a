// The zh_CN translation is complete and is what a Chinese locale gets.
#include "console/dispatch/casequeuemodel.h"
#include "console/mainwindow.h"
#include "console/command/commandcontroller.h"
#include "console/command/commandservice.h"
#include "console/dispatch/dispatchcontroller.h"
#include "console/field/fieldcontroller.h"
#include "console/mapview/mapviewcontroller.h"
#include "console/session/consolesession.h"
#include "console/shell/translations.h"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDomDocument>
#include <QFile>

TEST(Translations, EveryMessageIsTranslated)
{
  QFile file(QStringLiteral(GD_SOURCE_DIR "/resources/i18n/griddispatch_zh_CN.ts"));
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  QDomDocument document;
  ASSERT_TRUE(document.setContent(&file));
  const QDomNodeList messages = document.elementsByTagName(QStringLiteral("message"));
  ASSERT_GT(messages.size(), 10);
  QStringList untranslated;
  for (int i = 0; i < messages.size(); ++i)
  {
    const QDomElement message = messages.at(i).toElement();
    const QDomElement translation = message.firstChildElement(QStringLiteral("translation"));
    const QString type = translation.attribute(QStringLiteral("type"));
    if (type == QLatin1String("vanished") || type == QLatin1String("obsolete"))
      continue;
    if (translation.text().trimmed().isEmpty() || type == QLatin1String("unfinished"))
      untranslated << message.firstChildElement(QStringLiteral("source")).text();
  }
  EXPECT_TRUE(untranslated.isEmpty()) << "untranslated: " << untranslated.join(" | ").toStdString();
}

TEST(Translations, EnglishLocaleKeepsSourceStrings)
{
  EXPECT_EQ(gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English)), "en");
  gd::console::MainWindow window;
  EXPECT_TRUE(window.windowTitle().startsWith(QLatin1String("GridDispatch")));
}

TEST(Translations, ChineseLocaleGetsChineseWindow)
{
  ASSERT_EQ(gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QStringLiteral("zh_CN"))), "zh_CN");
  gd::console::MainWindow window;
  EXPECT_TRUE(window.windowTitle().contains(QStringLiteral("网格综治指挥台"))) << window.windowTitle().toStdString();
  EXPECT_EQ(window.dispatch()->caseQueueModel()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("案件编号"));
}
