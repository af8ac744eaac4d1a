#pragma once
// How a store case record appears in the console's views. Internal to the console's
// store-reading files (it includes store headers, so never from a file that includes QGIS).

#include "console/dispatch/casequeuemodel.h"
#include "map/casepin.h"
#include "store/cases/casestore.h"
#include "store/config/configdir.h"

namespace gd::console {

//! The map pin of \a record, its traffic light evaluated at \a now.
map::CasePin pinOf(const store::CaseRecord &record, core::TimePoint now);

/**
 * The queue row of \a record. With \a config the category and the lead department carry
 * their names (Chinese under a Chinese locale) after the code.
 */
CaseQueueRow rowOf(const store::CaseRecord &record, core::TimePoint now, const store::ConfigDirectory *config = nullptr);

} // namespace gd::console
