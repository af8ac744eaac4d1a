#pragma once
// Routing suggestion (分拨建议): the lead department for a case, from the category's default,
// overridden by per-grid rules (resources/config/routing.conf).

#include "core/catalog.h"
#include "core/gridcode.h"

#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

struct RoutingRule
{
    std::string gridPrefix;   //!< a grid code (applies to it and its subtree)
    std::string categoryCode; //!< 4-digit category, 2-digit family, or "*"
    std::string department;
    int line = 0;
};

//! What a suggestion rests on, as data: the console words it in the operator's language.
enum class RoutingBasis
{
    UnknownCategory, //!< the category is not in the catalog: no suggestion
    CategoryDefault, //!< the category's default lead department (catalog.conf)
    Rule             //!< an override rule of routing.conf
};

struct RoutingSuggestion
{
    std::string department; //!< empty when the category is unknown
    //! For logs and the command line, in English: e.g. "category 0301 default" or
    //! "rule routing.conf:12 (grid 620902001, 0301)". Operators read basis and the fields below.
    std::string reason;
    RoutingBasis basis = RoutingBasis::UnknownCategory;
    std::string category;     //!< the category asked about
    std::string ruleSource;   //!< Rule: the file of the rule ("" for a rule added in code)
    int ruleLine = 0;         //!< Rule: its line
    std::string ruleGrid;     //!< Rule: the grid (subtree) it applies to
    std::string ruleCategory; //!< Rule: the category, family or "*" it applies to
};

class Router
{
  public:
    //! \a catalog must outlive the router.
    explicit Router(const CategoryCatalog &catalog);
    /**
     * Parses override rules "<grid code> | <category, family or *> | <department>";
     * throws ConfigError for malformed codes.
     */
    void parseRules(std::string_view text, const std::string &sourceName);
    void addRule(RoutingRule rule);
    const std::vector<RoutingRule> &rules() const { return mRules; }

    /**
     * The suggested lead department for \a categoryCode at \a grid (any level).
     * The deepest matching grid wins; at equal depth a category rule beats a family rule
     * beats "*". Without a matching rule, the category's default.
     */
    RoutingSuggestion suggest(std::string_view categoryCode, std::string_view grid) const;

  private:
    const CategoryCatalog &mCatalog;
    std::string mSource;
    std::vector<RoutingRule> mRules;
};

} // namespace gd::core
