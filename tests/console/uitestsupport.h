#pragma once
// What the console's GUI tests share: waiting for a condition while events are processed, and
// the zh_CN translation installed for the length of a test.

#include "console/shell/translations.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLocale>
#include <QTranslator>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

namespace gd::consoletest {

//! Processes events until \a condition holds (true) or \a timeoutMs passed (false).
inline bool waitFor(const std::function<bool()> &condition, int timeoutMs = 10000)
{
  QElapsedTimer timer;
  timer.start();
  while (!condition())
  {
    if (timer.elapsed() > timeoutMs)
      return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

//! The zh_CN translation and locale while it lives (the console's own .qm, as --lang zh_CN
//! installs it), English again afterwards.
class ChineseUi
{
  public:
    ChineseUi()
    {
      gd::console::installTranslations(*QCoreApplication::instance(), QLocale(QLocale::English)); // loads the resources
      EXPECT_TRUE(mTranslator.load(QStringLiteral(":/i18n/griddispatch_zh_CN.qm")));
      QCoreApplication::installTranslator(&mTranslator);
      QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    }
    ~ChineseUi()
    {
      QCoreApplication::removeTranslator(&mTranslator);
      QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
    ChineseUi(const ChineseUi &) = delete;
    ChineseUi &operator=(const ChineseUi &) = delete;

  private:
    QTranslator mTranslator;
};

} // namespace gd::consoletest
