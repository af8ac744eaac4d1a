#pragma once

#include <QString>

namespace gd::map {

/**
 * What the map needs of one case: a value copied from the store or a change batch, never a
 * pointer into either, so batches can cross threads and the renderer never sees a half update.
 */
struct CasePin
{
  QString number;   //!< 一案一码
  double lon = 0;   //!< CGCS2000
  double lat = 0;
  QString family;   //!< category family code, "01" … "06"
  QString category; //!< subcategory code, e.g. "0301"
  QString title;
  QString state;    //!< workflow state name, e.g. "assigned"
  QString light;    //!< SLA traffic light: "green", "yellow", "red" or "none"
  QString priority; //!< "normal", "urgent", "emergency"
  QString grid;     //!< the 网格 (level-3) code it lies in; empty when outside every grid
  qint64 reportedAt = 0; //!< seconds since the epoch (UTC)
};

/**
 * The open cases of one grid (网格) as the store counts them: what the district view draws
 * before (or instead of) the pins themselves.
 */
struct GridCaseCount
{
  QString grid;     //!< the 网格 (level-3) code
  int open = 0;
  int overdue = 0;  //!< open cases past their deadline (red)
  int newToday = 0; //!< open cases reported today (Beijing time)
};

} // namespace gd::map
