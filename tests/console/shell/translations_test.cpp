// The zh_CN translation is complete and is what a Chinese locale gets.
#include "console/dispatch/casequeuemodel.h"
#include "console/dispatch/intakedialog.h"
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
#include <QAbstractButton>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

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

// The intake form comes from ui/intakedialog.ui, whose strings are translated in the form's
// own context (IntakeDialog), not the class's: every text the operator sees is Chinese.
TEST(Translations, TheIntakeFormIsChineseThroughout)
{
  ASSERT_EQ(gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QStringLiteral("zh_CN"))), "zh_CN");
  gd::console::IntakeDialog dialog({{QStringLiteral("0603"), QStringLiteral("群体性事件"), QStringLiteral("突发事件")}});
  EXPECT_EQ(dialog.windowTitle(), QStringLiteral("新登记（12345 / 110 / 来访）"));
  EXPECT_EQ(dialog.findChild<QLabel *>(QStringLiteral("sourceLabel"))->text(), QStringLiteral("来源"));
  EXPECT_EQ(dialog.findChild<QLabel *>(QStringLiteral("locationLabel"))->text(), QStringLiteral("未设置"));
  EXPECT_EQ(dialog.findChild<QPushButton *>(QStringLiteral("submitButton"))->text(), QStringLiteral("登记为新案件"));
  // No Latin letter anywhere: a string left in the wrong context would show in English.
  const QRegularExpression latin(QStringLiteral("[A-Za-z]"));
  QStringList english;
  const auto check = [&](const QString &what, const QString &text) {
    if (text.contains(latin))
      english << what + QStringLiteral(": ") + text;
  };
  check(QStringLiteral("title"), dialog.windowTitle());
  for (const QLabel *label : dialog.findChildren<QLabel *>())
    check(label->objectName(), label->text());
  for (const QAbstractButton *button : dialog.findChildren<QAbstractButton *>())
    check(button->objectName(), button->text());
  for (const QGroupBox *box : dialog.findChildren<QGroupBox *>())
    check(box->objectName(), box->title());
  for (const QLineEdit *edit : dialog.findChildren<QLineEdit *>())
    check(edit->objectName(), edit->placeholderText());
  for (const QComboBox *combo : dialog.findChildren<QComboBox *>())
    for (int i = 0; i < combo->count(); ++i)
      if (combo->objectName() != QLatin1String("categoryCombo")) // the store's own names
        check(combo->objectName(), combo->itemText(i));
  EXPECT_TRUE(english.isEmpty()) << english.join(QStringLiteral(" | ")).toStdString();
}
