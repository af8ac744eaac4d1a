#pragma once
// Simulated terminals' io_context on a thread of its own for the feed tests: call() runs code
// there and waits for its result; waitFor() polls a predicate there.

#include "feed/simterminal.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <future>
#include <thread>

namespace gd::feed::test {

class SimThread
{
  public:
    //! waitFor() gives up after \a patience (a failure must not hang), polling every \a every.
    explicit SimThread(std::chrono::milliseconds patience = std::chrono::seconds(8),
                       std::chrono::milliseconds every = std::chrono::milliseconds(5))
      : mPatience(patience)
      , mEvery(every)
      , mWork(boost::asio::make_work_guard(mIo))
      , mThread([this] { mIo.run(); })
    {
    }
    ~SimThread()
    {
      mWork.reset();
      mIo.stop();
      mThread.join();
    }

    template<typename F>
    auto call(F f)
    {
      std::packaged_task<decltype(f())()> task(std::move(f));
      auto result = task.get_future();
      boost::asio::post(mIo, [&task] { task(); });
      return result.get();
    }

    //! Polls \a predicate on the io thread until it holds (false after the patience ran out).
    template<typename F>
    bool waitFor(F predicate)
    {
      return waitFor(predicate, mPatience);
    }

    template<typename F>
    bool waitFor(F predicate, std::chrono::milliseconds timeout)
    {
      const auto until = std::chrono::steady_clock::now() + timeout;
      while (!call(predicate))
      {
        if (std::chrono::steady_clock::now() > until)
          return false;
        std::this_thread::sleep_for(mEvery);
      }
      return true;
    }

    boost::asio::io_context mIo;
    boost::asio::ssl::context mTls{boost::asio::ssl::context::tls_client};
    SimCounters mCounters;

  private:
    std::chrono::milliseconds mPatience;
    std::chrono::milliseconds mEvery;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> mWork;
    std::thread mThread;
};

} // namespace gd::feed::test
