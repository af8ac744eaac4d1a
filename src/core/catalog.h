#pragma once
// The category catalog (事项分类目录): two levels, family (2 digits) -> subcategory (4 digits).
// File format: resources/config/catalog.conf (documented at its top).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::core {

//! Case priority; the field protocol spells them "normal", "urgent", "emergency".
enum class Priority
{
    Normal,
    Urgent,
    Emergency
};

//! A stage of the case life whose duration is limited (each with its own SLA clock).
enum class Stage
{
    Accept,   //!< 受理: from the report until accepted
    Dispatch, //!< 分拨: from acceptance until assigned to a lead department
    Handle,   //!< 调处: from assignment until the handler's feedback
    Visit     //!< 核查回访: from the handler's feedback until the follow-up visit
};

//! How a stage limit is counted.
enum class LimitUnit
{
    WorkingHours, //!< 工作时: hours inside the calendar's working periods
    WorkingDays,  //!< 工作日: ends at close of business of the Nth working day after the start day
    NaturalHours  //!< 自然时: wall-clock hours, nights and holidays included
};

struct StageLimit
{
    Stage stage = Stage::Accept;
    int amount = 0;
    LimitUnit unit = LimitUnit::WorkingHours;
};

struct Category
{
    std::string code;       //!< 4 digits: family + sub, e.g. "0301"
    std::string familyCode; //!< 2 digits, e.g. "03"
    std::string nameZh;
    std::string nameEn;
    std::string leadDepartment; //!< default lead department code (see DepartmentDirectory)
    Priority priority = Priority::Normal;
    std::vector<StageLimit> limits; //!< one per Stage, in Stage order
    double duplicateRadiusM = 0;
    int duplicateWindowHours = 0;
    std::vector<std::string> keywords; //!< what callers call it (synonyms, objects: 井盖 …), for search

    //! The limit of \a stage, or nullptr if the catalog does not limit it.
    const StageLimit *limit(Stage stage) const;
};

struct CategoryFamily
{
    std::string code;
    std::string nameZh;
    std::string nameEn;
};

std::string_view priorityName(Priority priority); //!< "normal", "urgent", "emergency"
std::optional<Priority> parsePriority(std::string_view name);
std::string_view stageName(Stage stage);          //!< "accept", "dispatch", "handle", "visit"
std::optional<Stage> parseStage(std::string_view name);
std::string_view limitUnitName(LimitUnit unit);   //!< "wh", "wd", "h"
std::optional<LimitUnit> parseLimitUnit(std::string_view name);

class DepartmentDirectory;

//! The validated, immutable catalog of case categories.
class CategoryCatalog
{
  public:
    /**
     * Parses the catalog text; \a sourceName is used in error messages.
     * Throws ConfigError naming the line for any malformed or inconsistent entry.
     */
    static CategoryCatalog parse(std::string_view text, const std::string &sourceName);

    //! The category with \a code, or nullptr when unknown.
    const Category *find(std::string_view code) const;
    //! The family with \a code, or nullptr when unknown.
    const CategoryFamily *family(std::string_view code) const;
    const std::vector<Category> &categories() const { return mCategories; }
    const std::vector<CategoryFamily> &families() const { return mFamilies; }

    /**
     * Checks that every lead department exists in \a departments.
     * Throws ConfigError naming the catalog source and the category's line.
     */
    void validateAgainst(const DepartmentDirectory &departments) const;

  private:
    std::string mSource;
    std::vector<CategoryFamily> mFamilies;
    std::vector<Category> mCategories;
    std::vector<int> mCategoryLines; //!< source line of each category, for late validation
};

/**
 * The categories \a used (e.g. a gateway's --catalog) and \a reference (the catalog the store's
 * configuration holds) do not share, one line each naming the code: a report the gateway
 * accepts must be one the store takes, and the other way round (issue 14).
 */
std::vector<std::string> catalogDifferences(const CategoryCatalog &used, const CategoryCatalog &reference);

//! Free-function form of CategoryCatalog::validateAgainst().
void validateCatalog(const CategoryCatalog &catalog, const DepartmentDirectory &departments);

} // namespace gd::core
