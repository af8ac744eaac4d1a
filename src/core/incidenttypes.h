#pragma once
// The types of emergency (突发事件类型: 火灾, 群体性事件, 自然灾害 ...) an operator declares, from
// configuration (resources/config/emergency.conf, documented at its top). Each type may name
// the case categories it covers, so an emergency declared from a case of such a category takes
// that type without asking.

#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

class CategoryCatalog;

struct IncidentType
{
    std::string code;   //!< e.g. "fire": what the store keeps with the emergency
    std::string nameZh; //!< 火灾
    std::string nameEn; //!< Fire
    std::vector<std::string> categories; //!< case categories (4 digits) or families (2 digits) it covers
};

class IncidentTypes
{
  public:
    /**
     * Parses "type | <code> | <中文名> | <English name> | [<categories or families> ...]".
     * Codes are lower-case letters, digits and '_', each given once; a category or family is
     * claimed by one type only. Throws ConfigError naming the line.
     */
    static IncidentTypes parse(std::string_view text, const std::string &sourceName);

    /**
     * Checks the categories and families named against \a catalog; throws ConfigError naming
     * the file and line of one the catalog does not have.
     */
    void validate(const CategoryCatalog &catalog) const;

    const std::vector<IncidentType> &types() const { return mTypes; }
    //! The type with \a code, or nullptr.
    const IncidentType *find(std::string_view code) const;
    //! The type covering case category \a category (its own code before its family), or nullptr.
    const IncidentType *forCategory(std::string_view category) const;
    bool empty() const { return mTypes.empty(); }

  private:
    std::vector<IncidentType> mTypes;
    std::vector<int> mLines; //!< source line of each type, for validate()
    std::string mSource;
};

} // namespace gd::core
