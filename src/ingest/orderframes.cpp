#include "ingest/orderframes.h"

namespace gd::ingest {

feed::OrderFrame toOrderFrame(const store::Order &order, const std::optional<store::CaseRecord> &record)
{
  feed::OrderFrame frame;
  frame.order = order.id;
  switch (order.kind)
  {
    case store::OrderKind::Assign:
      frame.kind = feed::OrderKind::Assign;
      break;
    case store::OrderKind::Urge:
      frame.kind = feed::OrderKind::Urge;
      break;
    case store::OrderKind::Alert:
      frame.kind = feed::OrderKind::Alert;
      break;
  }
  frame.caseSummary.number = order.caseNumber;
  if (record)
  {
    frame.caseSummary.category = record->category;
    frame.caseSummary.title = record->title;
    frame.caseSummary.address = record->address;
    frame.caseSummary.priority = record->priority;
    frame.caseSummary.location = record->point;
  }
  frame.message = order.message;
  frame.deadline = order.deadline;
  return frame;
}

} // namespace gd::ingest
