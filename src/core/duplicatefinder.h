#pragma once
// Duplicate candidates (重复件): cases of the same category family within the category's
// radius and time window, ranked by distance, time and text similarity. Suggestions only:
// an operator decides whether to merge.

#include "core/catalog.h"
#include "core/geo.h"
#include "core/timeutil.h"

#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

//! What the finder needs to know about a case.
struct CaseSummary
{
    std::string number;
    std::string categoryCode;
    GeoPoint location;
    TimePoint reportedAt{};
    std::string text; //!< title + description
};

struct DuplicateCandidate
{
    std::string number;
    double distanceM = 0;
    double hoursApart = 0;
    double textSimilarity = 0; //!< 0..1
    double score = 0;          //!< 0..1, higher is more likely a duplicate
};

//! Dice coefficient of the character-bigram sets of two UTF-8 texts (0..1; whitespace and punctuation ignored).
double textSimilarity(std::string_view a, std::string_view b);

//! Weights of the duplicate score's parts (normalised to sum 1).
struct DuplicateWeights
{
    double distance = 0.4;
    double time = 0.2;
    double text = 0.4;
};

class DuplicateFinder
{
  public:
    using Weights = DuplicateWeights;

    //! \a catalog must outlive the finder.
    explicit DuplicateFinder(const CategoryCatalog &catalog, Weights weights = DuplicateWeights());

    /**
     * Candidates for \a fresh among \a existing: same family, within the radius and window of
     * \a fresh's category, the case itself excluded; best first.
     */
    std::vector<DuplicateCandidate> candidates(const CaseSummary &fresh, const std::vector<CaseSummary> &existing) const;

  private:
    const CategoryCatalog &mCatalog;
    Weights mWeights;
};

} // namespace gd::core
