#pragma once

#include "feed/fieldframe.h"
#include "store/cases/casestore.h"
#include "store/feed/orderstore.h"

#include <optional>

namespace gd::ingest {

/**
 * The `order` frame of the field protocol for stored order \a order, with the summary of its
 * case (\a record: the case's projection row, nullopt when the order is about no case).
 */
feed::OrderFrame toOrderFrame(const store::Order &order, const std::optional<store::CaseRecord> &record);

} // namespace gd::ingest
