#include "core/routing.h"

#include "core/configerror.h"
#include "core/configtext.h"

namespace gd::core {

using namespace configtext;

Router::Router(const CategoryCatalog &catalog)
    : mCatalog(catalog)
{
}

void Router::parseRules(std::string_view text, const std::string &sourceName)
{
    std::vector<RoutingRule> parsed;
    for (const Line &line : lines(text)) {
        const auto fail = [&](const std::string &problem) { throw ConfigError(sourceName, line.number, problem); };
        const auto fields = splitBars(line.text);
        if (fields.size() != 3)
            fail("a routing rule has 3 fields '<grid code> | <category, family or *> | <department>', found "
                 + std::to_string(fields.size()));
        std::string why;
        if (!GridCode::parse(fields[0], &why))
            fail(why);
        const std::string_view cat = fields[1];
        if (cat != "*" && !(cat.size() == 2 && mCatalog.family(cat)) && !(cat.size() == 4 && mCatalog.find(cat)))
            fail("'" + std::string(cat) + "' is neither a category, a family of the catalog, nor *");
        if (fields[2].empty())
            fail("the rule needs a department");
        // Two rules for the same grid and category: the same department is a harmless repeat
        // (refused all the same, it is a slip); another department is a conflict whose winner
        // would be a matter of order. Either way, name both lines.
        for (const RoutingRule &earlier : parsed)
            if (earlier.gridPrefix == fields[0] && earlier.categoryCode == cat)
                fail(earlier.department == fields[2]
                         ? "the rule for " + std::string(fields[0]) + " | " + std::string(cat) + " repeats line "
                               + std::to_string(earlier.line)
                         : "the rule for " + std::string(fields[0]) + " | " + std::string(cat) + " names "
                               + std::string(fields[2]) + " but line " + std::to_string(earlier.line) + " names "
                               + earlier.department + ": conflicting rules");
        parsed.push_back({std::string(fields[0]), std::string(cat), std::string(fields[2]), line.number});
    }
    mSource = sourceName;
    for (RoutingRule &r : parsed)
        mRules.push_back(std::move(r));
}

void Router::addRule(RoutingRule rule)
{
    mRules.push_back(std::move(rule));
}

RoutingSuggestion Router::suggest(std::string_view categoryCode, std::string_view grid) const
{
    RoutingSuggestion out;
    out.category = std::string(categoryCode);
    const Category *category = mCatalog.find(categoryCode);
    if (!category) {
        out.reason = "category " + out.category + " is not in the catalog";
        return out;
    }
    const RoutingRule *best = nullptr;
    int bestRank = -1;
    for (const RoutingRule &r : mRules) {
        if (grid.substr(0, r.gridPrefix.size()) != r.gridPrefix || grid.size() < r.gridPrefix.size())
            continue;
        int specificity = 0;
        if (r.categoryCode == category->code)
            specificity = 2;
        else if (r.categoryCode == category->familyCode)
            specificity = 1;
        else if (r.categoryCode != "*")
            continue;
        const int rank = int(r.gridPrefix.size()) * 4 + specificity;
        if (rank > bestRank) {
            bestRank = rank;
            best = &r;
        }
    }
    if (best) {
        out.department = best->department;
        out.reason = "rule " + (mSource.empty() ? std::string("(added)") : mSource) + ":" + std::to_string(best->line)
                     + " (grid " + best->gridPrefix + ", " + best->categoryCode + ")";
        out.basis = RoutingBasis::Rule;
        out.ruleSource = mSource;
        out.ruleLine = best->line;
        out.ruleGrid = best->gridPrefix;
        out.ruleCategory = best->categoryCode;
        return out;
    }
    out.department = category->leadDepartment;
    out.reason = "category " + category->code + " default";
    out.basis = RoutingBasis::CategoryDefault;
    return out;
}

} // namespace gd::core
