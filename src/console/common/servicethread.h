#pragma once
// A service object that owns a store connection, run on a thread of its own so the GUI never
// waits on the disk. post() queues a job; call() hands its result back to a QObject's thread
// (the GUI) through a queued call. Jobs run one at a time, in order; the service is created
// and destroyed on the thread, since an SQLite connection stays with the thread that uses it.
// A job that throws does not end the program: the service thread goes on with the next job and
// the failure is reported (stderr, and failed() on the thread that made the ServiceThread).

#include "core/workerthread.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtGlobal>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace gd::console {

template <typename Service>
class ServiceThread
{
  public:
    using Opener = std::function<std::unique_ptr<Service>()>;

    //! Opens the service with \a open on the thread; error() receives what it threw.
    explicit ServiceThread(Opener open)
      : mOpen(std::move(open))
    {
      // Results are handed over through an object of the thread that made the service (the
      // GUI's): whether their receiver still lives is asked there, not on the service thread,
      // where a QPointer cannot be read safely while the receiver is being deleted.
      mHandOver = std::make_unique<QObject>();
      mThread.start();
      std::unique_lock lock(mThread.mutex());
      mIdle.wait(lock, [this] { return mStarted; });
    }

    //! Runs the jobs posted so far, then closes the service on its thread.
    ~ServiceThread() { mThread.stop(); }

    //! Called on the thread that made the service with what a job threw (after stderr).
    void onFailure(std::function<void(const QString &)> handler) { mFailureHandler = std::move(handler); }

    ServiceThread(const ServiceThread &) = delete;
    ServiceThread &operator=(const ServiceThread &) = delete;

    //! False when the service could not be opened (see error()).
    bool isOpen() const
    {
      std::lock_guard lock(mThread.mutex());
      return mService != nullptr;
    }

    QString error() const
    {
      std::lock_guard lock(mThread.mutex());
      return mError;
    }

    //! Runs \a job on the service thread (dropped when the service is not open).
    void post(std::function<void(Service &)> job)
    {
      {
        std::lock_guard lock(mThread.mutex());
        if (!mService)
          return;
        mJobs.push_back(std::move(job));
      }
      mThread.notify();
    }

    /**
     * Runs \a job on the service thread and \a done with its result on \a context's thread
     * (dropped if \a context is gone by then).
     */
    template <typename Result>
    void call(std::function<Result(Service &)> job, QObject *context, std::function<void(Result)> done)
    {
      QPointer<QObject> guard(context);
      QObject *handOver = mHandOver.get();
      post([job = std::move(job), guard, handOver, done = std::move(done)](Service &service) mutable {
        Result result = job(service);
        // handOver lives until this thread is joined; guard is only read on its thread.
        QMetaObject::invokeMethod(
          handOver,
          [guard, result = std::move(result), done = std::move(done)]() mutable {
            if (guard)
              done(std::move(result));
          },
          Qt::QueuedConnection);
      });
    }

    //! Blocks until every job posted so far has run (tests, shutdown).
    void drain()
    {
      std::unique_lock lock(mThread.mutex());
      mIdle.wait(lock, [this] { return mJobs.empty() && !mBusy; });
    }

  private:
    //! The thread's round: the first opens the service, each other runs one job.
    core::WorkerThread::Next round()
    {
      if (!mStarted)
        return open();
      std::function<void(Service &)> job;
      Service *service = nullptr;
      {
        std::lock_guard lock(mThread.mutex());
        if (mJobs.empty())
          return core::WorkerThread::Next::whenWoken();
        job = std::move(mJobs.front());
        mJobs.pop_front();
        mBusy = true;
        service = mService.get();
      }
      try
      {
        job(*service);
      }
      catch (const std::exception &e)
      {
        reportFailure(QString::fromUtf8(e.what()));
      }
      catch (...)
      {
        reportFailure(QStringLiteral("unknown exception"));
      }
      {
        std::lock_guard lock(mThread.mutex());
        mBusy = false;
      }
      mIdle.notify_all();
      return core::WorkerThread::Next::whenWoken();
    }

    core::WorkerThread::Next open()
    {
      std::unique_ptr<Service> service;
      QString error;
      try
      {
        service = mOpen();
      }
      catch (const std::exception &e)
      {
        error = QString::fromUtf8(e.what());
      }
      const bool opened = service != nullptr;
      {
        std::lock_guard lock(mThread.mutex());
        mService = std::move(service);
        mError = error;
        mStarted = true;
      }
      mIdle.notify_all();
      return opened ? core::WorkerThread::Next::whenWoken() : core::WorkerThread::Next::done();
    }

    core::WorkerThread::Options threadOptions()
    {
      core::WorkerThread::Options options;
      options.hasWork = [this] { return !mJobs.empty(); };
      options.drainOnStop = true; // every job posted runs
      // The connection is closed on the thread that used it.
      options.atExit = [this] {
        std::unique_ptr<Service> service;
        {
          std::lock_guard lock(mThread.mutex());
          service = std::move(mService);
        }
      };
      return options;
    }

    void reportFailure(const QString &what)
    {
      qWarning("griddispatch: a job of a service thread failed: %s", qUtf8Printable(what));
      QMetaObject::invokeMethod(
        mHandOver.get(),
        [this, what] {
          if (mFailureHandler)
            mFailureHandler(what);
        },
        Qt::QueuedConnection);
    }

    std::unique_ptr<QObject> mHandOver; //!< destroyed after the thread was joined (declared first)
    std::function<void(const QString &)> mFailureHandler;
    Opener mOpen;
    std::condition_variable mIdle; //!< on mThread's mutex, which guards the members below
    std::deque<std::function<void(Service &)>> mJobs;
    bool mStarted = false;
    bool mBusy = false;
    QString mError;
    std::unique_ptr<Service> mService;
    //! Last: stopped (by the destructor) before what it uses goes.
    core::WorkerThread mThread{"service thread", [this] { return round(); }, threadOptions()};
};

} // namespace gd::console
