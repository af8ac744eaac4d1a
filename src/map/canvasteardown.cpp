#include "map/canvasteardown.h"

#include <qgsmapcanvas.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEvent>
#include <QThreadPool>

#include <algorithm>

namespace gd::map {

void finishRenderJobs(std::initializer_list<QgsMapCanvas *> canvases, int timeoutMs)
{
  for (QgsMapCanvas *canvas : canvases)
    if (canvas)
      canvas->cancelJobs();
  // A detached job runs in stages (layers, then labels), each a future of the global pool whose
  // end is a posted QFutureCallOutEvent that starts the next stage or ends the job: wait and
  // deliver until the pool is idle and nothing is left to deliver.
  QDeadlineTimer deadline(timeoutMs);
  do
  {
    QThreadPool::globalInstance()->waitForDone(static_cast<int>(std::max<qint64>(deadline.remainingTime(), 0)));
    QCoreApplication::sendPostedEvents(nullptr, QEvent::FutureCallOut);
  } while (QThreadPool::globalInstance()->activeThreadCount() > 0 && !deadline.hasExpired());
}

} // namespace gd::map
