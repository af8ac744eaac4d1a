#pragma once

#include <QHash>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

class QgsVectorLayer;

namespace gd::map {

//! What the map shows of one field worker (网格员): a value from the store or a feed batch.
struct WorkerPin
{
  enum class Status
  {
    Online,     //!< reporting positions and moving
    Stationary, //!< reporting positions, has not moved for a while
    Offline,    //!< no recent fix or terminal disconnected
  };

  QString workerId;
  QString name;
  QString phone;
  QString grid;        //!< the grid (网格) the worker is responsible for
  double lon = 0;      //!< CGCS2000
  double lat = 0;
  qint64 lastFix = 0;  //!< seconds since the epoch (UTC)
  Status status = Status::Offline;
};

//! Returns "online", "stationary" or "offline".
QString workerStatusName(WorkerPin::Status status);

/**
 * Field workers' live positions: a marker per worker coloured by status (online, stationary,
 * offline), labelled with name and last-fix age when zoomed in. A memory layer changed in
 * place, like the case pins. GUI thread only.
 */
class WorkerLayer
{
  public:
    WorkerLayer();
    ~WorkerLayer();

    QgsVectorLayer *layer() const { return mLayer.get(); }

    //! Adds or moves the workers of \a pins (by worker id).
    void apply(const std::vector<WorkerPin> &pins);

    std::optional<WorkerPin> worker(const QString &workerId) const;
    int count() const { return mWorkers.size(); }

  private:
    std::unique_ptr<QgsVectorLayer> mLayer;
    struct Entry
    {
      WorkerPin pin;
      qint64 fid = -1;
    };
    QHash<QString, Entry> mWorkers;
};

} // namespace gd::map
