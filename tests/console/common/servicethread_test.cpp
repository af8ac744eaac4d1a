// The console's service threads: a job that throws is reported and the thread goes on (it used
// to reach std::terminate and end the console), and a result whose receiver is gone is dropped
// on the receiver's thread.
#include "console/common/servicethread.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

using gd::console::ServiceThread;

namespace {

struct Counter
{
  int runs = 0;
};

void spin(int ms)
{
  QElapsedTimer timer;
  timer.start();
  while (timer.elapsed() < ms)
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

TEST(ServiceThread, AJobThatThrowsIsReportedAndTheNextJobsStillRun)
{
  ServiceThread<Counter> thread([] { return std::make_unique<Counter>(); });
  ASSERT_TRUE(thread.isOpen());
  QStringList failures;
  thread.onFailure([&](const QString &what) { failures << what; });
  thread.post([](Counter &c) {
    ++c.runs;
    throw std::runtime_error("database disk image is malformed");
  });
  int seen = 0;
  QObject receiver;
  thread.call<int>([](Counter &c) { return ++c.runs; }, &receiver, [&](int runs) { seen = runs; });
  thread.drain();
  spin(100);
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(failures, QStringList{QStringLiteral("database disk image is malformed")});
}

TEST(ServiceThread, AResultWhoseReceiverIsGoneIsDropped)
{
  ServiceThread<Counter> thread([] { return std::make_unique<Counter>(); });
  bool delivered = false;
  auto receiver = std::make_unique<QObject>();
  thread.call<int>([](Counter &c) { return ++c.runs; }, receiver.get(), [&](int) { delivered = true; });
  thread.drain();
  receiver.reset(); // the result is queued, its receiver deleted before it is delivered
  spin(100);
  EXPECT_FALSE(delivered);
  // And one whose receiver lives arrives.
  QObject alive;
  thread.call<int>([](Counter &c) { return ++c.runs; }, &alive, [&](int) { delivered = true; });
  thread.drain();
  spin(100);
  EXPECT_TRUE(delivered);
}

TEST(ServiceThread, AServiceThatCannotOpenSaysWhy)
{
  ServiceThread<Counter> thread([]() -> std::unique_ptr<Counter> { throw std::runtime_error("no such store"); });
  EXPECT_FALSE(thread.isOpen());
  EXPECT_EQ(thread.error(), QStringLiteral("no such store"));
}
